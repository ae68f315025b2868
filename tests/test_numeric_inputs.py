"""Issue 26, numbers that come in: np.matrix, masked arrays, integers that wrap around, float16,
no examples, NaN outputs of predict, and the arguments of sigmoid/relu and the seeds. Each is a
right answer or a clear error naming the argument, what was expected and what was found."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import dnn_utils as d
from tests.helpers import assert_names, raises_naming


def small_problem(m=4, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((2, m))
    Y = (rng.random((1, m)) < 0.5).astype(np.int64)
    return X, Y, d.initialize_parameters([2, 3, 1], seed=1)


# ---------------------------------------------------------------------------
# 1. np.matrix: * is a matrix product there, so it is refused wherever arrays come in
# ---------------------------------------------------------------------------

def matrix_calls():
    X, Y, P = small_problem()
    Z = np.array([[1.0, -2.0], [3.0, 4.0]])
    M = np.asmatrix(Z)
    AL, caches = d.L_model_forward(X, P)
    return [
        ("relu_backward", "dA", lambda: d.relu_backward(M, Z)),
        ("sigmoid_backward", "dA", lambda: d.sigmoid_backward(M, Z)),
        ("relu_backward", "Z", lambda: d.relu_backward(Z, M)),
        ("relu", "Z", lambda: d.relu(M)),
        ("sigmoid", "Z", lambda: d.sigmoid(M)),
        ("linear_forward", "A", lambda: d.linear_forward(np.asmatrix(X), P["W1"], P["b1"])),
        ("linear_forward", "W", lambda: d.linear_forward(X, np.asmatrix(P["W1"]), P["b1"])),
        ("L_model_forward", "X", lambda: d.L_model_forward(np.asmatrix(X), P)),
        ("L_model_forward", "W1", lambda: d.L_model_forward(X, {**P, "W1": np.asmatrix(P["W1"])})),
        ("compute_cost", "AL", lambda: d.compute_cost(np.asmatrix(AL), Y)),
        ("L_model_backward", "AL", lambda: d.L_model_backward(np.asmatrix(AL), Y, caches)),
        ("linear_backward", "dZ", lambda: d.linear_backward(np.asmatrix(np.ones((3, 4))), caches[0][0])),
        ("update_parameters", "W2", lambda: d.update_parameters(
            {**P, "W2": np.asmatrix(P["W2"].copy())}, d.L_model_backward(AL, Y, caches), 0.1)),
        ("predict", "X", lambda: d.predict(np.asmatrix(X), P)),
        ("accuracy", "predictions", lambda: d.accuracy(np.asmatrix(Y), Y)),
        ("L_layer_model", "X", lambda: d.L_layer_model(np.asmatrix(X), Y, [2, 3, 1], num_iterations=2)),
        ("L_layer_model_fast", "X", lambda: d.L_layer_model_fast(np.asmatrix(X), Y, [2, 3, 1], num_iterations=2)),
    ]


@pytest.mark.parametrize("i", range(len(matrix_calls())), ids=[f"{f}:{a}" for f, a, _ in matrix_calls()])
def test_np_matrix_is_refused(i):
    _, argument, call = matrix_calls()[i]
    with raises_naming(TypeError, argument, "np.matrix", "np.asarray"):
        call()


def test_relu_backward_of_a_converted_matrix_is_elementwise():
    Z = np.array([[1.0, -2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(d.relu_backward(np.asarray(np.asmatrix(Z)), Z), Z * (Z > 0))


# ---------------------------------------------------------------------------
# 2. masked arrays: the mask would be dropped (sigmoid) or the masked values counted (compute_cost)
# ---------------------------------------------------------------------------

def masked_calls():
    X, Y, P = small_problem()
    AL, caches = d.L_model_forward(X, P)
    mask = np.zeros(X.shape, bool)
    mask[0, 1] = True
    Xm = np.ma.array(X, mask=mask)
    return [
        ("compute_cost", "AL", lambda: d.compute_cost(np.ma.array(AL, mask=[[0, 1, 0, 0]]), Y)),
        ("compute_cost", "Y", lambda: d.compute_cost(AL, np.ma.array(Y, mask=[[0, 1, 0, 0]]))),
        ("sigmoid", "Z", lambda: d.sigmoid(Xm)),
        ("relu", "Z", lambda: d.relu(Xm)),
        ("linear_forward", "A", lambda: d.linear_forward(Xm, P["W1"], P["b1"])),
        ("L_model_forward", "X", lambda: d.L_model_forward(Xm, P)),
        ("L_model_forward", "b1", lambda: d.L_model_forward(X, {**P, "b1": np.ma.array(P["b1"], mask=True)})),
        ("predict", "X", lambda: d.predict(Xm, P)),
        ("accuracy", "Y", lambda: d.accuracy(Y, np.ma.array(Y, mask=[[0, 1, 0, 0]]))),
        ("L_layer_model", "X", lambda: d.L_layer_model(Xm, Y, [2, 3, 1], num_iterations=2)),
        ("two_layer_model_fast", "X", lambda: d.two_layer_model_fast(Xm, Y, (2, 3, 1), num_iterations=2)),
    ]


@pytest.mark.parametrize("i", range(len(masked_calls())), ids=[f"{f}:{a}" for f, a, _ in masked_calls()])
def test_masked_arrays_are_refused(i):
    _, argument, call = masked_calls()[i]
    with raises_naming(TypeError, argument, "masked array", "filled", "drop"):
        call()


# ---------------------------------------------------------------------------
# 3. integers that would wrap around are computed in float64; float16 is refused
# ---------------------------------------------------------------------------

def test_uint8_linear_forward_does_not_wrap_around():
    A = np.full((2, 3), 200, np.uint8)
    W = np.full((1, 2), 2, np.uint8)
    b = np.zeros((1, 1), np.uint8)
    Z, _ = d.linear_forward(A, W, b)
    np.testing.assert_array_equal(Z, [[800.0, 800.0, 800.0]])  # not (200·2 + 200·2) mod 256 = 32
    A_act, _ = d.linear_activation_forward(A, W, b, "relu")
    np.testing.assert_array_equal(A_act, [[800.0, 800.0, 800.0]])


def test_integer_network_forward_matches_float():
    X = np.full((2, 3), 200, np.uint8)
    P = {"W1": np.full((2, 2), 3, np.int8), "b1": np.ones((2, 1), np.int8),
         "W2": np.array([[-1, 1]], np.int8), "b2": np.zeros((1, 1), np.int8)}
    AL, _ = d.L_model_forward(X, P)
    Pf = {k: v.astype(np.float64) for k, v in P.items()}
    expected, _ = d.L_model_forward(X.astype(np.float64), Pf)
    np.testing.assert_array_equal(AL, expected)


def test_integer_backward_does_not_wrap_around():
    A_prev = np.full((2, 2), 100, np.int8)
    W = np.full((1, 2), 100, np.int8)
    b = np.zeros((1, 1), np.int8)
    dZ = np.full((1, 2), 100, np.int8)
    dA_prev, dW, db = d.linear_backward(dZ, (A_prev, W, b))
    np.testing.assert_allclose(dW, [[10000.0, 10000.0]])  # 100·100·2 / 2, not int8 garbage
    np.testing.assert_allclose(dA_prev, np.full((2, 2), 10000.0))
    np.testing.assert_allclose(db, [[100.0]])
    dA_prev2, dW2, _ = d.linear_activation_backward(dZ, ((A_prev, W, b), np.ones((1, 2))), "relu")
    np.testing.assert_allclose(dW2, dW)
    np.testing.assert_allclose(dA_prev2, dA_prev)


def test_small_integers_stay_as_given():
    A = np.arange(6, dtype=np.int64).reshape(2, 3)
    W = np.ones((1, 2), np.int64)
    b = np.zeros((1, 1), np.int64)
    Z, cache = d.linear_forward(A, W, b)
    assert cache[0] is A and Z.dtype == np.int64
    np.testing.assert_array_equal(Z, [[3, 5, 7]])


@pytest.mark.parametrize("where", ["A", "W", "b"])
def test_float16_is_refused_in_linear_forward(where):
    args = {"A": np.full((2, 3), 300.0), "W": np.full((1, 2), 300.0), "b": np.zeros((1, 1))}
    args[where] = args[where].astype(np.float16)
    with raises_naming(TypeError, where, "float16", "float64", "overflow"):
        d.linear_forward(args["A"], args["W"], args["b"])


def test_float16_is_refused_in_the_course_functions_and_the_fast_path():
    X, Y, P = small_problem()
    with raises_naming(TypeError, "W1", "float16", "float64"):
        d.L_model_forward(X, {**P, "W1": P["W1"].astype(np.float16)})
    with raises_naming(TypeError, "X", "float16", "float64"):
        d.L_layer_model(X.astype(np.float16), Y, [2, 3, 1], num_iterations=2)
    with raises_naming(TypeError, "dtype", "float16", "float64"):
        d.L_layer_model_fast(X, Y, [2, 3, 1], num_iterations=2, dtype=np.float16)
    with raises_naming(TypeError, "AL", "float16"):
        d.compute_cost(np.full((1, 4), 0.5, np.float16), Y)


# ---------------------------------------------------------------------------
# 4. no examples (m = 0): the divisions by m would give NaN gradients
# ---------------------------------------------------------------------------

def test_no_examples_are_refused_where_m_divides():
    X0, Y0 = np.zeros((2, 0)), np.zeros((1, 0))
    P = d.initialize_parameters([2, 3, 1], seed=1)
    cache = (X0, P["W1"], P["b1"])
    with raises_naming(ValueError, "A_prev", "no examples", "m = 0", "NaN"):
        d.linear_backward(np.zeros((3, 0)), cache)
    with raises_naming(ValueError, "A_prev", "no examples", "m = 0"):
        d.linear_activation_backward(np.zeros((3, 0)), (cache, np.zeros((3, 0))), "relu")
    for call in (lambda: d.compute_cost(np.zeros((1, 0)), Y0),
                 lambda: d.L_model_backward(np.zeros((1, 0)), Y0, d.L_model_forward(X0, P)[1]),
                 lambda: d.L_layer_model(X0, Y0, [2, 3, 1], num_iterations=2),
                 lambda: d.two_layer_model(X0, Y0, (2, 3, 1), num_iterations=2),
                 lambda: d.L_layer_model_fast(X0, Y0, [2, 3, 1], num_iterations=2)):
        with raises_naming(ValueError, "Y", "no examples"):
            call()


# ---------------------------------------------------------------------------
# 9. predict: NaN outputs (inputs that overflow the network) are an error, not zeros
# ---------------------------------------------------------------------------

def overflowing():
    X = np.full((2, 3), 1e308)
    P = {"W1": np.ones((2, 2)), "b1": np.zeros((2, 1)), "W2": np.array([[1.0, -1.0]]), "b2": np.zeros((1, 1))}
    return X, P  # A1 = inf in both units, then inf - inf = NaN


def test_predict_refuses_nan_outputs():
    X, P = overflowing()
    with raises_naming(ValueError, "outputs", "not finite", "overflow", "X"):
        d.predict(X, P)


def test_predict_shows_only_its_own_error_no_numpy_warning():
    X, P = overflowing()
    before = np.geterr()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(ValueError):
            d.predict(X, P)
    assert [str(w.message) for w in caught] == []
    assert np.geterr() == before  # numpy's settings are the caller's again


def test_L_model_forward_refuses_nan_outputs_at_the_boundary():
    X, P = overflowing()
    with raises_naming(ValueError, "AL", "not finite", "overflow"):
        d.L_model_forward(X, P)


def test_predict_of_healthy_inputs_unchanged():
    X, Y, P = small_problem(m=6)
    AL, _ = d.L_model_forward(X, P)
    np.testing.assert_array_equal(d.predict(X, P), (AL > 0.5).astype(np.int64))


# ---------------------------------------------------------------------------
# 10. the arguments of sigmoid and relu, seeds, layer sizes
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("fn", ["sigmoid", "relu"])
@pytest.mark.parametrize("Z, facts", [
    ([1.0, -2.0], ("Z", "numpy array", "list")),
    ("abc", ("Z", "numpy array", "str")),
    (np.array([1 + 1j, -2j]), ("Z", "real numbers", "complex")),
    (1 + 2j, ("Z", "numpy array", "complex")),
    (np.array(["a", "b"]), ("Z", "numbers", "<U1")),
], ids=["list", "str", "complex array", "complex number", "strings"])
def test_sigmoid_relu_refuse_what_is_not_real_numbers(fn, Z, facts):
    with raises_naming(TypeError, *facts):
        getattr(d, fn)(Z)


@pytest.mark.parametrize("fn", ["sigmoid", "relu"])
def test_sigmoid_relu_of_real_inputs_unchanged(fn):
    Z = np.array([[-700.0, -1.0, 0.0, 2.5, 40.0]])
    A, cache = getattr(d, fn)(Z)
    A_plain, _ = getattr(d, fn).unchecked(Z)
    np.testing.assert_array_equal(A, A_plain)
    assert cache is Z
    assert float(getattr(d, fn)(0.0)[0]) == (0.5 if fn == "sigmoid" else 0.0)
    A32, _ = getattr(d, fn)(Z.astype(np.float32))
    assert A32.dtype == np.float32


@pytest.mark.parametrize("seed", ["abc", -1, 1.5, True])
def test_bad_seeds_are_refused(seed):
    with raises_naming(ValueError, "seed", "whole number", repr(seed)):
        d.initialize_parameters([2, 3, 1], seed=seed)
    with raises_naming(ValueError, "seed", repr(seed)):
        d.L_layer_model(*small_problem()[:2], [2, 3, 1], num_iterations=1, seed=seed)


@pytest.mark.parametrize("dims", [[2.5, 3], [2, 3.0000001, 1], [2, "3", 1]])
def test_non_integer_layer_dims_are_refused(dims):
    with raises_naming(ValueError, "layer_dims", "positive integers", repr(dims)):
        d.initialize_parameters(dims, seed=1)


def test_assert_names_helper_sees_the_fact():
    assert_names(ValueError("Z must be a numpy array, found list"), "Z", "list")
