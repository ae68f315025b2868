"""Give every notebook a first cell that installs the course's module where it is missing.

    python tools/install_cell.py notebooks/*.ipynb           # insert or update the cell
    python tools/install_cell.py --check notebooks/*.ipynb   # exit 1 if a notebook needs it
    python tools/install_cell.py --url URL notebooks/*.ipynb # another repository (a fork)

Opened alone in Colab or Binder, a notebook cannot import dnn_utils: the cell then runs
`%pip install` of this repository (the module and its dataset, see pyproject.toml).
Wherever dnn_utils imports (a clone with the project installed, or PYTHONPATH set, as in
the tests) it does nothing and prints nothing, so nbval's stored outputs are unchanged.
The repository's address is read from ONE place, [project.urls] Repository in
pyproject.toml. The cell is tagged `remove-cell`, so the website (Jupyter Book) leaves it out.

Idempotent: a notebook that already has the current cell first is left byte for byte as it is.
A notebook is written whole or not at all; a missing, damaged or read-only one is one line
naming it and the problem (exit status 2).
`ensure_install_cell(nb, url)` is the function the editions' generator can call on a
notebook object (nbformat v4) before it writes it.
"""
from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

import nbformat

from dnnlib.editions import NotebookError, check_can_write, read_notebook, write_notebook

ROOT = Path(__file__).resolve().parent.parent
CELL_ID = "install-course-module"
MARKER = "# Colab / Binder: install the course's module if it is missing (does nothing otherwise)."
TAGS = ["remove-cell"]


def repository_url(pyproject: Path = ROOT / "pyproject.toml") -> str:
    """[project.urls] Repository, the one place that names the repository."""
    return tomllib.loads(pyproject.read_text())["project"]["urls"]["Repository"]


def install_source(url: str) -> str:
    """The cell's code: import, and pip-install from git only when the import fails."""
    name = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["name"]
    return (f"{MARKER}\n"
            "# (written by tools/install_cell.py: edit that, not this cell)\n"
            "try:\n"
            "    import dnn_utils  # noqa: F401\n"
            "except ModuleNotFoundError:\n"
            f'    %pip install --quiet "{name} @ git+{url}"\n')


def is_install_cell(cell) -> bool:
    return cell.get("id") == CELL_ID or (
        cell.get("cell_type") == "code" and "".join(cell.get("source", "")).startswith(MARKER))


def ensure_install_cell(nb, url: str | None = None) -> bool:
    """Put the current install cell first in nb (in place); True if nb changed."""
    url = url or repository_url()
    wanted = nbformat.v4.new_code_cell(source=install_source(url), metadata={"tags": list(TAGS)})
    wanted["id"] = CELL_ID
    existing = [i for i, cell in enumerate(nb.cells) if is_install_cell(cell)]
    if existing == [0]:
        cell = nb.cells[0]
        if (cell.source == wanted.source and cell.get("id") == CELL_ID
                and cell.metadata.get("tags") == TAGS and not cell.get("outputs")):
            return False
    for i in reversed(existing):
        del nb.cells[i]
    nb.cells.insert(0, wanted)
    if (nb.nbformat, nb.nbformat_minor) < (4, 5):  # cell ids need nbformat 4.5
        nb.nbformat_minor = 5
    return True


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--url", help="repository to install from (default: pyproject's [project.urls] Repository)")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a notebook needs the cell")
    args = parser.parse_args(argv)
    url = args.url or repository_url()
    stale = []
    try:
        for path in args.notebooks:
            nb = read_notebook(path)
            if not args.check:
                check_can_write(path)
            if ensure_install_cell(nb, url):
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
