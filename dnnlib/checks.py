"""The input checks of the course functions, kept apart from the algorithms.

Each check raises an error that says what was expected and what was found, so a
learner never meets a raw broadcast error, a bare KeyError or a silent NaN. The
course functions of dnn_utils.py stay the algorithm only; their inputs are checked
here.
"""

from __future__ import annotations

import threading
import types

import numpy as np

__all__ = ["check_matrix", "check_labels", "check_layer_dims", "num_layers", "check_learning_rate",
           "check_activation", "checked"]


def check_matrix(name, A, rows=None):
    """Check that A is a finite 2-D numeric array, optionally with `rows` rows."""
    if not isinstance(A, np.ndarray):
        raise TypeError(f"{name} must be a numpy array, found {type(A).__name__}")
    check_plain_array(name, A)
    check_not_half(name, A)
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
# @checked: the checks of each course function, run at the boundary
# ---------------------------------------------------------------------------

class _State(threading.local):
    """Per thread: how deep in checked functions the running call is, and the training watched."""
    depth = 0
    watch = None  # dnnlib.training.CourseLoopWatch while a course model trains
    predicting = False  # inside predict: L_model_forward's outputs are checked (check_outputs)


_local = _State()

#: the course's model functions: checked, and their training watched (dnnlib.training)
MODELS = ("L_layer_model", "two_layer_model")


class InputError(ValueError):
    """A course function's input is wrong; the message says what was expected and what was found."""


def _same_signature_checker(check, fn):
    """`check` with fn's defaults when both take the same parameters (it is then called directly,
    with the caller's arguments); None when they differ (then the arguments are bound first)."""
    code, fcode = check.__code__, fn.__code__
    n, fn_n = code.co_argcount + code.co_kwonlyargcount, fcode.co_argcount + fcode.co_kwonlyargcount
    if (code.co_flags & 0x0C or fcode.co_flags & 0x0C or code.co_argcount != fcode.co_argcount
            or code.co_varnames[:n] != fcode.co_varnames[:fn_n]):
        return None
    direct = types.FunctionType(code, check.__globals__, check.__name__, fn.__defaults__, check.__closure__)
    direct.__kwdefaults__ = fn.__kwdefaults__
    return direct


def checked(fn):
    """Check a course function's inputs at the boundary, so its body stays the algorithm only.

    * A call from outside any checked function (in any thread) runs `inputs_of_<name>` below
      first: a bad input stops there, with a message naming what was expected and found.
    * Calls inside another checked function (L_model_forward's linear_forward calls, the whole
      training loop inside L_layer_model) run unchecked: the outer call checked its inputs, so
      they cost almost nothing. If one of them fails anyway, its checks run then, and name the
      input that caused it instead of numpy's error.
    * A `seed` that is a np.random.RandomState draws as the course's np.random.randn does
      (course_generator below), whatever the body does with np.random.default_rng(seed).
    * L_layer_model and two_layer_model are watched while they train (dnnlib.training): a
      diverging or stalled run is reported from the course's own calls to compute_cost and
      update_parameters.
    """
    import functools
    import inspect

    from dnnlib import training

    name = fn.__name__
    check = globals()["inputs_of_" + name]
    direct = _same_signature_checker(check, fn)
    if direct is None:
        signature = inspect.signature(fn)

        def direct(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            return check(**bound.arguments)
    params = list(inspect.signature(fn).parameters)
    seed_at = params.index("seed") if "seed" in params else None
    state = _local

    def outer_checks(args, kwargs):
        """The checks of a call from outside; a wrong argument names this function, not its checks."""
        try:
            direct(*args, **kwargs)
        except TypeError as error:
            if check.__name__ + "()" not in str(error):
                raise
            raise TypeError(str(error).replace(check.__name__ + "()", name + "()")) from None

    def recheck(error, args, kwargs):
        """A nested call failed: let its checks name the input (outer calls keep that message)."""
        if isinstance(error, (InputError, training.TrainingDivergedError)) or getattr(error, "_named", False):
            return
        depth, state.depth = state.depth, 0
        try:
            direct(*args, **kwargs)
        except (TypeError, ValueError) as named:
            named._named = True
            raise named from error
        finally:
            state.depth = depth

    to_float = _integer_rule(name, fn)

    def course_seed(args, kwargs):
        if len(args) > seed_at and isinstance(args[seed_at], np.random.RandomState):
            args = args[:seed_at] + (course_generator(args[seed_at]),) + args[seed_at + 1:]
        elif isinstance(kwargs.get("seed"), np.random.RandomState):
            kwargs["seed"] = course_generator(kwargs["seed"])
        return args, kwargs

    def call(depth, target, args, kwargs):
        """target(*args, **kwargs) one level deeper; a failure of a nested call is named by its checks."""
        state.depth = depth + 1
        try:
            return target(*args, **kwargs)
        except Exception as error:  # noqa: BLE001 (re-raised, named if the inputs explain it)
            if depth:
                recheck(error, args, kwargs)
            named = lookup_named(name, error, fn, args, kwargs)
            if named is not None:
                raise named from error
            raise
        finally:
            state.depth = depth

    # The common case, most calls of a training loop, as cheap as a wrapper can be: a nested call
    # costs a counter and a try (call() inlined: one Python call less, measured in benchmarks/)
    def with_checks(*args, **kwargs):
        depth = state.depth
        if not depth:
            outer_checks(args, kwargs)
            if to_float is not None:
                args, kwargs = to_float(args, kwargs)
        state.depth = depth + 1
        try:
            return fn(*args, **kwargs)
        except Exception as error:  # noqa: BLE001 (re-raised, named if the inputs explain it)
            if depth:
                recheck(error, args, kwargs)
            named = lookup_named(name, error, fn, args, kwargs)
            if named is not None:
                raise named from error
            raise
        finally:
            state.depth = depth

    def watched_model(*args, **kwargs):  # L_layer_model, two_layer_model: the training is watched
        return training.watched(fn, args, kwargs, state)

    def with_seed(*args, **kwargs):
        depth = state.depth
        if not depth:
            outer_checks(args, kwargs)
        args, kwargs = course_seed(args, kwargs)
        return call(depth, watched_model if name in MODELS and not depth else fn, args, kwargs)

    def watched_cost(*args, **kwargs):  # compute_cost: the watch sees each iteration's AL
        depth = state.depth
        if not depth:
            outer_checks(args, kwargs)
            # integer or boolean probabilities (0/1 given by hand) become float64, so the body
            # can clip them to its dtype's epsilon
            if args and args[0].dtype.kind in "iub":
                args = (args[0].astype(np.float64),) + args[1:]
            elif "AL" in kwargs and kwargs["AL"].dtype.kind in "iub":
                kwargs["AL"] = kwargs["AL"].astype(np.float64)
        elif state.watch is not None:
            state.watch.cost(args[0] if args else kwargs.get("AL"))
        return call(depth, fn, args, kwargs)

    def watched_update(*args, **kwargs):  # update_parameters: the end of an iteration
        result = with_checks(*args, **kwargs)
        if state.depth and state.watch is not None:
            state.watch.iteration += 1
        return result

    def watched_forward(*args, **kwargs):  # L_model_forward: NaN outputs at the boundary are refused
        depth = state.depth  # (with_checks inlined: one Python call less per iteration)
        if not depth:
            outer_checks(args, kwargs)
            args, kwargs = to_float(args, kwargs)
        state.depth = depth + 1
        try:
            result = fn(*args, **kwargs)
        except Exception as error:  # noqa: BLE001 (re-raised, named if the inputs explain it)
            if depth:
                recheck(error, args, kwargs)
            named = lookup_named(name, error, fn, args, kwargs)
            if named is not None:
                raise named from error
            raise
        finally:
            state.depth = depth
        if not depth or state.predicting:
            check_outputs(result[0], args[0] if args else kwargs.get("X"))
        return result

    def predicting(*args, **kwargs):  # predict: the outputs of its L_model_forward are checked
        if state.depth:
            return with_checks(*args, **kwargs)
        state.predicting = True
        try:
            # inputs that overflow the network are named by check_outputs (NaN outputs); numpy's
            # raw overflow warnings before that error would only hide it
            with np.errstate(over="ignore", invalid="ignore"):
                return with_checks(*args, **kwargs)
        finally:
            state.predicting = False

    def light(*args, **kwargs):  # sigmoid, relu: called in every layer of every iteration
        if state.depth:
            return fn(*args, **kwargs)
        outer_checks(args, kwargs)
        state.depth = 1
        try:
            return fn(*args, **kwargs)
        finally:
            state.depth = 0

    wrapper = (with_seed if seed_at is not None else watched_cost if name == "compute_cost"
               else watched_update if name == "update_parameters" else light if name in ("sigmoid", "relu")
               else watched_forward if name == "L_model_forward" else predicting if name == "predict"
               else with_checks)
    wrapper = functools.wraps(fn)(wrapper)
    wrapper.unchecked = fn
    return wrapper


class _OwnMessage:
    """str() is the message itself (a KeyError would show it quoted, as a key)."""

    def __str__(self):
        return str(self.args[0]) if self.args else ""


class LayerKeyError(_OwnMessage, KeyError):
    """A course function asked parameters or grads for a layer they do not hold (a loop that
    counts the layers wrongly); the message names the layers there are and how to count them."""


class LayerIndexError(_OwnMessage, IndexError):
    """A course function read past the end of caches or layer_dims (a loop one layer too far)."""


def lookup_named(name, error, fn, args, kwargs):
    """For a KeyError or IndexError that a loop over the layers raised inside the course function
    `name`, an error that names the mistake (how many layers there are, how to count them);
    None for any other error. Runs only after a failure, so it costs nothing otherwise."""
    import inspect
    import re

    if isinstance(error, (LayerKeyError, LayerIndexError)) or not isinstance(error, (KeyError, IndexError)):
        return None
    try:
        arguments = inspect.signature(fn).bind(*args, **kwargs).arguments
    except TypeError:
        return None
    if isinstance(error, KeyError):
        key = error.args[0] if error.args else None
        found = re.fullmatch(r"(d?)([WbA])(\d+)", key) if isinstance(key, str) else None
        if found is None:
            return None
        for argname in ("parameters", "grads"):
            held = arguments.get(argname)
            if not isinstance(held, dict) or key in held:
                continue
            prefix = "dW" if argname == "grads" else "W"
            layers = sorted(int(k[len(prefix):]) for k in held if isinstance(k, str) and k.startswith(prefix)
                            and k[len(prefix):].isdigit())
            if not layers:
                return None
            L, asked = layers[-1], int(found.group(3))
            keys = ", ".join(f"{found.group(1)}{p}{l}" for l in layers for p in "Wb")
            if asked == 0:
                hint = ("the layers are numbered from 1 (A0 is X, which has no weights): start the loop "
                        "at l = 1")
            elif asked > L:
                hint = (f"the network has L = {L} layers, and each has one W and one b, so L = "
                        f"len(parameters) // 2 (not len(parameters)); the loop ends at layer L")
            else:
                hint = f"{argname} must hold every layer's {found.group(1)}W and {found.group(1)}b"
            return LayerKeyError(f"{name} asked {argname} for {key!r}, but {argname} holds layers 1 to {L} "
                                 f"({keys}): {hint}")
        return None
    if "index out of range" not in str(error):
        return None
    caches = arguments.get("caches")
    if isinstance(caches, (list, tuple)):
        return LayerIndexError(f"{name} failed with IndexError ({error}); caches holds {len(caches)} caches, "
                               f"caches[0] (layer 1) to caches[{len(caches) - 1}] (layer {len(caches)}): "
                               f"layer l's cache is caches[l - 1], and L = len(caches)")
    for argname in ("layer_dims", "layers_dims"):
        dims = arguments.get(argname)
        if isinstance(dims, (list, tuple)):
            return LayerIndexError(f"{name} failed with IndexError ({error}); {argname} has {len(dims)} "
                                   f"entries, {argname}[0] = n_x to {argname}[{len(dims) - 1}] = n_L: the "
                                   f"layers with weights are l = 1 .. L = len({argname}) - 1, so loop over "
                                   f"range(1, len({argname}))")
    return None


def _integer_kind(*arrays):
    return all(isinstance(a, np.ndarray) and a.dtype.kind in "iub" for a in arrays)


def _largest(A):
    return float(np.max(np.abs(A.astype(np.float64)))) if A.size else 0.0


def _may_wrap(left, right, plus=None):
    """Whether left @ right (+ plus), all integer arrays, can leave its integer dtype (or is boolean
    arithmetic, where @ is a logical OR): bounded by max|left|·max|right|·(inner size) + max|plus|."""
    arrays = (left, right) if plus is None else (left, right, plus)
    dtype = np.result_type(*arrays)
    if dtype.kind == "b":
        return True
    bound = _largest(left) * _largest(right) * left.shape[-1] + (0.0 if plus is None else _largest(plus))
    return bound > float(np.iinfo(dtype).max)


def _integer_rule(name, fn):
    """For a course function whose arithmetic integer arrays would reach with only integer operands
    (uint8 200·2 + 200·2 wraps around to 32), a function of (args, kwargs) that turns those arrays
    into float64 at the boundary; None for the others. Float inputs pass unchanged."""
    import inspect

    def linear(a, first):
        # W·A + b in integers that could wrap around: in float64 (integers that fit stay as given)
        if _integer_kind(a[first], a["W"]) and _may_wrap(a["W"], a[first], a["b"]):
            for k in (first, "W", "b"):
                a[k] = np.asarray(a[k], dtype=np.float64)

    def forward(a):
        W1 = a["parameters"].get("W1") if isinstance(a["parameters"], dict) else None
        if _integer_kind(a["X"], W1):
            a["X"] = a["X"].astype(np.float64)

    def backward(a, key="dZ", cache_of=lambda cache: cache):
        A_prev, W, _ = cache_of(a["cache"])
        dZ = a[key]
        if _integer_kind(dZ) and ((_integer_kind(A_prev) and _may_wrap(dZ, A_prev.T))
                                  or (_integer_kind(W) and _may_wrap(W.T, dZ))):
            a[key] = dZ.astype(np.float64)  # dZ·A_prev.T or W.T·dZ would wrap around in integers

    def first_to_float(key):
        def rule(a):
            if _integer_kind(a[key]):
                a[key] = a[key].astype(np.float64)
        return rule

    rules = {"linear_forward": lambda a: linear(a, "A"), "linear_activation_forward": lambda a: linear(a, "A_prev"),
             "L_model_forward": forward, "predict": forward, "linear_backward": backward,
             "linear_activation_backward": lambda a: backward(a, "dA", lambda cache: cache[0]),
             "L_model_backward": first_to_float("AL")}
    rule = rules.get(name)
    if rule is None:
        return None
    signature = inspect.signature(fn)

    def to_float(args, kwargs):
        bound = signature.bind(*args, **kwargs)
        rule(bound.arguments)
        return bound.args, bound.kwargs
    return to_float


def check_outputs(AL, X):
    """The network's outputs AL are finite: NaN comes from inputs that overflow the network."""
    if not isinstance(AL, np.ndarray) or AL.dtype.kind != "f":
        return
    with np.errstate(invalid="ignore", over="ignore"):
        if np.isfinite(AL.sum()) or np.isfinite(AL).all():  # AL is (1, m): one cheap sum
            return
    bad = int(np.sum(~np.isfinite(AL)))
    with np.errstate(invalid="ignore", over="ignore"):
        top = float(np.max(np.abs(X))) if isinstance(X, np.ndarray) and X.size else float("nan")
    raise InputError(f"the network's outputs AL are not finite (NaN) for {bad} of {AL.shape[-1]} "
                     f"examples: the inputs overflow the network (max |X| = {top:.3g}; Z = W·A + b went "
                     f"beyond the float range). Scale X as the training data was scaled (e.g. pixels / 255)")


def outermost():
    """True in the checks of a course function called from outside any other (in this thread)."""
    return _local.depth == 0


class _CourseDraws(np.random.Generator):
    """A Generator whose standard_normal draws what the course's np.random.randn draws."""

    def __init__(self, legacy):
        super().__init__(np.random.MT19937(0))  # unused: the draws below come from `legacy`
        self.legacy = legacy

    def standard_normal(self, size=None, dtype=np.float64, out=None):
        draws = self.legacy.randn(*np.atleast_1d(size)) if size is not None else self.legacy.randn()
        return np.asarray(draws, dtype=dtype)

    def normal(self, loc=0.0, scale=1.0, size=None):
        return self.legacy.normal(loc, scale, size)


def course_generator(seed):
    """np.random.default_rng(seed), except that a np.random.RandomState (the course's
    np.random.seed(1)) gives a Generator whose standard_normal(shape) is its randn(*shape):
    the course's numbers, from code written for a Generator."""
    if isinstance(seed, _CourseDraws):
        return seed
    if isinstance(seed, np.random.RandomState):
        return _CourseDraws(seed)
    return np.random.default_rng(seed)


def all_finite(A):
    """No NaN or inf in the array A, without a copy in the common case (a finite sum)."""
    if A.dtype.kind in "iub":
        return True
    if A.size < 100_000:  # small: the plain scan is quicker than entering np.errstate
        return bool(np.isfinite(A).all())
    with np.errstate(invalid="ignore", over="ignore"):
        if np.isfinite(np.sum(A)):  # a NaN or inf anywhere makes the sum NaN or inf
            return True
        return bool(np.all(np.isfinite(A)))


def check_plain_array(name, A):
    """A is a plain np.ndarray, not a np.matrix (whose * is a matrix product) nor a masked array
    (whose mask the course's formulas would drop or count wrongly)."""
    if type(A) is np.ndarray or not isinstance(A, np.ndarray):
        return
    if isinstance(A, np.ma.MaskedArray):
        raise TypeError(f"{name} must be a plain numpy array, found a masked array (np.ma.MaskedArray) "
                        f"with {int(np.ma.count_masked(A))} masked values: the course's formulas would "
                        f"ignore the mask or count the masked values as examples. Fill them, "
                        f"{name}.filled(value), or drop the masked examples (columns) first")
    if isinstance(A, np.matrix):
        raise TypeError(f"{name} must be a numpy array (np.ndarray), found np.matrix: on a matrix, * is "
                        f"a matrix product instead of the elementwise product the course's formulas "
                        f"use. Convert it with np.asarray({name})")


def check_not_half(name, A):
    """float16 overflows to inf from 65504: W·A and the gradients would silently become inf."""
    if A.dtype == np.float16:
        raise TypeError(f"{name} must be float32 or float64, found float16: its largest number is "
                        f"65504, so Z = W·A + b and the gradients overflow to inf. Convert it with "
                        f"{name}.astype(np.float64)")


def check_array(name, A, shape_note="", half=False):
    """A is a plain numpy array of real numbers (ints, floats or bools): not a list, complex or
    strings, not a np.matrix or masked array, and not float16 (unless half)."""
    if not isinstance(A, np.ndarray):
        raise TypeError(f"{name} must be a numpy array{shape_note}, found {type(A).__name__}"
                        + ("; convert it with np.array(...)" if isinstance(A, (list, tuple)) else ""))
    check_plain_array(name, A)
    if not half:
        check_not_half(name, A)
    if A.dtype.kind == "c":
        raise TypeError(f"{name} must hold real numbers, found complex dtype {A.dtype}; the network "
                        f"is defined for real inputs (relu and sigmoid would compare or take |Z| of "
                        f"complex numbers in silence)")
    if A.dtype.kind not in "iufb":
        raise TypeError(f"{name} must hold numbers, found dtype {A.dtype}")


def check_finite(name, A, hint="clean the data first"):
    if not all_finite(A):
        raise ValueError(f"{name} contains NaN or inf; {hint}")


def check_layers_only(parameters, L):
    """parameters holds W1, b1, ..., WL, bL and nothing else (the functions count len(parameters) // 2)."""
    if len(parameters) != 2 * L:
        extra = sorted(map(str, (k for k in parameters
                                 if not (str(k)[:1] in "Wb" and str(k)[1:].isdigit()))))
        raise ValueError(f"parameters must hold only W1, b1, ..., WL, bL; found also {extra}")


def check_parameters(parameters, scan=True):
    """parameters is a dict of real arrays W1, b1, ..., WL, bL that chain; NaN/inf refused if scan. Returns L."""
    L = num_layers(parameters)
    check_layers_only(parameters, L)
    for key in (f"{p}{l}" for l in range(1, L + 1) for p in "Wb"):
        check_array(key, parameters[key])
        if scan:
            check_finite(key, parameters[key], "the parameters are broken (did training diverge?)")
    return L


def check_activation(activation):
    if activation not in ("relu", "sigmoid"):
        raise ValueError(f"activation must be 'relu' or 'sigmoid', found {activation!r}")


def check_seed(seed):
    """seed is None, a whole number >= 0, a np.random.Generator or a np.random.RandomState."""
    if seed is None or isinstance(seed, (np.random.Generator, np.random.RandomState)):
        return
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a whole number >= 0, a np.random.Generator, a np.random.RandomState "
                         f"or None, found {seed!r}")


def check_scale(scale):
    if not (scale in ("xavier", "he") if isinstance(scale, str) else
            isinstance(scale, (int, float)) and not isinstance(scale, bool)
            and np.isfinite(scale) and scale > 0):
        raise ValueError(f"scale must be 'xavier', 'he' or a positive number, found {scale!r}")


def inputs_of_initialize_parameters(layer_dims, seed):
    check_layer_dims(layer_dims)
    check_seed(seed)


def inputs_of_initial_parameters(layer_dims, scale, seed, dtype):
    check_layer_dims(layer_dims)
    check_scale(scale)
    check_seed(seed)
    check_float_dtype(dtype)  # an integer dtype would round the random weights to 0


def inputs_of_linear_forward(A, W, b):
    for name, x, shape in (("A", A, " (n[l-1], m)"), ("W", W, " (n[l], n[l-1])"), ("b", b, " (n[l], 1)")):
        check_array(name, x, shape)
    if A.ndim != 2 or W.ndim != 2 or W.shape[1] != A.shape[0] or b.shape != (W.shape[0], 1):
        raise ValueError(f"linear_forward expects A (n_prev, m), W (n, n_prev), b (n, 1); "
                         f"found A {A.shape}, W {W.shape}, b {b.shape}")
    if outermost():
        for name, x in (("A", A), ("W", W), ("b", b)):
            check_finite(name, x, "Z = W·A + b would be NaN")


def inputs_of_linear_activation_forward(A_prev, W, b, activation):
    check_activation(activation)
    inputs_of_linear_forward(A_prev, W, b)


def inputs_of_L_model_forward(X, parameters):
    L = check_parameters(parameters, scan=outermost())
    check_array("X", X, " (n_x, m)")
    n_x = parameters["W1"].shape[1]
    if X.ndim != 2 or X.shape[0] != n_x:
        raise ValueError(f"X must be (n_x, m) = ({n_x}, m) to match W1, one column per example; "
                         f"found shape {X.shape}")
    if outermost():
        check_finite("X", X)
    return L


def check_network_output(AL):
    """AL is the network's output, not data: NaN or inf there was made by the forward pass, and
    the message says so (not "clean the data")."""
    if isinstance(AL, np.ndarray) and AL.dtype.kind == "f" and AL.size and not all_finite(AL):
        bad = int(np.sum(~np.isfinite(AL)))
        raise ValueError(f"AL, the network's output, contains NaN or inf ({bad} of {AL.size} values). AL "
                         f"is not data: the forward pass made it. In a training loop this usually means "
                         f"the weights overflowed (a learning rate too large, or gradients too big: check "
                         f"them with gradient_check), or that X is not scaled (pixels / 255); "
                         f"np.isfinite on each W[l] and on X shows which")


def inputs_of_compute_cost(AL, Y):
    check_network_output(AL)
    check_real_matrix("AL", AL, rows=1)
    check_real_matrix("Y", Y)
    check_labels(Y, AL.shape[1], other="AL")
    if np.any((AL < 0) | (AL > 1)):
        raise ValueError("AL must hold probabilities in [0, 1]; pass the sigmoid output, not Z")


def inputs_of_sigmoid_backward(dA, cache):
    check_array("dA", dA)
    check_array("the cache Z", cache, " (the Z that the activation stored)")
    if dA.shape != cache.shape:
        raise ValueError(f"dA and the cache Z must have the same shape, found {dA.shape} and "
                         f"{cache.shape} (no broadcasting: one gradient per value of Z)")


inputs_of_relu_backward = inputs_of_sigmoid_backward


def inputs_of_sigmoid(Z):
    """Z is a real numpy array or a real number (not a list, string or complex)."""
    if isinstance(Z, (int, float, np.integer, np.floating)) and not isinstance(Z, bool):
        return
    check_array("Z", Z, half=True)


inputs_of_relu = inputs_of_sigmoid


def _linear_cache_shapes(cache, where="cache"):
    """(A_prev, W, b) of linear_forward, with shapes that fit together; returns (n, n_prev, m)."""
    if not isinstance(cache, tuple) or len(cache) != 3:
        raise ValueError(f"{where} must be the (A_prev, W, b) tuple that linear_forward returned, found "
                         f"{type(cache).__name__}" + (f" of length {len(cache)}"
                                                      if isinstance(cache, (tuple, list)) else ""))
    A_prev, W, b = tuple(cache)
    for name, x in (("A_prev", A_prev), ("W", W), ("b", b)):
        check_array(f"{where}'s {name}", x)
    if A_prev.ndim != 2 or W.ndim != 2 or W.shape[1] != A_prev.shape[0] or b.shape != (W.shape[0], 1):
        raise ValueError(f"{where} must hold A_prev (n[l-1], m), W (n[l], n[l-1]), b (n[l], 1); found "
                         f"A_prev {A_prev.shape}, W {W.shape}, b {b.shape}")
    return W.shape[0], W.shape[1], A_prev.shape[1]


def check_some_examples(m, where):
    """m = 0 examples: the gradients' division by m would be 0/0 = NaN."""
    if m == 0:
        raise ValueError(f"{where} has no examples (m = 0 columns): dW = dZ·A_prev.T / m and db would "
                         f"be 0/0 = NaN; at least one example is needed")


def inputs_of_linear_backward(dZ, cache):
    n, _, m = _linear_cache_shapes(cache)
    check_some_examples(m, "the cache's A_prev")
    check_array("dZ", dZ)
    if dZ.shape != (n, m):
        raise ValueError(f"dZ must be (n[l], m) = ({n}, {m}) to match the cache's W and A_prev, "
                         f"found {dZ.shape}")


def _activation_cache_shapes(cache, where="cache"):
    """((A_prev, W, b), Z) of linear_activation_forward; returns (n, n_prev, m)."""
    if not isinstance(cache, tuple) or len(cache) != 2:
        raise ValueError(f"{where} must be the ((A_prev, W, b), Z) tuple that linear_activation_forward "
                         f"returned, found {type(cache).__name__}"
                         + (f" of length {len(cache)}" if isinstance(cache, (tuple, list)) else ""))
    n, n_prev, m = _linear_cache_shapes(cache[0], f"{where}[0]")
    check_array(f"{where}'s Z", cache[1])
    if cache[1].shape != (n, m):
        raise ValueError(f"{where}'s Z must be (n[l], m) = ({n}, {m}) to match its W and A_prev, "
                         f"found {cache[1].shape}")
    return n, n_prev, m


def inputs_of_linear_activation_backward(dA, cache, activation):
    check_activation(activation)
    n, _, m = _activation_cache_shapes(cache)
    check_some_examples(m, "the cache's A_prev")
    check_array("dA", dA)
    if dA.shape != (n, m):
        raise ValueError(f"dA must be (n[l], m) = ({n}, {m}), the shape of the cache's Z, found "
                         f"{dA.shape} (no broadcasting: one gradient per value of Z)")


def inputs_of_L_model_backward(AL, Y, caches):
    if np.shape(Y) != np.shape(AL):
        raise ValueError(f"Y must have the shape of AL {np.shape(AL)}, found {np.shape(Y)}")
    check_network_output(AL)
    check_real_matrix("AL", AL, rows=1)
    check_real_matrix("Y", Y)
    check_labels(Y)
    if not isinstance(caches, (list, tuple)):
        raise TypeError(f"caches must be the list of caches that L_model_forward returned, "
                        f"found {type(caches).__name__}")
    if len(caches) == 0:
        raise ValueError("caches is empty: pass the list of L caches that L_model_forward returned "
                         "with AL (one per layer)")
    n_layers = len(caches)
    n_above = None
    for l in range(n_layers, 0, -1):
        n, n_prev, m = _activation_cache_shapes(caches[l - 1], f"caches[{l - 1}] (layer {l})")
        if m != AL.shape[1]:
            raise ValueError(f"caches[{l - 1}] (layer {l}) holds {m} examples but AL has {AL.shape[1]}: "
                             f"the caches must come from the forward pass that gave AL")
        if l == n_layers and n != 1:
            raise ValueError(f"the last of the {n_layers} caches has Z of shape ({n}, {m}), but the output "
                             f"layer's Z is (1, m) like AL {AL.shape}: caches must hold every layer's "
                             f"cache, 1 to L, as L_model_forward returned them with AL")
        if n_above is not None and n != n_above:
            raise ValueError(f"the caches do not chain: layer {l + 1}'s A_prev has {n_above} rows but "
                             f"layer {l}'s W has {n} (caches[{l}] and caches[{l - 1}]); pass the caches "
                             f"of one L_model_forward call, in order")
        n_above = n_prev


def inputs_of_update_parameters(parameters, grads, learning_rate):
    check_learning_rate(learning_rate)
    L = check_parameters(parameters)
    check_no_shared_memory(parameters, L)
    if not isinstance(grads, dict):
        raise TypeError(f"grads must be the dict that L_model_backward returned, found {type(grads).__name__}")
    missing = [f"d{p}{l}" for l in range(1, L + 1) for p in "Wb" if f"d{p}{l}" not in grads]
    if missing:
        raise ValueError(f"grads is missing {missing} for a {L}-layer network")
    for k in (f"{p}{l}" for l in range(1, L + 1) for p in "Wb"):
        P, G = parameters[k], grads["d" + k]
        if np.shape(G) != np.shape(P):
            raise ValueError(f"d{k} must have the shape of {k} {np.shape(P)}, found {np.shape(G)}")
        check_array("d" + k, G)
        check_finite("d" + k, G, "the backward pass overflowed: try a smaller learning rate")
        if P.dtype.kind != "f":
            raise TypeError(f"{k} must be a floating-point array to be updated in place ({k} -= α·d{k}), "
                            f"found dtype {P.dtype}; the float update cannot be stored in it. Make it "
                            f"float with {k}.astype(np.float64) (initialize_parameters does)")
        check_update_fits(k, P, G, learning_rate)
        if not P.flags.writeable:
            raise ValueError(f"{k} is read-only (its flags.writeable is False, e.g. an array loaded "
                             f"or shared read-only); update_parameters changes the arrays in place: "
                             f"pass writable copies, {{k: v.copy() for k, v in parameters.items()}}")


def check_no_shared_memory(parameters, L):
    """No two of W1, b1, ..., WL, bL share memory (tied weights, a bias that is a view of a W):
    update_parameters changes each in place, so shared values would be updated twice."""
    keys = [f"{p}{l}" for l in range(1, L + 1) for p in "Wb"]
    for i, k1 in enumerate(keys):
        for k2 in keys[i + 1:]:
            a1, a2 = parameters[k1], parameters[k2]
            if np.may_share_memory(a1, a2) and np.shares_memory(a1, a2):
                how = "are the same array" if a1 is a2 else "share memory (one is a view of the other)"
                raise ValueError(f"parameters {k1} and {k2} {how}: update_parameters changes each in "
                                 f"place, so the shared values would be updated twice. Pass separate "
                                 f"arrays, e.g. {{k: v.copy() for k, v in parameters.items()}}")


def check_update_fits(k, P, G, learning_rate):
    """P - learning_rate·G stays within P's dtype (a huge learning rate would make it inf in silence)."""
    if P.dtype.kind != "f" or not P.size:
        return
    top = float(np.finfo(P.dtype).max)
    with np.errstate(over="ignore"):
        step = float(learning_rate) * float(np.max(np.abs(G)))
        bound = float(np.max(np.abs(P))) + step
    if not bound <= top:
        raise ValueError(f"learning_rate {learning_rate!r} times d{k} (max |d{k}| = "
                         f"{float(np.max(np.abs(G))):.3g}) overflows {P.dtype} (largest {top:.3g}): "
                         f"{k} would become inf. Use a smaller learning rate")


def inputs_of_L_layer_model(X, Y, layers_dims, learning_rate, num_iterations, print_cost, seed):
    dims = check_layer_dims(layers_dims)
    check_real_matrix("X", X)
    check_real_matrix("Y", Y)
    check_labels(Y, X.shape[1])
    check_learning_rate(learning_rate)
    check_count("num_iterations", num_iterations, 0)
    if dims[0] != X.shape[0] or dims[-1] != 1:
        raise ValueError(f"layers_dims must start with n_x = {X.shape[0]} (the rows of X) and end "
                         f"with 1 output unit; found {list(layers_dims)}")
    check_seed(seed)


def inputs_of_two_layer_model(X, Y, layers_dims, learning_rate, num_iterations, print_cost, seed):
    if len(check_layer_dims(layers_dims)) != 3:
        raise ValueError(f"two_layer_model takes layers_dims = (n_x, n_h, n_y), found {layers_dims!r}")
    inputs_of_L_layer_model(X, Y, layers_dims, learning_rate, num_iterations, print_cost, seed)


def check_count(name, value, least):
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < least:
        raise ValueError(f"{name} must be a whole number >= {least}, found {value!r}")


def inputs_of_L_layer_model_fast(X, Y, layers_dims, learning_rate, num_iterations, print_cost,
                                 *, init, seed, dtype, print_every, form):
    if form not in ("auto", "weights", "span"):
        raise ValueError(f"form must be 'auto', 'weights' or 'span', found {form!r}")
    inputs_of_L_layer_model(X, Y, layers_dims, learning_rate, num_iterations, print_cost, seed)
    check_count("print_every", print_every, 1)
    inputs_of_initial_parameters(layers_dims, init, seed, dtype)
    if check_float_dtype(dtype) == np.float16:
        raise TypeError("dtype must be np.float64 or np.float32 to train, found float16: its largest "
                        "number is 65504, so W1·X and the gradients would overflow to inf")


def inputs_of_two_layer_model_fast(X, Y, layers_dims, learning_rate, num_iterations, print_cost,
                                   *, init, seed, dtype, print_every, form):
    if len(check_layer_dims(layers_dims)) != 3:
        raise ValueError(f"two_layer_model takes layers_dims = (n_x, n_h, n_y), found {layers_dims!r}")
    inputs_of_L_layer_model_fast(X, Y, layers_dims, learning_rate, num_iterations, print_cost, init=init,
                                 seed=seed, dtype=dtype, print_every=print_every, form=form)


def inputs_of_flatten_images(images):
    check_images_to_flatten(images)


# ---------------------------------------------------------------------------
# Checks of the data, file and result helpers (load_data, flatten_images, load_image,
# predict, accuracy, gradient_check, save/load_parameters, plot_*)
# ---------------------------------------------------------------------------

def check_real(name, A):
    """A holds real numbers (not complex, not strings or objects) and no NaN or inf."""
    check_plain_array(name, A)
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
        check_real(key, parameters[key])
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

    if not isinstance(path, (str, bytes, os.PathLike)):
        raise TypeError(f"expected a path (str or os.PathLike) to {what}, found {type(path).__name__}"
                        + ("; pass the file's name, not an open file" if hasattr(path, "read") else ""))
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


__all__ += ["PLOT_IMAGES_MAX", "checked", "check_real", "check_real_matrix",
            "check_parameters_finite", "check_float_dtype", "check_images_to_flatten",
            "check_labels_01", "open_regular_file"]


#: plot_images draws one subplot per image; more than this is refused (slice the images)
PLOT_IMAGES_MAX = 200


def inputs_of_plot_images(**args):
    images = args["images"]
    if isinstance(images, (list, tuple)):
        images = np.asarray(images)
    if not isinstance(images, np.ndarray):
        raise TypeError(f"images must be a numpy array (k, height, width, 3), found {type(images).__name__}")
    if images.ndim == 2:
        raise ValueError(f"images must be (k, height, width, 3) pictures, found shape {images.shape}: "
                         f"that looks like a flattened X (n_x, m); pass the original images "
                         f"(e.g. train_x_orig), not the input of the network")
    if images.ndim not in (3, 4) or (images.ndim == 4 and images.shape[-1] not in (3, 4)):
        raise ValueError(f"images must be (k, height, width, 3) RGB or (k, height, width) grey pictures, "
                         f"found shape {images.shape}")
    k = images.shape[0]
    if k == 0 or images.size == 0:
        raise ValueError(f"no images to show (shape {images.shape})")
    if k > PLOT_IMAGES_MAX:
        raise ValueError(f"{k} images would make {k} subplots (at most {PLOT_IMAGES_MAX}); "
                         f"show a slice, e.g. images[:32]")
    check_real("images", images)
    if np.issubdtype(images.dtype, np.floating):
        if images.min() < 0 or images.max() > 1:
            raise ValueError(f"float images must be in [0, 1], found values from {images.min()} to "
                             f"{images.max()}; pass uint8 pixels 0..255 or divide by 255")
    elif images.min() < 0 or images.max() > 255:
        raise ValueError(f"images must hold pixel values 0..255, found {images.min()} to {images.max()}")
    names = args["classes"]
    for what in ("labels", "predictions"):
        v = args[what]
        if v is None:
            continue
        v = np.ravel(v)
        if v.size != k:
            raise ValueError(f"{what} must have one value per image ({k}), found {v.size}")
        check_real(what, v)
        if np.any((v != np.floor(v)) | (v < 0) | (v >= len(names))):
            raise ValueError(f"{what} must be class indices 0..{len(names) - 1} (into classes), "
                             f"found {np.unique(v)[:5].tolist()}")
    for what, least in (("ncols", 1), ):
        v = args[what]
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < least:
            raise ValueError(f"{what} must be a whole number >= {least}, found {v!r}")
    s = args["scale"]
    if isinstance(s, bool) or not isinstance(s, (int, float, np.number)) or not np.isfinite(s) or s <= 0:
        raise ValueError(f"scale must be a positive number, found {s!r}")


def inputs_of_plot_decision_boundary(**args):
    X, Y, resolution = args["X"], args["Y"], args["resolution"]
    if not callable(args["predict_fn"]):
        raise TypeError(f"predict_fn must be a function of a (2, k) array, found {type(args['predict_fn']).__name__}")
    if not isinstance(X, np.ndarray) or X.ndim != 2 or X.shape[0] != 2:
        raise ValueError(f"plot_decision_boundary needs 2-D points X of shape (2, m), found {np.shape(X)}")
    if X.shape[1] == 0:
        raise ValueError("plot_decision_boundary needs at least one point: X has shape (2, 0)")
    check_real("X", X)
    if np.size(Y) != X.shape[1]:
        raise ValueError(f"Y must have one label per point ({X.shape[1]}), found shape {np.shape(Y)}")
    check_real("Y", np.asarray(Y))
    if isinstance(resolution, bool) or not isinstance(resolution, (int, np.integer)) \
            or not 2 <= resolution <= 2000:
        raise ValueError(f"resolution must be a whole number from 2 to 2000 (grid points per axis), "
                         f"found {resolution!r}")


def inputs_of_predict(X, parameters, threshold):
    """NaN or inf in X or in the parameters, or complex values, would silently give NaN outputs and
    all-0 predictions: they are refused, as are shapes that do not chain."""
    check_real_matrix("X", X)
    check_parameters_finite(parameters)
    if (isinstance(threshold, bool) or not isinstance(threshold, (int, float, np.integer, np.floating))
            or not 0 <= threshold <= 1):
        raise ValueError(f"threshold must be a number in [0, 1], found {threshold!r}")
    inputs_of_L_model_forward(X, parameters)


def inputs_of_accuracy(predictions, Y):
    """No examples, NaN, probabilities instead of 0/1 predictions, or different shapes: never NaN
    or a silently wrong fraction."""
    check_plain_array("predictions", predictions)
    check_plain_array("Y", Y)
    predictions, Y = np.asarray(predictions), np.asarray(Y)
    if predictions.shape != Y.shape:
        raise ValueError(f"predictions {predictions.shape} and Y {Y.shape} must have the same shape")
    if predictions.size == 0:
        raise ValueError(f"accuracy of no examples is undefined: predictions and Y have shape {Y.shape}")
    check_labels_01("predictions", predictions)
    check_labels_01("Y", Y)


def inputs_of_initialize_parameters_two_layer(n_x, n_h, n_y, seed):
    check_layer_dims([n_x, n_h, n_y])
    check_seed(seed)
