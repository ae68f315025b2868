"""The shipped cat / non-cat dataset: the course's schema, regenerated exactly by its generator."""
import importlib.util
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest

import dnn_utils

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "datasets" / "make_catvnoncat.py"
spec = importlib.util.spec_from_file_location("make_catvnoncat", GENERATOR)
gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)


@pytest.fixture(scope="module")
def regenerated():
    return gen.make_dataset()  # the defaults: 209 train, 50 test, the default seed


@pytest.mark.parametrize("split, m", [("train", 209), ("test", 50)])
def test_committed_files_have_the_course_schema(split, m):
    with h5py.File(ROOT / "datasets" / f"{split}_catvnoncat.h5", "r") as f:
        assert sorted(f.keys()) == sorted([f"{split}_set_x", f"{split}_set_y", "list_classes"])
        x, y = f[f"{split}_set_x"], f[f"{split}_set_y"]
        assert x.shape == (m, 64, 64, 3) and x.dtype == np.uint8
        assert y.shape == (m,) and y.dtype == np.int64
        assert x.compression == "gzip"
        assert f["list_classes"][:].tolist() == [b"non-cat", b"cat"]
        assert set(np.unique(y[:]).tolist()) == {0, 1}


def test_generator_reproduces_the_committed_arrays(regenerated):
    train_x, train_y, test_x, test_y = regenerated
    tx, ty, vx, vy, classes = dnn_utils.load_data()
    for made, shipped in [(train_x, tx), (train_y.reshape(1, -1), ty), (test_x, vx), (test_y.reshape(1, -1), vy)]:
        assert made.dtype == shipped.dtype
        assert np.array_equal(made, shipped)


def test_seed_changes_the_images_and_classes_are_balanced(regenerated):
    other = gen.make_dataset(n_train=8, n_test=4, seed=gen.DEFAULT_SEED + 1)
    assert not np.array_equal(other[0], regenerated[0][:8])
    train_y = regenerated[1]
    assert 0.3 < np.mean(train_y) < 0.7


def test_colour_alone_does_not_separate_the_classes(regenerated):
    """Mean colour per class differs by little compared with its spread within a class."""
    train_x, train_y = regenerated[0], np.ravel(regenerated[1])
    mean_rgb = train_x.reshape(len(train_x), -1, 3).mean(axis=1)
    gap = np.abs(mean_rgb[train_y == 1].mean(0) - mean_rgb[train_y == 0].mean(0))
    spread = mean_rgb.std(0)
    assert np.all(gap < 0.5 * spread), (gap, spread)


def test_cli_writes_a_small_set(tmp_path):
    subprocess.run([sys.executable, str(GENERATOR), "--n-train", "6", "--n-test", "4", "--seed", "3",
                    "--out", str(tmp_path)], check=True, capture_output=True)
    tx, ty, vx, vy, classes = dnn_utils.load_data(tmp_path)
    assert tx.shape == (6, 64, 64, 3) and vx.shape == (4, 64, 64, 3)
    assert ty.shape == (1, 6) and vy.shape == (1, 4)
    assert not list(tmp_path.glob("*.tmp"))
    expected = gen.make_dataset(6, 4, 3)
    assert np.array_equal(tx, expected[0]) and np.array_equal(vx, expected[2])


def test_preview_script_writes_a_png(tmp_path):
    out = tmp_path / "preview.png"
    subprocess.run([sys.executable, str(ROOT / "datasets" / "make_preview.py"), "--out", str(out)],
                   check=True, capture_output=True)
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (608, 352)     # 8 x 4 images, 0.95 x 1.1 inches each, at 80 dpi
    assert len(data) < 250_000
    assert not list(tmp_path.glob("*.tmp"))
