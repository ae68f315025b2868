"""Per-student seeds of the hidden tests (classroom/grading/seeds.py, issue 25 item 5)."""
from __future__ import annotations

import os
import stat
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from classroom.grading import seeds


def test_seed_is_stable_across_regrades_and_differs_per_student_and_assignment(tmp_path):
    first = seeds.student_seed(tmp_path, "02_forward_propagation", "alice")
    assert seeds.student_seed(tmp_path, "02_forward_propagation", "alice") == first
    others = {seeds.student_seed(tmp_path, a, s) for a in ("01_initialization", "02_forward_propagation")
              for s in ("alice", "bob", "carol")}
    assert len(others) == 6 and first in others
    assert 0 <= first < 2 ** 64


def test_seed_depends_on_the_course_secret(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    assert seeds.student_seed(one, "03_cost", "alice") != seeds.student_seed(two, "03_cost", "alice")


def test_secret_is_created_once_private_and_outside_the_sandbox_view(tmp_path):
    seeds.student_seed(tmp_path, "03_cost", "alice")
    secret = tmp_path / seeds.SECRET_FILE
    before = secret.read_bytes()
    assert len(before) == seeds.SECRET_BYTES
    assert stat.S_IMODE(secret.stat().st_mode) & 0o077 == 0
    # the sandbox sees DIR/grades/sandbox-lib/<assignment>/ only (course.prepare_module_dir)
    assert "sandbox-lib" not in secret.relative_to(tmp_path).parts
    seeds.student_seed(tmp_path, "04_backward_propagation", "bob")
    assert secret.read_bytes() == before
    assert [p.name for p in secret.parent.iterdir()] == [secret.name]   # no temporary file left behind


def test_racing_graders_agree_on_one_secret(tmp_path):
    with ThreadPoolExecutor(8) as pool:
        got = set(pool.map(lambda i: seeds.student_seed(tmp_path, "03_cost", "alice"), range(32)))
    assert len(got) == 1


def test_damaged_secret_is_a_clear_error_not_a_new_secret(tmp_path):
    secret = tmp_path / seeds.SECRET_FILE
    secret.parent.mkdir(parents=True)
    secret.write_bytes(b"short")
    with pytest.raises(ValueError, match="5 bytes"):
        seeds.student_seed(tmp_path, "03_cost", "alice")
    assert secret.read_bytes() == b"short"


@pytest.mark.parametrize("assignment, student", [("", "alice"), ("03_cost", ""), (None, "alice"), ("03_cost", 7)])
def test_bad_names_are_a_clear_error(tmp_path, assignment, student):
    with pytest.raises(ValueError, match="non-empty str"):
        seeds.student_seed(tmp_path, assignment, student)
    assert not (tmp_path / seeds.SECRET_FILE).exists() or os.path.getsize(tmp_path / seeds.SECRET_FILE) == 32


def test_cell_entropy_gives_independent_generators_per_cell():
    seed = 12345
    a = np.random.default_rng(seeds.cell_entropy(seed, "test_forward")).standard_normal(4)
    b = np.random.default_rng(seeds.cell_entropy(seed, "test_backward")).standard_normal(4)
    again = np.random.default_rng(seeds.cell_entropy(seed, "test_forward")).standard_normal(4)
    other = np.random.default_rng(seeds.cell_entropy(seed + 1, "test_forward")).standard_normal(4)
    assert np.array_equal(a, again)
    assert not np.allclose(a, b) and not np.allclose(a, other)
    for bad in (-1, 2 ** 64, 1.5, True):
        with pytest.raises(ValueError, match="seed"):
            seeds.cell_entropy(bad, "test_forward")


def test_a_changed_submission_draws_new_inputs_and_the_same_one_the_same():
    """A table of answers built from the inputs an earlier submission's feedback showed does not
    carry over: the code is part of the seed."""
    code = [{"grade_id": "compute_cost", "source": "def compute_cost(AL, Y):\n    return 0.0\n"}]
    changed = [dict(code[0], source=code[0]["source"] + "# one more answer\n")]
    assert seeds.submission_seed(7, code) == seeds.submission_seed(7, [dict(c) for c in code])
    assert seeds.submission_seed(7, changed) != seeds.submission_seed(7, code)
    assert seeds.submission_seed(8, code) != seeds.submission_seed(7, code)
    with pytest.raises(ValueError, match="seed"):
        seeds.submission_seed(-1, code)
