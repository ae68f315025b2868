"""Give every notebook its first two cells: one that installs the course where it is missing, and
one line of links that open the notebook, in either edition, in Colab or Binder.

    python tools/install_cell.py notebooks/*.ipynb           # insert or update the cells
    python tools/install_cell.py --check notebooks/*.ipynb   # exit 1 if a notebook needs them
    python tools/install_cell.py --url URL notebooks/*.ipynb # another repository (a fork)

Run it on the reading edition, then `python tools/editions.py`: the exercise edition gets the
exercise variant of the install cell from the reading cell's metadata ("exercise_source", which
dnnlib/editions.py puts in place of the source), and the same line of links.

The install cell (code, tagged `remove-cell`, so the website leaves it out) calls `course_setup`
below, whose source it carries (a notebook opened alone in Colab has nothing to import it from):

* reading edition: where `dnn_utils` imports (a clone with the project installed, Binder, the
  tests) it does nothing and prints nothing, so nbval's stored outputs are unchanged; elsewhere
  (Colab) it pip-installs the project from the repository, showing pip's lines as they come.
* exercise edition: the learner's functions are read from the exercise notebooks in the folder
  of the student edition's dnn_utils.py (exercises/dnn_utils.py). In Binder, or a clone, that
  folder is the notebook's own: nothing to do. In Colab each notebook runs alone, and a notebook
  opened from GitHub is saved nowhere another notebook can read; so the cell installs the
  project, connects Google Drive, copies the exercise folder there ONCE (never over the learner's
  work), and works from that folder, and says to open the notebooks from there.
  Anywhere else (a notebook downloaded alone) it says what to do, and stops.
* A failure (pip, git, Drive, an import after the install) stops the notebook with what failed
  and what to do, never a bare ModuleNotFoundError after pip's output.

The repository's address is read from ONE place, [project.urls] Repository in pyproject.toml;
so are the links (`launch_links`, which tools/build_site.py uses too).

Idempotent: a notebook that already has the current cells first is left byte for byte as it is.
A notebook is written whole or not at all; a missing, damaged or read-only one is one line
naming it and the problem (exit status 2).
"""
from __future__ import annotations

import argparse
import inspect
import sys
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import nbformat

from dnnlib.editions import NotebookError, check_can_write, read_notebook, write_notebook

ROOT = Path(__file__).resolve().parent.parent
CELL_ID = "install-course-module"
LINKS_ID = "open-in-colab-or-binder"
# "#@title" and cellView "form": Colab shows the cell folded, as its title (JupyterLab: source_hidden)
MARKER = "#@title Colab / Binder: install the course if it is missing (does nothing otherwise)"
OLD_MARKERS = ("# Colab / Binder: install the course's module if it is missing",)
TAGS = ["remove-cell"]
# the metadata key dnnlib/editions.py replaces a cell's source with in the learner's editions
EXERCISE_SOURCE = "exercise_source"
BRANCH = "main"
COLAB = "https://colab.research.google.com/github"
BINDER = "https://mybinder.org/v2/gh"
# where the exercise edition lives in the learner's Google Drive, in Colab
DRIVE_FOLDER = "/content/drive/MyDrive/deep-nn-from-scratch/exercises"


def course_setup(edition, repository, name, *, pip=None, git="git", colab=None, mount=None,
                 drive_folder=DRIVE_FOLDER):
    """Make the course importable for this notebook (the body of the notebooks' first cell).

    edition -- "reading" or "exercise"; repository -- the git URL to install and fetch from;
    name -- the distribution's name. pip, git, colab and mount are the commands and the Colab
    test and Drive mount it uses (parameters so that the tests can run it offline).
    """
    import importlib
    import importlib.util
    import os
    import shutil
    import subprocess
    import sys
    import tempfile
    import time
    from pathlib import Path

    class CourseSetupError(RuntimeError):
        """What failed, and what to do (the notebook's last line)."""

    def run(command, what):
        # pip's and git's own lines, shown as they come (progress, not 20 s of silence)
        print(f"$ {' '.join(command)}", flush=True)
        try:
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                       bufsize=1)
        except OSError as e:
            raise CourseSetupError(f"{what} could not start ({e})") from None
        for line in process.stdout:
            print(line, end="", flush=True)
        return process.wait()

    def importable(module):
        importlib.invalidate_caches()
        return importlib.util.find_spec(module) is not None

    pip = list(pip or [sys.executable, "-m", "pip"])
    in_colab = ("google.colab" in sys.modules) if colab is None else colab
    spec = f"{name} @ git+{repository}"
    here = Path.cwd()
    if edition == "exercise" and (here / "dnn_utils.py").is_file() and importable("dnnlib"):
        return "beside"  # a clone, Binder or the classroom: the student edition is beside the notebook
    module = "dnnlib" if edition == "exercise" else "dnn_utils"
    if not importable(module):
        print(f"Installing the course ({spec}); pip lists each package as it goes, about a minute in all.",
              flush=True)
        start = time.monotonic()
        status = run([*pip, "install", spec], "pip")
        if status != 0:
            raise CourseSetupError(
                f"pip could not install the course (exit status {status}); its last lines above say why. "
                f"Check that this runtime is online, then run this cell again; or install it yourself with "
                f"pip install \"{spec}\" and restart the kernel (Colab: Runtime > Restart session).")
        try:
            importlib.import_module(module)
        except ImportError as e:
            raise CourseSetupError(
                f"pip installed the course, but `import {module}` still fails ({e}). Restart the kernel "
                f"(Colab: Runtime > Restart session; Jupyter: Kernel > Restart Kernel) and run the notebook "
                f"from the top.") from None
        print(f"Installed the course in {time.monotonic() - start:.0f} s.", flush=True)
        if edition == "reading":
            return "installed"
    if edition == "reading":
        return "present"
    if not in_colab:
        raise CourseSetupError(
            "This is the exercise edition: it reads the functions you write from the other exercise "
            "notebooks, through the dnn_utils.py of their folder, and none is beside this notebook. "
            f"Get the whole folder (git clone {repository}, or Binder), then open exercises/ in "
            "JupyterLab from there.")
    folder = Path(drive_folder)
    if mount is None:
        def mount():
            from google.colab import drive
            drive.mount("/content/drive")
    try:
        mount()  # Colab asks the learner to allow it
    except Exception as e:
        raise CourseSetupError(
            f"Google Drive could not be connected ({e}). In Colab the exercise notebooks keep your functions "
            f"in Drive, where each notebook can read the others: run this cell again and allow the access, or "
            f"use Binder, or your own computer (the README's install).") from None
    if not (folder / "dnn_utils.py").is_file():
        print(f"Copying the exercise notebooks to {folder} (once; nothing there is ever overwritten).",
              flush=True)
        with tempfile.TemporaryDirectory() as tmp:
            status = run([git, "clone", "--depth", "1", "--progress", repository, tmp + "/repo"], "git")
            source = Path(tmp) / "repo" / "exercises"
            if status != 0 or not (source / "dnn_utils.py").is_file():
                raise CourseSetupError(
                    f"the exercise notebooks could not be fetched from {repository} (git exit status {status}). "
                    f"Check that this runtime is online and run this cell again; or download the repository, and "
                    f"upload its exercises/ folder to {folder}.")
            folder.mkdir(parents=True, exist_ok=True)
            for path in sorted(source.iterdir()):
                if path.is_file() and not (folder / path.name).exists():
                    shutil.copy2(path, folder / path.name)
    # the kernel imports from its working folder ('' leads sys.path in IPython kernels, Colab's too),
    # as a local Jupyter started in exercises/ does: the student edition, from that folder, from now on
    os.chdir(folder)
    sys.modules.pop("dnn_utils", None)
    found = importlib.util.find_spec("dnn_utils") if importable("dnn_utils") else None
    if found is None or Path(found.origin).resolve().parent != folder.resolve():
        raise CourseSetupError(
            f"`import dnn_utils` does not find the exercise edition in {folder} (found: "
            f"{found.origin if found else 'nothing'}): this kernel does not import from its working folder. "
            f"Use Binder, or your own computer (the README's install).")
    print(f"Your exercise notebooks are in Google Drive, {folder.relative_to(folder.parents[2])}. Work in "
          "those (File > Open notebook > Google Drive): each reads the functions you wrote in the others "
          "from there. What you write in a notebook opened from GitHub is saved nowhere the next notebook "
          "can read. If a notebook does not see a change made in another, save that one (Ctrl+S) first.",
          flush=True)
    return "drive"


def repository_url(pyproject: Path = ROOT / "pyproject.toml") -> str:
    """[project.urls] Repository, the one place that names the repository."""
    return tomllib.loads(pyproject.read_text())["project"]["urls"]["Repository"]


def _name() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["name"]


def install_source(url: str, edition: str = "reading") -> str:
    """The install cell's code: course_setup's source, then its call for this edition."""
    body = inspect.getsource(course_setup).replace("DRIVE_FOLDER", repr(DRIVE_FOLDER))
    return (f"{MARKER}\n"
            "# (written by tools/install_cell.py: edit that, not this cell)\n"
            f"{body}\n\n"
            f"course_setup({edition!r}, {url!r}, {_name()!r})\n"
            "del course_setup\n")


def launch_urls(url: str, path: str) -> dict[str, str]:
    """{"Colab": ..., "Binder": ...} for the file `path` of the GitHub repository `url`."""
    owner_repo = urlsplit(url).path.strip("/").removesuffix(".git")
    return {"Colab": f"{COLAB}/{owner_repo}/blob/{BRANCH}/{path}",
            "Binder": f"{BINDER}/{owner_repo}/HEAD?urlpath=lab/tree/{path}"}


def launch_links(url: str, stem: str, has_exercise: bool) -> str:
    """The notebooks' line of links: this notebook in Colab and Binder, and its exercise edition."""
    def pair(path):
        return " · ".join(f"[{where}]({link})" for where, link in launch_urls(url, path).items())
    line = f"**Run this notebook:** {pair(f'notebooks/{stem}.ipynb')}"
    if has_exercise:
        line += f" — **the exercise edition:** {pair(f'exercises/{stem}.ipynb')}"
    return line


def is_install_cell(cell) -> bool:
    return cell.get("id") == CELL_ID or (
        cell.get("cell_type") == "code" and "".join(cell.get("source", "")).startswith((MARKER, *OLD_MARKERS)))


def is_links_cell(cell) -> bool:
    return cell.get("id") == LINKS_ID


def _same(cell, wanted) -> bool:
    return (cell.get("cell_type") == wanted.cell_type and cell.source == wanted.source
            and cell.get("id") == wanted.id and dict(cell.metadata) == dict(wanted.metadata)
            and not cell.get("outputs"))


def ensure_install_cell(nb, url: str | None = None, stem: str | None = None,
                        has_exercise: bool | None = None) -> bool:
    """Put the current install cell first in nb, and (given the notebook's file stem) the line of
    links second (in place); True if nb changed. has_exercise defaults to whether exercises/ has it."""
    url = url or repository_url()
    install = nbformat.v4.new_code_cell(source=install_source(url, "reading"),
                                        metadata={"tags": list(TAGS), "cellView": "form",
                                                  "jupyter": {"source_hidden": True},  # JupyterLab folds it
                                                  EXERCISE_SOURCE: install_source(url, "exercise")})
    install["id"] = CELL_ID
    wanted = [install]
    if stem is not None:
        if has_exercise is None:
            has_exercise = (ROOT / "exercises" / f"{stem}.ipynb").is_file()
        links = nbformat.v4.new_markdown_cell(source=launch_links(url, stem, has_exercise))
        links["id"] = LINKS_ID
        wanted.append(links)
    ours = [i for i, cell in enumerate(nb.cells) if is_install_cell(cell) or is_links_cell(cell)]
    if ours == list(range(len(wanted))) and all(_same(nb.cells[i], w) for i, w in enumerate(wanted)):
        return False
    for i in reversed(ours):
        del nb.cells[i]
    nb.cells[0:0] = wanted
    if (nb.nbformat, nb.nbformat_minor) < (4, 5):  # cell ids need nbformat 4.5
        nb.nbformat_minor = 5
    return True


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--url", help="repository to install from (default: pyproject's [project.urls] Repository)")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a notebook needs the cells")
    args = parser.parse_args(argv)
    url = args.url or repository_url()
    stale = []
    try:
        for path in args.notebooks:
            nb = read_notebook(path)
            if not args.check:
                check_can_write(path)
            if ensure_install_cell(nb, url, stem=path.stem):
                stale.append(path)
                if not args.check:
                    write_notebook(nb, path)
    except NotebookError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    verb = "need" if args.check else "updated"
    for path in stale:
        print(f"{verb}: {path}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
