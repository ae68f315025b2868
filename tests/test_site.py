"""The course website: built with Jupyter Book from the reading edition's stored outputs,
then opened in a real browser (Debian's chromium, driven by Playwright) served from
127.0.0.1: the formulas are typeset by the local MathJax, every figure loads, the console
shows no error, every link between pages leads to a page, and nothing is fetched from
another host.

Without a chromium the browser tests are skipped, with the reason; CI sets
DNN_REQUIRE_BROWSER=1 (in .ci/run), which turns that skip into a failure.
"""
from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from tools import build_site

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


def test_pages_render_in_chromium(site, server):
    browser_path, sync_playwright = need_browser()
    problems = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=browser_path, args=CHROMIUM_ARGS)
        context = browser.new_context()
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
        browser.close()
    assert not blocked, f"requests to other hosts: {sorted(set(blocked))}"
    assert not problems, "\n".join(problems)
