"""The layout: dnn_utils.py is the course, dnnlib/ the library around it, with no import cycle
and no module found by its file path or through sys.path edits."""
from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "dnnlib"


def module_files():
    """{module name: file} of dnn_utils and every module of dnnlib."""
    files = {"dnn_utils": ROOT / "dnn_utils.py"}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        files[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return files


def imports_of(name, path, known):
    """The project modules `path` imports anywhere (top level or inside a function), by name."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1] + ([base] if base else []))
            found |= {base} | {f"{base}.{a.name}" for a in node.names}
    return {m for m in found if m in known and m != name}


def test_no_import_cycle():
    files = module_files()
    graph = {name: imports_of(name, path, files) for name, path in files.items()}
    graph = {name: {m for m in deps if m != "dnnlib"} for name, deps in graph.items()}  # the package's docstring only
    state = {}

    def visit(name, trail):
        if state.get(name) == "done":
            return
        assert state.get(name) != "open", "import cycle: " + " -> ".join(trail + [name])
        state[name] = "open"
        for dep in sorted(graph[name]):
            visit(dep, trail + [name])
        state[name] = "done"

    for name in graph:
        visit(name, [])
    # the course imports the library, and the library's core never imports the course back
    assert {"dnnlib.checks", "dnnlib.fast", "dnnlib.data"} <= graph["dnn_utils"]
    for core in ("dnnlib.checks", "dnnlib.training", "dnnlib.initialization", "dnnlib.fast", "dnnlib.data",
                 "dnnlib.files", "dnnlib.gradcheck", "dnnlib.plots", "dnnlib.student"):
        assert "dnn_utils" not in graph[core], f"{core} imports dnn_utils"


def test_every_module_imports_on_its_own():
    """Each module imports in a fresh interpreter, in any order: no cycle hides behind an import order."""
    names = [n for n in module_files() if n != "dnnlib.editions"]  # editions needs nbformat (test tools)
    code = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    for order in (names, names[::-1]):
        done = subprocess.run([sys.executable, "-c", code, *order], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]


#: loading a module by its path, or finding one through an edited sys.path
FORBIDDEN = re.compile(r"spec_from_file_\w+|sys\.path\s*(\.\s*(insert|append|extend)\b|\[|\+=)"
                       r"|run_path\(|SourceFileLoader")


@pytest.mark.parametrize("path", sorted(p for p in ROOT.rglob("*.py") if not any(
    part.startswith(".") or part in ("_build", "release", "source", "submitted", "autograded", "feedback")
    for part in p.relative_to(ROOT).parts)), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_is_loaded_by_path(path):
    """Project code finds modules by import, never by file path or an edited sys.path. (A simulated
    cheating submission may, in the strings that stand for a student's code: the grader must stop it.)"""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    strings = {(n.lineno, n.end_lineno) for n in ast.walk(tree)
               if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    lines = path.read_text(encoding="utf-8").splitlines()
    bad = []
    for i, line in enumerate(lines, start=1):
        code = line.split("#", 1)[0]
        if FORBIDDEN.search(code) and not any(a <= i <= b for a, b in strings):
            bad.append(f"line {i}: {line.strip()}")
    assert not bad, bad


def test_dnn_utils_reads_as_the_course():
    """The course's functions first, in the order of the notebooks; the library after them."""
    tree = ast.parse((ROOT / "dnn_utils.py").read_text(encoding="utf-8"))
    defined = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
    course = ["initialize_parameters", "initialize_parameters_two_layer", "sigmoid", "relu", "linear_forward",
              "linear_activation_forward", "L_model_forward", "compute_cost", "sigmoid_backward", "relu_backward",
              "linear_backward", "linear_activation_backward", "L_model_backward", "update_parameters",
              "L_layer_model", "two_layer_model", "flatten_images", "predict", "accuracy"]
    assert defined[:len(course)] == course
    first_import_from_package = next(i for i, n in enumerate(tree.body)
                                     if isinstance(n, ast.ImportFrom) and (n.module or "").startswith("dnnlib")
                                     and n.module != "dnnlib.checks")
    last_course_function = max(i for i, n in enumerate(tree.body) if isinstance(n, ast.FunctionDef)
                               and n.name in course)
    assert first_import_from_package > last_course_function


@pytest.mark.parametrize("name", ["L_layer_model", "two_layer_model", "initialize_parameters",
                                  "linear_backward", "linear_activation_backward", "flatten_images"])
def test_the_learners_functions_take_the_courses_arguments(name):
    """No library options in what a learner writes: the course's arguments, plus seed= where it draws."""
    import inspect

    import dnn_utils

    params = set(inspect.signature(getattr(dnn_utils, name)).parameters)
    assert not params & {"dtype", "need_dA_prev", "fast", "form", "print_every", "init", "scale"}, params
