"""dnn_utils: a deep (L-layer) neural network from scratch, with numpy.

This is the one module every notebook of the series imports. It reads top to bottom as
week 4 of the course "Neural Networks and Deep Learning", in the order of the notebooks,
with the course's names and shapes:

* ``X`` is ``(n_x, m)``: one column per example; ``Y`` is ``(1, m)`` of 0/1.
* ``parameters`` is a dict ``{'W1': (n_1, n_0), 'b1': (n_1, 1), ..., 'WL', 'bL'}``.
* ``grads`` is a dict ``{'dW1', 'db1', ..., 'dA1', ...}`` with the shapes of
  what they differentiate.
* every ``*_forward`` returns ``(output, cache)``: the cache keeps what the
  matching ``*_backward`` needs, so backward never recomputes the forward pass.

The functions here are the ones a learner writes (notebooks 01-06). ``@checked`` checks
their inputs at the boundary, so the bodies stay the algorithm; everything around them
(input checks, seeds, training feedback, the fast path, data, files, plots) is the
package ``dnnlib`` beside this file, imported at the end.

The notebooks show these functions cell for cell; a test (tests/test_notebook_sync.py)
fails if a notebook and this file disagree.
"""

from __future__ import annotations

import numpy as np

from dnnlib.checks import checked

__all__ = [
    # the course, in the order of the notebooks
    "initialize_parameters", "initialize_parameters_two_layer",
    "sigmoid", "relu", "linear_forward", "linear_activation_forward", "L_model_forward",
    "compute_cost",
    "sigmoid_backward", "relu_backward", "linear_backward", "linear_activation_backward",
    "L_model_backward",
    "update_parameters", "L_layer_model", "two_layer_model", "flatten_images", "predict", "accuracy",
    # from dnnlib
    "DATASETS_DIR", "load_data", "load_image", "num_layers",
    "L_layer_model_fast", "two_layer_model_fast", "initial_parameters",
    "TrainingDivergedError", "TrainingWarning", "TrainingProgress",
    "gradient_check", "GradientCheckWarning", "parameters_to_vector", "vector_to_parameters",
    "save_parameters", "load_parameters", "plot_costs", "plot_images", "plot_decision_boundary",
]


# ---------------------------------------------------------------------------
# Step 1: initialization
# ---------------------------------------------------------------------------

@checked
def initialize_parameters(layer_dims, seed=None):
    """Initialize the weights and biases of an L-layer network.

    Arguments:
    layer_dims -- [n_x, n_1, ..., n_L], the number of units in each layer (input first)
    seed -- what np.random.default_rng takes: an int, a np.random.Generator, or None
            (fresh entropy). np.random.RandomState(1) gives the course's numbers.

    Returns:
    parameters -- dict with "W1", "b1", ..., "WL", "bL":
                  W[l] has shape (layer_dims[l], layer_dims[l-1]), b[l] has shape (layer_dims[l], 1)
    """
    rng = np.random.default_rng(seed)
    parameters = {}
    L = len(layer_dims) - 1  # the layers with weights; layer_dims also lists the input (notebook 01: "What L counts")
    for l in range(1, L + 1):
        # random weights break the symmetry between units; dividing by sqrt(n[l-1]) keeps
        # Z[l] = W[l]·A[l-1] of the same size as the inputs, layer after layer
        parameters["W" + str(l)] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) / np.sqrt(layer_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))  # zero biases are fine
    return parameters


@checked
def initialize_parameters_two_layer(n_x, n_h, n_y, seed=None):
    """Initialize the course's 2-layer network, LINEAR -> RELU -> LINEAR -> SIGMOID.

    Arguments:
    n_x -- size of the input layer
    n_h -- size of the hidden layer
    n_y -- size of the output layer
    seed -- as in initialize_parameters (np.random.RandomState(1) gives the course's numbers)

    Returns:
    parameters -- dict with W1 (n_h, n_x), b1 (n_h, 1), W2 (n_y, n_h), b2 (n_y, 1):
                  the weights are N(0, 1) * 0.01, the biases zero
    """
    rng = np.random.default_rng(seed)
    W1 = rng.standard_normal((n_h, n_x)) * 0.01  # small random weights break the symmetry
    b1 = np.zeros((n_h, 1))
    W2 = rng.standard_normal((n_y, n_h)) * 0.01
    b2 = np.zeros((n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}


# ---------------------------------------------------------------------------
# Step 2: forward propagation
# ---------------------------------------------------------------------------

@checked
def sigmoid(Z):
    """Sigmoid activation, without overflow for large |Z|.

    Arguments:
    Z -- array of any shape

    Returns:
    A -- sigmoid(Z) = 1 / (1 + exp(-Z)), same shape as Z
    cache -- Z, kept for sigmoid_backward
    """
    # exp(-|Z|) is at most 1, so it never overflows; for Z < 0 use
    # sigmoid(Z) = exp(Z) / (1 + exp(Z)), the same function rewritten
    e = np.exp(-np.abs(Z))
    A = np.where(Z >= 0, 1 / (1 + e), e / (1 + e))
    return A, Z


@checked
def relu(Z):
    """ReLU activation.

    Arguments:
    Z -- array of any shape

    Returns:
    A -- max(0, Z), same shape as Z
    cache -- Z, kept for relu_backward
    """
    A = np.maximum(Z, 0)
    return A, Z


@checked
def linear_forward(A, W, b):
    """The linear part of a layer: Z = W·A + b.

    Arguments:
    A -- activations of the previous layer, (n[l-1], m)
    W -- weights, (n[l], n[l-1])
    b -- bias, (n[l], 1), broadcast over the m columns

    Returns:
    Z -- (n[l], m)
    cache -- (A, W, b), kept for linear_backward
    """
    Z = W @ A + b  # Z[l] = W[l]·A[l-1] + b[l]: W on the left, one column per example
    cache = (A, W, b)
    return Z, cache


@checked
def linear_activation_forward(A_prev, W, b, activation):
    """One layer: LINEAR then ACTIVATION.

    Arguments:
    A_prev -- activations of the previous layer, (n[l-1], m)
    W -- (n[l], n[l-1]);  b -- (n[l], 1)
    activation -- "relu" or "sigmoid"

    Returns:
    A -- the layer's activations, (n[l], m)
    cache -- (linear_cache, activation_cache) = ((A_prev, W, b), Z)
    """
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "relu":
        A, activation_cache = relu(Z)
    elif activation == "sigmoid":
        A, activation_cache = sigmoid(Z)
    cache = (linear_cache, activation_cache)
    return A, cache


@checked
def L_model_forward(X, parameters):
    """Forward propagation: [LINEAR -> RELU] * (L-1) -> LINEAR -> SIGMOID.

    Arguments:
    X -- input, (n_x, m)
    parameters -- dict "W1", "b1", ..., "WL", "bL" (see initialize_parameters)

    Returns:
    AL -- the output layer's activations (the predicted probabilities), (1, m)
    caches -- list of the L caches of linear_activation_forward, layer 1 first
    """
    caches = []
    A = X
    L = len(parameters) // 2  # number of layers: one W and one b each
    for l in range(1, L):
        A_prev = A
        A, cache = linear_activation_forward(A_prev, parameters["W" + str(l)],
                                             parameters["b" + str(l)], "relu")
        caches.append(cache)
    # the output layer takes the last hidden activations A, not the previous layer's input
    AL, cache = linear_activation_forward(A, parameters["W" + str(L)],
                                          parameters["b" + str(L)], "sigmoid")
    caches.append(cache)
    return AL, caches


# ---------------------------------------------------------------------------
# Step 3: the cost
# ---------------------------------------------------------------------------

@checked
def compute_cost(AL, Y):
    """Binary cross-entropy: J = -1/m · Σ [y·log(a) + (1-y)·log(1-a)].

    Arguments:
    AL -- predicted probabilities, (1, m), each in [0, 1]
    Y -- true labels, (1, m), each 0 or 1

    Returns:
    cost -- a Python float. AL is clipped to [eps, 1 - eps] (eps = the dtype's
            machine epsilon), so the cost stays finite where AL is exactly 0 or 1.
    """
    m = Y.shape[1]
    eps = np.finfo(AL.dtype).eps  # the spacing of AL's numbers near 1: 2.2e-16 in float64
    AL = np.clip(AL, eps, 1 - eps)  # log(0) = -inf: a single confident mistake would give NaN/inf
    cost = -np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m
    return float(cost)


# ---------------------------------------------------------------------------
# Step 4: backward propagation
# ---------------------------------------------------------------------------

@checked
def sigmoid_backward(dA, cache):
    """Backward through a sigmoid unit.

    Arguments:
    dA -- gradient of the cost with respect to the activation A, any shape
    cache -- Z, stored by sigmoid; same shape as dA

    Returns:
    dZ -- gradient of the cost with respect to Z, same shape as Z
    """
    Z = cache
    s, _ = sigmoid(Z)
    dZ = dA * s * (1 - s)  # sigmoid'(Z) = s·(1 - s)
    return dZ


@checked
def relu_backward(dA, cache):
    """Backward through a ReLU unit.

    Arguments:
    dA -- gradient of the cost with respect to the activation A, any shape
    cache -- Z, stored by relu; same shape as dA

    Returns:
    dZ -- gradient of the cost with respect to Z, same shape as Z
    """
    Z = cache
    # relu'(Z) is 1 where Z > 0 and 0 where Z <= 0 (we take 0 at the kink Z = 0,
    # where relu passed nothing forward)
    dZ = dA * (Z > 0)
    return dZ


@checked
def linear_backward(dZ, cache):
    """Backward through the linear part of a layer, Z = W·A_prev + b.

    Arguments:
    dZ -- gradient of the cost with respect to Z, (n[l], m)
    cache -- (A_prev, W, b) stored by linear_forward

    Returns:
    dA_prev -- gradient with respect to A_prev, (n[l-1], m)
    dW -- gradient with respect to W, (n[l], n[l-1])
    db -- gradient with respect to b, (n[l], 1)
    """
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = dZ @ A_prev.T / m  # dW[l] = dZ[l]·A[l-1].T / m
    db = np.sum(dZ, axis=1, keepdims=True) / m  # db[l] = Σ_columns dZ[l] / m
    dA_prev = W.T @ dZ  # dA[l-1] = W[l].T·dZ[l]
    return dA_prev, dW, db


@checked
def linear_activation_backward(dA, cache, activation):
    """Backward through one layer: ACTIVATION then LINEAR.

    Arguments:
    dA -- gradient with respect to this layer's activation, (n[l], m)
    cache -- ((A_prev, W, b), Z) stored by linear_activation_forward
    activation -- "relu" or "sigmoid"

    Returns:
    dA_prev -- (n[l-1], m);  dW -- (n[l], n[l-1]);  db -- (n[l], 1)
    """
    linear_cache, activation_cache = cache
    if activation == "relu":
        dZ = relu_backward(dA, activation_cache)
    elif activation == "sigmoid":
        dZ = sigmoid_backward(dA, activation_cache)
    dA_prev, dW, db = linear_backward(dZ, linear_cache)
    return dA_prev, dW, db


@checked
def L_model_backward(AL, Y, caches):
    """Backward propagation for [LINEAR -> RELU] * (L-1) -> LINEAR -> SIGMOID with cross-entropy.

    Arguments:
    AL -- output of L_model_forward, (1, m)
    Y -- true labels, (1, m)
    caches -- the list returned by L_model_forward

    Returns:
    grads -- dict with "dW1", "db1", ..., "dWL", "dbL" (shapes of W[l], b[l]) and
             "dA1", ..., "dA{L-1}" (shapes of A[l]). dA0, the gradient with respect to X,
             is not kept: nothing uses it.
    """
    grads = {}
    L = len(caches)  # the number of layers
    # Output layer. Sigmoid followed by cross-entropy: dAL = -(Y/AL - (1-Y)/(1-AL)) and
    # sigmoid' = AL·(1-AL) multiply to dZ[L] = AL - Y, which stays finite at AL = 0 or 1.
    dZ = AL - Y
    linear_cache, _ = caches[L - 1]
    dA_prev, dW, db = linear_backward(dZ, linear_cache)
    grads["dW" + str(L)] = dW
    grads["db" + str(L)] = db
    # Hidden layers L-1, ..., 1: each takes the dA its successor computed
    for l in reversed(range(1, L)):
        grads["dA" + str(l)] = dA_prev
        dA_prev, dW, db = linear_activation_backward(grads["dA" + str(l)], caches[l - 1], "relu")
        grads["dW" + str(l)] = dW
        grads["db" + str(l)] = db
    return grads


# ---------------------------------------------------------------------------
# Step 5: the update
# ---------------------------------------------------------------------------

@checked
def update_parameters(parameters, grads, learning_rate):
    """One step of gradient descent: W[l] -= α·dW[l], b[l] -= α·db[l].

    Arguments:
    parameters -- dict "W1", "b1", ..., "WL", "bL"
    grads -- dict "dW1", "db1", ..., from L_model_backward
    learning_rate -- α > 0

    Returns:
    parameters -- the same dict, updated in place
    """
    L = len(parameters) // 2  # number of layers
    for l in range(1, L + 1):
        parameters["W" + str(l)] -= learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] -= learning_rate * grads["db" + str(l)]
    return parameters


# ---------------------------------------------------------------------------
# The models: the steps in a loop
# ---------------------------------------------------------------------------

@checked
def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False, seed=1):
    """Train [LINEAR -> RELU] * (L-1) -> LINEAR -> SIGMOID by full-batch gradient descent.

    Arguments:
    X -- data, (n_x, m)
    Y -- labels, (1, m), 0/1
    layers_dims -- [n_x, n_1, ..., n_L] with n_L = 1
    learning_rate -- α of the gradient-descent update
    num_iterations -- number of gradient-descent steps
    print_cost -- print the cost every 100 iterations and at the last one
    seed -- the seed of initialize_parameters

    Returns:
    parameters -- the learnt dict "W1", "b1", ..., "WL", "bL"
    costs -- list of the cost every 100 iterations (iteration 0, 100, 200, ...)
    """
    costs = []
    parameters = initialize_parameters(layers_dims, seed=seed)
    for i in range(num_iterations):
        AL, caches = L_model_forward(X, parameters)                       # forward
        cost = compute_cost(AL, Y)                                        # cost J
        grads = L_model_backward(AL, Y, caches)                           # backward
        parameters = update_parameters(parameters, grads, learning_rate)  # update
        if print_cost and (i % 100 == 0 or i == num_iterations - 1):
            print(f"Cost after iteration {i}: {cost:.6f}")
        if i % 100 == 0:
            costs.append(cost)
    return parameters, costs


@checked
def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False, seed=1):
    """Train LINEAR -> RELU -> LINEAR -> SIGMOID by full-batch gradient descent, one layer at a time.

    Arguments:
    X -- data, (n_x, m)
    Y -- labels, (1, m), 0/1
    layers_dims -- (n_x, n_h, n_y) with n_y = 1
    learning_rate, num_iterations, print_cost -- as in L_layer_model
    seed -- the seed of initialize_parameters_two_layer

    Returns:
    parameters -- the learnt dict "W1", "b1", "W2", "b2"
    costs -- list of the cost every 100 iterations (iteration 0, 100, 200, ...)
    """
    costs = []
    n_x, n_h, n_y = layers_dims
    parameters = initialize_parameters_two_layer(n_x, n_h, n_y, seed=seed)
    for i in range(num_iterations):
        # forward: LINEAR -> RELU -> LINEAR -> SIGMOID
        A1, cache1 = linear_activation_forward(X, parameters["W1"], parameters["b1"], "relu")
        A2, cache2 = linear_activation_forward(A1, parameters["W2"], parameters["b2"], "sigmoid")
        cost = compute_cost(A2, Y)
        # backward, from dJ/dA2 of each example: dA[2] = -(Y/A2 - (1-Y)/(1-A2))
        dA2 = -(np.divide(Y, A2) - np.divide(1 - Y, 1 - A2))
        dA1, dW2, db2 = linear_activation_backward(dA2, cache2, "sigmoid")
        dA0, dW1, db1 = linear_activation_backward(dA1, cache1, "relu")
        grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
        parameters = update_parameters(parameters, grads, learning_rate)
        if print_cost and (i % 100 == 0 or i == num_iterations - 1):
            print(f"Cost after iteration {i}: {cost:.6f}")
        if i % 100 == 0:
            costs.append(cost)
    return parameters, costs


@checked
def flatten_images(images):
    """Turn (m, height, width, 3) uint8 images into X of shape (height*width*3, m) in [0, 1].

    Each image becomes one column; dividing by 255 standardizes the pixels.
    """
    images = np.asarray(images)
    return images.reshape(images.shape[0], -1).T / 255


@checked
def predict(X, parameters, threshold=0.5):
    """Predict labels with a trained network.

    Arguments:
    X -- data, (n_x, m)
    parameters -- trained dict "W1", "b1", ...
    threshold -- a number in [0, 1]

    Returns:
    predictions -- (1, m) int array of 0/1: 1 where the output probability > threshold
    """
    AL, _ = L_model_forward(X, parameters)
    return (AL > threshold).astype(np.int64)  # y_hat = 1 where a[L] > threshold


@checked
def accuracy(predictions, Y):
    """Fraction of predictions equal to the labels Y; both (1, m) of 0/1. Returns a float in [0, 1]."""
    return float(np.mean(np.asarray(predictions) == np.asarray(Y)))


# ---------------------------------------------------------------------------
# What the notebooks also need, from the library around the course (dnnlib)
# ---------------------------------------------------------------------------

from dnnlib import gradcheck  # noqa: E402
from dnnlib.checks import num_layers  # noqa: E402,F401
from dnnlib.data import DATASETS_DIR, load_data, load_image  # noqa: E402,F401
from dnnlib.fast import L_layer_model_fast, two_layer_model_fast  # noqa: E402,F401
from dnnlib.files import load_parameters, save_parameters  # noqa: E402,F401
from dnnlib.gradcheck import (GRADIENT_CHECK_MAX_FLOPS, GradientCheckWarning,  # noqa: E402,F401
                              parameters_to_vector, vector_to_parameters)
from dnnlib.initialization import initial_parameters  # noqa: E402,F401
from dnnlib.plots import plot_costs, plot_decision_boundary, plot_images  # noqa: E402,F401
from dnnlib.training import TrainingDivergedError, TrainingProgress, TrainingWarning  # noqa: E402,F401


def gradient_check(parameters, X, Y, epsilon=1e-7, forward=None, backward=None, **options):
    """dnnlib.gradcheck.gradient_check of L_model_forward and L_model_backward, or of the
    forward and backward given: the difference between backpropagation's gradients and
    centred finite differences (below about 1e-7: backpropagation is right)."""
    return gradcheck.gradient_check(parameters, X, Y, epsilon, forward or L_model_forward,
                                    backward or L_model_backward, **options)
