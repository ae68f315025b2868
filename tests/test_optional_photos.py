"""Issue 27, item 3: a lean learner install. scikit-image (and scipy through it, about 200 MB) is
only needed for notebook 06's real photographs: it is the optional ``photos`` extra, and where it
is missing, real_photos says what to install instead of failing with a bare ModuleNotFoundError.
"""
from __future__ import annotations

import re
import sys
import tomllib

import pytest

from dnnlib import explore
from tests.helpers import ROOT, assert_names


def requirement_names(requirements):
    return {re.split(r"[<>=!~\[; ]", r, maxsplit=1)[0].lower() for r in requirements}


def test_scikit_image_is_an_extra_not_a_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "scikit-image" not in requirement_names(project["dependencies"])
    assert "scikit-image" in requirement_names(project["optional-dependencies"]["photos"])
    # the test install (requirements.txt: the test extra) still gets it, through the photos extra
    assert "deep-nn-from-scratch[photos]" in project["optional-dependencies"]["test"]
    assert "tqdm" in requirement_names(project["dependencies"])  # the training's progress bar


def test_without_scikit_image_real_photos_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "skimage", None)  # import skimage now raises ImportError
    monkeypatch.setitem(sys.modules, "skimage.data", None)
    assert explore.photos_available() is False
    with pytest.raises(ImportError) as info:
        explore.real_photos()
    assert isinstance(info.value, explore.PhotosUnavailable)
    assert_names(info, "scikit-image", "optional", 'pip install "deep-nn-from-scratch[photos]"', "restart")
    with pytest.raises(ValueError, match="unknown"):  # a wrong name is still named first
        explore.real_photos(["lena"])


def test_with_scikit_image_the_photos_are_available():
    pytest.importorskip("skimage")
    assert explore.photos_available() is True
    assert list(explore.real_photos(["chelsea"])) == ["chelsea"]
