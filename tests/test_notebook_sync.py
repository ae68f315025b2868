"""The notebooks' teaching code and dnn_utils.py must not drift apart."""
from pathlib import Path

import nbformat
import pytest

from tools import nb as nbtool

ROOT = Path(__file__).resolve().parent.parent

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))

# Every step of the course must be shown in some notebook, cell for cell.
TAUGHT = [
    "initialize_parameters",
    "linear_forward", "linear_activation_forward", "L_model_forward",
    "compute_cost",
    "relu_backward", "sigmoid_backward", "linear_backward", "linear_activation_backward",
    "L_model_backward",
    "update_parameters",
    "L_layer_model",
]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_saved_cells_match_module(notebook):
    problems = nbtool.drift(notebook)
    assert not problems, "\n\n".join(problems) + "\n\nRun `python tools/nb.py sync` (dnn_utils.py is the source)."


def test_every_course_step_is_shown():
    if not NOTEBOOKS:
        pytest.skip("no notebooks yet")
    shown = set()
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for _, cell in nbtool.saved_cells(nb):
            shown |= set(nbtool.cell_functions(cell.source))
    missing = [name for name in TAUGHT if name not in shown]
    assert not missing, f"these dnn_utils functions appear in no notebook cell copied from the module: {missing}"


@pytest.mark.parametrize("change", [
    lambda src: src + "\n    # a comment the module does not have",      # comments are part of the lesson
    lambda src: src.replace("\n", "\n\n", 1),                            # so is the layout
    lambda src: "\n".join(line for line in src.splitlines() if not line.startswith("@")),  # and the decorator
])
def test_drift_is_detected(tmp_path, change):
    """The check itself can fail: a change to a copied cell that leaves the code alone is reported."""
    src = nbtool.module_functions()["linear_forward"]
    assert src.startswith("@checked\n")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(nbtool.MARKER + "\n" + change(src))]
    path = tmp_path / "drifted.ipynb"
    nbformat.write(nb, path)
    problems = nbtool.drift(path)
    assert len(problems) == 1 and "linear_forward differs" in problems[0]
    nbtool.sync(path, nbtool.module_functions())
    assert nbtool.drift(path) == []
    assert nbformat.read(path, as_version=4).cells[0].source == nbtool.MARKER + "\n" + src


def test_marker_says_which_way_the_copy_runs():
    assert "dnn_utils.py" in nbtool.MARKER and "edit the module, not this cell" in nbtool.MARKER
