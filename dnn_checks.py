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
