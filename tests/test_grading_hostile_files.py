"""Hostile submission files (issue 25, item 2): the grader opens no student file itself; the
notebook is read in a sandbox of its own (classroom/grading/extract.py), and what comes back is
checked again. A symbolic link out of the folder, a FIFO, a device, a hard link, a huge file,
deeply nested JSON, a notebook of the wrong shape, a deep folder tree, a file name that is not
UTF-8: each gives that student 0 with a reason naming the problem, and everyone else is graded;
the run ends with every student's result, feedback, summary row, CSV row and gradebook entry."""
from __future__ import annotations

import csv
import json
import os
import resource
import sqlite3
from pathlib import Path

import pytest

from classroom.grading import course as course_module
from classroom.grading import extract, runner, sandbox
from tests import grading_course as tiny

NB = f"{tiny.NAME}.ipynb"


def _deep_folders(folder: Path) -> None:
    deep = str(folder)
    for _ in range(1100):                # one level at a time (pathlib's mkdir(parents=True) recurses)
        deep += "/d"
        os.mkdir(deep)
    with open(deep + "/mine.ipynb", "w", encoding="utf-8") as f:
        json.dump(tiny.notebook(), f)


def _remove_deep_folders(folder: Path) -> None:
    """Remove what _deep_folders made, bottom up: shutil.rmtree recurses on Python 3.11, so pytest's
    own clean-up of old temporary folders would hit the recursion limit in a later run."""
    deep = str(folder)
    while os.path.isdir(deep + "/d"):
        deep += "/d"
    for name in os.listdir(deep):
        os.unlink(os.path.join(deep, name))
    while deep != str(folder):
        os.rmdir(deep)
        deep = os.path.dirname(deep)


def _hostile(course: Path) -> dict[str, tuple[callable, list[str]]]:
    """{student: (make their folder's content, facts the reason must name)}."""
    def nb_text(folder, text):
        (folder / NB).write_text(text, encoding="utf-8")

    def cell_changed(**change):
        nb = tiny.notebook()
        nb["cells"][1].update(change)
        return json.dumps(nb)

    def device(folder):
        try:
            os.mknod(folder / NB, 0o600 | 0o020000, os.makedev(1, 5))      # a character device (/dev/zero)
        except PermissionError:
            (folder / NB).symlink_to("/dev/zero")                            # not root: the link instead

    def huge(folder):
        (folder / NB).touch()
        os.truncate(folder / NB, 60 * 2 ** 20)          # 60 MB (sparse: nothing is written)

    return {
        "link_to_source": (lambda f: (f / NB).symlink_to(course / "source" / tiny.NAME / NB), ["source"]),
        "link_to_classmate": (lambda f: (f / NB).symlink_to(Path("../../honest") / tiny.NAME / NB), ["honest"]),
        "link_to_dev_zero": (lambda f: (f / NB).symlink_to("/dev/zero"), ["/dev/zero"]),
        "fifo": (lambda f: os.mkfifo(f / NB), ["FIFO"]),
        "device": (device, [NB]),
        # the instructor's notebook, answers included, under a second name (both names are one file)
        "hard_link": (lambda f: os.link(course / "source" / tiny.NAME / NB, f / NB), ["hard link"]),
        "huge_file": (huge, ["MB"]),
        "huge_cell": (lambda f: nb_text(f, cell_changed(source="def double(x):\n" + "    x = 1\n" * 700_000)),
                      ["characters"]),
        "deep_json": (lambda f: nb_text(f, "[" * 100_000 + "]" * 100_000), ["nest"]),
        "cells_is_text": (lambda f: nb_text(f, json.dumps({"cells": "x", "nbformat": 4})), ["cells"]),
        "metadata_is_text": (lambda f: nb_text(f, cell_changed(metadata="x")), ["metadata"]),
        "source_is_a_number": (lambda f: nb_text(f, cell_changed(source=5)), ["source"]),
        "lone_surrogate": (lambda f: nb_text(f, cell_changed(source="x = '\ud800'")), ["Unicode"]),
        "deep_folders": (_deep_folders, ["16"]),
        "not_utf8_name": (lambda f: (Path(os.fsdecode(os.fsencode(f) + b"/caf\xe9.ipynb"))
                                     .write_text(json.dumps(tiny.notebook()), encoding="utf-8")), ["\\xe9"]),
    }


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tiny.sandbox_or_skip()
    course = tiny.make_shared(tmp_path_factory, tmp_path_factory.mktemp("hostile") / "course")
    tiny.submit(course, "honest", tiny.notebook())
    inside = tiny.submit(course, "link_inside")
    (inside / "work").mkdir()
    (inside / "work" / "mine.ipynb").write_text(json.dumps(tiny.notebook()), encoding="utf-8")
    (inside / NB).symlink_to(Path("work") / "mine.ipynb")             # a link within the folder: fine
    hostile = _hostile(course)
    for student, (make, _) in hostile.items():
        make(tiny.submit(course, student))
    folder_link = course / "submitted" / "folder_link"
    folder_link.mkdir(parents=True)
    (folder_link / tiny.NAME).symlink_to(course / "source" / tiny.NAME)  # the whole folder is a link
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    results = course_module.grade_assignment(course, tiny.NAME, jobs=2,
                                             limits=sandbox.Limits(cell_seconds=10, read_seconds=20))
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    yield {"course": course, "results": {r["student"]: r for r in results}, "hostile": hostile,
           "grown_kb": grown}
    for deep in course.glob("submitted/deep_folders/*"):
        _remove_deep_folders(deep)


def test_honest_students_and_links_within_their_folder_get_full_marks(graded):
    for student in ("honest", "link_inside"):
        r = graded["results"][student]
        assert r["score"] == r["max"] == 3, r


@pytest.mark.parametrize("student", list(_hostile(Path("/course"))) + ["folder_link"])
def test_each_hostile_file_is_a_zero_with_a_reason_naming_it(graded, student):
    r = graded["results"][student]
    facts = graded["hostile"].get(student, (None, ["link"]))[1]
    assert r["score"] == 0, r
    for c in r["cells"].values():
        assert c["status"] in runner.NON_ANSWER_STATUSES and c["message"], c
        assert all(f in c["message"] for f in facts), (facts, c["message"])


def test_the_grader_does_not_grow_on_hostile_files(graded):
    # a link to /dev/zero or a 60 MB notebook read by the grader itself would add hundreds of MB
    assert graded["grown_kb"] < 150 * 1024, graded["grown_kb"]


def test_every_student_has_result_feedback_summary_csv_and_gradebook_entry(graded):
    course, results = graded["course"], graded["results"]
    students = sorted(results)
    assert len(students) == len(graded["hostile"]) + 3
    for s in students:
        assert (course / "grades" / "results" / tiny.NAME / f"{s}.json").is_file(), s
        assert (course / "feedback" / s / tiny.NAME / NB.replace(".ipynb", ".html")).is_file(), s
    summary = (course / "grades" / f"summary-{tiny.NAME}.txt").read_text(encoding="utf-8")
    assert all(s in summary for s in students if results[s]["score"] == 0)
    with open(course / "grades" / "grades.csv", encoding="utf-8") as f:
        rows = {row["student_id"]: row for row in csv.DictReader(f)}
    assert sorted(rows) == students
    with sqlite3.connect(course / "gradebook.db") as db:
        in_book = {name for (name,) in db.execute("SELECT student.id FROM student JOIN submitted_assignment "
                                                  "ON submitted_assignment.student_id = student.id")}
    assert in_book == set(students)


# -- the reader and the checks of its answer, without a sandbox ------------------------------------------

def test_reader_finds_renamed_notebooks_with_the_grader_rules(tmp_path):
    (tmp_path / "01_tiny-Copy1.ipynb").write_text(json.dumps(tiny.notebook()), encoding="utf-8")
    (tmp_path / "scratch.ipynb").write_text(json.dumps(tiny.notebook()), encoding="utf-8")
    d = extract.describe(str(tmp_path), tiny.NAME)
    assert d["ok"] and d["notebook"] == "01_tiny-Copy1.ipynb" and "renamed" in d["notes"][0], d
    assert [c["grade_id"] for c in d["cells"] if c["grade"]] == ["test_double", "test_scale"]
    (tmp_path / "01_tiny-Copy1.ipynb").unlink()
    d = extract.describe(str(tmp_path), tiny.NAME)          # the only notebook left is graded
    assert d["ok"] and d["notebook"] == "scratch.ipynb", d


def test_a_fifo_does_not_block_the_reader(tmp_path):
    os.mkfifo(tmp_path / NB)
    d = extract.describe(str(tmp_path), tiny.NAME)          # would hang forever on open() without O_NONBLOCK
    assert not d["ok"] and "FIFO" in d["reason"], d


@pytest.mark.parametrize("bad", [
    [], {"ok": True}, {"ok": "yes", "notes": [], "reason": "x"},
    {"ok": True, "notebook": "a.ipynb", "notes": [], "cells": "x"},
    {"ok": True, "notebook": "a.ipynb", "notes": [], "cells": [{"index": 0, "source": 5, "grade_id": None,
                                                                 "solution": False, "grade": False}]},
    {"ok": True, "notebook": "a.ipynb", "notes": [], "cells": [{"index": 0, "source": "x" * 300_000,
                                                                 "grade_id": None, "solution": False, "grade": False}]},
    {"ok": True, "notebook": "a.ipynb", "notes": [], "cells": [{"index": 0, "source": "", "grade_id": "\ud800",
                                                                 "solution": False, "grade": False}]},
    {"ok": True, "notebook": "a.ipynb", "notes": [], "cells": [{"index": 0, "source": "", "grade_id": None,
                                                                 "solution": 1, "grade": False}]},
    {"ok": True, "notebook": "a.ipynb", "notes": [], "cells": [], "extra": 1},
    {"ok": False, "notes": ["x"] * 100, "reason": "r"},
])
def test_the_grader_refuses_a_description_that_is_not_what_the_reader_writes(bad):
    with pytest.raises(runner.Unreadable):
        runner.validated(bad)


def test_a_well_formed_description_passes_the_checks():
    good = {"ok": True, "notebook": "a.ipynb", "notes": ["renamed"], "cells": [
        {"index": 3, "source": "def f():\n    return 1\n", "grade_id": "f", "solution": True, "grade": False}]}
    assert runner.validated(good) == good


def test_a_grader_failure_on_one_submission_is_that_students_zero_with_the_reason(tmp_path, monkeypatch):
    tiny.sandbox_or_skip()
    course = tiny.make(tmp_path / "course", gradebook=False)
    for s in ("alice", "bob"):
        tiny.submit(course, s, tiny.notebook())
    real = runner.grade

    def grade(job):
        if job.student == "alice":
            raise RuntimeError("an unforeseen bug")
        return real(job)

    monkeypatch.setattr(runner, "grade", grade)
    results = {r["student"]: r for r in course_module.grade_assignment(course, tiny.NAME, jobs=2, gradebook=False)}
    assert results["bob"]["score"] == 3
    alice = results["alice"]
    assert alice["score"] == 0 and all("unforeseen bug" in c["message"] for c in alice["cells"].values()), alice
    assert (course / "feedback" / "alice" / tiny.NAME / f"{tiny.NAME}.html").is_file()
    with open(course / "grades" / "grades.csv", encoding="utf-8") as f:
        assert {row["student_id"] for row in csv.DictReader(f)} == {"alice", "bob"}


def test_a_student_folder_whose_name_is_not_utf8_is_named_and_the_others_are_graded(tmp_path, tmp_path_factory):
    """Such a name has no place in nbgrader's gradebook, the CSV or the feedback (all text): the run
    grades everyone else, and the summary names the folder (its bytes) and what to do."""
    tiny.sandbox_or_skip()
    course = tiny.make_shared(tmp_path_factory, tmp_path / "course")    # with nbgrader's gradebook
    tiny.submit(course, "honest", tiny.notebook())
    tiny.submit(course, os.fsdecode(b"caf\xe9"), tiny.notebook())
    results = course_module.grade_assignment(course, tiny.NAME, jobs=2)
    assert [(r["student"], r["score"]) for r in results] == [("honest", 3)]
    summary = (course / "grades" / f"summary-{tiny.NAME}.txt").read_text(encoding="utf-8")
    assert "caf\\xe9" in summary and "not UTF-8" in summary and "rename" in summary, summary
    with sqlite3.connect(course / "gradebook.db") as db:
        assert [r[0] for r in db.execute("select id from student")] == ["honest"]


@pytest.mark.slow  # two whole gradings at once
def test_two_runs_at_once_on_one_course_grade_everyone(tmp_path):
    """A class being graded while a --student regrade of the same assignment starts: each run reads
    a folder of its own (grades/sandbox-lib/<assignment>-<run>), so neither zeroes the other's."""
    import threading

    tiny.sandbox_or_skip()
    course = tiny.make(tmp_path / "course", gradebook=False)
    students = [f"s{i}" for i in range(6)]
    for s in students:
        tiny.submit(course, s, tiny.notebook())
    got = {}

    def run(key, who):
        got[key] = course_module.grade_assignment(course, tiny.NAME, jobs=1, students=who, gradebook=False)

    runs = [threading.Thread(target=run, args=("class", students)),
            threading.Thread(target=run, args=("regrade", students[:2]))]
    for t in runs:
        t.start()
    for t in runs:
        t.join()
    assert {r["student"]: r["score"] for r in got["class"]} == dict.fromkeys(students, 3)
    assert [r["score"] for r in got["regrade"]] == [3, 3]
    assert not list((course / "grades" / "sandbox-lib").iterdir())      # each run removed its folder
