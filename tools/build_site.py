"""Build the course website: Jupyter Book 1.x (Sphinx) from the reading edition's stored outputs.

    python tools/build_site.py            # -> book/_build/html/index.html
    python tools/build_site.py --out DIR  # -> DIR/_build/html

Nothing is executed (execute_notebooks: off) and nothing is downloaded: the pages show the
outputs stored in notebooks/*.ipynb (the ones nbval checks), and MathJax is copied from the
installed `django-static-mathjax` wheel into the site, so the pages load no CDN either.
Only notebooks/ goes in, never exercises/ or classroom/: the book, its notebooks and MathJax
are staged into <out>/_build/src and built from there; warnings are errors (a broken
cross-link fails the build).
"""
from __future__ import annotations

import argparse
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
NOTEBOOKS = ROOT / "notebooks"
# The parts of MathJax 3's es5 tree that tex-chtml.js loads; not the SVG output, the other
# combined files or the speech-rule engine (sre, 4 MB, loaded only by the accessibility explorer).
MATHJAX_PARTS = ["tex-chtml.js", "input", "output/chtml", "a11y", "ui", "adaptors"]


def mathjax_es5() -> Path:
    """The es5 folder of MathJax 3 as the `django-static-mathjax` wheel ships it."""
    spec = importlib.util.find_spec("mathjax")
    folders = [Path(p) / "static" / "mathjax" / "es5" for p in (spec.submodule_search_locations or [])] \
        if spec else []
    for folder in folders:
        if (folder / "tex-chtml.js").is_file():
            return folder
    raise SystemExit("MathJax not found: pip install django-static-mathjax (in the test extra of pyproject.toml)")


def stage(src: Path) -> None:
    """Copy the book's sources, the reading edition and MathJax into src (emptied first)."""
    shutil.rmtree(src, ignore_errors=True)
    shutil.copytree(BOOK, src, ignore=shutil.ignore_patterns("_build"))
    shutil.copytree(NOTEBOOKS, src / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    es5 = mathjax_es5()
    for part in MATHJAX_PARTS:
        # Not into a folder named _static: Jupyter Book would add every .js in it to every page.
        target = src / "_mathjax" / "mathjax" / part
        target.parent.mkdir(parents=True, exist_ok=True)
        if (es5 / part).is_dir():
            shutil.copytree(es5 / part, target)
        else:
            shutil.copy2(es5 / part, target)


def build(out: Path = BOOK, quiet: bool = True) -> Path:
    """Stage and build; returns the folder of the HTML pages (out/_build/html)."""
    src = out / "_build" / "src"
    stage(src)
    html = out / "_build" / "html"
    shutil.rmtree(html, ignore_errors=True)
    jb = Path(sys.executable).parent / "jupyter-book"
    command = [str(jb) if jb.exists() else "jupyter-book", "build", str(src), "--path-output", str(out),
               "--builder", "html", "--all", "-W", "--keep-going"]
    subprocess.run(command + (["-q"] if quiet else []), check=True)
    return html


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=BOOK, help="output folder (pages in OUT/_build/html)")
    parser.add_argument("--verbose", action="store_true", help="show Sphinx's progress")
    args = parser.parse_args(argv)
    html = build(args.out.resolve(), quiet=not args.verbose)
    print(f"website: {html / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
