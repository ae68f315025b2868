"""dnnlib.datasets.build_from_photos on awkward photo folders: a FIFO among the photos (it used
to hang), images that cannot be decoded safely, an output folder that cannot be written (found
before a single photo is read), folders linked in a loop or unreadable (reported, never skipped
in silence). Each is a clear error naming the file or folder and what is wrong with it.

The tool's normal use, formats and options: tests/test_build_from_photos.py.
"""
import os
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from dnnlib.datasets import build_from_photos as bfp
from tests.helpers import assert_names, gif_bytes, png_claiming_size, raises_naming, returns, run_module


def two_class_photos(folder, n=2):
    """folder/cats and folder/non-cats with n usable 70x70 PNGs each; returns folder."""
    for name in ("cats", "non-cats"):
        (folder / name).mkdir(parents=True)
        for i in range(n):
            # every picture different (duplicates across the labels are refused)
            Image.new("RGB", (70, 70), (i * 90, 0, 0 if name == "cats" else 120)).save(folder / name / f"ok{i}.png")
    return folder


def test_fifo_among_the_photos(tmp_path):
    two_class_photos(tmp_path / "p")
    os.mkfifo(tmp_path / "p" / "cats" / "camera.jpg")
    e = returns(lambda: bfp.build(tmp_path / "p", tmp_path / "out"))
    assert isinstance(e, ValueError)
    assert_names(e, "cats/camera.jpg", "FIFO", "named pipe", "photo", "regular file")
    summary = {}
    assert returns(lambda: summary.update(bfp.build(tmp_path / "p", tmp_path / "out", skip_bad=True))) is None
    assert [name for name, _ in summary["skipped"]] == ["cats/camera.jpg"]


def test_bad_image_reasons_in_build_from_photos(tmp_path):
    two_class_photos(tmp_path / "p")
    (tmp_path / "p" / "cats" / "huge.png").write_bytes(png_claiming_size(16_384, 12_288))
    (tmp_path / "p" / "cats" / "broken.gif").write_bytes(gif_bytes()[:30])
    with pytest.raises(ValueError) as e:
        bfp.build(tmp_path / "p", tmp_path / "out")
    lines = {line.split(":")[0].strip(): line for line in str(e.value).splitlines() if line.startswith("  ")}
    assert sorted(lines) == ["cats/broken.gif", "cats/huge.png"]
    assert_names(lines["cats/huge.png"], "too large", "decode")


def test_output_folder_that_cannot_be_written_is_found_before_reading_photos(tmp_path, monkeypatch):
    two_class_photos(tmp_path / "p", n=1)
    read = []
    monkeypatch.setattr(bfp, "read_photo", lambda *a: read.append(a) or (None, "unused"))
    (tmp_path / "afile").write_text("x")
    with raises_naming(FileExistsError, "output folder", str(tmp_path / "afile" / "out"), "afile is a file"):
        bfp.build(tmp_path / "p", tmp_path / "afile" / "out")
    ro = tmp_path / "ro"
    ro.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(ro)], capture_output=True)
    if r.returncode == 0:
        try:
            with raises_naming(OSError, "dataset", str(ro / "out"), "Read-only file system"):
                bfp.build(tmp_path / "p", ro / "out")
            cli = run_module("build_from_photos", tmp_path / "p", "--out", ro / "out")
            assert cli.returncode == 2 and "Traceback" not in cli.stderr
            assert_names(cli.stderr, "Read-only file system")
        finally:
            subprocess.run(["umount", "-l", str(ro)])
    assert read == []  # not a single photo was read


def test_build_from_photos_does_not_skip_unreadable_or_linked_folders_in_silence(tmp_path):
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
    with raises_naming(ValueError, "cats/loop/", "symbolic link", "already searched"):
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
        with raises_naming(ValueError, "non-cats/locked/", "cannot be read", "Permission denied"):
            bfp.build(photos, tmp_path / "out3")
    finally:
        os.scandir = real_scandir


def test_out_of_memory_while_decoding_a_photo_is_out_of_memory_not_corrupt(tmp_path, monkeypatch, capsys):
    two_class_photos(tmp_path / "p")
    real_load_image = bfp.load_image

    def load_image(path, size):  # decoding one valid photo runs out of memory, as load_image says it
        if Path(path).as_posix().endswith("non-cats/ok1.png"):
            raise MemoryError(f"out of memory while decoding {path}: the image is not corrupt")
        return real_load_image(path, size=size)

    monkeypatch.setattr(bfp, "load_image", load_image)
    for skip_bad in (False, True):  # never a skipped "bad" photo either
        with raises_naming(MemoryError, "out of memory", "non-cats/ok1.png", "not corrupt",
                           "nothing was written") as e:
            bfp.build(tmp_path / "p", tmp_path / "out", skip_bad=skip_bad)
        assert "cannot be decoded" not in str(e.value) and "truncated" not in str(e.value)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert bfp.main([str(tmp_path / "p"), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert_names(err, "error", "out of memory", "non-cats/ok1.png")
    assert "Traceback" not in err


def test_out_of_memory_while_assembling_the_dataset_is_out_of_memory(tmp_path, monkeypatch):
    two_class_photos(tmp_path / "p")

    def no_memory(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(bfp.np, "stack", no_memory)
    with raises_naming(MemoryError, "out of memory", "4 photos", "nothing was written"):
        bfp.build(tmp_path / "p", tmp_path / "out")
    assert not list((tmp_path / "out").glob("*.h5"))
