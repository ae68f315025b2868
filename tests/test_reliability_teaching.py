"""Issue 15, direct calls of the teaching functions: every bad input is a clear error naming
what was expected and what was found; never a raw numpy error, a silent broadcast, a bare
KeyError, or a silent NaN. Lists are refused (not converted): "must be a numpy array, found list"."""
import numpy as np
import pytest

import dnn_checks
import dnn_utils as d

RNG = np.random.default_rng(0)
X = RNG.standard_normal((4, 3))
Y = np.array([[0, 1, 1]])
P = d.initialize_parameters([4, 3, 2, 1], seed=0)
AL, CACHES = d.L_model_forward(X, P)
GRADS = d.L_model_backward(AL, Y, CACHES)
_, CACHES5 = d.L_model_forward(RNG.standard_normal((4, 5)), P)   # a forward pass of 5 examples
A2, W2, b2 = np.ones((4, 2)), np.ones((3, 4)), np.ones((3, 1))


def with_value(A, value, where=(0, 0)):
    A = np.array(A, dtype=np.result_type(A, type(value)))
    A[where] = value
    return A


def params(**changes):
    return {**{k: v.copy() for k, v in P.items()}, **changes}


def grads(**changes):
    return {**{k: v.copy() for k, v in GRADS.items()}, **changes}


def read_only(A):
    A = A.copy()
    A.flags.writeable = False
    return A


CASES = {
    # lists are refused, with the conversion named
    "linear_forward A list": (lambda: d.linear_forward(A2.tolist(), W2, b2), TypeError,
                              r"A must be a numpy array \(n\[l-1\], m\), found list; convert it with np.array"),
    "linear_forward W list": (lambda: d.linear_forward(A2, W2.tolist(), b2), TypeError, "W must be a numpy array .*found list"),
    "linear_forward b tuple": (lambda: d.linear_forward(A2, W2, (1.0, 1.0, 1.0)), TypeError, "b must be a numpy array .*found tuple"),
    "linear_forward A None": (lambda: d.linear_forward(None, W2, b2), TypeError, "A must be a numpy array .*found NoneType"),
    "L_model_forward X list": (lambda: d.L_model_forward(X.tolist(), P), TypeError, r"X must be a numpy array \(n_x, m\), found list"),
    "L_model_forward W list": (lambda: d.L_model_forward(X, params(W2=P["W2"].tolist())), TypeError, "W2 must be a numpy array, found list"),
    "linear_activation_forward list": (lambda: d.linear_activation_forward(A2.tolist(), W2, b2, "relu"), TypeError, "found list"),
    "relu_backward dA list": (lambda: d.relu_backward([[1.0, 2.0]], np.ones((1, 2))), TypeError, "dA must be a numpy array, found list"),
    "sigmoid_backward Z list": (lambda: d.sigmoid_backward(np.ones((1, 2)), [[1.0, 2.0]]), TypeError, "the cache Z must be a numpy array"),
    # complex numbers: relu would compare them, sigmoid take |Z|
    "linear_forward complex A": (lambda: d.linear_forward(A2 + 1j, W2, b2), TypeError, "A must hold real numbers, found complex dtype complex128"),
    "L_model_forward complex X": (lambda: d.L_model_forward(X + 0j, P), TypeError, "X must hold real numbers, found complex"),
    "L_model_forward complex W": (lambda: d.L_model_forward(X, params(W1=P["W1"] + 1j)), TypeError, "W1 must hold real numbers"),
    "relu_backward complex Z": (lambda: d.relu_backward(np.ones((2, 2)), np.ones((2, 2)) * 1j), TypeError, "Z must hold real numbers"),
    "sigmoid_backward complex dA": (lambda: d.sigmoid_backward(np.ones((2, 2)) + 1j, np.ones((2, 2))), TypeError, "dA must hold real numbers"),
    "compute_cost complex AL": (lambda: d.compute_cost(AL + 0j, Y), TypeError, "AL must hold real numbers"),
    "L_layer_model complex X": (lambda: d.L_layer_model(X + 0j, Y, [4, 1]), TypeError, "X must hold real numbers"),
    "update_parameters complex dW": (lambda: d.update_parameters(params(), grads(dW1=GRADS["dW1"] + 1j), 0.1), TypeError, "dW1 must hold real numbers"),
    "L_model_forward string X": (lambda: d.L_model_forward(np.full((4, 3), "a"), P), TypeError, "X must hold numbers, found dtype <U1"),
    # NaN / inf where they would silently give NaN
    "L_model_forward NaN X": (lambda: d.L_model_forward(with_value(X, np.nan), P), ValueError, "X contains NaN or inf"),
    "L_model_forward inf X": (lambda: d.L_model_forward(with_value(X, -np.inf, (3, 2)), P), ValueError, "X contains NaN or inf"),
    "L_model_forward NaN W2": (lambda: d.L_model_forward(X, params(W2=with_value(P["W2"], np.nan))), ValueError,
                               r"W2 contains NaN or inf; the parameters are broken \(did training diverge\?\)"),
    "L_model_forward inf b3": (lambda: d.L_model_forward(X, params(b3=with_value(P["b3"], np.inf))), ValueError, "b3 contains NaN or inf"),
    "linear_forward NaN A": (lambda: d.linear_forward(with_value(A2, np.nan), W2, b2), ValueError, r"A contains NaN or inf; Z = W·A \+ b would be NaN"),
    "linear_forward inf b": (lambda: d.linear_forward(A2, W2, with_value(b2, np.inf)), ValueError, "b contains NaN or inf"),
    "linear_activation_forward NaN W": (lambda: d.linear_activation_forward(A2, with_value(W2, np.nan), b2, "sigmoid"), ValueError, "W contains NaN"),
    # L_model_backward's caches
    "caches empty": (lambda: d.L_model_backward(AL, Y, []), ValueError, "caches is empty: pass the list of L caches that L_model_forward returned"),
    "caches a dict": (lambda: d.L_model_backward(AL, Y, {"1": CACHES[0]}), TypeError, "caches must be the list of caches .*found dict"),
    "caches one short": (lambda: d.L_model_backward(AL, Y, CACHES[:-1]), ValueError,
                         r"the last of the 2 caches has Z of shape \(2, 3\), but the output layer's Z is \(1, m\)"),
    "caches reversed": (lambda: d.L_model_backward(AL, Y, CACHES[::-1]), ValueError, r"the last of the 3 caches has Z of shape \(3, 3\)"),
    "caches out of order": (lambda: d.L_model_backward(AL, Y, [CACHES[1], CACHES[0], CACHES[2]]), ValueError,
                            r"the caches do not chain: layer 3's A_prev has 2 rows but layer 2's W has 3"),
    "caches with one extra": (lambda: d.L_model_backward(AL, Y, CACHES + [CACHES[-1]]), ValueError, "do not chain"),
    "caches of another batch": (lambda: d.L_model_backward(AL, Y, CACHES5), ValueError,
                                r"caches\[2\] \(layer 3\) holds 5 examples but AL has 3"),
    "cache only linear": (lambda: d.L_model_backward(AL, Y, [CACHES[0], CACHES[1], CACHES[2][0]]), ValueError,
                          r"caches\[2\] \(layer 3\) must be the \(\(A_prev, W, b\), Z\) tuple .*found tuple of length 3"),
    "cache None": (lambda: d.L_model_backward(AL, Y, [None, CACHES[1], CACHES[2]]), ValueError, r"caches\[0\] \(layer 1\) .*found NoneType"),
    "cache Z wrong": (lambda: d.L_model_backward(AL, Y, [CACHES[0], CACHES[1], (CACHES[2][0], np.ones((1, 4)))]), ValueError,
                      r"caches\[2\] \(layer 3\)'s Z must be \(n\[l\], m\) = \(1, 3\)"),
    "cache W list": (lambda: d.L_model_backward(AL, Y, [CACHES[0], CACHES[1], ((CACHES[2][0][0], [[1.0, 1.0]], CACHES[2][0][2]), CACHES[2][1])]),
                     TypeError, r"caches\[2\] \(layer 3\)\[0\]'s W must be a numpy array, found list"),
    # the backward helpers: equal shapes, never broadcasting
    "relu_backward broadcast row": (lambda: d.relu_backward(np.ones((1, 3)), np.ones((4, 3))), ValueError,
                                    r"same shape, found \(1, 3\) and \(4, 3\) \(no broadcasting"),
    "sigmoid_backward broadcast column": (lambda: d.sigmoid_backward(np.ones((4, 1)), np.ones((4, 3))), ValueError, r"found \(4, 1\) and \(4, 3\)"),
    "sigmoid_backward scalar dA": (lambda: d.sigmoid_backward(np.float64(1.0), np.ones((4, 3))), TypeError, "dA must be a numpy array, found float64"),
    "linear_activation_backward dA": (lambda: d.linear_activation_backward(np.ones((2, 1)), CACHES[1], "relu"), ValueError,
                                      r"dA must be \(n\[l\], m\) = \(2, 3\), the shape of the cache's Z, found \(2, 1\)"),
    "linear_activation_backward cache": (lambda: d.linear_activation_backward(np.ones((2, 3)), CACHES[1][0], "relu"), ValueError,
                                         r"\(\(A_prev, W, b\), Z\) tuple"),
    "linear_backward cache list": (lambda: d.linear_backward(np.ones((2, 3)), list(CACHES[1][0])), ValueError,
                                   r"\(A_prev, W, b\) tuple that linear_forward returned, found list of length 3"),
    "linear_backward cache shapes": (lambda: d.linear_backward(np.ones((2, 3)), (np.ones((3, 3)), np.ones((2, 4)), np.ones((2, 1)))), ValueError,
                                     r"A_prev \(n\[l-1\], m\), W \(n\[l\], n\[l-1\]\), b \(n\[l\], 1\); found A_prev \(3, 3\), W \(2, 4\)"),
    "linear_backward dZ list": (lambda: d.linear_backward([[1.0] * 3] * 2, CACHES[1][0]), TypeError, "dZ must be a numpy array, found list"),
    # update_parameters: int or read-only W, NaN grads; nothing is changed
    "update int W": (lambda: d.update_parameters(params(W2=np.ones((2, 3), dtype=np.int64)), grads(), 0.1), TypeError,
                     r"W2 must be a floating-point array to be updated in place .*found dtype int64"),
    "update bool b": (lambda: d.update_parameters(params(b1=np.zeros((3, 1), bool)), grads(), 0.1), TypeError, "b1 must be a floating-point array"),
    "update read-only W": (lambda: d.update_parameters(params(W3=read_only(P["W3"])), grads(), 0.1), ValueError,
                           r"W3 is read-only \(its flags.writeable is False"),
    "update NaN dW": (lambda: d.update_parameters(params(), grads(dW2=with_value(GRADS["dW2"], np.nan)), 0.1), ValueError,
                      "dW2 contains NaN or inf; the backward pass overflowed: try a smaller learning rate"),
    "update inf db": (lambda: d.update_parameters(params(), grads(db1=with_value(GRADS["db1"], np.inf)), 0.1), ValueError, "db1 contains NaN or inf"),
    "update list dW": (lambda: d.update_parameters(params(), grads(dW1=GRADS["dW1"].tolist()), 0.1), TypeError, "dW1 must be a numpy array, found list"),
    "update NaN W": (lambda: d.update_parameters(params(W1=with_value(P["W1"], np.nan)), grads(), 0.1), ValueError, "W1 contains NaN or inf"),
    "update grads list": (lambda: d.update_parameters(params(), [GRADS], 0.1), TypeError, "grads must be the dict that L_model_backward returned, found list"),
    "update extra key": (lambda: d.update_parameters(params(W4=np.ones((1, 1))), grads(), 0.1), ValueError, r"missing \['b4'\]"),
    "update extra name": (lambda: d.update_parameters({**params(), "lr": 0.1}, grads(), 0.1), ValueError, r"only W1, b1, \.\.\., WL, bL; found also \['lr'\]"),
}


@pytest.mark.parametrize("case", CASES)
def test_direct_call_has_clear_error(case):
    call, exc, match = CASES[case]
    with np.errstate(all="raise"), pytest.raises(exc, match=match):
        call()


@pytest.mark.parametrize("key, value", [("W2", np.ones((2, 3), dtype=np.int64)), ("W3", read_only(P["W3"])),
                                        ("b3", with_value(P["b3"], np.nan))])
def test_refused_update_changes_nothing(key, value):
    """The checks run before the first W -= ...: a refused update leaves every array as it was."""
    p = params(**{key: value})
    before = {k: v.copy() for k, v in p.items()}
    with pytest.raises((TypeError, ValueError)):
        d.update_parameters(p, grads(), 0.1)
    for k in p:
        np.testing.assert_array_equal(p[k], before[k])


def test_integer_and_bool_inputs_are_accepted():
    """Refusing complex and lists must not refuse real numbers of other dtypes."""
    Xi = (X * 3).astype(np.int64)
    AL_int, _ = d.L_model_forward(Xi, P)
    AL_float, _ = d.L_model_forward(Xi.astype(float), P)
    np.testing.assert_array_equal(AL_int, AL_float)
    AL_bool, _ = d.L_model_forward(X > 0, P)
    assert AL_bool.shape == (1, 3)
    p32 = {k: v.astype(np.float32) for k, v in P.items()}
    d.update_parameters(p32, GRADS, 0.1)  # float64 grads into float32 W: a same-kind cast
    assert all(v.dtype == np.float32 for v in p32.values())


def test_data_is_scanned_once_per_call(monkeypatch):
    """The NaN/inf scans read X and each parameter once per L_model_forward call, not once per
    nested linear_forward: checks stay cheap next to the algorithm."""
    scanned = []
    real = dnn_checks.all_finite
    monkeypatch.setattr(dnn_checks, "all_finite", lambda A: scanned.append(A.shape) or real(A))
    d.L_model_forward(X, P)
    assert sorted(scanned) == sorted([X.shape] + [v.shape for v in P.values()])
    scanned.clear()
    d.linear_forward(A2, W2, b2)  # called directly, it scans its own inputs
    assert sorted(scanned) == sorted([A2.shape, W2.shape, b2.shape])


def test_large_finite_values_are_not_taken_for_inf():
    """all_finite sums the array first: a sum that overflows must not be reported as inf."""
    big = np.full((400, 400), 1e308)
    assert dnn_checks.all_finite(big)
    assert not dnn_checks.all_finite(with_value(big, np.nan, (399, 399)))
    assert not dnn_checks.all_finite(with_value(np.zeros((400, 400)), -np.inf, (5, 7)))
