"""dnn_utils, the course functions, on random inputs (Hypothesis property tests): random shapes,
dtypes and values of flatten_images, predict, accuracy, the parameter vectors, gradient_check,
save/load_parameters and the teaching functions. Each either gives the right answer (against a
plain reference) or a clear ValueError/TypeError naming what is wrong, never a raw numpy error
or a silently wrong number. Derandomized: the same examples on every run."""
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pytest

hypothesis = pytest.importorskip("hypothesis", reason="hypothesis is in requirements.txt (tests)")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402

import dnn_utils as d  # noqa: E402
from tests.helpers import assert_names, assert_names_one_of, raises_naming  # noqa: E402

FAST = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
CLEAR = (ValueError, TypeError)

dims_st = st.lists(st.integers(1, 4), min_size=2, max_size=4).map(lambda dims: dims[:-1] + [1])
image_dtypes = st.sampled_from([np.uint8, np.uint16, np.int32, np.int64, np.float32, np.float64,
                                np.complex128, np.bool_])
image_shapes = hnp.array_shapes(min_dims=1, max_dims=5, min_side=0, max_side=4)


@FAST
@given(hnp.arrays(image_dtypes, image_shapes, elements=None), st.sampled_from([np.float32, np.float64, np.int64]))
def test_flatten_images_right_or_clear(images, dtype):
    try:
        X = d.flatten_images(images, dtype=dtype)
    except CLEAR as e:
        assert str(e)
        return
    # accepted: 4-D, real whole pixel values 0..255, float output dtype
    assert images.ndim == 4 and np.dtype(dtype).kind == "f" and images.dtype != np.bool_
    assert X.shape == (int(np.prod(images.shape[1:])), images.shape[0]) and X.dtype == dtype
    if images.size:
        assert np.all(images == np.floor(images)) and 0 <= images.min() and images.max() <= 255
        np.testing.assert_allclose(X[:, 0], images[0].ravel() / 255, rtol=1e-6)
        assert 0 <= X.min() and X.max() <= 1


@FAST
@given(hnp.arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4),
                                         st.just(3)), elements=st.floats(0, 1, allow_nan=False)))
def test_already_scaled_images_are_never_divided_twice(images):
    try:
        X = d.flatten_images(images)
    except ValueError as e:
        assert_names(e, "images", "scaled already")
        return
    # accepted only when every value is a whole number: 0s and 1s, as uint8 would hold
    assert np.all((images == 0) | (images == 1))
    np.testing.assert_array_equal(X, images.reshape(len(images), -1).T / 255)


def network(dims, seed):
    return d.initialize_parameters(dims, seed=seed)


@FAST
@given(dims_st, st.integers(0, 6), st.integers(0, 2**16),
       st.sampled_from(["ok", "nan_X", "nan_W", "inf_b", "complex_X", "int_X", "list_X"]))
def test_predict_right_or_clear(dims, m, seed, corruption):
    rng = np.random.default_rng(seed)
    params = network(dims, seed)
    X = rng.standard_normal((dims[0], m))
    if corruption == "nan_X" and m:
        X[0, 0] = np.nan
    elif corruption == "nan_W":
        params["W1"][0, 0] = np.nan
    elif corruption == "inf_b":
        params[f"b{len(dims) - 1}"][0, 0] = np.inf
    elif corruption == "complex_X":
        X = X + 1j
    elif corruption == "int_X":
        X = (X * 3).astype(np.int64)
    elif corruption == "list_X":
        X = X.tolist()
    try:
        p = d.predict(X, params)
    except CLEAR as e:
        assert corruption not in ("ok", "int_X"), e
        return
    assert corruption in ("ok", "int_X") or (corruption == "nan_X" and m == 0)
    assert p.shape == (1, m) and set(np.unique(p)) <= {0, 1}
    AL, _ = d.L_model_forward(np.asarray(X, dtype=float), params)
    np.testing.assert_array_equal(p, (AL > 0.5).astype(int))


@FAST
@given(st.integers(0, 8), st.integers(0, 2**16), st.sampled_from(["ok", "probabilities", "nan", "shape", "two"]))
def test_accuracy_right_or_clear(m, seed, corruption):
    rng = np.random.default_rng(seed)
    pred = rng.integers(0, 2, (1, m))
    Y = rng.integers(0, 2, (1, m))
    if corruption == "probabilities":
        pred = rng.random((1, m))
    elif corruption == "nan" and m:
        Y = Y.astype(float)
        Y[0, 0] = np.nan
    elif corruption == "shape":
        Y = Y.ravel()
    elif corruption == "two" and m:
        pred[0, 0] = 2
    try:
        acc = d.accuracy(pred, Y)
    except ValueError as e:
        assert m == 0 or corruption != "ok", e
        return
    assert m > 0 and isinstance(acc, float) and 0 <= acc <= 1
    assert acc == np.mean(np.asarray(pred).ravel() == np.asarray(Y).ravel())


@FAST
@given(dims_st, st.integers(0, 2**16), st.sampled_from([np.float32, np.float64]))
def test_parameters_vector_round_trip(dims, seed, dtype):
    params = d.initial_parameters(dims, seed=seed, dtype=dtype)
    theta = d.parameters_to_vector(params)
    n = sum(a * b + a for a, b in zip(dims[1:], dims[:-1]))
    assert theta.shape == (n, 1) and theta.dtype == np.float64
    back = d.vector_to_parameters(theta, params)
    assert sorted(back) == sorted(params)
    for k in params:
        np.testing.assert_array_equal(back[k], params[k].astype(np.float64))
    with raises_naming(ValueError, "theta", f"{n + 1} values", f"{n} parameters"):
        d.vector_to_parameters(np.zeros((n + 1, 1)), params)


@FAST
@given(dims_st, st.integers(1, 5), st.integers(0, 2**16))
def test_gradient_check_passes_correct_backprop_on_tiny_nets(dims, m, seed):
    rng = np.random.default_rng(seed)
    params = d.initial_parameters(dims, scale="he", seed=rng)
    X = rng.standard_normal((dims[0], m))
    if m > 1:
        X[:, 0] = 0.0  # an all-zero example: exact kinks at zero biases
    Y = (rng.random((1, m)) < 0.5).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", d.GradientCheckWarning)  # nudging may leave a kink at worst
        info = d.gradient_check(params, X, Y, kinks="nudge", seed=seed, details=True)
    if info["kinks_checked"] == 0:
        assert info["difference"] < 1e-6, info
    assert info["n_params"] == d.parameters_to_vector(params).shape[0]


@FAST
@given(dims_st, st.integers(0, 2**16), st.sampled_from([np.float16, np.float32, np.float64]))
def test_save_load_round_trip(dims, seed, dtype):
    params = d.initial_parameters(dims, seed=seed, dtype=dtype)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.npz"
        d.save_parameters(params, path)
        loaded = d.load_parameters(path)
        assert sorted(p.name for p in Path(folder).iterdir()) == ["model.npz"]
    assert sorted(loaded) == sorted(params)
    for k in params:
        assert loaded[k].dtype == params[k].dtype
        np.testing.assert_array_equal(loaded[k], params[k])


# ---------------------------------------------------------------------------
# The teaching functions: right against a plain reference, or a clear error
# ---------------------------------------------------------------------------

real_dtypes = st.sampled_from([np.float64, np.float32, np.int64])
sizes = st.integers(1, 5)


def corrupt(A, how, rng):
    """A spoiled the way a learner might: a list, complex, NaN, inf, or one row too many."""
    if how == "list":
        return A.tolist()
    if how == "complex":
        return A + 1j
    if how in ("nan", "inf"):
        A = A.astype(np.float64)
        A[tuple(rng.integers(0, s) for s in A.shape)] = np.nan if how == "nan" else -np.inf
        return A
    if how == "extra_row":
        return np.vstack([A, A[:1]])
    return A


@FAST
@given(sizes, sizes, sizes, real_dtypes, st.integers(0, 2**16),
       st.sampled_from(["ok", "ok", "list", "complex", "nan", "inf", "extra_row"]), st.sampled_from("AWb"))
def test_linear_forward_right_or_clear(n, n_prev, m, dtype, seed, how, which):
    rng = np.random.default_rng(seed)
    args = {"A": (rng.standard_normal((n_prev, m)) * 3).astype(dtype),
            "W": (rng.standard_normal((n, n_prev)) * 3).astype(dtype),
            "b": (rng.standard_normal((n, 1)) * 3).astype(dtype)}
    args[which] = corrupt(args[which], how, rng)
    try:
        with np.errstate(all="raise"):
            Z, cache = d.linear_forward(args["A"], args["W"], args["b"])
    except CLEAR as e:
        assert how != "ok", e
        assert (type(e) is TypeError) == (how in ("list", "complex")), e
        assert_names(e, *{"list": (which, "numpy array", "list"), "complex": (which, "real numbers", "complex"),
                          "nan": (which, "NaN", "inf"), "inf": (which, "NaN", "inf"),
                          "extra_row": ("linear_forward", "(n_prev, m)", f"{which} {np.shape(args[which])}")}[how])
        return
    assert how == "ok"
    A, W, b = args["A"], args["W"], args["b"]
    assert Z.shape == (n, m) and cache[0] is A and cache[1] is W and cache[2] is b
    plain = np.array([[sum(float(W[i, k]) * float(A[k, j]) for k in range(n_prev)) + float(b[i, 0])
                       for j in range(m)] for i in range(n)])
    np.testing.assert_allclose(Z, plain, rtol=1e-5 if dtype == np.float32 else 1e-12, atol=1e-4)


def plain_forward(X, parameters):
    """The forward pass written as plainly as possible, in float64."""
    L = len(parameters) // 2
    A = np.asarray(X, dtype=np.float64)
    for l in range(1, L + 1):
        Z = parameters[f"W{l}"].astype(np.float64) @ A + parameters[f"b{l}"].astype(np.float64)
        A = np.maximum(Z, 0) if l < L else 1 / (1 + np.exp(-Z))
    return A


@FAST
@given(dims_st, st.integers(1, 5), st.sampled_from([np.float64, np.float32]), st.integers(0, 2**16),
       st.sampled_from(["ok", "ok", "ok", "list", "complex", "nan", "inf", "extra_row"]),
       st.sampled_from(["X", "W", "b"]))
def test_L_model_forward_right_or_clear(dims, m, dtype, seed, how, which):
    rng = np.random.default_rng(seed)
    params = d.initial_parameters(dims, scale="he", seed=seed, dtype=dtype)
    L = len(dims) - 1
    for l in range(1, L + 1):
        params[f"b{l}"] += rng.standard_normal(params[f"b{l}"].shape).astype(dtype)
    X = rng.standard_normal((dims[0], m)).astype(dtype)
    if which == "X":
        X = corrupt(X, how, rng)
    else:
        key = f"{which}{rng.integers(1, L + 1)}"
        params[key] = corrupt(params[key], how if how != "extra_row" else "ok", rng)
        how = "ok" if how == "extra_row" else how
    try:
        AL, caches = d.L_model_forward(X, params)
    except CLEAR as e:
        assert how != "ok", e
        return
    assert how == "ok" and AL.shape == (1, m) and len(caches) == L
    np.testing.assert_allclose(AL, plain_forward(X, params), rtol=1e-4 if dtype == np.float32 else 1e-10,
                               atol=1e-6 if dtype == np.float32 else 1e-12)
    assert np.all((AL >= 0) & (AL <= 1))


def plain_cost(X, Y, parameters):
    AL = plain_forward(X, parameters)
    return float(-np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))


@settings(FAST, max_examples=25)
@given(dims_st, st.integers(1, 4), st.integers(0, 2**16))
def test_L_model_backward_matches_finite_differences(dims, m, seed):
    """Every dW, db of L_model_backward against centred differences of the plain cost (float64).
    Random biases keep the units away from the ReLU kink; a net with a unit within 0.01 of it
    is skipped (a step of 1e-4 could cross it)."""
    rng = np.random.default_rng(seed)
    params = d.initial_parameters(dims, scale="he", seed=seed)
    L = len(dims) - 1
    for l in range(1, L + 1):
        params[f"b{l}"] = rng.standard_normal(params[f"b{l}"].shape)
    X = rng.standard_normal((dims[0], m))
    Y = (rng.random((1, m)) < 0.5).astype(np.int64)
    AL, caches = d.L_model_forward(X, params)
    if any(np.min(np.abs(caches[l][1])) < 1e-2 for l in range(L - 1)) or np.ptp(AL) > 0.999:
        return  # near a kink, or saturated outputs whose cost rounds too coarsely for differences
    grads = d.L_model_backward(AL, Y, caches)
    assert sorted(grads) == sorted([f"d{p}{l}" for l in range(1, L + 1) for p in "Wb"] +
                                   [f"dA{l}" for l in range(1, L)])
    eps = 1e-4
    for key, value in params.items():
        numeric = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            shifted = []
            for sign in (1, -1):
                p = dict(params)
                p[key] = value.copy()
                p[key][index] += sign * eps
                shifted.append(plain_cost(X, Y, p))
            numeric[index] = (shifted[0] - shifted[1]) / (2 * eps)
        assert grads["d" + key].shape == value.shape
        np.testing.assert_allclose(grads["d" + key], numeric, rtol=1e-4, atol=1e-6, err_msg=key)


@FAST
@given(dims_st, st.integers(0, 2**16), st.sampled_from([np.float64, np.float32, np.float16, np.int64, np.int32]),
       st.sampled_from(["ok", "ok", "read_only", "nan_grad", "inf_grad", "list_grad", "shape"]),
       st.floats(1e-4, 10))
def test_update_parameters_right_or_clear(dims, seed, dtype, how, lr):
    rng = np.random.default_rng(seed)
    params = {k: (v * 5).astype(dtype) for k, v in d.initialize_parameters(dims, seed=seed).items()}
    grads = {"d" + k: rng.standard_normal(v.shape) for k, v in params.items()}
    key = rng.choice(sorted(params))
    if how == "read_only":
        params[key].flags.writeable = False
    elif how in ("nan_grad", "inf_grad"):
        grads["d" + key].flat[0] = np.nan if how == "nan_grad" else np.inf
    elif how == "list_grad":
        grads["d" + key] = grads["d" + key].tolist()
    elif how == "shape":
        grads["d" + key] = grads["d" + key].T if grads["d" + key].shape[0] != grads["d" + key].shape[1] \
            else grads["d" + key][:, :0]
    before = {k: v.copy() for k, v in params.items()}
    same_arrays = {k: v for k, v in params.items()}
    try:
        out = d.update_parameters(params, grads, lr)
    except CLEAR as e:
        assert how != "ok" or np.dtype(dtype).kind != "f" or dtype == np.float16, e
        if dtype == np.float16:  # overflows from 65504: refused, whatever else is wrong
            assert_names(e, "float16", "float64")
        elif np.dtype(dtype).kind != "f" and how != "shape":
            assert_names_one_of(e, ("floating-point",), ("numpy array",), ("NaN",), ("read-only",))
        for k in params:  # refused: nothing changed
            np.testing.assert_array_equal(params[k], before[k])
        return
    assert how == "ok" and np.dtype(dtype).kind == "f" and dtype != np.float16
    assert out is params and all(params[k] is same_arrays[k] for k in params)  # in place
    for k in params:
        expected = (before[k].astype(np.float64) - lr * grads["d" + k]).astype(dtype)
        tol = {np.float16: 1e-2, np.float32: 1e-5}.get(dtype, 1e-12)
        np.testing.assert_allclose(params[k], expected, rtol=tol, atol=tol)
