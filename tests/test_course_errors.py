"""dnn_utils, the course functions, on bad inputs: each gets a ValueError or TypeError whose
message names the argument at fault, what was expected and what was found; never a raw numpy
error, a silent broadcast, a bare KeyError, a silent NaN or a silently wrong number.

* the model-level inputs: layer dims, X against Y, labels, NaN/inf, learning rate, iteration
  counts, parameters missing a layer or inconsistent, shapes, the initialization scale;
* the building blocks called directly, as a learner does: lists are refused, not converted
  ("must be a numpy array, found list"), and so are complex numbers, caches that do not come
  from one forward pass, arrays update_parameters cannot update in place;
* inputs that used to give a wrong number in silence: NaN parameters in predict, images scaled
  twice, integer weights, probabilities passed to accuracy.

The facts each message must name are checked, not its wording (tests/helpers.py, assert_names).
Bad arguments to gradient_check and the parameter vectors: tests/test_gradcheck.py; to the
plots: tests/test_plots.py; to the data and file functions: tests/test_data.py, tests/test_files.py.
"""
import numpy as np
import pytest

import dnn_utils as d
from tests.helpers import Exact, case_id, raises_naming

NAN, INF = float("nan"), float("inf")


def params_of(dims):
    return d.initialize_parameters(dims, seed=0)


def without(params, *keys):
    return {k: v for k, v in params.items() if k not in keys}


def ids(cases):
    return [case_id(exc, facts) for _, exc, facts in cases]


# ---------------------------------------------------------------------------
# The model-level inputs
# ---------------------------------------------------------------------------

X4 = np.ones((4, 3))
Y3 = np.array([[0, 1, 1]])
P = params_of([4, 3, 2, 1])
AL3 = np.array([[0.2, 0.7, 0.9]])
ZERO_GRADS = {"d" + k: np.zeros_like(v) for k, v in P.items()}


def x_with(value):
    X = X4.copy()
    X[1, 2] = value
    return X


CASES = [
    # (call, exception type, facts its message names)
    # layer_dims
    *[(lambda dims=dims: d.initialize_parameters(dims), ValueError,
       ("layer_dims", "at least two", "positive integers", repr(dims)))
      for dims in ([], [5], [3, 0, 1], [3, 2.5, 1], [3, -2, 1], "abc", None, 7)],
    (lambda: d.L_layer_model(X4, Y3, [4, 0, 1]), ValueError, ("layer_dims", "positive integers", "[4, 0, 1]")),
    (lambda: d.two_layer_model(X4, Y3, None), ValueError, ("layer_dims", "positive integers", "None")),
    (lambda: d.two_layer_model(X4, Y3, [4, 3, 2, 1]), ValueError, ("layers_dims", "(n_x, n_h, n_y)", "[4, 3, 2, 1]")),
    # layer_dims vs X
    (lambda: d.L_layer_model(X4, Y3, [5, 3, 1]), ValueError, ("layers_dims", "n_x = 4", "rows of X", "[5, 3, 1]")),
    (lambda: d.L_layer_model(X4, Y3, [4, 3, 2]), ValueError, ("layers_dims", "1 output unit", "[4, 3, 2]")),
    # X vs Y
    (lambda: d.L_layer_model(X4, np.array([[0, 1]]), [4, 1]), ValueError, ("X has 3 examples", "Y has 2")),
    (lambda: d.compute_cost(AL3, np.array([[0, 1]])), ValueError, ("AL has 3 examples", "Y has 2")),
    (lambda: d.L_model_backward(AL3, np.array([[0, 1]]), []), ValueError, ("Y", "shape of AL", "(1, 3)", "(1, 2)")),
    (lambda: d.L_layer_model(X4, Y3.ravel(), [4, 1]), ValueError, ("Y", "2-D", "(3,)")),
    (lambda: d.L_layer_model(X4, np.array([[0, 1, 1]] * 2), [4, 1]), ValueError, ("Y", "1 rows", "(2, 3)")),
    (lambda: d.compute_cost(np.zeros((1, 0)), np.zeros((1, 0))), ValueError, ("Y", "no examples", "(1, 0)")),
    # labels outside {0, 1}
    (lambda: d.L_layer_model(X4, np.array([[0, 2, 1]]), [4, 1]), ValueError, ("labels", "0 or 1", "[2]")),
    (lambda: d.compute_cost(AL3, np.array([[0, 0.5, 1]])), ValueError, ("labels", "0 or 1", "[0.5]")),
    (lambda: d.L_model_backward(AL3, np.array([[-1, 0, 1]]), []), ValueError, ("labels", "0 or 1", "[-1]")),
    # NaN / inf
    (lambda: d.L_layer_model(x_with(NAN), Y3, [4, 1]), ValueError, ("X", "NaN", "inf")),
    (lambda: d.L_layer_model(x_with(INF), Y3, [4, 1]), ValueError, ("X", "NaN", "inf")),
    (lambda: d.predict(x_with(-INF), P), ValueError, ("X", "NaN", "inf")),
    (lambda: d.L_layer_model(X4, np.array([[0, NAN, 1]]), [4, 1]), ValueError, ("Y", "NaN", "inf")),
    (lambda: d.compute_cost(np.array([[0.2, NAN, 0.9]]), Y3), ValueError, ("AL", "NaN", "inf")),
    (lambda: d.L_model_backward(np.array([[0.2, INF, 0.9]]), Y3, []), ValueError, ("AL", "NaN", "inf")),
    (lambda: d.compute_cost(np.array([[0.2, 1.5, 0.9]]), Y3), ValueError, ("AL", "probabilities", "[0, 1]")),
    # learning rate
    *[(lambda lr=lr: d.update_parameters(P, ZERO_GRADS, lr), ValueError, ("learning_rate", "positive", repr(lr)))
      for lr in (0, -0.1, NAN, INF, None, "0.1", True)],
    *[(lambda lr=lr: d.L_layer_model(X4, Y3, [4, 1], learning_rate=lr), ValueError,
       ("learning_rate", "positive", repr(lr)))
      for lr in (0, -1.0, NAN)],
    # iteration counts
    *[(lambda n=n: d.L_layer_model(X4, Y3, [4, 1], num_iterations=n), ValueError,
       ("num_iterations", "whole number", ">= 0", repr(n))) for n in (-1, 2.5, "10", None)],
    (lambda: d.L_layer_model_fast(X4, Y3, [4, 1], print_every=0), ValueError, ("print_every", ">= 1", "0")),
    # parameters missing a layer / inconsistent
    (lambda: d.L_model_forward(X4, without(P, "b2")), ValueError, ("parameters", "missing", "['b2']")),
    (lambda: d.L_model_forward(X4, without(P, "W2", "b2")), ValueError, ("parameters", "missing", "['W2', 'b2']")),
    (lambda: d.L_model_forward(X4, {}), ValueError, ("parameters", "W1, b1, ..., WL, bL", "missing", "['W1', 'b1']")),
    (lambda: d.L_model_forward(X4, [1, 2]), TypeError, ("parameters", "dict", "list")),
    (lambda: d.L_model_forward(X4, {**P, "W2": np.ones((2, 5))}), ValueError,
     ("W2", "5 columns", "layer 1", "3 units")),
    (lambda: d.L_model_forward(X4, {**P, "b1": np.ones(3)}), ValueError, ("b1", "(n_1, 1)", "(3, 4)", "(3,)")),
    (lambda: d.update_parameters(without(P, "b3"), ZERO_GRADS, 0.1), ValueError, ("parameters", "missing", "['b3']")),
    (lambda: d.update_parameters(P, without(ZERO_GRADS, "dW2"), 0.1), ValueError, ("grads", "missing", "['dW2']")),
    (lambda: d.update_parameters(P, {**ZERO_GRADS, "dW1": np.zeros(4)}, 0.1), ValueError,
     ("dW1", "shape of W1", "(3, 4)", "(4,)")),
    # X with the wrong number of rows, wrong shapes
    (lambda: d.L_model_forward(np.ones((5, 3)), P), ValueError, ("X", "(n_x, m)", "(4, m)", "(5, 3)")),
    (lambda: d.L_model_forward(np.ones(4), P), ValueError, ("X", "(4, m)", "(4,)")),
    (lambda: d.predict(np.ones((3, 2)), P), ValueError, ("X", "(4, m)", "W1", "(3, 2)")),
    (lambda: d.predict([[1.0] * 4], P), TypeError, ("X", "numpy array", "list")),
    (lambda: d.predict(np.array([["a"] * 2] * 4), P), TypeError, ("X", "numbers", "<U1")),
    (lambda: d.linear_forward(np.ones((3, 2)), np.ones((2, 4)), np.ones((2, 1))), ValueError,
     ("linear_forward", "(n_prev, m)", "(n, n_prev)", "(n, 1)", "A (3, 2)", "W (2, 4)")),
    (lambda: d.linear_forward(np.ones(4), np.ones((2, 4)), np.ones((2, 1))), ValueError, ("(n_prev, m)", "A (4,)")),
    (lambda: d.linear_forward(np.ones((4, 1)), np.ones((2, 4)), np.ones(2)), ValueError, ("(n, 1)", "b (2,)")),
    (lambda: d.linear_activation_forward(np.ones((4, 1)), np.ones((2, 4)), np.ones((2, 1)), "tanh"), ValueError,
     ("activation", "'relu'", "'sigmoid'", "'tanh'")),
    (lambda: d.accuracy(np.array([[1, 0, 1]]), np.array([[1, 0]])), ValueError,
     ("predictions", "Y", "same shape", "(1, 3)", "(1, 2)")),
    (lambda: d.accuracy(np.array([1, 0]), np.array([[1, 0]])), ValueError, ("predictions", "same shape", "(2,)")),
    (lambda: d.flatten_images(np.zeros((64, 64, 3))), ValueError,
     ("images", "(m, height, width, channels)", "(64, 64, 3)")),
    # backward steps: the same checks, attached with @checked
    (lambda: d.linear_activation_backward(np.ones((1, 2)), ((np.ones((3, 2)), np.ones((1, 3)), np.ones((1, 1))),
                                                            np.ones((1, 2))), "tanh"), ValueError,
     ("activation", "'relu'", "'sigmoid'", "'tanh'")),
    (lambda: d.linear_backward(np.ones((1, 5)), (np.ones((3, 2)), np.ones((1, 3)), np.ones((1, 1)))), ValueError,
     ("dZ", "(n[l], m)", "(1, 2)", "(1, 5)")),
    (lambda: d.relu_backward(np.ones((2, 3)), np.ones((3, 2))), ValueError,
     ("dA", "Z", "same shape", "(2, 3)", "(3, 2)")),
    (lambda: d.L_model_forward(X4, {**P, "extra": 1}), ValueError, ("parameters", "W1, b1, ..., WL, bL", "['extra']")),
    # initialization scale ('Xavier' is found beside the 'xavier' expected: its case is the fact)
    *[(lambda s=s: d.initial_parameters([3, 2, 1], scale=s), ValueError,
       ("scale", "'xavier'", "'he'", "positive", Exact(repr(s))))
      for s in ("big", "Xavier", 0, -0.01, NAN, INF, True, None)],
]


@pytest.mark.parametrize("call, exc, facts", CASES, ids=ids(CASES))
def test_bad_input_has_clear_error(call, exc, facts):
    with np.errstate(all="raise"), raises_naming(exc, *facts):
        call()


# ---------------------------------------------------------------------------
# The building blocks, called directly
# ---------------------------------------------------------------------------

RNG = np.random.default_rng(0)
X = RNG.standard_normal((4, 3))
Y = np.array([[0, 1, 1]])
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


DIRECT_CASES = {
    # lists are refused, with the conversion named
    "linear_forward A list": (lambda: d.linear_forward(A2.tolist(), W2, b2), TypeError,
                              ("A", "numpy array", "(n[l-1], m)", "list", "np.array")),
    "linear_forward W list": (lambda: d.linear_forward(A2, W2.tolist(), b2), TypeError, ("W", "numpy array", "list")),
    "linear_forward b tuple": (lambda: d.linear_forward(A2, W2, (1.0, 1.0, 1.0)), TypeError,
                               ("b", "numpy array", "tuple")),
    "linear_forward A None": (lambda: d.linear_forward(None, W2, b2), TypeError, ("A", "numpy array", "NoneType")),
    "L_model_forward X list": (lambda: d.L_model_forward(X.tolist(), P), TypeError,
                               ("X", "numpy array", "(n_x, m)", "list")),
    "L_model_forward W list": (lambda: d.L_model_forward(X, params(W2=P["W2"].tolist())), TypeError,
                               ("W2", "numpy array", "list")),
    "linear_activation_forward list": (lambda: d.linear_activation_forward(A2.tolist(), W2, b2, "relu"), TypeError,
                                       ("A", "numpy array", "list")),
    "relu_backward dA list": (lambda: d.relu_backward([[1.0, 2.0]], np.ones((1, 2))), TypeError,
                              ("dA", "numpy array", "list")),
    "sigmoid_backward Z list": (lambda: d.sigmoid_backward(np.ones((1, 2)), [[1.0, 2.0]]), TypeError,
                                ("cache", "Z", "numpy array", "list")),
    # complex numbers: relu would compare them, sigmoid take |Z|
    "linear_forward complex A": (lambda: d.linear_forward(A2 + 1j, W2, b2), TypeError,
                                 ("A", "real numbers", "complex128")),
    "L_model_forward complex X": (lambda: d.L_model_forward(X + 0j, P), TypeError, ("X", "real numbers", "complex")),
    "L_model_forward complex W": (lambda: d.L_model_forward(X, params(W1=P["W1"] + 1j)), TypeError,
                                  ("W1", "real numbers", "complex")),
    "relu_backward complex Z": (lambda: d.relu_backward(np.ones((2, 2)), np.ones((2, 2)) * 1j), TypeError,
                                ("Z", "real numbers", "complex")),
    "sigmoid_backward complex dA": (lambda: d.sigmoid_backward(np.ones((2, 2)) + 1j, np.ones((2, 2))), TypeError,
                                    ("dA", "real numbers", "complex")),
    "compute_cost complex AL": (lambda: d.compute_cost(AL + 0j, Y), TypeError, ("AL", "real numbers", "complex")),
    "L_layer_model complex X": (lambda: d.L_layer_model(X + 0j, Y, [4, 1]), TypeError,
                                ("X", "real numbers", "complex")),
    "update_parameters complex dW": (lambda: d.update_parameters(params(), grads(dW1=GRADS["dW1"] + 1j), 0.1),
                                     TypeError, ("dW1", "real numbers", "complex")),
    "L_model_forward string X": (lambda: d.L_model_forward(np.full((4, 3), "a"), P), TypeError,
                                 ("X", "numbers", "<U1")),
    # NaN / inf where they would silently give NaN
    "L_model_forward NaN X": (lambda: d.L_model_forward(with_value(X, np.nan), P), ValueError, ("X", "NaN", "inf")),
    "L_model_forward inf X": (lambda: d.L_model_forward(with_value(X, -np.inf, (3, 2)), P), ValueError,
                              ("X", "NaN", "inf")),
    # the likely cause is named: a diverged training
    "L_model_forward NaN W2": (lambda: d.L_model_forward(X, params(W2=with_value(P["W2"], np.nan))), ValueError,
                               ("W2", "NaN", "inf", "training diverge")),
    "L_model_forward inf b3": (lambda: d.L_model_forward(X, params(b3=with_value(P["b3"], np.inf))), ValueError,
                               ("b3", "NaN", "inf")),
    "linear_forward NaN A": (lambda: d.linear_forward(with_value(A2, np.nan), W2, b2), ValueError,
                             ("A", "NaN", "inf", "W·A + b")),
    "linear_forward inf b": (lambda: d.linear_forward(A2, W2, with_value(b2, np.inf)), ValueError, ("b", "NaN", "inf")),
    "linear_activation_forward NaN W": (lambda: d.linear_activation_forward(A2, with_value(W2, np.nan), b2,
                                                                            "sigmoid"), ValueError, ("W", "NaN")),
    # L_model_backward's caches
    "caches empty": (lambda: d.L_model_backward(AL, Y, []), ValueError, ("caches", "empty", "L_model_forward")),
    "caches a dict": (lambda: d.L_model_backward(AL, Y, {"1": CACHES[0]}), TypeError, ("caches", "list", "dict")),
    "caches one short": (lambda: d.L_model_backward(AL, Y, CACHES[:-1]), ValueError,
                         ("2 caches", "Z", "(2, 3)", "output layer", "(1, m)")),
    "caches reversed": (lambda: d.L_model_backward(AL, Y, CACHES[::-1]), ValueError, ("3 caches", "(3, 3)", "(1, m)")),
    "caches out of order": (lambda: d.L_model_backward(AL, Y, [CACHES[1], CACHES[0], CACHES[2]]), ValueError,
                            ("caches", "chain", "layer 3", "A_prev", "2 rows", "layer 2", "W has 3")),
    "caches with one extra": (lambda: d.L_model_backward(AL, Y, CACHES + [CACHES[-1]]), ValueError,
                              ("caches", "chain")),
    "caches of another batch": (lambda: d.L_model_backward(AL, Y, CACHES5), ValueError,
                                ("caches[2]", "layer 3", "5 examples", "AL has 3")),
    "cache only linear": (lambda: d.L_model_backward(AL, Y, [CACHES[0], CACHES[1], CACHES[2][0]]), ValueError,
                          ("caches[2]", "layer 3", "((A_prev, W, b), Z)", "tuple of length 3")),
    "cache None": (lambda: d.L_model_backward(AL, Y, [None, CACHES[1], CACHES[2]]), ValueError,
                   ("caches[0]", "layer 1", "NoneType")),
    "cache Z wrong": (lambda: d.L_model_backward(AL, Y, [CACHES[0], CACHES[1], (CACHES[2][0], np.ones((1, 4)))]),
                      ValueError, ("caches[2]", "layer 3", "Z", "(n[l], m)", "(1, 3)", "(1, 4)")),
    "cache W list": (lambda: d.L_model_backward(AL, Y, [CACHES[0], CACHES[1],
                                                        ((CACHES[2][0][0], [[1.0, 1.0]], CACHES[2][0][2]),
                                                         CACHES[2][1])]),
                     TypeError, ("caches[2]", "layer 3", "W", "numpy array", "list")),
    # the backward helpers: equal shapes, never broadcasting
    "relu_backward broadcast row": (lambda: d.relu_backward(np.ones((1, 3)), np.ones((4, 3))), ValueError,
                                    ("dA", "Z", "same shape", "(1, 3)", "(4, 3)", "no broadcasting")),
    "sigmoid_backward broadcast column": (lambda: d.sigmoid_backward(np.ones((4, 1)), np.ones((4, 3))), ValueError,
                                          ("dA", "Z", "same shape", "(4, 1)", "(4, 3)")),
    "sigmoid_backward scalar dA": (lambda: d.sigmoid_backward(np.float64(1.0), np.ones((4, 3))), TypeError,
                                   ("dA", "numpy array", "float64")),
    "linear_activation_backward dA": (lambda: d.linear_activation_backward(np.ones((2, 1)), CACHES[1], "relu"),
                                      ValueError, ("dA", "(n[l], m)", "(2, 3)", "Z", "(2, 1)")),
    "linear_activation_backward cache": (lambda: d.linear_activation_backward(np.ones((2, 3)), CACHES[1][0], "relu"),
                                         ValueError, ("cache", "((A_prev, W, b), Z)", "length 3")),
    "linear_backward cache list": (lambda: d.linear_backward(np.ones((2, 3)), list(CACHES[1][0])), ValueError,
                                   ("cache", "(A_prev, W, b)", "linear_forward", "list of length 3")),
    "linear_backward cache shapes": (lambda: d.linear_backward(np.ones((2, 3)), (np.ones((3, 3)), np.ones((2, 4)),
                                                                                 np.ones((2, 1)))), ValueError,
                                     ("cache", "A_prev", "(n[l-1], m)", "(n[l], n[l-1])", "(3, 3)", "(2, 4)")),
    "linear_backward dZ list": (lambda: d.linear_backward([[1.0] * 3] * 2, CACHES[1][0]), TypeError,
                                ("dZ", "numpy array", "list")),
    # update_parameters: int or read-only W, NaN grads; nothing is changed
    "update int W": (lambda: d.update_parameters(params(W2=np.ones((2, 3), dtype=np.int64)), grads(), 0.1), TypeError,
                     ("W2", "floating-point", "in place", "int64")),
    "update bool b": (lambda: d.update_parameters(params(b1=np.zeros((3, 1), bool)), grads(), 0.1), TypeError,
                      ("b1", "floating-point", "bool")),
    "update read-only W": (lambda: d.update_parameters(params(W3=read_only(P["W3"])), grads(), 0.1), ValueError,
                           ("W3", "read-only", "writeable")),
    # the likely cause is named: a learning rate too large
    "update NaN dW": (lambda: d.update_parameters(params(), grads(dW2=with_value(GRADS["dW2"], np.nan)), 0.1),
                      ValueError, ("dW2", "NaN", "inf", "smaller learning rate")),
    "update inf db": (lambda: d.update_parameters(params(), grads(db1=with_value(GRADS["db1"], np.inf)), 0.1),
                      ValueError, ("db1", "NaN", "inf")),
    "update list dW": (lambda: d.update_parameters(params(), grads(dW1=GRADS["dW1"].tolist()), 0.1), TypeError,
                       ("dW1", "numpy array", "list")),
    "update NaN W": (lambda: d.update_parameters(params(W1=with_value(P["W1"], np.nan)), grads(), 0.1), ValueError,
                     ("W1", "NaN", "inf")),
    "update grads list": (lambda: d.update_parameters(params(), [GRADS], 0.1), TypeError,
                          ("grads", "dict", "L_model_backward", "list")),
    "update extra key": (lambda: d.update_parameters(params(W4=np.ones((1, 1))), grads(), 0.1), ValueError,
                         ("parameters", "missing", "['b4']")),
    "update extra name": (lambda: d.update_parameters({**params(), "lr": 0.1}, grads(), 0.1), ValueError,
                          ("parameters", "W1, b1, ..., WL, bL", "['lr']")),
}


@pytest.mark.parametrize("case", DIRECT_CASES)
def test_direct_call_has_clear_error(case):
    call, exc, facts = DIRECT_CASES[case]
    with np.errstate(all="raise"), raises_naming(exc, *facts):
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


# ---------------------------------------------------------------------------
# Inputs that used to give a wrong number in silence
# ---------------------------------------------------------------------------

P3 = d.initialize_parameters([4, 3, 1], seed=0)
X5 = np.random.default_rng(0).standard_normal((4, 5))


def with_parameter(params, key, value):
    out = {k: v.copy() for k, v in params.items()}
    out[key].flat[0] = value
    return out


WRONG_RESULT_CASES = [
    # NaN / inf / complex in predict
    (lambda: d.predict(X5, with_parameter(P3, "W1", NAN)), ValueError, ("W1", "NaN", "inf")),
    (lambda: d.predict(X5, with_parameter(P3, "b2", INF)), ValueError, ("b2", "NaN", "inf")),
    (lambda: d.predict(np.where(X5 > 1, NAN, X5), P3), ValueError, ("X", "NaN", "inf")),
    (lambda: d.predict(X5.astype(complex) * 1j, P3), TypeError, ("X", "real numbers", "complex")),
    (lambda: d.predict(X5, {**P3, "W1": P3["W1"] + 0j}), TypeError, ("W1", "real numbers", "complex")),
    (lambda: d.predict(X5, P3, threshold=1.5), ValueError, ("threshold", "[0, 1]", "1.5")),
    (lambda: d.predict(X5, P3, threshold=NAN), ValueError, ("threshold", "[0, 1]", "nan")),
    # flatten_images on already-scaled, complex, out-of-range images; the likely cause is named
    (lambda: d.flatten_images(np.full((2, 4, 4, 3), 0.5)), ValueError, ("images", "[0, 1]", "scaled already")),
    (lambda: d.flatten_images(np.ones((2, 4, 4, 3), complex)), TypeError, ("images", "real numbers", "complex")),
    (lambda: d.flatten_images(np.full((2, 4, 4, 3), 300)), ValueError, ("images", "0..255", "300")),
    (lambda: d.flatten_images(np.full((2, 4, 4, 3), -1.0)), ValueError, ("images", "0..255", "-1.0")),
    (lambda: d.flatten_images(np.full((2, 4, 4, 3), NAN)), ValueError, ("images", "NaN")),
    (lambda: d.flatten_images(np.zeros((2, 4, 4, 3), bool)), TypeError, ("images", "0..255", "bool")),
    (lambda: d.L_layer_model_fast(np.zeros((3, 2)), np.array([[0, 1]]), [3, 1], dtype=np.int64), TypeError,
     ("dtype", "floating-point", "int64")),
    (lambda: d.flatten_images(np.zeros((12, 2))), ValueError, ("images", "(12, 2)", "flattened already")),
    # initialize_parameters with a non-float dtype: what it would do to the weights is named
    (lambda: d.initial_parameters([3, 2, 1], dtype=np.int64), TypeError,
     ("dtype", "floating-point", "int64", "random weights", "rounded")),
    (lambda: d.initial_parameters([3, 2, 1], dtype=bool), TypeError, ("dtype", "floating-point", "bool")),
    (lambda: d.initial_parameters([3, 2, 1], dtype=np.complex128), TypeError,
     ("dtype", "floating-point", "complex128")),
    (lambda: d.initial_parameters([3, 2, 1], dtype="banana"), TypeError, ("dtype", "floating-point", "'banana'")),
    (lambda: d.L_layer_model_fast(X5, np.array([[0, 1, 0, 1, 1]]), [4, 1], dtype=np.int32), TypeError,
     ("dtype", "floating-point", "int32")),
    # accuracy
    (lambda: d.accuracy(np.zeros((1, 0)), np.zeros((1, 0))), ValueError, ("accuracy", "no examples", "(1, 0)")),
    (lambda: d.accuracy(np.array([[0.2, 0.9]]), np.array([[0, 1]])), ValueError,
     ("predictions", "0/1 labels", "[0.2, 0.9]", "predict(")),
    (lambda: d.accuracy(np.array([[0, 1]]), np.array([[0, NAN]])), ValueError, ("Y", "NaN")),
    (lambda: d.accuracy(np.array([[0, 2]]), np.array([[0, 1]])), ValueError, ("predictions", "0/1 labels", "[2]")),
]


@pytest.mark.parametrize("call, exc, facts", WRONG_RESULT_CASES, ids=ids(WRONG_RESULT_CASES))
def test_input_that_would_give_a_wrong_result_is_refused(call, exc, facts):
    with raises_naming(exc, *facts):
        call()
