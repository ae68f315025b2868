"""The course's own "Expected output" values, reproduced with a legacy np.random.RandomState.

The course seeds numpy's global generator (np.random.seed) and draws every weight matrix with
np.random.randn, layer by layer. dnn_utils never touches the global generator; instead `seed`
accepts a np.random.RandomState, which draws the same numbers in the same order.
"""

import numpy as np
import pytest

from dnn_utils import (L_layer_model, L_layer_model_fast, compute_cost, initial_parameters,
                       initialize_parameters, initialize_parameters_two_layer, two_layer_model,
                       two_layer_model_fast)

LOOPS = {True: (two_layer_model_fast, L_layer_model_fast), False: (two_layer_model, L_layer_model)}

# The course's published values (week 4, "Building your Deep Neural Network: Step by Step").
COURSE_DEEP_W1_ROW0 = [0.01788628, 0.0043651, 0.00096497, -0.01863493, -0.00277388]   # seed 3, [5, 4, 3]
COURSE_DEEP_W2 = [[-0.01185047, -0.0020565, 0.01486148, 0.00236716],
                  [-0.01023785, -0.00712993, 0.00625245, -0.00160513],
                  [-0.00768836, -0.00230031, 0.00745056, 0.01976111]]
COURSE_2LAYER_W1 = [[0.01624345, -0.00611756, -0.00528172],                             # seed 1, (3, 2, 1)
                    [-0.01072969, 0.00865408, -0.02301539]]
COURSE_2LAYER_W2 = [[0.01744812, -0.00761207]]
PRINTED = 5e-9   # the course prints 8 decimals


def course_deep(layer_dims, seed, xavier):
    """The course's initialize_parameters_deep, written out with an explicit RandomState."""
    rng = np.random.RandomState(seed)
    params = {}
    for l in range(1, len(layer_dims)):
        W = rng.randn(layer_dims[l], layer_dims[l - 1])
        params[f"W{l}"] = W / np.sqrt(layer_dims[l - 1]) if xavier else W * 0.01
        params[f"b{l}"] = np.zeros((layer_dims[l], 1))
    return params


def assert_same(actual, expected):
    assert sorted(actual) == sorted(expected)
    for k in expected:
        assert actual[k].shape == expected[k].shape, k
        np.testing.assert_array_equal(actual[k], expected[k], err_msg=k)


def test_deep_initialization_matches_course_table():
    p = initial_parameters([5, 4, 3], scale=0.01, seed=np.random.RandomState(3))
    np.testing.assert_allclose(p["W1"][0], COURSE_DEEP_W1_ROW0, rtol=0, atol=PRINTED)
    np.testing.assert_allclose(p["W2"], COURSE_DEEP_W2, rtol=0, atol=PRINTED)
    assert p["W1"].shape == (4, 5) and p["W2"].shape == (3, 4)
    assert not p["b1"].any() and p["b1"].shape == (4, 1)
    assert not p["b2"].any() and p["b2"].shape == (3, 1)


def test_two_layer_initializer_matches_course_table():
    p = initialize_parameters_two_layer(3, 2, 1, seed=np.random.RandomState(1))
    np.testing.assert_allclose(p["W1"], COURSE_2LAYER_W1, rtol=0, atol=PRINTED)
    np.testing.assert_allclose(p["W2"], COURSE_2LAYER_W2, rtol=0, atol=PRINTED)
    assert p["b1"].shape == (2, 1) and p["b2"].shape == (1, 1)
    assert not p["b1"].any() and not p["b2"].any()


@pytest.mark.parametrize("seed", [np.random.RandomState, int, np.random.default_rng])
def test_two_layer_initializer_is_initialize_parameters_with_scale_001(seed):
    a = initialize_parameters_two_layer(7, 4, 1, seed=seed(5))
    b = initial_parameters([7, 4, 1], scale=0.01, seed=seed(5))
    assert_same(a, b)


def test_xavier_with_randomstate_is_the_course_application_init_exactly():
    dims = [12288, 20, 7, 5, 1]
    p = initial_parameters(dims, scale="xavier", seed=np.random.RandomState(1))
    assert_same(p, course_deep(dims, 1, xavier=True))


def test_a_randomstate_is_consumed_layer_by_layer_like_the_global_generator():
    rng = np.random.RandomState(0)
    first = initial_parameters([4, 3, 1], scale=0.01, seed=rng)
    second = initial_parameters([4, 3, 1], scale=0.01, seed=rng)
    reference = np.random.RandomState(0)
    np.testing.assert_array_equal(first["W1"], reference.randn(3, 4) * 0.01)
    np.testing.assert_array_equal(first["W2"], reference.randn(1, 3) * 0.01)
    np.testing.assert_array_equal(second["W1"], reference.randn(3, 4) * 0.01)


def test_the_global_generator_is_never_touched():
    np.random.seed(123)
    before = np.random.get_state()[1].copy()
    initialize_parameters([6, 5, 1], seed=np.random.RandomState(1))
    initialize_parameters_two_layer(6, 5, 1, seed=np.random.RandomState(1))
    initialize_parameters([6, 5, 1], seed=1)
    np.testing.assert_array_equal(np.random.get_state()[1], before)


def test_generator_seeds_draw_as_before():
    p = initial_parameters([6, 5, 1], scale="he", seed=3)
    rng = np.random.default_rng(3)
    np.testing.assert_array_equal(p["W1"], rng.standard_normal((5, 6)) * np.sqrt(2 / 6))
    np.testing.assert_array_equal(p["W2"], rng.standard_normal((1, 5)) * np.sqrt(2 / 5))


def test_randomstate_with_float32_and_he():
    p = initial_parameters([6, 5, 1], scale="he", seed=np.random.RandomState(2), dtype=np.float32)
    r = np.random.RandomState(2)
    assert p["W1"].dtype == np.float32
    np.testing.assert_array_equal(p["W1"], (r.randn(5, 6) * np.sqrt(2 / 6)).astype(np.float32))


def test_two_layer_initializer_checks_its_sizes():
    with pytest.raises(ValueError):
        initialize_parameters_two_layer(3, 0, 1)


def course_loop_costs(X, Y, params, learning_rate, num_iterations):
    """The course's L_layer_model loop in plain numpy: the cost of iteration i is computed
    from the parameters before that iteration's update and kept every 100 iterations."""
    params = {k: v.copy() for k, v in params.items()}
    L = len(params) // 2
    m = X.shape[1]
    costs = []
    for i in range(num_iterations):
        A, cache = X, []
        for l in range(1, L + 1):
            Z = params[f"W{l}"] @ A + params[f"b{l}"]
            cache.append((A, Z))
            A = 1 / (1 + np.exp(-Z)) if l == L else np.maximum(0, Z)
        if i % 100 == 0:
            costs.append(float(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))))
        dA = -(Y / A - (1 - Y) / (1 - A))
        for l in range(L, 0, -1):
            A_prev, Z = cache[l - 1]
            if l == L:
                s = 1 / (1 + np.exp(-Z))
                dZ = dA * s * (1 - s)
            else:
                dZ = dA * (Z > 0)
            dA = params[f"W{l}"].T @ dZ
            params[f"W{l}"] -= learning_rate * (dZ @ A_prev.T) / m
            params[f"b{l}"] -= learning_rate * dZ.sum(axis=1, keepdims=True) / m
    return costs


@pytest.fixture
def small_problem():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((6, 40))
    Y = (X[0:1] + 0.5 * X[1:2] > 0).astype(np.int64)
    return X, Y


@pytest.mark.parametrize("fast", [True, False])
def test_L_layer_model_with_randomstate_gives_the_course_cost_table(small_problem, fast):
    X, Y = small_problem
    dims = [6, 5, 3, 1]
    _, costs = LOOPS[fast][1](X, Y, dims, learning_rate=0.05, num_iterations=301, seed=np.random.RandomState(1))
    expected = course_loop_costs(X, Y, course_deep(dims, 1, xavier=True), 0.05, 301)
    assert len(costs) == len(expected) == 4
    np.testing.assert_allclose(costs, expected, rtol=1e-10)
    # iteration 0's cost is that of the initial parameters, before any update
    start = course_deep(dims, 1, xavier=True)
    A = np.maximum(0, start["W2"] @ np.maximum(0, start["W1"] @ X))
    assert costs[0] == pytest.approx(compute_cost(1 / (1 + np.exp(-(start["W3"] @ A))), Y), rel=1e-12)


def test_two_layer_model_with_randomstate_starts_from_the_course_init(small_problem):
    X, Y = small_problem
    params, costs = two_layer_model(X, Y, (6, 4, 1), num_iterations=0, seed=np.random.RandomState(1))
    assert_same(params, initialize_parameters_two_layer(6, 4, 1, seed=np.random.RandomState(1)))
    assert costs == []
    _, costs = two_layer_model(X, Y, (6, 4, 1), learning_rate=0.1, num_iterations=201,
                               seed=np.random.RandomState(1))
    start = course_deep([6, 4, 1], 1, xavier=False)
    np.testing.assert_allclose(costs, course_loop_costs(X, Y, start, 0.1, 201), rtol=1e-10)


# ---------------------------------------------------------------------------
# The course's published cost tables and accuracies, with the course's own files.
# The project cannot ship those images, so this runs only where a user has them:
#   DNN_COURSE_DATA=/folder/with/the/course/h5/files pytest tests/test_course_outputs.py
# (a learner without the test tools runs `dnn-course-check FOLDER` instead). With the variable,
# notebooks 06-08 are also run top to bottom on those files (DNN_DATA_DIR), their asserts holding.
# ---------------------------------------------------------------------------

# The course's published tables ("Deep Neural Network - Application"): one table, shared with the
# learner's command dnn-course-check (dnnlib/coursecheck.py).
from dnnlib.coursecheck import COURSE_ACCURACIES, COURSE_L_LAYER_COSTS, COURSE_TWO_LAYER_COSTS  # noqa: E402


@pytest.fixture(scope="module")
def course_data():
    import os

    from dnn_utils import flatten_images, load_data

    folder = os.environ.get("DNN_COURSE_DATA")
    if not folder:
        pytest.skip("set DNN_COURSE_DATA to a folder holding the course's train_catvnoncat.h5 and "
                    "test_catvnoncat.h5 to compare with the course's published cost tables")
    train_x_orig, train_y, test_x_orig, test_y, _ = load_data(folder)   # fails clearly if they are not there
    assert train_x_orig.shape == (209, 64, 64, 3) and test_x_orig.shape == (50, 64, 64, 3), \
        f"DNN_COURSE_DATA={folder} does not hold the course's 209 + 50 images"
    return flatten_images(train_x_orig), train_y, flatten_images(test_x_orig), test_y


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("model", ["two_layer", "L_layer"])
def test_the_course_files_give_the_course_cost_tables(course_data, model, fast):
    from dnn_utils import accuracy, predict

    train_x, train_y, test_x, test_y = course_data
    if model == "two_layer":
        params, costs = LOOPS[fast][0](train_x, train_y, (12288, 7, 1), 0.0075, 2500, seed=np.random.RandomState(1))
        np.testing.assert_allclose(costs[:25], COURSE_TWO_LAYER_COSTS, rtol=1e-9)
    else:
        params, costs = LOOPS[fast][1](train_x, train_y, [12288, 20, 7, 5, 1], 0.0075, 2500,
                                       seed=np.random.RandomState(1))
        np.testing.assert_allclose(costs[:25], COURSE_L_LAYER_COSTS, rtol=0, atol=5e-7)
    train_acc, test_acc = COURSE_ACCURACIES[model]
    assert accuracy(predict(train_x, params), train_y) == pytest.approx(train_acc, abs=1e-9)
    assert accuracy(predict(test_x, params), test_y) == pytest.approx(test_acc, abs=1e-9)


@pytest.mark.parametrize("notebook", ["06_cat_classifier", "07_experiments", "08_fast_training"])
def test_the_notebooks_run_with_their_asserts_holding_on_the_course_files(course_data, notebook, monkeypatch):
    """Each notebook that loads data runs top to bottom on the course's files (DNN_DATA_DIR), its asserts
    holding and its first data line saying so; its outputs are not compared (they are the shipped data's)."""
    import os

    import nbformat
    from nbclient import NotebookClient

    from tests.helpers import ROOT

    monkeypatch.setenv("DNN_DATA_DIR", os.environ["DNN_COURSE_DATA"])
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(ROOT / "notebooks" / f"{notebook}.ipynb", as_version=4)
    NotebookClient(nb, timeout=1200, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()   # raises on a failed assert
    printed = ["".join(o.get("text", "")) for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert any("data: the course's files" in text for text in printed), "the notebook must say which data it ran on"
