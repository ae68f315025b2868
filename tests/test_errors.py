"""Every bad input gets a ValueError/TypeError whose message says what was expected
and what was found: never a raw broadcast error, a bare KeyError or a silent NaN.
(File and dataset errors: tests/test_data_training.py.)"""
import numpy as np
import pytest

import dnn_utils as d

NAN, INF = float("nan"), float("inf")


def params_of(dims):
    return d.initialize_parameters(dims, seed=0)


def without(params, *keys):
    return {k: v for k, v in params.items() if k not in keys}


X4 = np.ones((4, 3))
Y3 = np.array([[0, 1, 1]])
P = params_of([4, 3, 2, 1])
AL3 = np.array([[0.2, 0.7, 0.9]])
GRADS = {"d" + k: np.zeros_like(v) for k, v in P.items()}


def x_with(value):
    X = X4.copy()
    X[1, 2] = value
    return X


CASES = [
    # layer_dims
    *[(lambda dims=dims: d.initialize_parameters(dims), ValueError,
       r"layer_dims must be a list of at least two positive integers")
      for dims in ([], [5], [3, 0, 1], [3, 2.5, 1], [3, -2, 1], "abc", None, 7)],
    (lambda: d.L_layer_model(X4, Y3, [4, 0, 1]), ValueError, "at least two positive integers"),
    (lambda: d.two_layer_model(X4, Y3, None), ValueError, "at least two positive integers"),
    (lambda: d.two_layer_model(X4, Y3, [4, 3, 2, 1]), ValueError, r"layers_dims = \(n_x, n_h, n_y\)"),
    # layer_dims vs X
    (lambda: d.L_layer_model(X4, Y3, [5, 3, 1]), ValueError, r"n_x = 4 \(the rows of X\)"),
    (lambda: d.L_layer_model(X4, Y3, [4, 3, 2]), ValueError, "end with 1 output unit"),
    # X vs Y
    (lambda: d.L_layer_model(X4, np.array([[0, 1]]), [4, 1]), ValueError, "X has 3 examples .* Y has 2"),
    (lambda: d.gradient_check(params_of([4, 1]), X4, np.array([[0, 1]])), ValueError, "X has 3 examples"),
    (lambda: d.compute_cost(AL3, np.array([[0, 1]])), ValueError, "AL has 3 examples .* Y has 2"),
    (lambda: d.L_model_backward(AL3, np.array([[0, 1]]), []), ValueError, r"Y must have the shape of AL \(1, 3\)"),
    (lambda: d.L_layer_model(X4, Y3.ravel(), [4, 1]), ValueError, r"Y must be 2-D .* found shape \(3,\)"),
    (lambda: d.L_layer_model(X4, np.array([[0, 1, 1]] * 2), [4, 1]), ValueError, r"Y must have 1 rows"),
    (lambda: d.compute_cost(np.zeros((1, 0)), np.zeros((1, 0))), ValueError, "no examples"),
    # labels outside {0, 1}
    (lambda: d.L_layer_model(X4, np.array([[0, 2, 1]]), [4, 1]), ValueError, r"labels must be 0 or 1, found \[2\]"),
    (lambda: d.compute_cost(AL3, np.array([[0, 0.5, 1]])), ValueError, r"0 or 1, found \[0.5\]"),
    (lambda: d.L_model_backward(AL3, np.array([[-1, 0, 1]]), []), ValueError, r"0 or 1, found \[-1\]"),
    # NaN / inf
    (lambda: d.L_layer_model(x_with(NAN), Y3, [4, 1]), ValueError, "X contains NaN or inf"),
    (lambda: d.L_layer_model(x_with(INF), Y3, [4, 1]), ValueError, "X contains NaN or inf"),
    (lambda: d.predict(x_with(-INF), P), ValueError, "X contains NaN or inf"),
    (lambda: d.L_layer_model(X4, np.array([[0, NAN, 1]]), [4, 1]), ValueError, "Y contains NaN or inf"),
    (lambda: d.compute_cost(np.array([[0.2, NAN, 0.9]]), Y3), ValueError, "AL contains NaN or inf"),
    (lambda: d.L_model_backward(np.array([[0.2, INF, 0.9]]), Y3, []), ValueError, "AL contains NaN or inf"),
    (lambda: d.compute_cost(np.array([[0.2, 1.5, 0.9]]), Y3), ValueError, r"probabilities in \[0, 1\]"),
    # learning rate
    *[(lambda lr=lr: d.update_parameters(P, GRADS, lr), ValueError, "learning_rate must be a positive number")
      for lr in (0, -0.1, NAN, INF, None, "0.1", True)],
    *[(lambda lr=lr: d.L_layer_model(X4, Y3, [4, 1], learning_rate=lr), ValueError, "learning_rate must be a positive")
      for lr in (0, -1.0, NAN)],
    # iteration counts
    *[(lambda n=n: d.L_layer_model(X4, Y3, [4, 1], num_iterations=n), ValueError,
       "num_iterations must be a whole number >= 0") for n in (-1, 2.5, "10", None)],
    (lambda: d.L_layer_model(X4, Y3, [4, 1], print_every=0), ValueError, "print_every must be a whole number >= 1"),
    # parameters missing a layer / inconsistent
    (lambda: d.L_model_forward(X4, without(P, "b2")), ValueError, r"missing \['b2'\]"),
    (lambda: d.L_model_forward(X4, without(P, "W2", "b2")), ValueError, r"missing \['W2', 'b2'\]"),
    (lambda: d.L_model_forward(X4, {}), ValueError, r"W1, b1, \.\.\., WL, bL; missing \['W1', 'b1'\]"),
    (lambda: d.L_model_forward(X4, [1, 2]), TypeError, "parameters must be a dict"),
    (lambda: d.L_model_forward(X4, {**P, "W2": np.ones((2, 5))}), ValueError, "W2 has 5 columns but layer 1 has 3 units"),
    (lambda: d.L_model_forward(X4, {**P, "b1": np.ones(3)}), ValueError, r"b1 \(n_1, 1\); found W1 \(3, 4\) and b1 \(3,\)"),
    (lambda: d.update_parameters(without(P, "b3"), GRADS, 0.1), ValueError, r"missing \['b3'\]"),
    (lambda: d.update_parameters(P, without(GRADS, "dW2"), 0.1), ValueError, r"grads is missing \['dW2'\]"),
    (lambda: d.update_parameters(P, {**GRADS, "dW1": np.zeros(4)}, 0.1), ValueError,
     r"dW1 must have the shape of W1 \(3, 4\), found \(4,\)"),
    (lambda: d.parameters_to_vector(without(P, "W3")), ValueError, r"missing \['W3'\]"),
    (lambda: d.vector_to_parameters(np.zeros((5, 1)), P), ValueError, "theta has 5 values; the network has"),
    # X with the wrong number of rows, wrong shapes
    (lambda: d.L_model_forward(np.ones((5, 3)), P), ValueError, r"X must be \(n_x, m\) = \(4, m\) .* found shape \(5, 3\)"),
    (lambda: d.L_model_forward(np.ones(4), P), ValueError, r"found shape \(4,\)"),
    (lambda: d.predict(np.ones((3, 2)), P), ValueError, r"\(4, m\) to match W1"),
    (lambda: d.predict([[1.0] * 4], P), TypeError, "X must be a numpy array, found list"),
    (lambda: d.predict(np.array([["a"] * 2] * 4), P), TypeError, "X must hold numbers"),
    (lambda: d.linear_forward(np.ones((3, 2)), np.ones((2, 4)), np.ones((2, 1))), ValueError,
     r"linear_forward expects A \(n_prev, m\), W \(n, n_prev\), b \(n, 1\); found A \(3, 2\), W \(2, 4\)"),
    (lambda: d.linear_forward(np.ones(4), np.ones((2, 4)), np.ones((2, 1))), ValueError, r"found A \(4,\)"),
    (lambda: d.linear_forward(np.ones((4, 1)), np.ones((2, 4)), np.ones(2)), ValueError, r"b \(2,\)"),
    (lambda: d.linear_activation_forward(np.ones((4, 1)), np.ones((2, 4)), np.ones((2, 1)), "tanh"), ValueError,
     "activation must be 'relu' or 'sigmoid', found 'tanh'"),
    (lambda: d.accuracy(np.array([[1, 0, 1]]), np.array([[1, 0]])), ValueError,
     r"predictions \(1, 3\) and Y \(1, 2\) must have the same shape"),
    (lambda: d.accuracy(np.array([1, 0]), np.array([[1, 0]])), ValueError, "same shape"),
    (lambda: d.flatten_images(np.zeros((64, 64, 3))), ValueError, r"images must be \(m, height, width, channels\)"),
    (lambda: d.plot_decision_boundary(lambda G: G[:1] > 0, np.ones((3, 4)), np.ones((1, 4))), ValueError,
     r"\(2, m\), found \(3, 4\)"),
    # backward steps: the same checks, attached with @checked
    (lambda: d.linear_activation_backward(np.ones((1, 2)), ((np.ones((3, 2)), np.ones((1, 3)), np.ones((1, 1))),
                                                            np.ones((1, 2))), "tanh"), ValueError,
     "activation must be 'relu' or 'sigmoid', found 'tanh'"),
    (lambda: d.linear_backward(np.ones((1, 5)), (np.ones((3, 2)), np.ones((1, 3)), np.ones((1, 1)))), ValueError,
     r"dZ must be \(n\[l\], m\) = \(1, 2\) .* found \(1, 5\)"),
    (lambda: d.relu_backward(np.ones((2, 3)), np.ones((3, 2))), ValueError, r"same shape, found \(2, 3\) and \(3, 2\)"),
    (lambda: d.L_model_forward(X4, {**P, "extra": 1}), ValueError, r"only W1, b1, \.\.\., WL, bL; found also \['extra'\]"),
    # initialization scale
    *[(lambda s=s: d.initialize_parameters([3, 2, 1], scale=s), ValueError,
       "scale must be 'xavier', 'he' or a positive number")
      for s in ("big", "Xavier", 0, -0.01, NAN, INF, True, None)],
]


@pytest.mark.parametrize("call, exc, match", CASES)
def test_bad_input_has_clear_error(call, exc, match):
    with np.errstate(all="raise"), pytest.raises(exc, match=match):
        call()


TEACHING = ["initialize_parameters", "linear_forward", "linear_activation_forward", "L_model_forward",
            "compute_cost", "sigmoid_backward", "relu_backward", "linear_backward",
            "linear_activation_backward", "L_model_backward", "update_parameters", "L_layer_model",
            "flatten_images"]


@pytest.mark.parametrize("name", TEACHING)
def test_every_teaching_function_is_checked(name):
    """Each teaching function runs dnn_checks.inputs_of_<name> before its body (@checked)."""
    import dnn_checks

    fn = getattr(d, name)
    assert fn.unchecked.__name__ == name and fn.__doc__ == fn.unchecked.__doc__
    assert callable(getattr(dnn_checks, f"inputs_of_{name}"))


def test_checked_runs_the_check_on_the_bound_arguments(monkeypatch):
    import dnn_checks

    seen = []
    monkeypatch.setattr(dnn_checks, "inputs_of_demo", lambda a, b, c: seen.append((a, b, c)), raising=False)

    @dnn_checks.checked
    def demo(a, b=2, *, c=3):
        return a + b + c

    assert demo(1, c=4) == 7 and seen == [(1, 2, 4)]
