"""Issue 15, property tests (Hypothesis) over random shapes, dtypes and values of the core
helpers: each either gives the right answer or a clear ValueError/TypeError, never a raw
numpy error or a silently wrong number. Derandomized: the same examples on every run."""
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
        assert "look scaled already" in str(e)
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
    params = d.initialize_parameters(dims, seed=seed, dtype=dtype)
    theta = d.parameters_to_vector(params)
    n = sum(a * b + a for a, b in zip(dims[1:], dims[:-1]))
    assert theta.shape == (n, 1) and theta.dtype == np.float64
    back = d.vector_to_parameters(theta, params)
    assert sorted(back) == sorted(params)
    for k in params:
        np.testing.assert_array_equal(back[k], params[k].astype(np.float64))
    with pytest.raises(ValueError, match=f"theta has {n + 1} values; the network has {n}"):
        d.vector_to_parameters(np.zeros((n + 1, 1)), params)


@FAST
@given(dims_st, st.integers(1, 5), st.integers(0, 2**16))
def test_gradient_check_passes_correct_backprop_on_tiny_nets(dims, m, seed):
    rng = np.random.default_rng(seed)
    params = d.initialize_parameters(dims, scale="he", seed=rng)
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
    params = d.initialize_parameters(dims, seed=seed, dtype=dtype)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.npz"
        d.save_parameters(params, path)
        loaded = d.load_parameters(path)
        assert sorted(p.name for p in Path(folder).iterdir()) == ["model.npz"]
    assert sorted(loaded) == sorted(params)
    for k in params:
        assert loaded[k].dtype == params[k].dtype
        np.testing.assert_array_equal(loaded[k], params[k])
