"""The exercise edition (exercises/), generated from the reading edition (notebooks/).

* exercises/ is exactly what `python tools/editions.py` writes;
* with every blank filled with the reference answer, every exercise notebook runs clean,
  and each uses the learner's own earlier functions (the student module); by default exercise
  06 runs with the fast path through its cost curves; the slow tier (`pytest -m slow`) runs
  01 to 05 and 06 whole, 06 with the learner's loop, and 06 with a broken backward pass;
  untouched exercises stop at their first blank (the slow tier: two kernels; the student
  module's messages are checked by default in tests/test_student_loader.py);
* no exercise notebook, and no helper module it uses, holds a line of an answer;
* the student module finds a function by its cell's metadata, loads the learner's helpers,
  rejects cells that do more than define, and names the notebook in errors.
"""
from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from dnnlib import editions
from tests.helpers import with_fast_path

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ROOT / "exercises"
#: {module name: its file}: the top-level modules and the package's
PROJECT_MODULES = {p.stem: p for p in ROOT.glob("*.py") if p.stem != "conftest"}
PROJECT_MODULES.update({f"dnnlib.{p.stem}": p for p in (ROOT / "dnnlib").glob("*.py") if p.stem != "__init__"})
PROJECT_MODULES["dnnlib"] = ROOT / "dnnlib" / "__init__.py"

# Lines an answer shares with code every edition must show: how the course's functions are
# called elsewhere (predict, two_layer_model, the tests), and bare Python.
ALLOWED_SHARED_LINES = {
    "return parameters", "return grads", "return dZ", "return AL, caches", "return Z, cache",
    "return A, cache", "else:", "parameters = {}", "grads = {}", "caches = []", "Z = cache",
    "AL, caches = L_model_forward(X, parameters)", "grads = L_model_backward(AL, Y, caches)",
    "for l in range(1, L + 1):", "images = np.asarray(images)",
    # the course's own templates give these lines: the layer count, the seed's generator, and
    # the training loop's bookkeeping (two_layer_model shows them, as the course's notebook does)
    "L = len(parameters) // 2", "rng = np.random.default_rng(seed)", "costs = []",
    "for i in range(num_iterations):", "if print_cost and (i % 100 == 0 or i == num_iterations - 1):",
    'print(f"Cost after iteration {i}: {cost:.6f}")', "if i % 100 == 0:", "costs.append(cost)",
    "return parameters, costs", "parameters = update_parameters(parameters, grads, learning_rate)",
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
    """The modules `source` imports, by their full dotted names (and `dnnlib.x` for `from dnnlib import x`)."""
    tree = ast.parse(without_magics(source))  # a notebook's code that does not parse is a failure here
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
    return names


def exercise_sources(folder: Path = EXERCISES) -> dict[str, str]:
    """{file name: text} of every exercise notebook (code cells) and every project module it uses."""
    texts = {}
    for path in sorted(folder.glob("*.ipynb")):
        nb = nbformat.read(path, 4)
        texts[path.name] = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    texts["dnn_utils.py (student edition)"] = (folder / "dnn_utils.py").read_text(encoding="utf-8")
    todo = set().union(*(imported_modules(t) for t in texts.values())) & set(PROJECT_MODULES) - {"dnn_utils"}
    done = set()
    while todo:
        name = todo.pop()
        done.add(name)
        path = PROJECT_MODULES[name]
        text = path.read_text(encoding="utf-8")
        texts[str(path.relative_to(ROOT))] = text
        todo |= (imported_modules(text) & set(PROJECT_MODULES)) - done - {"dnn_utils"}
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
def filled(tmp_path_factory):
    """A copy of exercises/ with every blank filled with the reference answer. A kernel started in
    it imports its dnn_utils.py (the student edition) from its own folder, as a learner's does."""
    folder = tmp_path_factory.mktemp("exercises")
    shutil.copytree(EXERCISES, folder, dirs_exist_ok=True)
    bodies = editions.reference_bodies()
    for a in editions.ASSIGNMENTS:
        nb = editions.fill_in(nbformat.read(folder / f"{a}.ipynb", 4), bodies)
        nbformat.write(nb, folder / f"{a}.ipynb")
    return folder


# By default, exercise 06: it trains with the learner's functions of 01 to 05, each read from its
# notebook by the student module. It runs with its one choice set to the fast path (the cell comparing
# the learner's loop with the fast path still runs the learner's functions), through the two models'
# cost curves; the sections after them (from the five seeds on) are the reading edition's cells
# unchanged (checked below), which nbval runs in notebook 06. In the slow tier (`pytest -m slow`):
# exercises 01 to 05 each run whole (their cells other than the blanks are the reading edition's,
# which nbval runs by default), and 06 runs every cell as generated (FAST = False: both long
# trainings in the learner's loop).
FILLED_RUNS = [pytest.param(a, False, id=a, marks=pytest.mark.slow)
               for a in editions.ASSIGNMENTS if a != "06_cat_classifier"] + [
    pytest.param("06_cat_classifier", True, id="06_cat_classifier-fast-path"),
    pytest.param("06_cat_classifier", False, id="06_cat_classifier-learners-loop", marks=pytest.mark.slow)]
FAST_PATH_RUN_STOPS_AT = "by_seed = "   # the first cell of the five seeds' section


def through_the_cost_curves(nb):
    """Exercise 06 without the cells from FAST_PATH_RUN_STOPS_AT on, each asserted to be a cell of
    notebook 06 (the reading edition) as it is there."""
    at = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and FAST_PATH_RUN_STOPS_AT in c.source]
    assert len(at) == 1, f"expected one cell of exercise 06 holding {FAST_PATH_RUN_STOPS_AT!r}, found {len(at)}"
    reading = {c.source for c in nbformat.read(ROOT / "notebooks" / "06_cat_classifier.ipynb", 4).cells}
    left_out = [c for c in nb.cells[at[0]:] if c.cell_type == "code"]
    assert left_out and all(c.source in reading for c in left_out)
    nb.cells = nb.cells[:at[0]]
    return nb


@pytest.mark.parametrize("assignment,fast_path", FILLED_RUNS)
def test_filled_exercise_runs_clean(filled, assignment, fast_path, tmp_path):
    path = filled / f"{assignment}.ipynb"
    if fast_path:  # a copy of the filled folder, so the learner's functions are read as they are
        shutil.copytree(filled, tmp_path, dirs_exist_ok=True)
        path = tmp_path / path.name
        nbformat.write(through_the_cost_curves(with_fast_path(nbformat.read(path, 4))), path)
    nb = run_notebook(path)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    test_cells = [c for c in nb.cells if (editions.exercise_key(c) or "").startswith("test_")]
    assert test_cells and all("visible tests passed" in "".join(o.get("text", "") for o in c.outputs)
                              for c in test_cells)


@pytest.mark.slow  # two kernels; the student module's messages: tests/test_student_loader.py
def test_untouched_exercises_stop_at_the_first_blank(tmp_path, monkeypatch):
    from nbclient.exceptions import CellExecutionError

    shutil.copytree(EXERCISES, tmp_path, dirs_exist_ok=True)
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
    assert {"dnn_utils.py (student edition)", "dnnlib/checks.py", "dnnlib/student.py", "dnnlib/fast.py"} <= set(texts)
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


def test_the_student_module_imports_the_learners_functions_from_its_folder(tmp_path):
    """exercises/dnn_utils.py, imported as a kernel started in its folder imports it, runs the
    learner's initialize_parameters (01 filled in) and names notebook 02 for a function not written."""
    shutil.copytree(EXERCISES, tmp_path, dirs_exist_ok=True)
    nb = editions.fill_in(nbformat.read(tmp_path / "01_initialization.ipynb", 4), editions.reference_bodies())
    nbformat.write(nb, tmp_path / "01_initialization.ipynb")
    code = ("import numpy as np, dnn_utils\n"
            "assert dnn_utils.STUDENT_EDITION and dnn_utils.__file__.startswith(%r)\n"
            "print(dnn_utils.initialize_parameters([3, 2, 1], seed=0)['W1'].shape)\n"
            "try:\n    dnn_utils.linear_forward(np.ones((1, 1)), np.ones((1, 1)), np.ones((1, 1)))\n"
            "except NotImplementedError as e:\n    print(e)\n") % str(tmp_path)
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "(2, 3)"
    assert "linear_forward is not written yet" in done.stdout and "02_forward_propagation" in done.stdout


@pytest.mark.slow  # exercise 06 in the learner's loop, as the slow tier's whole run of it
def test_exercise_06_trains_the_learners_functions_and_names_a_broken_backward(tmp_path):
    """Exercise 06 trains with the learner's own loop (FAST = False): a backward pass that uses the
    sigmoid's derivative in the hidden layers stops it, at the comparison with the fast path, with a
    message that sends the learner to notebook 04."""
    from nbclient.exceptions import CellExecutionError

    folder = tmp_path
    shutil.copytree(EXERCISES, folder, dirs_exist_ok=True)
    bodies = editions.reference_bodies()
    assert '"relu")' in bodies["L_model_backward"]
    bodies["L_model_backward"] = bodies["L_model_backward"].replace('"relu")', '"sigmoid")')
    for a in editions.ASSIGNMENTS:
        nbformat.write(editions.fill_in(nbformat.read(folder / f"{a}.ipynb", 4), bodies), folder / f"{a}.ipynb")
    source = "\n".join(c.source for c in nbformat.read(folder / "06_cat_classifier.ipynb", 4).cells)
    assert "FAST = False" in source and "FAST = True" not in source
    with pytest.raises(CellExecutionError) as info:
        run_notebook(folder / "06_cat_classifier.ipynb")
    message = str(info.value)
    assert "differ from the fast path" in message and "L_model_backward" in message and "notebook 04" in message
