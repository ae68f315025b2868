"""The fast path: the course's training, the same iterates, sooner.

`L_layer_model_fast` and `two_layer_model_fast` train what the course's L_layer_model and
two_layer_model train, from the same initial parameters, and agree with them up to
rounding (1e-10 in float64, tests/test_fast.py). They are one visible choice, called where
speed matters (notebooks 06-08, the widgets, the benchmarks); the course's functions never
call them. They leave out what the course functions need as teaching tools and the loop
does not (caches, the grads dict, per-call checks), and they carry the first layer in the
span of the examples when that is cheaper; notebook 08 explains how that is fast.
Nothing here is part of what a learner writes, and nothing here imports dnn_utils.
"""

from __future__ import annotations

import numpy as np

from dnnlib.checks import checked
from dnnlib.initialization import initial_parameters
from dnnlib.training import TrainingProgress, keep_what_was_trained

__all__ = ["L_layer_model_fast", "two_layer_model_fast", "train", "training_step", "span_step",
           "SpanFirstLayer", "form_costs", "choose_form", "gram", "gram_blocks", "FORMS"]


# The activations, as dnn_utils computes them (tests/test_fast.py compares the two)
def relu(Z):
    return np.maximum(Z, 0), Z


def sigmoid(Z):
    e = np.exp(-np.abs(Z))  # never overflows; sigmoid(Z) = e / (1 + e) for Z < 0
    return np.where(Z >= 0, 1 / (1 + e), e / (1 + e)), Z


def _relu_backward(dA, Z):
    return dA * (Z > 0)


@checked
def L_layer_model_fast(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False,
                       *, init="xavier", seed=1, dtype=np.float64, print_every=100, form="auto"):
    """L_layer_model's training, the same iterates sooner; with the library's options.

    Arguments (the course's, as in L_layer_model, then):
    init -- the initial scale of dnnlib.initialization.initial_parameters: "xavier" (the
            course's, as initialize_parameters draws it), "he" or a number such as 0.01
    seed -- int, np.random.Generator, None or np.random.RandomState (the course's numbers)
    dtype -- np.float64, or np.float32
    print_every -- with print_cost, print the cost every this many iterations and at the last one
    form -- how the first layer is carried: "auto", "weights" or "span" (notebook 08)

    Returns:
    parameters, costs -- as L_layer_model: costs every 100 iterations

    Raises TrainingDivergedError if the output becomes NaN or inf, or the cost grows far above
    its start; warns (TrainingWarning) once if the training stalls (dnnlib.training).
    Shows a progress bar when someone is watching, and a Ctrl-C keeps what was trained
    (dnnlib.training: the KeyboardInterrupt carries .parameters and .costs).
    """
    return _train_fast(X, Y, layers_dims, learning_rate, num_iterations, print_cost, init, seed, dtype,
                       print_every, form, "L_layer_model_fast")


@checked
def two_layer_model_fast(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False,
                         *, init=0.01, seed=1, dtype=np.float64, print_every=100, form="auto"):
    """two_layer_model's training, the same iterates sooner: L_layer_model_fast with the course's
    2-layer initialization (N(0, 1)·0.01, drawn as initialize_parameters_two_layer draws it)."""
    return _train_fast(X, Y, list(layers_dims), learning_rate, num_iterations, print_cost, init, seed, dtype,
                       print_every, form, "two_layer_model_fast")


def _train_fast(X, Y, layers_dims, learning_rate, num_iterations, print_cost, init, seed, dtype, print_every,
                form, name):
    X = _in_dtype(X, dtype)
    Y = Y.astype(dtype)
    parameters = initial_parameters(layers_dims, scale=init, seed=seed, dtype=dtype)
    progress = TrainingProgress(Y, learning_rate, num_iterations, print_cost, print_every, X=X, name=name)
    try:
        with np.errstate(over="call", invalid="ignore", call=progress.numpy_error):  # reported by `progress`
            parameters = train(X, Y, parameters, learning_rate, num_iterations, progress, form=form)
    except KeyboardInterrupt as error:  # train left the parameters whole, after error.updates_done steps
        keep_what_was_trained(error, name, parameters, progress.costs, getattr(error, "updates_done", 0),
                              num_iterations)
        raise
    finally:
        progress.close()
    progress.finish(parameters)
    return parameters, progress.costs

def _in_dtype(X, dtype):
    """X in the training dtype; values beyond the dtype's range (1e39 in float32) are refused, not inf."""
    with np.errstate(over="ignore", invalid="ignore"):  # values beyond the dtype: refused below
        converted = np.asarray(X, dtype=dtype)
    if converted.dtype != X.dtype and X.dtype.kind == "f" and X.size:
        if not np.isfinite(converted).all():
            raise ValueError(f"X does not fit in dtype {np.dtype(dtype)}: its values reach "
                             f"{float(np.max(np.abs(X))):.3g}, beyond {np.dtype(dtype)}'s largest number "
                             f"{float(np.finfo(dtype).max):.3g}. Scale X (e.g. divide pixels by 255 or "
                             f"standardize each feature), or train in float64")
    return converted


#: The two ways train can carry the first layer: W1 itself, or the coefficients C of W1 = W1_0 + C·X.T
FORMS = ("weights", "span")


def form_costs(n_x, m, n1, num_iterations, itemsize=8):
    """The cost of a whole training in each form of the first layer, and the span form's extra memory.

    Only what differs between the two forms is counted: the first layer's big products.
      weights: per iteration Z1 = W1·X and dW1 = dZ1·X.T, 2·n1·n_x·m flops each.
      span:    once G = X.T·X (n_x·m·m flops: a symmetric product, each pair summed once),
               Z1_0 = W1_0·X and at the end W1 = W1_0 + C·X.T (2·n1·n_x·m each);
               per iteration C·G (2·n1·m·m).
    The span form works in float64 (SpanFirstLayer). For float32 data (itemsize 4) its flops
    count double, as float64 products run at about half the float32 rate, and G is summed
    from float64 blocks of X (still symmetric, n_x·m·m).
    Its extra memory, in bytes: G, Z1_0 and C in float64, and for float32 data the blocks
    that making G and W1 needs (gram_blocks).

    Returns {"weights": cost, "span": cost, "span bytes": bytes, "X bytes": n_x·m·itemsize};
    a cost is in flops of the training dtype.
    """
    n_x, m, n1, T, itemsize = int(n_x), int(m), int(n1), int(num_iterations), int(itemsize)
    weights = T * 4 * n1 * n_x * m
    span_bytes = 8 * (m * m + 2 * n1 * m)
    if itemsize == 8:
        span = n_x * m * m + 4 * n1 * n_x * m + T * 2 * n1 * m * m
    else:
        span = 2 * (n_x * m * m + 4 * n1 * n_x * m + T * 2 * n1 * m * m)
        span_bytes += 8 * gram_blocks(n_x, m) * m + 8 * m * m  # a float64 block of X, Xb.T·Xb
    return {"weights": weights, "span": span, "span bytes": span_bytes, "X bytes": n_x * m * itemsize}


def choose_form(n_x, m, n1, num_iterations, itemsize=8):
    """"span" where its whole training costs less (form_costs) and its extra memory is at most X's; else "weights"."""
    cost = form_costs(n_x, m, n1, num_iterations, itemsize)
    if cost["span"] < cost["weights"] and cost["span bytes"] <= cost["X bytes"]:
        return "span"
    return "weights"


def train(X, Y, parameters, learning_rate, num_iterations, progress, *, form="auto"):
    """Run `num_iterations` steps of full-batch gradient descent on `parameters`.

    Arguments:
    X -- data, (n_x, m), already in the training dtype;  Y -- labels, (1, m), same dtype
    parameters -- dict "W1", "b1", ..., "WL", "bL", updated (the W arrays are replaced)
    learning_rate -- α
    num_iterations -- number of steps
    progress -- called as progress(i, AL) after the forward pass of iteration i, with
                AL (1, m) computed from the parameters before that iteration's update
                (dnnlib.training.TrainingProgress: costs, printing, divergence)
    form -- "auto" (choose_form decides), "weights" (carry W1, training_step) or
            "span" (carry C with W1 = W1_0 + C·X.T, span_step; W1 is formed at the end)

    Returns:
    parameters -- the trained dict

    If the training stops with an exception (a KeyboardInterrupt, or TrainingDivergedError from
    `progress`), `parameters` is left consistent at one iterate, the one after the last whole
    update (in the span form W1 is formed from the span first), and the exception says which:
    its `updates_done` attribute, and a note.
    """
    if form not in ("auto",) + FORMS:
        raise ValueError(f"form must be 'auto', 'weights' or 'span', found {form!r}")
    # X stored example by example (Fortran order: the n_x values of one example contiguous,
    # as flatten_images makes it). OpenBLAS runs both big products, W1·X and dZ1·X.T,
    # faster in this layout, and a float64 X from flatten_images is used without a copy.
    X = np.asfortranarray(X)
    if form == "auto":
        form = choose_form(X.shape[0], X.shape[1], parameters["W1"].shape[0], num_iterations,
                           X.dtype.itemsize)
    # Each step commits all its layers in one C call at its end (_step: parameters.update), so
    # the dict is always at one iterate, whatever line an exception (Ctrl-C) lands on. `mark`
    # is (k, the b1 array after k updates, the span's C then), stored in one assignment: after
    # an exception, a b1 that is no longer that array means one more step was committed.
    mark = (0, parameters.get("b1"), None)
    if form == "weights" or num_iterations == 0:
        try:
            for i in range(num_iterations):
                AL = training_step(X, Y, parameters, learning_rate)
                mark = (i + 1, parameters["b1"], None)
                progress(i, AL)
            return parameters
        except BaseException as error:
            _stopped(error, _updates_done(mark, parameters), "weights")
            raise
    span = SpanFirstLayer(X, parameters["W1"])
    mark = (0, parameters["b1"], span.C)
    try:
        for i in range(num_iterations):
            AL = span_step(span, Y, parameters, learning_rate)
            mark = (i + 1, parameters["b1"], span.C)  # (the old C is freed here, not kept)
            progress(i, AL)
        parameters["W1"] = span.weights()  # inside the try: a Ctrl-C here still gets W1 formed
        return parameters
    except BaseException as error:
        done = _updates_done(mark, parameters)
        if done == mark[0] and span.C is not mark[2]:
            span.C = mark[2]  # stopped between the step's new C and its commit: C back to that iterate
        try:
            parameters["W1"] = span.weights()  # W1 of the same iterate as the other layers
        except BaseException:  # noqa: BLE001 (W1 cannot be formed: say so, re-raise the first)
            _stopped(error, done, "span", formed=False)
            raise error from None
        _stopped(error, done, "span")
        raise


def _updates_done(mark, parameters):
    """Whole updates made when a training stopped: mark[0], or one more if b1 was replaced since."""
    done, b1_then, _ = mark
    return done + (parameters.get("b1") is not b1_then)


def _stopped(error, done, form, formed=True):
    """Tell a stopped training's exception which iterate `parameters` holds."""
    if formed:
        what = (f"train(form={form!r}) stopped: parameters hold the iterate after {done} whole "
                f"update(s), every array of the same iteration"
                + (" (W1 formed from the span)" if form == "span" else ""))
    else:
        what = (f"train(form='span') stopped after {done} update(s), but W1 could not be formed from "
                f"the span: parameters['W1'] is still the initial W1, the other arrays are after {done} updates")
    try:
        error.updates_done = done
        error.add_note(what)
    except AttributeError:  # an exception without a __dict__ or notes
        pass


class SpanFirstLayer:
    """The first layer carried in the span of the examples: W1 = W1_0 + C·X.T.

    Every gradient dW1 = dZ1·X.T / m is a combination of the examples (the columns of X),
    so gradient descent keeps W1 - W1_0 of the form C·X.T, C of shape (n1, m). Then
        Z1 = W1·X = W1_0·X + C·(X.T·X) = Z1_0 + C·G,
    and the update W1 -= α/m · dZ1·X.T is C -= α/m · dZ1. G (m x m) and Z1_0 (n1 x m) are
    computed once, here; notebook 08 proves this and measures it.

    G, Z1_0 and C are kept in float64 whatever X's dtype. With all-positive data such as
    pixels, G's entries are all large and positive while C's columns nearly cancel, so
    C·G rounded in float32 loses digits the textbook's W1·X does not: measured, float32
    training in the span form with float32 G, C, Z1_0 drifted up to 4e-4 (relative) from
    the textbook's float32 iterates in 60 iterations; in float64 it agrees to the
    textbook's own float32 rounding. Z1 is handed to the rest of the step in X's dtype.

    Attributes: X (n_x, m), W1_0 (n1, n_x), G = X.T·X (m, m), Z1_0 = W1_0·X (n1, m), C (n1, m).
    """

    def __init__(self, X, W1):
        self.X, self.W1_0 = X, W1
        self.G = gram(X)
        self.Z1_0 = (X.T @ W1.T).T.astype(np.float64, copy=False)  # = W1_0·X, as training_step makes it
        self.C = np.zeros((W1.shape[0], X.shape[1]), dtype=np.float64)

    def Z1(self, b1):
        """Z1 = W1·X + b1 = Z1_0 + C·G + b1, in a new array of X's dtype."""
        Z1 = self.C @ self.G
        Z1 += self.Z1_0
        Z1 += b1
        return Z1 if self.X.dtype == np.float64 else Z1.astype(self.X.dtype)

    def weights(self):
        """W1 = W1_0 + C·X.T, in a new array of W1_0's dtype."""
        if self.X.dtype == np.float64:
            W1 = self.C @ self.X.T
            W1 += self.W1_0
            return W1
        W1 = self.W1_0.copy()
        rows = gram_blocks(*self.X.shape)
        for start in range(0, self.X.shape[0], rows):
            Xb = self.X[start:start + rows].astype(np.float64)
            W1[:, start:start + rows] += self.C @ Xb.T
        return W1


def gram_blocks(n_x, m):
    """Rows per block: gram and SpanFirstLayer.weights copy float32 X to float64 1/16 of its rows at a time."""
    return -(-int(n_x) // 16)


def gram(X):
    """G = X.T·X, (m, m), in float64.

    float64 X: numpy's X.T @ X (it sees the two operands are one matrix and sums each pair once).
    float32 X: the same symmetric product of float64 copies of blocks of rows of X
    (gram_blocks), G = Σ_blocks Xb.T·Xb, so that the float64 temporary stays 1/16 of X.
    """
    if X.dtype == np.float64:
        return X.T @ X
    n_x, m = X.shape
    rows = gram_blocks(n_x, m)
    G = np.zeros((m, m), dtype=np.float64)
    for start in range(0, n_x, rows):
        Xb = np.ascontiguousarray(X[start:start + rows], dtype=np.float64)
        G += Xb.T @ Xb  # one matrix with its own transpose: numpy sums each pair once
    return G


def training_step(X, Y, parameters, learning_rate):
    """One iteration of L_layer_model's fast path: forward pass, backward pass and update, in one function.

    It updates `parameters` as these three lines do, and returns their AL, (1, m):

        AL, caches = L_model_forward(X, parameters)
        grads = L_model_backward(AL, Y, caches)
        update_parameters(parameters, grads, learning_rate)

    The numbers agree up to rounding (tests/test_fast.py). It is faster because it
    leaves out what those functions need as teaching tools and the loop does not: their
    input checks (L_layer_model checked X and Y and made the parameters), the caches and
    the grads dict (each new W[l] and b[l] is made as soon as its gradient is known, and the dict
    gets them all at the end, in one update: the caller's arrays are replaced, never written
    over). Two more savings:
    - α/m multiplies dZ[L] once. The backward pass is linear in dZ, so every dZ[l] below
      carries the factor, and dZ[l]·A[l-1].T is already α·dW[l]: no dW-sized multiplication.
    - Z1 = W1·X is computed as (X.T·W1.T).T, the same sums handed to OpenBLAS the other way
      round (both transposes are views). For the course's skinny (20 x 12288)·(12288 x 209)
      it runs 1.3-1.5x faster in float32, as fast in float64 on one thread, and with two
      threads it does not stall the way W1·X can on a busy machine (benchmarks/).
    """
    W1, b1 = parameters["W1"], parameters["b1"]
    Z1 = (X.T @ W1.T).T + b1  # = W1·X + b1, in the order OpenBLAS runs fastest

    def update_first(dZ1):
        # W[1] - α·dW[1] (dZ1 carries α/m), summed into the product's own new array, which
        # replaces W[1]. Writing over W[1] in place, just after both BLAS threads read it,
        # costs up to 1 ms more per iteration on a 2-core machine (benchmarks/README.md).
        W1_new = (-dZ1) @ X.T
        W1_new += W1
        return W1_new

    return _step(Z1, X, Y, parameters, learning_rate, update_first)


def span_step(span, Y, parameters, learning_rate):
    """training_step with the first layer in the span form (SpanFirstLayer): the same iterate.

    Z1 = Z1_0 + C·G + b1 instead of W1·X + b1, and C -= α/m · dZ1 instead of
    W1 -= α/m · dZ1·X.T; parameters["W1"] is not read or changed (span.weights() forms it).
    """
    Z1 = span.Z1(parameters["b1"])

    def update_first(dZ1):
        # dZ1 carries α/m: C - α/m · dZ[1], a new array (one assignment: train can put the
        # old C back if the step is stopped before its commit)
        span.C = span.C - dZ1

    return _step(Z1, None, Y, parameters, learning_rate, update_first)


def _step(Z1, X, Y, parameters, learning_rate, update_first):
    """The iteration from Z1 = W1·X + b1 on; update_first(α/m · dZ1) updates the first layer's weights."""
    L = len(parameters) // 2
    m = Z1.shape[1]
    # forward: Z[l] = W[l]·A[l-1] + b[l]; A[l] = relu(Z[l]), sigmoid for the output layer
    A, Z = [X], [None, Z1]
    A.append(relu(Z1)[0] if L > 1 else sigmoid(Z1)[0])
    for l in range(2, L + 1):
        W, b = parameters["W" + str(l)], parameters["b" + str(l)]
        Z.append(W @ A[l - 1] + b)
        A.append(relu(Z[l])[0] if l < L else sigmoid(Z[l])[0])
    AL = A[L]
    # backward and update, output layer first; here dZ stands for α/m · dZ[l]
    # dZ[L] = AL - Y (sigmoid followed by cross-entropy); a Python float keeps float32 in float32
    dZ = (AL - Y) * (float(learning_rate) / m)
    # every new array is made first, into `new`; the caller's arrays are never written over
    new = {}
    for l in range(L, 1, -1):
        W = parameters["W" + str(l)]
        dA_below = W.T @ dZ  # dA[l-1] = W[l].T·dZ[l], with W[l] before its update
        # W[l] - α·dW[l], dW[l] = dZ[l]·A[l-1].T / m, into a new array that replaces W[l]
        W_new = (-dZ) @ A[l - 1].T
        W_new += W
        new["W" + str(l)] = W_new
        new["b" + str(l)] = parameters["b" + str(l)] - dZ.sum(axis=1, keepdims=True)  # b[l] - α·db[l]
        dZ = _relu_backward(dA_below, Z[l - 1])  # dZ[l-1] = dA[l-1]·relu'(Z[l-1])
    new["b1"] = parameters["b1"] - dZ.sum(axis=1, keepdims=True)
    W1_new = update_first(dZ)  # the span form sets its C here instead (train undoes it if stopped before the commit)
    if W1_new is not None:
        new["W1"] = W1_new
    # the commit: one C call replaces every array at once, so no Ctrl-C lands halfway through it
    parameters.update(new)
    return AL
