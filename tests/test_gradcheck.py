"""dnnlib.gradcheck: gradient_check and the parameter vectors it works on.

* parameters_to_vector / vector_to_parameters round trip;
* gradient_check passes a right backprop and fails a wrong one, also where the true gradient is 0;
* at the ReLU kink it checks one-sided (or raises, or nudges the point off the kink);
* a network too large to check is refused at once, unless the size guard is lifted;
* bad arguments get a clear error naming the argument, what was expected and what was found.
"""
import warnings

import numpy as np
import pytest

import dnn_utils as d
from tests.helpers import assert_names, case_id, random_problem, raises_naming, returns

NAN, INF = float("nan"), float("inf")


# ---------------------------------------------------------------------------
# Parameter vectors
# ---------------------------------------------------------------------------

def test_parameters_vector_round_trip():
    # order W1, b1, W2, b2, row by row: [1, 2, 3, 4 | 5, 6 | 7, 8 | 9]
    params = {"W2": np.array([[7.0, 8.0]]), "b2": np.array([[9.0]]),
              "W1": np.array([[1.0, 2.0], [3.0, 4.0]]), "b1": np.array([[5.0], [6.0]])}
    theta = d.parameters_to_vector(params)
    assert theta.shape == (9, 1)
    np.testing.assert_array_equal(theta.ravel(), np.arange(1, 10))
    back = d.vector_to_parameters(theta, params)
    assert sorted(back) == sorted(params)
    for k in params:
        np.testing.assert_array_equal(back[k], params[k])
    back = d.vector_to_parameters(theta * 2, params)
    np.testing.assert_array_equal(back["b1"], [[10], [12]])


# ---------------------------------------------------------------------------
# Right and wrong backprops
# ---------------------------------------------------------------------------

def test_gradient_check_can_fail():
    X, Y, params = random_problem([4, 3, 1], 6, seed=1)

    def doubled_backward(AL, Y, caches):
        return {k: 2 * v for k, v in d.L_model_backward(AL, Y, caches).items()}

    def swapped_backward(AL, Y, caches):
        grads = d.L_model_backward(AL, Y, caches)
        grads["db1"] = grads["db1"][::-1].copy()
        grads["dW2"] = -grads["dW2"]
        return grads

    # ||2g - g|| / (||2g|| + ||g||) = 1/3
    assert d.gradient_check(params, X, Y, backward=doubled_backward) == pytest.approx(1 / 3, rel=1e-4)
    assert d.gradient_check(params, X, Y, backward=swapped_backward) > 1e-3


def test_gradient_check_of_a_zero_gradient_is_not_rounding_noise():
    """A network whose true gradient is exactly 0 (its hidden layer dead for every example, the
    output at 0.5 and balanced labels): backprop says 0, the finite differences give rounding
    noise, and their relative difference was 1.0. It is 0; a backprop that is wrong there still
    fails, and so does one that says 0 where the gradient is not."""
    params = {"W1": np.array([[1.0, -2.0]]), "b1": np.array([[-0.5]]),
              "W2": np.array([[-0.8]]), "b2": np.array([[0.0]])}
    X = np.array([[0.1, 0.3, -0.2, 0.4], [0.2, 0.1, 0.3, 0.1]])  # Z1 < 0 for every example
    Y = np.array([[0, 0, 1, 1]])  # AL = sigmoid(0) = 0.5: dJ/db2 = mean(AL - Y) = 0
    AL, caches = d.L_model_forward(X, params)
    grads = d.L_model_backward(AL, Y, caches)
    assert all(abs(grads[k]).max() == 0 for k in ("dW1", "db1", "dW2", "db2"))
    info = d.gradient_check(params, X, Y, details=True)
    assert info["difference"] == 0.0 and info["kinks_checked"] == 0

    def wrong_db2(AL, Y, caches):
        grads = d.L_model_backward(AL, Y, caches)
        grads["db2"] = grads["db2"] + 0.01
        return grads

    assert d.gradient_check(params, X, Y, backward=wrong_db2) > 0.99
    Y_unbalanced = np.array([[0, 0, 0, 1]])  # dJ/db2 = 0.25, not 0

    def zero_backward(AL, Y, caches):
        return {k: np.zeros_like(v) for k, v in d.L_model_backward(AL, Y, caches).items()}

    assert d.gradient_check(params, X, Y_unbalanced, backward=zero_backward) == 1.0


# ---------------------------------------------------------------------------
# The ReLU kink
# ---------------------------------------------------------------------------

def kinked_net(depth, seed):
    """A deep net with zero biases on inputs where some units are dead: exact Z = 0 downstream."""
    rng = np.random.default_rng(seed)
    dims = [3] + [2] * depth + [1]
    params = d.initial_parameters(dims, scale="he", seed=rng)
    Xk = rng.standard_normal((3, 4))
    Xk[:, 0] = 0.0
    return params, Xk, (rng.random((1, 4)) < 0.5).astype(int)


def test_gradient_check_passes_at_kinks_and_nudge_checks_off_them():
    # issue 26, item 6: at the kinks the check used to return 0.18 for this correct backprop, and
    # warn; the steps that cross a kink are now compared one-sided (tests/test_gradcheck_kinks.py)
    params, Xk, Yk = kinked_net(3, seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        raw = d.gradient_check(params, Xk, Yk, details=True)
        plain = d.gradient_check(params, Xk, Yk, kinks="ignore")  # centred everywhere: fails
    assert raw["kinks"] > 0 and not raw["nudged"] and raw["one_sided"] > 0 and raw["excluded"] == 0
    assert raw["difference"] < 1e-7 and plain > 1e-3
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nudged = d.gradient_check(params, Xk, Yk, kinks="nudge", seed=0, details=True)
        again = d.gradient_check(params, Xk, Yk, kinks="nudge", seed=0)
    assert nudged["nudged"] and nudged["kinks_checked"] == 0 and nudged["one_sided"] == 0
    assert nudged["difference"] < 1e-7
    assert again == nudged["difference"]  # seeded: the same point every time
    for k in params:  # the caller's parameters are not moved
        np.testing.assert_array_equal(params[k], kinked_net(3, seed=0)[0][k])


def test_nudge_makes_correct_backprop_pass_on_random_deep_nets():
    # the issue: zero biases put units exactly at the kink in many random deep nets
    failures_raw, failures_nudged = 0, 0
    for seed in range(12):
        params, Xk, Yk = kinked_net(4, seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", d.GradientCheckWarning)
            failures_raw += d.gradient_check(params, Xk, Yk, kinks="ignore") > 1e-7
            failures_nudged += d.gradient_check(params, Xk, Yk, kinks="nudge") > 1e-7
    assert failures_raw > 0 and failures_nudged == 0


def test_gradient_check_still_fails_a_buggy_backprop_when_nudged():
    params, Xk, Yk = kinked_net(2, seed=3)

    def doubled(AL, Y, caches):
        return {k: 2 * v for k, v in d.L_model_backward(AL, Y, caches).items()}

    assert d.gradient_check(params, Xk, Yk, backward=doubled, kinks="nudge") == pytest.approx(1 / 3, rel=1e-4)


# ---------------------------------------------------------------------------
# The size guard: a network far too large is refused at once (it used to run for hours)
# ---------------------------------------------------------------------------

def test_gradient_check_on_the_course_model_is_refused_at_once():
    params = d.initialize_parameters([12288, 20, 7, 5, 1], seed=0)
    X, Y = np.zeros((12288, 209)), np.zeros((1, 209))
    e = returns(lambda: d.gradient_check(params, X, Y))
    assert isinstance(e, ValueError)
    # what is too large (the counts found), and the way out
    assert_names(e, "too large", "245,973 parameters", "491,946 forward passes", "max_flops=None")


def test_gradient_check_size_guard_can_be_lifted_and_lowered():
    params = d.initialize_parameters([3, 2, 1], seed=0)
    X = np.random.default_rng(0).standard_normal((3, 4))
    Y = np.array([[0, 1, 1, 0]])
    with raises_naming(ValueError, "too large", "max_flops", "1e+01"):
        d.gradient_check(params, X, Y, max_flops=10)
    info = d.gradient_check(params, X, Y, max_flops=None, details=True)
    assert info["n_params"] == 11 and info["flops"] == 2 * 11 * 2 * 4 * 8 and info["difference"] < 1e-7


# ---------------------------------------------------------------------------
# Bad arguments
# ---------------------------------------------------------------------------

P = d.initialize_parameters([4, 3, 1], seed=0)          # 19 parameters
X = np.random.default_rng(0).standard_normal((4, 5))
Y = np.array([[0, 1, 1, 0, 1]])
P4321 = d.initialize_parameters([4, 3, 2, 1], seed=0)   # 26 parameters
X4 = np.ones((4, 3))

CASES = [
    # (call, exception type, facts its message names)
    *[(lambda e=e: d.gradient_check(P, X, Y, epsilon=e), ValueError, ("epsilon", "finite", "> 0", repr(e)))
      for e in (0, -1e-7, NAN, INF, None, True)],
    (lambda: d.gradient_check(P, X, Y, kinks="maybe"), ValueError, ("kinks", "'nudge'", "'maybe'")),
    (lambda: d.gradient_check(P, X + 0j, Y), TypeError, ("X", "real numbers", "complex")),
    (lambda: d.gradient_check(d.initialize_parameters([4, 1], seed=0), X4, np.array([[0, 1]])), ValueError,
     ("X has 3 examples", "Y has 2")),
    # at a kink, asked to raise: how many units sit there, and the way out
    (lambda: d.gradient_check(P, np.zeros((4, 3)), np.array([[0, 1, 1]]), kinks="raise"), ValueError,
     ("9 hidden unit", "ReLU kink", "kinks='nudge'")),
    # the parameter vectors
    (lambda: d.parameters_to_vector({k: v for k, v in P4321.items() if k != "W3"}), ValueError,
     ("parameters", "missing", "['W3']")),
    (lambda: d.vector_to_parameters(np.zeros((5, 1)), P4321), ValueError, ("theta", "5 values", "26")),
    (lambda: d.parameters_to_vector({**P, "b1": P["b1"] + 1j}), TypeError, ("b1", "real numbers", "complex")),
    (lambda: d.vector_to_parameters(np.zeros((19, 1), complex), P), TypeError,
     ("theta", "real numbers", "complex128")),
    (lambda: d.vector_to_parameters(np.zeros((19, 2)), P), ValueError, ("theta", "(n_params, 1)", "(19, 2)")),
]


@pytest.mark.parametrize("call, exc, facts", CASES, ids=[case_id(exc, facts) for _, exc, facts in CASES])
def test_bad_argument_has_clear_error(call, exc, facts):
    with np.errstate(all="raise"), raises_naming(exc, *facts):
        call()
