"""The committed diagrams (notebooks/figures/*.png) are what tools/draw_diagrams.py draws."""

from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import imread
from matplotlib.testing.compare import compare_images

from tools import draw_diagrams

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ROOT / "notebooks" / "figures"

NAMES = sorted(draw_diagrams.DIAGRAMS)


@pytest.fixture(scope="module")
def redrawn(tmp_path_factory):
    out = tmp_path_factory.mktemp("figures")
    paths = draw_diagrams.draw_all(out)
    return out, paths


def test_the_four_diagrams_are_drawn():
    assert NAMES == ["architecture.png", "forward_backward.png", "layer_blocks.png", "unrolling.png"]


@pytest.mark.parametrize("name", NAMES)
def test_committed_diagram_exists_and_fits_a_notebook(name):
    path = FIGURES / name
    assert path.is_file(), f"{path} is missing: run `python tools/draw_diagrams.py`"
    assert path.stat().st_size < 150_000
    image = imread(path)
    height, width = image.shape[:2]
    assert width == 700 and 300 <= height <= 500, image.shape


def test_the_script_writes_every_diagram(redrawn):
    out, paths = redrawn
    assert sorted(p.name for p in paths) == NAMES
    assert all((out / n).is_file() for n in NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_committed_diagram_matches_the_script(redrawn, name):
    out, _ = redrawn
    # RMS difference on the 0-255 scale: font rendering may differ by a few pixels across machines
    diff = compare_images(str(FIGURES / name), str(out / name), tol=2)
    assert diff is None, (f"{name} differs from what tools/draw_diagrams.py draws now ({diff}); "
                          f"run `python tools/draw_diagrams.py` and commit the images")


def test_drawing_is_deterministic(tmp_path, redrawn):
    out, _ = redrawn
    again = draw_diagrams.draw_all(tmp_path)
    for path in again:
        assert path.read_bytes() == (out / path.name).read_bytes(), path.name


def test_diagrams_are_not_blank(redrawn):
    out, _ = redrawn
    for name in NAMES:
        pixels = imread(out / name)[..., :3]
        ink = np.mean(np.any(pixels < 0.9, axis=-1))
        assert 0.02 < ink < 0.5, (name, ink)


def test_a_changed_drawing_is_detected(tmp_path, redrawn):
    out, _ = redrawn
    import matplotlib.pyplot as plt

    with plt.rc_context(draw_diagrams.STYLE):
        fig = draw_diagrams.draw_architecture()
        fig.axes[0].text(50, 30, "an extra label", fontsize=14)
        fig.savefig(tmp_path / "architecture.png", dpi=draw_diagrams.DPI, metadata={"Software": None})
        plt.close(fig)
    assert compare_images(str(out / "architecture.png"), str(tmp_path / "architecture.png"), tol=2)
