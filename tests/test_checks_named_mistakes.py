"""@checked names a loop's layer-counting mistakes and a NaN network output, whoever wrote the loop.

* a KeyError for a layer that parameters or grads do not hold ('W3' of a 2-layer network, 'W0')
  becomes a LayerKeyError (still a KeyError) naming the layers there are and how to count them;
* an IndexError past the end of caches or layer_dims becomes a LayerIndexError (still an
  IndexError) naming caches[l - 1] or range(1, len(layer_dims));
* AL with NaN, given to compute_cost or L_model_backward (a course-style loop whose weights
  overflowed), is named as the network's output, not as data to clean.
"""
import numpy as np
import pytest

import dnn_utils as d
from dnnlib.checks import LayerIndexError, LayerKeyError, checked
from tests.helpers import assert_names


def params_of(dims):
    return d.initialize_parameters(dims, seed=0)


@checked
def L_model_forward(X, parameters):
    """The trial's loop: L = len(parameters) counts the b's as layers too."""
    caches, A = [], X
    L = len(parameters)
    for l in range(1, L):
        A, cache = d.linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
        caches.append(cache)
    return A, caches


@checked
def update_parameters(parameters, grads, learning_rate):
    """A loop that starts at layer 0."""
    for l in range(0, len(parameters) // 2):
        parameters["W" + str(l)] -= learning_rate * grads["dW" + str(l)]
    return parameters


@checked
def initialize_parameters(layer_dims, seed=None):
    """A loop one layer too far: layer_dims[L + 1] does not exist."""
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layer_dims) + 1):
        parameters["W" + str(l)] = rng.standard_normal((layer_dims[l], layer_dims[l - 1]))
    return parameters


@checked
def L_model_backward(AL, Y, caches):
    """The output layer's cache read at caches[L] instead of caches[L - 1]."""
    L = len(caches)
    d.linear_backward(AL - Y, caches[L][0])


def test_len_parameters_names_the_layer_count():
    with pytest.raises(KeyError) as info:
        L_model_forward(np.ones((3, 4)), params_of([3, 2, 1]))
    assert isinstance(info.value, LayerKeyError)
    assert_names(info.value, "L_model_forward", "'W3'", "W1, b1, W2, b2", "L = len(parameters) // 2")


def test_layer_zero_names_the_numbering():
    p = params_of([3, 2, 1])
    grads = {"d" + k: np.zeros_like(v) for k, v in p.items()}
    with pytest.raises(KeyError) as info:
        update_parameters(p, grads, 0.1)
    assert_names(info.value, "update_parameters", "'W0'", "numbered from 1", "l = 1")


def test_layer_dims_overrun_names_the_range():
    with pytest.raises(IndexError) as info:
        initialize_parameters([3, 2, 1], seed=0)
    assert isinstance(info.value, LayerIndexError)
    assert_names(info.value, "layer_dims", "3 entries", "range(1, len(layer_dims))")


def test_caches_overrun_names_the_index():
    AL, caches = d.L_model_forward(np.ones((3, 4)), params_of([3, 2, 1]))
    with pytest.raises(IndexError) as info:
        L_model_backward(AL, np.array([[0, 1, 1, 0]]), caches)
    assert_names(info.value, "caches[l - 1]", "2 caches", "L = len(caches)")


def test_other_key_errors_are_left_alone():
    @checked
    def L_model_forward(X, parameters):
        return {}["anything"]

    with pytest.raises(KeyError) as info:
        L_model_forward(np.ones((3, 4)), params_of([3, 2, 1]))
    assert type(info.value) is KeyError and info.value.args == ("anything",)


@pytest.mark.parametrize("call", [
    lambda AL, Y: d.compute_cost(AL, Y),
    lambda AL, Y: d.L_model_backward(AL, Y, d.L_model_forward(np.ones((3, 2)), params_of([3, 1]))[1]),
], ids=["compute_cost", "L_model_backward"])
def test_nan_network_output_is_named_as_the_forward_pass(call):
    AL, Y = np.array([[np.nan, 0.5]]), np.array([[1, 0]])
    with pytest.raises(ValueError) as info:
        call(AL, Y)
    assert_names(info.value, "AL", "network's output", "1 of 2", "learning rate")
    assert "clean the data" not in str(info.value)


def test_course_style_loop_that_overflows_is_named():
    """A training loop written without L_layer_model (each call checked on its own) whose
    learning rate makes the weights overflow: the error names the learning rate."""
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((2, 50)), (rng.random((1, 50)) > 0.5).astype(float)
    parameters = d.initialize_parameters([2, 8, 4, 1], seed=1)
    with pytest.raises(ValueError) as info, np.errstate(all="ignore"):
        for _ in range(20):
            AL, caches = d.L_model_forward(X, parameters)
            d.compute_cost(AL, Y)
            grads = d.L_model_backward(AL, Y, caches)
            parameters = d.update_parameters(parameters, grads, 1e250)
    assert_names(info.value, "learning rate")
    assert "clean the data" not in str(info.value)
