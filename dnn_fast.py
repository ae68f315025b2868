"""dnn_fast: the speed-only code of L_layer_model, kept apart from the teaching code.

`L_layer_model(..., fast=True)` (the default) runs its iterations with `train` below.
It computes what the course's loop of L_model_forward, compute_cost, L_model_backward
and update_parameters computes, up to rounding (tests/test_fast.py), without the
teaching functions' input checks, caches and grads dict. Nothing here is part of what
a learner writes; notebook 08 explains how it is fast.
"""

from __future__ import annotations

import numpy as np

from dnn_utils import relu, relu_backward, sigmoid

__all__ = ["train", "training_step"]


def train(X, Y, parameters, learning_rate, num_iterations, progress):
    """Run `num_iterations` steps of full-batch gradient descent on `parameters`.

    Arguments:
    X -- data, (n_x, m), already in the training dtype;  Y -- labels, (1, m), same dtype
    parameters -- dict "W1", "b1", ..., "WL", "bL", updated (the W arrays are replaced)
    learning_rate -- α
    num_iterations -- number of steps
    progress -- called as progress(i, AL) after the forward pass of iteration i, with
                AL (1, m) computed from the parameters before that iteration's update
                (dnn_utils.TrainingProgress: costs, printing, divergence)

    Returns:
    parameters -- the trained dict
    """
    # X stored example by example (Fortran order: the n_x values of one example contiguous,
    # as flatten_images makes it). OpenBLAS runs both big products, W1·X and dZ1·X.T,
    # faster in this layout, and a float64 X from flatten_images is used without a copy.
    X = np.asfortranarray(X)
    for i in range(num_iterations):
        AL = training_step(X, Y, parameters, learning_rate)
        progress(i, AL)
    return parameters


def training_step(X, Y, parameters, learning_rate):
    """One iteration of L_layer_model's fast path: forward pass, backward pass and update, in one function.

    It updates `parameters` as these three lines do, and returns their AL, (1, m):

        AL, caches = L_model_forward(X, parameters)
        grads = L_model_backward(AL, Y, caches)
        update_parameters(parameters, grads, learning_rate)

    The numbers agree up to rounding (tests/test_performance.py). It is faster because it
    leaves out what those functions need as teaching tools and the loop does not: their
    input checks (L_layer_model checked X and Y and made the parameters), the caches and
    the grads dict (each W[l] is updated as soon as its gradient is known; the dict then holds
    a new array for it, b[l] is updated in place). Two more savings:
    - α/m multiplies dZ[L] once. The backward pass is linear in dZ, so every dZ[l] below
      carries the factor, and dZ[l]·A[l-1].T is already α·dW[l]: no dW-sized multiplication.
    - Z1 = W1·X is computed as (X.T·W1.T).T, the same sums handed to OpenBLAS the other way
      round (both transposes are views). For the course's skinny (20 x 12288)·(12288 x 209)
      it runs 1.3-1.5x faster in float32, as fast in float64 on one thread, and with two
      threads it does not stall the way W1·X can on a busy machine (benchmarks/).
    """
    L = len(parameters) // 2
    m = X.shape[1]
    # forward: Z[l] = W[l]·A[l-1] + b[l]; A[l] = relu(Z[l]), sigmoid for the output layer
    A, Z = [X], [None]
    for l in range(1, L + 1):
        W, b = parameters["W" + str(l)], parameters["b" + str(l)]
        if l == 1:
            Z.append((X.T @ W.T).T + b)  # = W1·X + b1, in the order OpenBLAS runs fastest
        else:
            Z.append(W @ A[l - 1] + b)
        A.append(relu(Z[l])[0] if l < L else sigmoid(Z[l])[0])
    AL = A[L]
    # backward and update, output layer first; here dZ stands for α/m · dZ[l]
    # dZ[L] = AL - Y (sigmoid followed by cross-entropy); a Python float keeps float32 in float32
    dZ = (AL - Y) * (float(learning_rate) / m)
    for l in range(L, 0, -1):
        W, b = parameters["W" + str(l)], parameters["b" + str(l)]
        if l > 1:
            dA_prev = W.T @ dZ  # dA[l-1] = W[l].T·dZ[l], with W[l] before its update
        # W[l] - α·dW[l], dW[l] = dZ[l]·A[l-1].T / m, summed into the product's own new array,
        # which replaces W[l]. Writing over W[l] in place, just after both BLAS threads read it,
        # costs up to 1 ms more per iteration on a 2-core machine (benchmarks/README.md).
        W_new = (-dZ) @ A[l - 1].T
        W_new += W
        parameters["W" + str(l)] = W_new
        b -= np.sum(dZ, axis=1, keepdims=True)  # b[l] -= α·db[l], db[l] = Σ_columns dZ[l] / m
        if l > 1:
            dZ = relu_backward(dA_prev, Z[l - 1])  # dZ[l-1] = dA[l-1]·relu'(Z[l-1])
    return AL
