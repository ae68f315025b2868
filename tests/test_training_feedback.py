"""Issue 13 item 9 and issue 15 item 3: L_layer_model stops with TrainingDivergedError when the
cost grows far above its start (not only on NaN), and warns once (TrainingWarning) when the
cost sits at the constant-prediction cost or a hidden layer's ReLUs have all died. The same on
both loops (the course's L_layer_model, watched by the library, and L_layer_model_fast) and in
float32 (the fast path; the course loop runs in float64)."""
import re
import warnings

import numpy as np
import pytest

import dnn_utils as d

LOOPS = [pytest.param(True, id="fast"), pytest.param(False, id="course-loop")]


def make_moons(m, noise, rng):
    # the 2-D problem of notebook 05, made the same way
    m0 = m // 2
    t = rng.uniform(0, np.pi, m)
    upper = np.vstack([np.cos(t[:m0]), np.sin(t[:m0])])
    lower = np.vstack([1 - np.cos(t[m0:]), 0.5 - np.sin(t[m0:])])
    X = np.hstack([upper, lower]) + noise * rng.standard_normal((2, m))
    Y = np.hstack([np.zeros(m0), np.ones(m - m0)]).astype(np.int64).reshape(1, m)
    return X, Y


X_RAW, Y_MOONS = make_moons(300, 0.25, np.random.default_rng(0))
X_MOONS = (X_RAW - X_RAW.mean(axis=1, keepdims=True)) / X_RAW.std(axis=1, keepdims=True)
MOONS_DIMS = [2, 8, 4, 1]


def model(fast, X, Y, layers_dims, learning_rate, num_iterations, *, seed=1, dtype=np.float64, init="xavier"):
    """The fast path with its options, or the course's loop (Xavier, float64: it has no such options)."""
    if fast:
        return d.L_layer_model_fast(X, Y, layers_dims, learning_rate, num_iterations, seed=seed, dtype=dtype,
                                    init=init)
    assert init == "xavier" and dtype == np.float64, "the course loop has no init or dtype"
    return d.L_layer_model(X, Y, layers_dims, learning_rate, num_iterations, seed=seed)


def train(*args, **kwargs):
    """model(...), returning (costs, the TrainingWarnings it gave); any other warning fails."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _, costs = model(*args, **kwargs)
    assert all(w.category is d.TrainingWarning for w in caught), [str(w.message) for w in caught]
    return costs, caught


# ---------------------------------------------------------------------------
# Divergence by cost growth
# ---------------------------------------------------------------------------

def saturated_wrong(Y, margin=1e-8):
    """Finite outputs, confidently wrong on every example: the cost is about -log(margin)."""
    return np.where(Y == 1, margin, 1 - margin)


def test_growth_from_069_to_18_with_finite_outputs_is_divergence():
    """The issue's example: finite, saturated outputs whose cost grows from 0.69 to 18."""
    Y = np.array([[0, 1] * 10])
    progress = d.TrainingProgress(Y, learning_rate=2.0, num_iterations=1000)
    for i in range(100):
        progress(i, np.full((1, 20), 0.5))
    assert np.isclose(progress.costs[0], np.log(2))
    wrong = saturated_wrong(Y, margin=1.5e-8)
    assert np.isclose(d.compute_cost(wrong, Y), 18, atol=0.1) and np.all(np.isfinite(wrong))
    with pytest.raises(d.TrainingDivergedError) as info:
        progress(100, wrong)
    message = str(info.value)
    assert "iteration 100" in message and "from 0.6931 at iteration 0 to 18.0" in message
    assert "max(3·J0, J0 + 5) = 5.6931" in message and "smaller learning rate than 2.0" in message


@pytest.mark.parametrize("J0, J, diverged", [
    (0.6931, 5.69, False), (0.6931, 5.70, True),   # J0 + 5 for a cost that starts near log 2
    (3.0, 8.9, False), (3.0, 9.1, True),           # 3·J0 for one that starts high
    (0.05, 5.04, False), (0.05, 5.06, True),       # J0 + 5 again: a small start is no hair trigger
])
def test_the_growth_rule(J0, J, diverged):
    progress = d.TrainingProgress(np.array([[1]]), 0.1, 1000)
    progress(0, np.array([[np.exp(-J0)]]))         # the cost of one positive example is -log(a)
    call = lambda: progress(100, np.array([[np.exp(-J)]]))  # noqa: E731
    if diverged:
        with pytest.raises(d.TrainingDivergedError, match="the cost grew"):
            call()
    else:
        call()
        assert len(progress.costs) == 2


@pytest.mark.parametrize("fast, dtype", [(True, np.float64), (True, np.float32), (False, np.float64)])
def test_runaway_learning_rate_stops_with_the_rule(fast, dtype):
    """lr = 1000 on the moons: the outputs stay finite (no NaN), the cost reaches 18 at iteration 100."""
    with pytest.raises(d.TrainingDivergedError) as info:
        model(fast, X_MOONS, Y_MOONS, MOONS_DIMS, learning_rate=1000.0, num_iterations=300, dtype=dtype)
    message = str(info.value)
    found = re.search(r"iteration (\d+): the cost grew from ([\d.]+) at iteration 0 to ([\d.]+)", message)
    assert found, message
    start, now = float(found[2]), float(found[3])
    assert found[1] == "100" and abs(start - 0.6975) < 1e-3 and now > start + 5
    assert "smaller learning rate than 1000.0" in message


@pytest.mark.parametrize("fast", LOOPS)
def test_nan_is_still_reported_first(fast):
    with pytest.raises(d.TrainingDivergedError, match="iteration 1: the output became NaN or inf"):
        model(fast, X_MOONS, Y_MOONS, MOONS_DIMS, learning_rate=1e250, num_iterations=100)


# ---------------------------------------------------------------------------
# No false alarm on healthy runs (the notebooks' learning rates)
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("lr, fast, dtype", [
    (0.001, True, np.float64), (0.3, True, np.float64), (0.3, True, np.float32),
    (3.0, True, np.float64), (3.0, False, np.float64), (3.0, True, np.float32),
])
def test_healthy_runs_are_quiet(lr, fast, dtype):
    """Notebook 05's runs: slow (0.001), good (0.3), oscillating but settling (3.0)."""
    costs, caught = train(fast, X_MOONS, Y_MOONS, MOONS_DIMS, learning_rate=lr, num_iterations=1000, dtype=dtype)
    assert caught == [] and len(costs) == 10


# ---------------------------------------------------------------------------
# Warnings: dead ReLUs, the constant prediction
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("fast, dtype", [(True, np.float64), (True, np.float32), (False, np.float64)])
def test_dead_relus_warn_once(fast, dtype):
    """lr = 5 on the moons kills every ReLU of layer 2 (notebook 05): one warning, at iteration 200."""
    costs, caught = train(fast, X_MOONS, Y_MOONS, MOONS_DIMS, learning_rate=5.0, num_iterations=800, dtype=dtype)
    assert len(caught) == 1, [str(w.message) for w in caught]
    message = str(caught[0].message)
    assert message.startswith("iteration 200: the network gives every example exactly the same output")
    assert "every ReLU of some hidden layer has died" in message and "(5.0)" in message
    assert abs(costs[-1] - np.log(2)) < 1e-3   # it went on to the end, at the constant prediction
    assert caught[0].filename == __file__       # reported at the caller's line, not inside dnn_utils


DEEP_X = np.random.default_rng(0).standard_normal((20, 40))
DEEP_Y = (np.random.default_rng(1).random((1, 40)) < 0.5).astype(int)


@pytest.mark.parametrize("fast, dtype", [(True, np.float64), (True, np.float32), (False, np.float64)])
def test_stall_at_the_constant_prediction_warns_once(fast, dtype):
    """The gradients vanish and the cost sits at H(p): init = 0.01 in a deep net (notebook 07) on the
    fast path; inputs too small to move the network (X·1e-6) in the course's loop."""
    p = DEEP_Y.mean()
    H = -(p * np.log(p) + (1 - p) * np.log(1 - p))
    if fast:
        costs, caught = train(True, DEEP_X, DEEP_Y, [20, 10, 10, 10, 1], 0.0075, 1500, init=0.01, dtype=dtype)
    else:
        costs, caught = train(False, DEEP_X * 1e-6, DEEP_Y, [20, 10, 10, 10, 1], 0.0075, 700)
    assert np.all(np.abs(np.array(costs[1:]) - H) < 1e-3)
    assert len(caught) == 1, [str(w.message) for w in caught]
    message = str(caught[0].message)
    found = re.match(r"iterations (\d+)-(\d+): the cost has stayed at ([\d.]+), within 0.001 of ([\d.]+), "
                     r"the cost of predicting p = ([\d.]+)", message)
    assert found, message
    assert int(found[2]) - int(found[1]) == 500 and float(found[4]) == round(H, 4) and float(found[5]) == round(p, 4)
    assert "learnt nothing from X" in message


def test_constant_cost_is_the_entropy_of_the_labels_mean():
    Y = np.array([[1, 1, 1, 0]])
    assert np.isclose(d.TrainingProgress(Y, 0.1, 10).constant_cost, -(0.75 * np.log(0.75) + 0.25 * np.log(0.25)))
    assert d.TrainingProgress(np.ones((1, 4)), 0.1, 10).constant_cost == 0


def test_a_cost_that_leaves_the_constant_prediction_resets_the_stall():
    Y = np.array([[0, 1] * 5])
    progress = d.TrainingProgress(Y, 0.1, 2000)
    half = 0.5 + 1e-6 * np.arange(10).reshape(1, 10)   # cost log 2, the outputs not all equal
    better = np.where(Y == 1, 0.6, 0.4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for i in range(0, 1000, 100):
            progress(i, half if i != 400 else better)   # stalled 0-300, moved at 400, stalled 500-900
    with pytest.warns(d.TrainingWarning, match="^iterations 500-1000: the cost has stayed at 0.6931"):
        progress(1000, half)
    assert progress.warned == {"stalled"}


def test_one_example_is_not_a_dead_network():
    """With m = 1 every AL is 'the same for every example': no dead-ReLU warning."""
    progress = d.TrainingProgress(np.array([[1]]), 0.1, 1000)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for i in range(0, 1000, 100):
            progress(i, np.array([[0.3 + i / 2000]]))


def test_labels_all_equal_learnt_perfectly_is_no_stall():
    """With every label 1 the constant prediction is the answer: a cost near 0 is success."""
    progress = d.TrainingProgress(np.ones((1, 4)), 0.1, 1000)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for i in range(0, 1000, 100):
            progress(i, np.array([[0.9999, 0.99995, 0.99999, 0.99991]]))
    assert progress.warned == set()
