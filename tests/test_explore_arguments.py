"""dnnlib.explore refuses non-integer sizes and labels, naming the argument (never truncates them)."""
import numpy as np
import pytest

from dnnlib import explore
from tests.helpers import raises_naming

pytest.importorskip("ipywidgets")


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((2, 8))
    Y = (np.arange(8) % 2).reshape(1, 8)
    return X, Y


def test_layer_sizes_refuses_a_fractional_width():
    with raises_naming(TypeError, "width", "whole number", "2.7"):
        explore.layer_sizes(2, 1, 2.7)
    assert explore.layer_sizes(2, 2, np.int64(3)) == [2, 3, 3, 1]


@pytest.mark.parametrize("kwargs, facts", [
    (dict(width=2.7), ("width", "whole number", "2.7")),
    (dict(depth=1.5), ("depth", "whole number", "1.5")),
    (dict(num_iterations=100.5), ("num_iterations", "whole number", "100.5")),
    (dict(resolution=20.5), ("resolution", "whole number", "20.5")),
])
def test_train_and_plot_refuses_fractional_sizes(data, kwargs, facts):
    X, Y = data
    with pytest.raises((TypeError, ValueError)) as info:
        explore.train_and_plot(X, Y, **{"num_iterations": 10, **kwargs})
    from tests.helpers import assert_names
    assert_names(info, *facts)


def test_train_and_plot_refuses_fractional_labels(data):
    X, _ = data
    Y = np.full((1, 8), 0.5)
    with raises_naming(ValueError, "Y", "whole numbers", "0.5"):
        explore.train_and_plot(X, Y, num_iterations=10)


@pytest.mark.parametrize("kwargs, facts", [
    (dict(width=2.7), ("width", "whole number", "2.7")),
    (dict(widths=(1, 2.5, 4), width=1), ("widths[1]", "whole number", "2.5")),
    (dict(depths=(0, 1.5), depth=0), ("depths[1]", "whole number", "1.5")),
])
def test_training_widget_refuses_fractional_controls(data, kwargs, facts):
    X, Y = data
    with raises_naming(TypeError, *facts):
        explore.make_training_widget(X, Y, num_iterations=10, **kwargs)


def test_image_browser_refuses_fractional_labels_predictions_and_indices():
    images = np.zeros((3, 4, 4, 3), np.uint8)
    with raises_naming(ValueError, "labels", "whole numbers", "0.5"):
        explore.make_image_browser(images, np.array([0, 0.5, 1]))
    with raises_naming(ValueError, "predictions", "whole numbers", "1.5"):
        explore.make_image_browser(images, [0, 1, 1], predictions=[0, 1.5, 1])
    with raises_naming(ValueError, "indices", "whole numbers", "2.2"):
        explore.make_image_browser(images, [0, 1, 1], indices=[0, 1, 2.2])
    with raises_naming(ValueError, "labels", "0..1", "2"):
        explore.browse_images(images, [0, 2, 1], 1)
    with raises_naming(TypeError, "index", "whole number", "1.5"):
        explore.browse_images(images, [0, 1, 1], 1.5)
    box = explore.make_image_browser(images, np.array([0.0, 1.0, 1.0]))  # whole floats are labels
    assert box.last["label"] == 0


def test_misclassified_refuses_fractional_labels(data):
    X, _ = data
    import dnn_utils
    params = dnn_utils.initialize_parameters_deep([2, 1]) if hasattr(dnn_utils, "initialize_parameters_deep") \
        else {"W1": np.zeros((1, 2)), "b1": np.zeros((1, 1))}
    with raises_naming(ValueError, "Y", "whole numbers", "0.5"):
        explore.misclassified(X, np.full((1, 8), 0.5), params)


def test_compare_depths_and_bigger_test_set_refuse_fractions(data):
    X, Y = data
    models = {"logistic": (explore.L_layer_model_fast, [])}
    with raises_naming(TypeError, "seeds[1]", "whole number", "1.5"):
        explore.compare_depths(X, Y, X, Y, seeds=(0, 1.5), models=models, num_iterations=10)
    with raises_naming(TypeError, "num_iterations", "whole number", "10.5"):
        explore.compare_depths(X, Y, X, Y, seeds=(0,), models=models, num_iterations=10.5)
    with raises_naming(TypeError, "hidden size", "whole number", "2.5"):
        explore.compare_depths(X, Y, X, Y, seeds=(0,), models={"m": (explore.L_layer_model_fast, [2.5])},
                               num_iterations=10)
    with raises_naming(TypeError, "n", "whole number", "10.5"):
        explore.bigger_test_set(10.5)
