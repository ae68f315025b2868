"""dnnlib/datasets/build_from_photos.py: a user's own photos -> the course's HDF5 dataset."""
import errno
import io
import os
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest
from PIL import Image

import dnn_utils
from dnnlib.datasets import build_from_photos as bfp

ROOT = Path(__file__).resolve().parent.parent

RED, BLUE = (200, 30, 40), (30, 40, 200)  # cats are red-ish, non-cats blue-ish


def save(path, image, **kwargs):
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, **kwargs)
    return path


def solid(colour, size=(80, 80), mode="RGB"):
    return Image.new(mode, size, colour)


def near(colour, k):
    """colour with its green channel moved by 3 k: a different picture of the same hue (exact
    duplicates are kept on one side of the split, which would change the counts)."""
    return (colour[0], colour[1] + 3 * k, colour[2])


def noise_jpeg_bytes(size=(90, 90)):
    """A noisy JPEG: its data is long enough that cutting it in half truncates the pixels."""
    rng = np.random.default_rng(0)
    buf = io.BytesIO()
    Image.fromarray(rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)).save(buf, "JPEG")
    return buf.getvalue()


@pytest.fixture
def photos(tmp_path):
    """Cats and non-cats in every format the tool must read, plus files it must ignore."""
    d = tmp_path / "photos"
    cats, non = d / "cats", d / "non-cats"
    save(cats / "rgb_wide.jpg", solid(RED, (120, 80)), quality=95)
    save(cats / "tall.png", solid(near(RED, 1), (70, 100)))
    save(cats / "grey.png", solid(128, (90, 90), "L"))
    rgba = Image.new("RGBA", (80, 80), (*RED, 255))
    rgba.paste((0, 0, 0, 0), (0, 0, 20, 80))  # a transparent strip: composited on white
    save(cats / "rgba.png", rgba)
    save(cats / "cmyk.jpg", solid((0, 220, 200, 30), (80, 80), "CMYK"), quality=95)
    save(cats / "nested" / "deeper" / "red.bmp", solid(near(RED, 2)))
    save(cats / "UPPER.JPEG", solid(near(RED, 3)), quality=95)
    save(non / "rgb.jpg", solid(BLUE, (100, 70)), quality=95)
    save(non / "palette.gif", solid(near(BLUE, 1)).convert("P", palette=Image.Palette.ADAPTIVE))
    save(non / "sixteen.png", Image.fromarray(np.full((80, 80), 40000, dtype=np.uint16)))
    save(non / "photo.webp", solid(near(BLUE, 2)), lossless=True)
    save(non / "photo.tif", solid(near(BLUE, 3)))
    save(non / "sub" / "blue.png", solid(near(BLUE, 4)))
    # ignored: hidden files, macOS resource forks, other extensions, hidden folders
    (cats / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (cats / "._rgb_wide.jpg").write_bytes(b"\x00\x05\x16\x07 not a jpeg")
    (non / "notes.txt").write_text("these are not cats")
    save(non / ".thumbnails" / "thumb.png", solid(RED))  # a red one: would break the labels test
    return d


def add_bad_files(d):
    (d / "cats" / "fake.jpg").write_text("I am text, not a JPEG")
    data = noise_jpeg_bytes()
    (d / "cats" / "cut.jpg").write_bytes(data[: len(data) // 2])
    save(d / "non-cats" / "tiny.png", solid(BLUE, (20, 20)))
    return ["cats/fake.jpg", "cats/cut.jpg", "non-cats/tiny.png"]


def make_many(d, n_cat, n_non):
    """n_cat red and n_non blue photos; the green channel numbers each photo (1, 2, ...)."""
    for i in range(n_cat):
        save(d / "cats" / f"c{i:02d}.png", solid((200, 1 + i, 0), (70 + i, 66)))
    for i in range(n_non):
        save(d / "non-cats" / f"n{i:02d}.png", solid((0, 101 + i, 200), (66, 70 + i)))
    return d


def read_h5(path):
    with h5py.File(path, "r") as f:
        return {k: (f[k][()], f[k].dtype, f[k].compression) for k in f}


def ids(x):
    """The green-channel number of each image made by make_many."""
    return sorted(int(v) for v in x[:, 32, 32, 1])


def files_in(folder):
    return sorted(p.name for p in Path(folder).iterdir()) if Path(folder).exists() else []


# --------------------------------------------------------------------------


def test_output_has_exactly_the_course_schema(photos, tmp_path):
    out = tmp_path / "out"
    bfp.build(photos, out)
    assert files_in(out) == ["test_catvnoncat.h5", "train_catvnoncat.h5"]
    for split in ("train", "test"):
        with h5py.File(ROOT / "datasets" / f"{split}_catvnoncat.h5", "r") as course, \
                h5py.File(out / f"{split}_catvnoncat.h5", "r") as mine:
            assert sorted(mine.keys()) == sorted(course.keys())
            for key in course:
                assert mine[key].dtype == course[key].dtype, key
                assert mine[key].compression == course[key].compression, key
                assert mine[key].shape[1:] == course[key].shape[1:], key
            assert mine["list_classes"][:].tolist() == [b"non-cat", b"cat"]
            assert mine["list_classes"].dtype == np.dtype("S7")
            assert mine[f"{split}_set_x"].dtype == np.uint8
            assert mine[f"{split}_set_y"].dtype == np.int64


def test_load_data_reads_it_and_labels_follow_the_folders(photos, tmp_path):
    out = tmp_path / "out"
    summary = bfp.build(photos, out)
    train_x, train_y, test_x, test_y, classes = dnn_utils.load_data(out)
    assert train_x.shape == (11, 64, 64, 3) and test_x.shape == (2, 64, 64, 3)
    assert train_y.shape == (1, 11) and test_y.shape == (1, 2)
    assert summary["train"] == {"non-cat": 5, "cat": 6} and summary["test"] == {"non-cat": 1, "cat": 1}
    x = np.concatenate([train_x, test_x]).astype(int)
    y = np.concatenate([train_y, test_y], axis=1).ravel()
    r, b = x[..., 0].mean(axis=(1, 2)), x[..., 2].mean(axis=(1, 2))
    red, blue = r - b > 60, b - r > 60
    assert red.sum() == 6 and blue.sum() == 5  # all but the greyscale cat and the 16-bit non-cat
    assert np.all(y[red] == 1) and np.all(y[blue] == 0)
    # the greyscale cat and the 16-bit non-cat came out as grey RGB
    grey = ~(red | blue)
    assert np.all(np.ptp(x[grey].mean(axis=(1, 2)), axis=1) < 12)
    assert sorted(summary["ignored"]) == ["non-cats/notes.txt"]


def test_images_are_centre_cropped(tmp_path):
    d = make_many(tmp_path / "p", 2, 2)
    wide = Image.new("RGB", (150, 90), (0, 255, 0))  # green borders left and right
    wide.paste((255, 0, 0), (30, 0, 120, 90))  # a red centre square of 90x90
    save(d / "cats" / "centre.png", wide)
    bfp.build(d, tmp_path / "out", test_fraction=0.01)
    x = np.concatenate(dnn_utils.load_data(tmp_path / "out")[0:3:2])
    centre = x[(x[:, 32, 32, 0] == 255) & (x[:, 32, 32, 1] == 0)]
    assert len(centre) == 1
    # squashed or cropped off-centre, the green border would show at an edge
    assert centre[0][..., 1].max() <= 8 and centre[0][..., 0].min() >= 245


def test_split_is_stratified(tmp_path):
    d = make_many(tmp_path / "p", 10, 15)
    summary = bfp.build(d, tmp_path / "out", test_fraction=0.2)
    assert summary["train"] == {"non-cat": 12, "cat": 8}
    assert summary["test"] == {"non-cat": 3, "cat": 2}
    tx, ty, vx, vy, _ = dnn_utils.load_data(tmp_path / "out")
    assert ids(np.concatenate([tx, vx])) == list(range(1, 11)) + list(range(101, 116))  # each photo once
    assert len(np.unique(ty[0, :10])) == 2  # shuffled: cats and non-cats mixed, not in blocks


def test_same_seed_same_files_other_seed_other_split(tmp_path):
    d = make_many(tmp_path / "p", 10, 10)
    runs = {}
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        bfp.build(d, tmp_path / name, seed=seed)
        runs[name] = dnn_utils.load_data(tmp_path / name)
    for got, want in zip(runs["a"], runs["b"]):
        np.testing.assert_array_equal(got, want)
    assert ids(runs["a"][2]) != ids(runs["c"][2])


def test_result_does_not_depend_on_listing_order(tmp_path, monkeypatch):
    d = make_many(tmp_path / "p", 6, 6)
    save(d / "cats" / "z" / "deep.png", solid((200, 50, 0)))
    bfp.build(d, tmp_path / "sorted")
    real_walk = os.walk

    def reversed_walk(top, *args, **kwargs):
        for root, dirs, files in real_walk(top, *args, **kwargs):
            dirs.reverse()
            files.reverse()
            yield root, dirs, files

    monkeypatch.setattr(os, "walk", reversed_walk)
    bfp.build(d, tmp_path / "reversed")
    for got, want in zip(dnn_utils.load_data(tmp_path / "reversed"), dnn_utils.load_data(tmp_path / "sorted")):
        np.testing.assert_array_equal(got, want)


def test_every_bad_file_is_named_and_nothing_is_written(photos, tmp_path):
    bad = add_bad_files(photos)
    out = tmp_path / "out"
    with pytest.raises(ValueError) as e:
        bfp.build(photos, out)
    msg = str(e.value)
    assert "3 of 16 images" in msg and "--skip-bad" in msg
    lines = {line.split(":")[0].strip(): line for line in msg.splitlines() if line.startswith("  ")}
    assert sorted(lines) == sorted(bad)
    assert "not an image" in lines["cats/fake.jpg"]
    assert "truncated" in lines["cats/cut.jpg"]
    assert "too small: 20x20" in lines["non-cats/tiny.png"] and "64" in lines["non-cats/tiny.png"]
    assert not out.exists()


def test_skip_bad_leaves_them_out_and_says_so(photos, tmp_path, capsys):
    bad = add_bad_files(photos)
    summary = bfp.build(photos, tmp_path / "out", skip_bad=True)
    err = capsys.readouterr().err.splitlines()
    assert sorted(line.split(":")[0] for line in err) == sorted(f"skipped {b}" for b in bad)
    assert sorted(name for name, _ in summary["skipped"]) == sorted(bad)
    counts = sum(summary[s][c] for s in ("train", "test") for c in ("cat", "non-cat"))
    assert counts == 13


def test_min_side_is_configurable(photos, tmp_path):
    with pytest.raises(ValueError, match=r"rgb_wide.jpg: too small: 120x80"):
        bfp.build(photos, tmp_path / "out", min_side=81)


def test_missing_or_empty_class_folder(tmp_path):
    d = tmp_path / "p"
    save(d / "cats" / "a.png", solid(RED))
    save(d / "dogs" / "b.png", solid(BLUE))
    with pytest.raises(FileNotFoundError) as e:
        bfp.build(d, tmp_path / "out")
    msg = str(e.value)
    assert "non-cats/" in msg and "expected" in msg and "found subfolders ['cats/', 'dogs/']" in msg
    (d / "non-cats").mkdir()
    (d / "non-cats" / "x.heic").write_bytes(b"heic")
    with pytest.raises(ValueError, match=r"non-cats/ holds no images.*found 1 other files: \.heic \(1\)"):
        bfp.build(d, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_class_needs_one_image_in_each_set(tmp_path):
    d = make_many(tmp_path / "p", 1, 5)
    with pytest.raises(ValueError, match=r"cats/ has 1 usable image"):
        bfp.build(d, tmp_path / "out")


def test_refuses_to_overwrite_without_force(tmp_path):
    d = make_many(tmp_path / "p", 4, 4)
    out = tmp_path / "out"
    bfp.build(d, out, seed=0)
    before = {n: (out / n).read_bytes() for n in files_in(out)}
    with pytest.raises(FileExistsError, match="--force"):
        bfp.build(d, out, seed=1)
    assert {n: (out / n).read_bytes() for n in files_in(out)} == before
    bfp.build(d, out, seed=1, force=True)
    assert files_in(out) == sorted(before)
    assert (out / "test_catvnoncat.h5").read_bytes() != before["test_catvnoncat.h5"]


def test_failed_write_keeps_old_pair_and_leaves_no_temp_files(tmp_path, monkeypatch):
    d = make_many(tmp_path / "p", 4, 4)
    out = tmp_path / "out"
    bfp.build(d, out, seed=0)
    before = {n: (out / n).read_bytes() for n in files_in(out)}
    real_write, calls = os.write, []

    def write_then_fail(fd, data):  # the train file is written, the test file fails: disk full
        calls.append(len(data))
        if len(calls) > 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", write_then_fail)
    with pytest.raises(OSError, match="not enough disk space to write the dataset pair.*No space") as e:
        bfp.build(d, out, seed=1, force=True)
    assert e.value.errno == errno.ENOSPC and len(calls) == 2
    assert {n: (out / n).read_bytes() for n in files_in(out)} == before  # no temp files either


def test_bad_arguments(photos, tmp_path):
    for kwargs in ({"test_fraction": 0}, {"test_fraction": 1.0}, {"seed": -1}, {"size": 0}):
        with pytest.raises(ValueError, match="must be"):
            bfp.build(photos, tmp_path / "out", **kwargs)
    with pytest.raises(FileNotFoundError, match="photos folder not found"):
        bfp.build(tmp_path / "nowhere", tmp_path / "out")


def test_command_line(tmp_path):
    d = make_many(tmp_path / "p", 3, 3)
    out = tmp_path / "out"
    run = lambda *args: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "dnnlib.datasets.build_from_photos", *map(str, args)],
        cwd=ROOT, capture_output=True, text=True, timeout=60)
    failed = run(tmp_path / "nowhere", "--out", out)
    assert failed.returncode == 2
    assert "photos folder not found" in failed.stderr and "Traceback" not in failed.stderr
    ok = run(d, "--out", out, "--test-fraction", "0.34", "--size", "32")
    assert ok.returncode == 0, ok.stderr
    assert "train: 4 images (2 cat, 2 non-cat)" in ok.stdout
    assert f'load_data("{out.as_posix()}")' in ok.stdout
    assert dnn_utils.load_data(out)[0].shape == (4, 32, 32, 3)
