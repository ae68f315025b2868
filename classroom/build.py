"""Build the classroom edition: an nbgrader course folder made from the walkthrough notebooks.

    python classroom/build.py [--course DIR] [--release]    # DIR defaults to classroom/

writes, for every assignment (one per notebook, 01 to 06):

    DIR/source/<assignment>/<assignment>.ipynb   the instructor version (solutions, hidden tests)
    DIR/source/<assignment>/dnn_utils.py         the STUDENT edition of the module
    DIR/source/06_cat_classifier/datasets/       the shipped data, for the cat classifier

Then `nbgrader generate_assignment <assignment>` (from DIR) makes the student release
(--release runs it for every assignment); classroom/README.md has the whole workflow.

Single source: the notebooks in notebooks/ are the assignments. A `#@save` cell marked
as an nbgrader solution cell is a graded function (its body sits between
``### BEGIN SOLUTION`` / ``### END SOLUTION``; `python tools/nb.py sync` keeps it so),
and the locked test cell after it holds visible and hidden tests. Cells tagged
``walkthrough-only`` are left out of the assignment: they would show a solution (the
seed post's buggy versions, the textbook variants) or need a function that the student
only writes in a later assignment.

The student edition of dnn_utils.py is the module with the body of every graded
function replaced by a call to the student's own version, read from the notebook of
the assignment where it is written (see `_yours` in the generated file). Data loading,
plotting, the activations (sigmoid, relu) and the other helpers work as they are.
"""
from __future__ import annotations

import argparse
import ast
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
MODULE = ROOT / "dnn_utils.py"
DATASETS = ROOT / "datasets"

ASSIGNMENTS = [
    "01_initialization",
    "02_forward_propagation",
    "03_cost",
    "04_backward_propagation",
    "05_update_parameters",
    "06_cat_classifier",
]
DATA_FOR = {"06_cat_classifier": ["train_catvnoncat.h5", "test_catvnoncat.h5"]}
DROP_TAG = "walkthrough-only"
STAND_INS: dict[str, list[str]] = {}
LEFT_OUT = ("*This part of the walkthrough is left out of the assignment: it would show a solution, "
            "or it needs functions you write in a later assignment. Your instructor's walkthrough "
            "edition has it.*")


def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def graded_functions(notebooks_dir: Path = NOTEBOOKS) -> dict[str, str]:
    """{function name: assignment} for every function a student writes."""
    graded = {}
    for assignment in ASSIGNMENTS:
        nb = nbformat.read(notebooks_dir / f"{assignment}.ipynb", as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code" and nbgrader_meta(cell).get("solution"):
                for node in ast.parse(cell.source).body:
                    if isinstance(node, ast.FunctionDef):
                        graded[node.name] = assignment
    return graded


def _call_forwarding(args: ast.arguments) -> str:
    """The argument list that passes a function's own parameters on, unchanged."""
    parts = [a.arg for a in args.posonlyargs + args.args]
    if args.vararg:
        parts.append("*" + args.vararg.arg)
    parts += [f"{a.arg}={a.arg}" for a in args.kwonlyargs]
    if args.kwarg:
        parts.append("**" + args.kwarg.arg)
    return ", ".join(parts)


STUDENT_HEADER = '''"""Student edition of dnn_utils.py (made by classroom/build.py; do not edit by hand).

The functions you write in the assignments,

{names},

have no body here: calling one runs YOUR version, read from the notebook of the
assignment where you wrote it. Keep the assignment folders side by side
(01_initialization/, 02_forward_propagation/, ...) or set the environment variable
DNN_COURSE_DIR to the folder that holds them. After changing a function in an earlier
notebook, save that notebook and restart the kernel.

Everything else (load_data, load_image, sigmoid, relu, predict, the plotting helpers,
gradient_check, ...) works as it is.
"""
'''

STUDENT_FOOTER = '''

# ---------------------------------------------------------------------------
# Student edition: where the graded functions come from
# ---------------------------------------------------------------------------

_ASSIGNMENT_OF = {assignment_of!r}
_YOURS = {{}}


def _yours(name):
    """Your own `name`, defined in the notebook of the assignment where you write it."""
    import ast
    import json
    import os

    if name in _YOURS:
        return _YOURS[name]
    assignment = _ASSIGNMENT_OF[name]
    filename = assignment + ".ipynb"
    places = [Path.cwd() / filename]                 # the assignment you are working on
    if os.environ.get("DNN_COURSE_DIR"):
        places.append(Path(os.environ["DNN_COURSE_DIR"]) / assignment / filename)
    places += [Path.cwd().parent / assignment / filename,
               Path(__file__).resolve().parent.parent / assignment / filename]
    path = next((p for p in places if p.is_file()), None)
    if path is None:
        looked = ", ".join(str(p) for p in dict.fromkeys(places))
        raise NotImplementedError(
            f"{{name}} is yours to write in assignment {{assignment}}, and its notebook was not found "
            f"(looked for {{looked}}). Keep the assignment folders side by side, or set DNN_COURSE_DIR "
            f"to the folder that holds them.")
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        if cell["cell_type"] == "code" and f"def {{name}}(" in source:
            break
    else:
        raise NotImplementedError(f"{{path}} has no cell that defines {{name}}")
    try:
        tree = ast.parse(source)
    except SyntaxError as e:
        raise NotImplementedError(f"your {{name}} in {{path}} does not parse: {{e}}") from None
    node = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name)
    if any(isinstance(n, ast.Name) and n.id == "NotImplementedError" for n in ast.walk(node)):
        raise NotImplementedError(
            f"{{name}} is not written yet in {{path}}: finish it in assignment {{assignment}}, save that "
            f"notebook, then restart this kernel")
    namespace = dict(globals())                      # the module's helpers, e.g. sigmoid, relu
    exec(compile(source, str(path), "exec"), namespace)
    _YOURS[name] = namespace[name]
    return _YOURS[name]
'''


def student_module(module_text: str, graded: dict[str, str]) -> str:
    """dnn_utils.py with every graded function's body replaced by a call to the student's own."""
    tree = ast.parse(module_text)
    lines = module_text.splitlines()
    replacements = []  # (first line, last line, new lines), 0-based inclusive
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in STAND_INS:
            start, end = node.body[0].end_lineno, node.end_lineno   # after the docstring .. the end
            indent = " " * (node.col_offset + 4)
            replacements.append((start, end - 1, [indent + line for line in STAND_INS[node.name]]))
        if isinstance(node, ast.FunctionDef) and node.name in graded:
            if ast.get_docstring(node) is None:
                raise ValueError(f"graded function {node.name} needs a docstring (the student's spec)")
            start, end = node.body[0].end_lineno, node.end_lineno   # after the docstring .. the end
            indent = " " * (node.col_offset + 4)
            stub = f"{indent}return _yours({node.name!r})({_call_forwarding(node.args)})"
            replacements.append((start, end - 1, [stub]))
    for start, end, new in sorted(replacements, reverse=True):
        lines[start:end + 1] = new
    # the module's own docstring is replaced by the student edition's
    doc = tree.body[0]
    assert isinstance(doc, ast.Expr) and isinstance(doc.value, ast.Constant), "the module needs a docstring"
    names = textwrap.fill(", ".join(graded), width=88)
    header = STUDENT_HEADER.format(names=names).splitlines()
    lines[doc.lineno - 1:doc.end_lineno] = header
    text = "\n".join(lines) + STUDENT_FOOTER.format(assignment_of=graded)
    compile(text, "dnn_utils.py (student edition)", "exec")   # fails loudly if the edit broke it
    return text


def assignment_notebook(nb):
    """The assignment version of a walkthrough notebook: walkthrough-only cells left out, no outputs."""
    nb = nbformat.from_dict(nb)
    cells, dropping = [], False
    for cell in nb.cells:
        if DROP_TAG in cell.get("metadata", {}).get("tags", []):
            if not dropping:
                cells.append(nbformat.v4.new_markdown_cell(LEFT_OUT))
            dropping = True
            continue
        dropping = False
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cells.append(cell)
    nb.cells = cells
    return nb


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def build(course: Path, notebooks_dir: Path = NOTEBOOKS, module: Path = MODULE) -> list[Path]:
    """Write course/source/<assignment>/ for every assignment; returns the assignment folders."""
    graded = graded_functions(notebooks_dir)
    student = student_module(module.read_text(encoding="utf-8"), graded)
    folders = []
    for assignment in ASSIGNMENTS:
        folder = course / "source" / assignment
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        nb = assignment_notebook(nbformat.read(notebooks_dir / f"{assignment}.ipynb", as_version=4))
        _write_atomic(folder / f"{assignment}.ipynb", nbformat.writes(nb))
        _write_atomic(folder / "dnn_utils.py", student)
        shutil.copyfile(ROOT / "dnn_checks.py", folder / "dnn_checks.py")  # the input checks: no answers
        for name in DATA_FOR.get(assignment, []):
            (folder / "datasets").mkdir(exist_ok=True)
            shutil.copyfile(DATASETS / name, folder / "datasets" / name)
        folders.append(folder)
    return folders


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--course", type=Path, default=Path(__file__).resolve().parent,
                        help="the nbgrader course folder (default: classroom/)")
    parser.add_argument("--release", action="store_true",
                        help="then run `nbgrader generate_assignment` for every assignment")
    args = parser.parse_args(argv)
    for folder in build(args.course):
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
