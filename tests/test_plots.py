"""dnnlib.plots: plot_costs, plot_images, plot_decision_boundary.

* each draws what it is given and leaves matplotlib's settings as they were;
* bad arguments are a clear error naming the argument, what was expected and what was found;
  a flattened X or thousands of images passed to plot_images (which used to hang) are refused
  at once, before any figure is made.
"""
import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import dnn_utils as d  # noqa: E402
from tests.helpers import assert_names, case_id, raises_naming, returns  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def rc_unchanged():
    before = dict(matplotlib.rcParams)
    yield
    after = dict(matplotlib.rcParams)
    changed = [k for k in before if str(before[k]) != str(after[k])]
    plt.close("all")
    assert not changed


# ---------------------------------------------------------------------------
# What they draw
# ---------------------------------------------------------------------------

def test_plot_costs(rc_unchanged):
    ax = d.plot_costs([0.7, 0.5, 0.3], learning_rate=0.01)
    assert isinstance(ax, matplotlib.axes.Axes) and len(ax.lines) == 1
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [0, 100, 200])
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), [0.7, 0.5, 0.3])
    assert "0.01" in ax.get_title()
    assert d.plot_costs([0.6, 0.1], every=50, ax=ax, label="b") is ax and len(ax.lines) == 2
    np.testing.assert_array_equal(ax.lines[1].get_xdata(), [0, 50])


def test_plot_images(rc_unchanged):
    images = np.zeros((5, 8, 8, 3), dtype=np.uint8)
    fig = d.plot_images(images, labels=np.array([[0, 1, 1, 0, 1]]), predictions=[1, 1, 0, 0, 1], ncols=3)
    assert isinstance(fig, matplotlib.figure.Figure)
    assert len(fig.axes) == 6  # 2 rows of 3
    assert [len(ax.images) for ax in fig.axes] == [1, 1, 1, 1, 1, 0]
    assert fig.axes[0].get_title() == "pred: cat\ntrue: non-cat"
    fig = d.plot_images(images[:2], labels=[1, 0])
    assert len(fig.axes) == 2 and fig.axes[0].get_title() == "cat"


def test_plot_decision_boundary(rc_unchanged):
    X = np.array([[-1.0, 1.0, 2.0, -2.0], [0.0, 1.0, -1.0, 0.5]])
    Y = np.array([[0, 1, 1, 0]])
    calls = []

    def predict_fn(G):
        calls.append(G.shape)
        return (G[:1] > 0).astype(int)

    ax = d.plot_decision_boundary(predict_fn, X, Y, resolution=30)
    assert isinstance(ax, matplotlib.axes.Axes)
    assert calls == [(2, 900)]
    offsets = [c.get_offsets() for c in ax.collections if len(c.get_offsets()) == 4]
    assert len(offsets) == 1
    np.testing.assert_array_equal(np.asarray(offsets[0]), X.T)


# ---------------------------------------------------------------------------
# Bad arguments
# ---------------------------------------------------------------------------

def test_plot_images_on_a_flattened_X():
    X = np.zeros((12288, 209))
    e = returns(lambda: d.plot_images(X))
    assert isinstance(e, ValueError)
    assert_names(e, "images", "(12288, 209)", "flattened X")  # the likely mistake is named
    assert plt.get_fignums() == []  # refused before any figure was made


def test_plot_images_on_too_many_images():
    e = returns(lambda: d.plot_images(np.zeros((5000, 2, 2, 3), np.uint8)))
    assert isinstance(e, ValueError)
    assert_names(e, "5000 images", "5000 subplots", "at most 200")
    assert plt.get_fignums() == []


def boundary(X, Y, predict_fn=lambda G: G[:1] > 0, **kwargs):
    return lambda: d.plot_decision_boundary(predict_fn, X, Y, **kwargs)


CASES = [
    # (call, exception type, facts its message names)
    (lambda: d.plot_costs([]), ValueError, ("costs", "non-empty", "(0,)")),
    (lambda: d.plot_costs([[0.7, 0.5]]), ValueError, ("costs", "list of numbers", "(1, 2)")),
    (lambda: d.plot_costs(["a", "b"]), TypeError, ("costs", "numbers", "<U1")),
    (lambda: d.plot_costs([0.7, float("nan")]), ValueError, ("costs", "NaN")),
    (lambda: d.plot_costs([0.7, 0.5], every=0), ValueError, ("every", ">= 1", "0")),
    (lambda: d.plot_images(np.zeros((0, 8, 8, 3), np.uint8)), ValueError, ("no images", "(0, 8, 8, 3)")),
    (lambda: d.plot_images(np.zeros((3, 8, 8, 5), np.uint8)), ValueError,
     ("images", "(k, height, width, 3)", "(3, 8, 8, 5)")),
    (lambda: d.plot_images(np.zeros(5)), ValueError, ("images", "(k, height, width, 3)", "(5,)")),
    (lambda: d.plot_images("cat.png"), TypeError, ("images", "numpy array", "str")),
    (lambda: d.plot_images(np.full((2, 8, 8, 3), 2.0)), ValueError, ("float images", "[0, 1]", "2.0")),
    (lambda: d.plot_images(np.zeros((2, 8, 8, 3), np.uint8), labels=[0, 1, 1]), ValueError,
     ("labels", "one value per image", "(2)", "3")),
    (lambda: d.plot_images(np.zeros((2, 8, 8, 3), np.uint8), predictions=[0, 2]), ValueError,
     ("predictions", "0..1", "[0, 2]")),
    (lambda: d.plot_images(np.zeros((2, 8, 8, 3), np.uint8), ncols=0), ValueError, ("ncols", "whole number", "0")),
    (boundary(np.ones((2, 0)), np.ones((1, 0))), ValueError, ("at least one point", "(2, 0)")),
    (boundary(np.ones((2, 4)), np.ones((1, 3))), ValueError, ("Y", "one label per point", "(4)", "(1, 3)")),
    (boundary(np.full((2, 4), np.nan), np.ones((1, 4))), ValueError, ("X", "NaN")),
    (boundary(np.ones((3, 4)), np.ones((1, 4))), ValueError, ("X", "(2, m)", "(3, 4)")),
    # a list X: the message names the shape expected (it does not say that a list is refused)
    (boundary([[0, 1], [1, 0]], [[0, 1]]), ValueError, ("X", "(2, m)")),
    (boundary(np.ones((2, 4)), np.ones((1, 4)), predict_fn=lambda G: np.ones(3), resolution=10), ValueError,
     ("predict_fn", "one prediction per point", "(2, 100)", "(3,)")),
    (boundary(np.ones((2, 4)), np.ones((1, 4)), predict_fn="predict"), TypeError, ("predict_fn", "function", "str")),
    (boundary(np.ones((2, 4)), np.ones((1, 4)), resolution=10**5), ValueError,
     ("resolution", "2 to 2000", "100000")),
]


@pytest.mark.parametrize("call, exc, facts", CASES, ids=[case_id(exc, facts) for _, exc, facts in CASES])
def test_bad_argument_has_clear_error(call, exc, facts):
    with np.errstate(all="raise"), raises_naming(exc, *facts):
        call()
