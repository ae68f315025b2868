"""Issue 15, hangs: FIFOs among the photos, plot_images on a flattened X, gradient_check on a
network far too large to check. Each now returns at once with a clear error. Every call runs
in a thread with a generous bound, so a regression fails instead of hanging the suite."""
import os
import threading
from pathlib import Path

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import dnn_utils as d  # noqa: E402
from test_reliability_raw_errors import build_from_photos_module, two_class_photos  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BOUND = 60  # seconds: a hang, not a timing; the calls below return in milliseconds


def returns(call):
    """Run call() in a thread; return its exception (or None). Fails if it does not return."""
    out = {}

    def run():
        try:
            call()
            out["error"] = None
        except BaseException as e:  # noqa: BLE001
            out["error"] = e

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(BOUND)
    if t.is_alive():
        pytest.fail("the call did not return: it hangs")
    return out["error"]


def test_fifo_named_jpg_in_load_image(tmp_path):
    os.mkfifo(tmp_path / "photo.jpg")
    e = returns(lambda: d.load_image(tmp_path / "photo.jpg"))
    assert isinstance(e, ValueError) and "is a FIFO (named pipe), expected an image file" in str(e)


def test_fifo_in_load_data(tmp_path):
    os.mkfifo(tmp_path / "train_catvnoncat.h5")
    os.mkfifo(tmp_path / "test_catvnoncat.h5")
    e = returns(lambda: d.load_data(tmp_path))
    assert isinstance(e, ValueError) and "is a FIFO (named pipe), expected a dataset file" in str(e)


def test_fifo_among_the_photos(tmp_path):
    bfp = build_from_photos_module()
    two_class_photos(tmp_path / "p")
    os.mkfifo(tmp_path / "p" / "cats" / "camera.jpg")
    e = returns(lambda: bfp.build(tmp_path / "p", tmp_path / "out"))
    assert isinstance(e, ValueError)
    assert "cats/camera.jpg: it is a FIFO (named pipe), expected a photo (a regular file)" in str(e)
    summary = {}
    assert returns(lambda: summary.update(bfp.build(tmp_path / "p", tmp_path / "out", skip_bad=True))) is None
    assert [name for name, _ in summary["skipped"]] == ["cats/camera.jpg"]


def test_plot_images_on_a_flattened_X():
    X = np.zeros((12288, 209))
    e = returns(lambda: d.plot_images(X))
    assert isinstance(e, ValueError) and "looks like a flattened X (n_x, m)" in str(e)
    assert plt.get_fignums() == []  # refused before any figure was made


def test_plot_images_on_too_many_images():
    e = returns(lambda: d.plot_images(np.zeros((5000, 2, 2, 3), np.uint8)))
    assert isinstance(e, ValueError) and "5000 images would make 5000 subplots (at most 200)" in str(e)
    assert plt.get_fignums() == []


def test_gradient_check_on_the_course_model_is_refused_at_once():
    params = d.initialize_parameters([12288, 20, 7, 5, 1], seed=0)
    X, Y = np.zeros((12288, 209)), np.zeros((1, 209))
    e = returns(lambda: d.gradient_check(params, X, Y))
    assert isinstance(e, ValueError)
    assert "too large to run in reasonable time: 245,973 parameters need 491,946 forward passes" in str(e)
    assert "max_flops=None" in str(e)


def test_gradient_check_size_guard_can_be_lifted_and_lowered():
    params = d.initialize_parameters([3, 2, 1], seed=0)
    X = np.random.default_rng(0).standard_normal((3, 4))
    Y = np.array([[0, 1, 1, 0]])
    with pytest.raises(ValueError, match="limit max_flops = 1e\\+01"):
        d.gradient_check(params, X, Y, max_flops=10)
    info = d.gradient_check(params, X, Y, max_flops=None, details=True)
    assert info["n_params"] == 11 and info["flops"] == 2 * 11 * 2 * 4 * 8 and info["difference"] < 1e-7
