"""The exercise edition (exercises/), generated from the reading edition (notebooks/).

* exercises/ is exactly what `python tools/editions.py` writes;
* with every blank filled with the reference answer, every exercise notebook runs clean,
  and each uses the learner's own earlier functions (the student module);
* no exercise notebook, and no helper module it uses, holds a line of an answer;
* the student module finds a function by its cell's metadata, loads the learner's helpers,
  rejects cells that do more than define, and names the notebook in errors.
"""
from __future__ import annotations

import ast
import importlib.util
import json
import os
import re
import shutil
import sys
import traceback
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("editions", ROOT / "tools" / "editions.py")
editions = importlib.util.module_from_spec(spec)
spec.loader.exec_module(editions)

EXERCISES = ROOT / "exercises"
PROJECT_MODULES = {p.stem for p in ROOT.glob("*.py")} - {"conftest"}

# Lines an answer shares with code every edition must show: how the course's functions are
# called elsewhere (predict, two_layer_model, the tests), and bare Python.
ALLOWED_SHARED_LINES = {
    "return parameters", "return grads", "return dZ", "return AL, caches", "return Z, cache",
    "return A, cache", "else:", "parameters = {}", "grads = {}", "caches = []", "Z = cache",
    "AL, caches = L_model_forward(X, parameters)", "grads = L_model_backward(AL, Y, caches)",
    "for l in range(1, L + 1):", "images = np.asarray(images)",
    "if fast:",  # the branch on a documented argument (two_layer_model shows it too)
}


def normalized_lines(text: str) -> set[str]:
    """Code lines of `text`, stripped, without comments and blank lines."""
    out = set()
    for line in text.splitlines():
        code = line.strip()
        hash_at = next((m.start() for m in re.finditer("#", code) if code[:m.start()].count('"') % 2 == 0
                        and code[:m.start()].count("'") % 2 == 0), None)
        if hash_at is not None:
            code = code[:hash_at].rstrip()
        code = re.sub(r"\s+", " ", code)
        if code:
            out.add(code)
    return out


def answer_lines() -> dict[str, set[str]]:
    """{function: its answer's code lines, minus the allowed shared ones}."""
    return {name: normalized_lines(body) - ALLOWED_SHARED_LINES
            for name, body in editions.reference_bodies().items()}


def without_magics(source: str) -> str:
    """`source` with each IPython magic line (%pip ..., !ls) read as `pass`, at its indentation."""
    return "\n".join(line[:len(line) - len(line.lstrip())] + "pass" if line.lstrip().startswith(("%", "!"))
                     else line for line in source.splitlines())


def imported_modules(source: str) -> set[str]:
    tree = ast.parse(without_magics(source))  # a notebook's code that does not parse is a failure here
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def exercise_sources(folder: Path = EXERCISES) -> dict[str, str]:
    """{file name: text} of every exercise notebook (code cells) and every project module it uses."""
    texts = {}
    for path in sorted(folder.glob("*.ipynb")):
        nb = nbformat.read(path, 4)
        texts[path.name] = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    texts["dnn_utils.py (student edition)"] = (folder / "dnn_utils.py").read_text(encoding="utf-8")
    todo = set().union(*(imported_modules(t) for t in texts.values())) & PROJECT_MODULES - {"dnn_utils"}
    done = set()
    while todo:
        name = todo.pop()
        done.add(name)
        text = (ROOT / f"{name}.py").read_text(encoding="utf-8")
        texts[f"{name}.py"] = text
        todo |= (imported_modules(text) & PROJECT_MODULES) - done - {"dnn_utils"}
    return texts


def leaks(texts: dict[str, str], answers: dict[str, set[str]]) -> list[str]:
    found = []
    for where, text in texts.items():
        lines = normalized_lines(text)
        for name, answer in answers.items():
            for line in sorted(answer & lines):
                found.append(f"{where} holds a line of the answer of {name}: {line}")
    return found


# ---------------------------------------------------------------------------
# (a) the committed edition is the generated one
# ---------------------------------------------------------------------------

def test_exercises_are_generated_from_the_notebooks():
    stale = editions.differences(EXERCISES)
    assert not stale, f"exercises/ differs from notebooks/ in {stale}: run `python tools/editions.py`"


def test_stale_exercises_are_reported(tmp_path):
    shutil.copytree(EXERCISES, tmp_path / "exercises")
    nb = nbformat.read(tmp_path / "exercises" / "03_cost.ipynb", 4)
    nb.cells[0].source += "\nan edit made by hand"
    nbformat.write(nb, tmp_path / "exercises" / "03_cost.ipynb")
    assert editions.differences(tmp_path / "exercises") == ["03_cost.ipynb"]


def test_every_graded_function_is_a_blank_with_its_spec():
    reading = {}
    for a in editions.ASSIGNMENTS:
        for cell in nbformat.read(ROOT / "notebooks" / f"{a}.ipynb", 4).cells:
            if editions.is_graded(cell):
                for fn in editions.functions_in(cell.source):
                    reading[fn.name] = (ast.get_docstring(fn), ast.unparse(fn.args),
                                        [ast.unparse(d) for d in fn.decorator_list])
    written = {}
    for a in editions.ASSIGNMENTS:
        nb = nbformat.read(EXERCISES / f"{a}.ipynb", 4)
        assert "nbgrader" not in json.dumps(nb), f"{a}: the exercise edition must not need nbgrader"
        assert "walkthrough-only" not in json.dumps([c.metadata for c in nb.cells]), a
        for i, cell in enumerate(nb.cells):
            if editions.is_graded(cell):
                assert editions.exercise_key(nb.cells[i + 1]) == "test_" + editions.exercise_key(cell)
                for fn in editions.functions_in(cell.source):
                    body = [ast.unparse(n) for n in fn.body[1:]]
                    assert len(body) == 1 and body[0].startswith("raise NotImplementedError"), fn.name
                    assert "# YOUR CODE HERE (about " in cell.source, fn.name
                    written[fn.name] = (ast.get_docstring(fn), ast.unparse(fn.args),
                                        [ast.unparse(d) for d in fn.decorator_list])
            if cell.cell_type == "code":
                assert not cell.outputs, (a, i)
    assert written == reading and len(written) == 14


# ---------------------------------------------------------------------------
# (b) filled with the reference answers, every exercise notebook runs clean
# ---------------------------------------------------------------------------

def run_notebook(path: Path, timeout: int = 300):
    from nbclient import NotebookClient

    nb = nbformat.read(path, 4)
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb


@pytest.fixture(scope="module")
def kernel_path(tmp_path_factory):
    """Kernels import the exercise folder's dnn_utils.py first, the project's other modules next."""
    folder = tmp_path_factory.mktemp("project") / "exercises"
    folder.mkdir()
    (folder.parent / "datasets").symlink_to(ROOT / "datasets")   # exercises/ sits beside datasets/
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PYTHONPATH", os.pathsep.join([str(folder), str(ROOT)]))
        yield folder


@pytest.fixture(scope="module")
def filled(kernel_path):
    folder = kernel_path
    shutil.copytree(EXERCISES, folder, dirs_exist_ok=True)
    bodies = editions.reference_bodies()
    for a in editions.ASSIGNMENTS:
        nb = editions.fill_in(nbformat.read(folder / f"{a}.ipynb", 4), bodies)
        nbformat.write(nb, folder / f"{a}.ipynb")
    return folder


@pytest.mark.parametrize("assignment", editions.ASSIGNMENTS)
def test_filled_exercise_runs_clean(filled, assignment):
    nb = run_notebook(filled / f"{assignment}.ipynb")
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    test_cells = [c for c in nb.cells if (editions.exercise_key(c) or "").startswith("test_")]
    assert test_cells and all("visible tests passed" in "".join(o.get("text", "") for o in c.outputs)
                              for c in test_cells)


def test_untouched_exercises_stop_at_the_first_blank(tmp_path, monkeypatch):
    from nbclient.exceptions import CellExecutionError

    shutil.copytree(EXERCISES, tmp_path, dirs_exist_ok=True)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(tmp_path), str(ROOT)]))
    with pytest.raises(CellExecutionError, match="NotImplementedError.*write the body of initialize_parameters"):
        run_notebook(tmp_path / "01_initialization.ipynb")
    # 02 filled in, 01 not: the first call of initialize_parameters names notebook 01
    nb = editions.fill_in(nbformat.read(tmp_path / "02_forward_propagation.ipynb", 4), editions.reference_bodies())
    nbformat.write(nb, tmp_path / "02_forward_propagation.ipynb")
    with pytest.raises(CellExecutionError, match="initialize_parameters is not written yet.*01_initialization"):
        run_notebook(tmp_path / "02_forward_propagation.ipynb")


def test_exercises_refuse_the_full_module(tmp_path, monkeypatch):
    """Run with the project's dnn_utils.py first on the path, an exercise says so instead of using it."""
    from nbclient.exceptions import CellExecutionError

    shutil.copytree(EXERCISES, tmp_path, dirs_exist_ok=True)
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    with pytest.raises(CellExecutionError, match="not the dnn_utils.py next to it"):
        run_notebook(tmp_path / "03_cost.ipynb")


# ---------------------------------------------------------------------------
# (c) no answer is handed out
# ---------------------------------------------------------------------------

def test_no_exercise_file_holds_a_line_of_an_answer():
    answers = answer_lines()
    assert all(answers.values()), [n for n, lines in answers.items() if not lines]
    texts = exercise_sources()
    assert {"dnn_utils.py (student edition)", "dnn_checks.py"} <= set(texts)
    assert not leaks(texts, answers), "\n".join(leaks(texts, answers))


def test_the_answer_check_can_fail(tmp_path):
    shutil.copytree(EXERCISES, tmp_path, dirs_exist_ok=True)
    nb = editions.fill_in(nbformat.read(tmp_path / "03_cost.ipynb", 4), editions.reference_bodies())
    nbformat.write(nb, tmp_path / "03_cost.ipynb")
    found = leaks(exercise_sources(tmp_path), answer_lines())
    assert found and all("03_cost.ipynb" in f and "compute_cost" in f for f in found)
    # and a helper module the notebooks import is read too
    (tmp_path / "01_initialization.ipynb").write_text(
        (tmp_path / "01_initialization.ipynb").read_text().replace("import numpy as np", "import blog_post_bugs"))
    assert "blog_post_bugs.py" in exercise_sources(tmp_path)


# ---------------------------------------------------------------------------
# No edition imports a private name
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted(EXERCISES.glob("*.ipynb")),
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_notebook_imports_a_private_name(path):
    for cell in nbformat.read(path, 4).cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(without_magics(cell.source))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                private = [a.name for a in node.names if a.name.split(".")[-1].startswith("_")]
                assert not private, f"{path.name} imports {private}"
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                assert not (node.value.id in PROJECT_MODULES and node.attr.startswith("_")
                            and not node.attr.startswith("__")), \
                    f"{path.name} uses {node.value.id}.{node.attr}"


# ---------------------------------------------------------------------------
# The student module's loader
# ---------------------------------------------------------------------------

@pytest.fixture
def student(tmp_path, monkeypatch):
    """The exercises folder in a temp dir, with 01 filled in, and its student module imported."""
    shutil.copytree(EXERCISES, tmp_path, dirs_exist_ok=True)
    nb = editions.fill_in(nbformat.read(tmp_path / "01_initialization.ipynb", 4), editions.reference_bodies())
    nbformat.write(nb, tmp_path / "01_initialization.ipynb")
    monkeypatch.chdir(tmp_path)
    spec = importlib.util.spec_from_file_location("student_dnn_utils", tmp_path / "dnn_utils.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return tmp_path, module


def edit_graded_cell(path: Path, key: str, change) -> None:
    nb = nbformat.read(path, 4)
    for cell in nb.cells:
        if cell.get("metadata", {}).get("exercise") == key:
            cell.source = change(cell.source)
    nbformat.write(nb, path)


def test_student_module_runs_the_learners_function(student):
    folder, module = student
    p = module.initialize_parameters([3, 2, 1], seed=0)
    assert p["W1"].shape == (2, 3)
    # a scratch cell above the graded one that also defines the function is not taken for it
    nb = nbformat.read(folder / "01_initialization.ipynb", 4)
    nb.cells.insert(2, nbformat.v4.new_code_cell("def initialize_parameters(layer_dims):\n    return 'scratch'"))
    nbformat.write(nb, folder / "01_initialization.ipynb")
    assert isinstance(module.initialize_parameters([3, 2, 1], seed=0), dict)


def test_student_module_loads_the_learners_helpers(student):
    folder, module = student
    edit_graded_cell(folder / "01_initialization.ipynb", "initialize_parameters", lambda s: (
        "import math\n\nSCALE = 2\n\n\ndef my_zeros(n):\n    return np.zeros((n, 1))\n\n\n"
        + s.replace('np.zeros((layer_dims[l], 1), dtype=dtype)', 'my_zeros(layer_dims[l]).astype(dtype) * SCALE')))
    p = module.initialize_parameters([3, 2, 1], seed=0)
    assert p["b1"].shape == (2, 1)


def test_student_module_rejects_a_cell_that_does_more_than_define(student):
    folder, module = student
    edit_graded_cell(folder / "01_initialization.ipynb", "initialize_parameters",
                     lambda s: s + '\n\nprint("trying it out")\ninitialize_parameters([2, 1])')
    with pytest.raises(NotImplementedError, match=r"01_initialization .*line \d+: print\(\"trying it out\"\)"):
        module.initialize_parameters([3, 2, 1], seed=0)


def with_first_line(source, name, line):
    """`source` with `line` as the first statement of function `name` (after its docstring)."""
    fn = next(n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.FunctionDef) and n.name == name)
    first = fn.body[1] if ast.get_docstring(fn) is not None else fn.body[0]
    lines = source.splitlines()
    lines.insert(first.lineno - 1, " " * first.col_offset + line)
    return "\n".join(lines)


def test_student_module_names_the_notebook_in_errors(student):
    folder, module = student
    with pytest.raises(NotImplementedError, match="not written yet.*02_forward_propagation"):
        module.linear_forward(*([__import__("numpy").ones((1, 1))] * 3))
    edit_graded_cell(folder / "01_initialization.ipynb", "initialize_parameters",
                     lambda s: with_first_line(s, "initialize_parameters", "1 / 0"))
    try:
        module.initialize_parameters([3, 2, 1], seed=0)
    except ZeroDivisionError:
        text = "".join(traceback.format_exception(*sys.exc_info()))
    assert 'File "<exercise 01: initialize_parameters>"' in text and "1 / 0" in text
    assert '"cells"' not in text                      # never a notebook's JSON
    edit_graded_cell(folder / "01_initialization.ipynb", "initialize_parameters", lambda s: s + "\n def (")
    with pytest.raises(NotImplementedError, match="initialize_parameters in notebook 01_initialization does not parse"):
        module.initialize_parameters([3, 2, 1], seed=0)
