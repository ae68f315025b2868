"""dnnlib.checks.checked: input checks at the boundary, cheap inside, per thread, and the seeds.

* a call from outside any checked function is checked, in every thread, whatever another
  thread is doing;
* calls inside a checked function are not checked, unless they fail: then their checks name
  the input instead of numpy's error;
* a np.random.RandomState seed draws the course's numbers from a body written with
  np.random.default_rng(seed); other seeds are what default_rng takes; a bad one is named.
"""
from __future__ import annotations

import threading

import numpy as np
import pytest

import dnn_utils as d
from dnnlib import checks


@pytest.fixture
def demo_functions(monkeypatch):
    """Two checked functions made here: `waiter` blocks until released; `composer` calls
    linear_forward with A transposed (a learner's composition mistake its own checks do not see)."""
    monkeypatch.setattr(checks, "inputs_of_waiter", lambda entered, release: None, raising=False)
    monkeypatch.setattr(checks, "inputs_of_composer", lambda A, W, b: None, raising=False)

    @checks.checked
    def waiter(entered, release):
        entered.set()
        assert release.wait(30)
        return "released"

    @checks.checked
    def composer(A, W, b):
        return d.linear_forward(A.T, W, b)

    return waiter, composer


def test_a_call_from_another_thread_is_checked_while_one_is_inside(demo_functions):
    """With one process-wide depth counter, the second thread's call ran unchecked (NaN accepted)."""
    waiter, _ = demo_functions
    entered, release = threading.Event(), threading.Event()
    results = []
    worker = threading.Thread(target=lambda: results.append(waiter(entered, release)))
    worker.start()
    try:
        assert entered.wait(30)
        with pytest.raises(ValueError) as info:          # this thread is outside any checked call
            d.linear_forward(np.array([[np.nan, 0.5]]), np.ones((2, 1)), np.zeros((2, 1)))
        assert "A" in str(info.value) and "NaN" in str(info.value)
    finally:
        release.set()
        worker.join()
    assert results == ["released"]


def test_a_nested_call_that_fails_is_named_by_its_checks(demo_functions):
    _, composer = demo_functions
    A, W, b = np.ones((3, 5)), np.ones((2, 3)), np.zeros((2, 1))
    assert composer.unchecked is not composer
    with pytest.raises(ValueError) as info:
        composer(A, W, b)
    message = str(info.value)
    # the function, and the shapes found: A (5, 3) against W (2, 3); not numpy's matmul message
    assert "linear_forward" in message and "(5, 3)" in message and "(2, 3)" in message
    assert "matmul" not in message
    assert isinstance(info.value.__cause__, ValueError)   # numpy's own error is kept as the cause


def test_nested_calls_are_not_checked_when_they_succeed(monkeypatch):
    """A checked function called from another checked one skips its checks (the outer call checked)."""
    calls = []
    monkeypatch.setattr(checks, "inputs_of_inner", lambda x: calls.append(x), raising=False)
    monkeypatch.setattr(checks, "inputs_of_outer", lambda x: None, raising=False)

    @checks.checked
    def inner(x):
        return x + 1

    @checks.checked
    def outer(x):
        return inner(x) + inner(x)

    assert inner(1) == 2 and calls == [1]        # called from outside: checked
    assert outer(5) == 12 and calls == [1]       # nested twice: not checked


def test_checked_and_unchecked_give_the_same_numbers():
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((3, 20)), (rng.random((1, 20)) > 0.5).astype(float)
    p = d.initialize_parameters([3, 4, 1], seed=1)
    AL, caches = d.L_model_forward(X, p)
    AL_bare, _ = d.L_model_forward.unchecked(X, p)
    np.testing.assert_array_equal(AL, AL_bare)
    assert d.compute_cost(AL, Y) == d.compute_cost.unchecked(AL, Y)


def test_a_wrong_argument_names_the_function_not_its_checks():
    with pytest.raises(TypeError) as info:
        d.linear_backward(np.ones((1, 2)), (np.ones((3, 2)), np.ones((1, 3)), np.zeros((1, 1))), True)
    assert "linear_backward()" in str(info.value) and "inputs_of" not in str(info.value)


# ---------------------------------------------------------------------------
# Seeds
# ---------------------------------------------------------------------------

def test_a_randomstate_draws_the_courses_numbers_from_a_generator_body():
    """The course: np.random.seed(3); W = np.random.randn(n, n_prev) / sqrt(n_prev), layer by layer."""
    p = d.initialize_parameters([5, 4, 3], seed=np.random.RandomState(3))
    legacy = np.random.RandomState(3)
    np.testing.assert_array_equal(p["W1"], legacy.randn(4, 5) / np.sqrt(5))
    np.testing.assert_array_equal(p["W2"], legacy.randn(3, 4) / np.sqrt(4))
    two = d.initialize_parameters_two_layer(3, 2, 1, seed=np.random.RandomState(1))
    legacy = np.random.RandomState(1)
    np.testing.assert_array_equal(two["W1"], legacy.randn(2, 3) * 0.01)
    np.testing.assert_array_equal(two["W2"], legacy.randn(1, 2) * 0.01)


def test_course_generator_reproduces_randn_and_normal():
    rng = checks.course_generator(np.random.RandomState(7))
    legacy = np.random.RandomState(7)
    np.testing.assert_array_equal(rng.standard_normal((2, 3)), legacy.randn(2, 3))
    np.testing.assert_array_equal(rng.normal(1.0, 2.0, (4,)), legacy.normal(1.0, 2.0, (4,)))
    assert np.random.default_rng(rng) is rng            # what a learner's body does with it


@pytest.mark.parametrize("seed", [0, 12, np.int64(5)])
def test_whole_number_seeds_are_default_rngs(seed):
    p = d.initialize_parameters([4, 3, 1], seed=seed)
    rng = np.random.default_rng(seed)
    np.testing.assert_array_equal(p["W1"], rng.standard_normal((3, 4)) / np.sqrt(4))


def test_a_generator_seed_is_used_and_advanced():
    gen = np.random.default_rng(5)
    first, second = d.initialize_parameters([3, 2], seed=gen), d.initialize_parameters([3, 2], seed=gen)
    assert not np.array_equal(first["W1"], second["W1"])


def test_the_global_random_state_is_never_touched():
    before = np.random.get_state()[1].copy()
    d.initialize_parameters([6, 5, 1], seed=np.random.RandomState(1))
    d.initialize_parameters([6, 5, 1])
    d.L_layer_model(np.ones((2, 3)), np.array([[0, 1, 0]]), [2, 2, 1], 0.1, 3, seed=np.random.RandomState(1))
    np.testing.assert_array_equal(np.random.get_state()[1], before)


@pytest.mark.parametrize("seed", ["abc", -1, 1.5, True, [1, 2]])
def test_a_bad_seed_is_named(seed):
    for call in (lambda: d.initialize_parameters([3, 2, 1], seed=seed),
                 lambda: d.initialize_parameters_two_layer(3, 2, 1, seed=seed),
                 lambda: d.L_layer_model(np.ones((2, 3)), np.array([[0, 1, 0]]), [2, 1], seed=seed),
                 lambda: d.L_layer_model_fast(np.ones((2, 3)), np.array([[0, 1, 0]]), [2, 1], seed=seed)):
        with pytest.raises(ValueError) as info:
            call()
        assert "seed" in str(info.value) and repr(seed) in str(info.value)
