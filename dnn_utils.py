"""dnn_utils: a deep (L-layer) neural network from scratch, with numpy.

This is the one module every notebook of the series imports. It follows the
course "Neural Networks and Deep Learning" (week 4), with its names and shapes:

* ``X`` is ``(n_x, m)``: one column per example; ``Y`` is ``(1, m)`` of 0/1.
* ``parameters`` is a dict ``{'W1': (n_1, n_0), 'b1': (n_1, 1), ..., 'WL', 'bL'}``.
* ``grads`` is a dict ``{'dW1', 'db1', ..., 'dA1', ...}`` with the shapes of
  what they differentiate.
* every ``*_forward`` returns ``(output, cache)``: the cache keeps what the
  matching ``*_backward`` needs, so backward never recomputes the forward pass.

The functions the notebooks teach appear in them cell for cell; a test
(``tests/test_notebook_sync.py``) fails if a notebook and this file disagree.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from dnn_checks import (check_labels, check_layer_dims, check_learning_rate, check_matrix,
                        num_layers)

__all__ = [
    "DATASETS_DIR", "TrainingDivergedError",
    "load_data", "flatten_images", "load_image",
    "initialize_parameters",
    "sigmoid", "relu", "linear_forward", "linear_activation_forward", "L_model_forward",
    "compute_cost",
    "sigmoid_backward", "relu_backward", "linear_backward", "linear_activation_backward",
    "L_model_backward",
    "update_parameters",
    "TrainingProgress", "L_layer_model", "two_layer_model", "predict", "accuracy",
    "gradient_check", "parameters_to_vector", "vector_to_parameters",
    "save_parameters", "load_parameters",
    "plot_costs", "plot_images", "plot_decision_boundary",
]

#: The shipped cat / non-cat dataset, next to this file (not the working directory).
DATASETS_DIR = Path(__file__).resolve().parent / "datasets"


class TrainingDivergedError(FloatingPointError):
    """Training produced NaN or inf: the learning rate is usually too large."""


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

def _read_h5_split(path, split):
    """Read `{split}_set_x`, `{split}_set_y` and `list_classes` from one course HDF5 file."""
    import h5py

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"dataset file not found: {path} "
                                f"(expected {split}_catvnoncat.h5 in the course's HDF5 format)")
    if not h5py.is_hdf5(path):
        raise ValueError(f"{path} is not an HDF5 file; expected the course's {split}_catvnoncat.h5")
    keys = [f"{split}_set_x", f"{split}_set_y", "list_classes"]
    with h5py.File(path, "r") as f:
        missing = [k for k in keys if k not in f]
        if missing:
            raise ValueError(f"{path} is missing {missing}; expected keys {keys}, found {sorted(f.keys())}")
        x, y, classes = (np.array(f[k][:]) for k in keys)
    if x.ndim != 4 or x.shape[-1] != 3 or x.dtype != np.uint8:
        raise ValueError(f"{path}: {split}_set_x must be (m, height, width, 3) uint8 images, "
                         f"found {x.shape} {x.dtype}")
    if y.size != x.shape[0]:
        raise ValueError(f"{path}: {x.shape[0]} images but {y.size} labels; the counts must agree")
    y = y.reshape(1, -1)
    if not np.all((y == 0) | (y == 1)):
        raise ValueError(f"{path}: labels must be 0 or 1, found {np.unique(y).tolist()}")
    return x, y, classes


def load_data(path=None):
    """Load the cat / non-cat dataset in the course's HDF5 format.

    Arguments:
    path -- folder holding train_catvnoncat.h5 and test_catvnoncat.h5; defaults to
            the project's datasets/ folder, whatever the working directory is. The
            course's original files work unchanged: point `path` at their folder.

    Returns:
    train_x_orig -- (m_train, 64, 64, 3) uint8 images
    train_y -- (1, m_train) labels, 1 = cat, 0 = non-cat
    test_x_orig -- (m_test, 64, 64, 3) uint8 images
    test_y -- (1, m_test) labels
    classes -- (2,) bytes array, [b'non-cat', b'cat']
    """
    folder = DATASETS_DIR if path is None else Path(path)
    if not folder.is_dir():
        raise FileNotFoundError(f"dataset folder not found: {folder} "
                                f"(expected a folder holding train_catvnoncat.h5 and test_catvnoncat.h5)")
    train_x_orig, train_y, classes = _read_h5_split(folder / "train_catvnoncat.h5", "train")
    test_x_orig, test_y, _ = _read_h5_split(folder / "test_catvnoncat.h5", "test")
    return train_x_orig, train_y, test_x_orig, test_y, classes


def flatten_images(images, dtype=np.float64):
    """Turn (m, height, width, 3) uint8 images into X of shape (height*width*3, m) in [0, 1].

    Each image becomes one column; dividing by 255 standardizes the pixels.
    """
    images = np.asarray(images)
    if images.ndim != 4:
        raise ValueError(f"images must be (m, height, width, channels), found shape {images.shape}")
    return (images.reshape(images.shape[0], -1).T / 255.0).astype(dtype, copy=False)


def load_image(path, size=64):
    """Load any image file as a (size, size, 3) uint8 RGB array: centre-cropped, then resized.

    Grayscale, palette, RGBA and CMYK images are converted to RGB, and a photo whose
    EXIF orientation tag says it is stored rotated is turned upright first.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"image not found: {path}")
    try:
        with Image.open(path) as im:
            im.load()
            # phone photos are often stored sideways with an EXIF "rotate me" tag
            im = ImageOps.exif_transpose(im)
            if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
                im = im.convert("RGBA")
                white = Image.new("RGBA", im.size, (255, 255, 255, 255))
                im = Image.alpha_composite(white, im)
            if im.mode.startswith("I;16") or im.mode == "I":
                im = Image.fromarray((np.asarray(im, dtype=np.float64) / 256).clip(0, 255).astype(np.uint8))
            im = im.convert("RGB")
    except (UnidentifiedImageError, OSError) as e:
        raise ValueError(f"{path} is not a readable image ({e})") from None
    w, h = im.size
    side = min(w, h)
    left, top = (w - side) // 2, (h - side) // 2
    im = im.crop((left, top, left + side, top + side)).resize((size, size), Image.LANCZOS)
    return np.asarray(im, dtype=np.uint8)


# ---------------------------------------------------------------------------
# Step 1: initialization
# ---------------------------------------------------------------------------

def initialize_parameters(layer_dims, scale="xavier", seed=None, dtype=np.float64):
    """Initialize the weights and biases of an L-layer network.

    Arguments:
    layer_dims -- [n_x, n_1, ..., n_L], the number of units in each layer (input first)
    scale -- how large the random weights are:
             "xavier": W[l] ~ N(0, 1) * sqrt(1 / n[l-1])  (the default; trains a 5-layer net)
             "he":     W[l] ~ N(0, 1) * sqrt(2 / n[l-1])  (made for ReLU layers)
             a number, e.g. 0.01: W[l] ~ N(0, 1) * 0.01   (the seed post's choice)
    seed -- an int, a np.random.Generator, or None (fresh entropy). The global
            NumPy random state is never touched.
    dtype -- np.float64 (default) or np.float32

    Returns:
    parameters -- dict with "W1", "b1", ..., "WL", "bL":
                  W[l] has shape (layer_dims[l], layer_dims[l-1]), b[l] has shape (layer_dims[l], 1)
    """
    dims = check_layer_dims(layer_dims)
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(dims)):
        n_prev = dims[l - 1]
        if scale == "xavier":
            std = np.sqrt(1.0 / n_prev)
        elif scale == "he":
            std = np.sqrt(2.0 / n_prev)
        elif (isinstance(scale, (int, float)) and not isinstance(scale, bool)
              and np.isfinite(scale) and scale > 0):
            std = float(scale)
        else:
            raise ValueError(f"scale must be 'xavier', 'he' or a positive number, found {scale!r}")
        # random weights break the symmetry between units; zero biases are fine
        parameters["W" + str(l)] = (rng.standard_normal((dims[l], n_prev)) * std).astype(dtype)
        parameters["b" + str(l)] = np.zeros((dims[l], 1), dtype=dtype)
    return parameters


# ---------------------------------------------------------------------------
# Step 2: forward propagation
# ---------------------------------------------------------------------------

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
    if A.ndim != 2 or W.ndim != 2 or W.shape[1] != A.shape[0] or b.shape != (W.shape[0], 1):
        raise ValueError(f"linear_forward expects A (n_prev, m), W (n, n_prev), b (n, 1); "
                         f"found A {A.shape}, W {W.shape}, b {b.shape}")
    Z = W @ A + b  # Z[l] = W[l]·A[l-1] + b[l]: W on the left, one column per example
    cache = (A, W, b)
    return Z, cache


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
    else:
        raise ValueError(f"activation must be 'relu' or 'sigmoid', found {activation!r}")
    cache = (linear_cache, activation_cache)
    return A, cache


def L_model_forward(X, parameters):
    """Forward propagation: [LINEAR -> RELU] * (L-1) -> LINEAR -> SIGMOID.

    Arguments:
    X -- input, (n_x, m)
    parameters -- dict "W1", "b1", ..., "WL", "bL" (see initialize_parameters)

    Returns:
    AL -- the output layer's activations (the predicted probabilities), (1, m)
    caches -- list of the L caches of linear_activation_forward, layer 1 first
    """
    L = num_layers(parameters)
    n_x = parameters["W1"].shape[1]
    if np.ndim(X) != 2 or X.shape[0] != n_x:
        raise ValueError(f"X must be (n_x, m) = ({n_x}, m) to match W1, one column per example; "
                         f"found shape {np.shape(X)}")
    caches = []
    A = X
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

def compute_cost(AL, Y):
    """Binary cross-entropy: J = -1/m · Σ [y·log(a) + (1-y)·log(1-a)].

    Arguments:
    AL -- predicted probabilities, (1, m), each in [0, 1]
    Y -- true labels, (1, m), each 0 or 1

    Returns:
    cost -- a Python float. AL is clipped to [eps, 1 - eps] (eps = the dtype's
            machine epsilon), so the cost stays finite where AL is exactly 0 or 1.
    """
    check_matrix("AL", AL, rows=1)
    check_labels(Y, AL.shape[1], other="AL")
    if np.any((AL < 0) | (AL > 1)):
        raise ValueError("AL must hold probabilities in [0, 1]; pass the sigmoid output, not Z")
    m = Y.shape[1]
    eps = np.finfo(AL.dtype).eps if np.issubdtype(AL.dtype, np.floating) else np.finfo(float).eps
    AL = np.clip(AL, eps, 1 - eps)  # log(0) = -inf: a single confident mistake would give NaN/inf
    cost = -np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m
    return float(cost)


# ---------------------------------------------------------------------------
# Step 4: backward propagation
# ---------------------------------------------------------------------------

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


def linear_backward(dZ, cache, need_dA_prev=True):
    """Backward through the linear part of a layer, Z = W·A_prev + b.

    Arguments:
    dZ -- gradient of the cost with respect to Z, (n[l], m)
    cache -- (A_prev, W, b) stored by linear_forward
    need_dA_prev -- False skips dA_prev (returns None): the first layer's dA_prev is the
                    gradient with respect to X, which nothing uses and which costs as
                    much as the whole forward product

    Returns:
    dA_prev -- gradient with respect to A_prev, (n[l-1], m), or None
    dW -- gradient with respect to W, (n[l], n[l-1])
    db -- gradient with respect to b, (n[l], 1)
    """
    A_prev, W, b = cache
    m = A_prev.shape[1]
    # dW[l] = dZ[l]·A[l-1].T / m. Dividing the small dZ by m (not the large dW)
    # gives the same numbers without a temporary copy of dW.
    dW = (dZ / m) @ A_prev.T
    db = np.sum(dZ, axis=1, keepdims=True) / m  # db[l] = Σ_columns dZ[l] / m
    dA_prev = W.T @ dZ if need_dA_prev else None  # dA[l-1] = W[l].T·dZ[l]
    return dA_prev, dW, db


def linear_activation_backward(dA, cache, activation, need_dA_prev=True):
    """Backward through one layer: ACTIVATION then LINEAR.

    Arguments:
    dA -- gradient with respect to this layer's activation, (n[l], m)
    cache -- ((A_prev, W, b), Z) stored by linear_activation_forward
    activation -- "relu" or "sigmoid"
    need_dA_prev -- see linear_backward

    Returns:
    dA_prev -- (n[l-1], m) or None;  dW -- (n[l], n[l-1]);  db -- (n[l], 1)
    """
    linear_cache, activation_cache = cache
    if activation == "relu":
        dZ = relu_backward(dA, activation_cache)
    elif activation == "sigmoid":
        dZ = sigmoid_backward(dA, activation_cache)
    else:
        raise ValueError(f"activation must be 'relu' or 'sigmoid', found {activation!r}")
    return linear_backward(dZ, linear_cache, need_dA_prev)


def L_model_backward(AL, Y, caches):
    """Backward propagation for [LINEAR -> RELU] * (L-1) -> LINEAR -> SIGMOID with cross-entropy.

    Arguments:
    AL -- output of L_model_forward, (1, m)
    Y -- true labels, (1, m)
    caches -- the list returned by L_model_forward

    Returns:
    grads -- dict with "dW1", "db1", ..., "dWL", "dbL" (shapes of W[l], b[l]) and
             "dA1", ..., "dA{L-1}" (shapes of A[l]). dA0, the gradient with respect to X,
             is not computed.
    """
    L = len(caches)
    if np.shape(Y) != np.shape(AL):
        raise ValueError(f"Y must have the shape of AL {np.shape(AL)}, found {np.shape(Y)}")
    check_matrix("AL", AL, rows=1)
    check_labels(Y)
    grads = {}
    # Output layer. Sigmoid followed by cross-entropy: dAL = -(Y/AL - (1-Y)/(1-AL)) and
    # sigmoid' = AL·(1-AL) multiply to dZ[L] = AL - Y, which stays finite at AL = 0 or 1.
    dZ = AL - Y
    linear_cache, _ = caches[L - 1]
    dA_prev, dW, db = linear_backward(dZ, linear_cache, need_dA_prev=L > 1)
    grads["dW" + str(L)] = dW
    grads["db" + str(L)] = db
    # Hidden layers L-1, ..., 1: each takes the dA its successor computed
    for l in reversed(range(1, L)):
        grads["dA" + str(l)] = dA_prev
        dA_prev, dW, db = linear_activation_backward(grads["dA" + str(l)], caches[l - 1], "relu",
                                                     need_dA_prev=l > 1)
        grads["dW" + str(l)] = dW
        grads["db" + str(l)] = db
    return grads


# ---------------------------------------------------------------------------
# Step 5: the update
# ---------------------------------------------------------------------------

def update_parameters(parameters, grads, learning_rate):
    """One step of gradient descent: W[l] -= α·dW[l], b[l] -= α·db[l].

    Arguments:
    parameters -- dict "W1", "b1", ..., "WL", "bL"
    grads -- dict "dW1", "db1", ..., from L_model_backward
    learning_rate -- α > 0

    Returns:
    parameters -- the same dict, updated in place (no copy of the weights is made)
    """
    check_learning_rate(learning_rate)
    L = num_layers(parameters)
    missing = [f"d{p}{l}" for l in range(1, L + 1) for p in "Wb" if f"d{p}{l}" not in grads]
    if missing:
        raise ValueError(f"grads is missing {missing} for a {L}-layer network")
    for k in (f"{p}{l}" for l in range(1, L + 1) for p in "Wb"):
        if np.shape(grads["d" + k]) != np.shape(parameters[k]):
            raise ValueError(f"d{k} must have the shape of {k} {np.shape(parameters[k])}, "
                             f"found {np.shape(grads['d' + k])}")
    for l in range(1, L + 1):
        parameters["W" + str(l)] -= learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] -= learning_rate * grads["db" + str(l)]
    return parameters


# ---------------------------------------------------------------------------
# Models
# ---------------------------------------------------------------------------

class TrainingProgress:
    """What L_layer_model does after each forward pass, whichever loop runs it.

    Calling it with (i, AL) checks that the output is finite (else TrainingDivergedError),
    keeps the cost every 100 iterations in `costs`, and prints it every `print_every`
    iterations and at the last one when print_cost is set.
    """

    def __init__(self, Y, learning_rate, num_iterations, print_cost=False, print_every=100):
        self.Y, self.learning_rate, self.num_iterations = Y, learning_rate, num_iterations
        self.print_cost, self.print_every = print_cost, print_every
        self.costs = []

    def __call__(self, i, AL):
        if not np.all(np.isfinite(AL)):
            raise TrainingDivergedError(
                f"training diverged at iteration {i}: the output became NaN or inf. "
                f"Try a smaller learning rate than {self.learning_rate}.")
        last = i == self.num_iterations - 1
        if i % 100 == 0 or (self.print_cost and last):
            cost = compute_cost(AL, self.Y)
            if i % 100 == 0:
                self.costs.append(cost)
            if self.print_cost and (i % self.print_every == 0 or last):
                print(f"Cost after iteration {i}: {cost:.6f}")

    def finish(self, parameters):
        """The last update is not followed by a forward pass that would show it: check it here."""
        if self.num_iterations and not all(np.all(np.isfinite(v)) for v in parameters.values()):
            raise TrainingDivergedError(
                f"training diverged at iteration {self.num_iterations - 1}: its update made the "
                f"parameters NaN or inf. Try a smaller learning rate than {self.learning_rate}.")


def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False,
                  *, init="xavier", seed=1, dtype=np.float64, print_every=100, fast=True, form="auto"):
    """Train [LINEAR -> RELU] * (L-1) -> LINEAR -> SIGMOID by full-batch gradient descent.

    Arguments:
    X -- data, (n_x, m)
    Y -- labels, (1, m), 0/1
    layers_dims -- [n_x, n_1, ..., n_L] with n_L = 1
    learning_rate -- α of the gradient-descent update
    num_iterations -- number of gradient-descent steps
    print_cost -- print the cost every `print_every` iterations and at the last one
    init -- the `scale` of initialize_parameters: "xavier", "he" or a number
    seed -- int or np.random.Generator for the initialization
    dtype -- np.float64, or np.float32 to train faster
    fast -- True (default): run the iterations with dnn_fast.train, which gives the same
            parameters faster; False: the course's loop of the four functions above
    form -- with fast=True, how dnn_fast carries the first layer: "auto", "weights" or "span"
            (notebook 08)

    Returns:
    parameters -- the learnt dict "W1", "b1", ..., "WL", "bL"
    costs -- list of the cost every 100 iterations (iteration 0, 100, 200, ...)

    Raises TrainingDivergedError if the output becomes NaN or inf.
    """
    dims = check_layer_dims(layers_dims)
    check_matrix("X", X)
    check_labels(Y, X.shape[1])
    check_learning_rate(learning_rate)
    for name, value, least in (("num_iterations", num_iterations, 0), ("print_every", print_every, 1)):
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < least:
            raise ValueError(f"{name} must be a whole number >= {least}, found {value!r}")
    if dims[0] != X.shape[0] or dims[-1] != 1:
        raise ValueError(f"layers_dims must start with n_x = {X.shape[0]} (the rows of X) and end "
                         f"with 1 output unit; found {list(layers_dims)}")
    X = np.asarray(X, dtype=dtype)
    Y = Y.astype(dtype)
    parameters = initialize_parameters(dims, scale=init, seed=seed, dtype=dtype)
    progress = TrainingProgress(Y, learning_rate, num_iterations, print_cost, print_every)
    # Divergence is reported by `progress` with a clear error: numpy's overflow warnings are not needed
    with np.errstate(over="ignore", invalid="ignore"):
        if fast:
            # the same iterates, computed faster (dnn_fast.py: one fused step, no caches)
            import dnn_fast
            parameters = dnn_fast.train(X, Y, parameters, learning_rate, num_iterations, progress,
                                         form=form)
        else:
            # the course's loop
            for i in range(num_iterations):
                AL, caches = L_model_forward(X, parameters)                       # forward
                progress(i, AL)                                                   # cost J (kept every 100)
                grads = L_model_backward(AL, Y, caches)                           # backward
                parameters = update_parameters(parameters, grads, learning_rate)  # update
    progress.finish(parameters)
    return parameters, progress.costs


def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False,
                    *, init=0.01, seed=1, dtype=np.float64, print_every=100, fast=True):
    """Train LINEAR -> RELU -> LINEAR -> SIGMOID: L_layer_model with layers_dims = (n_x, n_h, n_y).

    As in the course, the weights start at N(0, 1) * 0.01 unless `init` says otherwise.
    Arguments and returns are those of L_layer_model.
    """
    if len(check_layer_dims(layers_dims)) != 3:
        raise ValueError(f"two_layer_model takes layers_dims = (n_x, n_h, n_y), found {layers_dims!r}")
    return L_layer_model(X, Y, layers_dims, learning_rate, num_iterations, print_cost,
                         init=init, seed=seed, dtype=dtype, print_every=print_every, fast=fast)


def predict(X, parameters, threshold=0.5):
    """Predict labels with a trained network.

    Arguments:
    X -- data, (n_x, m)
    parameters -- trained dict "W1", "b1", ...

    Returns:
    predictions -- (1, m) int array of 0/1: 1 where the output probability > threshold
    """
    check_matrix("X", X)
    AL, _ = L_model_forward(X, parameters)
    return (AL > threshold).astype(np.int64)


def accuracy(predictions, Y):
    """Fraction of predictions equal to the labels Y; both (1, m). Returns a float in [0, 1]."""
    predictions = np.asarray(predictions)
    if predictions.shape != np.shape(Y):
        raise ValueError(f"predictions {predictions.shape} and Y {np.shape(Y)} must have the same shape")
    return float(np.mean(predictions == Y))


# ---------------------------------------------------------------------------
# Gradient checking
# ---------------------------------------------------------------------------

def parameters_to_vector(parameters):
    """Stack W1, b1, ..., WL, bL (in that order) into one column vector (n_params, 1)."""
    L = num_layers(parameters)
    keys = [f"{p}{l}" for l in range(1, L + 1) for p in "Wb"]
    return np.concatenate([np.asarray(parameters[k], dtype=np.float64).reshape(-1, 1) for k in keys])


def vector_to_parameters(theta, like):
    """Inverse of parameters_to_vector: cut theta (n_params, 1) into arrays shaped like `like`'s."""
    L = num_layers(like)
    keys = [f"{p}{l}" for l in range(1, L + 1) for p in "Wb"]
    sizes = [np.size(like[k]) for k in keys]
    if np.size(theta) != sum(sizes):
        raise ValueError(f"theta has {np.size(theta)} values; the network has {sum(sizes)} parameters")
    out, start = {}, 0
    for k, n in zip(keys, sizes):
        out[k] = np.asarray(theta, dtype=np.float64).reshape(-1)[start:start + n].reshape(np.shape(like[k]))
        start += n
    return out


def gradient_check(parameters, X, Y, epsilon=1e-7, forward=None, backward=None):
    """Compare backpropagation's gradients with centred finite differences.

    For every parameter θ_i: gradapprox_i = (J(θ_i + ε) - J(θ_i - ε)) / (2ε).

    Arguments:
    parameters -- dict "W1", "b1", ... (cast to float64; keep the network small)
    X -- (n_x, m);  Y -- (1, m)
    epsilon -- the step ε
    forward, backward -- the functions to check, defaulting to L_model_forward and
                         L_model_backward; pass your own to test them

    Returns:
    difference -- ||grad - gradapprox|| / (||grad|| + ||gradapprox||); below about 1e-7
                  means backpropagation is right
    """
    forward = L_model_forward if forward is None else forward
    backward = L_model_backward if backward is None else backward
    X = np.asarray(X, dtype=np.float64)
    check_matrix("X", X)
    check_labels(Y, X.shape[1])
    theta = parameters_to_vector(parameters)

    def cost_at(t):
        AL, _ = forward(X, vector_to_parameters(t, parameters))
        return compute_cost(AL, Y)

    params64 = vector_to_parameters(theta, parameters)
    AL, caches = forward(X, params64)
    grads = backward(AL, Y, caches)
    grad = parameters_to_vector({k[1:]: v for k, v in grads.items() if k[:2] in ("dW", "db")})

    gradapprox = np.zeros_like(theta)
    for i in range(theta.shape[0]):
        plus, minus = theta.copy(), theta.copy()
        plus[i] += epsilon
        minus[i] -= epsilon
        gradapprox[i] = (cost_at(plus) - cost_at(minus)) / (2 * epsilon)

    denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
    if denominator == 0:
        return 0.0
    return float(np.linalg.norm(grad - gradapprox) / denominator)


# ---------------------------------------------------------------------------
# Saving and loading a trained model
# ---------------------------------------------------------------------------

def save_parameters(parameters, path):
    """Save parameters to a .npz file, written completely or not at all.

    The file is written to a temporary name in the same folder, then renamed.
    """
    num_layers(parameters)
    path = Path(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(f"folder not found: {path.parent}")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **{k: np.asarray(v) for k, v in parameters.items()})
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def load_parameters(path):
    """Load parameters saved by save_parameters. Plain arrays only: pickles are refused."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"parameter file not found: {path}")
    with open(path, "rb") as f:
        magic = f.read(6)
    if magic.startswith(b"\x93NUMPY"):
        raise ValueError(f"{path} is a single .npy array, not a .npz archive of W1, b1, ...")
    if not magic.startswith(b"PK"):
        raise ValueError(f"{path} is not a .npz archive (a zip file) as written by save_parameters; "
                         f"found a file starting with {magic!r}")
    try:
        with np.load(path, allow_pickle=False) as data:
            parameters = {k: data[k] for k in data.files}
    except ValueError as e:
        raise ValueError(f"{path} is not a parameters .npz file of plain arrays ({e})") from None
    except (OSError, EOFError, zipfile.BadZipFile) as e:
        raise ValueError(f"{path} is not a readable .npz file ({e})") from None
    num_layers(parameters)
    return parameters


# ---------------------------------------------------------------------------
# Plotting. Each helper draws on the axes it is given (or on a new figure)
# and returns them; none changes matplotlib's global settings.
# ---------------------------------------------------------------------------

def plot_costs(costs, learning_rate=None, every=100, ax=None, label=None):
    """Plot a cost curve: costs[k] is the cost at iteration k * every. Returns the axes."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.2))
    iterations = np.arange(len(costs)) * every
    ax.plot(iterations, costs, label=label)
    ax.set_xlabel("iteration")
    ax.set_ylabel("cost")
    if learning_rate is not None:
        ax.set_title(f"learning rate = {learning_rate}")
    return ax


def plot_images(images, labels=None, predictions=None, classes=(b"non-cat", b"cat"), ncols=8,
                scale=1.2):
    """Show (k, h, w, 3) uint8 images in a grid, titled with their label and prediction.

    labels, predictions -- optional arrays of k class indices (any shape with k values)
    Returns the figure.
    """
    import matplotlib.pyplot as plt

    images = np.asarray(images)
    k = images.shape[0]
    ncols = max(1, min(ncols, k))
    nrows = int(np.ceil(k / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(scale * ncols, scale * 1.25 * nrows), squeeze=False)
    names = [c.decode() if isinstance(c, bytes) else str(c) for c in classes]
    labels = None if labels is None else np.ravel(labels)
    predictions = None if predictions is None else np.ravel(predictions)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i >= k:
            continue
        ax.imshow(images[i])
        parts = []
        if predictions is not None:
            parts.append("pred: " + names[int(predictions[i])])
        if labels is not None:
            parts.append(("true: " if predictions is not None else "") + names[int(labels[i])])
        ax.set_title("\n".join(parts), fontsize=7)
    fig.tight_layout()
    return fig


def plot_decision_boundary(predict_fn, X, Y, ax=None, resolution=200):
    """Colour the plane by predict_fn's class and scatter the 2-D points X (2, m) with labels Y (1, m).

    predict_fn -- takes a (2, k) array and returns (1, k) predictions of 0/1
    Returns the axes.
    """
    import matplotlib.pyplot as plt

    if np.shape(X)[0] != 2:
        raise ValueError(f"plot_decision_boundary needs 2-D points X of shape (2, m), found {np.shape(X)}")
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 4))
    pad = 0.5
    x0 = np.linspace(X[0].min() - pad, X[0].max() + pad, resolution)
    x1 = np.linspace(X[1].min() - pad, X[1].max() + pad, resolution)
    g0, g1 = np.meshgrid(x0, x1)
    grid = np.vstack([g0.ravel(), g1.ravel()])
    Z = np.asarray(predict_fn(grid)).reshape(g0.shape)
    ax.contourf(g0, g1, Z, levels=[-0.5, 0.5, 1.5], colors=["#f3c6c6", "#c6d8f3"])
    ax.scatter(X[0], X[1], c=np.ravel(Y), cmap="bwr_r", s=12, edgecolors="k", linewidths=0.3)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    return ax
