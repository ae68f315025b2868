"""The course website: built with Jupyter Book from the reading edition's stored outputs,
then opened in a real browser (Debian's chromium, driven by Playwright) served from
127.0.0.1: the formulas are typeset by the local MathJax, every figure loads, the console
shows no error, every link between pages leads to a page, and nothing is fetched from
another host. At a phone's and a desktop's width the chapter list and the page's contents
open and close, and wide equations fit or scroll. Every notebook is listed in the intro,
widgets show a picture, no test marker is shown, and every page opens in Colab and Binder.

The whole module is the slow tier (`pytest -m slow`, README): Jupyter Book's build is most of its
time. Without a chromium the browser tests are skipped, with the reason; CI sets
DNN_REQUIRE_BROWSER=1 (in .ci/run), which turns that skip into a failure.
"""
from __future__ import annotations

import base64
import contextlib
import functools
import http.server
import json
import os
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from tools import build_site

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def chromium_path():
    for candidate in [os.environ.get("DNN_CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"]:
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def need_browser():
    """The path of chromium and Playwright's sync API; skip (or, in CI, fail) without them."""
    missing = []
    browser = chromium_path()
    if browser is None:
        missing.append("no chromium (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
        missing.append("no playwright (pip install playwright; never `playwright install`)")
    if missing:
        reason = "; ".join(missing)
        if os.environ.get("DNN_REQUIRE_BROWSER") == "1":
            pytest.fail(f"DNN_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    return browser, sync_playwright


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_site.build(tmp_path_factory.mktemp("book"))


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def pages(site):
    return ["intro.html"] + sorted(p.relative_to(site).as_posix() for p in (site / "notebooks").glob("*.html"))


def test_one_page_per_notebook_of_the_reading_edition(site):
    built = {p.stem for p in (site / "notebooks").glob("*.html")}
    assert built == {p.stem for p in (ROOT / "notebooks").glob("*.ipynb")}, "book/_toc.yml lists every notebook"
    assert not (site / "exercises").exists() and not (site / "classroom").exists()


def test_pages_reference_no_other_host(site):
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        remote = re.findall(r'<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)="((?:https?:)?//[^"]+)"', html)
        assert not remote, f"{page.relative_to(site)} loads {remote}"
    assert (site / "_static" / "mathjax" / "tex-chtml.js").is_file()


def test_pages_render_in_chromium(site, server, chromium):
    problems = []
    # the module's one browser (the chromium fixture), in a context of its own
    with contextlib.closing(chromium.new_context()) as context:
        blocked = []

        def only_local(route):
            host = urlsplit(route.request.url).hostname
            if host in LOCAL_HOSTS:
                route.continue_()
            else:
                blocked.append(route.request.url)
                route.abort()

        context.route("**/*", only_local)
        for name in pages(site):
            page = context.new_page()
            errors = []
            page.on("console", lambda msg, errors=errors: errors.append(msg.text) if msg.type == "error" else None)
            page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
            page.on("response",
                    lambda r, errors=errors: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
            page.goto(urljoin(server, name), wait_until="load")
            page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise")
            page.evaluate("MathJax.startup.promise")
            report = page.evaluate("""() => ({
                math: document.querySelectorAll('.math').length,
                typeset: [...document.querySelectorAll('.math')].filter(e => e.querySelector('mjx-container')).length,
                texErrors: document.querySelectorAll('mjx-merror').length,
                rawDollars: document.querySelector('article').innerText.includes('$$'),
                images: [...document.images].map(i => [i.getAttribute('src'), i.complete && i.naturalWidth > 0]),
                links: [...document.querySelectorAll('a[href]')].map(a => a.href),
            })""")
            if report["math"] == 0:  # every page of the series has formulas
                problems.append(f"{name}: no formula")
            if report["typeset"] != report["math"]:
                problems.append(f"{name}: {report['typeset']} of {report['math']} formulas typeset")
            if report["texErrors"] or report["rawDollars"]:
                problems.append(f"{name}: {report['texErrors']} TeX errors, raw $$: {report['rawDollars']}")
            broken = [src for src, ok in report["images"] if not ok]
            if broken:
                problems.append(f"{name}: images not loaded: {broken}")
            for link in report["links"]:
                parts = urlsplit(link)
                if link.startswith(server) and parts.path.endswith(".html"):
                    if not (site / parts.path.lstrip("/")).is_file():
                        problems.append(f"{name}: broken link {link}")
            if errors:
                problems.append(f"{name}: console errors {errors}")
            page.close()
    assert not blocked, f"requests to other hosts: {sorted(set(blocked))}"
    assert not problems, "\n".join(problems)


def test_intro_lists_every_notebook(site):
    html = (site / "intro.html").read_text(encoding="utf-8")
    linked = set(re.findall(r'href="notebooks/([^"#]+)\.html', html))
    assert linked == {p.stem for p in (ROOT / "notebooks").glob("*.ipynb")}


def test_readers_see_no_test_markers(site):
    for page in site.rglob("*.html"):
        text = re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8"))
        assert "NBVAL_" not in text, f"{page.relative_to(site)} shows a test marker"


def widget_cells(nb):
    view = "application/vnd.jupyter.widget-view+json"
    return [i for i, c in enumerate(nb["cells"]) if any(view in o.get("data", {}) for o in c.get("outputs", []))]


def test_widget_cells_show_the_widgets_picture(site):
    """Each widget output becomes the PNG its Image drew when the notebook ran (from the widget state), and a note."""
    staged = site.parent / "src" / "notebooks"
    checked = 0
    for source in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = json.loads(source.read_text())
        state = nb["metadata"].get("widgets", {}).get(build_site.WIDGET_STATE, {}).get("state", {})
        shown = json.loads((staged / source.name).read_text())
        assert not widget_cells(shown), f"{source.name}: a widget output is left on the page"
        for i in widget_cells(nb):
            outputs = shown["cells"][i]["outputs"]
            pngs = [o["data"]["image/png"] for o in outputs if "image/png" in o.get("data", {})]
            notes = ["".join(o["data"]["text/markdown"]) for o in outputs if "text/markdown" in o.get("data", {})]
            assert len(pngs) == 1 and base64.b64decode(pngs[0]).startswith(b"\x89PNG"), (source.name, i)
            assert any(b["data"] == pngs[0] for m in state.values() for b in m.get("buffers", [])), (source.name, i)
            assert len(notes) == 1 and "Jupyter" in notes[0], (source.name, i)
            checked += 1
    assert checked >= 4  # notebooks 05, 06 (two) and 07 have widgets


def test_every_page_opens_in_colab_and_binder(site):
    from tools import install_cell

    url = install_cell.repository_url()
    owner_repo = url.split("github.com/")[1]
    for name in pages(site):
        html = (site / name).read_text(encoding="utf-8")
        links = set(re.findall(r'href="(https://[^"]+)"', html))
        if name == "intro.html":
            wanted = {f"/{owner_repo}/blob/main/notebooks/", f"/{owner_repo}/blob/main/exercises/",
                      "urlpath=lab/tree/notebooks", "urlpath=lab/tree/exercises"}
        else:
            path = name.removesuffix(".html") + ".ipynb"
            wanted = {f"colab.research.google.com/github/{owner_repo}/blob/main/{path}",
                      f"mybinder.org/v2/gh/{owner_repo}/", f"urlpath=lab/tree/{path}"}
        for part in wanted:
            assert any(part in link for link in links), f"{name}: no link with {part}"


# What a reader can click and see: hit-tested, so a link under an overlay or off screen does not count.
CLICKABLE = """(selector) => [...document.querySelectorAll(selector)].filter(a => {
    const r = a.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) return false;
    const x = r.left + Math.min(5, r.width / 2), y = r.top + r.height / 2;
    if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) return false;
    const e = document.elementFromPoint(x, y);
    return e && (e === a || a.contains(e));
}).length"""
CHAPTERS = ".bd-sidebar-primary a.reference.internal, #pst-primary-sidebar-modal a.reference.internal"
CONTENTS = ".bd-sidebar-secondary a, #pst-secondary-sidebar-modal a"


@pytest.fixture(scope="module")
def chromium():
    browser_path, sync_playwright = need_browser()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=browser_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_page(chromium, server, name, width, height):
    page = chromium.new_page(viewport={"width": width, "height": height})
    page.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).hostname in LOCAL_HOSTS
               else route.abort())
    page.goto(urljoin(server, name), wait_until="load")
    page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise")
    page.evaluate("MathJax.startup.promise")
    return page


def visible_toggle(page, kind):
    buttons = [b for b in page.query_selector_all(f"button.{kind}-toggle") if b.is_visible()]
    assert buttons, f"no visible {kind} toggle button"
    return buttons[0]


def wait_for_count(page, selector, predicate, what):
    for _ in range(40):  # up to 2 s of the theme's animation, polled
        n = page.evaluate(CLICKABLE, selector)
        if predicate(n):
            return n
        page.wait_for_timeout(50)
    raise AssertionError(f"{what}: {n} links clickable")


@pytest.mark.parametrize("kind,selector", [("primary", CHAPTERS), ("secondary", CONTENTS)])
def test_phone_opens_and_closes_the_chapters_and_the_contents(chromium, server, kind, selector):
    page = open_page(chromium, server, "notebooks/02_forward_propagation.html", 390, 844)
    assert page.evaluate(CLICKABLE, selector) == 0, "hidden on a phone until asked for"
    visible_toggle(page, kind).click()
    wait_for_count(page, selector, lambda n: n >= 3, f"{kind} after the ☰ click")
    page.keyboard.press("Escape")
    wait_for_count(page, selector, lambda n: n == 0, f"{kind} after Escape")
    visible_toggle(page, kind).click()  # and again: it opens a second time
    wait_for_count(page, selector, lambda n: n >= 3, f"{kind} after a second click")
    page.mouse.click(385 if kind == "primary" else 5, 420)  # outside the panel (left or right), on the page behind
    wait_for_count(page, selector, lambda n: n == 0, f"{kind} after a click beside it")
    page.close()


def test_desktop_hides_and_shows_the_chapter_list(chromium, server):
    page = open_page(chromium, server, "notebooks/02_forward_propagation.html", 1280, 800)
    shown = page.evaluate(CLICKABLE, CHAPTERS)
    assert shown >= 3 and page.evaluate(CLICKABLE, CONTENTS) >= 3, "both shown on a desktop"
    visible_toggle(page, "primary").click()
    wait_for_count(page, CHAPTERS, lambda n: n == 0, "chapters after the first click")
    visible_toggle(page, "primary").click()
    wait_for_count(page, CHAPTERS, lambda n: n == shown, "chapters after the second click")
    page.close()


def test_wide_equations_fit_or_scroll_on_a_phone(chromium, server, site):
    problems = []
    for name in pages(site):
        page = open_page(chromium, server, name, 390, 844)
        report = page.evaluate("""() => ({
            pageWidth: document.documentElement.scrollWidth,
            cut: [...document.querySelectorAll('mjx-container[display="true"]')].filter(el => {
                const math = el.firstElementChild.getBoundingClientRect();
                const box = el.getBoundingClientRect();
                const overflow = getComputedStyle(el).overflowX;
                return math.right > box.right + 1 && !['auto', 'scroll'].includes(overflow);
            }).map(el => el.textContent.slice(0, 40)),
            scrolling: [...document.querySelectorAll('mjx-container[display="true"]')]
                .filter(el => el.scrollWidth > el.clientWidth + 1).length,
        })""")
        if report["pageWidth"] > 391:
            problems.append(f"{name}: the page is {report['pageWidth']} px wide on a 390 px phone")
        if report["cut"]:
            problems.append(f"{name}: equations cut off: {report['cut']}")
        page.close()
    assert not problems, "\n".join(problems)
