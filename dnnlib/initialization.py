"""Every kind of initialization, for the library's own training and the experiments.

The course's initialize_parameters (dnn_utils) draws Xavier's scale in float64, the one
the course's application uses. initial_parameters draws the same numbers for the same
seed (tests/test_initialization.py), and offers what notebooks 01 and 07 compare: other
scales and float32.
"""

from __future__ import annotations

import numpy as np

from dnnlib.checks import checked, course_generator

__all__ = ["initial_parameters"]


@checked
def initial_parameters(layer_dims, scale="xavier", seed=None, dtype=np.float64):
    """Initialize W1, b1, ..., WL, bL of an L-layer network.

    Arguments:
    layer_dims -- [n_x, n_1, ..., n_L]
    scale -- "xavier": W[l] ~ N(0, 1) / sqrt(n[l-1])  (the course's application, the default)
             "he":     W[l] ~ N(0, 1) · sqrt(2 / n[l-1])  (made for ReLU layers)
             a number, e.g. 0.01: W[l] ~ N(0, 1) · 0.01   (the course's exercise, and the blog post)
    seed -- an int, a np.random.Generator, None (fresh entropy), or a np.random.RandomState,
            which draws as the course's np.random.randn does (RandomState(1) gives its numbers)
    dtype -- np.float64 (default) or np.float32: drawn in float64, then cast

    Returns:
    parameters -- W[l] (n[l], n[l-1]) and b[l] (n[l], 1) of zeros, in `dtype`
    """
    rng = course_generator(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        W = rng.standard_normal((layer_dims[l], layer_dims[l - 1]))
        if scale == "xavier":
            W = W / np.sqrt(layer_dims[l - 1])  # as the course divides, to the last bit
        else:
            W = W * (np.sqrt(2 / layer_dims[l - 1]) if scale == "he" else scale)
        parameters["W" + str(l)] = W.astype(dtype)
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1), dtype=dtype)
    return parameters
