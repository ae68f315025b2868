"""dnn-course-check (dnnlib/coursecheck.py): the course's expected outputs next to ours, without test tools.

* a missing folder, a file, a folder without the files, a tiny fake dataset or the shipped drawings
  are each a clear error on stderr, exit status 2;
* the folder defaults to $DNN_DATA_DIR;
* the comparison marks a cost off by more than the course's printed decimals, or an accuracy off by
  one image, and the exit status is then 1;
* with the course's own files (opt-in: DNN_COURSE_DATA=folder), every value agrees, exit status 0.
"""
import os
import subprocess
import sys

import numpy as np
import pytest

from dnnlib import coursecheck
from tests.helpers import ROOT, assert_names, course_pair, make_images, write_split


def run_check(*args, env=None):
    environ = {k: v for k, v in os.environ.items() if k != "DNN_DATA_DIR"}
    environ.update(env or {})
    return subprocess.run([sys.executable, "-m", "dnnlib.coursecheck", *map(str, args)], cwd=ROOT, env=environ,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture
def tiny(tmp_path):
    """A tiny dataset in the course's format: 4 training and 2 test images."""
    write_split(tmp_path, "train", *make_images(4, seed=1))
    write_split(tmp_path, "test", *make_images(2, seed=2))
    return tmp_path


def test_a_missing_folder_is_named_with_exit_status_2(tmp_path):
    r = run_check(tmp_path / "nowhere")
    assert r.returncode == 2 and r.stdout == ""
    assert_names(r.stderr, str(tmp_path / "nowhere"), "not a folder", "train_catvnoncat.h5")


def test_a_file_in_place_of_the_folder_is_named_with_exit_status_2(tmp_path):
    (tmp_path / "f.h5").write_bytes(b"x")
    r = run_check(tmp_path / "f.h5")
    assert r.returncode == 2
    assert_names(r.stderr, str(tmp_path / "f.h5"), "not a folder", "a file")


def test_a_folder_without_the_files_names_the_missing_file(tmp_path):
    r = run_check(tmp_path)
    assert r.returncode == 2
    assert_names(r.stderr, "train_catvnoncat.h5", "not found")
    assert "Traceback" not in r.stderr


def test_a_damaged_file_is_a_clear_error(tiny):
    (tiny / "test_catvnoncat.h5").write_bytes(b"not an hdf5 file at all")
    r = run_check(tiny)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert_names(r.stderr, "test_catvnoncat.h5", "not an HDF5 file")


def test_a_tiny_fake_dataset_is_not_the_courses(tiny):
    r = run_check(tiny)
    assert r.returncode == 2 and r.stdout == ""
    assert_names(r.stderr, str(tiny), "4 training", "2 test", "209", "50")


def test_the_shipped_drawings_are_not_the_courses_files(tmp_path):
    r = run_check(course_pair(tmp_path))   # the shipped pair, even without its pair id
    assert r.returncode == 2
    assert_names(r.stderr, "shipped drawings", "209", "50")


def test_no_folder_and_no_DNN_DATA_DIR_is_a_usage_error():
    r = run_check()
    assert r.returncode == 2
    assert_names(r.stderr, "no folder", "DNN_DATA_DIR")


def test_the_folder_defaults_to_DNN_DATA_DIR(tiny):
    r = run_check(env={"DNN_DATA_DIR": str(tiny)})
    assert r.returncode == 2
    assert_names(r.stderr, str(tiny), "4 training")   # it read that folder


def test_the_comparison_accepts_the_course_values_at_their_printed_precision():
    lines = []
    costs = [c + 4e-7 for c in coursecheck.COURSE_L_LAYER_COSTS]   # within half a unit of the 6th decimal
    assert coursecheck.compare("L_layer", costs, 206 / 209, 40 / 50, 209, 50, out=lines.append) == 0
    assert len(lines) == 1 + 25 + 2
    assert coursecheck.compare("two_layer", list(coursecheck.COURSE_TWO_LAYER_COSTS), 1.0, 0.72, 209, 50,
                               out=lines.append) == 0


def test_the_comparison_counts_a_cost_or_an_accuracy_that_differs():
    costs = list(coursecheck.COURSE_TWO_LAYER_COSTS)
    costs[7] += 2e-6
    lines = []
    assert coursecheck.compare("two_layer", costs, 1.0, 0.72, 209, 50, out=lines.append) == 1
    assert sum("differs" in line for line in lines) == 1 and "700" in next(x for x in lines if "differs" in x)
    # one test image fewer, and a table cut short, are differences too
    assert coursecheck.compare("two_layer", coursecheck.COURSE_TWO_LAYER_COSTS, 1.0, 0.70, 209, 50,
                               out=lambda _: None) == 1
    assert coursecheck.compare("L_layer", coursecheck.COURSE_L_LAYER_COSTS[:20], 206 / 209, 0.8, 209, 50,
                               out=lambda _: None) == 5


def test_main_exits_1_when_a_value_differs_and_0_when_all_agree(monkeypatch, capsys, tmp_path):
    fake = (np.zeros((3, 209)), np.zeros((1, 209)), np.zeros((3, 50)), np.zeros((1, 50)))
    monkeypatch.setattr(coursecheck, "load_course_data", lambda folder: fake)
    exact = {"two_layer": (list(coursecheck.COURSE_TWO_LAYER_COSTS), 1.0, 0.72),
             "L_layer": (list(coursecheck.COURSE_L_LAYER_COSTS), 206 / 209, 0.8)}
    monkeypatch.setattr(coursecheck, "run_model", lambda model, data, fast=False: exact[model])
    assert coursecheck.main([str(tmp_path), "--fast"]) == 0
    off = {**exact, "L_layer": (list(coursecheck.COURSE_L_LAYER_COSTS), 206 / 209, 0.78)}
    monkeypatch.setattr(coursecheck, "run_model", lambda model, data, fast=False: off[model])
    assert coursecheck.main([str(tmp_path)]) == 1
    assert "1 of 54" in capsys.readouterr().out


@pytest.fixture
def course_folder():
    folder = os.environ.get("DNN_COURSE_DATA")
    if not folder:
        pytest.skip("set DNN_COURSE_DATA to a folder holding the course's train_catvnoncat.h5 and "
                    "test_catvnoncat.h5 to run the course check on them")
    return folder


@pytest.mark.parametrize("fast", [True, False])
def test_the_course_files_agree_with_every_course_value(course_folder, fast):
    r = run_check(course_folder, *(["--fast"] if fast else []))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "differs" not in r.stdout
    rows = [line.split() for line in r.stdout.splitlines() if line.strip()[:1].isdigit()]
    assert len(rows) == 50 and all(abs(float(a) - float(b)) <= 1e-6 for _, a, b in rows)
