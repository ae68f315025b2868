"""Reading a submission: runs INSIDE a sandbox of its own, before any student code runs anywhere.

    python -I -S extract.py ASSIGNMENT FOLDER        -> one line of JSON on stdout

The submission's files are hostile data here (no student code runs in this process): a
notebook may be a symbolic link to another student's work or to /dev/zero, a FIFO, a hard
link, a device, 50 MB of nested JSON lists, a notebook whose `cells` is a string, a folder
tree 1,000 levels deep, a file name that is not UTF-8. This reader finds the notebook with
the grader's rules (the exact name; else a renamed copy, with a note), reads it with a size
cap, parses it with a depth cap, checks the nbformat structure and types, and hands back a
small description of its code cells:

    {"ok": true, "notebook": "03_cost-Copy1.ipynb", "notes": [...],
     "cells": [{"index": 7, "source": "...", "grade_id": "compute_cost" or null,
                "solution": true, "grade": false}, ...]}
    {"ok": false, "reason": "...", "notes": [...]}

Standard library only: the sandbox it runs in sees the Python installation, this file and
the submission folder (read-only), nothing else. The grader (runner.py) checks the
description again (types, sizes) before using it; the reader's process is bounded by the
same whole-sandbox limits as the harness (sandbox.py).
"""
import json
import os
import stat
import sys

MAX_NOTEBOOK_BYTES = 50 * 1024 ** 2   # the .ipynb file (outputs included)
MAX_JSON_DEPTH = 64                   # nbformat nests about 8 levels; widget state a few more
MAX_FOLDER_DEPTH = 16                 # folders below the submission folder searched for a notebook
MAX_ENTRIES = 10_000                  # files and folders looked at in that search
MAX_CELLS = 5_000
MAX_CELL_CHARS = 200_000              # the code of one cell (honest cells are a few KB)
MAX_CODE_CHARS = 2_000_000            # the code of all cells
MAX_NAME_CHARS = 200                  # grade_id, file names in notes
CELL_TYPES = ("code", "markdown", "raw")


class Refused(Exception):
    """The submission cannot be graded; the message names what was found."""


def shown(name):
    """A file name as text that can be written anywhere: bytes that are not UTF-8 as \\xNN."""
    text = os.fsencode(name).decode("utf-8", "backslashreplace")
    return text if len(text) <= MAX_NAME_CHARS else text[:MAX_NAME_CHARS] + "..."


def is_utf8(name):
    try:
        os.fsencode(name).decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def choose(assignment, found):
    """The grader's rule for a notebook that is not named ASSIGNMENT.ipynb: the newest of those
    whose name starts with the assignment's, else the only notebook. found: [(relative path,
    modification time)]. Returns (path or None, notes)."""
    named = [f for f in found if os.path.basename(f[0]).startswith(assignment)]
    pick = named or (found if len(found) == 1 else [])
    if pick:
        path = max(pick, key=lambda f: (f[1], f[0]))[0]
        return path, [f"renamed notebook: graded {shown(path)} (expected {assignment}.ipynb)"]
    if found:
        names = ", ".join(shown(os.path.basename(f[0])) for f in sorted(found)[:5])
        return None, [f"no notebook named {assignment}.ipynb, and {len(found)} other notebooks ({names}): "
                      f"which one to grade is unclear"]
    return None, [f"no notebook in the submission (expected {assignment}.ipynb)"]


def notebooks_in(root):
    """[(relative path, mtime)] of the *.ipynb below root: symbolic links to folders are not
    followed, checkpoints are skipped, depth and count are capped."""
    found, entries, todo = [], 0, [("", 0)]
    while todo:
        rel, depth = todo.pop()
        try:
            with os.scandir(os.path.join(root, rel) if rel else root) as it:
                items = list(it)
        except OSError as e:
            raise Refused(f"the folder {shown(rel) or '.'} cannot be listed ({e.strerror})") from None
        for entry in items:
            entries += 1
            if entries > MAX_ENTRIES:
                raise Refused(f"the submission holds more than {MAX_ENTRIES} files and folders")
            path = os.path.join(rel, entry.name) if rel else entry.name
            if entry.is_dir(follow_symlinks=False):
                if entry.name == ".ipynb_checkpoints":
                    continue
                if depth + 1 > MAX_FOLDER_DEPTH:
                    raise Refused(f"the submission's folders nest more than {MAX_FOLDER_DEPTH} levels deep "
                                  f"({shown(path)[:80]}...)")
                todo.append((path, depth + 1))
            elif entry.name.endswith(".ipynb"):
                found.append((path, entry.stat(follow_symlinks=False).st_mtime))
    return found


def find(root, assignment):
    """(absolute path of the notebook to read, its name as shown, notes)."""
    exact = f"{assignment}.ipynb"
    if os.path.lexists(os.path.join(root, exact)):
        return os.path.join(root, exact), exact, []
    rel, notes = choose(assignment, notebooks_in(root))
    if rel is None:
        raise Refused(notes[0])
    if not is_utf8(rel):
        raise Refused(f"the notebook's file name {shown(rel)} is not UTF-8 text: rename it")
    return os.path.join(root, rel), shown(rel), notes


KINDS = [(stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
         (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder")]


def kind_of(mode):
    return next((what for test, what in KINDS if test(mode)), "not a regular file")


def read_bytes(root, path, name):
    """The notebook's bytes: a regular file of the submission, at most MAX_NOTEBOOK_BYTES.
    A symbolic link is followed only to a file inside the submission folder."""
    if os.path.islink(path):
        target = os.path.realpath(path)
        inside = os.path.realpath(root)
        if not target.startswith(inside.rstrip("/") + "/"):
            raise Refused(f"{name} is a symbolic link to {shown(os.readlink(path))[:120]}, outside the "
                          f"submission folder: it is not followed")
        path = target
    try:
        # O_NONBLOCK: opening a FIFO does not wait for a writer; O_NOFOLLOW: no link from here on
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as e:
        raise Refused(f"{name} cannot be opened ({e.strerror})") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise Refused(f"{name} is {kind_of(st.st_mode)}, not a notebook file")
        if st.st_nlink > 1:
            # the other name may be anyone's notebook, the instructor's included: which is the
            # original cannot be told, so the instructor looks (both names, if both are submissions)
            raise Refused(f"{name} is a hard link ({st.st_nlink} names for one file, another one elsewhere): "
                          f"hand in a copy of the notebook, not a link")
        if st.st_size > MAX_NOTEBOOK_BYTES:
            raise Refused(f"{name} is {st.st_size / 2 ** 20:.0f} MB (limit {MAX_NOTEBOOK_BYTES // 2 ** 20} MB): "
                          f"clear its outputs")
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if total > MAX_NOTEBOOK_BYTES:
                raise Refused(f"{name} is larger than {MAX_NOTEBOOK_BYTES // 2 ** 20} MB")
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def parse(data, name):
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise Refused(f"{name} is not UTF-8 text (byte {data[e.start]:#04x} at offset {e.start})") from None
    # the C decoder recurses once per level: a low recursion limit turns 100,000 nested lists
    # into a RecursionError at once, instead of a deep stack
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(MAX_JSON_DEPTH + 50)
    try:
        return json.loads(text)
    except RecursionError:
        raise Refused(f"{name} nests JSON more than about {MAX_JSON_DEPTH} levels deep: not a notebook") from None
    except ValueError as e:
        raise Refused(f"{name} is not valid JSON ({str(e)[:120]})") from None
    finally:
        sys.setrecursionlimit(old)


def text_ok(s):
    """True if s can be written as UTF-8 (no lone surrogates from JSON escapes such as \\ud800)."""
    try:
        s.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def type_name(x):
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null",
            int: "a number", float: "a number"}.get(type(x), type(x).__name__)


def cells_of(nb, name):
    """The code cells as [{index, source, grade_id, solution, grade}], every field checked."""
    if not isinstance(nb, dict):
        raise Refused(f"{name} holds {type_name(nb)}, not a notebook (a JSON object)")
    major = nb.get("nbformat", 4)
    if not isinstance(major, int) or isinstance(major, bool) or major != 4:
        raise Refused(f"{name} has nbformat {str(major)[:20]}, expected 4 (save it with Jupyter 4 or later)")
    cells = nb.get("cells")
    if not isinstance(cells, list):
        raise Refused(f"{name}: its \"cells\" is {type_name(cells)}, expected a list of cells")
    if len(cells) > MAX_CELLS:
        raise Refused(f"{name} has {len(cells)} cells (limit {MAX_CELLS})")
    out, total = [], 0
    for i, cell in enumerate(cells):
        where = f"{name}, cell {i + 1}"
        if not isinstance(cell, dict):
            raise Refused(f"{where} is {type_name(cell)}, expected an object")
        kind = cell.get("cell_type")
        if kind not in CELL_TYPES:
            raise Refused(f"{where}: cell_type is {str(kind)[:30]!r}, expected code, markdown or raw")
        meta = cell.get("metadata", {})
        if not isinstance(meta, dict):
            raise Refused(f"{where}: its metadata is {type_name(meta)}, expected an object")
        nbg = meta.get("nbgrader", {})
        if not isinstance(nbg, dict):
            raise Refused(f"{where}: its nbgrader metadata is {type_name(nbg)}, expected an object")
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(s, str) for s in source):
            source = "".join(source)
        if not isinstance(source, str):
            raise Refused(f"{where}: its source is {type_name(source)}, expected text or a list of lines")
        if kind != "code":
            continue
        gid = nbg.get("grade_id")
        if gid is not None and (not isinstance(gid, str) or len(gid) > MAX_NAME_CHARS or not text_ok(gid)):
            raise Refused(f"{where}: its grade_id is {type_name(gid)} of that cannot be used, expected a short name")
        flags = {}
        for flag in ("solution", "grade"):
            value = nbg.get(flag, False)
            if not isinstance(value, bool):
                raise Refused(f"{where}: nbgrader's {flag} is {type_name(value)}, expected true or false")
            flags[flag] = value
        if len(source) > MAX_CELL_CHARS:
            raise Refused(f"{where} holds {len(source):,} characters of code (limit {MAX_CELL_CHARS:,})")
        if not text_ok(source):
            raise Refused(f"{where}: its source holds text that is not valid Unicode (a lone surrogate)")
        total += len(source)
        if total > MAX_CODE_CHARS:
            raise Refused(f"{name} holds more than {MAX_CODE_CHARS:,} characters of code")
        out.append({"index": i, "source": source, "grade_id": gid, **flags})
    return out


def describe(root, assignment):
    notes = []
    try:
        path, name, notes = find(root, assignment)
        nb = parse(read_bytes(root, path, name), name)
        return {"ok": True, "notebook": name, "notes": notes, "cells": cells_of(nb, name)}
    except Refused as e:
        return {"ok": False, "reason": str(e), "notes": notes}


def main(argv):
    assignment, root = argv[1], argv[2]
    try:
        out = describe(root, assignment)
    except MemoryError:
        out = {"ok": False, "reason": "the notebook is too large to read within the memory limit", "notes": []}
    sys.stdout.write(json.dumps(out, ensure_ascii=True) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
