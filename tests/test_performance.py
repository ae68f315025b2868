"""The fast dnn_utils computes what the plain textbook algorithm computes, without copying X in its iterations.

The textbook version lives in benchmarks/bench_training.py (one copy, also timed there).
No test here measures time; the memory test uses tracemalloc, which numpy reports to.
"""

import importlib.util
import inspect
from pathlib import Path

import numpy as np
import pytest

import dnn_fast
import dnn_utils

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_training.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_training", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def random_data(n_x, m, seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    X = rng.random((n_x, m)).astype(dtype)
    Y = (rng.random((1, m)) < 0.4).astype(dtype)
    Y[0, :2] = [0, 1]  # both classes present
    return X, Y


def step_gradients(bench, X, Y, layers_dims, seed=1):
    """One step's dW, db from dnn_utils and from the textbook version, same parameters."""
    parameters = dnn_utils.initialize_parameters(layers_dims, seed=seed)
    AL, caches = dnn_utils.L_model_forward(X, parameters)
    fast = dnn_utils.L_model_backward(AL, Y, caches)
    AL_t, caches_t = bench.textbook_forward(X, parameters)
    plain = bench.textbook_backward(AL_t, Y, caches_t)
    keys = [f"d{p}{l}" for l in range(1, len(layers_dims)) for p in "Wb"]
    return {k: (fast[k], plain[k]) for k in keys}


@pytest.mark.parametrize("layers_dims, m", [
    ([6, 5, 4, 3, 1], 11),          # a small random net
    ([12288, 20, 7, 5, 1], 5),      # the course's shape, a few examples
])
def test_one_step_gradients_match_textbook(bench, layers_dims, m):
    X, Y = random_data(layers_dims[0], m)
    for key, (fast, plain) in step_gradients(bench, X, Y, layers_dims).items():
        assert fast.shape == plain.shape, key
        assert bench.relative_difference(fast, plain) <= 1e-10, key


def test_one_step_gradients_match_in_fortran_layout(bench):
    """L_layer_model trains on a Fortran-ordered X; the gradients do not depend on the layout."""
    X, Y = random_data(300, 17, seed=3)
    for order in "CF":
        Xo = np.asarray(X, order=order)
        for key, (fast, plain) in step_gradients(bench, Xo, Y, [300, 8, 4, 1]).items():
            assert bench.relative_difference(fast, plain) <= 1e-10, (order, key)


def test_training_costs_match_textbook(bench):
    X, Y = random_data(40, 30, seed=2)
    layers_dims = [40, 10, 5, 1]
    _, costs = dnn_utils.L_layer_model(X, Y, layers_dims, learning_rate=0.05, num_iterations=600,
                                      seed=1)
    initial = dnn_utils.initialize_parameters(layers_dims, seed=1)
    _, costs_t = bench.textbook_model(X, Y, initial, learning_rate=0.05, num_iterations=600)
    assert len(costs) == len(costs_t) == 6
    assert costs[-1] < costs[0]  # it did learn
    np.testing.assert_allclose(costs, costs_t, rtol=0, atol=1e-6)


def test_one_iteration_does_not_copy_X(bench):
    """Peak extra allocation of one training iteration is at most a quarter of X."""
    X, Y = random_data(4096, 209, seed=4)
    for dtype in (np.float64, np.float32):
        Xd = X.astype(dtype)
        peak, X_train = bench.iteration_peak_memory(Xd, Y, dtype, layers_dims=[4096, 20, 7, 5, 1])
        assert peak <= 0.25 * X_train.nbytes, (dtype, peak, X_train.nbytes)


def test_no_copy_of_X_from_flatten_images(bench):
    """flatten_images lays X out example by example, and L_layer_model trains on it as it is."""
    images = np.random.default_rng(5).integers(0, 256, size=(7, 4, 4, 3), dtype=np.uint8)
    X = dnn_utils.flatten_images(images)
    assert X.flags.f_contiguous
    seen = []
    with bench.before_each_step(seen.append):
        dnn_utils.L_layer_model(X, np.array([[0, 1, 0, 1, 1, 0, 1]]), [48, 3, 1], num_iterations=2)
    assert len(seen) == 2 and all(np.shares_memory(s, X) for s in seen)


# training_step is one iteration of L_model_forward, L_model_backward and update_parameters,
# written as one function (α/m applied once to dZ[L], Z1 = W1·X computed as (X.T·W1.T).T). It
# must give their numbers: float64 to rtol 1e-12, float32 to rtol 1e-5 (rounding only: the
# products are summed in another order).
TOLERANCE = {np.float64: dict(rtol=1e-12, atol=1e-14), np.float32: dict(rtol=1e-5, atol=1e-6)}


def teaching_step(X, Y, parameters, learning_rate):
    """The iteration training_step stands for, written with the course's functions."""
    AL, caches = dnn_utils.L_model_forward(X, parameters)
    grads = dnn_utils.L_model_backward(AL, Y, caches)
    dnn_utils.update_parameters(parameters, grads, learning_rate)
    return AL


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("layers_dims", [[300, 8, 4, 1], [300, 6, 1], [300, 1], [300, 9, 7, 5, 3, 1]])
def testtraining_step_matches_forward_backward_update(layers_dims, order, dtype):
    X, Y = random_data(layers_dims[0], 17, seed=8, dtype=dtype)
    X = np.asarray(X, order=order)
    parameters = dnn_utils.initialize_parameters(layers_dims, seed=2, dtype=dtype)
    parameters = {k: v + 0.01 for k, v in parameters.items()}  # nonzero biases, to test them too
    expected = {k: v.copy() for k, v in parameters.items()}
    AL = teaching_step(X, Y, expected, 0.3)
    AL_fast = dnn_fast.training_step(X, Y, parameters, 0.3)
    assert AL_fast.dtype == dtype and AL_fast.shape == AL.shape == (1, 17)
    np.testing.assert_allclose(AL_fast, AL, **TOLERANCE[dtype])
    assert sorted(parameters) == sorted(expected)
    for k in expected:
        assert parameters[k].dtype == dtype, k
        np.testing.assert_allclose(parameters[k], expected[k], **TOLERANCE[dtype], err_msg=k)


@pytest.mark.parametrize("layers_dims, m", [
    ([6, 5, 4, 3, 1], 11),          # a small random net
    ([12288, 20, 7, 5, 1], 5),      # the course's shape, a few examples
])
@pytest.mark.parametrize("order", ["C", "F"])
def testtraining_step_gradients_match_textbook(bench, layers_dims, m, order):
    """The gradients L_layer_model steps with agree with the textbook version's to 1e-10.

    training_step never stores dW: bench.compare_one_step steps with learning rate 1, so
    that W - W_after = dW (and b - b_after = db).
    """
    X, Y = random_data(layers_dims[0], m)
    assert bench.compare_one_step(np.asarray(X, order=order), Y, layers_dims) <= 1e-10


@pytest.mark.parametrize("mistake, slip", [
    ("dZ = relu_backward(dA_prev, Z[l - 1])", "dZ = dA_prev"),                      # relu' forgotten
    ("(float(learning_rate) / m)", "float(learning_rate)"),                         # 1/m forgotten
    ("(AL - Y)", "(Y - AL)"),                                                       # uphill
    ("if l < L else sigmoid", "if l < L - 1 else sigmoid"),                         # a hidden sigmoid
    ('parameters["W" + str(l)] = W_new',                                            # dA[l-1] from the
     'parameters["W" + str(l)] = W_new\n        if l > 1:\n            dA_prev = W_new.T @ dZ'),  # new W[l]
    ("W_new += W", "W_new -= W"),                                                   # -W[l]
])
def test_a_brokentraining_step_is_caught(mistake, slip):
    """The agreement check has teeth: each of these slips in training_step makes it fail."""
    source = inspect.getsource(dnn_fast.training_step)
    assert mistake in source
    namespace = dict(vars(dnn_utils))
    exec(source.replace(mistake, slip), namespace)
    X, Y = random_data(30, 9, seed=3)
    parameters = dnn_utils.initialize_parameters([30, 6, 6, 1], seed=4)
    parameters = {k: v + 0.01 for k, v in parameters.items()}
    expected = {k: v.copy() for k, v in parameters.items()}
    teaching_step(X, Y, expected, 0.5)
    with np.errstate(all="ignore"):
        namespace["training_step"](X, Y, parameters, 0.5)
    assert not all(np.allclose(parameters[k], expected[k], **TOLERANCE[np.float64]) for k in expected)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_one_iteration_is_forward_backward_update(dtype):
    """One iteration of L_layer_model is one step of L_model_forward, L_model_backward, update_parameters."""
    X, Y = random_data(300, 23, seed=9, dtype=dtype)
    X = np.asfortranarray(X)
    layers_dims = [300, 8, 4, 1]
    P0 = dnn_utils.initialize_parameters(layers_dims, seed=3, dtype=dtype)
    AL, caches = dnn_utils.L_model_forward(X, P0)
    expected = dnn_utils.update_parameters(P0, dnn_utils.L_model_backward(AL, Y, caches), 0.05)
    trained, costs = dnn_utils.L_layer_model(X, Y, layers_dims, learning_rate=0.05, num_iterations=1,
                                             seed=3, dtype=dtype)
    assert len(costs) == 1
    np.testing.assert_allclose(costs[0], dnn_utils.compute_cost(AL, Y), **TOLERANCE[dtype])
    for k in expected:
        assert trained[k].dtype == dtype
        np.testing.assert_allclose(trained[k], expected[k], **TOLERANCE[dtype], err_msg=k)


def test_float32_training_keeps_float32_and_matches_float64():
    X, Y = random_data(50, 40, seed=6)
    layers_dims = [50, 8, 4, 1]
    p64, c64 = dnn_utils.L_layer_model(X, Y, layers_dims, learning_rate=0.05, num_iterations=500)
    p32, c32 = dnn_utils.L_layer_model(X, Y, layers_dims, learning_rate=0.05, num_iterations=500,
                                       dtype=np.float32)
    assert all(v.dtype == np.float32 for v in p32.values())
    assert all(v.dtype == np.float64 for v in p64.values())
    np.testing.assert_allclose(c32, c64, rtol=1e-4, atol=1e-5)
    for k in p64:
        assert np.max(np.abs(p32[k] - p64[k])) < 1e-3, k


def test_gradient_check_stays_float64():
    """gradient_check works in float64 even for float32 parameters."""
    X, Y = random_data(4, 6, seed=7)
    parameters = dnn_utils.initialize_parameters([4, 3, 1], seed=1, dtype=np.float32)
    assert dnn_utils.gradient_check(parameters, X.astype(np.float32), Y) < 1e-7


def test_compare_versions_runs(capsys):
    """benchmarks/compare_versions.py times two versions of the module; here the module against itself."""
    spec = importlib.util.spec_from_file_location("compare_versions", BENCH.parent / "compare_versions.py")
    compare = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(compare)
    assert compare.main([str(Path(dnn_utils.__file__)), "--repeats", "1"]) == 0
    out = capsys.readouterr().out
    assert "float64" in out and "float32" in out and out.count("x as fast") == 2
    with pytest.raises(SystemExit):
        compare.main(["no/such/dnn_utils.py"])
    assert "is not a file" in capsys.readouterr().err


def test_training_loop_task_times_the_loop_only(bench):
    """The benchmark's time of L_layer_model starts at its first iteration: the setup (here a
    copy of X into Fortran order) is left out, and training_step is put back afterwards."""
    X, Y = random_data(3000, 450, seed=10)
    step = dnn_fast.training_step
    task = bench.training_loop_task(X, Y, np.float64, 3, layers_dims=[3000, 5, 1])
    t0 = bench.time.perf_counter()
    seconds = bench.time_once(task)
    total = bench.time.perf_counter() - t0
    assert isinstance(seconds, float) and 0 < seconds < total
    assert dnn_fast.training_step is step


def test_layout_sweep_runs(capsys):
    """benchmarks/layout_sweep.py prints a row per m: both layouts' times and their ratio."""
    spec = importlib.util.spec_from_file_location("layout_sweep", BENCH.parent / "layout_sweep.py")
    sweep = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sweep)
    assert sweep.main(["--m", "5", "9", "--repeats", "1"]) == 0
    rows = [line.split() for line in capsys.readouterr().out.splitlines()[2:]]
    assert [row[0] for row in rows] == ["5", "9"] and all(len(row) == 4 for row in rows)
    assert [(m, f > 0, c > 0) for m, f, c in sweep.sweep([3], np.float32, 1)] == [(3, True, True)]
