"""dnn_checks: the input checks of dnn_utils, kept apart from the algorithms.

Each check raises an error that says what was expected and what was found, so a
learner never meets a raw broadcast error, a bare KeyError or a silent NaN. The
teaching functions of dnn_utils.py stay the algorithm only; their inputs are checked
here.
"""

from __future__ import annotations

import numpy as np

__all__ = ["check_matrix", "check_labels", "check_layer_dims", "num_layers", "check_learning_rate"]


def check_matrix(name, A, rows=None):
    """Check that A is a finite 2-D numeric array, optionally with `rows` rows."""
    if not isinstance(A, np.ndarray):
        raise TypeError(f"{name} must be a numpy array, found {type(A).__name__}")
    if A.ndim != 2:
        raise ValueError(f"{name} must be 2-D (features, examples), found shape {A.shape}")
    if not (np.issubdtype(A.dtype, np.number) or A.dtype == bool):
        raise TypeError(f"{name} must hold numbers, found dtype {A.dtype}")
    if rows is not None and A.shape[0] != rows:
        raise ValueError(f"{name} must have {rows} rows, found shape {A.shape}")
    if A.size and not np.all(np.isfinite(A)):
        raise ValueError(f"{name} contains NaN or inf; clean the data first")


def check_labels(Y, m=None, other="X"):
    """Check that Y is a (1, m) array of 0/1 labels; m is the number of columns of `other`."""
    check_matrix("Y", Y, rows=1)
    if Y.shape[1] == 0:
        raise ValueError("Y has no examples (shape (1, 0)); at least one is needed")
    if m is not None and Y.shape[1] != m:
        raise ValueError(f"{other} has {m} examples (columns) but Y has {Y.shape[1]}; "
                         f"they must match, one label per example")
    bad = ~((Y == 0) | (Y == 1))
    if np.any(bad):
        raise ValueError(f"labels must be 0 or 1, found {np.unique(Y[bad])[:5].tolist()}")


def check_layer_dims(layer_dims):
    """Check layer_dims is a sequence of at least two positive integers."""
    try:
        dims = [int(n) for n in layer_dims]
        ok = len(dims) >= 2 and all(n == d for n, d in zip(dims, layer_dims)) and min(dims) > 0
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ValueError(f"layer_dims must be a list of at least two positive integers "
                         f"[n_x, n_1, ..., n_L], found {layer_dims!r}")
    return dims


def num_layers(parameters):
    """Number of layers L in `parameters`, after checking W1, b1, ..., WL, bL are all there."""
    if not isinstance(parameters, dict):
        raise TypeError(f"parameters must be a dict {{'W1': ..., 'b1': ...}}, "
                        f"found {type(parameters).__name__}")
    # L is the highest layer number of any W<l> or b<l>, so a lone b3 or W3 is reported missing its pair
    L = max((int(k[1:]) for k in parameters
             if isinstance(k, str) and k[:1] in ("W", "b") and k[1:].isdigit()), default=0)
    expected = [f"{p}{l}" for l in range(1, L + 1) for p in "Wb"]
    missing = [k for k in expected if k not in parameters]
    if L == 0 or missing:
        raise ValueError(f"parameters must hold W1, b1, ..., WL, bL; missing {missing or ['W1', 'b1']} "
                         f"(found keys {sorted(parameters)})")
    for l in range(1, L + 1):
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        if np.ndim(W) != 2 or np.shape(b) != (np.shape(W)[0], 1):
            raise ValueError(f"W{l} must be (n_{l}, n_{l - 1}) and b{l} (n_{l}, 1); "
                             f"found W{l} {np.shape(W)} and b{l} {np.shape(b)}")
        if l > 1 and np.shape(W)[1] != np.shape(parameters[f"W{l - 1}"])[0]:
            raise ValueError(f"W{l} has {np.shape(W)[1]} columns but layer {l - 1} has "
                             f"{np.shape(parameters[f'W{l - 1}'])[0]} units")
    return L


def check_learning_rate(learning_rate):
    if (isinstance(learning_rate, bool) or not isinstance(learning_rate, (int, float, np.number))
            or not np.isfinite(learning_rate) or learning_rate <= 0):
        raise ValueError(f"learning_rate must be a positive number, found {learning_rate!r}")


# ---------------------------------------------------------------------------
# Checks of the data, file and result helpers (load_data, flatten_images, load_image,
# predict, accuracy, gradient_check, save/load_parameters, plot_*).
# ---------------------------------------------------------------------------

def checked(check):
    """Attach an input check to a function without touching its body.

    `check` receives the call's arguments as a dict {name: value} (defaults filled in)
    and raises a clear error; the function's own code, the one a notebook shows, stays
    the algorithm only.
    """
    import functools
    import inspect

    def attach(fn):
        signature = inspect.signature(fn)

        @functools.wraps(fn)
        def with_check(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            check(bound.arguments)
            return fn(*args, **kwargs)

        return with_check

    return attach


def check_real(name, A):
    """A holds real numbers (not complex, not strings or objects) and no NaN or inf."""
    A = np.asarray(A) if not isinstance(A, np.ndarray) else A
    if np.iscomplexobj(A):
        raise TypeError(f"{name} must hold real numbers, found complex dtype {A.dtype}; "
                        f"the network is defined for real inputs (take .real or np.abs yourself if meant)")
    if not (np.issubdtype(A.dtype, np.number) or A.dtype == bool):
        raise TypeError(f"{name} must hold numbers, found dtype {A.dtype}")
    if A.size and not np.all(np.isfinite(A)):
        raise ValueError(f"{name} contains NaN or inf; clean the data first")
    return A


def check_real_matrix(name, A, rows=None):
    """check_matrix, and the values real (complex refused) and finite."""
    if isinstance(A, np.ndarray) and np.iscomplexobj(A):
        check_real(name, A)
    check_matrix(name, A, rows)


def check_parameters_finite(parameters):
    """Every W<l>, b<l> is a real float/int array without NaN or inf; returns L."""
    L = num_layers(parameters)
    for key in (f"{p}{l}" for l in range(1, L + 1) for p in "Wb"):
        check_real(key, np.asarray(parameters[key]))
    return L


def check_float_dtype(dtype):
    """dtype is a real floating-point type (float16/32/64/longdouble); returns np.dtype."""
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype must be a floating-point type such as np.float64 or np.float32, "
                        f"found {dtype!r}") from None
    if not np.issubdtype(dt, np.floating):
        raise TypeError(f"dtype must be a floating-point type such as np.float64 or np.float32, "
                        f"found {dt}: the random weights of N(0, 1) * scale would be "
                        f"{'rounded to whole numbers (mostly 0)' if dt.kind in 'iub' else 'of the wrong kind'}")
    return dt


def check_images_to_flatten(images):
    """(m, h, w, c) images with pixel values 0..255, integers or whole floats: not already scaled."""
    if isinstance(images, (list, tuple)):
        images = np.asarray(images)
    if not isinstance(images, np.ndarray):
        raise TypeError(f"images must be a numpy array (m, height, width, channels), "
                        f"found {type(images).__name__}")
    if images.ndim != 4:
        raise ValueError(f"images must be (m, height, width, channels), found shape {images.shape}"
                         + ("; these look flattened already (n_x, m): flatten_images takes the "
                            "original images" if images.ndim == 2 else ""))
    if images.dtype == bool:
        raise TypeError("images must hold pixel values 0..255 (uint8), found dtype bool")
    check_real("images", images)
    if images.size == 0:
        return
    lo, hi = images.min(), images.max()
    if lo < 0 or hi > 255:
        raise ValueError(f"images must hold pixel values in 0..255, found values from {lo} to {hi}")
    if np.issubdtype(images.dtype, np.floating) and np.any(images != np.floor(images)):
        if hi <= 1:
            raise ValueError(f"images are {images.dtype} values in [0, 1]: they look scaled already, "
                             f"and flatten_images would divide them by 255 a second time. Pass the "
                             f"original uint8 images (0..255), or use images.reshape(m, -1).T directly")
        raise ValueError(f"images must hold whole pixel values 0..255, found {images.dtype} with "
                         f"fractions (values from {lo} to {hi})")


def check_labels_01(name, A):
    """A holds 0/1 class labels (ints, bools or whole floats)."""
    A = check_real(name, A)
    bad = ~((A == 0) | (A == 1))
    if np.any(bad):
        raise ValueError(f"{name} must be 0/1 labels, found {np.unique(A[bad])[:5].tolist()}"
                         + ("; pass predict(...)'s 0/1 output, not probabilities"
                            if name == "predictions" and np.all((A >= 0) & (A <= 1)) else ""))


def open_regular_file(path, what):
    """Open `path` for reading in binary, refusing folders, FIFOs, sockets and devices.

    `what` names the file expected, with its article: "an image file", "a photo".

    The file is opened without blocking (a FIFO would wait forever for a writer), then
    checked with fstat, so nothing can be swapped in between check and use.
    """
    import errno
    import os
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise FileNotFoundError(f"{what.split(' ', 1)[1]} not found: {path}") from None
    except IsADirectoryError:
        raise IsADirectoryError(errno.EISDIR, f"{path} is a folder, expected {what}") from None
    except PermissionError:
        raise PermissionError(errno.EACCES, f"cannot read {path}: permission denied "
                                            f"(expected {what}, readable)") from None
    except OSError as e:
        raise OSError(e.errno, f"cannot open {path}: {e.strerror} (expected {what})") from None
    mode = os.fstat(fd).st_mode
    if stat.S_ISDIR(mode):
        os.close(fd)
        raise IsADirectoryError(errno.EISDIR, f"{path} is a folder, expected {what}")
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = ("a folder" if stat.S_ISDIR(mode) else "a FIFO (named pipe)" if stat.S_ISFIFO(mode)
                else "a socket" if stat.S_ISSOCK(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
                else "not a regular file")
        raise ValueError(f"{path} is {kind}, expected {what} (a regular file)")
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


__all__ += ["checked", "check_real", "check_real_matrix", "check_parameters_finite", "check_float_dtype",
            "check_images_to_flatten", "check_labels_01", "open_regular_file"]
