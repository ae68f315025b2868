"""gradient_check at the ReLU kink: the number it returns tells a dead unit from a bug (issue 26, item 6).

Where a step of ±epsilon moves a hidden unit across Z = 0, gradient_check compares backprop with the
one-sided difference on the side that keeps backprop's pattern (relu'(0) = 0: the unit stays off),
and leaves out (and counts, and warns about) the parameters where neither side keeps it. So:

* (a) a correct backprop on networks with dead units and units exactly at the kink returns < 1e-7
  with the default options, where the plain centred difference (kinks="ignore") gave up to 0.8;
* (b) the same networks with each blog-post bug or a deliberately wrong backward still fail, by far;
* (c) random small networks with zero biases and an all-zero example pass (Hypothesis), and a
  network without kinks gets exactly the plain centred check.
"""
import warnings

import numpy as np
import pytest

import blog_post_bugs as blog
import dnn_utils as d
from tests.helpers import assert_names

hypothesis = pytest.importorskip("hypothesis", reason="hypothesis is in requirements.txt (tests)")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

FAST = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow])


# ---------------------------------------------------------------------------
# Networks with dead units and units at the kink, built by hand
# ---------------------------------------------------------------------------

def zero_column_net():
    """Notebook 04's corner: [4, 3, 1], zero biases, example 0 all zeros: Z1 = 0 exactly there."""
    rng = np.random.default_rng(0)
    params = d.initialize_parameters([4, 3, 1], seed=rng)
    X = rng.standard_normal((4, 6))
    X[:, 0] = 0.0
    return params, X, np.array([[1, 0, 1, 0, 1, 1]])


def deep_zero_bias_net(seed):
    """[3, 2, 2, 2, 1], zero biases, an all-zero example: Z = 0 exactly in every layer there,
    and units dead (Z = 0 downstream of dead ones) for other examples."""
    rng = np.random.default_rng(seed)
    params = d.initial_parameters([3, 2, 2, 2, 1], scale="he", seed=rng)
    X = rng.standard_normal((3, 4))
    X[:, 0] = 0.0
    return params, X, (rng.random((1, 4)) < 0.5).astype(int)


def dead_unit_net():
    """[4, 3, 3, 1]: unit 1 of layer 1 pushed far negative (b = -50, dead for every example),
    zero biases in layer 2 and an all-zero example 1 (its layer-2 units at Z = 0 exactly)."""
    rng = np.random.default_rng(5)
    params = d.initial_parameters([4, 3, 3, 1], scale="he", seed=rng)
    params["b1"] = np.array([[-50.0], [0.1], [0.2]])
    X = rng.standard_normal((4, 6))
    X[:, 1] = 0.0
    return params, X, np.array([[1, 0, 1, 0, 1, 1]])


def two_way_net():
    """Unit 1 of layer 1 sits at Z = 0 for examples 0 and 1, whose inputs have opposite signs:
    a step in W1[0, 0] or W1[0, 1] switches it on for one example on each side. Those two
    parameters cannot be checked by any one-sided difference: they are excluded."""
    params = {"W1": np.array([[1.0, 1.0], [0.5, -1.0]]), "b1": np.zeros((2, 1)),
              "W2": np.array([[0.7, -0.4]]), "b2": np.array([[0.1]])}
    X = np.array([[1.0, -1.0, 0.3], [-1.0, 1.0, 0.7]])
    return params, X, np.array([[1, 0, 1]])


NETS = {"zero column [4, 3, 1]": zero_column_net(),
        **{f"deep zero biases, seed {s}": deep_zero_bias_net(s) for s in (0, 2, 4)},
        "dead unit (b = -50) [4, 3, 3, 1]": dead_unit_net(),
        "unit at the kink both ways": two_way_net()}


def backward_with(relu_bwd=d.relu_backward, lin_bwd=d.linear_backward):
    """L_model_backward (fused A^[L] - Y) built from the given relu_backward and linear_backward."""
    def backward(AL, Y, caches):
        L = len(caches)
        grads = {}
        dA, grads[f"dW{L}"], grads[f"db{L}"] = lin_bwd(AL - Y, caches[L - 1][0])
        for l in reversed(range(1, L)):
            linear_cache, Z = caches[l - 1]
            dA, grads[f"dW{l}"], grads[f"db{l}"] = lin_bwd(relu_bwd(dA, Z), linear_cache)
        return grads
    return backward


def doubled(AL, Y, caches):
    return {k: 2 * v for k, v in d.L_model_backward(AL, Y, caches).items()}


BUGS = {
    "dZ[Z < 0] = 0 (relu'(0) = 1)": backward_with(relu_bwd=blog.relu_backward),
    "no 1/m": backward_with(lin_bwd=blog.linear_backward),
    "relu' = 1 everywhere": backward_with(relu_bwd=lambda dA, Z: np.array(dA, copy=True)),
    "relu' = 1 where Z < 0": backward_with(relu_bwd=lambda dA, Z: dA * (Z < 0)),
    "gradients doubled": doubled,
}


@pytest.mark.parametrize("name", NETS)
def test_correct_backprop_passes_at_kinks_and_dead_units(name):
    params, X, Y = NETS[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", d.GradientCheckWarning)  # the two-way net warns (below)
        plain = d.gradient_check(params, X, Y, kinks="ignore")
        info = d.gradient_check(params, X, Y, details=True)
    assert plain > 1e-2  # the plain centred difference fails a correct backprop here
    assert info["difference"] < 1e-7, info
    assert info["kinks"] > 0 and info["one_sided"] > 0 and not info["nudged"]
    # d.L_model_backward and the backward assembled from its pieces agree
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", d.GradientCheckWarning)
        assert d.gradient_check(params, X, Y, backward=backward_with()) < 1e-7


@pytest.mark.parametrize("bug", BUGS)
@pytest.mark.parametrize("name", NETS)
def test_buggy_backprop_still_fails_at_kinks(name, bug):
    params, X, Y = NETS[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", d.GradientCheckWarning)
        diff = d.gradient_check(params, X, Y, backward=BUGS[bug])
    # the smallest is 0.029: relu'(0) = 1 on the two-way net, where two of the three parameters the
    # bug changes are excluded; it is 0.12 or more on the others (where the centred check gave 0.06)
    assert diff > 1e-2, diff


def test_the_relu_corner_bug_is_caught_only_by_the_one_sided_rule():
    """dZ[Z < 0] = 0 differs from the right code only at Z = 0 exactly, where the plain centred
    difference fails both by the same amount; the one-sided rule passes one and fails the other."""
    params, X, Y = zero_column_net()
    right = d.gradient_check(params, X, Y, backward=backward_with())
    wrong = d.gradient_check(params, X, Y, backward=backward_with(relu_bwd=blog.relu_backward))
    assert right < 1e-7 and wrong > 0.1


def test_parameters_crossing_both_ways_are_excluded_counted_and_named():
    params, X, Y = two_way_net()
    with pytest.warns(d.GradientCheckWarning) as warned:
        info = d.gradient_check(params, X, Y, details=True)
    message = next(w.message for w in warned if issubclass(w.category, d.GradientCheckWarning))
    assert_names(message, "2 of 9 parameter(s) were excluded", "ReLU kink", "Z = 0", "kinks='nudge'")
    assert info["excluded"] == 2 and info["difference"] < 1e-7
    # nudged off the kink, nothing is excluded and nothing is said
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nudged = d.gradient_check(params, X, Y, kinks="nudge", details=True)
    assert nudged["nudged"] and nudged["excluded"] == 0 and nudged["difference"] < 1e-7
    # "ignore": the plain centred difference, no exclusion, no warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert d.gradient_check(params, X, Y, kinks="ignore") > 1e-2


def test_no_warning_when_every_kink_is_checked_one_sided():
    params, X, Y = zero_column_net()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        info = d.gradient_check(params, X, Y, details=True)
    assert info["one_sided"] == 3 and info["excluded"] == 0  # the three b1: Z1 of example 0 moves with them


# ---------------------------------------------------------------------------
# Random small networks (Hypothesis)
# ---------------------------------------------------------------------------

dims_st = st.lists(st.integers(1, 4), min_size=2, max_size=4).map(lambda dims: dims[:-1] + [1])


@FAST
@given(dims_st, st.integers(2, 5), st.integers(0, 2**16))
def test_correct_backprop_passes_on_random_nets_with_kinks(dims, m, seed):
    rng = np.random.default_rng(seed)
    params = d.initial_parameters(dims, scale="he", seed=rng)  # zero biases
    X = rng.standard_normal((dims[0], m))
    X[:, 0] = 0.0  # an all-zero example: Z = 0 exactly in every hidden layer
    Y = (rng.random((1, m)) < 0.5).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", d.GradientCheckWarning)
        info = d.gradient_check(params, X, Y, details=True)
        twice = d.gradient_check(params, X, Y, backward=doubled)
    assert info["difference"] < 1e-7, info
    # ||2g - g|| / (||2g|| + ||g||) = 1/3, or 0 where both are rounding noise
    assert twice == 0.0 or twice == pytest.approx(1 / 3, rel=1e-4)


@FAST
@given(dims_st, st.integers(1, 5), st.integers(0, 2**16))
def test_without_kinks_the_check_is_the_plain_centred_one(dims, m, seed):
    rng = np.random.default_rng(seed)
    params = d.initial_parameters(dims, scale="he", seed=rng)
    for k in params:
        if k.startswith("b"):
            params[k] = rng.uniform(0.1, 0.5, size=params[k].shape) * rng.choice([-1, 1], size=params[k].shape)
    X = rng.standard_normal((dims[0], m))
    Y = (rng.random((1, m)) < 0.5).astype(int)
    info = d.gradient_check(params, X, Y, details=True)
    if info["kinks"] == 0:
        assert info["one_sided"] == 0 and info["excluded"] == 0
        assert info["difference"] == d.gradient_check(params, X, Y, kinks="ignore")
