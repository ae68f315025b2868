"""What the grader reads from the course folder: the nbgrader contract of the source notebooks.

The grader relies only on what nbgrader itself relies on, so that it keeps working when
classroom/build.py changes how the source is made:

* DIR/source/<assignment>/<assignment>.ipynb, the instructor version;
* solution cells: metadata nbgrader {solution: true, grade_id: <name>}; every top-level
  ``def`` in them is a function the student writes (04's ``sigmoid_backward`` cell also
  defines ``relu_backward``);
* test cells: metadata nbgrader {grade: true, grade_id, points, locked: true}, hidden tests
  between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``;
* assignments are graded in the order of their folder names (01_..., 02_..., ...).

Checks and partial credit
-------------------------
A test cell is usually ``def test_x(): <statements>`` followed by ``test_x()``. The grader
runs the statements of the function body one by one (so a test cell may also be plain
top-level statements). Each top-level statement is one of:

* a **check**: an ``assert`` (or a ``for``/``with`` block whose body holds asserts), worth one
  equal share of the cell's points;
* a **diagnostic**: ``assert not ...`` or ``if ...: raise AssertionError(...)``, which names a
  known mistake; it earns nothing by itself, but when it fires its message is the cell's
  message and the next check is counted as failed too;
* **setup**: anything else. If setup raises, the remaining checks of the cell fail with that
  error (a cascade is reported once, where it happened).

In a cell with hidden tests, only the checks and diagnostics between the hidden-test markers count:
those of the visible tests (the learner's, which an answer memorised from them passes) are
**visible**: they run and their messages are shown, but they score nothing and fail nothing.

A failing check does not stop the cell: later checks still run. So a function that is
right but for one option loses only that option's share. A cell's score is
points x (checks passed) / (checks), rounded down to a quarter of the cell's points (so a
cell of 2 points gives 0, 0.5, 1, 1.5 or 2; an answer that gets a few incidental checks
right, such as "does not touch the global random state", still scores 0).
"""
from __future__ import annotations

import ast
import json
import re
import symtable
import threading
from dataclasses import dataclass, field
from pathlib import Path

HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
HIDDEN_END = "### END HIDDEN TESTS"


# CPython 3.11's ast module is not safe to use from several threads at once ("AST constructor
# recursion depth mismatch"); the grader's threads share this lock.
AST_LOCK = threading.RLock()


def parse(source: str) -> ast.Module:
    with AST_LOCK:
        return ast.parse(source)


def nbgrader_meta(cell: dict) -> dict:
    return (cell.get("metadata") or {}).get("nbgrader") or {}


def cell_source(cell: dict) -> str:
    src = cell.get("source", "")
    return src if isinstance(src, str) else "".join(src)


def python_code(source: str) -> str:
    """A code cell as plain Python: IPython magics and shell lines (%..., !...) become blank lines
    (line numbers are kept), so that a `%matplotlib inline` does not hide the functions below it."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())


def _split_hidden(source: str) -> tuple[list[str], list[str]]:
    """(visible lines, hidden lines) of a test cell; the marker lines belong to neither."""
    visible, hidden, inside = [], [], False
    for line in source.splitlines():
        if line.strip() in (HIDDEN_BEGIN, HIDDEN_END):
            inside = line.strip() == HIDDEN_BEGIN
        else:
            (hidden if inside else visible).append(line)
    return visible, hidden


def strip_hidden(source: str) -> str:
    """The test cell as students see it: hidden-test regions (markers included) removed."""
    return "\n".join(_split_hidden(source)[0])


def hidden_lines(source: str) -> list[str]:
    """The code lines between the hidden-test markers (for the feedback leak test)."""
    return [ln.strip() for ln in _split_hidden(source)[1] if ln.strip() and not ln.strip().startswith("#")]


def same_code(a: str, b: str) -> bool:
    """True if two cells hold the same code (whitespace and comments aside)."""
    try:
        with AST_LOCK:
            return ast.dump(ast.parse(a)) == ast.dump(ast.parse(b))
    except SyntaxError:
        return a.strip() == b.strip()


def defined_functions(source: str) -> list[str]:
    try:
        tree = parse(source)
    except SyntaxError:
        return []
    return [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]


def _raises_assertion(node: ast.stmt) -> bool:
    return isinstance(node, ast.Raise) and node.exc is not None and "AssertionError" in ast.unparse(node.exc)


def classify(stmt: ast.stmt) -> str:
    """'check', 'diagnostic' or 'setup' (see the module docstring)."""
    if isinstance(stmt, ast.Assert):
        return "diagnostic" if isinstance(stmt.test, ast.UnaryOp) and isinstance(stmt.test.op, ast.Not) else "check"
    if isinstance(stmt, ast.If) and not stmt.orelse and stmt.body and all(_raises_assertion(s) for s in stmt.body):
        return "diagnostic"
    if isinstance(stmt, (ast.For, ast.While, ast.With)) and any(isinstance(n, ast.Assert) for n in ast.walk(stmt)):
        return "check"
    return "setup"


def test_statements(source: str) -> list[ast.stmt]:
    """The statements a test cell is run as: the body of its test function, or the cell itself."""
    tree = parse(source)
    defs = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("test")]
    if len(defs) == 1:
        rest = [n for n in tree.body if n is not defs[0]]
        called = all(isinstance(n, ast.Expr) and isinstance(n.value, ast.Call)
                     and isinstance(n.value.func, ast.Name) and n.value.func.id == defs[0].name for n in rest)
        if called:
            return list(defs[0].body)
    return list(tree.body)


def hidden_spans(source: str) -> list[tuple[int, int]]:
    """(first, last) line numbers of each hidden-test region, markers excluded."""
    spans, start = [], None
    for i, line in enumerate(source.splitlines(), start=1):
        if line.strip() == HIDDEN_BEGIN:
            start = i + 1
        elif line.strip() == HIDDEN_END and start is not None:
            spans.append((start, i - 1))
            start = None
    return spans


def kinds_of(source: str, stmts: list[ast.stmt]) -> list[str]:
    """classify() of each statement; in a cell with hidden tests, a check or diagnostic of the visible
    tests is 'visible': it runs and its message is shown, but it scores nothing and fails nothing
    (a memorised answer passes it: item 5 of issue 25). Setup fails the cell wherever it is."""
    spans = hidden_spans(source)
    out = []
    for s in stmts:
        kind = classify(s)
        if spans and kind != "setup" and not any(a <= s.lineno <= b for a, b in spans):
            kind = "visible"
        out.append(kind)
    return out


def statements(source: str) -> list[dict]:
    """The test cell's statements as the harness runs them: kind, first line, code."""
    with AST_LOCK:
        stmts = test_statements(source)
        return [{"kind": k, "line": s.lineno, "code": ast.unparse(s)} for k, s in zip(kinds_of(source, stmts), stmts)]


def check_kinds(source: str) -> list[str]:
    return kinds_of(source, test_statements(source))


def called_names(source: str) -> set[str]:
    tree = parse(source)
    return {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}


def global_names(source: str) -> dict[str, set[str]]:
    """{function: global names it uses (nested functions included)} for a cell's top-level defs."""
    try:
        with AST_LOCK:
            table = symtable.symtable(source, "<cell>", "exec")
    except SyntaxError:
        return {}
    out = {}

    def walk(t, into):
        for child in t.get_children():
            if child.get_type() == "function":
                into |= set(child.get_globals())
                walk(child, into)
            elif child.get_type() == "class":
                walk(child, into)

    for child in table.get_children():
        if child.get_type() == "function":
            names = set(child.get_globals())
            walk(child, names)
            out[child.get_name()] = names
    return out


@dataclass
class TestCell:
    grade_id: str
    points: float
    source: str                      # the instructor's, hidden tests included
    kinds: list[str] = field(default_factory=list)
    statements: list[dict] = field(default_factory=list)   # what the harness runs (see statements())

    @property
    def visible(self) -> str:
        return strip_hidden(self.source)

    @property
    def counted(self) -> int:
        return sum(k == "check" for k in self.kinds)


@dataclass
class Assignment:
    name: str
    folder: Path
    solutions: dict[str, str]        # grade_id -> instructor source
    functions: dict[str, str]        # function name -> grade_id of the solution cell defining it
    tests: list[TestCell]

    @property
    def points(self) -> float:
        return sum(t.points for t in self.tests)

    def tested_functions(self, test: TestCell) -> list[str]:
        """The graded functions of this assignment a test cell calls."""
        calls = called_names(test.source)
        return [f for f in self.functions if f in calls]


def read_notebook(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def load_assignment(course: Path, name: str) -> Assignment:
    folder = Path(course) / "source" / name
    nb = read_notebook(folder / f"{name}.ipynb")
    solutions, functions, tests = {}, {}, []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        meta = nbgrader_meta(cell)
        src = cell_source(cell)
        if meta.get("solution") and meta.get("grade_id"):
            solutions[meta["grade_id"]] = src
            for fn in defined_functions(src):
                functions[fn] = meta["grade_id"]
        elif meta.get("grade") and meta.get("grade_id"):
            tests.append(TestCell(meta["grade_id"], float(meta.get("points", 0) or 0), src, check_kinds(src),
                                  statements(src)))
    return Assignment(name, folder, solutions, functions, tests)


def assignment_names(course: Path) -> list[str]:
    src = Path(course) / "source"
    return sorted(p.name for p in src.iterdir()
                  if p.is_dir() and re.match(r"^\d", p.name) and (p / f"{p.name}.ipynb").is_file())


def load_course(course: Path) -> dict[str, Assignment]:
    return {name: load_assignment(course, name) for name in assignment_names(course)}
