"""The slips of the blog post this series grew from, written out once.

The post, "coursera - Neural Networks and Deep Learning - (3) multiple layer"
(https://soonyubi.github.io/docs/ai/coursera/neural_networks_and_deep_learning_3/), builds the
same L-layer network as the notebooks. Its code has a few mistakes that a learner can easily
make too. Each function here keeps the course's name and signature, so it can stand in for the
right one; notebooks 02 and 04 show what goes wrong, and the tests check that every
self-check catches it:

* ``linear_forward``: ``np.dot(A, W) + b`` instead of ``W·A + b``;
* ``linear_activation_forward``: calls ``relu(z)`` with a ``z`` that does not exist;
* ``L_model_forward``: feeds the output layer ``A_prev`` instead of ``A``;
* ``L_model_forward_dot``: the right loop, with the ``np.dot(A, W)`` of ``linear_forward``;
* ``relu_backward``: ``dZ[Z < 0] = 0``, which lets the gradient through at ``Z == 0``;
* ``linear_backward``: no ``1/m`` in ``dW`` and ``db``.
"""

import numpy as np

import dnn_utils
from dnn_utils import relu, sigmoid

POST = "https://soonyubi.github.io/docs/ai/coursera/neural_networks_and_deep_learning_3/"


def linear_forward(A, W, b):
    Z = np.dot(A, W) + b  # bug: A·W instead of W·A
    return Z, (A, W, b)


def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = dnn_utils.linear_forward(A_prev, W, b)
    if activation == "sigmoid":
        A, activation_cache = sigmoid(Z)
    else:
        A, activation_cache = relu(z)  # noqa: F821 - bug: `z` is not defined (NameError)
    return A, (linear_cache, activation_cache)


def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L):
        A_prev = A
        A, cache = dnn_utils.linear_activation_forward(A_prev, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
        caches.append(cache)
    # bug: the output layer is fed A_prev, the input of the last hidden layer, instead of A
    AL, cache = dnn_utils.linear_activation_forward(A_prev, parameters["W" + str(L)], parameters["b" + str(L)], "sigmoid")
    caches.append(cache)
    return AL, caches


def L_model_forward_dot(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L + 1):
        Z, linear_cache = linear_forward(A, parameters["W" + str(l)], parameters["b" + str(l)])  # A·W
        A, Z = relu(Z) if l < L else sigmoid(Z)
        caches.append((linear_cache, Z))
    return A, caches


def relu_backward(dA, cache):
    Z = cache
    dZ = np.array(dA, copy=True)
    dZ[Z < 0] = 0  # bug: Z < 0 instead of Z <= 0 lets the gradient through at Z == 0
    return dZ


def linear_backward(dZ, cache, need_dA_prev=True):
    A_prev, W, b = cache
    dW = dZ @ A_prev.T  # bug: no 1/m
    db = np.sum(dZ, axis=1, keepdims=True)  # bug: no 1/m
    return W.T @ dZ, dW, db
