"""Keep the notebooks and dnn_utils.py in step, and re-execute notebooks.

dnn_utils.py is the single source of the course's functions. A notebook shows a
function by holding a code cell whose first line is MARKER (below); the rest of the
cell must be, character for character, the text of the functions it shows in
dnn_utils.py, decorators and comments included: comments are part of the lesson.
tests/test_notebook_sync.py fails otherwise. The copy runs one way, from the module
into the notebooks:

    python tools/nb.py sync                 # rewrite the marked cells from dnn_utils.py
    python tools/nb.py check                # exit 1 if any marked cell has drifted
    python tools/nb.py execute [NOTEBOOK…]  # run top to bottom in a fresh kernel, store outputs

A notebook is written whole or not at all (a temporary file, fsynced, then renamed). sync
never drops code it does not understand: a marked cell with a function dnn_utils.py lacks,
or one that does not parse, stops it (exit status 2) before anything is written. A missing,
damaged or read-only notebook is one line naming it and the problem, exit status 2.
"""
from __future__ import annotations

import ast
import difflib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULE = ROOT / "dnn_utils.py"
NOTEBOOKS = ROOT / "notebooks"
MARKER = "# Defined in dnn_utils.py (copied into this notebook by tools/nb.py sync; edit the module, not this cell)"


def _functions(text: str) -> dict[str, str]:
    """Source text of every top-level function in `text`, decorators included, by name."""
    lines = text.splitlines()
    out = {}
    for node in ast.parse(text).body:
        if isinstance(node, ast.FunctionDef):
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            out[node.name] = "\n".join(lines[first - 1:node.end_lineno])
    return out


def module_functions(path: Path = MODULE) -> dict[str, str]:
    """Source text of every top-level function in the module, by name."""
    return _functions(path.read_text(encoding="utf-8"))


def saved_cells(nb):
    """(index, cell) for every code cell whose first line is the marker."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and cell.source.split("\n", 1)[0] == MARKER:
            yield i, cell


def cell_functions(source: str) -> dict[str, str]:
    return _functions(source)


def expected_cell(names, functions: dict[str, str]) -> str:
    """What a marked cell showing the functions `names` must hold, exactly."""
    return MARKER + "\n" + "\n\n\n".join(functions[n] for n in names)


def drift(notebook: Path, functions: dict[str, str] | None = None) -> list[str]:
    """Differences between the marked cells of `notebook` and dnn_utils.py (empty if none)."""
    from dnnlib.editions import read_notebook

    functions = module_functions() if functions is None else functions
    nb = read_notebook(notebook)
    problems = []
    for i, cell in saved_cells(nb):
        try:
            names = list(cell_functions(cell.source))
        except SyntaxError as e:
            problems.append(f"{notebook.name} cell {i}: does not parse ({e})")
            continue
        if not names:
            problems.append(f"{notebook.name} cell {i}: marked as copied from dnn_utils.py but defines no function")
            continue
        unknown = [n for n in names if n not in functions]
        if unknown:
            problems.append(f"{notebook.name} cell {i}: {', '.join(unknown)} not in dnn_utils.py")
            continue
        expected = expected_cell(names, functions)
        if cell.source != expected:
            diff = "\n".join(difflib.unified_diff(expected.splitlines(), cell.source.splitlines(),
                                                  "dnn_utils.py", f"{notebook.name} cell {i}",
                                                  lineterm=""))
            problems.append(f"{notebook.name} cell {i}: {', '.join(names)} differs from dnn_utils.py\n{diff}")
    return problems


class SyncRefused(Exception):
    """A marked cell that sync cannot rewrite without losing code: one line per cell."""


def synced(notebook: Path, functions: dict[str, str]):
    """The notebook with each marked cell rewritten from the module, or None if nothing changes.

    Raises SyncRefused (naming the cell, the functions and what to do) rather than drop code:
    a function that dnn_utils.py lacks, a cell that does not parse or that defines no function.
    """
    from dnnlib.editions import read_notebook

    nb = read_notebook(notebook)
    changed, problems = False, []
    for i, cell in saved_cells(nb):
        try:
            names = list(cell_functions(cell.source))
        except SyntaxError as e:
            problems.append(f"{notebook} cell {i}: does not parse ({e.msg}, line {e.lineno}); sync would "
                            f"lose it: fix the cell, or remove its first line (the marker) to keep it as it is")
            continue
        if not names:
            problems.append(f"{notebook} cell {i}: marked as copied from dnn_utils.py but defines no function; "
                            f"sync would empty it: remove its first line (the marker) to keep it")
            continue
        unknown = [n for n in names if n not in functions]
        if unknown:
            problems.append(f"{notebook} cell {i}: function {', '.join(unknown)} is not in dnn_utils.py, so sync "
                            f"would drop it; add it to dnn_utils.py (the one source), or move it to an "
                            f"unmarked cell, then run sync again")
            continue
        new = expected_cell(names, functions)
        if new != cell.source:
            cell.source, changed = new, True
    if problems:
        raise SyncRefused("\n".join(problems))
    return nb if changed else None


def sync(notebook: Path, functions: dict[str, str]) -> bool:
    """Rewrite each marked cell from the module. Returns True if anything changed."""
    from dnnlib.editions import write_notebook

    nb = synced(notebook, functions)
    if nb is not None:
        write_notebook(nb, notebook)
    return nb is not None


def execute(notebook: Path, timeout: int = 900) -> None:
    """Run a notebook top to bottom in a fresh kernel of this Python, storing the outputs."""
    from nbclient import NotebookClient
    from nbconvert.preprocessors import CoalesceStreamsPreprocessor

    from dnnlib.editions import check_can_write, read_notebook, write_notebook

    nb = read_notebook(notebook)
    check_can_write(notebook)  # before the slow part
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(notebook.parent)}})
    client.execute()
    # one stream output per name, however the kernel happened to flush it
    nb, _ = CoalesceStreamsPreprocessor().preprocess(nb, {})
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    write_notebook(nb, notebook)


def main(argv: list[str]) -> int:
    from dnnlib.editions import NotebookError

    try:
        return _run(argv)
    except (NotebookError, SyncRefused) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


def _run(argv: list[str]) -> int:
    if not argv or argv[0] not in {"sync", "check", "execute"}:
        print(__doc__)
        return 2
    command, names = argv[0], argv[1:]
    notebooks = [Path(n) for n in names] or sorted(NOTEBOOKS.glob("[0-9]*.ipynb"))
    if command == "execute":
        for nb in notebooks:
            print(f"executing {nb}", flush=True)
            execute(nb)
        return 0
    try:
        functions = module_functions()
    except (OSError, SyntaxError) as e:
        print(f"error: {MODULE}: cannot read its functions ({e})", file=sys.stderr)
        return 2
    if command == "sync":
        from dnnlib.editions import check_can_write, write_notebook

        # every notebook is checked before any is written: a refusal leaves all of them as they are
        updates = {}
        problems = []
        for path in notebooks:
            try:
                nb = synced(path, functions)
            except SyncRefused as e:
                problems.append(str(e))
                continue
            if nb is not None:
                check_can_write(path)
                updates[path] = nb
        if problems:
            raise SyncRefused("\n".join(problems) + "\nsync refused: nothing was written")
        for path, nb in updates.items():
            write_notebook(nb, path)
            print(f"updated {path}")
        return 0
    problems = [p for nb in notebooks for p in drift(nb, functions)]
    print("\n\n".join(problems) or "notebooks and dnn_utils.py agree")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
