"""dnnlib.checks as the course functions use it: every teaching function in dnn_utils is wrapped
with @checked and has its dnnlib.checks.inputs_of_<name>; the wrapper passes the bound
arguments to the check; the NaN/inf scans read each array once per call; all_finite is not
fooled by a sum that overflows.

How @checked behaves across threads and nested calls: tests/test_checks.py.
"""
import numpy as np
import pytest

import dnn_utils as d
from dnnlib import checks as dnn_checks

TEACHING = ["initialize_parameters", "linear_forward", "linear_activation_forward", "L_model_forward",
            "compute_cost", "sigmoid_backward", "relu_backward", "linear_backward",
            "linear_activation_backward", "L_model_backward", "update_parameters", "L_layer_model",
            "flatten_images"]


@pytest.mark.parametrize("name", TEACHING)
def test_every_teaching_function_is_checked(name):
    """Each teaching function runs dnn_checks.inputs_of_<name> before its body (@checked)."""
    fn = getattr(d, name)
    assert fn.unchecked.__name__ == name and fn.__doc__ == fn.unchecked.__doc__
    assert callable(getattr(dnn_checks, f"inputs_of_{name}"))


def test_checked_runs_the_check_on_the_bound_arguments(monkeypatch):
    seen = []
    monkeypatch.setattr(dnn_checks, "inputs_of_demo", lambda a, b, c: seen.append((a, b, c)), raising=False)

    @dnn_checks.checked
    def demo(a, b=2, *, c=3):
        return a + b + c

    assert demo(1, c=4) == 7 and seen == [(1, 2, 4)]


X = np.random.default_rng(0).standard_normal((4, 3))
P = d.initialize_parameters([4, 3, 2, 1], seed=0)
A2, W2, b2 = np.ones((4, 2)), np.ones((3, 4)), np.ones((3, 1))


def with_value(A, value, where=(0, 0)):
    A = np.array(A, dtype=np.result_type(A, type(value)))
    A[where] = value
    return A


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
