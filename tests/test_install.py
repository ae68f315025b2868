"""The project installs anywhere: a wheel built from this tree carries the library (dnnlib),
the dataset and the dataset's commands, and the learner's install is lean (no nbgrader, every
imported library declared).

Building and installing the wheel is the slow tier (`pytest -m slow`, README); the rest runs by default.
"""
from __future__ import annotations

import ast
import importlib.metadata as md
import json
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


#: modules of an optional extra: {module: extra}; dnnlib.explore.real_photos imports skimage and, without
#: it, raises PhotosUnavailable naming `pip install "deep-nn-from-scratch[photos]"`
OPTIONAL_IMPORTS = {"skimage": "photos"}


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
        if name in OPTIONAL_IMPORTS:  # imported only inside the function that needs it, which says what to install
            extra = _closure(PYPROJECT["project"]["optional-dependencies"][OPTIONAL_IMPORTS[name]])
            assert dists & extra, f"`import {name}` needs {sorted(dists)} in the {OPTIONAL_IMPORTS[name]} extra"
            continue
        assert dists & learner, f"`import {name}` needs {sorted(dists)} in [project] dependencies"


# The notebooks' first cells (tools/install_cell.py), tried on copies of the notebooks.


def test_install_cell_and_links_are_inserted_first_and_only_once(tmp_path):
    import nbformat
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    copies = [shutil.copy(p, tmp_path / p.name) for p in notebooks]
    assert install_cell.main([str(p) for p in copies]) == 0
    after = {p: Path(p).read_bytes() for p in copies}
    assert install_cell.main(["--check", *map(str, copies)]) == 0
    assert install_cell.main([str(p) for p in copies]) == 0
    assert {p: Path(p).read_bytes() for p in copies} == after, "a second run changes nothing"
    url = install_cell.repository_url()
    for original, copy in zip(notebooks, copies):
        old, new = nbformat.read(original, 4), nbformat.read(copy, 4)
        nbformat.validate(new)
        assert install_cell.is_install_cell(new.cells[0]) and install_cell.is_links_cell(new.cells[1])
        assert sum(map(install_cell.is_install_cell, new.cells)) == 1
        assert sum(map(install_cell.is_links_cell, new.cells)) == 1
        assert url in new.cells[0].source and url in new.cells[0].metadata["exercise_source"]
        links = new.cells[1].source
        assert f"notebooks/{original.name}" in links and "colab" in links and "mybinder" in links
        has_exercise = (ROOT / "exercises" / original.name).is_file()
        assert (f"exercises/{original.name}" in links) == has_exercise
        ours = lambda c: install_cell.is_install_cell(c) or install_cell.is_links_cell(c)  # noqa: E731
        assert [c.source for c in new.cells if not ours(c)] == [c.source for c in old.cells if not ours(c)]
    # another address (a fork): the cells are updated in place, not added again
    nb = nbformat.read(copies[0], 4)
    nb.cells.insert(3, nb.cells.pop(0))  # and moved back to the top
    assert install_cell.ensure_install_cell(nb, "https://github.com/someone/fork", stem="01_initialization")
    assert "git+https://github.com/someone/fork" in nb.cells[0].source or "someone/fork" in nb.cells[0].source
    assert "someone/fork" in nb.cells[1].source
    assert sum(map(install_cell.is_install_cell, nb.cells)) == 1


def test_exercise_edition_gets_the_exercise_variant_of_the_install_cell(tmp_path):
    """dnnlib/editions.py swaps in a cell's "exercise_source": the exercise notebooks get course_setup('exercise')."""
    import nbformat

    from dnnlib import editions
    copy = shutil.copy(ROOT / "notebooks" / "01_initialization.ipynb", tmp_path / "01_initialization.ipynb")
    assert install_cell.main([str(copy)]) == 0
    exercise = editions.use_exercise_sources(nbformat.read(copy, 4))
    assert "course_setup('exercise'" in exercise.cells[0].source
    assert "course_setup('reading'" in nbformat.read(copy, 4).cells[0].source


SHELL_RUN = """
import sys
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
shell = InteractiveShell.instance()
with capture_output() as out:
    result = shell.run_cell(open(sys.argv[1]).read())
print(repr((result.success, out.stdout, out.stderr)))
"""


@pytest.mark.parametrize("edition", ["reading", "exercise"])
def test_install_cell_does_nothing_where_the_course_imports(edition, tmp_path):
    """A clone, Binder, the tests: the cell (run as IPython runs it) prints nothing, so nbval's outputs hold.
    The exercise edition runs beside its student dnn_utils.py."""
    cell = tmp_path / "cell.py"
    cell.write_text(install_cell.install_source("https://github.com/someone/fork", edition))
    if edition == "exercise":
        (tmp_path / "dnn_utils.py").write_text("STUDENT_EDITION = True\n")
    out = subprocess.run([sys.executable, "-c", SHELL_RUN, str(cell)], cwd=tmp_path,
                         capture_output=True, text=True, check=True).stdout
    success, stdout, stderr = ast.literal_eval(out.strip().splitlines()[-1])
    assert success and stdout == "" and stderr == ""


# The cell's function, run offline: pip, git and Drive are stand-ins (a script, a local repository, a folder).
CELL_RUN = """
import json, os, sys
config = json.loads(sys.argv[1])
namespace = {}
exec(compile(open(config["cell"]).read().split("\\ncourse_setup(")[0], "cell", "exec"), namespace)
sys.modules.pop(config["module"], None)
mount = None
if config.get("mount_fails"):
    def mount():
        raise OSError("the learner refused the access")
elif config.get("colab"):
    mount = lambda: None
try:
    result = namespace["course_setup"](config["edition"], config["repository"], "deep-nn-from-scratch",
                                       pip=config["pip"], colab=config.get("colab", False), mount=mount,
                                       drive_folder=config["drive"])
    import importlib.util  # where `import dnn_utils` now leads (python -c: '' leads sys.path, as in a kernel)
    print("RESULT", result, os.path.dirname(importlib.util.find_spec("dnn_utils").origin))
except Exception as e:
    print("ERROR", type(e).__name__, isinstance(e, RuntimeError), str(e).replace("\\n", " "))
"""

FAKE_PIP = """
import pathlib, sys
pathlib.Path(sys.argv[0]).with_suffix(".args").write_text(repr(sys.argv[1:]))
print("Collecting deep-nn-from-scratch", flush=True)
print("Downloading numpy (16.4 MB)", flush=True)
if "{outcome}" == "fails":
    print("ERROR: Could not find a version that satisfies the requirement", flush=True)
    sys.exit(1)
if "{outcome}" == "works":
    pathlib.Path("{site}", "{module}.py").write_text("")
print("Successfully installed deep-nn-from-scratch", flush=True)
"""


def run_cell_function(tmp_path, edition, outcome, module="dnn_utils", **config):
    """Run course_setup from the generated cell's text in a fresh Python where `module` is missing."""
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    cell = tmp_path / "cell.py"
    cell.write_text(install_cell.install_source("https://example.invalid/repo", edition))
    fake_pip = tmp_path / "pip.py"
    fake_pip.write_text(FAKE_PIP.format(outcome=outcome, site=site, module=module))
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    config = {"cell": str(cell), "module": module, "site": str(site), "edition": edition,
              "pip": [sys.executable, str(fake_pip)], "repository": "https://example.invalid/repo",
              "drive": str(tmp_path / "drive" / "exercises"), **config}
    # reading edition: -S (no site-packages), so the only dnn_utils is the one the fake pip writes;
    # exercise edition: the project (dnnlib) is installed, the student edition is what is missing
    args = [sys.executable, "-c", CELL_RUN, json.dumps(config)]
    if edition == "reading":
        args.insert(1, "-S")
    # the fake pip installs into `site`, a folder on the path from the start (empty until it runs)
    env = dict(os.environ, PYTHONPATH=str(site))
    r = subprocess.run(args, cwd=work, capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode == 0, r.stderr
    args_file = fake_pip.with_suffix(".args")
    return r.stdout, (ast.literal_eval(args_file.read_text()) if args_file.exists() else None)


def test_install_cell_shows_pips_progress_and_then_imports(tmp_path):
    out, pip_args = run_cell_function(tmp_path, "reading", "works")
    assert pip_args[0] == "install" and not any(a in ("-q", "--quiet") for a in pip_args)
    assert "git+https://example.invalid/repo" in pip_args[-1]
    lines = out.splitlines()
    assert lines.index("Collecting deep-nn-from-scratch") < lines.index("Downloading numpy (16.4 MB)"), out
    assert lines[-1].startswith("RESULT installed"), out


def test_a_failed_pip_says_what_failed_and_what_to_do(tmp_path):
    out, _ = run_cell_function(tmp_path, "reading", "fails")
    assert "ERROR: Could not find a version" in out  # pip's own reason is shown
    error = out.splitlines()[-1]
    assert error.startswith("ERROR CourseSetupError True"), out
    assert "pip" in error and "deep-nn-from-scratch" in error and "ModuleNotFoundError" not in out


def test_an_install_that_leaves_the_module_missing_says_to_restart(tmp_path):
    out, _ = run_cell_function(tmp_path, "reading", "installs-nothing")
    error = out.splitlines()[-1]
    assert error.startswith("ERROR CourseSetupError True") and "dnn_utils" in error and "Restart" in error, out


def test_exercise_edition_outside_colab_without_its_folder_says_what_to_do(tmp_path):
    out, pip_args = run_cell_function(tmp_path, "exercise", "works")
    error = out.splitlines()[-1]
    assert error.startswith("ERROR CourseSetupError True") and "exercises/" in error, out


def make_repository(tmp_path):
    """A local git repository with an exercises/ folder (the stand-in for the GitHub one)."""
    repo = tmp_path / "repo"
    (repo / "exercises").mkdir(parents=True)
    (repo / "exercises" / "dnn_utils.py").write_text("STUDENT_EDITION = True\n")
    (repo / "exercises" / "01_initialization.ipynb").write_text("{}")
    (repo / "exercises" / "02_forward_propagation.ipynb").write_text("{}")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "init.defaultBranch=main"]
    for command in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "exercises"]):
        subprocess.run(git + command, cwd=repo, check=True)
    return repo.as_uri()


@pytest.mark.skipif(shutil.which("git") is None, reason="no git")
def test_exercise_edition_in_colab_works_from_one_drive_folder_and_keeps_the_learners_work(tmp_path):
    repository = make_repository(tmp_path)
    drive = tmp_path / "drive" / "exercises"
    out, _ = run_cell_function(tmp_path, "exercise", "works",
                               colab=True, repository=repository)
    assert out.splitlines()[-1] == f"RESULT drive {drive}", out
    assert sorted(p.name for p in drive.iterdir()) == [
        "01_initialization.ipynb", "02_forward_propagation.ipynb", "dnn_utils.py"]
    # the learner's work in Drive is never overwritten, and a missing file comes back
    (drive / "01_initialization.ipynb").write_text("my work")
    (drive / "02_forward_propagation.ipynb").unlink()
    (drive / "dnn_utils.py").unlink()
    out, _ = run_cell_function(tmp_path, "exercise", "works",
                               colab=True, repository=repository)
    assert out.splitlines()[-1] == f"RESULT drive {drive}", out
    assert (drive / "01_initialization.ipynb").read_text() == "my work"
    assert (drive / "02_forward_propagation.ipynb").is_file()


@pytest.mark.skipif(shutil.which("git") is None, reason="no git")
def test_exercise_edition_in_colab_says_when_drive_or_the_repository_fails(tmp_path):
    out, _ = run_cell_function(tmp_path, "exercise", "works",
                               colab=True, mount_fails=True, repository=make_repository(tmp_path))
    error = out.splitlines()[-1]
    assert error.startswith("ERROR CourseSetupError True") and "Drive" in error and "refused" in error, out
    out, _ = run_cell_function(tmp_path, "exercise", "works",
                               colab=True, repository=(tmp_path / "nowhere").as_uri())
    error = out.splitlines()[-1]
    assert error.startswith("ERROR CourseSetupError True") and "git" in error, out
    assert not (tmp_path / "drive" / "exercises").exists()


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
