"""The order in which the test modules and notebooks go to the xdist workers.

The test command (pyproject.toml's addopts) runs each module, and each notebook's cells, whole
on one worker (--dist loadscope), handing them out in the order of the collected items
(--no-loadscope-reorder; xdist's own default sends the modules with the most tests first,
which left the longest ones to start last and run alone while the other worker idled).
Here the longest go first, so the short ones fill in around them at the end.

This hook sees every collected item, notebooks/ included (a conftest's
pytest_collection_modifyitems is a hook of the whole session, not of its folder); it also marks
the cells of the notebooks in SLOW_NOTEBOOKS slow, which nbval's items cannot be marked in a file.
"""
from __future__ import annotations

import pytest

# Longest first, by the CPU seconds `python -m pytest -p benchmarks.pytest_cpu` measured for each module in
# both tiers (the figures are in the closing notes of issue 27); a module not listed goes after
# these, in collection order. A wrong order costs time, never a check.
LONGEST_FIRST = [
    "tests/test_classroom.py",        # slow tier: the class autograded by nbgrader, 06 in the student's loop
    "tests/test_grading.py",          # the classroom edition built; slow tier: a generated class graded
    "notebooks/07_experiments.ipynb",  # slow tier
    "tests/test_editions.py",         # exercise 06 executed; slow tier: 01-06 whole, 06 in the learner's loop
    "notebooks/06_cat_classifier.ipynb",
    "tests/test_site.py",             # slow tier: the website built and opened in Chromium
    "notebooks/08_fast_training.ipynb",  # slow tier
    "tests/test_grading_hostile_files.py",
    "tests/test_tools_files.py",
    "tests/test_install.py",          # slow tier: the wheel built and installed
    "tests/test_grading_outside_scoring.py",
    "tests/test_grading_partial_credit.py",
    "tests/test_fast.py",
    "tests/test_make_preview.py",
    "tests/test_files.py",
    "notebooks/05_update_parameters.ipynb",
    "tests/test_explore.py",
    "tests/test_training_progress.py",
    "tests/test_grading_student_cells.py",
    "tests/test_grading_limits.py",
]


#: notebooks that nbval re-runs in the slow tier only (README): the two beyond the course. 07's sections
#: 3b and 4 draw 1000 new test images and train 20 networks, 08 times both forms of the fast path;
#: together a seventh of the default run's CPU
SLOW_NOTEBOOKS = {"notebooks/07_experiments.ipynb", "notebooks/08_fast_training.ipynb"}


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.nodeid.split("::")[0] in SLOW_NOTEBOOKS:
            item.add_marker(pytest.mark.slow)
    rank = {path: i for i, path in enumerate(LONGEST_FIRST)}
    # a stable sort: each module keeps its tests' order (a notebook's cells run in order)
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))
