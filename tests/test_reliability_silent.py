"""Issue 15, silent wrong results: each case that used to return a wrong number now raises a
clear error (type and message asserted) or is handled explicitly."""
import warnings

import numpy as np
import pytest

import dnn_utils as d

NAN, INF = float("nan"), float("inf")
P = d.initialize_parameters([4, 3, 1], seed=0)
X = np.random.default_rng(0).standard_normal((4, 5))


def with_value(params, key, value):
    out = {k: v.copy() for k, v in params.items()}
    out[key].flat[0] = value
    return out


CASES = [
    # NaN / inf / complex in predict
    (lambda: d.predict(X, with_value(P, "W1", NAN)), ValueError, "W1 contains NaN or inf"),
    (lambda: d.predict(X, with_value(P, "b2", INF)), ValueError, "b2 contains NaN or inf"),
    (lambda: d.predict(np.where(X > 1, NAN, X), P), ValueError, "X contains NaN or inf"),
    (lambda: d.predict(X.astype(complex) * 1j, P), TypeError, "X must hold real numbers, found complex"),
    (lambda: d.predict(X, {**P, "W1": P["W1"] + 0j}), TypeError, "W1 must hold real numbers, found complex"),
    (lambda: d.predict(X, P, threshold=1.5), ValueError, r"threshold must be a number in \[0, 1\]"),
    (lambda: d.predict(X, P, threshold=NAN), ValueError, r"threshold must be a number in \[0, 1\]"),
    # flatten_images on already-scaled, complex, out-of-range images
    (lambda: d.flatten_images(np.full((2, 4, 4, 3), 0.5)), ValueError, r"in \[0, 1\]: they look scaled already"),
    (lambda: d.flatten_images(np.ones((2, 4, 4, 3), complex)), TypeError, "images must hold real numbers"),
    (lambda: d.flatten_images(np.full((2, 4, 4, 3), 300)), ValueError, "values in 0..255, found values from 300"),
    (lambda: d.flatten_images(np.full((2, 4, 4, 3), -1.0)), ValueError, "values in 0..255"),
    (lambda: d.flatten_images(np.full((2, 4, 4, 3), NAN)), ValueError, "images contains NaN"),
    (lambda: d.flatten_images(np.zeros((2, 4, 4, 3), bool)), TypeError, "found dtype bool"),
    (lambda: d.flatten_images(np.zeros((2, 4, 4, 3), np.uint8), dtype=np.int64), TypeError,
     "dtype must be a floating-point type"),
    (lambda: d.flatten_images(np.zeros((12, 2))), ValueError, "look flattened already"),
    # initialize_parameters with a non-float dtype
    (lambda: d.initialize_parameters([3, 2, 1], dtype=np.int64), TypeError,
     "dtype must be a floating-point type .* found int64: the random weights .* rounded"),
    (lambda: d.initialize_parameters([3, 2, 1], dtype=bool), TypeError, "found bool"),
    (lambda: d.initialize_parameters([3, 2, 1], dtype=np.complex128), TypeError, "found complex128"),
    (lambda: d.initialize_parameters([3, 2, 1], dtype="banana"), TypeError, "found 'banana'"),
    (lambda: d.L_layer_model(X, np.array([[0, 1, 0, 1, 1]]), [4, 1], dtype=np.int32), TypeError,
     "dtype must be a floating-point type"),
    # accuracy
    (lambda: d.accuracy(np.zeros((1, 0)), np.zeros((1, 0))), ValueError, "accuracy of no examples is undefined"),
    (lambda: d.accuracy(np.array([[0.2, 0.9]]), np.array([[0, 1]])), ValueError,
     "predictions must be 0/1 labels, found .*pass predict"),
    (lambda: d.accuracy(np.array([[0, 1]]), np.array([[0, NAN]])), ValueError, "Y contains NaN"),
    (lambda: d.accuracy(np.array([[0, 2]]), np.array([[0, 1]])), ValueError, r"0/1 labels, found \[2\]"),
    # vectors
    (lambda: d.parameters_to_vector({**P, "b1": P["b1"] + 1j}), TypeError, "b1 must hold real numbers"),
    (lambda: d.vector_to_parameters(np.zeros((19, 1), complex), P), TypeError, "theta must hold real numbers"),
    (lambda: d.vector_to_parameters(np.zeros((19, 2)), P), ValueError, r"theta must be a vector \(n_params, 1\)"),
    # gradient_check at a kink, asked to raise
    (lambda: d.gradient_check(P, np.zeros((4, 3)), np.array([[0, 1, 1]]), kinks="raise"), ValueError,
     "hidden unit value.* sit at the ReLU kink"),
]


@pytest.mark.parametrize("call, exc, match", CASES)
def test_silent_wrong_result_is_now_a_clear_error(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_flatten_images_accepts_whole_number_floats_once():
    images = np.arange(24, dtype=np.uint8).reshape(2, 2, 2, 3)
    np.testing.assert_array_equal(d.flatten_images(images.astype(np.float64)), d.flatten_images(images))
    assert d.flatten_images(np.zeros((2, 2, 2, 3))).max() == 0  # all-black floats: nothing to tell apart


def kinked_net(depth, seed):
    """A deep net with zero biases on inputs where some units are dead: exact Z = 0 downstream."""
    rng = np.random.default_rng(seed)
    dims = [3] + [2] * depth + [1]
    params = d.initialize_parameters(dims, scale="he", seed=rng)
    Xk = rng.standard_normal((3, 4))
    Xk[:, 0] = 0.0
    return params, Xk, (rng.random((1, 4)) < 0.5).astype(int)


def test_gradient_check_warns_at_kinks_and_nudge_checks_off_them():
    params, Xk, Yk = kinked_net(3, seed=1)
    with pytest.warns(d.GradientCheckWarning, match=r"sit at the ReLU kink Z = 0 .* kinks='nudge'"):
        raw = d.gradient_check(params, Xk, Yk, details=True)
    assert raw["kinks"] > 0 and not raw["nudged"] and raw["difference"] > 1e-3
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nudged = d.gradient_check(params, Xk, Yk, kinks="nudge", seed=0, details=True)
        again = d.gradient_check(params, Xk, Yk, kinks="nudge", seed=0)
    assert nudged["nudged"] and nudged["kinks_checked"] == 0 and nudged["difference"] < 1e-7
    assert again == nudged["difference"]  # seeded: the same point every time
    for k in params:  # the caller's parameters are not moved
        np.testing.assert_array_equal(params[k], kinked_net(3, seed=1)[0][k])


def test_nudge_makes_correct_backprop_pass_on_random_deep_nets():
    # the issue: zero biases put units exactly at the kink in many random deep nets
    failures_raw, failures_nudged = 0, 0
    for seed in range(12):
        params, Xk, Yk = kinked_net(4, seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", d.GradientCheckWarning)
            failures_raw += d.gradient_check(params, Xk, Yk, kinks="ignore") > 1e-7
            failures_nudged += d.gradient_check(params, Xk, Yk, kinks="nudge") > 1e-7
    assert failures_raw > 0 and failures_nudged == 0


def test_gradient_check_still_fails_a_buggy_backprop_when_nudged():
    params, Xk, Yk = kinked_net(2, seed=3)

    def doubled(AL, Y, caches):
        return {k: 2 * v for k, v in d.L_model_backward(AL, Y, caches).items()}

    assert d.gradient_check(params, Xk, Yk, backward=doubled, kinks="nudge") == pytest.approx(1 / 3, rel=1e-4)


def test_build_from_photos_does_not_skip_unreadable_or_linked_folders_in_silence(tmp_path):
    import os
    from pathlib import Path

    from PIL import Image
    from test_reliability_raw_errors import build_from_photos_module

    bfp = build_from_photos_module()
    photos, elsewhere = tmp_path / "photos", tmp_path / "elsewhere"
    for i, folder in enumerate([photos / "cats", photos / "cats", photos / "non-cats", photos / "non-cats",
                                elsewhere, elsewhere]):
        folder.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (70, 70), (10 * i, 0, 0)).save(folder / f"p{i}.png")
    os.symlink(elsewhere, photos / "cats" / "linked")          # followed
    os.symlink(photos / "cats", photos / "cats" / "loop")      # a loop: reported, not followed
    summary = bfp.build(photos, tmp_path / "out", skip_bad=True)
    assert summary["train"]["cat"] + summary["test"]["cat"] == 4   # 2 own + 2 behind the link
    assert [name for name, _ in summary["skipped"]] == ["cats/loop/"]
    with pytest.raises(ValueError, match=r"cats/loop/: a symbolic link back to a folder already searched"):
        bfp.build(photos, tmp_path / "out2")
    locked = photos / "non-cats" / "locked"
    locked.mkdir()
    real_scandir = os.scandir

    def scandir(path="."):  # a folder without read permission (chmod 0 does not stop root)
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    try:
        os.scandir = scandir
        with pytest.raises(ValueError, match=r"non-cats/locked/: folder cannot be read \(Permission denied\)"):
            bfp.build(photos, tmp_path / "out3")
    finally:
        os.scandir = real_scandir
