"""dnn_checks: the input checks of dnn_utils, kept apart from the algorithms.

Each check raises an error that says what was expected and what was found, so a
learner never meets a raw broadcast error, a bare KeyError or a silent NaN. The
teaching functions of dnn_utils.py stay the algorithm only; their inputs are checked
here.
"""

from __future__ import annotations

import numpy as np

__all__ = ["check_matrix", "check_labels", "check_layer_dims", "num_layers", "check_learning_rate",
           "check_activation", "checked"]


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
# The checks of each teaching function, attached to it with @checked
# ---------------------------------------------------------------------------

def checked(fn):
    """Run `inputs_of_<name>` (below) on a teaching function's arguments before each call.

    The function's body stays the algorithm only; a bad input stops here, with a message
    that names what was expected and what was found.
    """
    import functools
    import inspect

    check = globals()["inputs_of_" + fn.__name__]
    signature = inspect.signature(fn)

    @functools.wraps(fn)
    def with_checks(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        check(**bound.arguments)
        return fn(*args, **kwargs)

    with_checks.unchecked = fn
    return with_checks


def check_activation(activation):
    if activation not in ("relu", "sigmoid"):
        raise ValueError(f"activation must be 'relu' or 'sigmoid', found {activation!r}")


def inputs_of_initialize_parameters(layer_dims, scale, seed, dtype):
    check_layer_dims(layer_dims)
    if not (scale in ("xavier", "he") if isinstance(scale, str) else
            isinstance(scale, (int, float)) and not isinstance(scale, bool)
            and np.isfinite(scale) and scale > 0):
        raise ValueError(f"scale must be 'xavier', 'he' or a positive number, found {scale!r}")


def inputs_of_linear_forward(A, W, b):
    shapes = [np.shape(x) for x in (A, W, b)]
    if (any(not isinstance(x, np.ndarray) for x in (A, W, b)) or A.ndim != 2 or W.ndim != 2
            or W.shape[1] != A.shape[0] or b.shape != (W.shape[0], 1)):
        raise ValueError(f"linear_forward expects A (n_prev, m), W (n, n_prev), b (n, 1); "
                         f"found A {shapes[0]}, W {shapes[1]}, b {shapes[2]}")


def inputs_of_linear_activation_forward(A_prev, W, b, activation):
    check_activation(activation)


def inputs_of_L_model_forward(X, parameters):
    num_layers(parameters)
    if len(parameters) != 2 * num_layers(parameters):
        extra = sorted(k for k in parameters if not (str(k)[:1] in "Wb" and str(k)[1:].isdigit()))
        raise ValueError(f"parameters must hold only W1, b1, ..., WL, bL; found also {extra}")
    n_x = parameters["W1"].shape[1]
    if np.ndim(X) != 2 or X.shape[0] != n_x:
        raise ValueError(f"X must be (n_x, m) = ({n_x}, m) to match W1, one column per example; "
                         f"found shape {np.shape(X)}")


def inputs_of_compute_cost(AL, Y):
    check_matrix("AL", AL, rows=1)
    check_labels(Y, AL.shape[1], other="AL")
    if np.any((AL < 0) | (AL > 1)):
        raise ValueError("AL must hold probabilities in [0, 1]; pass the sigmoid output, not Z")


def inputs_of_sigmoid_backward(dA, cache):
    if np.shape(dA) != np.shape(cache):
        raise ValueError(f"dA and the cache Z must have the same shape, found {np.shape(dA)} and "
                         f"{np.shape(cache)}")


inputs_of_relu_backward = inputs_of_sigmoid_backward


def inputs_of_linear_backward(dZ, cache, need_dA_prev):
    if not isinstance(cache, (tuple, list)) or len(cache) != 3:
        raise ValueError("cache must be the (A_prev, W, b) that linear_forward returned")
    n, m = np.shape(cache[1])[0], np.shape(cache[0])[1]
    if np.ndim(dZ) != 2 or np.shape(dZ) != (n, m):
        raise ValueError(f"dZ must be (n[l], m) = ({n}, {m}) to match the cache's W and A_prev, "
                         f"found {np.shape(dZ)}")


def inputs_of_linear_activation_backward(dA, cache, activation, need_dA_prev):
    check_activation(activation)


def inputs_of_L_model_backward(AL, Y, caches):
    if np.shape(Y) != np.shape(AL):
        raise ValueError(f"Y must have the shape of AL {np.shape(AL)}, found {np.shape(Y)}")
    check_matrix("AL", AL, rows=1)
    check_labels(Y)


def inputs_of_update_parameters(parameters, grads, learning_rate):
    check_learning_rate(learning_rate)
    L = num_layers(parameters)
    missing = [f"d{p}{l}" for l in range(1, L + 1) for p in "Wb" if f"d{p}{l}" not in grads]
    if missing:
        raise ValueError(f"grads is missing {missing} for a {L}-layer network")
    for k in (f"{p}{l}" for l in range(1, L + 1) for p in "Wb"):
        if np.shape(grads["d" + k]) != np.shape(parameters[k]):
            raise ValueError(f"d{k} must have the shape of {k} {np.shape(parameters[k])}, "
                             f"found {np.shape(grads['d' + k])}")


def inputs_of_L_layer_model(X, Y, layers_dims, learning_rate, num_iterations, print_cost,
                            init, seed, dtype, print_every, fast):
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
    inputs_of_initialize_parameters(layers_dims, init, seed, dtype)


def inputs_of_flatten_images(images, dtype):
    if np.ndim(images) != 4:
        raise ValueError(f"images must be (m, height, width, channels), found shape {np.shape(images)}")
