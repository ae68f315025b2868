"""The classroom edition: nbgrader releases generated from the series, and graded.

One course folder is built in a temporary directory (classroom/build.py), every
assignment's student release is generated with `nbgrader generate_assignment`, and
submissions are auto-graded with `nbgrader autograde`, offline:

* "untouched": the release as handed out        -> 0 points on every graded cell
* "solutions": the release with the instructor's answers pasted in -> full points
* one student per bug of the blog post           -> the affected cells lose points,
                                                    with a message naming the bug

By default the release is checked (markup, no answer handed out, the student module); the
autograded class, `nbgrader validate` and `nbgrader export` are the slow tier (`pytest -m slow`,
README), with the solutions student's 06 trained in the student's own loop.
"""
from __future__ import annotations

import ast
import contextlib
import os
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
from classroom import build  # noqa: E402
from tests.helpers import POINTS, course_copy, with_fast_path  # noqa: E402

ASSIGNMENTS = build.ASSIGNMENTS

# The blog post's bugs (blog_post_bugs.py): a student whose answer is the instructor's with one
# function replaced by the blog post's version of it.
# (assignment, that function, cells that must lose points, cells of the same notebook that
#  must keep full points, what the message must say)
BUGS = {
    "bug_AW": ("02_forward_propagation", "linear_forward", ["test_linear_forward"], [], "A·W"),
    "bug_A_prev": ("02_forward_propagation", "L_model_forward", ["test_L_model_forward"],
                   ["test_linear_forward", "test_linear_activation_forward"], "A_prev"),
    "bug_Z_lt_0": ("04_backward_propagation", "relu_backward", ["test_sigmoid_backward"],
                   ["test_linear_backward", "test_L_model_backward"], "Z <= 0"),
    "bug_no_1_over_m": ("04_backward_propagation", "linear_backward",
                        ["test_linear_backward", "test_L_model_backward"], ["test_sigmoid_backward"],
                        "times too large"),
}


def with_blog_version(source: str, name: str) -> str:
    """A solution cell with the function `name` replaced by the blog post's version of it."""
    lines = source.splitlines()
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            lines[first - 1:node.end_lineno] = [f"from blog_post_bugs import {name}  # the blog post's version"]
            return "\n".join(lines)
    raise AssertionError(f"{name} is not defined in this solution cell")


# Lines that an answer shares with ordinary code the release must show: how the course's
# functions are called (every course shows that) and bare control flow.
ALLOWED_SHARED_LINES = {
    "AL, caches = L_model_forward(X, parameters)",
    "grads = L_model_backward(AL, Y, caches)",
    "else:",
}


def nbgrader(course: Path, *args: str, env: dict | None = None) -> str:
    """Run one nbgrader command in the course folder; fail the test with its output if it fails."""
    run_env = dict(os.environ, **(env or {}))
    # nbgrader calls the `alembic` script of its own environment when it creates the gradebook
    run_env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + run_env.get("PATH", "")
    proc = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=run_env,
                          capture_output=True, text=True, timeout=1800)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{output[-4000:]}"
    return output


def solution_regions(nb) -> dict[str, str]:
    """{grade_id: source} of the solution cells."""
    return {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells
            if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")}


def answered(release_nb, source_nb, bug=None):
    """The release notebook with the instructor's answers pasted into its solution cells
    (with the blog post's version of the function `bug`, if given)."""
    nb = nbformat.from_dict(release_nb)
    answers = solution_regions(source_nb)
    for cell in nb.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            cell.source = answers[grade_id]
            if bug and any(isinstance(n, ast.FunctionDef) and n.name == bug for n in ast.parse(cell.source).body):
                cell.source = with_blog_version(cell.source, bug)
    return nb


def submit(course: Path, student: str, assignment: str, nb) -> None:
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{assignment}.ipynb")


def scores(course: Path, student: str, assignment: str) -> dict[str, tuple[float, float]]:
    from nbgrader.api import Gradebook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
            sub = gb.find_submission_notebook(assignment, assignment, student)
            return {g.name: (g.score, g.max_score) for g in sub.grades}


def error_messages(course: Path, student: str, assignment: str) -> dict[str, str]:
    """{grade_id: the error the student sees} for the graded cells that failed."""
    nb = nbformat.read(course / "autograded" / student / assignment / f"{assignment}.ipynb", 4)
    out = {}
    for cell in nb.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        for o in cell.get("outputs", []):
            if o.output_type == "error":
                out[grade_id or f"cell: {cell.source[:60]!r}"] = f"{o.ename}: {o.evalue}"
    return out


def nbgrader_api(course: Path):
    """nbgrader's own Python API on the course folder: one process, no start-up per command."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    config.CourseDirectory.root = str(course)
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def succeeded(result: dict, what: str) -> None:
    assert result["success"], f"{what} failed:\n{result.get('error')}\n{result.get('log', '')[-4000:]}"


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """The course folder built from the series, with every assignment's student release."""
    return course_copy(tmp_path_factory, "classroom")


@contextlib.contextmanager
def nbgrader_environment(course_dir: Path | None = None):
    """PATH and DNN_COURSE_DIR as nbgrader's in-process API needs them, restored afterwards."""
    with pytest.MonkeyPatch.context() as env:
        # nbgrader runs the `alembic` script of its own environment when it creates the gradebook
        env.setenv("PATH", os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
        if course_dir is not None:
            # A bug student hands in one assignment; for the earlier steps it uses, the kernels find
            # the solutions student's graded work (see _yours in the student module).
            env.setenv("DNN_COURSE_DIR", str(course_dir))
        yield


@pytest.fixture(scope="module")
def course(released):
    """The released course with its class autograded: untouched, solutions, one student per bug.
    The solutions student's 06 trains its two networks with the fast path (with_fast_path: every
    cell still runs, and the cell comparing the student's loop with the fast path runs the student's
    functions); test_solutions_train_06_with_their_own_loop (slow tier) grades it as released."""
    course = released
    with nbgrader_environment(course / "autograded" / "solutions"), warnings.catch_warnings():
        warnings.simplefilter("ignore")          # SQLAlchemy's warnings from inside nbgrader
        api = nbgrader_api(course)
        source = {a: nbformat.read(course / "source" / a / f"{a}.ipynb", 4) for a in ASSIGNMENTS}
        release = {a: nbformat.read(course / "release" / a / f"{a}.ipynb", 4) for a in ASSIGNMENTS}
        students = {"untouched": {}, "solutions": {}}
        for a in ASSIGNMENTS:
            students["untouched"][a] = release[a]
            students["solutions"][a] = answered(release[a], source[a])
        with_fast_path(students["solutions"]["06_cat_classifier"])
        for student, (a, name, *_rest) in BUGS.items():
            students[student] = {a: answered(release[a], source[a], bug=name)}
        # in order, so that each assignment finds the student's earlier ones
        for a in ASSIGNMENTS:
            for student, work in students.items():
                if a in work:
                    submit(course, student, a, work[a])
                    succeeded(api.autograde(a, student, force=True, create=True), f"autograde {a} {student}")
    return course


@pytest.mark.slow
def test_solutions_train_06_with_their_own_loop(released, tmp_path):
    """The instructor's answers to 06, as released (FAST = False: both networks trained for 2500
    iterations with the student's own functions), autograde to full marks without an error."""
    a = "06_cat_classifier"
    course = released
    # the student's earlier assignments, answered, where the 06 kernel finds them (DNN_COURSE_DIR)
    for earlier in ASSIGNMENTS[:ASSIGNMENTS.index(a)]:
        (tmp_path / earlier).mkdir()
        nbformat.write(answered(nbformat.read(course / "release" / earlier / f"{earlier}.ipynb", 4),
                                nbformat.read(course / "source" / earlier / f"{earlier}.ipynb", 4)),
                       tmp_path / earlier / f"{earlier}.ipynb")
    work = answered(nbformat.read(course / "release" / a / f"{a}.ipynb", 4),
                    nbformat.read(course / "source" / a / f"{a}.ipynb", 4))
    assert any(line.strip() == "FAST = False" for c in work.cells for line in c.source.splitlines())
    student = "solutions_own_loop"
    with nbgrader_environment(tmp_path), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        submit(course, student, a, work)
        succeeded(nbgrader_api(course).autograde(a, student, force=True, create=True), f"autograde {a} {student}")
    grades = scores(course, student, a)
    assert grades and all(score == max_score for score, max_score in grades.values()), grades
    assert error_messages(course, student, a) == {}


@pytest.mark.slow
def test_every_assignment_has_graded_cells(course):
    for a in ASSIGNMENTS:
        grades = scores(course, "solutions", a)
        assert grades, f"{a} has no graded cell"


@pytest.mark.slow
def test_untouched_release_scores_zero(course):
    for a in ASSIGNMENTS:
        for cell, (score, max_score) in scores(course, "untouched", a).items():
            assert max_score > 0 and score == 0, f"{a} {cell}: {score}/{max_score} for the untouched release"


@pytest.mark.slow
def test_instructor_answers_score_full_marks_without_errors(course):
    for a in ASSIGNMENTS:
        for cell, (score, max_score) in scores(course, "solutions", a).items():
            assert score == max_score, f"{a} {cell}: {score}/{max_score}: {error_messages(course, 'solutions', a)}"
        # no cell of the assignment may fail either: a failing demo cell would confuse students
        assert error_messages(course, "solutions", a) == {}, a


@pytest.mark.slow
@pytest.mark.parametrize("student", list(BUGS))
def test_blog_post_bug_loses_points_with_a_clear_message(course, student):
    a, _name, lose, keep, message = BUGS[student]
    grades = scores(course, student, a)
    errors = error_messages(course, student, a)
    for cell in lose:
        score, max_score = grades[cell]
        assert score < max_score, f"{student}: {cell} kept {score}/{max_score}"
    for cell in keep:
        score, max_score = grades[cell]
        assert score == max_score, f"{student}: {cell} lost points ({score}/{max_score}): {errors.get(cell)}"
    assert message in errors[lose[0]], f"{student}: the message of {lose[0]} does not say {message!r}: {errors[lose[0]]}"


@pytest.mark.slow
def test_grades_export_to_csv(course):
    """`nbgrader export` (the instructor's last step) gives one row per student and assignment."""
    import csv

    nbgrader(course, "export")
    with open(course / "grades.csv", newline="") as f:
        rows = {(r["student_id"], r["assignment"]): r for r in csv.DictReader(f)}
    for a in ASSIGNMENTS:
        full = sum(m for _s, m in scores(course, "solutions", a).values())
        assert float(rows[("solutions", a)]["score"]) == full == float(rows[("solutions", a)]["max_score"])
        assert float(rows[("untouched", a)]["score"]) == 0
    assert sum(float(rows[("solutions", a)]["max_score"]) for a in ASSIGNMENTS) == 29


def _code_lines(text: str) -> set[str]:
    return {line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")}


def test_release_reveals_no_solution(released):
    answers = set()
    for a in ASSIGNMENTS:
        for source in solution_regions(nbformat.read(released / "source" / a / f"{a}.ipynb", 4)).values():
            inside = False
            for line in source.splitlines():
                if line.strip() == "### BEGIN SOLUTION":
                    inside = True
                elif line.strip() == "### END SOLUTION":
                    inside = False
                elif inside:
                    answers |= _code_lines(line)
    assert len(answers) > 50  # the answers were found at all
    handed_out = set().union(_code_lines((released / "release" / ASSIGNMENTS[0] / "dnn_utils.py").read_text()),
                             *(_code_lines((ROOT / "dnnlib" / name).read_text()) for name in ("checks.py", "student.py")))
    revealing = answers - ALLOWED_SHARED_LINES - handed_out
    # every graded function's answer has lines of its own, and they are among those checked
    for a in ASSIGNMENTS:
        for grade_id, source in solution_regions(nbformat.read(released / "source" / a / f"{a}.ipynb", 4)).items():
            assert _code_lines(source) & revealing, f"{a} {grade_id}: no line of the answer is checked"
    for a in ASSIGNMENTS:
        nb = nbformat.read(released / "release" / a / f"{a}.ipynb", 4)
        text = "\n".join(c.source for c in nb.cells)
        found = sorted(_code_lines(text) & revealing)
        assert not found, f"the release of {a} shows lines of the answers: {found}"
        assert "BEGIN HIDDEN TESTS" not in text and "BEGIN SOLUTION" not in text
        stubs = [c for c in nb.cells if c.get("metadata", {}).get("nbgrader", {}).get("solution")]
        assert stubs and all("raise NotImplementedError()" in c.source for c in stubs)
        assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), f"{a}: outputs in the release"
        module = (released / "release" / a / "dnn_utils.py").read_text()
        assert not _code_lines(module) & revealing, f"the release module of {a} shows answers"


STUDENT_MODULE_CHECKS = """
import numpy as np, pytest, dnn_utils as student
assert student.STUDENT_EDITION and student.__file__.endswith("06_cat_classifier/dnn_utils.py")
train_x, train_y, test_x, test_y, classes = student.load_data()      # data loading works
assert train_x.shape == (209, 64, 64, 3) and list(classes) == [b"non-cat", b"cat"]
A, Z = student.sigmoid(np.array([[0.0]]))                              # the handed-out activations
assert A[0, 0] == 0.5 and student.relu(np.array([[-1.0, 2.0]]))[0].tolist() == [[0.0, 2.0]]
assert student.accuracy(np.array([[1, 0]]), np.array([[1, 1]])) == 0.5
with pytest.raises(NotImplementedError, match="01_initialization"):    # no earlier work: a clear message
    student.initialize_parameters([2, 1], seed=0)
params = {"W1": np.array([[1.0, -1.0]]), "b1": np.array([[0.0]])}
if STEP == "answered":   # the student's finished 02 beside it: predict (not graded) runs their L_model_forward
    assert student.predict(np.array([[2.0, 0.0], [1.0, 3.0]]), params).tolist() == [[1, 0]]
else:                    # an unfinished answer is reported as such
    with pytest.raises(NotImplementedError, match="not written yet"):
        student.predict(np.array([[2.0, 0.0], [1.0, 3.0]]), params)
print("ok")
"""


def test_student_module_keeps_the_helpers_and_stubs_the_answers(released, tmp_path):
    """The release's dnn_utils.py, imported from its assignment folder as a student's kernel does."""
    folder = tmp_path / "06_cat_classifier"
    shutil.copytree(released / "release" / "06_cat_classifier", folder)
    source02 = nbformat.read(released / "source" / "02_forward_propagation" / "02_forward_propagation.ipynb", 4)
    release02 = nbformat.read(released / "release" / "02_forward_propagation" / "02_forward_propagation.ipynb", 4)
    (tmp_path / "02_forward_propagation").mkdir()
    env = {k: v for k, v in os.environ.items() if k != "DNN_COURSE_DIR"}
    for step, notebook in (("answered", answered(release02, source02)), ("unfinished", release02)):
        nbformat.write(notebook, tmp_path / "02_forward_propagation" / "02_forward_propagation.ipynb")
        done = subprocess.run([sys.executable, "-c", f"STEP = {step!r}\n" + STUDENT_MODULE_CHECKS], cwd=folder,
                              env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-3000:]


@pytest.mark.slow
def test_nbgrader_validate_tells_a_student_before_submitting(course, tmp_path):
    a = "03_cost"
    folder = tmp_path / a
    shutil.copytree(course / "release" / a, folder)
    release = nbformat.read(folder / f"{a}.ipynb", 4)
    nbformat.write(answered(release, nbformat.read(course / "source" / a / f"{a}.ipynb", 4)),
                   folder / "done.ipynb")
    out = nbgrader(course, "validate", str(folder / "done.ipynb"))
    assert "Success! Your notebook passes all the tests." in out, out[-2000:]
    out = nbgrader(course, "validate", str(folder / f"{a}.ipynb"))
    assert "VALIDATION FAILED" in out and "NotImplementedError" in out, out[-2000:]


EXPECTED_POINTS = POINTS


def test_instructor_notebooks_are_marked_up_for_nbgrader(released):
    """Every graded function is a solution cell with markers, followed by its locked test cell."""
    ids = []
    for a in ASSIGNMENTS:
        nb = nbformat.read(released / "source" / a / f"{a}.ipynb", 4)
        points = {}
        for i, cell in enumerate(nb.cells):
            meta = cell.get("metadata", {}).get("nbgrader")
            assert "walkthrough-only" not in cell.get("metadata", {}).get("tags", []), (a, i)
            if meta and meta.get("solution"):
                assert cell.cell_type == "code" and not meta["grade"] and meta["schema_version"] == 3, (a, i)
                names = [n.name for n in ast.parse(cell.source).body if isinstance(n, ast.FunctionDef)]
                assert meta["grade_id"] == names[0], (a, i, names)
                assert cell.source.count("### BEGIN SOLUTION") == len(names) == cell.source.count("### END SOLUTION")
                test = nb.cells[i + 1]
                tmeta = test.metadata.get("nbgrader", {})
                assert tmeta.get("grade") and tmeta.get("locked") and tmeta.get("points", 0) > 0, (a, i + 1)
                assert tmeta["grade_id"] == "test_" + names[0], (a, i + 1)
                assert "### BEGIN HIDDEN TESTS" in test.source and "### END HIDDEN TESTS" in test.source
                assert f"({tmeta['points']} points)" in test.source.splitlines()[0]
                assert all(f"{n}(" in test.source for n in names), (a, names)
                points[tmeta["grade_id"]] = tmeta["points"]
            if meta:
                ids.append(meta["grade_id"])
        assert points == EXPECTED_POINTS[a], a
    assert len(ids) == len(set(ids)), "grade_id values must be unique"
    assert len(ids) == 2 * 13


def test_reading_edition_has_no_nbgrader_markup():
    """notebooks/ is for reading: no nbgrader metadata, solution markers, hidden tests or points."""
    for path in sorted((ROOT / "notebooks").glob("[0-9]*.ipynb")):
        nb = nbformat.read(path, 4)
        for i, cell in enumerate(nb.cells):
            assert "nbgrader" not in cell.get("metadata", {}), (path.name, i)
            for marker in ("### BEGIN SOLUTION", "### BEGIN HIDDEN TESTS"):
                assert marker not in cell.source, (path.name, i, marker)
            assert not re.search(r"(?m)^\s*#.*\(\d+ points?\)", cell.source), (path.name, i, "points")
        assert "nbgrader" not in nb.metadata, path.name


def test_classroom_material_matches_the_notebooks():
    """A hidden test for a cell the notebooks lack, or a test cell without points, is an error."""
    nb = nbformat.read(ROOT / "notebooks" / "03_cost.ipynb", 4)
    for cell in nb.cells:
        if cell.get("metadata", {}).get("exercise") == "test_compute_cost":
            cell.metadata["exercise"] = "test_something_else"
    with pytest.raises(ValueError, match="test_something_else|test_compute_cost"):
        build.assignment_notebook(nb, "03_cost")
