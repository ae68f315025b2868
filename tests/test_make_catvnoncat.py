"""dnnlib.datasets.make_catvnoncat, the generator of the shipped cat / non-cat dataset: the
course's schema, the committed files regenerated exactly, write_pair's pair (one pair id,
byte-identical for the same data), and its command (dnn-make-catvnoncat): what it writes, and
that it writes nowhere without --out.

Its atomic writes (full disk, killed runs, umask): tests/test_files.py. load_data refusing a
mixed pair: tests/test_data.py.
"""
import h5py
import numpy as np
import pytest

import dnn_utils
from dnnlib.datasets import make_catvnoncat as gen
from tests.helpers import (ROOT, assert_command_writes_nowhere_by_default, assert_names, leftovers, random_pair,
                           run_module)


@pytest.fixture(scope="module")
def regenerated_folder(tmp_path_factory):
    """The pair written again by the command's main with its defaults: 209 train, 50 test, the default seed."""
    out = tmp_path_factory.mktemp("regenerated")
    assert gen.main(["--out", str(out)]) in (0, None)
    return out


@pytest.fixture(scope="module")
def regenerated(regenerated_folder):
    """(train_x, train_y, test_x, test_y) as make_dataset returns them, read from the regenerated pair."""
    train_x, train_y, test_x, test_y, _ = dnn_utils.load_data(regenerated_folder)
    return train_x, train_y.ravel(), test_x, test_y.ravel()


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


def h5_content(path):
    """What a reader of the file gets: each dataset's dtype, shape, compression and values, and the attributes."""
    with h5py.File(path, "r") as f:
        datasets = {name: (d.dtype.str, d.shape, d.compression, d.compression_opts, d[()].tobytes())
                    for name, d in f.items()}
        return datasets, {key: np.asarray(value).tolist() for key, value in f.attrs.items()}


def test_regenerating_the_shipped_dataset_gives_the_same_bytes(regenerated_folder):
    for split in ("train", "test"):
        name = f"{split}_catvnoncat.h5"
        new, shipped = regenerated_folder / name, ROOT / "datasets" / name
        assert h5_content(new) == h5_content(shipped), name
        if new.read_bytes() != shipped.read_bytes():
            # gzip's bytes depend on the zlib inside h5py's wheel (h5py < 3.16 compress the same data
            # differently): then the writer, given the shipped file's content, must give these bytes
            with h5py.File(shipped, "r") as f:
                x, y = f[f"{split}_set_x"][()], f[f"{split}_set_y"][()]
                attrs = dict(f.attrs)
            rewritten = gen.h5_image(split, x, y, attrs["pair_id"], attrs[gen.GENERATOR_ATTR])
            assert rewritten == new.read_bytes(), name


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
    run_module("make_catvnoncat", "--n-train", "6", "--n-test", "4", "--seed", "3", "--out", tmp_path, check=True)
    tx, ty, vx, vy, classes = dnn_utils.load_data(tmp_path)
    assert tx.shape == (6, 64, 64, 3) and vx.shape == (4, 64, 64, 3)
    assert ty.shape == (1, 6) and vy.shape == (1, 4)
    assert not list(tmp_path.glob("*.tmp"))
    expected = gen.make_dataset(6, 4, 3)
    assert np.array_equal(tx, expected[0]) and np.array_equal(vx, expected[2])


def test_command_writes_nowhere_by_default(tmp_path):
    """Without --out it stops, says so, and writes nothing: a clone and an install behave alike."""
    assert_command_writes_nowhere_by_default("make_catvnoncat", tmp_path)


def test_command_reports_an_unwritable_folder_at_once(tmp_path):
    (tmp_path / "afile").write_text("x")
    r = run_module("make_catvnoncat", "--out", tmp_path / "afile")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert_names(r.stderr, "afile", "is a file")


# --------------------------------------------------------------------------- write_pair

def test_written_pair_loads_and_carries_one_id(tmp_path):
    train, test = random_pair(1)
    gen.write_pair(tmp_path, train, test)
    tx, ty, vx, vy, classes = dnn_utils.load_data(tmp_path)
    np.testing.assert_array_equal(tx, train[0])
    np.testing.assert_array_equal(vy[0], test[1])
    assert leftovers(tmp_path) == []


def test_same_data_gives_byte_identical_files(tmp_path):
    for name in ("a", "b"):
        gen.write_pair(tmp_path / name, *random_pair(1))
    for f in ("train_catvnoncat.h5", "test_catvnoncat.h5"):
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes()
