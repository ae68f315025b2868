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
import zipfile
from pathlib import Path

import numpy as np

from dnn_checks import (check_labels, check_labels_01,
                        check_parameters_finite, check_real,
                        check_real_matrix, checked, num_layers, open_regular_file)

__all__ = [
    "DATASETS_DIR", "TrainingDivergedError", "TrainingWarning",
    "load_data", "flatten_images", "load_image",
    "initialize_parameters", "initialize_parameters_two_layer",
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

def _shipped_datasets_dir():
    """datasets/ next to this file in a clone; the installed data package `dnn_course_data` otherwise."""
    clone = Path(__file__).resolve().parent / "datasets"
    if (clone / "train_catvnoncat.h5").is_file():
        return clone
    from importlib.util import find_spec
    spec = find_spec("dnn_course_data")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        if (Path(folder) / "train_catvnoncat.h5").is_file():
            return Path(folder)
    return clone  # neither a clone nor an install: load_data() names the folder it tried


#: The shipped cat / non-cat dataset (read from this folder, not the working directory).
DATASETS_DIR = _shipped_datasets_dir()


class TrainingDivergedError(FloatingPointError):
    """Training produced NaN or inf, or a cost far above where it started (TrainingProgress says
    the rule): the learning rate is usually too large."""


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

#: root attribute of the dataset files written by this project: the id of their pair
PAIR_ID_ATTR = "pair_id"


def _read_h5_split(path, split):
    """Read `{split}_set_x`, `{split}_set_y`, `list_classes` and the pair id from one course HDF5 file.

    Returns (x, y, classes, pair_id); pair_id is None for files that carry none (the course's).
    Every way the file can be unusable (missing, not a regular file, not HDF5, truncated,
    locked by a writer, a group where a dataset belongs, wrong dtype or shape) is a clear error.
    """
    import h5py

    path = Path(path)
    expected = f"expected {split}_catvnoncat.h5 in the course's HDF5 format"
    if not path.exists():
        raise FileNotFoundError(f"dataset file not found: {path} ({expected})")
    with open_regular_file(path, f"a dataset file ({expected})") as f:
        head = f.read(8)
        size = os.fstat(f.fileno()).st_size
    if head != b"\x89HDF\r\n\x1a\n" and not h5py.is_hdf5(path):
        raise ValueError(f"{path} is not an HDF5 file; {expected} (it starts with {head!r})")
    keys = [f"{split}_set_x", f"{split}_set_y", "list_classes"]
    damaged = (f"{path} is truncated or corrupted ({size} bytes; an interrupted download or copy "
               f"leaves such a file): get or generate it again")
    try:
        h5 = h5py.File(path, "r")
    except OSError as e:
        if "unable to lock file" in str(e):
            raise OSError(f"{path} is locked by another program that has it open for writing "
                          f"(HDF5 file locking); wait until it finishes, then load again") from None
        if "already open for write" in str(e):
            raise ValueError(f"{path} was left open by a writer that did not finish (killed or crashed): "
                             f"its consistency flags are still set, so it may be incomplete; write it "
                             f"again (or clear the flags with h5clear -s if you know it is whole)") from None
        raise ValueError(f"{damaged} [{e}]") from None
    with h5:
        try:
            missing = [k for k in keys if k not in h5]
            found = sorted(h5.keys())
        except (OSError, RuntimeError, KeyError, ValueError) as e:
            raise ValueError(f"{damaged} [{e}]") from None
        if missing:
            raise ValueError(f"{path} is missing {missing}; expected keys {keys}, found {found}")
        datasets = {}
        for k in keys:
            try:
                node = h5[k]
            except (OSError, RuntimeError, KeyError, ValueError) as e:
                raise ValueError(f"{damaged} [{k}: {e}]") from None
            if not isinstance(node, h5py.Dataset):
                raise ValueError(f"{path}: {k} must be a dataset (an array), found a "
                                 f"{'group' if isinstance(node, h5py.Group) else type(node).__name__}")
            datasets[k] = node
        x_ds, y_ds, c_ds = (datasets[k] for k in keys)
        if len(x_ds.shape) != 4 or x_ds.shape[-1] != 3 or x_ds.dtype != np.uint8 or x_ds.shape[0] == 0:
            raise ValueError(f"{path}: {split}_set_x must be (m, height, width, 3) uint8 images, found "
                             f"{x_ds.shape} {x_ds.dtype} (and at least one image)")
        if y_ds.dtype.kind not in "iub" and y_ds.dtype.kind != "f":
            raise ValueError(f"{path}: {split}_set_y must hold 0/1 numbers, found dtype {y_ds.dtype}")
        if len(c_ds.shape) != 1 or c_ds.shape[0] != 2 or c_ds.dtype.kind not in "SOU":
            raise ValueError(f"{path}: list_classes must be 2 class names (strings), "
                             f"found shape {c_ds.shape} dtype {c_ds.dtype}")
        try:
            x, y, classes = (np.array(ds[()]) for ds in (x_ds, y_ds, c_ds))
            pair_id = h5.attrs.get(PAIR_ID_ATTR)
        except (OSError, RuntimeError, KeyError, ValueError) as e:
            raise ValueError(f"{damaged} [{e}]") from None
    if y.size != x.shape[0]:
        raise ValueError(f"{path}: {x.shape[0]} images but {y.size} labels; the counts must agree")
    y = y.reshape(1, -1)
    if not np.all((y == 0) | (y == 1)):
        raise ValueError(f"{path}: labels must be 0 or 1, found {np.unique(y).tolist()}")
    if y.dtype.kind in "fb":
        y = y.astype(np.int64)
    if isinstance(pair_id, bytes):
        pair_id = pair_id.decode("ascii", "replace")
    return x, y, classes, (None if pair_id is None else str(pair_id))


def _dataset_pair_id(train_x, train_y, test_x, test_y):
    """The id both files of a dataset pair carry: a hash of the whole pair's content.

    A train file and a test file written by different runs carry different ids, so a pair
    mixed by an interrupted write is refused by load_data; the same data gives the same id,
    so regenerating the files gives byte-identical files.
    """
    import hashlib

    h = hashlib.sha256(b"catvnoncat pair v1")
    for x, y in ((train_x, train_y), (test_x, test_y)):
        x = np.ascontiguousarray(x, dtype=np.uint8)
        h.update(repr(x.shape).encode())
        h.update(x.tobytes())
        h.update(np.ascontiguousarray(np.ravel(y), dtype="<i8").tobytes())
    return h.hexdigest()[:32]


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

    Files written by this project's tools (datasets/make_catvnoncat.py, build_from_photos.py)
    carry a pair id, a hash of both files' content: a train and a test file from different
    runs (a write interrupted between its two renames), or a file changed afterwards, are
    refused. Files without an id on either side (the course's originals) are read as they are.
    """
    folder = DATASETS_DIR if path is None else Path(path)
    if not folder.is_dir():
        raise FileNotFoundError(f"dataset folder not found: {folder} "
                                f"(expected a folder holding train_catvnoncat.h5 and test_catvnoncat.h5)")
    train_x_orig, train_y, classes, train_id = _read_h5_split(folder / "train_catvnoncat.h5", "train")
    test_x_orig, test_y, _, test_id = _read_h5_split(folder / "test_catvnoncat.h5", "test")
    if train_id is not None or test_id is not None:
        rewrite = ("Write the pair again (python datasets/make_catvnoncat.py --out FOLDER, or "
                   "build_from_photos.py --force) instead of mixing files of different runs")
        if train_id != test_id:
            raise ValueError(f"{folder}: train_catvnoncat.h5 and test_catvnoncat.h5 are not one pair: "
                             f"their pair ids differ ({train_id} and {test_id}), so they come from "
                             f"different runs (was a write interrupted?). {rewrite}")
        if _dataset_pair_id(train_x_orig, train_y, test_x_orig, test_y) != train_id:
            raise ValueError(f"{folder}: the dataset's content does not match its pair id {train_id}: "
                             f"one of the files was changed after it was written. {rewrite}")
    if train_x_orig.shape[1:] != test_x_orig.shape[1:]:
        raise ValueError(f"{folder}: train images are {train_x_orig.shape[1:]} but test images "
                         f"{test_x_orig.shape[1:]}; both sets must have the same image size")
    return train_x_orig, train_y, test_x_orig, test_y, classes


@checked
def flatten_images(images, dtype=np.float64):
    """Turn (m, height, width, 3) uint8 images into X of shape (height*width*3, m) in [0, 1].

    Each image becomes one column; dividing by 255 standardizes the pixels.
    """
    images = np.asarray(images)
    return (images.reshape(images.shape[0], -1).T / 255.0).astype(dtype, copy=False)


def load_image(path, size=64):
    """Load any image file as a (size, size, 3) uint8 RGB array: centre-cropped, then resized.

    Grayscale, palette, RGBA and CMYK images are converted to RGB, and a photo whose
    EXIF orientation tag says it is stored rotated is turned upright first.
    Raises FileNotFoundError, or ValueError for anything that is not a readable image
    file: a FIFO or other special file, a corrupted or truncated file, or an image above
    Pillow's decompression-bomb limit (2 * PIL.Image.MAX_IMAGE_PIXELS pixels).
    """
    import struct

    from PIL import Image, ImageOps

    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 1:
        raise ValueError(f"size must be a positive whole number of pixels, found {size!r}")
    path = Path(path)
    try:
        with open_regular_file(path, "an image file") as f, Image.open(f) as im:
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
    except FileNotFoundError:
        raise FileNotFoundError(f"image not found: {path}") from None
    except Image.DecompressionBombError as e:
        limit = 2 * Image.MAX_IMAGE_PIXELS if Image.MAX_IMAGE_PIXELS else 0
        raise ValueError(f"{path} is too large to decode safely: above Pillow's limit of {limit:,} pixels "
                         f"({limit / 1e6:.0f} megapixels), which guards against decompression bombs ({e}). "
                         f"Shrink it first, e.g. to 4000 pixels on its long side") from None
    except (OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError, TypeError,
            KeyError, ZeroDivisionError) as e:
        if isinstance(e, ValueError) and str(path) in str(e):
            raise  # open_regular_file's own message: a FIFO, a folder, ...
        raise ValueError(f"{path} is not a readable image ({type(e).__name__}: {e})") from None
    w, h = im.size
    if w == 0 or h == 0:
        raise ValueError(f"{path} is an empty image ({w}x{h} pixels)")
    side = min(w, h)
    left, top = (w - side) // 2, (h - side) // 2
    im = im.crop((left, top, left + side, top + side)).resize((size, size), Image.LANCZOS)
    return np.asarray(im, dtype=np.uint8)


# ---------------------------------------------------------------------------
# Step 1: initialization
# ---------------------------------------------------------------------------

@checked
def initialize_parameters(layer_dims, scale="xavier", seed=None, dtype=np.float64):
    """Initialize the weights and biases of an L-layer network.

    Arguments:
    layer_dims -- [n_x, n_1, ..., n_L], the number of units in each layer (input first)
    scale -- how large the random weights are:
             "xavier": W[l] ~ N(0, 1) * sqrt(1 / n[l-1])  (the default; trains the 4-layer cat net)
             "he":     W[l] ~ N(0, 1) * sqrt(2 / n[l-1])  (made for ReLU layers)
             a number, e.g. 0.01: W[l] ~ N(0, 1) * 0.01   (the blog post's choice)
    seed -- an int, a np.random.Generator, None (fresh entropy), or a legacy
            np.random.RandomState, which draws as the course does (randn, layer by layer:
            W1, W2, ...), so RandomState(1) gives the course's numbers. The global
            NumPy random state is never touched.
    dtype -- np.float64 (default) or np.float32

    Returns:
    parameters -- dict with "W1", "b1", ..., "WL", "bL":
                  W[l] has shape (layer_dims[l], layer_dims[l-1]), b[l] has shape (layer_dims[l], 1)
    """
    legacy = isinstance(seed, np.random.RandomState)  # the course's np.random.seed(1); randn(...)
    rng = seed if legacy else np.random.default_rng(seed)
    parameters = {}
    L = len(layer_dims)  # number of layers, counting the input layer
    for l in range(1, L):
        if scale == "xavier":
            std = np.sqrt(1 / layer_dims[l - 1])
        elif scale == "he":
            std = np.sqrt(2 / layer_dims[l - 1])
        else:
            std = scale
        # random weights break the symmetry between units; zero biases are fine
        if legacy:  # the course's randn(n[l], n[l-1]), divided by sqrt(n[l-1]) for "xavier" as it does
            W = rng.randn(layer_dims[l], layer_dims[l - 1])
            W = W / np.sqrt(layer_dims[l - 1]) if scale == "xavier" else W * std
        else:
            W = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * std
        parameters["W" + str(l)] = W.astype(dtype)
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1), dtype=dtype)
    return parameters


@checked
def initialize_parameters_two_layer(n_x, n_h, n_y, seed=None):
    """Initialize the course's 2-layer network, LINEAR -> RELU -> LINEAR -> SIGMOID.

    Arguments:
    n_x -- size of the input layer
    n_h -- size of the hidden layer
    n_y -- size of the output layer
    seed -- as in initialize_parameters: an int, a np.random.Generator, None, or a
            np.random.RandomState (RandomState(1) gives the course's numbers)

    Returns:
    parameters -- dict with W1 (n_h, n_x), b1 (n_h, 1), W2 (n_y, n_h), b2 (n_y, 1):
                  the weights are N(0, 1) * 0.01, the biases zero. The same arrays as
                  initialize_parameters([n_x, n_h, n_y], scale=0.01, seed=seed).
    """
    legacy = isinstance(seed, np.random.RandomState)  # the course's np.random.seed(1); randn(...)
    rng = seed if legacy else np.random.default_rng(seed)
    randn = rng.randn if legacy else lambda *shape: rng.standard_normal(shape)
    W1 = randn(n_h, n_x) * 0.01  # small random weights break the symmetry
    b1 = np.zeros((n_h, 1))
    W2 = randn(n_y, n_h) * 0.01
    b2 = np.zeros((n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}


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
    eps = np.finfo(AL.dtype).eps if np.issubdtype(AL.dtype, np.floating) else np.finfo(float).eps
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
def linear_backward(dZ, cache, need_dA_prev=True):
    """Backward through the linear part of a layer, Z = W·A_prev + b.

    Arguments:
    dZ -- gradient of the cost with respect to Z, (n[l], m)
    cache -- (A_prev, W, b) stored by linear_forward
    need_dA_prev -- False skips dA_prev (returns None): the first layer's dA_prev is the
                    gradient with respect to X, which nothing uses

    Returns:
    dA_prev -- gradient with respect to A_prev, (n[l-1], m), or None
    dW -- gradient with respect to W, (n[l], n[l-1])
    db -- gradient with respect to b, (n[l], 1)
    """
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = dZ @ A_prev.T / m  # dW[l] = dZ[l]·A[l-1].T / m
    db = np.sum(dZ, axis=1, keepdims=True) / m  # db[l] = Σ_columns dZ[l] / m
    dA_prev = W.T @ dZ if need_dA_prev else None  # dA[l-1] = W[l].T·dZ[l]
    return dA_prev, dW, db


@checked
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
    dA_prev, dW, db = linear_backward(dZ, linear_cache, need_dA_prev)
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
             is not computed.
    """
    grads = {}
    L = len(caches)  # the number of layers
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
# Models
# ---------------------------------------------------------------------------

class TrainingWarning(UserWarning):
    """L_layer_model's training has stalled: it runs on, but the network is learning nothing."""


def _outside_this_library():
    """The stacklevel of the line that called L_layer_model (for warnings): the first caller
    outside dnn_utils / dnn_fast / dnn_checks and outside a notebook's own copy of L_layer_model."""
    import sys

    level, frame = 1, sys._getframe(1)
    while frame is not None and (
            os.path.basename(frame.f_code.co_filename) in ("dnn_utils.py", "dnn_fast.py", "dnn_checks.py")
            or frame.f_code.co_name in ("L_layer_model", "two_layer_model")):
        frame, level = frame.f_back, level + 1
    return level


class TrainingProgress:
    """What L_layer_model does after each forward pass, whichever loop runs it (fast or not).

    Called with (i, AL) after the forward pass of iteration i, it

    * raises TrainingDivergedError if AL holds NaN or inf (checked every iteration: AL is (1, m));
    * every 100 iterations, computes the cost J, keeps it in `costs`, and checks that:

      - the cost has not grown far above where it started: J > max(3·J0, J0 + 5), with J0 the
        cost at iteration 0, raises TrainingDivergedError. A healthy run may go up for a while
        (large learning rates make it oscillate), but not to 5 more than a coin toss's 0.69: that
        is outputs saturated at the wrong answer for most examples (their cost reaches 36 each
        in float64, 16 in float32), which gradient descent does not come back from;
      - the network has not stalled. TrainingWarning, once per run:
        * "dead ReLUs": AL is exactly the same for every example at two checks in a row. The
          hidden activations are not seen here, but a hidden layer whose every ReLU has died
          (A[l] = 0 for every example) makes every column of AL equal, and stays dead (its
          gradients are 0). (A merely small output spread, as a too-small initialization
          gives, is not exactly 0: it is left to the next warning.)
        * "constant prediction": the cost has stayed within 1e-3 of the cost of predicting the
          labels' mean p for every example, H = -p·log p - (1-p)·log(1-p), for 500 iterations
          (6 checks in a row): the network has learnt nothing from X.

    It prints the cost every `print_every` iterations and at the last one when print_cost is set.
    These checks read only AL (1, m), and the costly ones run every 100 iterations.
    """

    #: divergence: J > max(GROWTH_FACTOR·J0, J0 + GROWTH_MARGIN) at an every-100 check
    GROWTH_FACTOR, GROWTH_MARGIN = 3.0, 5.0
    #: stall: |J - H| < STALL_TOL at checks spanning STALL_ITERATIONS iterations
    STALL_TOL, STALL_ITERATIONS = 1e-3, 500

    def __init__(self, Y, learning_rate, num_iterations, print_cost=False, print_every=100):
        self.Y, self.learning_rate, self.num_iterations = Y, learning_rate, num_iterations
        self.print_cost, self.print_every = print_cost, print_every
        self.costs = []
        p = float(np.mean(Y)) if np.size(Y) else 0.5
        #: the cost of predicting the labels' mean p for every example (0 when all labels agree)
        self.constant_cost = float(-sum(q * np.log(q) for q in (p, 1 - p) if q > 0))
        self.warned = set()  # "dead", "stalled": each warning at most once per run
        self._stalled_since = None
        self._constant_checks = 0

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
            if i % 100 == 0:
                self._watch(i, AL, cost)

    def _watch(self, i, AL, cost):
        """The every-100 checks: divergence by growth (an error), stalls (a warning, once)."""
        import warnings

        J0 = self.costs[0]
        limit = max(self.GROWTH_FACTOR * J0, J0 + self.GROWTH_MARGIN)
        if cost > limit:
            raise TrainingDivergedError(
                f"training diverged at iteration {i}: the cost grew from {J0:.4f} at iteration 0 to "
                f"{cost:.4f} (above max({self.GROWTH_FACTOR:g}·J0, J0 + {self.GROWTH_MARGIN:g}) = "
                f"{limit:.4f}): the outputs are confidently wrong. Try a smaller learning rate than "
                f"{self.learning_rate}.")
        m = AL.shape[1]
        self._constant_checks = self._constant_checks + 1 if m > 1 and np.ptp(AL) == 0 else 0
        if self._constant_checks >= 2 and "dead" not in self.warned:
            self.warned.add("dead")
            warnings.warn(
                f"iteration {i}: the network gives every example exactly the same output "
                f"({float(AL[0, 0]):.4f}), so it ignores X: every ReLU of some hidden layer has died "
                f"(its A[l] is 0 for all {m} examples; a dead layer gets zero gradients and never "
                f"comes back), and the cost stays at {cost:.4f}. A too-large learning rate "
                f"({self.learning_rate}) usually kills them: try a smaller one.",
                TrainingWarning, stacklevel=_outside_this_library())
        # (labels all equal: the constant prediction is the right answer, nothing to warn about)
        if abs(cost - self.constant_cost) < self.STALL_TOL and self.constant_cost > 0:
            if self._stalled_since is None:
                self._stalled_since = i
        else:
            self._stalled_since = None
        if (self._stalled_since is not None and i - self._stalled_since >= self.STALL_ITERATIONS
                and not self.warned & {"dead", "stalled"}):
            self.warned.add("stalled")
            p = float(np.mean(self.Y))
            warnings.warn(
                f"iterations {self._stalled_since}-{i}: the cost has stayed at {cost:.4f}, within "
                f"{self.STALL_TOL:g} of {self.constant_cost:.4f}, the cost of predicting p = {p:.4f} "
                f"(the labels' mean) for every example: the network has learnt nothing from X. The "
                f"gradients have vanished (too small an initial scale, e.g. init=0.01 in a deep "
                f"network) or the ReLUs have died (too large a learning rate): try init='xavier' or "
                f"'he', or another learning rate than {self.learning_rate}.",
                TrainingWarning, stacklevel=_outside_this_library())

    def finish(self, parameters):
        """The last update is not followed by a forward pass that would show it: check it here."""
        if self.num_iterations and not all(np.all(np.isfinite(v)) for v in parameters.values()):
            raise TrainingDivergedError(
                f"training diverged at iteration {self.num_iterations - 1}: its update made the "
                f"parameters NaN or inf. Try a smaller learning rate than {self.learning_rate}.")


@checked
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
    dtype -- np.float64, or np.float32
    fast -- True (default): run the iterations with dnn_fast.train, which gives the same
            parameters sooner; False: the course's loop of the four functions above
    form -- with fast=True, how dnn_fast carries the first layer: "auto", "weights" or "span"
            (notebook 08)

    Returns:
    parameters -- the learnt dict "W1", "b1", ..., "WL", "bL"
    costs -- list of the cost every 100 iterations (iteration 0, 100, 200, ...)

    Raises TrainingDivergedError if the output becomes NaN or inf, or the cost grows far above
    its start; warns (TrainingWarning) once if the cost stalls or a layer's ReLUs all die
    (TrainingProgress).
    """
    X = np.asarray(X, dtype=dtype)
    Y = Y.astype(dtype)
    parameters = initialize_parameters(layers_dims, scale=init, seed=seed, dtype=dtype)
    progress = TrainingProgress(Y, learning_rate, num_iterations, print_cost, print_every)
    # Divergence is reported by `progress` with a clear error: numpy's overflow warnings are not needed
    with np.errstate(over="ignore", invalid="ignore"):
        if fast:
            # the same iterates, computed faster (dnn_fast.py)
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


@checked
def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False,
                    *, init=0.01, seed=1, dtype=np.float64, print_every=100, fast=True):
    """Train LINEAR -> RELU -> LINEAR -> SIGMOID by full-batch gradient descent.

    Arguments:
    X -- data, (n_x, m)
    Y -- labels, (1, m), 0/1
    layers_dims -- (n_x, n_h, n_y) with n_y = 1
    learning_rate, num_iterations, print_cost, seed, dtype, print_every, fast -- as in L_layer_model
    init -- 0.01 (default): the course's initialize_parameters_two_layer; otherwise the
            `scale` of initialize_parameters ("xavier", "he" or a number)

    Returns:
    parameters -- the learnt dict "W1", "b1", "W2", "b2"
    costs -- list of the cost every 100 iterations (iteration 0, 100, 200, ...)
    """
    if fast:
        # the same iterates as the loop below, computed faster: L_layer_model's fast path
        # (initialize_parameters with scale=0.01 draws the numbers initialize_parameters_two_layer draws)
        return L_layer_model(X, Y, list(layers_dims), learning_rate, num_iterations, print_cost,
                             init=init, seed=seed, dtype=dtype, print_every=print_every, fast=True)
    # the course's loop, one layer at a time
    n_x, n_h, n_y = layers_dims
    X, Y = np.asarray(X, dtype=dtype), Y.astype(dtype)
    if init == 0.01 and dtype == np.float64:
        parameters = initialize_parameters_two_layer(n_x, n_h, n_y, seed=seed)  # the course's
    else:
        parameters = initialize_parameters([n_x, n_h, n_y], scale=init, seed=seed, dtype=dtype)
    progress = TrainingProgress(Y, learning_rate, num_iterations, print_cost=print_cost, print_every=print_every)
    eps = np.finfo(dtype).eps
    # Divergence is reported by `progress` with a clear error: numpy's overflow warnings are not needed
    with np.errstate(invalid="ignore", over="ignore"):
        for iteration in range(num_iterations):
            # forward: LINEAR -> RELU -> LINEAR -> SIGMOID
            A1, cache1 = linear_activation_forward(X, parameters["W1"], parameters["b1"], "relu")
            A2, cache2 = linear_activation_forward(A1, parameters["W2"], parameters["b2"], "sigmoid")
            progress(iteration, A2)  # cost J (kept every 100)
            # backward: dJ/dA2 for each example. A2 is clipped as compute_cost clips it, so
            # that an output of exactly 0 or 1 gives no 0/0
            A2_clipped = np.clip(A2, eps, 1 - eps)
            dA2 = -(np.divide(Y, A2_clipped) - np.divide(1 - Y, 1 - A2_clipped))
            dA1, dW2, db2 = linear_activation_backward(dA2, cache2, "sigmoid")
            _, dW1, db1 = linear_activation_backward(dA1, cache1, "relu", need_dA_prev=False)
            # update
            parameters = update_parameters(parameters, {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2},
                                           learning_rate)
    progress.finish(parameters=parameters)
    costs = progress.costs
    return parameters, costs


def predict(X, parameters, threshold=0.5):
    """Predict labels with a trained network.

    Arguments:
    X -- data, (n_x, m): real, finite numbers
    parameters -- trained dict "W1", "b1", ...: real, finite numbers
    threshold -- a number in [0, 1]

    Returns:
    predictions -- (1, m) int array of 0/1: 1 where the output probability > threshold

    NaN or inf in X or in the parameters, or complex values, are a clear error (they would
    silently give NaN outputs and all-0 predictions).
    """
    check_real_matrix("X", X)
    check_parameters_finite(parameters)
    if (isinstance(threshold, bool) or not isinstance(threshold, (int, float, np.integer, np.floating))
            or not 0 <= threshold <= 1):
        raise ValueError(f"threshold must be a number in [0, 1], found {threshold!r}")
    AL, _ = L_model_forward(X, parameters)
    return (AL > threshold).astype(np.int64)


def accuracy(predictions, Y):
    """Fraction of predictions equal to the labels Y; both (1, m) of 0/1. Returns a float in [0, 1].

    No examples, NaN, probabilities instead of 0/1 predictions, or different shapes are a
    clear error, never NaN or a silently wrong fraction.
    """
    predictions = np.asarray(predictions)
    Y = np.asarray(Y)
    if predictions.shape != Y.shape:
        raise ValueError(f"predictions {predictions.shape} and Y {Y.shape} must have the same shape")
    if predictions.size == 0:
        raise ValueError(f"accuracy of no examples is undefined: predictions and Y have shape {Y.shape}")
    check_labels_01("predictions", predictions)
    check_labels_01("Y", Y)
    return float(np.mean(predictions == Y))


# ---------------------------------------------------------------------------
# Gradient checking
# ---------------------------------------------------------------------------

def parameters_to_vector(parameters):
    """Stack W1, b1, ..., WL, bL (in that order) into one column vector (n_params, 1)."""
    L = num_layers(parameters)
    keys = [f"{p}{l}" for l in range(1, L + 1) for p in "Wb"]
    for k in keys:
        if np.iscomplexobj(parameters[k]):  # float64 would drop the imaginary part in silence
            check_real(k, np.asarray(parameters[k]))
    return np.concatenate([np.asarray(parameters[k], dtype=np.float64).reshape(-1, 1) for k in keys])


def vector_to_parameters(theta, like):
    """Inverse of parameters_to_vector: cut theta (n_params, 1) into arrays shaped like `like`'s."""
    L = num_layers(like)
    keys = [f"{p}{l}" for l in range(1, L + 1) for p in "Wb"]
    sizes = [np.size(like[k]) for k in keys]
    theta = np.asarray(theta)
    if np.iscomplexobj(theta) or not (np.issubdtype(theta.dtype, np.number) or theta.dtype == bool):
        raise TypeError(f"theta must hold real numbers, found dtype {theta.dtype}")
    if theta.ndim > 2 or (theta.ndim == 2 and 1 not in theta.shape):
        raise ValueError(f"theta must be a vector (n_params, 1), found shape {theta.shape}")
    if np.size(theta) != sum(sizes):
        raise ValueError(f"theta has {np.size(theta)} values; the network has {sum(sizes)} parameters")
    out, start = {}, 0
    for k, n in zip(keys, sizes):
        out[k] = np.asarray(theta, dtype=np.float64).reshape(-1)[start:start + n].reshape(np.shape(like[k]))
        start += n
    return out


class GradientCheckWarning(UserWarning):
    """gradient_check's difference may not mean what it says (units at a ReLU kink)."""


#: gradient_check refuses networks whose check would exceed this many floating-point
#: operations (about 2·n_params forward passes of 2·m·n_weights each): at a few GFLOP/s,
#: some seconds. The course's [12288, 20, 7, 5, 1] model on 209 images needs ~1e14 (hours).
GRADIENT_CHECK_MAX_FLOPS = 2e10


def _relu_kinks(parameters, X, epsilon):
    """Number of hidden ReLU units, over all examples, with |Z| within the finite-difference step.

    A step of ε in one parameter moves Z by up to about ε·max(1, |A_prev|): such a unit can
    cross the kink at 0, where relu has no derivative, and the centred difference then
    measures the average of the two slopes instead of backprop's one.
    """
    _, caches = L_model_forward(X, parameters)
    count = 0
    for (A_prev, _, _), Z in caches[:-1]:  # the hidden layers: the last one is the sigmoid
        reach = 10 * epsilon * np.maximum(1.0, np.max(np.abs(A_prev), axis=0, initial=0.0))
        count += int(np.sum(np.abs(Z) <= reach))
    return count


def gradient_check(parameters, X, Y, epsilon=1e-7, forward=None, backward=None, *,
                   kinks="warn", seed=0, max_flops=GRADIENT_CHECK_MAX_FLOPS, details=False):
    """Compare backpropagation's gradients with centred finite differences.

    For every parameter θ_i: gradapprox_i = (J(θ_i + ε) - J(θ_i - ε)) / (2ε).

    Arguments:
    parameters -- dict "W1", "b1", ... (cast to float64; keep the network small)
    X -- (n_x, m);  Y -- (1, m)
    epsilon -- the step ε, a finite number > 0
    forward, backward -- the functions to check, defaulting to L_model_forward and
                         L_model_backward; pass your own to test them
    kinks -- what to do when hidden ReLU units sit at the kink Z = 0 (within reach of ε) at
             the checked point, where the centred difference is not a derivative and a
             correct backprop can differ by up to 1 (e.g. zero biases behind dead units):
             "warn" (default): check at the given point; if the difference is above 1e-7,
             warn (GradientCheckWarning) that the kinks may be the cause;
             "nudge": move the check point off the kinks, by adding seeded noise of size
             1e-3 to the hidden layers' biases (up to 5 tries; warns as "warn" does if
             kinks remain);
             "raise": ValueError; "ignore": check at the given point, say nothing
    seed -- seed of the nudge's noise (int or np.random.Generator)
    max_flops -- refuse (ValueError) networks whose check would take more than this many
                 floating-point operations, estimated as 2·n_params forward passes of
                 2·m·n_weights each (default GRADIENT_CHECK_MAX_FLOPS = 2e10, seconds);
                 None checks whatever the cost
    details -- False: return the difference (a float); True: a dict with "difference",
               "n_params", "flops" (the estimate), "kinks" (units at a kink at the given
               point), "nudged" (the point was moved) and "kinks_checked" (at the checked point)

    Returns:
    difference -- ||grad - gradapprox|| / (||grad|| + ||gradapprox||); below about 1e-7
                  means backpropagation is right. 0 when both gradients are within rounding
                  noise of 0 (about √n_params · 2·eps·J / ε), where their ratio means nothing
    """
    if (isinstance(epsilon, bool) or not isinstance(epsilon, (int, float, np.integer, np.floating))
            or not np.isfinite(epsilon) or epsilon <= 0):
        raise ValueError(f"epsilon must be a finite number > 0 (e.g. 1e-7), found {epsilon!r}")
    if kinks not in ("warn", "nudge", "raise", "ignore"):
        raise ValueError(f"kinks must be 'warn', 'nudge', 'raise' or 'ignore', found {kinks!r}")
    forward = L_model_forward if forward is None else forward
    backward = L_model_backward if backward is None else backward
    check_real_matrix("X", X)
    X = np.asarray(X, dtype=np.float64)
    check_labels(Y, X.shape[1])
    check_parameters_finite(parameters)
    theta = parameters_to_vector(parameters)
    n_weights = sum(np.size(parameters[k]) for k in parameters if k.startswith("W"))
    flops = 2.0 * theta.shape[0] * 2.0 * X.shape[1] * n_weights
    if max_flops is not None and flops > max_flops:
        raise ValueError(
            f"this gradient check is too large to run in reasonable time: {theta.shape[0]:,} parameters "
            f"need {2 * theta.shape[0]:,} forward passes on {X.shape[1]:,} examples, about {flops:.1e} "
            f"floating-point operations (limit max_flops = {max_flops:.0e}; at 1e9 per second that is "
            f"{flops / 1e9 / 60:,.0f} minutes). Check a small network with the same code instead, "
            f"e.g. layer_dims [5, 4, 3, 1] on 10 examples, or pass max_flops=None to run it anyway")

    params64 = vector_to_parameters(theta, parameters)
    found = _relu_kinks(params64, X, epsilon)
    at_point, nudged = found, False
    if found and kinks == "raise":
        raise ValueError(f"{found} hidden unit value(s) sit at the ReLU kink Z = 0 (|Z| within the "
                         f"step epsilon) at this point: the finite differences there are not derivatives. "
                         f"Use kinks='nudge' to check at a nearby point, or other biases / inputs")
    if found and kinks == "nudge":
        rng = np.random.default_rng(seed)
        hidden_biases = [f"b{l}" for l in range(1, num_layers(params64))]
        best = (found, params64)
        for _ in range(5):  # from the given point each time; keep the one with the fewest kinks
            moved = {k: v.copy() for k, v in params64.items()}
            for key in hidden_biases:
                b = moved[key]
                b += 1e-3 * rng.choice([-1.0, 1.0], size=b.shape) * rng.uniform(0.5, 1.0, size=b.shape)
            left = _relu_kinks(moved, X, epsilon)
            if left < best[0]:
                best = (left, moved)
            if left == 0:
                break
        nudged = best[1] is not params64
        at_point, params64 = best
        theta = parameters_to_vector(params64)
    def cost_at(t):
        AL, _ = forward(X, vector_to_parameters(t, parameters))
        return compute_cost(AL, Y)

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
    # Rounding: J is computed to a few ulps, so each centred difference carries noise of about
    # 4·eps·|J| / (2ε) (3e-9 for J = 0.69, ε = 1e-7). Two gradients that are both that small are
    # both 0 as far as finite differences can tell (a dead layer, balanced labels): their relative
    # difference would compare noise with noise, anything up to 1, and is reported as 0.
    rounding = np.sqrt(theta.shape[0]) * 4 * np.finfo(np.float64).eps * abs(compute_cost(AL, Y)) / (2 * epsilon)
    difference = 0.0 if denominator <= rounding else float(np.linalg.norm(grad - gradapprox) / denominator)
    if at_point and kinks in ("warn", "nudge") and difference > 1e-7:
        import warnings

        warnings.warn(
            f"gradient_check: the difference {difference:.1e} may not mean a bug: {at_point} hidden unit "
            f"value(s) sit at the ReLU kink Z = 0 at the checked point, where the centred difference "
            f"measures the average of the two slopes, so even a correct backprop can differ. "
            + ("kinks='nudge' could not move the point off them." if kinks == "nudge" else
               "Pass kinks='nudge' to check at a point nearby."), GradientCheckWarning, stacklevel=2)
    if details:
        return {"difference": difference, "n_params": int(theta.shape[0]), "flops": flops,
                "kinks": found, "nudged": nudged, "kinks_checked": at_point}
    return difference


# ---------------------------------------------------------------------------
# Saving and loading a trained model
# ---------------------------------------------------------------------------

def _temp_path(path):
    """A fresh temporary name next to `path`: .{name}.{pid}-{random}.tmp (the pid says whose it is)."""
    import secrets

    return path.parent / f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"


def _remove_stale_temps(path):
    """Remove the temporary files an interrupted write of `path` left: those of dead processes."""
    prefix = f".{path.name}."
    try:
        names = os.listdir(path.parent)
    except OSError:
        return
    for name in names:
        if not (name.startswith(prefix) and name.endswith(".tmp")):
            continue
        owner = name[len(prefix):-len(".tmp")].split("-")[0]
        if not owner.isdigit():
            continue
        try:
            os.kill(int(owner), 0)
            if int(owner) != os.getpid():
                continue  # a live process is writing it
        except ProcessLookupError:
            pass
        except (PermissionError, OverflowError, OSError):
            continue
        try:
            os.unlink(path.parent / name)
        except OSError:
            pass


def _check_writable_folder(folder, what):
    """Prove that `what` can be written in `folder` (created later if missing), before any slow work.

    A probe file is created and removed in the folder, or in its nearest existing parent if
    the folder does not exist yet (nothing is created then). Raises a clear FileExistsError,
    PermissionError or OSError naming the folder.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise FileExistsError(f"output folder {folder} is a file; expected a folder (or a new name) for {what}")
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise FileExistsError(f"cannot create the output folder {folder}: {existing} is a file")
    try:
        probe = _temp_path(existing / ".write-test")
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        os.unlink(probe)
    except OSError as e:
        raise type(e)(e.errno, f"cannot write {what} in {folder}: {e.strerror} (in {existing}); "
                               f"choose a folder you can write to") from None


def _write_files_atomically(contents, what):
    """Write {path: bytes} completely or not at all, and leave no temporary file behind.

    Each file goes to a temporary name in its own folder (created with mode 0666 less the
    umask, as open() makes files; written and fsynced), then all are renamed into place,
    in the order given. A full disk raises OSError(ENOSPC) saying so; the old files stay.
    Temporary files that an earlier, killed write left are removed first.
    """
    import errno

    paths = [Path(p) for p in contents]
    for path in paths:
        _remove_stale_temps(path)
    temps = {}
    try:
        for path, data in zip(paths, contents.values()):
            temps[path] = tmp = _temp_path(path)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
                os.fsync(fd)
            finally:
                os.close(fd)
        for path in paths:
            os.replace(temps.pop(path), path)
        for folder in {p.parent for p in paths}:
            try:
                dir_fd = os.open(folder, os.O_RDONLY)
                try:
                    os.fsync(dir_fd)
                finally:
                    os.close(dir_fd)
            except OSError:
                pass
    except OSError as e:
        if e.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            need = sum(len(memoryview(d)) for d in contents.values())
            raise OSError(e.errno, f"not enough disk space to write {what} in {paths[0].parent} "
                                   f"({need:,} bytes needed): {e.strerror}. Nothing was replaced and no "
                                   f"temporary file is left; free some space or choose another folder") from None
        if isinstance(e, PermissionError):
            raise PermissionError(e.errno, f"cannot write {what} in {paths[0].parent}: permission denied") from None
        raise
    finally:
        for tmp in temps.values():
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass


def save_parameters(parameters, path):
    """Save parameters to a .npz file, written completely or not at all.

    The archive is built in memory, written to a temporary file in the same folder
    (.{name}.{pid}-{random}.tmp), fsynced, then renamed to `path`. An interrupted run leaves
    at most that temporary file, which the next save to the same path removes. The file gets
    the usual permissions (0666 less the umask, e.g. 0644); a full disk is a clear OSError.
    """
    import io

    check_parameters_finite(parameters)
    path = Path(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(f"folder not found: {path.parent}")
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder; expected a file name such as model.npz")
    buffer = io.BytesIO()
    np.savez(buffer, **{k: np.asarray(v) for k, v in parameters.items()})
    _write_files_atomically({path: buffer.getbuffer()}, f"the parameters {path.name}")


def load_parameters(path):
    """Load parameters saved by save_parameters. Plain arrays only: pickles are refused."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"parameter file not found: {path}")
    with open_regular_file(path, "a parameter file (.npz)") as f:
        data_bytes = f.read()
    magic = data_bytes[:6]
    if magic.startswith(b"\x93NUMPY"):
        raise ValueError(f"{path} is a single .npy array, not a .npz archive of W1, b1, ...")
    if not magic.startswith(b"PK"):
        raise ValueError(f"{path} is not a .npz archive (a zip file) as written by save_parameters; "
                         f"found a file starting with {magic!r}")
    import io

    try:
        with np.load(io.BytesIO(data_bytes), allow_pickle=False) as data:
            parameters = {k: data[k] for k in data.files}
    except ValueError as e:
        raise ValueError(f"{path} is not a parameters .npz file of plain arrays ({e})") from None
    except (OSError, EOFError, zipfile.BadZipFile, KeyError, RuntimeError) as e:
        raise ValueError(f"{path} is not a readable .npz file ({type(e).__name__}: {e})") from None
    check_parameters_finite(parameters)
    return parameters


# ---------------------------------------------------------------------------
# Plotting. Each helper draws on the axes it is given (or on a new figure)
# and returns them; none changes matplotlib's global settings.
# ---------------------------------------------------------------------------

def plot_costs(costs, learning_rate=None, every=100, ax=None, label=None):
    """Plot a cost curve: costs[k] is the cost at iteration k * every. Returns the axes."""
    import matplotlib.pyplot as plt

    values = np.asarray(costs) if not isinstance(costs, np.ndarray) else costs
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"costs must be a non-empty list of numbers (one per {every} iterations), "
                         f"found shape {values.shape}")
    check_real("costs", values)
    if isinstance(every, bool) or not isinstance(every, (int, np.integer)) or every < 1:
        raise ValueError(f"every must be a whole number >= 1 of iterations, found {every!r}")
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.2))
    iterations = np.arange(len(costs)) * every
    ax.plot(iterations, costs, label=label)
    ax.set_xlabel("iteration")
    ax.set_ylabel("cost")
    if learning_rate is not None:
        ax.set_title(f"learning rate = {learning_rate}")
    return ax


@checked
def plot_images(images, labels=None, predictions=None, classes=(b"non-cat", b"cat"), ncols=8,
                scale=1.2):
    """Show (k, h, w, 3) uint8 images in a grid, titled with their label and prediction.

    labels, predictions -- optional arrays of k class indices (any shape with k values)
    Returns the figure. At most PLOT_IMAGES_MAX (200) images: one subplot each.
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


@checked
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
    out = np.asarray(predict_fn(grid))
    if out.size != grid.shape[1]:
        raise ValueError(f"predict_fn must return one prediction per point: given {grid.shape}, "
                         f"it returned shape {out.shape}")
    Z = out.reshape(g0.shape)
    ax.contourf(g0, g1, Z, levels=[-0.5, 0.5, 1.5], colors=["#f3c6c6", "#c6d8f3"])
    ax.scatter(X[0], X[1], c=np.ravel(Y), cmap="bwr_r", s=12, edgecolors="k", linewidths=0.3)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    return ax
