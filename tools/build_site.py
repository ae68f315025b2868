"""Build the course website: Jupyter Book 1.x (Sphinx) from the reading edition's stored outputs.

    python -m tools.build_site            # -> book/_build/html/index.html (from the clone's root)
    python -m tools.build_site --out DIR  # -> DIR/_build/html

Nothing is executed (execute_notebooks: off) and nothing is downloaded: the pages show the
outputs stored in notebooks/*.ipynb (the ones nbval checks), and MathJax is copied from the
installed `django-static-mathjax` wheel into the site, so the pages load no CDN either.
Only notebooks/ goes in, never exercises/ or classroom/: the book, its notebooks and MathJax
are staged into <out>/_build/src and built from there; warnings are errors (a broken
cross-link fails the build).

The staged copies (never the notebooks themselves) are made for readers:
* the test runner's markers (`# NBVAL_IGNORE_OUTPUT`, ...) are taken out of the code;
* a widget's output, which a static page cannot run, becomes the picture the widget drew
  when the notebook was executed (dnnlib/explore.py's callbacks draw into an ipywidgets
  Image, whose PNG the notebook's widget state keeps), its controls' settings, and a note
  to run the notebook in Jupyter to move them;
* the site's launch buttons (Colab, Binder) and the intro's links come from the repository
  named in pyproject.toml ([project.urls] Repository), as the notebooks' own links do.
"""
from __future__ import annotations

import argparse
import base64
import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import yaml

try:
    from tools import install_cell
except ModuleNotFoundError:  # run as a file (python tools/build_site.py): tools/ is not a package then
    raise SystemExit("run it from the clone's root as: python -m tools.build_site") from None

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


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
# nbval's markers: a line of their own at the top of a code cell
TEST_MARKER = re.compile(r"^[ \t]*#[ \t]*NBVAL_[A-Z_]+[^\n]*(\n|$)", re.MULTILINE)
LINKS_PLACEHOLDER = "<!-- launch links: written by tools/build_site.py -->"


class SiteError(SystemExit):
    pass


def without_test_markers(source: str) -> str:
    return TEST_MARKER.sub("", source)


def _widget_parts(state: dict, model_id: str, seen=None):
    """The models under model_id (itself first), following children (a VBox's rows)."""
    seen = set() if seen is None else seen
    if model_id in seen or model_id not in state:
        return []
    seen.add(model_id)
    parts = [state[model_id]]
    for child in state[model_id].get("state", {}).get("children", []):
        if isinstance(child, str) and child.startswith("IPY_MODEL_"):
            parts += _widget_parts(state, child.removeprefix("IPY_MODEL_"), seen)
    return parts


def _setting(model) -> str | None:
    """'learning rate α = 0.3' for a slider or dropdown, from its stored state."""
    st = model.get("state", {})
    label = st.get("description")
    if not label:
        return None
    labels, index = st.get("_options_labels"), st.get("index")
    if labels is not None and isinstance(index, int) and 0 <= index < len(labels):
        return f"{label} = {labels[index]}"
    if "value" in st and not isinstance(st["value"], (dict, list)):
        return f"{label} = {st['value']}"
    return None


def widget_picture(nb, path: Path) -> int:
    """Replace each widget output of nb by the PNG its Image shows, its settings and a note; the count."""
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    count = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outputs = []
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view is None:
                outputs.append(output)
                continue
            parts = _widget_parts(state, view.get("model_id", ""))
            pngs = [b["data"] for m in parts if m.get("model_name") == "ImageModel"
                    for b in m.get("buffers", []) if b.get("path") == ["value"]]
            if not pngs or not base64.b64decode(pngs[0]).startswith(b"\x89PNG"):
                raise SiteError(f"{path.name}: a widget's picture is not in the notebook's widget state: "
                                f"re-execute it (python tools/nb.py execute {path.relative_to(ROOT)})")
            settings = [s for s in map(_setting, parts) if s]
            note = ("*In Jupyter this is a live widget: run the notebook (JupyterLab, Colab or Binder) and "
                    "move its controls to retrain and redraw. Here, the picture it drew"
                    + (" with " + ", ".join(f"`{s}`" for s in settings) if settings else "") + ".*")
            outputs.append(nbformat.v4.new_output("display_data", data={"image/png": pngs[0]},
                                                  metadata={"image/png": {"alt": "the widget's picture"}}))
            outputs.append(nbformat.v4.new_output("display_data", data={"text/markdown": note}))
            count += 1
        cell.outputs = outputs
    nb.metadata.pop("widgets", None)
    return count


def for_readers(path: Path) -> None:
    """Rewrite a staged notebook for the site: no test markers, widgets as pictures (see the module's doc)."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = without_test_markers(cell.source)
    widget_picture(nb, path)
    nbformat.write(nb, path)


def launch_config(config_file: Path, url: str) -> None:
    """Turn on the launch buttons (Colab, Binder) for the repository `url` in the staged _config.yml."""
    config = yaml.safe_load(config_file.read_text())
    launch = {"notebook_interface": "jupyterlab", "binderhub_url": "https://mybinder.org",
              "colab_url": "https://colab.research.google.com"}
    config["repository"] = {"url": url, "branch": install_cell.BRANCH, "path_to_book": ""}
    config.setdefault("launch_buttons", {}).update(launch)
    # sphinx.config's html_theme_options replace what Jupyter Book derives from the keys above
    config["sphinx"]["config"]["html_theme_options"].update(
        repository_url=url, repository_branch=install_cell.BRANCH, path_to_docs="", launch_buttons=launch)
    config_file.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))


def intro_links(intro: Path, url: str) -> None:
    """The intro's links into Colab and Binder, for both editions (in place of LINKS_PLACEHOLDER)."""
    text = intro.read_text()
    if LINKS_PLACEHOLDER not in text:
        raise SiteError(f"{intro.name} has no line {LINKS_PLACEHOLDER!r}: the launch links go there")
    first = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))[0]
    lines = []
    for edition, folder in (("the reading edition", "notebooks"), ("the exercise edition", "exercises")):
        urls = install_cell.launch_urls(url, f"{folder}/{first}")
        lines.append(f"- {edition}: [open {first} in Colab]({urls['Colab']}), or "
                     f"[all of {folder}/ in Binder]({install_cell.launch_urls(url, folder)['Binder']})")
    intro.write_text(text.replace(LINKS_PLACEHOLDER, "\n".join(lines)))


def stage(src: Path) -> None:
    """Copy the book's sources, the reading edition and MathJax into src (emptied first)."""
    shutil.rmtree(src, ignore_errors=True)
    shutil.copytree(BOOK, src, ignore=shutil.ignore_patterns("_build"))
    shutil.copytree(NOTEBOOKS, src / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    for path in sorted((src / "notebooks").glob("*.ipynb")):
        for_readers(path)
    url = install_cell.repository_url()
    launch_config(src / "_config.yml", url)
    intro_links(src / "intro.md", url)
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
