"""A one-assignment nbgrader course for the grader's tests (a few seconds to build, not the whole
classroom edition): `double(x)` and `scale(x)` to write, two test cells, instructor cells around
them. `notebook(...)` makes a student's notebook of it; `submit` hands one in."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.helpers import built_once, generate_assignments

ROOT = Path(__file__).resolve().parent.parent
NAME = "01_tiny"
ANSWERS = {"double": "def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION\n",
           "scale": "def scale(x):\n    ### BEGIN SOLUTION\n    return 3 * x\n    ### END SOLUTION\n"}
TESTS = {"test_double": "def test_double():\n    assert double(2) == 4, 'double(2) is 4'\n"
                        "    assert double(-1.5) == -3.0, 'double(-1.5) is -3'\n\n\ntest_double()\n",
         "test_scale": "def test_scale():\n    assert scale(2) == 6, 'scale(2) is 6'\n\n\ntest_scale()\n"}
INSTRUCTOR = ["import numpy as np\n", "print(double(3))\n"]


def cell(source: str, **nbgrader) -> dict:
    meta = {"nbgrader": dict(nbgrader, schema_version=3)} if nbgrader else {}
    return {"cell_type": "code", "metadata": meta, "source": source, "outputs": [], "execution_count": None}


def notebook(double: str | None = None, scale: str | None = None, extra: list[tuple[int, str]] = ()) -> dict:
    """A student's notebook: the instructor's cells, the two solution cells (the answers unless
    given), the test cells; `extra`: (position, source) cells the student added."""
    cells = [cell(INSTRUCTOR[0]),
             cell(double or ANSWERS["double"], solution=True, grade=False, locked=False, grade_id="double"),
             cell(TESTS["test_double"], solution=False, grade=True, locked=True, points=2, grade_id="test_double"),
             cell(INSTRUCTOR[1]),
             cell(scale or ANSWERS["scale"], solution=True, grade=False, locked=False, grade_id="scale"),
             cell(TESTS["test_scale"], solution=False, grade=True, locked=True, points=1, grade_id="test_scale")]
    for at, src in sorted(extra, reverse=True):
        cells.insert(at, cell(src))
    return {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                        "language": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


def make(path: Path, gradebook: bool = True) -> Path:
    """The course folder: source/01_tiny/ (notebook and a student module), nbgrader's config, and
    (gradebook=True) the gradebook made by `nbgrader generate_assignment`."""
    src = path / "source" / NAME
    src.mkdir(parents=True)
    (src / f"{NAME}.ipynb").write_text(json.dumps(notebook()), encoding="utf-8")
    (src / "dnn_utils.py").write_text('"""The student module of the tiny course."""\nimport numpy as np\n',
                                      encoding="utf-8")
    shutil.copyfile(ROOT / "classroom" / "nbgrader_config.py", path / "nbgrader_config.py")
    if gradebook:
        generate_assignments(path, [NAME])
    return path


def make_shared(tmp_path_factory, dest: Path) -> Path:
    """A copy at `dest` of the course `make` builds with its gradebook, built once a test session."""
    return built_once(tmp_path_factory, "tiny-course", make, dest)


def submit(course: Path, student: str, nb: dict | None = None, name: str | None = None) -> Path:
    folder = course / "submitted" / student / NAME
    folder.mkdir(parents=True, exist_ok=True)
    if nb is not None:
        (folder / (name or f"{NAME}.ipynb")).write_text(json.dumps(nb), encoding="utf-8")
    return folder


def sandbox_or_skip():
    from classroom.grading import sandbox

    ok, why = sandbox.available()
    if not ok:
        if os.environ.get("DNN_REQUIRE_SANDBOX") == "1":
            pytest.fail(f"DNN_REQUIRE_SANDBOX=1 but no sandbox: {why}")
        pytest.skip(f"no sandbox: {why}")
