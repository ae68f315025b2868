"""A plain textbook implementation of the course's model, for the tests of dnn_fast to compare with.

Written the straightforward way, on purpose independent of dnn_utils and dnn_fast: forward
pass with caches, cost, backward pass through dA (sigmoid_backward included), update in new
arrays. Slow and clear.
"""

import numpy as np


def initialize(layers_dims, seed=1, dtype=np.float64):
    """W[l] ~ N(0, 1) / sqrt(n[l-1]), b[l] = 0, from np.random.default_rng(seed)."""
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        W = rng.standard_normal((layers_dims[l], layers_dims[l - 1])) / np.sqrt(layers_dims[l - 1])
        parameters["W" + str(l)] = W.astype(dtype)
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1), dtype=dtype)
    return parameters


def forward(X, parameters):
    """[LINEAR -> RELU] * (L-1) -> LINEAR -> SIGMOID: AL and the caches (A_prev, W, Z) per layer."""
    L = len(parameters) // 2
    A, caches = X, []
    for l in range(1, L + 1):
        W, b = parameters["W" + str(l)], parameters["b" + str(l)]
        Z = W @ A + b
        caches.append((A, W, Z))
        A = np.maximum(Z, 0) if l < L else 1 / (1 + np.exp(-Z))
    return A, caches


def cost(AL, Y):
    m = Y.shape[1]
    return float(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m)


def backward(AL, Y, caches):
    """grads dW1, db1, ... of the cross-entropy cost."""
    grads = {}
    L = len(caches)
    m = Y.shape[1]
    dA = -(Y / AL - (1 - Y) / (1 - AL))
    for l in range(L, 0, -1):
        A_prev, W, Z = caches[l - 1]
        if l == L:
            s = 1 / (1 + np.exp(-Z))
            dZ = dA * s * (1 - s)
        else:
            dZ = dA * (Z > 0)
        grads["dW" + str(l)] = dZ @ A_prev.T / m
        grads["db" + str(l)] = np.sum(dZ, axis=1, keepdims=True) / m
        dA = W.T @ dZ
    return grads


def update(parameters, grads, learning_rate):
    """W - α·dW, b - α·db, in new arrays (the dtype of the parameters kept)."""
    return {k: (v - learning_rate * grads["d" + k]).astype(v.dtype) for k, v in parameters.items()}


def train(X, Y, parameters, learning_rate, num_iterations):
    """Gradient descent from copies of `parameters`: (trained parameters, list of every iteration's AL)."""
    parameters = {k: v.copy() for k, v in parameters.items()}
    outputs = []
    for _ in range(num_iterations):
        AL, caches = forward(X, parameters)
        outputs.append(AL)
        parameters = update(parameters, backward(AL, Y, caches), learning_rate)
    return parameters, outputs


def relative_difference(a, b):
    """||a - b|| / max(||a||, ||b||), computed in float64; 0 if both are zero."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    scale = max(np.linalg.norm(a), np.linalg.norm(b))
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)
