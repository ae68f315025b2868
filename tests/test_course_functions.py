"""dnn_utils, the course functions a learner writes: known values computed by hand, gradients
against finite differences and an independent loop-based reference, and proof that each of
the seed post's bugs is caught.

Elsewhere: bad inputs to these functions, tests/test_course_errors.py; random inputs
(Hypothesis), tests/test_course_properties.py; gradient_check itself, tests/test_gradcheck.py;
training, tests/test_training.py; data, files and plots, tests/test_data.py,
tests/test_files.py, tests/test_plots.py.
"""
import math
import warnings

import numpy as np
import pytest

import blog_post_bugs as blog
import dnn_utils as d
from tests.helpers import random_problem

S1 = 1 / (1 + math.e)      # sigmoid(-1) = 0.2689414213699951
S1P = 1 / (1 + 1 / math.e)  # sigmoid(1)  = 0.7310585786300049


def _run(fn, *args):
    """Call fn; any exception it raises becomes an AssertionError (the check failed)."""
    try:
        return fn(*args)
    except Exception as e:  # noqa: BLE001 - a crash is a failed check
        raise AssertionError(f"{getattr(fn, '__name__', fn)} raised {e!r}") from e


def close(actual, expected, rtol=1e-12, atol=1e-14):
    np.testing.assert_allclose(np.asarray(actual, dtype=float), np.asarray(expected, dtype=float),
                               rtol=rtol, atol=atol)


# ---------------------------------------------------------------------------
# Hand-checkable networks
# ---------------------------------------------------------------------------

def hand_net3():
    """A 3-layer net [2, 2, 2, 1] on m = 2 examples, every number checked by hand.

    X = [[1, -1], [2, 3]], W1 = I, b1 = 0      -> Z1 = X, A1 = [[1, 0], [2, 3]]
    W2 = [[2, 1], [0, -1]], b2 = 0             -> Z2 = [[4, 3], [-2, -3]], A2 = [[4, 3], [0, 0]]
    W3 = [[1, 1]], b3 = [[-4]]                 -> Z3 = [[0, -1]], AL = [[0.5, sigmoid(-1)]]
    (feeding A1 instead of A2 to layer 3 would give Z3 = [[-1, -1]])
    """
    X = np.array([[1.0, -1.0], [2.0, 3.0]])
    params = {"W1": np.eye(2), "b1": np.zeros((2, 1)),
              "W2": np.array([[2.0, 1.0], [0.0, -1.0]]), "b2": np.zeros((2, 1)),
              "W3": np.array([[1.0, 1.0]]), "b3": np.array([[-4.0]])}
    Y = np.array([[1, 0]])
    return X, params, Y


HAND_AL = [[0.5, S1]]

# Backward through hand_net3 with Y = [[1, 0]], by hand (m = 2):
# dZ3 = AL - Y = [[-0.5, S1]]
# dW3 = dZ3·A2.T / 2 = [[(-0.5*4 + 3*S1) / 2, 0]],  db3 = (-0.5 + S1) / 2
# dA2 = W3.T·dZ3 = [[-0.5, S1], [-0.5, S1]];  dZ2 = dA2 * (Z2 > 0) = [[-0.5, S1], [0, 0]]
# dW2 = dZ2·A1.T / 2 = [[-0.5/2, (-1 + 3*S1)/2], [0, 0]],  db2 = [[(-0.5 + S1)/2], [0]]
# dA1 = W2.T·dZ2 = [[2, 0], [1, -1]]·dZ2 = [[-1, 2*S1], [-0.5, S1]]
# dZ1 = dA1 * (Z1 > 0), Z1 = [[1, -1], [2, 3]] -> [[-1, 0], [-0.5, S1]]
# dW1 = dZ1·X.T / 2 = [[-1/2, -2/2], [(-0.5 - S1)/2, (-1 + 3*S1)/2]],  db1 = [[-0.5], [(-0.5 + S1)/2]]
HAND_GRADS = {
    "dW3": [[(-2 + 3 * S1) / 2, 0.0]], "db3": [[(-0.5 + S1) / 2]],
    "dA2": [[-0.5, S1], [-0.5, S1]],
    "dW2": [[-0.25, (-1 + 3 * S1) / 2], [0.0, 0.0]], "db2": [[(-0.5 + S1) / 2], [0.0]],
    "dA1": [[-1.0, 2 * S1], [-0.5, S1]],
    "dW1": [[-0.5, -1.0], [(-0.5 - S1) / 2, (-1 + 3 * S1) / 2]], "db1": [[-0.5], [(-0.5 + S1) / 2]],
}


# ---------------------------------------------------------------------------
# Checks that a candidate implementation is right (used on dnn_utils and on
# the blog post's buggy variants, blog_post_bugs.py)
# ---------------------------------------------------------------------------

def check_linear_forward(fn):
    # W=[[1,2],[3,4]], A=[[1],[2]], b=[[1],[1]] -> Z = [[1+4+1], [3+8+1]] = [[6], [12]]
    W, b = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0], [1.0]])
    Z, cache = _run(fn, np.array([[1.0], [2.0]]), W, b)
    close(Z, [[6], [12]])
    # square A = [[1, 0], [0, 2]] (A·W would not crash here):
    # W·A = [[1, 4], [3, 8]] -> + b = [[2, 5], [4, 9]]   (A·W + b would be [[2, 3], [7, 9]])
    A = np.array([[1.0, 0.0], [0.0, 2.0]])
    Z, cache = _run(fn, A, W, b)
    close(Z, [[2, 5], [4, 9]])
    assert cache[0] is A and cache[1] is W and cache[2] is b


def check_linear_activation_forward(fn):
    # W = [[1, -1], [2, 0]], A = [[2], [1]], b = [[0], [-5]] -> Z = [[2-1], [4-5]] = [[1], [-1]]
    A, W, b = np.array([[2.0], [1.0]]), np.array([[1.0, -1.0], [2.0, 0.0]]), np.array([[0.0], [-5.0]])
    for activation, expected in [("relu", [[1], [0]]), ("sigmoid", [[S1P], [S1]])]:
        out, ((A_c, W_c, b_c), Z_c) = _run(fn, A, W, b, activation)
        close(out, expected)
        close(Z_c, [[1], [-1]])
        assert A_c is A and W_c is W and b_c is b


def check_L_model_forward(fn):
    X, params, _ = hand_net3()
    AL, caches = _run(fn, X, params)
    close(AL, HAND_AL)
    assert len(caches) == 3
    close(caches[2][0][0], [[4, 3], [0, 0]])  # the output layer's input is A2
    close(caches[1][1], [[4, 3], [-2, -3]])   # Z2


def check_linear_backward(fn):
    # A_prev = [[1, 2], [3, 4]], W = [[1, -1]], dZ = [[2, 4]], m = 2
    # dW = dZ·A_prev.T / m = [[2+8, 6+16]] / 2 = [[5, 11]];  db = (2+4)/2 = [[3]]
    # dA_prev = W.T·dZ = [[2, 4], [-2, -4]]
    cache = (np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, -1.0]]), np.array([[0.0]]))
    dA_prev, dW, db = _run(fn, np.array([[2.0, 4.0]]), cache)
    close(dW, [[5, 11]])
    close(db, [[3]])
    close(dA_prev, [[2, 4], [-2, -4]])


def check_relu_backward(fn):
    # Z = [[-1, 0, 2]], dA = [[1, 2, 3]] -> dZ = [[0, 0, 3]]: the kink Z == 0 passes nothing
    close(_run(fn, np.array([[1.0, 2.0, 3.0]]), np.array([[-1.0, 0.0, 2.0]])), [[0, 0, 3]])


def check_L_model_backward(fn):
    X, params, Y = hand_net3()
    AL, caches = d.L_model_forward(X, params)
    grads = _run(fn, AL, Y, caches)
    for k, v in HAND_GRADS.items():
        close(grads[k], v, atol=1e-15)
    assert "dA0" not in grads


@pytest.mark.parametrize("check, fn", [
    (check_linear_forward, d.linear_forward),
    (check_linear_activation_forward, d.linear_activation_forward),
    (check_L_model_forward, d.L_model_forward),
    (check_linear_backward, d.linear_backward),
    (check_relu_backward, d.relu_backward),
    (check_L_model_backward, d.L_model_backward),
])
def test_known_values(check, fn):
    check(fn)


# ---------------------------------------------------------------------------
# The blog post's bugs (blog_post_bugs.py): each check above must reject them.
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("check, buggy", [
    (check_linear_forward, blog.linear_forward),
    (check_linear_activation_forward, blog.linear_activation_forward),
    (check_L_model_forward, blog.L_model_forward),
    (check_L_model_forward, blog.L_model_forward_dot),
    (check_linear_backward, blog.linear_backward),
    (check_relu_backward, blog.relu_backward),
])
def test_seed_bug_is_caught(check, buggy):
    with pytest.raises(AssertionError):
        check(buggy)


def test_linear_backward_exists():
    assert callable(getattr(d, "linear_backward", None))
    assert "linear_backward" in d.__all__


@pytest.mark.parametrize("name, buggy, check, fn", [
    ("linear_forward", blog.linear_forward, check_L_model_forward, d.L_model_forward),
    ("linear_backward", blog.linear_backward, check_L_model_backward, d.L_model_backward),
])
def test_buggy_building_block_breaks_the_model(monkeypatch, name, buggy, check, fn):
    """Patched into the module, a buggy block makes the whole-model known values fail."""
    check(fn)
    monkeypatch.setattr(d, name, buggy)
    with pytest.raises(AssertionError):
        check(fn)


def test_relu_backward_bug_changes_model_gradients_at_zero(monkeypatch):
    # b2 = [[0], [2]] makes Z2[1, 0] = 0·1 + (-1)·2 + 2 = 0 exactly (the forward pass is unchanged:
    # A2[1, 0] = 0 either way). dA2[1, 0] = W3[0, 1]·dZ3[0, 0] = -0.5, so with the Z < 0 bug
    # dZ2[1, 0] = -0.5 instead of 0 and dW2[1] = dZ2[1]·A1.T / 2 = [[-0.25, -0.5]] instead of 0.
    X, params, Y = hand_net3()
    params["b2"] = np.array([[0.0], [2.0]])
    AL, caches = d.L_model_forward(X, params)
    assert caches[1][1][1, 0] == 0
    close(d.L_model_backward(AL, Y, caches)["dW2"][1], [0, 0])
    monkeypatch.setattr(d, "relu_backward", blog.relu_backward)
    close(d.L_model_backward(AL, Y, caches)["dW2"][1], [-0.25, -0.5])


def test_gradient_check_catches_missing_one_over_m(monkeypatch):
    X, Y, params = random_problem([4, 3, 1], 5, seed=0)
    assert d.gradient_check(params, X, Y) < 1e-7
    monkeypatch.setattr(d, "linear_backward", blog.linear_backward)
    assert d.gradient_check(params, X, Y) > 0.1


# ---------------------------------------------------------------------------
# Activations and cost
# ---------------------------------------------------------------------------

def test_sigmoid_values():
    # sigmoid(0) = 1/2; sigmoid(ln 3) = 1/(1 + 1/3) = 3/4; sigmoid(-ln 3) = 1/4
    Z = np.array([[0.0, math.log(3), -math.log(3)]])
    A, cache = d.sigmoid(Z)
    close(A, [[0.5, 0.75, 0.25]])
    assert cache is Z


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_sigmoid_extremes_without_warnings(dtype):
    Z = np.array([[-1e4, -1000.0, -50.0, 50.0, 1000.0, 1e4]], dtype=dtype)
    # Underflow of exp(-1000) to 0 is exact enough and silent by default; overflow,
    # division by zero and invalid operations must not happen.
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        A, _ = d.sigmoid(Z)
    assert A.dtype == dtype and np.all(np.isfinite(A))
    assert np.all(A[0, :2] < 1e-30) and np.all(A[0, 4:] == 1)
    close(A[0, 2:4], [math.exp(-50) / (1 + math.exp(-50)), 1 / (1 + math.exp(-50))], rtol=1e-6, atol=0)


def test_relu_values():
    Z = np.array([[-2.0, 0.0, 3.0], [1.5, -0.1, 0.0]])
    A, cache = d.relu(Z)
    close(A, [[0, 0, 3], [1.5, 0, 0]])
    assert cache is Z


def test_sigmoid_backward_values():
    # s = [1/2, 3/4] -> s(1-s) = [1/4, 3/16]; dA = [1, 2] -> dZ = [1/4, 3/8]
    close(d.sigmoid_backward(np.array([[1.0, 2.0]]), np.array([[0.0, math.log(3)]])), [[0.25, 0.375]])


@pytest.mark.parametrize("activation, Z, dW, db, dA_prev", [
    # cache A_prev = [[1, 2], [3, 4]], W = [[1, -1]], dA = [[2, 4]], m = 2
    # relu, Z = [[-1, 1]]: dZ = [[0, 4]] -> dW = [[0+8, 0+16]]/2 = [[4, 8]], db = [[2]],
    #                       dA_prev = [[0, 4], [0, -4]]
    ("relu", [[-1.0, 1.0]], [[4, 8]], [[2]], [[0, 4], [0, -4]]),
    # sigmoid, Z = [[0, 0]]: dZ = dA/4 = [[0.5, 1]] -> dW = [[0.5+2, 1.5+4]]/2 = [[1.25, 2.75]],
    #                        db = [[0.75]], dA_prev = [[0.5, 1], [-0.5, -1]]
    ("sigmoid", [[0.0, 0.0]], [[1.25, 2.75]], [[0.75]], [[0.5, 1], [-0.5, -1]]),
])
def test_linear_activation_backward_values(activation, Z, dW, db, dA_prev):
    cache = ((np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, -1.0]]), np.array([[0.0]])), np.array(Z))
    got = d.linear_activation_backward(np.array([[2.0, 4.0]]), cache, activation)
    for g, e in zip(got, (dA_prev, dW, db)):
        close(g, e)


@pytest.mark.parametrize("AL, Y, expected", [
    ([[0.5, 0.5]], [[1, 0]], math.log(2)),                                 # -(ln ½ + ln ½)/2 = ln 2
    ([[0.8, 0.1]], [[1, 0]], -(math.log(0.8) + math.log(0.9)) / 2),        # 0.16425203348...
    ([[0.25]], [[0]], -math.log(0.75)),                                    # 0.28768207245...
])
def test_compute_cost_values(AL, Y, expected):
    cost = d.compute_cost(np.array(AL), np.array(Y))
    assert isinstance(cost, float)
    assert cost == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_compute_cost_at_exact_0_and_1(dtype):
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        right = d.compute_cost(np.array([[1.0, 0.0]], dtype=dtype), np.array([[1, 0]]))
        wrong = d.compute_cost(np.array([[0.0, 1.0]], dtype=dtype), np.array([[1, 0]]))
    assert 0 <= right < 1e-6
    # a confident mistake costs -ln(eps): 36.04 in float64, 15.94 in float32 -- large but finite
    assert math.isfinite(wrong) and 15 < wrong < 40


def test_update_parameters_in_place():
    # W1 = [[1, 2]] - 0.1·[[10, -10]] = [[0, 3]];  b1 = [[1]] - 0.1·[[2]] = [[0.8]]
    W1, b1 = np.array([[1.0, 2.0]]), np.array([[1.0]])
    params = {"W1": W1, "b1": b1}
    out = d.update_parameters(params, {"dW1": np.array([[10.0, -10.0]]), "db1": np.array([[2.0]]),
                                       "dA0": np.zeros((2, 1))}, 0.1)
    assert out is params and params["W1"] is W1 and params["b1"] is b1
    close(W1, [[0, 3]])
    close(b1, [[0.8]])


# ---------------------------------------------------------------------------
# initialize_parameters
# ---------------------------------------------------------------------------

def test_initialize_shapes_and_zero_biases():
    params = d.initialize_parameters([5, 4, 3, 1], seed=0)
    assert sorted(params) == ["W1", "W2", "W3", "b1", "b2", "b3"]
    for l, (n, n_prev) in enumerate([(4, 5), (3, 4), (1, 3)], start=1):
        assert params[f"W{l}"].shape == (n, n_prev) and params[f"W{l}"].dtype == np.float64
        assert params[f"b{l}"].shape == (n, 1) and not params[f"b{l}"].any()
        assert np.all(params[f"W{l}"] != 0)
    p32 = d.initial_parameters([5, 4, 1], seed=0, dtype=np.float32)
    assert all(v.dtype == np.float32 for v in p32.values())


@pytest.mark.parametrize("scale, std", [("xavier", math.sqrt(1 / 800)), ("he", math.sqrt(2 / 800)),
                                        (0.01, 0.01), (2, 2.0)])
def test_initialize_scale(scale, std):
    W = d.initial_parameters([800, 500, 1], scale=scale, seed=3)["W1"]  # 400 000 draws
    # the sample std of N draws is within a few 1/sqrt(2N) = 0.11 % of the true one
    assert W.std() == pytest.approx(std, rel=0.01)
    assert abs(W.mean()) < 0.01 * std


def test_initialize_seed_reproducible_and_generator():
    a = d.initialize_parameters([3, 4, 1], seed=7)
    b = d.initialize_parameters([3, 4, 1], seed=7)
    c = d.initialize_parameters([3, 4, 1], seed=8)
    g = d.initialize_parameters([3, 4, 1], seed=np.random.default_rng(7))
    for k in a:
        np.testing.assert_array_equal(a[k], b[k])
        np.testing.assert_array_equal(a[k], g[k])
    assert not np.array_equal(a["W1"], c["W1"])
    rng = np.random.default_rng(7)
    d.initialize_parameters([3, 4, 1], seed=rng)
    assert not np.array_equal(d.initialize_parameters([3, 4, 1], seed=rng)["W1"], a["W1"])  # stream goes on
    fresh = [d.initialize_parameters([3, 4, 1])["W1"] for _ in range(2)]
    assert not np.array_equal(*fresh)


def test_initialize_never_touches_global_rng():
    np.random.seed(123)
    state = np.random.get_state()
    for seed in (None, 0, np.random.default_rng(1)):
        d.initialize_parameters([6, 5, 1], seed=seed)
    after = np.random.get_state()
    assert state[0] == after[0] and np.array_equal(state[1], after[1]) and state[2:] == after[2:]
    np.random.seed(5)
    expected = np.random.rand(4)
    np.random.seed(5)
    d.initialize_parameters([6, 5, 1])
    d.initialize_parameters([6, 5, 1], seed=2)
    np.testing.assert_array_equal(np.random.rand(4), expected)


# ---------------------------------------------------------------------------
# predict, accuracy, flatten_images
# ---------------------------------------------------------------------------

def test_predict_and_accuracy():
    # one sigmoid unit, W = [[1]], b = [[0]]: X = [[-1, 0, 2]] -> AL = [[0.27, 0.5, 0.88]]
    # -> predictions [[0, 0, 1]] (0.5 is not > 0.5)
    params = {"W1": np.array([[1.0]]), "b1": np.array([[0.0]])}
    p = d.predict(np.array([[-1.0, 0.0, 2.0]]), params)
    assert p.shape == (1, 3) and np.issubdtype(p.dtype, np.integer)
    np.testing.assert_array_equal(p, [[0, 0, 1]])
    np.testing.assert_array_equal(d.predict(np.array([[-1.0, 0.0, 2.0]]), params, threshold=0.2), [[1, 1, 1]])
    assert d.accuracy(p, np.array([[0, 1, 1]])) == pytest.approx(2 / 3)
    assert d.accuracy(np.array([[1, 0, 1, 1]]), np.array([[1, 1, 1, 0]])) == 0.5
    assert isinstance(d.accuracy(p, p), float) and d.accuracy(p, p) == 1.0

def test_flatten_images():
    # image 0 holds 0..5 (1x2 pixels, 3 channels), image 1 holds 6..11: each becomes a column /255
    images = np.arange(12, dtype=np.uint8).reshape(2, 1, 2, 3)
    X = d.flatten_images(images)
    assert X.shape == (6, 2) and X.dtype == np.float64
    np.testing.assert_allclose(X, np.array([range(6), range(6, 12)]).T / 255, rtol=1e-15)


def test_flatten_images_accepts_whole_number_floats_once():
    images = np.arange(24, dtype=np.uint8).reshape(2, 2, 2, 3)
    np.testing.assert_array_equal(d.flatten_images(images.astype(np.float64)), d.flatten_images(images))
    assert d.flatten_images(np.zeros((2, 2, 2, 3))).max() == 0  # all-black floats: nothing to tell apart


# ---------------------------------------------------------------------------
# Gradients: finite differences and an independent reference
# ---------------------------------------------------------------------------

def ref_forward(X, params):
    """Loop-based forward pass; returns the list [A0, Z1, A1, ..., ZL, AL] and the cost helper."""
    L = len(params) // 2
    As, Zs = [X], []
    for l in range(1, L + 1):
        W, b, A = params[f"W{l}"], params[f"b{l}"], As[-1]
        Z = np.zeros((W.shape[0], A.shape[1]))
        A_new = np.zeros_like(Z)
        for i in range(W.shape[0]):
            for j in range(A.shape[1]):
                Z[i, j] = math.fsum(W[i, k] * A[k, j] for k in range(W.shape[1])) + b[i, 0]
                if l == L:
                    A_new[i, j] = 1 / (1 + math.exp(-Z[i, j]))
                else:
                    A_new[i, j] = Z[i, j] if Z[i, j] > 0 else 0.0
        Zs.append(Z)
        As.append(A_new)
    return As, Zs


def ref_cost(X, Y, params):
    AL = ref_forward(X, params)[0][-1]
    m = Y.shape[1]
    return -math.fsum(math.log(a) if y == 1 else math.log(1 - a) for a, y in zip(AL[0], Y[0])) / m


def ref_backward(X, Y, params):
    """Chain rule element by element, from the output down."""
    As, Zs = ref_forward(X, params)
    L, m = len(Zs), X.shape[1]
    grads = {}
    dZ = As[-1] - Y  # sigmoid + cross-entropy
    for l in range(L, 0, -1):
        A_prev, W = As[l - 1], params[f"W{l}"]
        dW = np.array([[math.fsum(dZ[i, j] * A_prev[k, j] for j in range(m)) / m
                        for k in range(W.shape[1])] for i in range(W.shape[0])])
        db = np.array([[math.fsum(dZ[i]) / m] for i in range(W.shape[0])])
        grads[f"dW{l}"], grads[f"db{l}"] = dW, db
        if l > 1:
            dA = np.array([[math.fsum(W[i, k] * dZ[i, j] for i in range(W.shape[0])) for j in range(m)]
                           for k in range(W.shape[1])])
            grads[f"dA{l - 1}"] = dA
            dZ = np.where(Zs[l - 2] > 0, dA, 0.0)
    return grads


def rel_error(a, b):
    return np.linalg.norm(np.asarray(a) - np.asarray(b)) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-300)


ARCHS = [([3, 1], 1), ([4, 5, 1], 3), ([5, 4, 3, 1], 7), ([2, 6, 6, 6, 1], 10), ([3, 2, 1], 2),
         ([6, 3, 4, 1], 5)]


@pytest.mark.parametrize("dims, m", ARCHS)
def test_gradient_check(dims, m):
    X, Y, params = random_problem(dims, m, seed=len(dims) * 10 + m)
    AL, caches = d.L_model_forward(X, params)
    grads = d.L_model_backward(AL, Y, caches)
    assert d.gradient_check(params, X, Y) < 1e-7
    # independent centred differences on the loop-based cost
    eps = 1e-6
    for k in params:
        num = np.zeros_like(params[k])
        for idx in np.ndindex(params[k].shape):
            orig = params[k][idx]
            params[k][idx] = orig + eps
            up = ref_cost(X, Y, params)
            params[k][idx] = orig - eps
            down = ref_cost(X, Y, params)
            params[k][idx] = orig
            num[idx] = (up - down) / (2 * eps)
        assert rel_error(grads["d" + k], num) < 1e-7, k


@pytest.mark.parametrize("dims, m", ARCHS)
def test_matches_loop_reference(dims, m):
    X, Y, params = random_problem(dims, m, seed=100 + m)
    AL, caches = d.L_model_forward(X, params)
    As, _ = ref_forward(X, params)
    assert rel_error(AL, As[-1]) < 1e-12
    assert d.compute_cost(AL, Y) == pytest.approx(ref_cost(X, Y, params), rel=1e-12)
    grads = d.L_model_backward(AL, Y, caches)
    ref = ref_backward(X, Y, params)
    assert sorted(grads) == sorted(ref)
    for k in ref:
        assert grads[k].shape == ref[k].shape
        assert rel_error(grads[k], ref[k]) < 1e-12, k
