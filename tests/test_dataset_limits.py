"""The dataset commands: sizes bounded before anything is allocated; duplicate photos."""
import pytest
from PIL import Image

from dnnlib.datasets import build_from_photos as bfp
from dnnlib.datasets import make_catvnoncat as mk
from tests.helpers import assert_names, raises_naming, run_module


def fail_if_called(*args, **kwargs):
    raise AssertionError("the work started before the arguments were checked")


@pytest.mark.parametrize("option", ["--n-train", "--n-test"])
def test_make_catvnoncat_bounds_the_number_of_images(tmp_path, monkeypatch, capsys, option):
    monkeypatch.setattr(mk, "make_dataset", fail_if_called)
    with pytest.raises(SystemExit) as info:
        mk.main(["--out", str(tmp_path / "out"), option, str(10**12)])
    assert info.value.code == 2
    assert_names(capsys.readouterr().err, option, str(mk.MAX_IMAGES), str(10**12))
    assert not (tmp_path / "out").exists()


def test_make_split_bounds_n():
    with raises_naming(ValueError, "n", str(mk.MAX_IMAGES), str(10**12)):
        mk.make_split(10**12, "train")


def test_build_from_photos_bounds_the_size(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(bfp, "build", fail_if_called)
    with pytest.raises(SystemExit) as info:
        bfp.main([str(tmp_path), "--out", str(tmp_path / "out"), "--size", "100000"])
    assert info.value.code == 2
    assert_names(capsys.readouterr().err, "--size", str(bfp.MAX_SIZE), "100000")
    monkeypatch.undo()
    with raises_naming(ValueError, "size", str(bfp.MAX_SIZE), "100000"):
        bfp.build(tmp_path, tmp_path / "out", size=100000)


def test_the_console_command_exits_2_on_a_huge_n(tmp_path):
    r = run_module("make_catvnoncat", "--out", tmp_path / "out", "--n-test", 10**12)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert_names(r.stderr, "--n-test", str(mk.MAX_IMAGES), str(10**12))


def photo(path, colour, size=(70, 70)):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path)


def test_exact_duplicates_stay_on_one_side_of_the_split(tmp_path, capsys):
    d = tmp_path / "p"
    for i in range(6):
        photo(d / "cats" / f"c{i}.png", (200, 10 * i, 0))
        photo(d / "non-cats" / f"n{i}.png", (0, 10 * i, 200))
    for copy in ("copy1.png", "copy2.png"):  # the same picture as c0, in other files
        photo(d / "cats" / copy, (200, 0, 0))
    photo(d / "cats" / "bigger.png", (200, 0, 0), (140, 140))  # the same after the resize
    for seed in range(6):
        summary = bfp.build(d, tmp_path / f"out{seed}", seed=seed, test_fraction=0.4)
        err = capsys.readouterr().err
        assert summary["duplicates"] == [["cats/bigger.png", "cats/c0.png", "cats/copy1.png", "cats/copy2.png"]]
        assert_names(err, "duplicates", "cats/c0.png", "cats/copy1.png", "cats/copy2.png", "cats/bigger.png")
        import dnn_utils
        train_x, _, test_x, _, _ = dnn_utils.load_data(tmp_path / f"out{seed}")
        train = {x.tobytes() for x in train_x}
        test = {x.tobytes() for x in test_x}
        assert not train & test
        assert len(train_x) + len(test_x) == 15


def test_one_photo_under_both_labels_is_refused(tmp_path):
    d = tmp_path / "p"
    for i in range(3):
        photo(d / "cats" / f"c{i}.png", (200, 10 * i, 0))
        photo(d / "non-cats" / f"n{i}.png", (0, 10 * i, 200))
    photo(d / "non-cats" / "odd.png", (200, 10, 0))  # c1 again
    with raises_naming(ValueError, "cats/c1.png", "non-cats/odd.png", "cat", "non-cat"):
        bfp.build(d, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    r = run_module("build_from_photos", d, "--out", tmp_path / "out")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert_names(r.stderr, "cats/c1.png", "non-cats/odd.png")


@pytest.mark.parametrize("args, facts", [
    (["--iterations", str(10**12)], ("--iterations", "100000", str(10**12))),
    (["--seeds", "0", "-3"], ("--seeds", ">= 0", "-3")),
    (["--seeds", *map(str, range(101))], ("--seeds", "100", "101")),
])
def test_baselines_bounds_its_arguments_before_training(monkeypatch, capsys, args, facts):
    from dnnlib.datasets import baselines

    monkeypatch.setattr(baselines, "compute_rows", fail_if_called)
    with pytest.raises(SystemExit) as info:
        baselines.main(args)
    assert info.value.code == 2
    assert_names(capsys.readouterr().err, *facts)
