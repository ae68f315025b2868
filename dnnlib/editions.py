"""The editions: the learner's exercises/ and the classroom's nbgrader source, from notebooks/.

Generation runs one way, from the reading edition, notebooks/ (and dnn_utils.py, which the
notebooks show cell for cell), to the generated editions; the commands are

    python tools/editions.py            # rewrite exercises/ (commit the result)
    python tools/editions.py --check    # exit 1 if exercises/ differs from what would be written
    python classroom/build.py           # the classroom's nbgrader source (classroom/README.md)

notebooks/ is the one source. A code cell whose metadata has ``"exercise": "<name>"`` holds
a function the learner writes (the cell of sigmoid_backward also holds relu_backward), and
the cell after it, ``"exercise": "test_<name>"``, holds its visible tests. In the exercise
edition

* each function of a graded cell keeps its decorator, signature and docstring; its body
  becomes ``# YOUR CODE HERE`` with a hint, then ``raise NotImplementedError(...)``;
* the test cells stay as they are: they name the usual mistakes;
* runs of cells tagged ``walkthrough-only`` are replaced by a one-line note (they would
  show a solution, or need a function written only in a later notebook);
* a code cell whose metadata has ``"exercise_source"`` gets that text instead (06's one
  choice, ``FAST = False``: the exercise edition trains with the learner's own functions);
* outputs are cleared; each notebook's metadata and first cell say what it was generated
  from and by what;
* exercises/dnn_utils.py is the student edition of dnn_utils.py: each graded function runs
  the learner's own version, read from the exercise notebook where it is written.

classroom/build.py makes the instructor's nbgrader edition with the same functions
(`graded_functions`, `student_module`, `drop_walkthrough_only`).
"""
from __future__ import annotations

import ast
import filecmp
import os
import tempfile
import textwrap
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
EXERCISES = ROOT / "exercises"
MODULE = ROOT / "dnn_utils.py"

ASSIGNMENTS = [
    "01_initialization",
    "02_forward_propagation",
    "03_cost",
    "04_backward_propagation",
    "05_update_parameters",
    "06_cat_classifier",
]
DROP_TAG = "walkthrough-only"
COPIED_MARKER_PREFIX = "# Defined in dnn_utils.py"
KEY = "exercise"


# ---------------------------------------------------------------------------
# Reading and writing notebooks: one clear line on a bad file, written whole or not at all
# ---------------------------------------------------------------------------

class NotebookError(Exception):
    """A notebook (or another file a tool reads or writes) that cannot be used: one line naming
    the file and the problem. The tools print it and exit with status 2."""


def read_notebook(path):
    """nbformat.read(path) (as version 4), or a NotebookError naming the file and the problem."""
    path = Path(path)
    if not path.exists():
        raise NotebookError(f"{path}: notebook not found (missing file)")
    if path.is_dir():
        raise NotebookError(f"{path}: is a folder, expected a notebook file (.ipynb)")
    try:
        text = path.read_text(encoding="utf-8")
    except PermissionError:
        raise NotebookError(f"{path}: cannot read the notebook: permission denied") from None
    except UnicodeDecodeError as e:
        raise NotebookError(f"{path}: damaged notebook, not JSON (not UTF-8 text: {e.reason})") from None
    except OSError as e:
        raise NotebookError(f"{path}: cannot read the notebook ({e.strerror or e})") from None
    import json

    try:
        data = json.loads(text)
    except ValueError as e:
        raise NotebookError(f"{path}: damaged notebook, not JSON ({e}); restore it, e.g. "
                            f"git checkout -- {path}") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list) or "nbformat" not in data:
        raise NotebookError(f"{path}: not a notebook: JSON without the notebook's nbformat and cells "
                            f"lists; restore it, e.g. git checkout -- {path}")
    try:
        return nbformat.reads(text, as_version=4)
    except Exception as e:  # noqa: BLE001  nbformat's many ways of refusing a damaged notebook
        raise NotebookError(f"{path}: not a valid notebook ({type(e).__name__}: {e})") from None


def check_can_write(path):
    """A NotebookError if `path` exists and is read-only (its folder must be writable too)."""
    path = Path(path)
    if path.exists() and (not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222):
        raise NotebookError(f"{path}: the file is read-only (permission denied); make it writable "
                            f"(chmod u+w) to rewrite it")
    folder = path.parent
    if folder.exists() and not os.access(folder, os.W_OK):
        raise NotebookError(f"{path}: cannot write in its folder {folder} (permission denied)")


def notebook_bytes(nb) -> bytes:
    """The bytes nbformat.write(nb, path) writes."""
    text = nbformat.writes(nb)
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")


def write_files(contents, what):
    """{path: bytes} written whole or not at all (dnnlib.files.write_files_atomically), after
    checking each is writable; an OSError becomes a NotebookError naming the file and problem."""
    from dnnlib.files import write_files_atomically

    for path in contents:
        check_can_write(path)
    try:
        write_files_atomically({Path(p): data for p, data in contents.items()}, what)
    except OSError as e:
        first = next(iter(contents))
        raise NotebookError(f"{first}: cannot write {what}: {e.strerror or e}") from None


def write_notebook(nb, path):
    """Write nb to path as nbformat.write does, whole or not at all."""
    write_files({Path(path): notebook_bytes(nb)}, f"the notebook {Path(path).name}")


# ---------------------------------------------------------------------------
# Reading the source notebooks
# ---------------------------------------------------------------------------

def exercise_key(cell) -> str | None:
    return cell.get("metadata", {}).get(KEY) if cell.get("cell_type") == "code" else None


def is_graded(cell) -> bool:
    key = exercise_key(cell)
    return bool(key) and not key.startswith("test_")


def functions_in(source: str) -> list[ast.FunctionDef]:
    return [n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)]


def graded_functions(notebooks_dir: Path = NOTEBOOKS) -> dict[str, tuple[str, str]]:
    """{function name: (assignment, key of the graded cell that holds it)}, in course order."""
    graded = {}
    for assignment in ASSIGNMENTS:
        nb = read_notebook(notebooks_dir / f"{assignment}.ipynb")
        for cell in nb.cells:
            if is_graded(cell):
                for fn in functions_in(cell.source):
                    graded[fn.name] = (assignment, exercise_key(cell))
    return graded


def body_span(fn: ast.FunctionDef) -> tuple[int, int]:
    """0-based (first, last) line of a function's body after its docstring."""
    first = fn.body[0].end_lineno if ast.get_docstring(fn) is not None else fn.body[0].lineno - 1
    return first, fn.end_lineno - 1


def reference_bodies(notebooks_dir: Path = NOTEBOOKS) -> dict[str, str]:
    """{function name: the reference body (after the docstring), as written in notebooks/}."""
    bodies = {}
    for assignment in ASSIGNMENTS:
        nb = read_notebook(notebooks_dir / f"{assignment}.ipynb")
        for cell in nb.cells:
            if is_graded(cell):
                lines = cell.source.splitlines()
                for fn in functions_in(cell.source):
                    first, last = body_span(fn)
                    bodies[fn.name] = "\n".join(lines[first:last + 1])
    return bodies


def drop_walkthrough_only(nb, note: str):
    """A copy of nb without the cells tagged walkthrough-only (one note per run of them), outputs cleared."""
    nb = nbformat.from_dict(nb)
    cells, dropping = [], False
    for cell in nb.cells:
        if DROP_TAG in cell.get("metadata", {}).get("tags", []):
            if not dropping:
                cells.append(nbformat.v4.new_markdown_cell(note))
            dropping = True
            continue
        dropping = False
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cells.append(cell)
    nb.cells = cells
    for i, cell in enumerate(nb.cells):  # stable ids for the generated notes, so a rebuild changes nothing
        if "id" in cell and cell.cell_type == "markdown" and cell.source == note:
            cell.id = f"left-out-{i}"
    return nb


def without_copied_marker(source: str) -> str:
    """A graded cell's source without the "Defined in dnn_utils.py" line: the learner writes it here."""
    first, _, rest = source.partition("\n")
    return rest if first.startswith(COPIED_MARKER_PREFIX) else source


# ---------------------------------------------------------------------------
# The exercise edition
# ---------------------------------------------------------------------------

ARRAY_ATTRIBUTES = {"T", "shape", "reshape", "astype", "copy", "sum", "ndim"}


def _dotted(node) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return None if inner is None else f"{inner}.{node.attr}"
    return None


def hint(body: str, graded: set[str]) -> str:
    """How many lines the reference body has, and which numpy calls and course functions it uses."""
    tree = ast.parse(textwrap.dedent(body))
    code_lines = {n.lineno for n in ast.walk(tree) if isinstance(n, ast.stmt)}
    calls = {_dotted(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)} - {None}
    numpy = sorted(c for c in calls if c.startswith("np."))
    if any(isinstance(n, ast.BinOp) and isinstance(n.op, ast.MatMult) for n in ast.walk(tree)):
        numpy.insert(0, "@ (matrix product)")
    numpy += sorted({"." + n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)
                     and n.attr in ARRAY_ATTRIBUTES and _dotted(n.value) not in ("np", None)
                     or isinstance(n, ast.Attribute) and n.attr in ARRAY_ATTRIBUTES
                     and isinstance(n.value, (ast.Call, ast.BinOp, ast.Subscript))})
    course = graded | {"sigmoid", "relu"}
    called = sorted(c for c in calls if c in course)
    parts = [f"about {len(code_lines)} lines"]
    if numpy:
        parts.append("numpy: " + ", ".join(numpy))
    if called:
        parts.append("calls " + ", ".join(called))
    return "# YOUR CODE HERE (" + "; ".join(parts) + ")"


def blank_cell(source: str, graded: set[str]) -> str:
    """A graded cell with every function body replaced by the course-style placeholder."""
    source = without_copied_marker(source)
    lines = source.splitlines()
    for fn in reversed(functions_in(source)):
        if ast.get_docstring(fn) is None:
            raise ValueError(f"graded function {fn.name} needs a docstring: it is the learner's spec")
        first, last = body_span(fn)
        body = "\n".join(lines[first:last + 1])
        indent = " " * (fn.col_offset + 4)
        lines[first:last + 1] = [indent + hint(body, graded),
                                 indent + f'raise NotImplementedError("write the body of {fn.name}, then run the '
                                          f'tests below")']
    return "\n".join(lines)


EXERCISE_INTRO = """\
*Exercise edition, generated from [`notebooks/{name}.ipynb`](../notebooks/{name}.ipynb) by \
`tools/editions.py`: edit that notebook, not this one.* Write each function where it says \
`# YOUR CODE HERE`, then run the cell after it: its tests say what is wrong, and usually why. \
Functions you wrote in earlier notebooks are used from there (see `dnn_utils.py` in this folder), so work through the \
notebooks in order. When you are done, compare with the reading edition, \
[`notebooks/{name}.ipynb`](../notebooks/{name}.ipynb)."""

EXERCISE_GUARD = """\
import dnn_utils   # the student edition, next to this notebook: it runs your own functions

assert getattr(dnn_utils, "STUDENT_EDITION", False), (
    f"this notebook imported {dnn_utils.__file__}, not the dnn_utils.py next to it: "
    f"start Jupyter from the project (without PYTHONPATH pointing at it) and open exercises/")"""

EXERCISE_LEFT_OUT = ("*Left out of the exercise edition: this part shows a solution, or needs a "
                     "function you write in a later notebook. The reading edition, "
                     "`notebooks/{name}.ipynb`, has it.*")


EXERCISE_SOURCE = "exercise_source"


def use_exercise_sources(nb):
    """Give each cell with an "exercise_source" that text instead (the learner's editions)."""
    for cell in nb.cells:
        if EXERCISE_SOURCE in cell.get("metadata", {}):
            cell.source = cell.metadata.pop(EXERCISE_SOURCE)
    return nb


def exercise_notebook(nb, name: str, graded: set[str]):
    nb = use_exercise_sources(drop_walkthrough_only(nb, EXERCISE_LEFT_OUT.format(name=name)))
    for cell in nb.cells:
        if is_graded(cell):
            cell.source = blank_cell(cell.source, graded)
    nb.metadata["generated"] = {"from": f"notebooks/{name}.ipynb", "by": "tools/editions.py"}
    intro = nbformat.v4.new_markdown_cell(EXERCISE_INTRO.format(name=name))
    intro.id = "exercise-edition"
    guard = nbformat.v4.new_code_cell(EXERCISE_GUARD)
    guard.id = "exercise-edition-module"
    nb.cells[1:1] = [intro, guard]
    return nb


def fill_in(nb, bodies: dict[str, str]):
    """An exercise notebook with every blank filled with the reference body (for the tests)."""
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        if is_graded(cell):
            lines = cell.source.splitlines()
            for fn in reversed(functions_in(cell.source)):
                first, last = body_span(fn)
                lines[first:last + 1] = bodies[fn.name].splitlines()
            cell.source = "\n".join(lines)
    return nb


# ---------------------------------------------------------------------------
# The student edition of dnn_utils.py (exercises/ and the classroom)
# ---------------------------------------------------------------------------

STUDENT_HEADER = '''"""Student edition of dnn_utils.py: the functions you write run YOUR versions.

The functions you write,

{names},

{how}

Everything else (load_data, sigmoid, relu, predict, the plotting helpers, gradient_check,
...) works as it is.
"""
'''

STUDENT_FOOTER = '''

# ---------------------------------------------------------------------------
# Student edition: the graded functions above run yours (dnnlib/student.py)
# ---------------------------------------------------------------------------

from dnnlib.student import LearnerFunctions  # noqa: E402

STUDENT_EDITION = True
#: {{function: (notebook, key of the cell where it is written)}}
WRITTEN_IN = {written_in}
_yours = LearnerFunctions(globals(), WRITTEN_IN, where={where!r})
'''


def _call_forwarding(args: ast.arguments) -> str:
    """The argument list that passes a function's own parameters on, unchanged."""
    parts = [a.arg for a in args.posonlyargs + args.args]
    if args.vararg:
        parts.append("*" + args.vararg.arg)
    parts += [f"{a.arg}={a.arg}" for a in args.kwonlyargs]
    if args.kwarg:
        parts.append("**" + args.kwarg.arg)
    return ", ".join(parts)


def generated_note(source: str, generator: str) -> str:
    """The first line of a generated Python file: what it came from, by what, and what to edit."""
    return f"# AUTOGENERATED from {source} by {generator}: do not edit. File to edit: {source}"


def student_module(module_text: str, graded: dict[str, tuple[str, str]], *,
                   generator: str = "tools/editions.py", where: str = "keep the notebooks side by side") -> str:
    """dnn_utils.py with every graded function's body replaced by a call to the learner's own.

    The learner's functions are found and loaded by dnnlib.student.LearnerFunctions; `where`
    says, in its error messages, where the notebooks must be.
    """
    tree = ast.parse(module_text)
    lines = module_text.splitlines()
    replacements = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in graded:
            if ast.get_docstring(node) is None:
                raise ValueError(f"graded function {node.name} needs a docstring (the learner's spec)")
            first, last = body_span(node)
            indent = " " * (node.col_offset + 4)
            replacements.append((first, last, [f"{indent}return _yours({node.name!r})({_call_forwarding(node.args)})"]))
    for first, last, new in sorted(replacements, reverse=True):
        lines[first:last + 1] = new
    doc = tree.body[0]
    assert isinstance(doc, ast.Expr) and isinstance(doc.value, ast.Constant), "the module needs a docstring"
    names = textwrap.fill(", ".join(graded), width=88)
    how = textwrap.fill(f"have no body here: calling one runs YOUR version, read from the notebook where you "
                        f"write it ({where}). After changing a function in an earlier notebook, save that "
                        f"notebook; the next call reads it again.", width=88)
    lines[doc.lineno - 1:doc.end_lineno] = [generated_note("dnn_utils.py", generator)] + \
        STUDENT_HEADER.format(names=names, how=how).splitlines()
    written_in = "{\n" + "".join(f"    {k!r}: {v!r},\n" for k, v in graded.items()) + "}"
    text = "\n".join(lines) + STUDENT_FOOTER.format(written_in=written_in, where=where) + "\n"
    compile(text, "dnn_utils.py (student edition)", "exec")   # fails loudly if the edit broke it
    return text


# ---------------------------------------------------------------------------
# Writing exercises/
# ---------------------------------------------------------------------------

def build(out: Path = EXERCISES, notebooks_dir: Path = NOTEBOOKS, module: Path = MODULE) -> list[Path]:
    """Write out/ (every exercise notebook and dnn_utils.py): each file whole or not at all, and
    nothing at all unless every file could be made. Raises NotebookError on a bad or missing
    source notebook, or a file that cannot be written."""
    graded = graded_functions(notebooks_dir)
    contents = {}
    for name in ASSIGNMENTS:
        nb = exercise_notebook(read_notebook(notebooks_dir / f"{name}.ipynb"), name, set(graded))
        contents[out / f"{name}.ipynb"] = (nbformat.writes(nb) + "\n").encode("utf-8")
    try:
        module_text = module.read_text(encoding="utf-8")
    except OSError as e:
        raise NotebookError(f"{module}: cannot read the module ({e.strerror or e})") from None
    student = student_module(module_text, graded, where="the exercise notebooks, in this folder")
    contents[out / "dnn_utils.py"] = student.encode("utf-8")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise NotebookError(f"{out}: cannot create the folder ({e.strerror or e})") from None
    write_files(contents, "the exercise edition")
    return list(contents)


def differences(committed: Path = EXERCISES) -> list[str]:
    """Files of `committed` that differ from a fresh build (empty if none)."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = build(Path(tmp))
        names = {p.name for p in fresh} | {p.name for p in committed.glob("*") if p.is_file()}
        return sorted(n for n in names if not (committed / n).is_file() or not (Path(tmp) / n).is_file()
                      or not filecmp.cmp(committed / n, Path(tmp) / n, shallow=False))
