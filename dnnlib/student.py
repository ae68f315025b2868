"""Loading a learner's code from their notebooks: the one way, for the exercises and the classroom.

A learner writes each graded function in a code cell of a notebook, marked by its metadata
(``"exercise": "<name>"`` in the exercise edition, nbgrader's ``grade_id`` in the classroom).
Two users read those cells, with one difference of policy:

* the student edition of dnn_utils.py (``exercises/dnn_utils.py``, and the classroom's
  ``source/<assignment>/dnn_utils.py``) runs the learner's OWN earlier functions, read from
  the notebooks where they are written (``LearnerFunctions``); a cell may hold definitions,
  imports and constants, and nothing that does work when it is loaded;
* the grader (classroom/grading/harness.py, inside its sandbox) runs the reference versions
  of earlier steps and the student's functions of the assignment it grades; a statement
  that does work is skipped there (nbgrader would run it; the grader runs only definitions).

Both split a cell with ``definitions`` below.
"""

from __future__ import annotations

import ast
import builtins
import json
import linecache
import os
from pathlib import Path

__all__ = ["definitions", "graded_cells", "LearnerFunctions", "StudentCodeError"]


class StudentCodeError(NotImplementedError):
    """A learner's cell cannot be used: it does not parse, or does more than define."""


def _runs_when_assigned(value):
    """The nodes of an assignment's value that run when it is assigned (a lambda's body does not)."""
    todo = [value]
    while todo:
        node = todo.pop()
        yield node
        todo += [c for c in ast.iter_child_nodes(node) if not isinstance(node, ast.Lambda) or c is not node.body]


def _does_work(node):
    """A call of a function by its bare name that is not a builtin (L_layer_model(...), a learner's
    train()): the work of a demo or an experiment. np.finfo(float), math.sqrt(2) and tuple(...)
    define a constant."""
    if isinstance(node, (ast.Await, ast.Yield, ast.YieldFrom)):
        return True
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not hasattr(builtins, node.func.id)


def is_definition(node, allow_calls):
    """Functions, classes, imports, docstrings and constants (an assignment that calls nothing; with
    allow_calls, the grader's policy, one whose value does no work: see _does_work)."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)):
        return True
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
        return True  # a docstring or a stray string
    if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
        if allow_calls:
            return not any(_does_work(n) for n in _runs_when_assigned(node.value))
        return not any(isinstance(n, ast.Call) for n in ast.walk(node.value))
    if isinstance(node, ast.Try):
        # try: from scipy.special import xlogy / except ImportError: def xlogy(...): a definition
        # with a fallback, when every branch holds only definitions
        bodies = [node.body, node.orelse, node.finalbody, *(h.body for h in node.handlers)]
        return all(is_definition(n, allow_calls) for body in bodies for n in body)
    return False


def definitions(source, filename, *, allow_calls=False):
    """Split a learner's cell into the statements to load and the others.

    Returns (tree, kept, others): the parsed module, its definitions (see is_definition), and
    the statements that would do work when loaded. Raises StudentCodeError if it does not parse.
    """
    try:
        tree = ast.parse(source, filename)
    except SyntaxError as e:
        raise StudentCodeError(f"{filename} does not parse: {e.msg} (line {e.lineno})") from None
    kept = [n for n in tree.body if is_definition(n, allow_calls)]
    others = [n for n in tree.body if not is_definition(n, allow_calls)]
    return tree, kept, others


def cell_key(cell):
    """The graded cell's key: the exercise edition's, or nbgrader's grade_id."""
    meta = cell.get("metadata", {})
    return meta.get("exercise") or meta.get("nbgrader", {}).get("grade_id")


def graded_cells(notebook, keys):
    """[(key, source)] of the code cells of a notebook (a parsed .ipynb dict) whose key is in `keys`."""
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise StudentCodeError("the notebook has no list of cells: is it a Jupyter notebook?")
    found = []
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code" or cell_key(cell) not in keys:
            continue
        source = cell.get("source", "")
        found.append((cell_key(cell), source if isinstance(source, str) else "".join(map(str, source))))
    return found


def _raises_not_implemented(fn_node):
    return any(isinstance(n, ast.Name) and n.id == "NotImplementedError" for n in ast.walk(fn_node))


class LearnerFunctions:
    """The learner's own version of each graded function, read from the notebook where it is written.

    ``yours = LearnerFunctions(globals(), WRITTEN_IN, where)``; then ``yours("linear_forward")``
    is the learner's linear_forward. WRITTEN_IN is {function: (assignment, key of its cell)}.
    A notebook is read again when it has changed on disk (the learner saved it). The cells run in
    a namespace that starts as a copy of the student module's globals, so the learner's code sees
    the course's helpers (sigmoid, relu, np, ...) and the student module's other functions, which
    in turn run the learner's own.
    """

    def __init__(self, module_globals, written_in, where):
        self.module, self.written_in, self.where = module_globals, dict(written_in), where
        self.loaded = {}  # {notebook path: (modification time, namespace)}

    def notebook(self, assignment):
        """The path of `assignment`'s notebook: beside the module, in the working folder, or in
        assignment folders side by side (DNN_COURSE_DIR names their parent)."""
        filename = assignment + ".ipynb"
        here = Path(self.module["__file__"]).resolve().parent
        places = [here / filename, Path.cwd() / filename]
        if os.environ.get("DNN_COURSE_DIR"):
            places.append(Path(os.environ["DNN_COURSE_DIR"]) / assignment / filename)
        places += [Path.cwd().parent / assignment / filename, here.parent / assignment / filename]
        path = next((p for p in places if p.is_file()), None)
        if path is None:
            looked = ", ".join(str(p) for p in dict.fromkeys(places))
            raise StudentCodeError(f"notebook {assignment} was not found (looked for {looked}); {self.where}")
        return path

    def namespace(self, assignment):
        """Every graded cell of `assignment`'s notebook, run in one namespace (kept until the file changes)."""
        path = self.notebook(assignment)
        mtime = path.stat().st_mtime_ns
        if path in self.loaded and self.loaded[path][0] == mtime:
            return self.loaded[path][1]
        try:
            notebook = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as e:
            raise StudentCodeError(f"notebook {path} cannot be read as a Jupyter notebook ({e}): "
                                   f"restore it from a checkpoint or a fresh copy") from None
        namespace = dict(self.module)
        namespace["_NOT_WRITTEN"] = set()
        wanted = {key for a, key in self.written_in.values() if a == assignment}
        number = assignment.split("_")[0]
        try:
            cells = graded_cells(notebook, wanted)
        except StudentCodeError as e:
            raise StudentCodeError(f"notebook {path}: {e}") from None
        for key, source in cells:
            filename = f"<exercise {number}: {key}>"
            tree, kept, others = definitions(source, filename)
            if others:
                shown = "; ".join(f"line {n.lineno}: {(ast.get_source_segment(source, n) or '').splitlines()[0]}"
                                  for n in others)
                raise StudentCodeError(
                    f"the cell of {key} in notebook {assignment} runs more than definitions and imports "
                    f"({shown}). Only functions, classes, imports and constants are loaded from it: move "
                    f"the rest to a cell of its own.")
            linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
            exec(compile(tree, filename, "exec"), namespace)
            namespace["_NOT_WRITTEN"] |= {n.name for n in kept
                                          if isinstance(n, ast.FunctionDef) and _raises_not_implemented(n)}
        self.loaded[path] = (mtime, namespace)
        return namespace

    def __call__(self, name):
        """The learner's own `name`, defined in the notebook where they write it."""
        assignment, key = self.written_in[name]
        namespace = self.namespace(assignment)
        fn = namespace.get(name)
        if fn is None or fn is self.module.get(name):
            raise StudentCodeError(f"notebook {assignment} has no cell {key!r} that defines {name}")
        if name in namespace["_NOT_WRITTEN"]:
            raise StudentCodeError(f"{name} is not written yet: finish it in notebook {assignment}, save that "
                                   f"notebook, then run this cell again")
        return fn
