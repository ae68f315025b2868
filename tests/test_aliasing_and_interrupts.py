"""Issue 26, numbers that go out: parameters that share memory, an interrupted fast training,
a learning rate of 1e308, and data that overflow the training dtype. Each is a right answer
or a clear error naming what was expected and what was found."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import dnn_utils as d
from dnnlib import fast
from dnnlib.initialization import initial_parameters
from tests.helpers import assert_names, raises_naming


def problem(n_x=5, m=12, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_x, m))
    Y = (X[:1] + 0.3 * rng.standard_normal((1, m)) > 0).astype(np.float64)
    return X, Y


# ---------------------------------------------------------------------------
# 5. parameters that share memory would be updated twice
# ---------------------------------------------------------------------------

def grads_like(parameters, value=1.0):
    return {"d" + k: np.full(v.shape, value) for k, v in parameters.items()}


def test_tied_weights_are_refused_and_left_unchanged():
    W = np.ones((2, 2))
    P = {"W1": W, "b1": np.zeros((2, 1)), "W2": W, "b2": np.zeros((2, 1))}
    with raises_naming(ValueError, "W1", "W2", "same array", "twice", "copy"):
        d.update_parameters(P, grads_like(P), 0.1)
    np.testing.assert_array_equal(W, np.ones((2, 2)))  # refused before any update


def test_a_bias_that_is_a_view_of_a_weight_is_refused():
    W = np.ones((3, 3))
    P = {"W1": W, "b1": W[:, :1], "W2": np.ones((1, 3)), "b2": np.zeros((1, 1))}
    with raises_naming(ValueError, "W1", "b1", "share memory", "twice"):
        d.update_parameters(P, grads_like(P), 0.1)


def test_separate_arrays_update_as_before():
    P = d.initialize_parameters([3, 4, 1], seed=1)
    W = np.ones((3, 3))
    P2 = {"W1": W[:, :2].copy(), "b1": W[:, 2:].copy(), "W2": np.ones((1, 3)), "b2": np.zeros((1, 1))}
    for params in (P, P2):
        before = {k: v.copy() for k, v in params.items()}
        d.update_parameters(params, grads_like(params, 2.0), 0.5)
        for k in params:
            np.testing.assert_array_equal(params[k], before[k] - 1.0)


# ---------------------------------------------------------------------------
# 6. an interrupted fast training leaves the parameters at one iterate, and says which
# ---------------------------------------------------------------------------

class StopAt:
    """A progress callback that raises KeyboardInterrupt at iteration `at` (Ctrl-C there)."""

    def __init__(self, at):
        self.at = at

    def __call__(self, i, AL):
        if i == self.at:
            raise KeyboardInterrupt


def no_progress(i, AL):
    pass


@pytest.mark.parametrize("form", ["span", "weights"])
@pytest.mark.parametrize("at", [0, 3, 51])
def test_interrupted_train_is_consistent_at_one_iteration(form, at):
    X, Y = problem(n_x=30, m=8)  # few examples, many features: the span form is the cheap one
    dims = [30, 4, 3, 1]
    interrupted = initial_parameters(dims, seed=3)
    with pytest.raises(KeyboardInterrupt) as info:
        fast.train(X, Y, interrupted, 0.05, 100, StopAt(at), form=form)
    # progress(i, AL) runs after iteration i's update: the parameters are after at + 1 updates
    assert info.value.updates_done == at + 1
    assert_names("\n".join(getattr(info.value, "__notes__", [])), f"after {at + 1} whole update(s)", form)
    fresh = fast.train(X, Y, initial_parameters(dims, seed=3), 0.05, at + 1, no_progress, form=form)
    assert sorted(interrupted) == sorted(fresh)
    for k in fresh:
        np.testing.assert_allclose(interrupted[k], fresh[k], rtol=0, atol=0, err_msg=k)


def test_interrupted_span_train_forms_W1_from_the_span():
    X, Y = problem(n_x=30, m=8)
    P = initial_parameters([30, 4, 1], seed=3)
    W1_0 = P["W1"].copy()
    with pytest.raises(KeyboardInterrupt):
        fast.train(X, Y, P, 0.05, 100, StopAt(51), form="span")
    assert not np.array_equal(P["W1"], W1_0)  # not left at the initial W1 while the rest moved on


def test_interrupt_inside_a_step_changes_nothing(monkeypatch):
    """A step makes its updates all together at its end: stopped before, the parameters are the last iterate."""
    X, Y = problem(n_x=30, m=8)
    dims = [30, 4, 3, 1]
    P = initial_parameters(dims, seed=3)
    calls = {"n": 0}
    real = fast._relu_backward

    def interrupting(dA, Z):
        calls["n"] += 1
        if calls["n"] == 2 * 5 + 1:  # in iteration 5's backward pass (two hidden layers per step)
            raise KeyboardInterrupt
        return real(dA, Z)

    monkeypatch.setattr(fast, "_relu_backward", interrupting)
    with pytest.raises(KeyboardInterrupt) as info:
        fast.train(X, Y, P, 0.05, 100, no_progress, form="span")
    monkeypatch.setattr(fast, "_relu_backward", real)
    assert info.value.updates_done == 5
    fresh = fast.train(X, Y, initial_parameters(dims, seed=3), 0.05, 5, no_progress, form="span")
    for k in fresh:
        np.testing.assert_array_equal(P[k], fresh[k], err_msg=k)


class LineInterrupter:
    """sys.settrace: counts the lines run in dnnlib/fast.py; raises KeyboardInterrupt at line `at`.

    A Ctrl-C is raised at whichever line Python is running when it arrives; this raises it at
    each line in turn, the lines that apply a step's updates included (fault injection in the
    test only: the product code has no hook)."""

    def __init__(self, at=None):
        self.at, self.count, self.at_progress = at, 0, []

    def __call__(self, frame, event, arg):
        return self.line if frame.f_code.co_filename == fast.__file__ else None

    def line(self, frame, event, arg):
        if event == "line":
            self.count += 1
            if self.count == self.at:
                raise KeyboardInterrupt
        return self.line

    def progress(self, i, AL):
        self.at_progress.append(self.count)

    def run(self, X, Y, parameters, num_iterations, form):
        import sys

        sys.settrace(self)
        try:
            return fast.train(X, Y, parameters, 0.05, num_iterations, self.progress, form=form)
        finally:
            sys.settrace(None)


@pytest.mark.parametrize("form", ["span", "weights"])
def test_a_ctrl_c_at_any_line_of_a_step_leaves_one_iterate_and_says_which(form):
    X, Y = problem(n_x=30, m=8)
    dims = [30, 4, 3, 1]
    k, T = 2, 4  # interrupt at each line from step k (iteration k, 0-based) to the training's end
    counting = LineInterrupter()
    counting.run(X, Y, initial_parameters(dims, seed=3), T, form)
    first, last = counting.at_progress[k - 1] + 1, counting.count  # the lines of steps k.. and the end
    assert counting.at_progress[k] - first > 20  # a step runs many lines
    iterates = {n: fast.train(X, Y, initial_parameters(dims, seed=3), 0.05, n, no_progress, form=form)
                for n in range(k, T + 1)}
    seen = set()
    for at in range(first, last + 1):
        P = initial_parameters(dims, seed=3)
        with pytest.raises(KeyboardInterrupt) as info:
            LineInterrupter(at).run(X, Y, P, T, form)
        done = info.value.updates_done
        assert done in iterates, (at, done)
        seen.add(done)
        assert_names("\n".join(info.value.__notes__), f"after {done} whole update(s)")
        assert sorted(P) == sorted(iterates[done])
        for key in P:  # every array of that iterate, bit for bit: nothing half-updated
            np.testing.assert_array_equal(P[key], iterates[done][key], err_msg=f"line {at}: {key}")
    assert seen == set(iterates)  # lines before each step's commit and after it were hit


# ---------------------------------------------------------------------------
# 7. a learning rate of 1e308: TrainingDivergedError or a clear error, never inf parameters
# ---------------------------------------------------------------------------

MODELS = {
    "L_layer_model": lambda X, Y, n, lr: d.L_layer_model(X, Y, [5, 4, 1], lr, n),
    "two_layer_model": lambda X, Y, n, lr: d.two_layer_model(X, Y, (5, 4, 1), lr, n),
    "L_layer_model_fast": lambda X, Y, n, lr: d.L_layer_model_fast(X, Y, [5, 4, 1], lr, n),
    "L_layer_model_fast span": lambda X, Y, n, lr: d.L_layer_model_fast(X, Y, [5, 4, 1], lr, n, form="span"),
    "two_layer_model_fast": lambda X, Y, n, lr: d.two_layer_model_fast(X, Y, (5, 4, 1), lr, n),
}


@pytest.mark.parametrize("model", sorted(MODELS))
@pytest.mark.parametrize("num_iterations", [1, 2, 3, 200])
@pytest.mark.parametrize("lr", [1e308, 1e300, 1e200])
def test_huge_learning_rate_never_returns_inf(model, num_iterations, lr):
    X, Y = problem()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parameters, costs = MODELS[model](X, Y, num_iterations, lr)
    except d.TrainingDivergedError as error:
        assert_names(error, "diverged", "learning rate")
        return
    for k, v in parameters.items():
        assert np.all(np.isfinite(v)), (k, v)
    assert all(np.isfinite(costs))


def test_update_parameters_refuses_an_update_that_overflows():
    P = d.initialize_parameters([3, 2, 1], seed=1)
    before = {k: v.copy() for k, v in P.items()}
    grads = grads_like(P, 10.0)
    with raises_naming(ValueError, "learning_rate", "1e+308", "dW1", "inf", "smaller learning rate"):
        d.update_parameters(P, grads, 1e308)
    for k in P:  # refused before any update
        np.testing.assert_array_equal(P[k], before[k])


# ---------------------------------------------------------------------------
# 8. data that overflow the training dtype: said so, not "try a smaller learning rate"
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("train, dtype, scale", [
    (lambda X, Y: d.L_layer_model_fast(X, Y, [5, 4, 1], num_iterations=50, dtype=np.float32), "float32", 1e30),
    (lambda X, Y: d.L_layer_model_fast(X, Y, [5, 4, 1], num_iterations=50, form="span", dtype=np.float32),
     "float32", 1e30),
    (lambda X, Y: d.L_layer_model_fast(X, Y, [5, 4, 1], num_iterations=50), "float64", 1e200),
    (lambda X, Y: d.L_layer_model(X, Y, [5, 4, 1], num_iterations=50), "float64", 1e200),
    (lambda X, Y: d.two_layer_model(X, Y, (5, 4, 1), num_iterations=50), "float64", 1e200),
], ids=["fast float32", "fast float32 span", "fast float64", "L_layer_model", "two_layer_model"])
def test_data_that_overflow_are_named_not_the_learning_rate(train, dtype, scale):
    X, Y = problem()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(d.TrainingDivergedError) as info:
            train(X * scale, Y)
    assert_names(info, "data", dtype, "max |X|", "not the learning rate", "Scale X")
    assert "Try a smaller learning rate" not in str(info.value)


@pytest.mark.parametrize("model", ["L_layer_model", "two_layer_model", "L_layer_model_fast", "two_layer_model_fast"])
def test_data_that_overflow_into_a_saturated_network_are_named_not_returned(model):
    """All-positive data of 1e200: the first update's W1·X overflows to -inf, every ReLU dies and
    the outputs stay finite (saturated), so no NaN shows it; the overflow itself is reported."""
    X = np.full((4, 6), 1e200)
    Y = np.array([[0, 1, 0, 1, 0, 1]])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(d.TrainingDivergedError) as info:
            getattr(d, model)(X, Y, [4, 3, 1], num_iterations=3)
    assert_names(info, "data", "float64", "max |X|", "not the learning rate", "Scale X")
    assert [w for w in caught if issubclass(w.category, RuntimeWarning)] == []  # only the clear error


def test_data_beyond_the_dtype_are_refused_when_converted():
    X, Y = problem()
    found = f"{np.max(np.abs(X * 1e39)):.3g}"
    with raises_naming(ValueError, "X", "float32", found, "3.4e+38", "Scale X"):
        d.L_layer_model_fast(X * 1e39, Y, [5, 4, 1], num_iterations=5, dtype=np.float32)


def test_a_real_divergence_still_names_the_learning_rate():
    X, Y = problem()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(d.TrainingDivergedError) as info:
            d.L_layer_model_fast(X, Y, [5, 4, 1], 1e200, 50)
    assert_names(info, "smaller learning rate", "1e+200")
    assert "data overflow" not in str(info.value)
