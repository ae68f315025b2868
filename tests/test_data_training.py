"""dnn_utils with files and training: load_data, flatten_images, load_image,
save/load_parameters, L_layer_model / two_layer_model, and the plot helpers."""
import os
import re
import warnings
from pathlib import Path

import h5py
import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from PIL import Image  # noqa: E402

import dnn_utils as d  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module", autouse=True)
def one_blas_thread():
    """On a loaded 2-core machine, OpenBLAS threads spinning against each other make the
    training tests ~50x slower; one thread is plenty for these small products."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        yield
        return
    with threadpool_limits(1, user_api="blas"):
        yield


# ---------------------------------------------------------------------------
# A tiny dataset in the course's schema
# ---------------------------------------------------------------------------

def make_images(m, seed):
    """m 64x64x3 uint8 images, noise in [0, 100); label 1 puts a bright square at rows/cols 20..39."""
    rng = np.random.default_rng(seed)
    y = np.arange(m) % 2
    x = rng.integers(0, 100, size=(m, 64, 64, 3), dtype=np.uint8)
    x[y == 1, 20:40, 20:40, :] = 255
    return x, y.astype(np.int64)


def write_split(folder, split, x, y, **extra):
    with h5py.File(Path(folder) / f"{split}_catvnoncat.h5", "w") as f:
        data = {f"{split}_set_x": x, f"{split}_set_y": y, "list_classes": np.array([b"non-cat", b"cat"]), **extra}
        for k, v in data.items():
            if v is not None:
                f.create_dataset(k, data=v)


@pytest.fixture
def dataset(tmp_path):
    write_split(tmp_path, "train", *make_images(40, seed=1))
    write_split(tmp_path, "test", *make_images(20, seed=2))
    return tmp_path


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
    assert d.DATASETS_DIR == ROOT / "datasets"
    monkeypatch.chdir(tmp_path / "..")
    if (ROOT / "datasets" / "train_catvnoncat.h5").is_file() and (ROOT / "datasets" / "test_catvnoncat.h5").is_file():
        train_x, train_y, test_x, test_y, classes = d.load_data()
        assert train_x.ndim == 4 and train_x.shape[1:] == (64, 64, 3) and train_x.dtype == np.uint8
        assert train_y.shape == (1, train_x.shape[0]) and test_y.shape == (1, test_x.shape[0])
        assert set(np.unique(train_y)) <= {0, 1} and len(classes) == 2
    else:
        with pytest.raises(FileNotFoundError, match=re.escape(str(ROOT / "datasets"))):
            d.load_data()
    monkeypatch.setattr(d, "DATASETS_DIR", dataset)
    assert d.load_data()[0].shape == (40, 64, 64, 3)


@pytest.mark.parametrize("breakage, exc, match", [
    ("no folder", FileNotFoundError, "dataset folder not found"),
    ("no test file", FileNotFoundError, "dataset file not found: .*test_catvnoncat.h5"),
    ("not hdf5", ValueError, "is not an HDF5 file"),
    ("missing key", ValueError, r"missing \['test_set_y'\]; expected keys"),
    ("counts disagree", ValueError, "20 images but 19 labels"),
    ("label 2", ValueError, r"labels must be 0 or 1, found \[0, 1, 2\]"),
    ("grayscale", ValueError, r"\(m, height, width, 3\) uint8 images, found \(20, 64, 64\)"),
])
def test_load_data_errors(tmp_path, breakage, exc, match):
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
    with pytest.raises(exc, match=match):
        d.load_data(folder)


def test_flatten_images():
    # image 0 holds 0..5 (1x2 pixels, 3 channels), image 1 holds 6..11: each becomes a column /255
    images = np.arange(12, dtype=np.uint8).reshape(2, 1, 2, 3)
    X = d.flatten_images(images)
    assert X.shape == (6, 2) and X.dtype == np.float64
    np.testing.assert_allclose(X, np.array([range(6), range(6, 12)]).T / 255, rtol=1e-15)
    X32 = d.flatten_images(images, dtype=np.float32)
    assert X32.dtype == np.float32 and X32.max() == np.float32(11 / 255)


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
    from PIL import Image
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
    with pytest.raises(FileNotFoundError, match="image not found"):
        d.load_image(tmp_path / "missing.png")
    (tmp_path / "notes.png").write_text("not an image")
    with pytest.raises(ValueError, match="is not a readable image"):
        d.load_image(tmp_path / "notes.png")


# ---------------------------------------------------------------------------
# save_parameters / load_parameters
# ---------------------------------------------------------------------------

def test_save_load_round_trip(tmp_path):
    params = d.initialize_parameters([5, 4, 1], seed=0)
    params["W2"] = params["W2"].astype(np.float32)
    path = tmp_path / "model.npz"
    d.save_parameters(params, path)
    loaded = d.load_parameters(path)
    assert sorted(loaded) == sorted(params)
    for k in params:
        assert loaded[k].dtype == params[k].dtype
        np.testing.assert_array_equal(loaded[k], params[k])
    d.save_parameters(params, str(tmp_path / "no_suffix"))  # the exact name is kept
    assert sorted(os.listdir(tmp_path)) == ["model.npz", "no_suffix"]  # no temporary file left


@pytest.mark.parametrize("existing", [False, True])
def test_save_is_atomic(tmp_path, monkeypatch, existing):
    path = tmp_path / "model.npz"
    if existing:
        path.write_bytes(b"old contents")

    def failing_savez(file, **arrays):
        file.write(b"PK\x03\x04 half an archive")
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", failing_savez)
    with pytest.raises(OSError, match="disk full"):
        d.save_parameters(d.initialize_parameters([3, 1], seed=0), path)
    assert os.listdir(tmp_path) == (["model.npz"] if existing else [])
    if existing:
        assert path.read_bytes() == b"old contents"


def test_load_parameters_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="parameter file not found"):
        d.load_parameters(tmp_path / "missing.npz")
    with pytest.raises(FileNotFoundError, match="folder not found"):
        d.save_parameters(d.initialize_parameters([3, 1], seed=0), tmp_path / "nodir" / "m.npz")
    np.savez(tmp_path / "pickled.npz", W1=np.array([{"a": 1}], dtype=object), b1=np.zeros((1, 1)))
    with pytest.raises(ValueError, match="not a parameters .npz file of plain arrays"):
        d.load_parameters(tmp_path / "pickled.npz")
    (tmp_path / "text.npz").write_text("W1 = 1")
    with pytest.raises(ValueError, match=r"not a .npz archive \(a zip file\)"):
        d.load_parameters(tmp_path / "text.npz")
    np.save(tmp_path / "single.npy", np.zeros((2, 2)))
    with pytest.raises(ValueError, match="single .npy array, not a .npz archive"):
        d.load_parameters(tmp_path / "single.npy")
    (tmp_path / "cut.npz").write_bytes((tmp_path / "pickled.npz").read_bytes()[:30])
    with pytest.raises(ValueError, match="not a readable .npz file"):
        d.load_parameters(tmp_path / "cut.npz")
    np.savez(tmp_path / "partial.npz", W1=np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"missing \['b1'\]"):
        d.load_parameters(tmp_path / "partial.npz")


# ---------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------

@pytest.fixture
def flat_data(dataset):
    train_x, train_y, test_x, test_y, _ = d.load_data(dataset)
    return d.flatten_images(train_x), train_y, d.flatten_images(test_x), test_y


def assert_learnt(params, costs, n_costs, data):
    X, Y, X_test, Y_test = data
    assert len(costs) == n_costs
    assert all(b < a for a, b in zip(costs, costs[1:])), costs
    assert d.accuracy(d.predict(X, params), Y) == 1.0
    assert d.accuracy(d.predict(X_test, params), Y_test) >= 0.9


def test_L_layer_model_learns(flat_data):
    X, Y = flat_data[:2]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        params, costs = d.L_layer_model(X, Y, [X.shape[0], 5, 3, 1], learning_rate=0.05, num_iterations=201)
    assert sorted(params) == ["W1", "W2", "W3", "b1", "b2", "b3"]
    assert_learnt(params, costs, 3, flat_data)  # costs at iterations 0, 100, 200


def test_two_layer_model_learns(flat_data):
    X, Y = flat_data[:2]
    params, costs = d.two_layer_model(X, Y, (X.shape[0], 4, 1), learning_rate=0.1, num_iterations=300)
    assert sorted(params) == ["W1", "W2", "b1", "b2"]
    assert_learnt(params, costs, 3, flat_data)


def test_float32_training(flat_data):
    X, Y = flat_data[:2]
    params, costs = d.L_layer_model(X.astype(np.float32), Y, [X.shape[0], 5, 1], learning_rate=0.05,
                                    num_iterations=201, dtype=np.float32)
    assert all(v.dtype == np.float32 for v in params.values())
    assert all(isinstance(c, float) for c in costs)
    assert_learnt(params, costs, 3, flat_data)


@pytest.mark.parametrize("num_iterations, n_costs", [(1, 1), (100, 1), (101, 2), (250, 3)])
def test_number_of_costs(num_iterations, n_costs, capsys):
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((3, 8)), np.array([[0, 1] * 4])
    _, costs = d.L_layer_model(X, Y, [3, 2, 1], num_iterations=num_iterations)
    assert len(costs) == n_costs
    assert capsys.readouterr().out == ""  # print_cost defaults to False


def test_training_does_not_change_its_inputs():
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((3, 8)), np.array([[0, 1] * 4])
    X0, Y0 = X.copy(), Y.copy()
    d.L_layer_model(X, Y, [3, 2, 1], num_iterations=5)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(Y, Y0)


def test_divergence_is_reported():
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((4, 10)), (rng.random((1, 10)) > 0.5).astype(int)
    with warnings.catch_warnings(), pytest.raises(d.TrainingDivergedError) as info:
        warnings.simplefilter("error")
        d.L_layer_model(X, Y, [4, 5, 1], learning_rate=1e6, num_iterations=300)
    message = str(info.value)
    assert re.search(r"iteration \d+", message) and "smaller learning rate" in message
    assert isinstance(info.value, FloatingPointError)


def test_divergence_in_the_last_update_is_reported():
    """An update that overflows in the last iteration has no forward pass after it to show it."""
    rng = np.random.default_rng(0)
    X, Y = 10 * rng.standard_normal((4, 10)), np.array([[0, 1] * 5])
    with warnings.catch_warnings(), pytest.raises(d.TrainingDivergedError, match="iteration 0: its update"):
        warnings.simplefilter("error")
        d.L_layer_model(X, Y, [4, 1], learning_rate=1.5e308, num_iterations=1)
    # the same step with a sane rate trains without complaint
    parameters, _ = d.L_layer_model(X, Y, [4, 1], learning_rate=0.1, num_iterations=1)
    assert all(np.all(np.isfinite(v)) for v in parameters.values())


# ---------------------------------------------------------------------------
# Plots
# ---------------------------------------------------------------------------

@pytest.fixture
def rc_unchanged():
    before = dict(matplotlib.rcParams)
    yield
    after = dict(matplotlib.rcParams)
    changed = [k for k in before if str(before[k]) != str(after[k])]
    plt.close("all")
    assert not changed


def test_plot_costs(rc_unchanged):
    ax = d.plot_costs([0.7, 0.5, 0.3], learning_rate=0.01)
    assert isinstance(ax, matplotlib.axes.Axes) and len(ax.lines) == 1
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [0, 100, 200])
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), [0.7, 0.5, 0.3])
    assert "0.01" in ax.get_title()
    assert d.plot_costs([0.6, 0.1], every=50, ax=ax, label="b") is ax and len(ax.lines) == 2
    np.testing.assert_array_equal(ax.lines[1].get_xdata(), [0, 50])


def test_plot_images(rc_unchanged):
    images = np.zeros((5, 8, 8, 3), dtype=np.uint8)
    fig = d.plot_images(images, labels=np.array([[0, 1, 1, 0, 1]]), predictions=[1, 1, 0, 0, 1], ncols=3)
    assert isinstance(fig, matplotlib.figure.Figure)
    assert len(fig.axes) == 6  # 2 rows of 3
    assert [len(ax.images) for ax in fig.axes] == [1, 1, 1, 1, 1, 0]
    assert fig.axes[0].get_title() == "pred: cat\ntrue: non-cat"
    fig = d.plot_images(images[:2], labels=[1, 0])
    assert len(fig.axes) == 2 and fig.axes[0].get_title() == "cat"


def test_plot_decision_boundary(rc_unchanged):
    X = np.array([[-1.0, 1.0, 2.0, -2.0], [0.0, 1.0, -1.0, 0.5]])
    Y = np.array([[0, 1, 1, 0]])
    calls = []

    def predict_fn(G):
        calls.append(G.shape)
        return (G[:1] > 0).astype(int)

    ax = d.plot_decision_boundary(predict_fn, X, Y, resolution=30)
    assert isinstance(ax, matplotlib.axes.Axes)
    assert calls == [(2, 900)]
    offsets = [c.get_offsets() for c in ax.collections if len(c.get_offsets()) == 4]
    assert len(offsets) == 1
    np.testing.assert_array_equal(np.asarray(offsets[0]), X.T)
