"""Issue 15, raw errors: what used to surface as an h5py, Pillow, numpy or matplotlib error is
now an error of ours that says what was expected and what was found."""
import io
import os
import subprocess
import sys
import zlib
from pathlib import Path

import h5py
import matplotlib
import numpy as np
import pytest
from PIL import Image

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import dnn_utils as d  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
COURSE_TEST = ROOT / "datasets" / "test_catvnoncat.h5"


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def course_pair(folder, test_bytes=None):
    (folder / "train_catvnoncat.h5").write_bytes((ROOT / "datasets" / "train_catvnoncat.h5").read_bytes())
    (folder / "test_catvnoncat.h5").write_bytes(COURSE_TEST.read_bytes() if test_bytes is None else test_bytes)
    return folder


def make_test_file(folder, **replace):
    """A test file like the course's, with some keys replaced (a value of "group" makes a group)."""
    with h5py.File(COURSE_TEST, "r") as f:
        data = {k: f[k][()] for k in f}
    data.update(replace)
    with h5py.File(folder / "test_catvnoncat.h5", "w") as f:
        for k, v in data.items():
            if isinstance(v, str) and v == "group":
                f.create_group(k).create_dataset("inner", data=[1])
            else:
                f.create_dataset(k, data=v)
    return folder


HDF5_CASES = {
    "truncated download": (lambda t: course_pair(t, COURSE_TEST.read_bytes()[:150_000]),
                           ValueError, r"is truncated or corrupted \(150000 bytes; an interrupted download"),
    "truncated header": (lambda t: course_pair(t, COURSE_TEST.read_bytes()[:600]),
                         ValueError, "is truncated or corrupted"),
    "zeroed block": (lambda t: course_pair(t, COURSE_TEST.read_bytes()[:5000] + bytes(10_000)
                                           + COURSE_TEST.read_bytes()[15_000:]),
                     ValueError, "is truncated or corrupted"),
    "group for images": (lambda t: make_test_file(course_pair(t), test_set_x="group"),
                         ValueError, "test_set_x must be a dataset .*found a group"),
    "group for classes": (lambda t: make_test_file(course_pair(t), list_classes="group"),
                          ValueError, "list_classes must be a dataset"),
    "float images": (lambda t: make_test_file(course_pair(t), test_set_x=np.zeros((50, 64, 64, 3))),
                     ValueError, r"uint8 images, found \(50, 64, 64, 3\) float64"),
    "string labels": (lambda t: make_test_file(course_pair(t), test_set_y=np.array([b"cat"] * 50)),
                      ValueError, "test_set_y must hold 0/1 numbers, found dtype"),
    "no images": (lambda t: make_test_file(course_pair(t), test_set_x=np.zeros((0, 64, 64, 3), np.uint8),
                                      test_set_y=np.zeros(0, np.int64)),
                  ValueError, "at least one image"),
    "scalar classes": (lambda t: make_test_file(course_pair(t), list_classes=np.bytes_(b"cat")),
                       ValueError, "list_classes must be 2 class names"),
    "other image size": (lambda t: make_test_file(course_pair(t), test_set_x=np.zeros((50, 32, 32, 3), np.uint8)),
                         ValueError, r"train images are \(64, 64, 3\) but test images \(32, 32, 3\)"),
    "folder in place of a file": (lambda t: (t / "train_catvnoncat.h5").mkdir() or t,
                                  IsADirectoryError, "is a folder, expected a dataset file"),
}


@pytest.mark.parametrize("case", HDF5_CASES, ids=list(HDF5_CASES))
def test_broken_hdf5_files(tmp_path, case):
    make, exc, match = HDF5_CASES[case]
    folder = make(tmp_path)
    with pytest.raises(exc, match=match):
        d.load_data(folder)


def test_file_locked_by_a_writer(tmp_path):
    course_pair(tmp_path)
    writer = subprocess.Popen([sys.executable, "-c", "import h5py, sys, time; f = h5py.File(sys.argv[1], 'a'); "
                               "print('open', flush=True); time.sleep(60)", str(tmp_path / "test_catvnoncat.h5")],
                              stdout=subprocess.PIPE)
    try:
        assert writer.stdout.readline().strip() == b"open"
        with pytest.raises(OSError, match="is locked by another program that has it open for writing"):
            d.load_data(tmp_path)
    finally:
        writer.kill()
        writer.wait()


def test_file_left_open_by_a_killed_writer(tmp_path):
    course_pair(tmp_path)
    path = tmp_path / "test_catvnoncat.h5"
    code = ("import h5py, sys, os, numpy as np; f = h5py.File(sys.argv[1], 'w', libver='latest'); "
            "f['test_set_x'] = np.zeros((1, 64, 64, 3), np.uint8); f.flush(); os.kill(os.getpid(), 9)")
    subprocess.run([sys.executable, "-c", code, str(path)])
    with pytest.raises(ValueError, match="was left open by a writer that did not finish"):
        d.load_data(tmp_path)


# --------------------------------------------------------------------------- images

def png_bytes(size=(70, 70)):
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 40)).save(buf, "PNG")
    return buf.getvalue()


def png_claiming_size(width, height):
    """A valid PNG header (with a correct CRC) that claims width x height pixels."""
    data = bytearray(png_bytes((8, 8)))
    data[16:24] = width.to_bytes(4, "big") + height.to_bytes(4, "big")
    data[29:33] = zlib.crc32(bytes(data[12:29])).to_bytes(4, "big")
    return bytes(data)


def gif_bytes():
    buf = io.BytesIO()
    Image.new("P", (70, 70), 1).save(buf, "GIF")
    return buf.getvalue()


IMAGE_CASES = {
    "200 MP photo": (png_claiming_size(16_384, 12_288),
                     "too large to decode safely: above Pillow's limit of .* megapixels"),
    "corrupted PNG chunk": (png_bytes()[:33] + b"\xff" * 40 + png_bytes()[73:], "is not a readable image"),
    "PNG cut short": (png_bytes()[:60], "is not a readable image"),
    "GIF with a broken block": (gif_bytes()[:20] + b"\x00\x2c" + b"\xff" * 12 + gif_bytes()[34:],
                                "is not a readable image|too large to decode safely"),  # it claims 65535 x 65535
    "GIF cut short": (gif_bytes()[:30], "is not a readable image"),
    "empty file": (b"", "is not a readable image"),
    "text": (b"hello, I am not a picture", "is not a readable image"),
}


@pytest.mark.parametrize("case", IMAGE_CASES, ids=list(IMAGE_CASES))
def test_bad_image_files(tmp_path, case):
    data, match = IMAGE_CASES[case]
    path = tmp_path / ("x.gif" if "GIF" in case else "x.png")
    path.write_bytes(data)
    with pytest.raises(ValueError, match=match):
        d.load_image(path)


def build_from_photos_module():
    """datasets/build_from_photos.py, imported from its file (datasets/ is not a package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_from_photos", ROOT / "datasets" / "build_from_photos.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def two_class_photos(folder, n=2):
    """folder/cats and folder/non-cats with n usable 70x70 PNGs each; returns folder."""
    for name in ("cats", "non-cats"):
        (folder / name).mkdir(parents=True)
        for i in range(n):
            Image.new("RGB", (70, 70), (i * 90, 0, 0)).save(folder / name / f"ok{i}.png")
    return folder


def test_bad_image_reasons_in_build_from_photos(tmp_path):
    bfp = build_from_photos_module()
    two_class_photos(tmp_path / "p")
    (tmp_path / "p" / "cats" / "huge.png").write_bytes(png_claiming_size(16_384, 12_288))
    (tmp_path / "p" / "cats" / "broken.gif").write_bytes(gif_bytes()[:30])
    with pytest.raises(ValueError) as e:
        bfp.build(tmp_path / "p", tmp_path / "out")
    lines = {line.split(":")[0].strip(): line for line in str(e.value).splitlines() if line.startswith("  ")}
    assert sorted(lines) == ["cats/broken.gif", "cats/huge.png"]
    assert "too large to decode safely" in lines["cats/huge.png"]


@pytest.mark.parametrize("size", [0, -3, 2.5, True, "64"])
def test_load_image_bad_size(tmp_path, size):
    (tmp_path / "x.png").write_bytes(png_bytes())
    with pytest.raises(ValueError, match="size must be a positive whole number of pixels"):
        d.load_image(tmp_path / "x.png", size=size)


# --------------------------------------------------------------------------- output folders

def test_output_folder_that_cannot_be_written_is_found_before_reading_photos(tmp_path, monkeypatch):
    bfp = build_from_photos_module()
    two_class_photos(tmp_path / "p", n=1)
    read = []
    monkeypatch.setattr(bfp, "read_photo", lambda *a: read.append(a) or (None, "unused"))
    (tmp_path / "afile").write_text("x")
    with pytest.raises(FileExistsError, match=r"cannot create the output folder .*afile is a file"):
        bfp.build(tmp_path / "p", tmp_path / "afile" / "out")
    ro = tmp_path / "ro"
    ro.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(ro)], capture_output=True)
    if r.returncode == 0:
        try:
            with pytest.raises(OSError, match=r"cannot write the dataset in .*ro/out: Read-only file system"):
                bfp.build(tmp_path / "p", ro / "out")
            cli = subprocess.run([sys.executable, str(ROOT / "datasets" / "build_from_photos.py"),
                                  str(tmp_path / "p"), "--out", str(ro / "out")], capture_output=True, text=True)
            assert cli.returncode == 2 and "Read-only file system" in cli.stderr and "Traceback" not in cli.stderr
        finally:
            subprocess.run(["umount", "-l", str(ro)])
    assert read == []  # not a single photo was read


def test_generator_command_reports_an_unwritable_folder_at_once(tmp_path):
    (tmp_path / "afile").write_text("x")
    r = subprocess.run([sys.executable, str(ROOT / "datasets" / "make_catvnoncat.py"), "--out",
                        str(tmp_path / "afile")], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and "is a file" in r.stderr and "Traceback" not in r.stderr


# --------------------------------------------------------------------------- parameters, epsilon, plots

P = d.initialize_parameters([4, 3, 1], seed=0)
X = np.random.default_rng(0).standard_normal((4, 5))
Y = np.array([[0, 1, 1, 0, 1]])

CASES = [
    *[(lambda e=e: d.gradient_check(P, X, Y, epsilon=e), ValueError, "epsilon must be a finite number > 0")
      for e in (0, -1e-7, float("nan"), float("inf"), None, True)],
    (lambda: d.gradient_check(P, X, Y, kinks="maybe"), ValueError, "kinks must be 'warn', 'nudge'"),
    (lambda: d.gradient_check(P, X + 0j, Y), TypeError, "X must hold real numbers"),
    (lambda: d.save_parameters({**P, "W1": np.full((3, 4), np.nan)}, "/tmp/never.npz"), ValueError,
     "W1 contains NaN"),
    # plots
    (lambda: d.plot_costs([]), ValueError, r"costs must be a non-empty list of numbers"),
    (lambda: d.plot_costs([[0.7, 0.5]]), ValueError, r"found shape \(1, 2\)"),
    (lambda: d.plot_costs(["a", "b"]), TypeError, "costs must hold numbers"),
    (lambda: d.plot_costs([0.7, float("nan")]), ValueError, "costs contains NaN"),
    (lambda: d.plot_costs([0.7, 0.5], every=0), ValueError, "every must be a whole number >= 1"),
    (lambda: d.plot_images(np.zeros((0, 8, 8, 3), np.uint8)), ValueError, "no images to show"),
    (lambda: d.plot_images(np.zeros((3, 8, 8, 5), np.uint8)), ValueError, r"found shape \(3, 8, 8, 5\)"),
    (lambda: d.plot_images(np.zeros(5)), ValueError, r"found shape \(5,\)"),
    (lambda: d.plot_images("cat.png"), TypeError, "images must be a numpy array"),
    (lambda: d.plot_images(np.full((2, 8, 8, 3), 2.0)), ValueError, r"float images must be in \[0, 1\]"),
    (lambda: d.plot_images(np.zeros((2, 8, 8, 3), np.uint8), labels=[0, 1, 1]), ValueError,
     r"labels must have one value per image \(2\), found 3"),
    (lambda: d.plot_images(np.zeros((2, 8, 8, 3), np.uint8), predictions=[0, 2]), ValueError,
     r"predictions must be class indices 0..1"),
    (lambda: d.plot_images(np.zeros((2, 8, 8, 3), np.uint8), ncols=0), ValueError, "ncols must be a whole number"),
    (lambda: d.plot_decision_boundary(lambda G: G[:1] > 0, np.ones((2, 0)), np.ones((1, 0))), ValueError,
     "at least one point"),
    (lambda: d.plot_decision_boundary(lambda G: G[:1] > 0, np.ones((2, 4)), np.ones((1, 3))), ValueError,
     r"Y must have one label per point \(4\)"),
    (lambda: d.plot_decision_boundary(lambda G: G[:1] > 0, np.full((2, 4), np.nan), np.ones((1, 4))), ValueError,
     "X contains NaN"),
    (lambda: d.plot_decision_boundary(lambda G: G[:1] > 0, [[0, 1], [1, 0]], [[0, 1]]), ValueError, r"\(2, m\)"),
    (lambda: d.plot_decision_boundary(lambda G: np.ones(3), np.ones((2, 4)), np.ones((1, 4)), resolution=10),
     ValueError, r"predict_fn must return one prediction per point: given \(2, 100\), it returned shape \(3,\)"),
    (lambda: d.plot_decision_boundary("predict", np.ones((2, 4)), np.ones((1, 4))), TypeError,
     "predict_fn must be a function"),
    (lambda: d.plot_decision_boundary(lambda G: G[:1] > 0, np.ones((2, 4)), np.ones((1, 4)), resolution=10**5),
     ValueError, "resolution must be a whole number from 2 to 2000"),
]


@pytest.mark.parametrize("call, exc, match", CASES)
def test_clear_error(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_load_parameters_of_special_files(tmp_path):
    os.mkfifo(tmp_path / "pipe.npz")
    with pytest.raises(ValueError, match=r"is a FIFO \(named pipe\), expected a parameter file"):
        d.load_parameters(tmp_path / "pipe.npz")
    (tmp_path / "dir.npz").mkdir()
    with pytest.raises(IsADirectoryError, match="is a folder"):
        d.load_parameters(tmp_path / "dir.npz")
    with pytest.raises(IsADirectoryError, match="is a folder; expected a file name"):
        d.save_parameters(P, tmp_path / "dir.npz")


@pytest.mark.parametrize("script", ["make_preview.py", "baselines.py"])
def test_dataset_commands_report_a_broken_dataset_without_a_traceback(tmp_path, script):
    course_pair(tmp_path, COURSE_TEST.read_bytes()[:150_000])
    r = subprocess.run([sys.executable, str(ROOT / "datasets" / script), "--data", str(tmp_path)]
                       + (["--out", str(tmp_path / "p.png")] if script == "make_preview.py" else []),
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "is truncated or corrupted" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "p.png").exists()


def test_baselines_readme_is_replaced_whole(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("baselines", ROOT / "datasets" / "baselines.py")
    baselines = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(baselines)
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{baselines.START}\nold\n{baselines.END}\nrest\n")
    baselines.write_readme("| new |", str(readme))
    assert readme.read_text() == f"intro\n{baselines.START}\n| new |\n{baselines.END}\nrest\n"
    assert sorted(os.listdir(tmp_path)) == ["README.md"]
    (tmp_path / "plain.md").write_text("no markers")
    with pytest.raises(ValueError, match="has no .* markers"):
        baselines.write_readme("| new |", str(tmp_path / "plain.md"))
