"""dnnlib.datasets.make_preview, the command that draws datasets/preview.png (dnn-make-preview):
it writes a PNG of the expected size, writes nowhere without --out, and reports a broken
dataset without a traceback.

That the shipped preview names its generator and regenerates identically: tests/test_generated_files.py.
"""
from tests.helpers import (COURSE_TEST, assert_command_writes_nowhere_by_default, assert_names, course_pair,
                           run_module)


def test_preview_script_writes_a_png(tmp_path):
    out = tmp_path / "preview.png"
    run_module("make_preview", "--out", out, check=True)
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (608, 352)     # 8 x 4 images, 0.95 x 1.1 inches each, at 80 dpi
    assert len(data) < 250_000
    assert not list(tmp_path.glob("*.tmp"))


def test_command_writes_nowhere_by_default(tmp_path):
    """Without --out it stops, says so, and writes nothing: a clone and an install behave alike."""
    assert_command_writes_nowhere_by_default("make_preview", tmp_path)


def test_command_reports_a_broken_dataset_without_a_traceback(tmp_path):
    course_pair(tmp_path, COURSE_TEST.read_bytes()[:150_000])
    r = run_module("make_preview", "--data", tmp_path, "--out", tmp_path / "p.png")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert_names(r.stderr, "test_catvnoncat.h5", "truncated or corrupted")
    assert not (tmp_path / "p.png").exists()
