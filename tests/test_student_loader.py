"""dnnlib.student: the one loader of a learner's code, for the exercise edition and the grader.

LearnerFunctions finds a function by its cell's metadata (never by "first def"), loads the
learner's helpers, refuses cells that do work, reads a notebook again when it changes, and
names the notebook in errors; `definitions` splits a cell the same way for both users, with
the grader's policy (skip, don't refuse) differing only by its flag.
"""
from __future__ import annotations

import ast
import json
import sys
import traceback

import nbformat
import numpy as np
import pytest

import dnn_utils
from dnnlib import editions
from dnnlib.student import LearnerFunctions, StudentCodeError, definitions, graded_cells

WRITTEN_IN = {"initialize_parameters": ("01_initialization", "initialize_parameters"),
              "linear_forward": ("02_forward_propagation", "linear_forward")}


@pytest.fixture
def course(tmp_path, monkeypatch):
    """A folder with exercise 01 filled in with the reference answer, and a loader reading it."""
    nb = editions.exercise_notebook(nbformat.read(editions.NOTEBOOKS / "01_initialization.ipynb", 4),
                                    "01_initialization", set(editions.graded_functions()))
    nbformat.write(editions.fill_in(nb, editions.reference_bodies()), tmp_path / "01_initialization.ipynb")
    monkeypatch.chdir(tmp_path)
    module = dict(vars(dnn_utils), __file__=str(tmp_path / "dnn_utils.py"))
    return tmp_path, LearnerFunctions(module, WRITTEN_IN, where="keep the notebooks side by side")


def edit_graded_cell(path, key, change):
    nb = nbformat.read(path, 4)
    for cell in nb.cells:
        if cell.get("metadata", {}).get("exercise") == key:
            cell.source = change(cell.source)
    nbformat.write(nb, path)


def test_runs_the_learners_own_function(course):
    folder, yours = course
    fn = yours("initialize_parameters")
    assert fn is not dnn_utils.initialize_parameters
    assert fn([3, 2, 1], seed=0)["W1"].shape == (2, 3)
    # a scratch cell above the graded one that also defines the function is not taken for it
    nb = nbformat.read(folder / "01_initialization.ipynb", 4)
    nb.cells.insert(2, nbformat.v4.new_code_cell("def initialize_parameters(layer_dims):\n    return 'scratch'"))
    nbformat.write(nb, folder / "01_initialization.ipynb")
    assert isinstance(yours("initialize_parameters")([3, 2, 1], seed=0), dict)


def test_reads_the_notebook_again_when_it_changes(course):
    folder, yours = course
    first = yours("initialize_parameters")
    assert yours("initialize_parameters") is first                      # unchanged: not read again
    edit_graded_cell(folder / "01_initialization.ipynb", "initialize_parameters",
                     lambda s: s.replace("return parameters", "return {'changed': True}"))
    assert yours("initialize_parameters")([3, 2, 1], seed=0) == {"changed": True}


def test_loads_the_learners_helpers_and_constants(course):
    folder, yours = course
    edit_graded_cell(folder / "01_initialization.ipynb", "initialize_parameters", lambda s: (
        "import math\n\nSCALE = 2\n\n\ndef my_zeros(n):\n    return np.zeros((n, 1))\n\n\n"
        + s.replace("np.zeros((layer_dims[l], 1))", "my_zeros(layer_dims[l]) * SCALE")))
    p = yours("initialize_parameters")([3, 2, 1], seed=0)
    assert p["b1"].shape == (2, 1) and not p["b1"].any()


def test_refuses_a_cell_that_does_more_than_define(course):
    folder, yours = course
    edit_graded_cell(folder / "01_initialization.ipynb", "initialize_parameters",
                     lambda s: s + '\n\nprint("trying it out")\ninitialize_parameters([2, 1])')
    with pytest.raises(StudentCodeError, match=r"01_initialization .*line \d+: print\(\"trying it out\"\)"):
        yours("initialize_parameters")


def with_first_line(source, name, line):
    """`source` with `line` as the first statement of function `name` (after its docstring)."""
    fn = next(n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.FunctionDef) and n.name == name)
    first = fn.body[1] if ast.get_docstring(fn) is not None else fn.body[0]
    lines = source.splitlines()
    lines.insert(first.lineno - 1, " " * first.col_offset + line)
    return "\n".join(lines)


def test_names_the_notebook_in_errors(course):
    folder, yours = course
    with pytest.raises(StudentCodeError, match="notebook 02_forward_propagation was not found"):
        yours("linear_forward")
    edit_graded_cell(folder / "01_initialization.ipynb", "initialize_parameters",
                     lambda s: with_first_line(s, "initialize_parameters", "1 / 0"))
    try:
        yours("initialize_parameters")([3, 2, 1], seed=0)
    except ZeroDivisionError:
        text = "".join(traceback.format_exception(*sys.exc_info()))
    assert 'File "<exercise 01: initialize_parameters>"' in text and "1 / 0" in text
    assert '"cells"' not in text                      # never a notebook's JSON
    edit_graded_cell(folder / "01_initialization.ipynb", "initialize_parameters", lambda s: s + "\n def (")
    with pytest.raises(StudentCodeError, match="exercise 01: initialize_parameters> does not parse"):
        yours("initialize_parameters")


def test_a_blank_is_not_written_yet(tmp_path, monkeypatch):
    nb = editions.exercise_notebook(nbformat.read(editions.NOTEBOOKS / "01_initialization.ipynb", 4),
                                    "01_initialization", set(editions.graded_functions()))
    nbformat.write(nb, tmp_path / "01_initialization.ipynb")
    yours = LearnerFunctions(dict(vars(dnn_utils), __file__=str(tmp_path / "dnn_utils.py")), WRITTEN_IN, "")
    with pytest.raises(StudentCodeError, match="initialize_parameters is not written yet: finish it in notebook "
                                               "01_initialization"):
        yours("initialize_parameters")


@pytest.mark.parametrize("content", ["not json at all", "{\"cells\": \"x\"}", "[1, 2]", "\udcff"])
def test_a_damaged_notebook_is_a_clear_error(tmp_path, content):
    (tmp_path / "01_initialization.ipynb").write_text(content, encoding="utf-8", errors="surrogateescape")
    yours = LearnerFunctions(dict(vars(dnn_utils), __file__=str(tmp_path / "dnn_utils.py")), WRITTEN_IN, "")
    with pytest.raises(StudentCodeError, match="01_initialization"):
        yours("initialize_parameters")


def test_finds_assignment_folders_side_by_side(tmp_path, monkeypatch):
    """The classroom's layout: DIR/01_initialization/01_initialization.ipynb, found through DNN_COURSE_DIR."""
    (tmp_path / "01_initialization").mkdir()
    nb = editions.exercise_notebook(nbformat.read(editions.NOTEBOOKS / "01_initialization.ipynb", 4),
                                    "01_initialization", set(editions.graded_functions()))
    nbformat.write(editions.fill_in(nb, editions.reference_bodies()),
                   tmp_path / "01_initialization" / "01_initialization.ipynb")
    monkeypatch.setenv("DNN_COURSE_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path.parent)
    elsewhere = tmp_path / "02_forward_propagation" / "dnn_utils.py"
    yours = LearnerFunctions(dict(vars(dnn_utils), __file__=str(elsewhere)), WRITTEN_IN, "")
    assert yours("initialize_parameters")([4, 1], seed=1)["W1"].shape == (1, 4)


# ---------------------------------------------------------------------------
# definitions: one split of a cell, two policies
# ---------------------------------------------------------------------------

CELL = '''"""a docstring"""
import math
from numpy import zeros
K = 3
S: int = 4
LIMIT = math.sqrt(K)
def helper(x):
    return x
class Box:
    pass
print("side effect")
helper(1)
for i in range(2):
    pass
'''


def test_definitions_splits_a_cell_for_the_exercises():
    _, kept, others = definitions(CELL, "<cell>")
    assert [type(n).__name__ for n in kept] == ["Expr", "Import", "ImportFrom", "Assign", "AnnAssign",
                                                "FunctionDef", "ClassDef"]
    # LIMIT = math.sqrt(K) calls a function while loading: refused in the exercises
    assert [n.lineno for n in others] == [6, 11, 12, 13]


def test_definitions_with_the_graders_policy_keeps_assignments_that_call():
    _, kept, others = definitions(CELL, "<cell>", allow_calls=True)
    assert 6 in [n.lineno for n in kept] and [n.lineno for n in others] == [11, 12, 13]


def test_a_definition_with_a_fallback_is_a_definition():
    """try: import ... / except ImportError: def ...: loaded as nbgrader runs it, in both policies;
    a try that does work in a branch is not."""
    fallback = ("try:\n    from scipy.special import xlogy\nexcept ImportError:\n"
                "    def xlogy(x, y):\n        return x * math.log(y)\n")
    working = "try:\n    import math\nexcept ImportError:\n    print('no math')\n"
    for allow_calls in (False, True):
        _, kept, others = definitions(fallback + working, "<cell>", allow_calls=allow_calls)
        assert [n.lineno for n in kept] == [1] and [n.lineno for n in others] == [6]


def test_definitions_of_a_cell_that_does_not_parse():
    with pytest.raises(StudentCodeError, match=r"<cell> does not parse: .*\(line 1\)"):
        definitions("def (", "<cell>")


def test_graded_cells_by_metadata_either_edition():
    notebook = {"cells": [
        {"cell_type": "code", "metadata": {"exercise": "a"}, "source": ["x = 1\n", "y = 2"]},
        {"cell_type": "code", "metadata": {"nbgrader": {"grade_id": "b"}}, "source": "z = 3"},
        {"cell_type": "markdown", "metadata": {"exercise": "a"}, "source": "not code"},
        {"cell_type": "code", "metadata": {}, "source": "def a(): pass"},
    ]}
    assert graded_cells(notebook, {"a", "b"}) == [("a", "x = 1\ny = 2"), ("b", "z = 3")]
    assert graded_cells(json.loads(json.dumps(notebook)), {"b"}) == [("b", "z = 3")]
    with pytest.raises(StudentCodeError, match="no list of cells"):
        graded_cells({"cells": "x"}, {"a"})


def test_the_learners_code_sees_the_course_helpers(course):
    """The namespace starts from the student module: np, sigmoid and relu are there."""
    _, yours = course
    namespace = yours.namespace("01_initialization")
    assert namespace["np"] is np and namespace["sigmoid"] is dnn_utils.sigmoid
