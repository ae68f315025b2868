"""dnnlib.data: load_data (the course's HDF5 pair) and load_image (any image file).

* load_data reads the course's schema, from the repo's datasets/ folder by default;
* a missing, damaged, truncated, locked or half-written HDF5 file, a FIFO in its place, or a
  pair whose files come from different runs (their pair ids differ) is a clear error naming
  the file, what was expected and what was found;
* load_image converts any mode to RGB, crops the centre, turns EXIF-rotated photos upright, and
  refuses FIFOs, unreadable files and decompression bombs with a clear error.
"""
import os
import subprocess
import sys

import h5py
import numpy as np
import pytest
from PIL import Image

import dnn_utils as d
import dnnlib.data
from dnnlib.data import PAIR_ID_ATTR
from dnnlib.datasets import make_catvnoncat as gen
from tests.helpers import (COURSE_TEST, COURSE_TRAIN, ROOT, assert_names, assert_names_one_of, course_pair, gif_bytes,
                           make_images, png_bytes, png_claiming_size, raises_naming, random_pair, returns,
                           without_pair_id, write_split)


@pytest.fixture
def dataset(tmp_path):
    write_split(tmp_path, "train", *make_images(40, seed=1))
    write_split(tmp_path, "test", *make_images(20, seed=2))
    return tmp_path


def pair_id_of(path):
    with h5py.File(path, "r") as f:
        return f.attrs.get(PAIR_ID_ATTR)


# ---------------------------------------------------------------------------
# load_data
# ---------------------------------------------------------------------------

def test_load_data(dataset):
    train_x, train_y, test_x, test_y, classes = d.load_data(dataset)
    assert train_x.shape == (40, 64, 64, 3) and train_x.dtype == np.uint8
    assert test_x.shape == (20, 64, 64, 3) and test_x.dtype == np.uint8
    assert train_y.shape == (1, 40) and test_y.shape == (1, 20)
    np.testing.assert_array_equal(train_y[0], np.arange(40) % 2)
    np.testing.assert_array_equal(train_x, make_images(40, seed=1)[0])
    assert [bytes(c) for c in classes] == [b"non-cat", b"cat"]
    assert d.load_data(str(dataset))[1].shape == (1, 40)


def test_load_data_default_folder_is_the_repos(monkeypatch, tmp_path, dataset):
    monkeypatch.delenv("DNN_DATA_DIR", raising=False)
    assert d.DATASETS_DIR == ROOT / "datasets"
    monkeypatch.chdir(tmp_path / "..")
    if (ROOT / "datasets" / "train_catvnoncat.h5").is_file() and (ROOT / "datasets" / "test_catvnoncat.h5").is_file():
        train_x, train_y, test_x, test_y, classes = d.load_data()
        assert train_x.ndim == 4 and train_x.shape[1:] == (64, 64, 3) and train_x.dtype == np.uint8
        assert train_y.shape == (1, train_x.shape[0]) and test_y.shape == (1, test_x.shape[0])
        assert set(np.unique(train_y)) <= {0, 1} and len(classes) == 2
    else:
        with raises_naming(FileNotFoundError, str(ROOT / "datasets")):
            d.load_data()
    monkeypatch.setattr(dnnlib.data, "DATASETS_DIR", dataset)
    assert d.load_data()[0].shape == (40, 64, 64, 3)


LOAD_DATA_ERRORS = {
    # breakage: (exception type, facts its message names)
    "no folder": (FileNotFoundError, ("dataset folder", "not found", "nope")),
    "no test file": (FileNotFoundError, ("dataset file", "not found", "test_catvnoncat.h5")),
    "not hdf5": (ValueError, ("test_catvnoncat.h5", "not an HDF5 file", "x,y")),
    "missing key": (ValueError, ("test_catvnoncat.h5", "missing", "['test_set_y']", "['list_classes', 'test_set_x']")),
    "counts disagree": (ValueError, ("20 images", "19 labels")),
    "label 2": (ValueError, ("labels", "0 or 1", "[0, 1, 2]")),
    "grayscale": (ValueError, ("test_set_x", "(m, height, width, 3)", "uint8", "(20, 64, 64)")),
}


@pytest.mark.parametrize("breakage", LOAD_DATA_ERRORS)
def test_load_data_errors(tmp_path, breakage):
    exc, facts = LOAD_DATA_ERRORS[breakage]
    write_split(tmp_path, "train", *make_images(4, seed=1))
    x, y = make_images(20, seed=2)
    if breakage == "not hdf5":
        (tmp_path / "test_catvnoncat.h5").write_text("x,y\n1,0\n")
    elif breakage == "missing key":
        write_split(tmp_path, "test", x, None)
    elif breakage == "counts disagree":
        write_split(tmp_path, "test", x, y[:19])
    elif breakage == "label 2":
        write_split(tmp_path, "test", x, np.where(np.arange(20) == 3, 2, y))
    elif breakage == "grayscale":
        write_split(tmp_path, "test", x[..., 0], y)
    folder = tmp_path / "nope" if breakage == "no folder" else tmp_path
    with raises_naming(exc, *facts):
        d.load_data(folder)


# --------------------------------------------------------------------------- damaged HDF5 files

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
    # the likely cause of a truncated file is named: an interrupted download
    "truncated download": (lambda t: course_pair(t, COURSE_TEST.read_bytes()[:150_000]),
                           ValueError, ("test_catvnoncat.h5", "truncated or corrupted", "150000 bytes",
                                        "interrupted download")),
    "truncated header": (lambda t: course_pair(t, COURSE_TEST.read_bytes()[:600]),
                         ValueError, ("test_catvnoncat.h5", "truncated or corrupted", "600 bytes")),
    "zeroed block": (lambda t: course_pair(t, COURSE_TEST.read_bytes()[:5000] + bytes(10_000)
                                           + COURSE_TEST.read_bytes()[15_000:]),
                     ValueError, ("test_catvnoncat.h5", "truncated or corrupted")),
    "group for images": (lambda t: make_test_file(course_pair(t), test_set_x="group"),
                         ValueError, ("test_set_x", "dataset", "group")),
    "group for classes": (lambda t: make_test_file(course_pair(t), list_classes="group"),
                          ValueError, ("list_classes", "dataset", "group")),
    "float images": (lambda t: make_test_file(course_pair(t), test_set_x=np.zeros((50, 64, 64, 3))),
                     ValueError, ("test_set_x", "uint8", "(50, 64, 64, 3)", "float64")),
    "string labels": (lambda t: make_test_file(course_pair(t), test_set_y=np.array([b"cat"] * 50)),
                      ValueError, ("test_set_y", "0/1", "|S3")),
    "no images": (lambda t: make_test_file(course_pair(t), test_set_x=np.zeros((0, 64, 64, 3), np.uint8),
                                           test_set_y=np.zeros(0, np.int64)),
                  ValueError, ("test_set_x", "at least one image", "(0, 64, 64, 3)")),
    "scalar classes": (lambda t: make_test_file(course_pair(t), list_classes=np.bytes_(b"cat")),
                       ValueError, ("list_classes", "2 class names", "shape ()")),
    "other image size": (lambda t: make_test_file(course_pair(t), test_set_x=np.zeros((50, 32, 32, 3), np.uint8)),
                         ValueError, ("train images", "(64, 64, 3)", "test images", "(32, 32, 3)")),
    "folder in place of a file": (lambda t: (t / "train_catvnoncat.h5").mkdir() or t,
                                  IsADirectoryError, ("train_catvnoncat.h5", "folder", "dataset file")),
}


@pytest.mark.parametrize("case", HDF5_CASES, ids=list(HDF5_CASES))
def test_broken_hdf5_files(tmp_path, case):
    make, exc, facts = HDF5_CASES[case]
    folder = make(tmp_path)
    with raises_naming(exc, *facts):
        d.load_data(folder)


def test_file_locked_by_a_writer(tmp_path):
    course_pair(tmp_path)
    writer = subprocess.Popen([sys.executable, "-c", "import h5py, sys, time; f = h5py.File(sys.argv[1], 'a'); "
                               "print('open', flush=True); time.sleep(60)", str(tmp_path / "test_catvnoncat.h5")],
                              stdout=subprocess.PIPE)
    try:
        assert writer.stdout.readline().strip() == b"open"
        with raises_naming(OSError, "test_catvnoncat.h5", "locked", "another program", "open for writing"):
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
    with raises_naming(ValueError, "test_catvnoncat.h5", "left open", "writer", "did not finish"):
        d.load_data(tmp_path)


def test_fifo_in_load_data(tmp_path):
    """A FIFO in place of a dataset file used to hang load_data; it is refused at once."""
    os.mkfifo(tmp_path / "train_catvnoncat.h5")
    os.mkfifo(tmp_path / "test_catvnoncat.h5")
    e = returns(lambda: d.load_data(tmp_path))
    assert isinstance(e, ValueError)
    assert_names(e, "train_catvnoncat.h5", "FIFO", "named pipe", "dataset file")


# --------------------------------------------------------------------------- pair ids

def copy_course_files_without_ids(folder):
    for source in (COURSE_TRAIN, COURSE_TEST):
        (folder / source.name).write_bytes(source.read_bytes())
        without_pair_id(folder / source.name)


@pytest.mark.parametrize("mix", ["train of another run", "test of another run", "new train, legacy test"])
def test_mixed_pair_is_refused(tmp_path, mix):
    a, b = tmp_path / "a", tmp_path / "b"
    gen.write_pair(a, *random_pair(1))
    gen.write_pair(b, *random_pair(2))
    if mix == "train of another run":  # what a kill between the two renames leaves
        os.replace(b / "train_catvnoncat.h5", a / "train_catvnoncat.h5")
    elif mix == "test of another run":
        os.replace(b / "test_catvnoncat.h5", a / "test_catvnoncat.h5")
    else:  # the course's files carry no id: a new train file beside an old course test file
        copy_course_files_without_ids(a)
        d.load_data(a)  # the course's pair: no ids, accepted
        os.replace(b / "train_catvnoncat.h5", a / "train_catvnoncat.h5")
    ids = [pair_id_of(a / "train_catvnoncat.h5"), pair_id_of(a / "test_catvnoncat.h5")]
    assert ids[0] != ids[1]
    with raises_naming(ValueError, "train_catvnoncat.h5", "test_catvnoncat.h5", "one pair", "pair ids differ",
                       *map(str, ids)):
        d.load_data(a)


def test_changed_content_is_refused(tmp_path):
    gen.write_pair(tmp_path, *random_pair(1))
    with h5py.File(tmp_path / "test_catvnoncat.h5", "r+") as f:
        f["test_set_y"][0] = 1 - f["test_set_y"][0]
    pair_id = pair_id_of(tmp_path / "train_catvnoncat.h5")
    with raises_naming(ValueError, "content", "does not match", "pair id", pair_id):
        d.load_data(tmp_path)


def test_legacy_pair_without_id_still_loads(tmp_path):
    copy_course_files_without_ids(tmp_path)
    assert pair_id_of(tmp_path / "train_catvnoncat.h5") is None
    assert d.load_data(tmp_path)[0].shape == (209, 64, 64, 3)


# ---------------------------------------------------------------------------
# load_image
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("mode, color, ext, expected, tol", [
    ("RGB", (200, 30, 60), "png", (200, 30, 60), 0),
    ("L", 128, "png", (128, 128, 128), 0),
    ("RGBA", (0, 0, 255, 255), "png", (0, 0, 255), 0),
    ("RGBA", (0, 0, 255, 0), "png", (255, 255, 255), 0),   # fully transparent -> white background
    ("CMYK", (0, 255, 255, 0), "jpg", (255, 0, 0), 8),     # no cyan, full magenta + yellow = red
    ("P", None, "png", (10, 20, 30), 0),
])
def test_load_image_modes(tmp_path, mode, color, ext, expected, tol):
    path = tmp_path / f"img.{ext}"
    if mode == "P":
        im = Image.new("P", (50, 70), 1)
        im.putpalette([0, 0, 0, 10, 20, 30] + [0] * 762)  # colour 1 = (10, 20, 30)
    else:
        im = Image.new(mode, (50, 70), color)
    im.save(path)
    arr = d.load_image(path)
    assert arr.shape == (64, 64, 3) and arr.dtype == np.uint8
    assert np.abs(arr.astype(int) - expected).max() <= tol


def test_load_image_centre_crop_and_size(tmp_path):
    # 90 x 30: red | green | blue thirds; the centre square (30..60) is all green
    im = Image.new("RGB", (90, 30), (255, 0, 0))
    im.paste((0, 255, 0), (30, 0, 60, 30))
    im.paste((0, 0, 255), (60, 0, 90, 30))
    im.save(tmp_path / "wide.png")
    arr = d.load_image(tmp_path / "wide.png", size=16)
    assert arr.shape == (16, 16, 3)
    assert np.all(arr == (0, 255, 0))
    im.transpose(Image.Transpose.ROTATE_90).save(tmp_path / "tall.png")
    assert np.all(d.load_image(tmp_path / "tall.png") == (0, 255, 0))


def test_load_image_turns_an_exif_rotated_photo_upright(tmp_path):
    # stored 40 wide x 20 high: red left half, blue right half; the tag says "rotate 90° clockwise"
    im = Image.new("RGB", (40, 20), (0, 0, 255))
    im.paste((255, 0, 0), (0, 0, 20, 20))
    exif = Image.Exif()
    exif[0x0112] = 6                       # EXIF Orientation: rotate 90 CW to display
    im.save(tmp_path / "phone.jpg", exif=exif, quality=95)
    arr = d.load_image(tmp_path / "phone.jpg", size=20).astype(int)
    # upright, the photo is 20 wide x 40 high with red on top: the centre crop is half red
    # (top rows) and half blue (bottom rows); unrotated it would be split left / right
    assert arr[2, :, 0].mean() > 200 and arr[2, :, 2].mean() < 60, arr[2, :, :3].mean(axis=0)
    assert arr[-3, :, 2].mean() > 200 and arr[-3, :, 0].mean() < 60


def test_load_image_errors(tmp_path):
    with raises_naming(FileNotFoundError, "image", "not found", "missing.png"):
        d.load_image(tmp_path / "missing.png")
    (tmp_path / "notes.png").write_text("not an image")
    with raises_naming(ValueError, "notes.png", "readable image"):
        d.load_image(tmp_path / "notes.png")


@pytest.mark.parametrize("size", [0, -3, 2.5, True, "64"])
def test_load_image_bad_size(tmp_path, size):
    (tmp_path / "x.png").write_bytes(png_bytes())
    with raises_naming(ValueError, "size", "positive whole number", repr(size)):
        d.load_image(tmp_path / "x.png", size=size)


IMAGE_CASES = {
    # case: (bytes, facts its message names, or a list of alternatives)
    "200 MP photo": (png_claiming_size(16_384, 12_288), ("x.png", "too large", "Pillow's limit", "megapixels")),
    "corrupted PNG chunk": (png_bytes()[:33] + b"\xff" * 40 + png_bytes()[73:], ("x.png", "readable image")),
    "PNG cut short": (png_bytes()[:60], ("x.png", "readable image")),
    "GIF with a broken block": (gif_bytes()[:20] + b"\x00\x2c" + b"\xff" * 12 + gif_bytes()[34:],
                                [("x.gif", "readable image"), ("x.gif", "too large")]),  # it claims 65535 x 65535
    "GIF cut short": (gif_bytes()[:30], ("x.gif", "readable image")),
    "empty file": (b"", ("x.png", "readable image")),
    "text": (b"hello, I am not a picture", ("x.png", "readable image")),
}


@pytest.mark.parametrize("case", IMAGE_CASES, ids=list(IMAGE_CASES))
def test_bad_image_files(tmp_path, case):
    data, facts = IMAGE_CASES[case]
    path = tmp_path / ("x.gif" if "GIF" in case else "x.png")
    path.write_bytes(data)
    with pytest.raises(ValueError) as info:
        d.load_image(path)
    assert_names_one_of(info, *(facts if isinstance(facts, list) else [facts]))


def test_fifo_named_jpg_in_load_image(tmp_path):
    """A FIFO named like a photo used to hang load_image; it is refused at once."""
    os.mkfifo(tmp_path / "photo.jpg")
    e = returns(lambda: d.load_image(tmp_path / "photo.jpg"))
    assert isinstance(e, ValueError)
    assert_names(e, "photo.jpg", "FIFO", "named pipe", "image file")


# ---------------------------------------------------------------------------
# DNN_DATA_DIR: one setting chooses the dataset; which_data tells which one was loaded
# ---------------------------------------------------------------------------

def test_load_data_reads_DNN_DATA_DIR_when_no_path_is_given(monkeypatch, dataset):
    monkeypatch.setenv("DNN_DATA_DIR", str(dataset))
    train_x, train_y, test_x, _, _ = d.load_data()
    assert train_x.shape[0] == 40 and test_x.shape[0] == 20
    np.testing.assert_array_equal(train_x, make_images(40, seed=1)[0])


def test_an_explicit_path_wins_over_DNN_DATA_DIR(monkeypatch, dataset, tmp_path_factory):
    other = tmp_path_factory.mktemp("other")
    write_split(other, "train", *make_images(6, seed=3))
    write_split(other, "test", *make_images(4, seed=4))
    monkeypatch.setenv("DNN_DATA_DIR", str(dataset))
    assert d.load_data(other)[0].shape[0] == 6


@pytest.mark.parametrize("value", ["", "   "])
def test_an_empty_DNN_DATA_DIR_means_the_shipped_data(monkeypatch, value):
    monkeypatch.setenv("DNN_DATA_DIR", value)
    assert dnnlib.data.data_folder() == dnnlib.data.DATASETS_DIR
    monkeypatch.delenv("DNN_DATA_DIR")
    assert dnnlib.data.data_folder() == dnnlib.data.DATASETS_DIR


def test_a_DNN_DATA_DIR_that_is_not_a_folder_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv("DNN_DATA_DIR", str(tmp_path / "missing"))
    with raises_naming(FileNotFoundError, "DNN_DATA_DIR", str(tmp_path / "missing"), "train_catvnoncat.h5"):
        d.load_data()


@pytest.mark.skipif(not COURSE_TRAIN.is_file(), reason="no shipped dataset in this copy")
def test_which_data_knows_the_shipped_drawings_even_without_their_pair_id(tmp_path):
    assert dnnlib.data.which_data(*d.load_data()[:4]) == "shipped"
    assert dnnlib.data.which_data(*d.load_data(course_pair(tmp_path))[:4]) == "shipped"


def test_which_data_calls_other_files_other(dataset):
    train_x, train_y, test_x, test_y, _ = d.load_data(dataset)
    assert dnnlib.data.which_data(train_x, train_y, test_x, test_y) == "other"
    assert set(dnnlib.data.DATA_LABELS) == {"shipped", "course", "other"}


def test_which_data_knows_the_courses_files():
    folder = os.environ.get("DNN_COURSE_DATA")
    if not folder:
        pytest.skip("set DNN_COURSE_DATA to a folder holding the course's files")
    assert dnnlib.data.which_data(*d.load_data(folder)[:4]) == "course"
