"""dnnlib.explore's callbacks, called directly, and the widgets that wire controls to them."""

import importlib
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from dnnlib import explore as dnn_explore  # noqa: E402
from dnn_utils import (L_layer_model, L_layer_model_fast, L_model_forward, accuracy, compute_cost,  # noqa: E402
                       predict)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def xor():
    """A small 2-D problem no straight line separates: the sign of x1 * x2."""
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (2, 120))
    Y = (X[0] * X[1] > 0).astype(np.int64).reshape(1, -1)
    return X, Y


def test_layer_sizes_counts_hidden_layers():
    assert dnn_explore.layer_sizes(2, 0, 8) == [2, 1]
    assert dnn_explore.layer_sizes(12288, 3, 5) == [12288, 5, 5, 5, 1]
    with pytest.raises(ValueError, match="depth"):
        dnn_explore.layer_sizes(2, -1, 4)


def test_train_and_plot_draws_the_costs_it_returns(xor):
    X, Y = xor
    fig, axes = plt.subplots(1, 2)
    r = dnn_explore.train_and_plot(X, Y, learning_rate=0.5, depth=2, width=6, num_iterations=500, seed=3,
                                   axes=axes, resolution=30)
    assert r["layers_dims"] == [2, 6, 6, 1]
    assert len(r["costs"]) == 5 and r["diverged"] is None
    line = axes[0].lines[0]
    np.testing.assert_allclose(line.get_ydata(), r["costs"])
    np.testing.assert_array_equal(line.get_xdata(), [0, 100, 200, 300, 400])
    assert "[2, 6, 6, 1]" in axes[0].get_title()
    # the same numbers as training directly with the course's loop, L_layer_model
    params, costs = L_layer_model(X, Y, [2, 6, 6, 1], 0.5, 500, seed=3)
    np.testing.assert_allclose(r["costs"], costs)
    assert r["train_accuracy"] == accuracy(predict(X, params), Y)
    # the curve ends with the cost of the scored parameters, at iteration 500 (not 400, the last of costs)
    AL, _ = L_model_forward(X, params)
    assert r["final_cost"] == pytest.approx(compute_cost(AL, Y), rel=1e-12)
    final = axes[0].lines[-1]
    assert list(final.get_xdata()) == [500] and final.get_ydata()[0] == pytest.approx(r["final_cost"])
    # the decision boundary: a filled contour and the m points
    assert axes[1].collections, "no decision boundary drawn"
    assert sum(len(c.get_offsets()) for c in axes[1].collections if hasattr(c, "get_offsets")
               and len(c.get_offsets()) == X.shape[1]) == X.shape[1]
    assert f"{r['train_accuracy']:.0%}" in axes[1].get_title()


def test_train_and_plot_redraws_rather_than_piles_up(xor):
    X, Y = xor
    fig, axes = plt.subplots(1, 2)
    for lr in (0.1, 1.0):
        r = dnn_explore.train_and_plot(X, Y, learning_rate=lr, depth=1, width=4, num_iterations=200,
                                       axes=axes, resolution=20)
    assert len(axes[0].lines) == 3   # the costs, a dotted step to the final cost, its point
    np.testing.assert_allclose(axes[0].lines[0].get_ydata(), r["costs"])
    assert "α = 1.0" in axes[0].get_title()


def test_depth_makes_the_xor_problem_learnable(xor):
    X, Y = xor
    _, axes = plt.subplots(1, 2)
    linear = dnn_explore.train_and_plot(X, Y, learning_rate=0.5, depth=0, num_iterations=1000, axes=axes,
                                        resolution=20)
    deep = dnn_explore.train_and_plot(X, Y, learning_rate=0.5, depth=2, width=8, num_iterations=1000,
                                      axes=axes, resolution=20)
    assert linear["train_accuracy"] < 0.75 < 0.9 < deep["train_accuracy"]


def test_a_diverging_run_is_shown_not_raised(xor):
    X, Y = xor
    _, axes = plt.subplots(1, 2)
    r = dnn_explore.train_and_plot(X, Y, learning_rate=1e250, num_iterations=50, axes=axes)
    assert r["diverged"] and r["costs"] == [] and r["parameters"] is None
    assert not axes[0].lines
    assert any("diverged" in t.get_text() for t in axes[0].texts)


def test_with_test_data_and_more_than_two_features_it_draws_accuracy_bars():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((5, 80))
    Y = (X[0] - X[3] > 0).astype(np.int64).reshape(1, -1)
    X_test = rng.standard_normal((5, 40))
    Y_test = (X_test[0] - X_test[3] > 0).astype(np.int64).reshape(1, -1)
    _, axes = plt.subplots(1, 2)
    r = dnn_explore.train_and_plot(X, Y, learning_rate=0.3, depth=1, width=4, num_iterations=300, axes=axes,
                                   X_test=X_test, Y_test=Y_test)
    heights = [p.get_height() for p in axes[1].patches]
    assert heights == pytest.approx([r["train_accuracy"], r["test_accuracy"]])
    assert r["test_accuracy"] == accuracy(predict(X_test, r["parameters"]), Y_test)


def test_train_and_plot_on_one_axes_draws_only_the_costs(xor):
    X, Y = xor
    _, ax = plt.subplots()
    r = dnn_explore.train_and_plot(X, Y, depth=1, width=3, num_iterations=100, axes=ax)
    assert len(ax.lines) == 3 and len(r["costs"]) == 1   # the costs and the final cost, nothing else
    assert not ax.collections and not ax.patches


def test_browse_images_shows_one_image_with_its_label_and_the_models_answer():
    images = np.stack([np.full((4, 4, 3), 40 * i, np.uint8) for i in range(5)])
    _, ax = plt.subplots()
    r = dnn_explore.browse_images(images, np.array([[0, 1, 0, 1, 1]]), 3, predictions=[0, 0, 0, 0, 1],
                                  probabilities=[0.1, 0.2, 0.3, 0.25, 0.9], indices=[7, 9, 11, 13, 15], ax=ax)
    assert r == dict(index=13, label=1, prediction=0, probability=0.25, title=r["title"])
    assert len(ax.images) == 1
    np.testing.assert_array_equal(ax.images[0].get_array(), images[3])
    assert ax.get_title() == r["title"] and "#13: cat" in r["title"] and "non-cat" in r["title"]
    assert "0.25" in r["title"]
    with pytest.raises(IndexError):
        dnn_explore.browse_images(images, [0] * 5, 5, ax=ax)


def test_misclassified_finds_the_mistakes():
    params = {"W1": np.array([[1.0, 0.0]]), "b1": np.array([[0.0]])}   # predicts x1 > 0
    X = np.array([[1.0, -1.0, 2.0, -2.0], [0, 0, 0, 0]])
    Y = np.array([[1, 1, 0, 0]])
    indices, predictions, probabilities = dnn_explore.misclassified(X, Y, params)
    np.testing.assert_array_equal(indices, [1, 2])
    np.testing.assert_array_equal(predictions, [0, 1])
    np.testing.assert_allclose(probabilities, 1 / (1 + np.exp(-np.array([-1.0, 2.0]))))


def test_the_module_imports_without_ipywidgets(monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)   # import ipywidgets now fails
    module = importlib.reload(dnn_explore)
    assert callable(module.train_and_plot)
    with pytest.raises(ImportError):
        module.make_image_browser(np.zeros((2, 4, 4, 3), np.uint8), [0, 1])


def test_training_widget_retrains_when_a_control_moves(xor):
    pytest.importorskip("ipywidgets")
    X, Y = xor
    box = dnn_explore.make_training_widget(X, Y, num_iterations=200, depth=1, width=4)
    assert box.last["layers_dims"] == [2, 4, 1]
    box.controls["depth"].value = 3
    assert box.last["layers_dims"] == [2, 4, 4, 4, 1]
    box.controls["width"].value = 2
    assert box.last["layers_dims"] == [2, 2, 2, 2, 1]
    box.controls["init"].value = "he"
    before = box.last
    box.controls["learning_rate"].value = 1.0
    assert box.last is not before and len(box.last["costs"]) == 2
    assert not plt.get_fignums(), "the widget must close the figures it showed"


def test_manual_training_widget_waits_for_the_button(xor):
    widgets = pytest.importorskip("ipywidgets")
    X, Y = xor
    box = dnn_explore.make_training_widget(X, Y, num_iterations=100, depth=1, width=2, manual=True)
    first = box.last
    box.controls["depth"].value = 2
    assert box.last is first
    button = next(w for hbox in box.children if isinstance(hbox, widgets.HBox)
                  for w in hbox.children if isinstance(w, widgets.Button))
    button.click()
    assert box.last["layers_dims"] == [2, 2, 2, 1]


def test_image_browser_follows_its_slider():
    pytest.importorskip("ipywidgets")
    images = np.stack([np.full((4, 4, 3), 50 * i, np.uint8) for i in range(4)])
    box = dnn_explore.make_image_browser(images, [1, 0, 1, 0], predictions=[1, 1, 1, 1], indices=[3, 5, 8, 9])
    assert box.last["index"] == 3 and box.slider.max == 3
    box.slider.value = 1
    assert box.last["index"] == 5 and box.last["prediction"] == 1 and box.last["label"] == 0
    with pytest.raises(ValueError):
        dnn_explore.make_image_browser(images[:0], [])


def test_bigger_test_set_is_balanced_new_and_reproducible():
    x, y = dnn_explore.bigger_test_set(12, seed=5)
    assert x.shape == (12, 64, 64, 3) and x.dtype == np.uint8 and y.shape == (1, 12)
    assert int(y.sum()) == 6
    x2, y2 = dnn_explore.bigger_test_set(12, seed=5)
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)
    other, _ = dnn_explore.bigger_test_set(12, seed=6)
    assert not np.array_equal(x, other)


def test_compare_depths_and_its_plot():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((4, 60))
    Y = (X[0] + X[1] > 0).astype(np.int64).reshape(1, -1)
    models = {"logistic": (L_layer_model_fast, []), "deep": (L_layer_model_fast, [3, 3])}
    results = dnn_explore.compare_depths(X, Y, X, Y, seeds=(0, 1, 2), models=models, learning_rate=0.5,
                                         num_iterations=200)
    assert list(results) == ["logistic", "deep"]
    r = results["deep"]
    assert r["layers_dims"] == [4, 3, 3, 1] and r["test"].shape == (3,)
    assert r["test_mean"] == pytest.approx(r["test"].mean())
    assert r["test_std"] == pytest.approx(np.std(r["test"], ddof=1))
    params, _ = L_layer_model(X, Y, [4, 3, 3, 1], 0.5, 200, seed=1)  # the course's loop: the same model
    assert r["test"][1] == accuracy(predict(X, params), Y)
    ax = dnn_explore.plot_depth_comparison(results, m_test=60)
    assert [p.get_height() for p in ax.patches] == pytest.approx([results[k]["test_mean"] for k in results])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["logistic", "deep"]


def test_real_photos_are_prepared_like_a_learners_photo():
    pytest.importorskip("skimage")
    photos = dnn_explore.real_photos(["chelsea", "camera"])
    assert list(photos) == ["chelsea", "camera"]
    for image in photos.values():
        assert image.shape == (64, 64, 3) and image.dtype == np.uint8
    grey = photos["camera"].astype(int)
    assert np.array_equal(grey[..., 0], grey[..., 1])   # a grayscale photo becomes three equal channels
    with pytest.raises(ValueError, match="unknown"):
        dnn_explore.real_photos(["lena"])


def test_photo_probabilities_are_the_models_output():
    photos = {"dark": np.zeros((64, 64, 3), np.uint8), "bright": np.full((64, 64, 3), 255, np.uint8)}
    params = {"W1": np.full((1, 12288), 1e-3), "b1": np.array([[-6.0]])}
    p = dnn_explore.photo_probabilities(params, photos)
    assert p["dark"] == pytest.approx(1 / (1 + np.exp(6.0)))
    assert p["bright"] == pytest.approx(1 / (1 + np.exp(-(12.288 - 6.0))))


def _descendants(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _descendants(child)


def test_widgets_draw_pngs_and_send_nothing_back_to_the_kernel(xor):
    """The pictures go into Image widgets: no Output widget, which headless runners (nbclient,
    nbgrader) mimic by messaging the kernel mid-cell, and then sometimes stall to the cell timeout."""
    widgets = pytest.importorskip("ipywidgets")
    X, Y = xor
    box = dnn_explore.make_training_widget(X, Y, num_iterations=100, depth=1, width=2)
    browser = dnn_explore.make_image_browser(np.zeros((3, 4, 4, 3), np.uint8), [0, 1, 0])
    for b in (box, browser):
        kinds = [type(w) for w in _descendants(b)]
        assert widgets.Output not in kinds
        image = next(w for w in _descendants(b) if isinstance(w, widgets.Image))
        assert bytes(image.value).startswith(b"\x89PNG")
    image = next(w for w in _descendants(box) if isinstance(w, widgets.Image))
    before = bytes(image.value)
    box.controls["depth"].value = 2
    assert bytes(image.value).startswith(b"\x89PNG") and bytes(image.value) != bytes(before)
