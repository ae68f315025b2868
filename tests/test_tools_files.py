"""The tools that rewrite notebooks (tools/nb.py, tools/install_cell.py, tools/editions.py,
classroom/build.py): written whole or not at all, never dropping code, clear errors (exit 2)."""
from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from dnnlib import editions
from tests.helpers import assert_names
from tools import install_cell
from tools import nb as nbtool

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "02_forward_propagation.ipynb"


def marked_notebook(path, source):
    """A small notebook with one marked cell holding `source` (after the marker)."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# title"),
                nbformat.v4.new_code_cell(nbtool.MARKER + "\n" + source)]
    nbformat.write(nb, path)
    return path


def stale_notebook(tmp_path):
    """A notebook whose marked cell differs from dnn_utils.py: sync rewrites it."""
    functions = nbtool.module_functions()
    return marked_notebook(tmp_path / "n.ipynb", functions["sigmoid"] + "\n# an old comment")


@pytest.fixture
def disk_fills_up(monkeypatch):
    """os.write to a temporary file writes 100 bytes, then fails as a full disk does."""
    real_write = os.write

    def write(fd, data):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            target = ""
        if target.endswith(".tmp"):
            if len(data) > 100:
                real_write(fd, bytes(memoryview(data)[:100]))
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", write)


def run_tool(*args, cwd=ROOT):
    return subprocess.run([sys.executable, *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=120)


# ---------------------------------------------------------------------------
# 1. Written whole or not at all
# ---------------------------------------------------------------------------

def test_sync_on_a_full_disk_leaves_the_notebook_intact(tmp_path, disk_fills_up):
    path = stale_notebook(tmp_path)
    before = path.read_bytes()
    assert nbtool.main(["sync", str(path)]) == 2
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["n.ipynb"]


def test_sync_still_writes_what_nbformat_writes(tmp_path):
    path = stale_notebook(tmp_path)
    assert nbtool.main(["sync", str(path)]) == 0
    nb = nbformat.read(path, as_version=4)
    copy = tmp_path / "copy.ipynb"
    nbformat.write(nb, copy)
    assert path.read_bytes() == copy.read_bytes()
    assert nbtool.drift(path) == []


def test_execute_on_a_full_disk_leaves_the_notebook_intact(tmp_path, disk_fills_up, monkeypatch):
    import nbclient

    class NoKernel:
        def __init__(self, nb, **kwargs):
            self.nb = nb

        def execute(self):
            self.nb.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text="x" * 5000)]

    monkeypatch.setattr(nbclient, "NotebookClient", NoKernel)
    path = tmp_path / "n.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("print('x' * 5000)")]
    nbformat.write(nb, path)
    before = path.read_bytes()
    assert nbtool.main(["execute", str(path)]) == 2
    assert path.read_bytes() == before


def test_install_cell_on_a_full_disk_leaves_the_notebook_intact(tmp_path, disk_fills_up, capsys):
    path = tmp_path / NOTEBOOK.name
    shutil.copyfile(NOTEBOOK, path)
    nb = nbformat.read(path, as_version=4)
    del nb.cells[0]   # the install cell: the tool puts it back
    nbformat.write(nb, path)
    before = path.read_bytes()
    assert install_cell.main([str(path)]) == 2
    assert path.read_bytes() == before
    assert_names(capsys.readouterr().err, str(path), "space")


def test_editions_on_a_full_disk_leave_every_exercise_file_intact(tmp_path, disk_fills_up):
    out = tmp_path / "exercises"
    out.mkdir()
    for p in (ROOT / "exercises").iterdir():
        if p.is_file():
            (out / p.name).write_bytes(b"old " + p.name.encode())
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with pytest.raises(editions.NotebookError) as info:
        editions.build(out)
    assert_names(info, "space")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


# ---------------------------------------------------------------------------
# 3. sync never drops code it does not understand
# ---------------------------------------------------------------------------

def test_sync_refuses_to_drop_a_function_the_module_lacks(tmp_path, capsys):
    functions = nbtool.module_functions()
    path = marked_notebook(tmp_path / "n.ipynb", functions["sigmoid"] + "\n\n\ndef my_helper(x):\n    return x\n")
    before = path.read_bytes()
    assert nbtool.main(["sync", str(path)]) == 2   # the script's exit status (run as a script: below)
    assert_names(capsys.readouterr().err, str(path), "cell 1", "my_helper", "dnn_utils.py", "drop")
    assert path.read_bytes() == before


def test_sync_refuses_a_marked_cell_that_does_not_parse(tmp_path, capsys):
    path = marked_notebook(tmp_path / "n.ipynb", "def broken(:\n    pass\n")
    before = path.read_bytes()
    assert nbtool.main(["sync", str(path)]) == 2
    assert_names(capsys.readouterr().err, str(path), "cell 1", "does not parse")
    assert path.read_bytes() == before


def test_a_refusal_writes_no_notebook_at_all(tmp_path):
    good = stale_notebook(tmp_path)
    bad = marked_notebook(tmp_path / "z.ipynb", "def only_here():\n    return 1\n")
    before = {p: p.read_bytes() for p in (good, bad)}
    assert nbtool.main(["sync", str(good), str(bad)]) == 2
    assert {p: p.read_bytes() for p in (good, bad)} == before


# ---------------------------------------------------------------------------
# 4. Clear errors with exit status 2
# ---------------------------------------------------------------------------

def bad_notebooks(tmp_path):
    (tmp_path / "cut.ipynb").write_text('{"cells": [{"cell_type": "code", "sou')
    (tmp_path / "list.ipynb").write_text("[1, 2, 3]")
    (tmp_path / "binary.ipynb").write_bytes(b"\xff\xfe\x00garbage")
    return [(tmp_path / "cut.ipynb", "not JSON"), (tmp_path / "list.ipynb", "not a notebook"),
            (tmp_path / "binary.ipynb", "not JSON"), (tmp_path / "missing.ipynb", "not found")]


TOOLS = {
    "nb sync": lambda p: nbtool.main(["sync", str(p)]),
    "nb check": lambda p: nbtool.main(["check", str(p)]),
    "nb execute": lambda p: nbtool.main(["execute", str(p)]),
    "install_cell": lambda p: install_cell.main([str(p)]),
}


@pytest.mark.parametrize("tool", TOOLS)
def test_tools_name_a_damaged_or_missing_notebook_and_exit_2(tmp_path, tool, capsys):
    for path, problem in bad_notebooks(tmp_path):
        assert TOOLS[tool](path) == 2, path
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1, err
        assert_names(err, str(path), problem)


@pytest.mark.parametrize("script", ["nb.py", "install_cell.py"])
def test_the_scripts_exit_2_without_a_traceback(tmp_path, script):
    path, problem = bad_notebooks(tmp_path)[0]
    args = ["sync", path] if script == "nb.py" else [path]
    r = run_tool(ROOT / "tools" / script, *args)
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert_names(r.stderr, str(path), problem)


@pytest.mark.parametrize("tool", ["nb sync", "install_cell"])
def test_tools_refuse_a_read_only_notebook_with_exit_2(tmp_path, tool, capsys):
    path = stale_notebook(tmp_path)
    path.chmod(0o444)
    before = path.read_bytes()
    assert TOOLS[tool](path) == 2
    assert_names(capsys.readouterr().err, str(path), "read-only")
    assert path.read_bytes() == before


def test_editions_name_a_damaged_source_notebook_and_exit_2(tmp_path, monkeypatch, capsys):
    from tools import editions as editions_tool

    source = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", source)
    cut = source / "03_cost.ipynb"
    cut.write_bytes(cut.read_bytes()[:8192])
    monkeypatch.setattr(editions, "NOTEBOOKS", source)
    build = editions.build
    monkeypatch.setattr(editions, "build", lambda out=editions.EXERCISES, **kw: build(tmp_path / "out", source))
    assert editions_tool.main([]) == 2
    err = capsys.readouterr().err
    assert_names(err, str(cut), "not JSON")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# ---------------------------------------------------------------------------
# 2. classroom/build.py swaps in a whole new source/, or leaves the old one
# ---------------------------------------------------------------------------

def tree(folder):
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None)
            for p in sorted(Path(folder).rglob("*"))}


def test_classroom_build_failing_in_the_third_assignment_leaves_the_old_source(tmp_path, monkeypatch):
    from classroom import build

    course = tmp_path / "course"
    for a in build.ASSIGNMENTS:
        (course / "source" / a).mkdir(parents=True)
        (course / "source" / a / f"{a}.ipynb").write_text(f"old {a}")
    (course / "source" / "header.ipynb").write_text("kept")
    before = tree(course)
    real = build.assignment_notebook
    third = build.ASSIGNMENTS[2]

    def failing(nb, assignment):
        if assignment == third:
            raise ValueError(f"injected failure in {assignment}")
        return real(nb, assignment)

    monkeypatch.setattr(build, "assignment_notebook", failing)
    with pytest.raises(ValueError, match="injected"):
        build.build(course)
    assert tree(course) == before   # nothing changed, no temporary folder left

    monkeypatch.setattr(build, "assignment_notebook", real)
    folders = build.build(course)
    assert sorted(os.listdir(course)) == ["source"]
    assert (course / "source" / "header.ipynb").read_text() == "kept"
    for a, folder in zip(build.ASSIGNMENTS, folders):
        assert nbformat.read(folder / f"{a}.ipynb", as_version=4).metadata["generated"]["by"] == "classroom/build.py"
        assert (folder / "dnn_utils.py").is_file()
