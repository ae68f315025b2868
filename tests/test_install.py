"""The project installs anywhere: a wheel built from this tree carries the library (dnnlib),
the dataset and the dataset's commands, and the learner's install is lean (no nbgrader, every
imported library declared)."""
from __future__ import annotations

import ast
import importlib.metadata as md
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from configparser import ConfigParser
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tools import install_cell

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
MODULES = PYPROJECT["tool"]["setuptools"]["py-modules"]
PACKAGES = PYPROJECT["tool"]["setuptools"]["packages"]
PACKAGE_DIR = PYPROJECT["tool"]["setuptools"].get("package-dir", {})
SCRIPTS = PYPROJECT["project"]["scripts"]
DIST = PYPROJECT["project"]["name"]


def package_folder(package):
    """The folder of the clone a package is built from (package-dir, or its dotted name)."""
    return PACKAGE_DIR.get(package, package.replace(".", "/"))


def packaged_sources():
    """The .py files of the clone that go into the wheel: the top-level modules and the packages' files."""
    files = [ROOT / f"{m}.py" for m in MODULES]
    for package in PACKAGES:
        files += sorted((ROOT / package_folder(package)).glob("*.py"))
    return files


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """A wheel built offline from a copy of the files a git checkout has."""
    src = tmp_path_factory.mktemp("src")
    for name in ["pyproject.toml", "README.md", "LICENSE", *(f"{m}.py" for m in MODULES)]:
        shutil.copy(ROOT / name, src / name)
    for folder in sorted({package_folder(p).split("/")[0] for p in PACKAGES}):  # dnnlib/, datasets/
        shutil.copytree(ROOT / folder, src / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps",
                    "--no-cache-dir", "-q", "-w", str(out), str(src)], check=True)
    (whl,) = out.glob("*.whl")
    return whl


def test_every_top_level_module_is_packaged():
    on_disk = {p.stem for p in ROOT.glob("*.py")} - {"conftest", "setup"}
    assert on_disk <= set(MODULES), (
        f"add {sorted(on_disk - set(MODULES))} to [tool.setuptools] py-modules in pyproject.toml")


def test_every_package_of_the_library_is_packaged():
    folders = {p.parent for p in (ROOT / "dnnlib").rglob("*.py") if "__pycache__" not in p.parts}
    missing_init = sorted(str(f.relative_to(ROOT)) for f in folders if not (f / "__init__.py").is_file())
    assert not missing_init, f"add an __init__.py to {missing_init}: their modules would not be installed"
    on_disk = {".".join(f.relative_to(ROOT).parts) for f in folders}
    assert on_disk <= set(PACKAGES), (
        f"add {sorted(on_disk - set(PACKAGES))} to [tool.setuptools] packages in pyproject.toml")


def test_every_console_command_names_a_main_function():
    import importlib

    for command, target in SCRIPTS.items():
        module, _, function = target.partition(":")
        assert module.split(".")[0] in {p.split(".")[0] for p in PACKAGES}, f"{command}: {module} is not installed"
        assert callable(getattr(importlib.import_module(module), function)), command


def test_wheel_carries_modules_and_dataset(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"{m}.py" for m in MODULES} <= names
    assert {p.relative_to(ROOT).as_posix() for p in packaged_sources()} <= names
    assert {"dnnlib/datasets/make_catvnoncat.py", "dnnlib/datasets/build_from_photos.py"} <= names
    assert {"dnn_course_data/train_catvnoncat.h5", "dnn_course_data/test_catvnoncat.h5"} <= names
    assert not any(n.startswith("datasets/") for n in names), "a top-level `datasets` would shadow Hugging Face's"
    assert not any(n.startswith(("tools/", "benchmarks/", "tests/")) for n in names), "the clone's own packages"
    (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
    parser = ConfigParser(delimiters=("=",))
    parser.optionxform = str
    parser.read_string(zipfile.ZipFile(wheel).read(entry_points).decode())
    assert dict(parser["console_scripts"]) == SCRIPTS


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory):
    """(run, target): the wheel installed (not editable) into a folder; run(args, cwd) runs Python on
    it from another folder, with only the wheel's copy of the project and this environment's libraries."""
    target = tmp_path_factory.mktemp("install") / "site-packages"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--no-cache-dir", "-q",
                    "--target", str(target), str(wheel)], check=True)
    # This clone is installed editable here (a finder that site.py sets up): `-S` leaves it out, so
    # only the wheel's copy and the libraries of this environment are on the path.
    libs = dict.fromkeys([str(target), sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(libs), "MPLBACKEND": "Agg"}

    def run(args, cwd, check=True):
        return subprocess.run([sys.executable, "-S", *map(str, args)], cwd=cwd, env=env,
                              capture_output=True, text=True, check=check, timeout=300)
    return run, target


def test_installed_wheel_loads_data_from_another_folder(installed, tmp_path):
    run, target = installed
    script = ("import dnn_utils\n"
              "train_x, train_y, test_x, test_y, classes = dnn_utils.load_data()\n"
              "print(dnn_utils.__file__)\nprint(dnn_utils.DATASETS_DIR)\n"
              "print(train_x.shape, train_y.shape, test_x.shape, test_y.shape)\n")
    module_file, data_dir, shapes = run(["-c", script], cwd=tmp_path).stdout.splitlines()
    assert Path(module_file).parent == target
    assert Path(data_dir) == target / "dnn_course_data"
    assert shapes == "(209, 64, 64, 3) (1, 209) (50, 64, 64, 3) (1, 50)"


def test_installed_wheel_runs_the_dataset_commands(installed, tmp_path):
    """The console commands and `python -m dnnlib.datasets.<module>` of a plain (non-editable) install."""
    run, target = installed
    for command in SCRIPTS:
        assert (target / "bin" / command).is_file(), f"pip installed no {command} command"
    r = run(["-m", "dnnlib.datasets.make_catvnoncat"], cwd=tmp_path, check=False)
    assert r.returncode == 2 and "--out" in r.stderr and os.listdir(tmp_path) == []  # never a default place
    run(["-m", "dnnlib.datasets.make_catvnoncat", "--n-train", "2", "--n-test", "2", "--out", "made"], cwd=tmp_path)
    run([target / "bin" / "dnn-make-preview", "--data", "made", "--out", "preview.png"], cwd=tmp_path)
    assert (tmp_path / "preview.png").read_bytes()[:4] == b"\x89PNG"
    script = ("import dnn_utils, dnnlib.datasets.make_catvnoncat as g\n"
              "print(g.__file__)\nprint(dnn_utils.load_data('made')[0].shape)\n")
    module_file, shape = run(["-c", script], cwd=tmp_path).stdout.splitlines()
    assert Path(module_file) == target / "dnnlib" / "datasets" / "make_catvnoncat.py"
    assert shape == "(2, 64, 64, 3)"
    assert sorted(os.listdir(target / "dnn_course_data")) == ["test_catvnoncat.h5", "train_catvnoncat.h5"]


def test_installed_wheel_draws_notebook_07s_bigger_test_set(installed, tmp_path):
    """dnnlib.explore imports the dataset's generator as a module: it works without a clone."""
    run, target = installed
    script = ("from dnnlib import explore\n"
              "x, y = explore.bigger_test_set(4, seed=3)\n"
              "print(explore.__file__)\nprint(x.shape, y.tolist())\n")
    module_file, result = run(["-c", script], cwd=tmp_path).stdout.splitlines()
    assert Path(module_file) == target / "dnnlib" / "explore.py"
    from dnnlib.datasets import make_catvnoncat  # the clone's: the same images, wherever it runs
    assert result == f"(4, 64, 64, 3) {[make_catvnoncat.make_split(4, 'test', 3)[1].tolist()]}"


def _closure(requirements):
    """Names of the installed distributions these requirements pull in, transitively, no extras."""
    seen, todo = set(), list(requirements)
    while todo:
        req = Requirement(todo.pop())
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        name = canonicalize_name(req.name)
        if name in seen:
            continue
        seen.add(name)
        try:
            todo.extend(md.requires(req.name) or [])
        except md.PackageNotFoundError:
            pass  # a platform-only dependency not installed here
    return seen


def test_learner_install_has_no_grading_or_test_tools():
    learner = _closure(PYPROJECT["project"]["dependencies"])
    for tool in ["nbgrader", "pytest", "nbval", "playwright", "jupyter-book"]:
        assert tool not in learner, f"{tool} would be in every learner's environment"
    assert {"jupyterlab", "ipykernel", "ipywidgets", "pillow"} <= learner


def test_every_library_the_course_imports_is_a_learner_dependency():
    """Of every installed module: the top-level ones and the library's (dnnlib), commands included."""
    learner = _closure(PYPROJECT["project"]["dependencies"])
    providers = md.packages_distributions()
    ours = set(MODULES) | {p.split(".")[0] for p in PACKAGES}
    imported = set()
    for path in packaged_sources():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                imported.add(node.module.split(".")[0])
    third_party = {name for name in imported
                   if name not in sys.stdlib_module_names and name not in ours and name in providers}
    assert third_party, "expected numpy, h5py, PIL, ..."
    for name in sorted(third_party):
        dists = {canonicalize_name(d) for d in providers[name]}
        assert dists & learner, f"`import {name}` needs {sorted(dists)} in [project] dependencies"


# The notebooks' first cell (tools/install_cell.py), tried on copies of the notebooks.


def test_install_cell_is_inserted_first_and_only_once(tmp_path):
    import nbformat
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    copies = [shutil.copy(p, tmp_path / p.name) for p in notebooks]
    assert install_cell.main([str(p) for p in copies]) == 0
    after = {p: Path(p).read_bytes() for p in copies}
    assert install_cell.main(["--check", *map(str, copies)]) == 0
    assert install_cell.main([str(p) for p in copies]) == 0
    assert {p: Path(p).read_bytes() for p in copies} == after, "a second run changes nothing"
    for original, copy in zip(notebooks, copies):
        old, new = nbformat.read(original, 4), nbformat.read(copy, 4)
        nbformat.validate(new)
        assert install_cell.is_install_cell(new.cells[0])
        assert sum(map(install_cell.is_install_cell, new.cells)) == 1
        assert install_cell.repository_url() in new.cells[0].source
        rest = [c for c in new.cells if not install_cell.is_install_cell(c)]
        assert [c.source for c in rest] == [c.source for c in old.cells if not install_cell.is_install_cell(c)]
    # another address (a fork): the cell is updated in place, not added again
    nb = nbformat.read(copies[0], 4)
    nb.cells.insert(3, nb.cells.pop(0))  # and moved back to the top
    assert install_cell.ensure_install_cell(nb, "https://github.com/someone/fork")
    assert "git+https://github.com/someone/fork" in nb.cells[0].source
    assert sum(map(install_cell.is_install_cell, nb.cells)) == 1


SHELL_RUN = """
import sys
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
shell = InteractiveShell.instance()
calls = []
shell.register_magic_function(lambda line: calls.append(line), "line", "pip")
if sys.argv[1] == "missing":
    sys.modules["dnn_utils"] = None  # import raises ModuleNotFoundError
with capture_output() as out:
    result = shell.run_cell(open(sys.argv[2]).read())
print(repr((result.success, out.stdout, out.stderr, calls)))
"""


@pytest.mark.parametrize("case", ["present", "missing"])
def test_install_cell_pip_installs_only_when_the_module_is_missing(case, tmp_path):
    source = tmp_path / "cell.py"
    source.write_text(install_cell.install_source("https://github.com/someone/fork"))
    out = subprocess.run([sys.executable, "-c", SHELL_RUN, case, str(source)], cwd=tmp_path,
                         capture_output=True, text=True, check=True).stdout
    success, stdout, stderr, calls = ast.literal_eval(out.strip().splitlines()[-1])
    assert success and stdout == "" and stderr == ""
    expected = [] if case == "present" else [
        f'install --quiet "{DIST} @ git+https://github.com/someone/fork"']
    assert calls == expected


def test_learner_jupyterlab_has_no_nbgrader_extension():
    """The JupyterLab extensions a learner's install brings: those its distributions ship."""
    shipped = {}
    for dist in _closure(PYPROJECT["project"]["dependencies"]):
        try:
            files = md.files(dist) or []
        except md.PackageNotFoundError:
            continue
        for f in files:
            parts = Path(f).parts
            if "labextensions" in parts and parts[-1] == "package.json":
                shipped[Path(*parts[parts.index("labextensions") + 1:-1]).as_posix()] = dist
    assert "@jupyter-widgets/jupyterlab-manager" in shipped  # ipywidgets: the check sees extensions
    assert not [name for name in shipped if "nbgrader" in name], shipped
