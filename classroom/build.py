"""Build the classroom edition: an nbgrader course folder made from the reading edition.

    python classroom/build.py [--course DIR] [--release]    # DIR defaults to classroom/

writes, for every assignment (one per notebook, 01 to 06):

    DIR/source/<assignment>/<assignment>.ipynb   the instructor version (solutions, hidden tests)
    DIR/source/<assignment>/dnn_utils.py         the STUDENT edition of the module
    DIR/source/06_cat_classifier/datasets/       the shipped data, for the cat classifier

Then `nbgrader generate_assignment <assignment>` (from DIR) makes the student release
(--release runs it for every assignment); classroom/README.md has the whole workflow.

Sources: the notebooks in notebooks/ (the reading edition: no nbgrader markup) and the
classroom-only material in classroom/hidden/<assignment>.py (points and hidden tests of
each test cell). A code cell whose metadata has "exercise": "<name>" is a graded
function: here it becomes an nbgrader solution cell (grade_id = <name>) with each body
between ``### BEGIN SOLUTION`` / ``### END SOLUTION``; the cell after it,
"exercise": "test_<name>", becomes the locked, graded test cell with its points and the
hidden tests between ``### BEGIN HIDDEN TESTS`` / ``### END HIDDEN TESTS``. Cells tagged
``walkthrough-only`` are left out (they would show a solution, or need a function that
the student only writes in a later assignment).

The student edition of dnn_utils.py is made by dnnlib/editions.py (the same code as the
exercise edition's): each graded function runs the student's own version, read from the
notebook of the assignment where it is written (dnnlib/student.py). The rest of the course
(input checks, data, plots) comes from the installed project, `dnnlib`.
"""
from __future__ import annotations

import argparse
import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
MODULE = ROOT / "dnn_utils.py"
DATASETS = ROOT / "datasets"
HIDDEN = Path(__file__).resolve().parent / "hidden"


from dnnlib import editions  # noqa: E402

ASSIGNMENTS = editions.ASSIGNMENTS
DATA_FOR = {"06_cat_classifier": ["train_catvnoncat.h5", "test_catvnoncat.h5"]}
LEFT_OUT = ("*This part of the walkthrough is left out of the assignment: it would show a solution, "
            "or it needs functions you write in a later assignment. The reading edition "
            "(notebooks/ in the project) has it.*")
VISIBLE_END = '    print("visible tests passed")'


def graded_functions(notebooks_dir: Path = NOTEBOOKS) -> dict[str, str]:
    """{function name: assignment} for every function a student writes."""
    return {name: a for name, (a, _key) in editions.graded_functions(notebooks_dir).items()}


def classroom_material(assignment: str):
    """(POINTS, HIDDEN) of an assignment: {grade_id: points}, {grade_id: hidden test code}."""
    # classroom/hidden/<assignment>.py: `hidden` beside this file, whether it runs as a script
    # (python classroom/build.py) or is imported as classroom.build
    module = importlib.import_module(f"{__package__}.hidden.{assignment}" if __package__ else f"hidden.{assignment}")
    return module.POINTS, module.HIDDEN


def with_solution_markers(source: str) -> str:
    """A cell's functions with each body (after the docstring) between nbgrader's solution markers."""
    lines = source.splitlines()
    for fn in reversed(editions.functions_in(source)):
        first, last = editions.body_span(fn)
        while not lines[first].strip():
            first += 1
        indent = " " * (fn.col_offset + 4)
        lines[first:last + 1] = [indent + "### BEGIN SOLUTION", *lines[first:last + 1], indent + "### END SOLUTION"]
    return "\n".join(lines)


def with_hidden_tests(source: str, grade_id: str, points: int, hidden: str) -> str:
    if VISIBLE_END not in source:
        raise ValueError(f"{grade_id}: the test cell must end its visible tests with {VISIBLE_END.strip()!r}")
    head, _, rest = source.partition("\n")
    if head.startswith("# Tests for ") and "." in head:
        what, _, tail = head[len("# Tests for "):].partition(".")
        head = f"# Tests for {what} ({points} points).{tail}"
    source = head + "\n" + rest
    return source.replace(VISIBLE_END, VISIBLE_END + "\n    ### BEGIN HIDDEN TESTS\n" + hidden
                          + "\n    ### END HIDDEN TESTS", 1)


GRADING_NOTE = ("*How this assignment is graded: only the graded test cells run, each against your own "
                "functions (the cells you fill in), with a limit of 10 seconds per cell; the earlier "
                "steps of the course are the reference versions, so a mistake is paid for once.*")
GRADING_NOTE_FOR = {"06_cat_classifier": " *The training cells (the two cat models) are not run at grading time.*"}


def assignment_notebook(nb, assignment: str):
    """The nbgrader source notebook of an assignment, from its reading-edition notebook."""
    points, hidden = classroom_material(assignment)
    nb = editions.use_exercise_sources(editions.drop_walkthrough_only(nb, LEFT_OUT))
    nb.metadata["generated"] = {"from": f"notebooks/{assignment}.ipynb", "by": "classroom/build.py"}
    seen = set()
    for cell in nb.cells:
        key = editions.exercise_key(cell)
        if not key:
            continue
        if editions.is_graded(cell):
            cell.source = with_solution_markers(editions.without_copied_marker(cell.source))
            cell.metadata["nbgrader"] = {"grade": False, "grade_id": key, "locked": False,
                                         "schema_version": 3, "solution": True, "task": False}
        else:
            if key not in points or key not in hidden:
                raise ValueError(f"classroom/hidden/{assignment}.py has no points or hidden tests for {key}")
            cell.source = with_hidden_tests(cell.source, key, points[key], hidden[key])
            cell.metadata["nbgrader"] = {"grade": True, "grade_id": key, "locked": True, "points": points[key],
                                         "schema_version": 3, "solution": False, "task": False}
        seen.add(key)
    unused = sorted(set(points) - seen)
    if unused:
        raise ValueError(f"classroom/hidden/{assignment}.py names test cells that notebooks/ lacks: {unused}")
    nb.cells.insert(1, nbformat.v4.new_markdown_cell(GRADING_NOTE + GRADING_NOTE_FOR.get(assignment, "")))
    return nb


def student_module(module_text: str, notebooks_dir: Path = NOTEBOOKS) -> str:
    return editions.student_module(
        module_text, editions.graded_functions(notebooks_dir), generator="classroom/build.py",
        where="keep the assignment folders 01_initialization/, 02_forward_propagation/, ... side by "
              "side, or set the environment variable DNN_COURSE_DIR to the folder that holds them")


def _write_atomic(path: Path, text: str) -> None:
    from dnnlib.files import write_files_atomically

    write_files_atomically({path: text.encode("utf-8")}, path.name)


def _build_assignments(target: Path, notebooks_dir: Path, student: str) -> None:
    """Write target/<assignment>/ for every assignment (target is a fresh folder)."""
    for assignment in ASSIGNMENTS:
        folder = target / assignment
        folder.mkdir(parents=True)
        nb = assignment_notebook(editions.read_notebook(notebooks_dir / f"{assignment}.ipynb"), assignment)
        _write_atomic(folder / f"{assignment}.ipynb", nbformat.writes(nb))
        _write_atomic(folder / "dnn_utils.py", student)
        for name in DATA_FOR.get(assignment, []):
            (folder / "datasets").mkdir(exist_ok=True)
            shutil.copyfile(DATASETS / name, folder / "datasets" / name)


def build(course: Path, notebooks_dir: Path = NOTEBOOKS, module: Path = MODULE) -> list[Path]:
    """Write course/source/<assignment>/ for every assignment; returns the assignment folders.

    All or nothing: the whole new source/ is built aside, in a temporary folder beside it
    (course/.source-new-*), and swapped in by renames only when every assignment was built;
    anything else the old source/ held (other assignments) is carried over. A failure leaves
    the old source/ exactly as it was, and no temporary folder.
    """
    import tempfile

    course = Path(course)
    student = student_module(module.read_text(encoding="utf-8"), notebooks_dir)
    course.mkdir(parents=True, exist_ok=True)
    source = course / "source"
    new = Path(tempfile.mkdtemp(prefix=".source-new-", dir=course))
    old = None
    try:
        _build_assignments(new, notebooks_dir, student)
        if source.is_dir():
            for entry in source.iterdir():  # what this build does not make stays
                if entry.name in ASSIGNMENTS:
                    continue
                if entry.is_dir() and not entry.is_symlink():
                    shutil.copytree(entry, new / entry.name, symlinks=True)
                else:
                    shutil.copy2(entry, new / entry.name, follow_symlinks=False)
        os.chmod(new, 0o777 & ~_umask())
        if source.exists():
            old = Path(tempfile.mkdtemp(prefix=".source-old-", dir=course))
            os.rmdir(old)
            os.replace(source, old)      # the old source is kept until the new one is in place
        try:
            os.replace(new, source)
        except OSError:
            if old is not None:
                os.replace(old, source)  # put the old one back
                old = None
            raise
    finally:
        shutil.rmtree(new, ignore_errors=True)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    return [source / assignment for assignment in ASSIGNMENTS]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--course", type=Path, default=Path(__file__).resolve().parent,
                        help="the nbgrader course folder (default: classroom/)")
    parser.add_argument("--release", action="store_true",
                        help="then run `nbgrader generate_assignment` for every assignment")
    args = parser.parse_args(argv)
    try:
        folders = build(args.course)
    except editions.NotebookError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    for folder in folders:
        print(f"wrote {folder}")
    if not args.release:
        print(f"next: cd {args.course} && nbgrader generate_assignment <assignment> --force "
              f"(or run this script with --release; see classroom/README.md)")
        return 0
    config = args.course / "nbgrader_config.py"
    if not config.exists():
        shutil.copyfile(Path(__file__).resolve().parent / "nbgrader_config.py", config)
    env = dict(os.environ)
    # nbgrader runs the `alembic` script of its own environment when it creates the gradebook
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    for assignment in ASSIGNMENTS:
        proc = subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", assignment, "--force"],
                              cwd=args.course, env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            print(proc.stdout + proc.stderr, file=sys.stderr)
            print(f"nbgrader generate_assignment {assignment} failed (output above)", file=sys.stderr)
            return 1
        print(f"released {args.course / 'release' / assignment}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
