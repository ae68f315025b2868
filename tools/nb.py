"""Keep the notebooks and dnn_utils.py in step, and re-execute notebooks.

dnn_utils.py is the single source of the course's functions. A notebook shows a
function by holding a code cell that starts with the line ``#@save``; every
function defined in such a cell must be identical to the one in dnn_utils.py
(tests/test_notebook_sync.py fails otherwise).

    python tools/nb.py sync                 # rewrite the #@save cells from dnn_utils.py
    python tools/nb.py check                # exit 1 if any #@save cell has drifted
    python tools/nb.py execute [NOTEBOOK…]  # run top to bottom in a fresh kernel, store outputs
"""
from __future__ import annotations

import ast
import difflib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULE = ROOT / "dnn_utils.py"
NOTEBOOKS = ROOT / "notebooks"
MARKER = "#@save"


def module_functions(path: Path = MODULE) -> dict[str, str]:
    """Source text of every top-level function in the module, by name."""
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    return {node.name: ast.get_source_segment(text, node)
            for node in tree.body if isinstance(node, ast.FunctionDef)}


def saved_cells(nb):
    """(index, cell) for every code cell that starts with the #@save marker."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and cell.source.lstrip().startswith(MARKER):
            yield i, cell


def cell_functions(source: str) -> dict[str, str]:
    tree = ast.parse(source)
    return {node.name: ast.get_source_segment(source, node)
            for node in tree.body if isinstance(node, ast.FunctionDef)}


def drift(notebook: Path, functions: dict[str, str] | None = None) -> list[str]:
    """Differences between the #@save cells of `notebook` and dnn_utils.py (empty if none)."""
    import nbformat

    functions = module_functions() if functions is None else functions
    nb = nbformat.read(notebook, as_version=4)
    problems = []
    for i, cell in saved_cells(nb):
        defined = cell_functions(cell.source)
        if not defined:
            problems.append(f"{notebook.name} cell {i}: marked {MARKER} but defines no function")
        for name, src in defined.items():
            if name not in functions:
                problems.append(f"{notebook.name} cell {i}: {name} is not in dnn_utils.py")
            elif ast.dump(ast.parse(src)) != ast.dump(ast.parse(functions[name])):
                diff = "\n".join(difflib.unified_diff(functions[name].splitlines(), src.splitlines(),
                                                      "dnn_utils.py", f"{notebook.name} cell {i}",
                                                      lineterm=""))
                problems.append(f"{notebook.name} cell {i}: {name} differs from dnn_utils.py\n{diff}")
    return problems


def is_solution_cell(cell) -> bool:
    """True for a cell that nbgrader treats as a student's answer (classroom edition)."""
    return bool(cell.get("metadata", {}).get("nbgrader", {}).get("solution"))


def with_solution_markers(src: str) -> str:
    """A function's source with its body (after the docstring) between nbgrader's markers.

    nbgrader replaces what lies between ``### BEGIN SOLUTION`` and ``### END SOLUTION``
    with a stub in the student release; the signature and the docstring stay visible.
    The markers are comments, so the cell still equals the module (AST comparison).
    """
    fn = ast.parse(src).body[0]
    lines = src.splitlines()
    # everything after the docstring, comments included, is the answer
    start = fn.body[0].end_lineno if ast.get_docstring(fn) is not None else fn.body[0].lineno - 1
    while not lines[start].strip():
        start += 1
    indent = lines[start][:len(lines[start]) - len(lines[start].lstrip())]
    return "\n".join(lines[:start] + [indent + "### BEGIN SOLUTION"] + lines[start:]
                     + [indent + "### END SOLUTION"])


def sync(notebook: Path, functions: dict[str, str]) -> bool:
    """Rewrite the functions of each #@save cell from the module. Returns True if changed.

    In a graded (nbgrader solution) cell each function body is wrapped in solution markers.
    """
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    changed = False
    for _, cell in saved_cells(nb):
        names = list(cell_functions(cell.source))
        wrap = with_solution_markers if is_solution_cell(cell) else (lambda s: s)
        new = MARKER + "\n" + "\n\n\n".join(wrap(functions[n]) for n in names if n in functions)
        if new != cell.source:
            cell.source, changed = new, True
    if changed:
        nbformat.write(nb, notebook)
    return changed


def execute(notebook: Path, timeout: int = 900) -> None:
    """Run a notebook top to bottom in a fresh kernel of this Python, storing the outputs."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(notebook, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(notebook.parent)}})
    client.execute()
    for cell in nb.cells:  # one stream output per name, however the kernel happened to flush it
        if cell.cell_type == "code":
            outputs = []
            for out in cell.outputs:
                last = outputs[-1] if outputs else None
                if (out.output_type == "stream" and last is not None
                        and last.output_type == "stream" and last.name == out.name):
                    last.text += out.text
                else:
                    outputs.append(out)
            cell.outputs = outputs
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nbformat.write(nb, notebook)


def main(argv: list[str]) -> int:
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
    functions = module_functions()
    if command == "sync":
        for nb in notebooks:
            if sync(nb, functions):
                print(f"updated {nb}")
        return 0
    problems = [p for nb in notebooks for p in drift(nb, functions)]
    print("\n\n".join(problems) or "notebooks and dnn_utils.py agree")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
