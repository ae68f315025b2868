"""What nbgrader accepts, this grader accepts (issue 25, item 4): helpers, constants and imports the
student wrote in cells of their own count, as in nbgrader (which runs the whole notebook); the
test cells stay the instructor's; a graded function comes from its solution cell (grade_id);
the instructor's own cells (imports, demos) are not run; statements that do work in the
student's cells are not run, and are listed."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from classroom.grading import contract
from classroom.grading import course as course_module
from classroom.grading import runner, sandbox
from tests import grading_course as tiny

USES_HELPER = "def double(x):\n    return _twice(x)\n"
USES_CONSTANT = "def scale(x):\n    return FACTOR * x\n"
USES_IMPORT = "def double(x):\n    return mul(2, x)\n"

# {student: (notebook, points expected, graded-notes expected: 'none' / 'not run' / 'redefined')}
SUBMISSIONS = {
    "helper_in_own_cell": (tiny.notebook(double=USES_HELPER, extra=[(1, "def _twice(x):\n    return x + x\n")]), 3),
    "constant_in_own_cell": (tiny.notebook(scale=USES_CONSTANT, extra=[(1, "FACTOR = 3\n")]), 3),
    "import_in_own_cell": (tiny.notebook(double=USES_IMPORT, extra=[(1, "from operator import mul\n")]), 3),
    "all_three_in_one_cell": (tiny.notebook(double=USES_HELPER, scale=USES_CONSTANT, extra=[
        (0, "import math\nFACTOR = 3\n\n\ndef _twice(x):\n    return math.fsum([x, x])\n")]), 3),
    # a scratch cell that redefines the graded function wrongly: the solution cell's is graded
    "wrong_draft_in_own_cell": (tiny.notebook(extra=[(1, "def double(x):\n    return x  # first try\n"),
                                                     (5, "double = None\n")]), 3),
    # statements that do work are not run (they would print, or fail): listed in a note
    "work_in_own_cell": (tiny.notebook(extra=[(3, "print(double(2))\ny = double(5)\nassert False\n")]), 3),
    # a cell of their own cannot change a test: the instructor's test cells are what runs
    "test_in_own_cell": (tiny.notebook(double="def double(x):\n    return 0\n",
                                       extra=[(2, "def test_double():\n    pass\n")]), 1),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tiny.sandbox_or_skip()
    course = tiny.make(tmp_path_factory.mktemp("cells") / "course", gradebook=False)
    tiny.submit(course, "answers", tiny.notebook())
    for student, (nb, _) in SUBMISSIONS.items():
        tiny.submit(course, student, nb)
    results = course_module.grade_assignment(course, tiny.NAME, jobs=2, gradebook=False,
                                             limits=sandbox.Limits(cell_seconds=10))
    return {"course": course, "results": {r["student"]: r for r in results}}


@pytest.mark.parametrize("student", list(SUBMISSIONS))
def test_the_cells_a_student_added_count_as_in_a_notebook_run(graded, student):
    r = graded["results"][student]
    assert r["score"] == SUBMISSIONS[student][1], r


def test_the_instructors_cells_are_not_run_and_leave_no_note(graded):
    r = graded["results"]["answers"]
    assert r["score"] == 3 and r["notes"] == [], r


def test_statements_that_do_work_are_listed_not_run(graded):
    # print(...), y = double(5) (an assignment that calls: not a constant) and assert False
    notes = graded["results"]["work_in_own_cell"]["notes"]
    assert any(all(f"line {i}" in n for i in (1, 2, 3)) for n in notes), notes


def test_a_redefined_graded_function_is_named_in_a_note(graded):
    notes = graded["results"]["wrong_draft_in_own_cell"]["notes"]
    assert any("double" in n for n in notes), notes


# -- the rule, without a sandbox ---------------------------------------------------------------------------

def _assignment(tmp_path):
    course = tiny.make(tmp_path / "course", gradebook=False)
    return contract.load_course(course)[tiny.NAME]


def test_only_definitions_imports_and_constants_of_added_cells_are_loaded(tmp_path):
    """Constants may call numpy, math or builtins, and helpers may be lambdas (as nbgrader runs them);
    a call of a function by its own name (a demo, an experiment: y = double(5)) does work, and is
    not run; neither is a print."""
    a = _assignment(tmp_path)
    cell = ("import math\nC = 2.0\nD = math.sqrt(2)\nprint(C)\nE = double(5)\n"
            "F = lambda z: math.exp(double(z))\nG = tuple(float(x) for x in (1, 2))\n"
            "try:\n    from scipy.special import xlogy\nexcept ImportError:\n    xlogy = None\n\n\n"
            "def h():\n    return C\n")
    nb = tiny.notebook(extra=[(1, cell)])
    code, found, notes = runner.student_code(nb, a)
    added = [c for c in code if c["grade_id"] not in a.solutions]
    assert len(added) == 1
    kept = added[0]["source"].splitlines()                              # line numbers kept
    assert kept[:3] == ["import math", "C = 2.0", "D = math.sqrt(2)"] and kept[3] == kept[4] == ""
    assert kept[5].startswith("F = lambda") and kept[6].startswith("G = tuple") and kept[7] == "try:"
    assert "def h():" in kept
    assert found == {"double": "double", "scale": "scale"}
    assert any("line 4" in n and "line 5" in n and "line 6" not in n for n in notes), notes


def test_added_cells_keep_their_notebook_order_around_the_solution_cells(tmp_path):
    a = _assignment(tmp_path)
    nb = tiny.notebook(extra=[(0, "A = 1\n"), (3, "B = 2\n")])
    order = [c["grade_id"] for c in runner.student_code(nb, a)[0]]
    assert order == ["cell 1", "double", "cell 5", "scale"], order     # B lands 5th once A is in


@pytest.mark.slow  # nbgrader's own run of the notebook: the slow tier, with the classes nbgrader autogrades
def test_a_notebook_with_its_own_helper_cells_passes_nbgrader_validate(tmp_path):
    """The notebooks above are valid for nbgrader itself: it runs them whole and they pass."""
    nb_path = tmp_path / f"{tiny.NAME}.ipynb"
    nb_path.write_text(json.dumps(SUBMISSIONS["all_three_in_one_cell"][0]), encoding="utf-8")
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    proc = subprocess.run([sys.executable, "-m", "nbgrader", "validate", str(nb_path)], capture_output=True,
                          text=True, timeout=300, env=env, cwd=tmp_path, check=False)
    assert proc.returncode == 0 and "Success" in proc.stdout, proc.stdout[-2000:] + proc.stderr[-2000:]
