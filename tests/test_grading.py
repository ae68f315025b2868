"""The safe grader (classroom/grade.py, classroom/grading/): a generated class, graded with the
documented command, in bubblewrap sandboxes, in parallel.

The class (classroom/simulate_class.py) has one student per kind of submission: correct
answers, the untouched release, each seed-post bug, a partly right answer, a draft above the
answer, a helper function, each cheat class, a vandal, an endless loop, a crash, a renamed
notebook, deleted and edited test cells, huge output and an empty folder.

Tests that need bubblewrap skip when it is missing, except when DNN_REQUIRE_SANDBOX=1 (CI).
"""
from __future__ import annotations

import csv
import hashlib
import html
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLASSROOM = ROOT / "classroom"

from classroom import simulate_class
from classroom.grading import contract, runner, sandbox
from classroom.grading import course as course_module
from tests import grading_course as tiny
from tests.helpers import course_copy

CELL_TIMEOUT = 5.0   # 05 trains 300 iterations through the scorer (about 0.3 s idle): margin for a loaded CI
A = simulate_class.ASSIGNMENTS


def _sandbox_or_skip():
    tiny.sandbox_or_skip()


def grade_cmd(course: Path, *args: str, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(CLASSROOM / "grade.py"), *args, "--course", str(course)],
                          capture_output=True, text=True, timeout=600, env=env, check=False)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return course_copy(tmp_path_factory, "grading")


def source_hashes(course: Path) -> dict[str, str]:
    return {str(p.relative_to(course)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((course / "source").rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def graded(course):
    """The class, graded with the documented command (all assignments, 2 jobs)."""
    _sandbox_or_skip()
    kinds = [k for k in simulate_class.kinds(course) if k != "correct"]
    simulate_class.write_class(course, {k: k for k in kinds}, base=None)
    simulate_class.write_class(course, {"correct": "correct", "victim": "correct"})
    before = source_hashes(course)
    victim_nb = (course / "submitted" / "victim" / A[0] / f"{A[0]}.ipynb").read_bytes()
    proc = grade_cmd(course, "all", "--jobs", "2", "--cell-timeout", str(CELL_TIMEOUT))
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    results = {}
    for f in (course / "grades" / "results").glob("*/*.json"):
        r = json.loads(f.read_text())
        results[(r["student"], r["assignment"])] = r
    return {"results": results, "before": before, "victim_nb": victim_nb, "stdout": proc.stdout}


def cells(graded, student, a):
    return graded["results"][(student, a)]["cells"]


# -- the grades ----------------------------------------------------------------------------

@pytest.mark.slow
def test_correct_answers_score_full_marks_with_no_note(graded, course):
    for a in A:
        r = graded["results"][("correct", a)]
        assert r["score"] == r["max"] > 0, (a, r["cells"])
        assert r["notes"] == [], (a, r["notes"])          # untouched test cells: no "checksum" noise
    assert sum(graded["results"][("correct", a)]["max"] for a in A) == 29


@pytest.mark.slow
def test_untouched_release_scores_zero_and_says_not_written(graded):
    for a in A:
        for gid, c in cells(graded, "untouched", a).items():
            assert c["score"] == 0 and "not written yet" in c["message"], (a, gid, c)


@pytest.mark.parametrize("kind, a, lose, keep, says", [
    ("bug_AW", A[1], ["test_linear_forward"], [], "A·W"),
    ("bug_A_prev", A[1], ["test_L_model_forward"], ["test_linear_forward", "test_linear_activation_forward"], "A_prev"),
    ("bug_Z_lt_0", A[3], ["test_sigmoid_backward"], ["test_linear_backward", "test_L_model_backward"], "Z <= 0"),
    ("bug_no_1_over_m", A[3], ["test_linear_backward", "test_L_model_backward"], ["test_sigmoid_backward"],
     "times too large"),
])
@pytest.mark.slow
def test_seed_post_bug_loses_its_cells_with_the_message_naming_it(graded, kind, a, lose, keep, says):
    got = cells(graded, kind, a)
    for gid in lose:
        assert got[gid]["score"] < got[gid]["max"], (gid, got[gid])
    for gid in keep:
        assert got[gid]["score"] == got[gid]["max"], (gid, got[gid])
    assert says in got[lose[0]]["message"], got[lose[0]]


@pytest.mark.slow
def test_partial_credit_for_a_function_right_but_for_one_behaviour(graded):
    """Dividing every layer by sqrt(n_x) instead of its own sqrt(n[l-1]): W1 is right, W2 on are not."""
    c = cells(graded, "partial_fan_in", A[0])["test_initialize_parameters"]
    assert c["status"] == "partial" and 0 < c["score"] < c["max"] and "n[l-1]" in c["message"], c
    # a bug that breaks one behaviour of a two-function cell keeps the other behaviours' share
    c = cells(graded, "bug_Z_lt_0", A[3])["test_sigmoid_backward"]
    assert 0 < c["score"] < c["max"], c


@pytest.mark.slow
def test_code_is_read_by_grade_id_with_its_helpers(graded):
    assert graded["results"][("draft_above", A[1])]["score"] == 7      # a wrong draft above the answer
    assert cells(graded, "helper", A[0])["test_initialize_parameters"]["score"] == 2  # a helper in the solution cell


@pytest.mark.slow
def test_a_helper_in_a_cell_of_its_own_counts_as_in_nbgrader(graded):
    # issue 25, item 4: the student's own cells are loaded (definitions, imports, constants)
    r = graded["results"][("helper_outside", A[0])]
    assert cells(graded, "helper_outside", A[0])["test_initialize_parameters"]["score"] == 2, r
    assert r["notes"] == [], r


@pytest.mark.slow
def test_an_error_in_a_reference_function_names_where_it_came_from(graded):
    c = cells(graded, "wrong_call_to_reference", A[4])["test_L_layer_model"]
    assert "your L_layer_model" in c["message"] and "the reference L_model_forward of 02_forward_propagation" in c["message"], c
    for r in graded["results"].values():                     # no message ever shows a notebook's path
        assert not any(re.search(r"/\S*\.ipynb", m) for c in r["cells"].values() for m in c["messages"]), r


@pytest.mark.slow
def test_renamed_notebook_and_restored_test_cells(graded):
    r = graded["results"][("renamed", "03_cost")]
    assert r["score"] == 2 and any("03_cost-Copy1.ipynb" in n for n in r["notes"]), r
    r = graded["results"][("deleted_test_cell", "03_cost")]
    assert r["score"] == 2 and any("deleted" in n for n in r["notes"]), r
    r = graded["results"][("edited_test_cell", "03_cost")]
    assert any("tampered" in n for n in r["notes"]), r                  # reported ...
    assert r["score"] < 2                                                # ... and graded by the real test


@pytest.mark.slow
def test_endless_loop_is_cut_once_and_not_run_again(graded):
    r = graded["results"][("endless_loop", A[1])]
    got = r["cells"]
    assert got["test_linear_forward"]["status"] == "timeout" and "linear_forward" in got["test_linear_forward"]["message"]
    for gid in ("test_linear_activation_forward", "test_L_model_forward"):
        assert got[gid]["status"] == "timeout" and "not run again" in got[gid]["message"], got[gid]
    assert r["seconds"] < 3 * CELL_TIMEOUT + 15, r["seconds"]           # one timeout, not one per cell


@pytest.mark.slow
def test_submission_time_cap_bounds_a_whole_submission(graded, course):
    names = list(A)
    course_a = contract.load_course(course)
    a = "02_forward_propagation"
    job = runner.Job(course, course_a[a], [course_a[n] for n in names[:1]],
                     [f for n in names[2:] for f in course_a[n].functions],
                     course_module.prepare_module_dir(course, course_a[a], list(course_a.values())),
                     "endless_loop", course / "submitted" / "endless_loop" / a,
                     sandbox.Limits(cell_seconds=30, submission_seconds=2))
    r = runner.grade(job)
    assert all(c["status"] == "timeout" and "time cap" in c["message"] for c in r["cells"].values()), r["cells"]
    assert r["seconds"] < 15, r["seconds"]


@pytest.mark.slow
def test_crash_and_empty_folder_are_zeros_with_a_reason(graded):
    got = cells(graded, "crash", A[3])
    assert got["test_sigmoid_backward"]["status"] == "kernel-died", got
    assert got["test_linear_backward"]["score"] == got["test_linear_backward"]["max"]   # graded after a restart
    for c in cells(graded, "empty_folder", A[4]).values():
        assert c["status"] == "missing" and "no notebook" in c["message"], c


@pytest.mark.slow
def test_memory_limit_gives_a_clear_error(graded):
    c = cells(graded, "memory_hog", "06_cat_classifier")["test_flatten_images"]
    assert c["score"] == 0 and "MemoryError" in c["message"], c


@pytest.mark.slow
def test_huge_output_is_graded_and_kept_out_of_the_feedback(graded, course):
    r = graded["results"][("huge_output", A[0])]
    assert r["score"] == r["max"], r
    fb = course / "feedback" / "huge_output" / A[0] / f"{A[0]}.html"
    assert fb.stat().st_size < 50_000


# -- cheats: one test per class ------------------------------------------------------------

@pytest.mark.parametrize("kind, a, status", [
    ("cheat_transformer", "04_backward_propagation", None),   # IPython input transformer
    ("cheat_run_cell", "05_update_parameters", None),         # wrapping the shell's run_cell
    ("cheat_source", "03_cost", None),                         # executing the solutions in source/
    ("cheat_editable", "02_forward_propagation", None),        # importing the project's dnn_utils.py
    ("cheat_always_true", "03_cost", None),                    # objects that always say True
    ("cheat_allclose", "02_forward_propagation", "tampered"),  # np.allclose patched with a frame-inspecting fake
])
@pytest.mark.slow
def test_cheat_scores_zero_on_its_cells(graded, kind, a, status):
    got = cells(graded, kind, a)
    assert got and all(c["score"] == 0 for c in got.values()), got
    if status:
        assert all(c["status"] == status for c in got.values()), got


@pytest.mark.slow
@pytest.mark.parametrize("kind, a", [("cheat_editable", "02_forward_propagation"), ("cheat_source", "03_cost")])
def test_those_cheats_would_work_without_the_sandbox(graded, course, kind, a):
    """What makes the two file-reading cheats score 0 is the sandbox's view: unconfined, they win."""
    names = list(simulate_class.ASSIGNMENTS)
    course_a = contract.load_course(course)
    job = runner.Job(course, course_a[a], [course_a[n] for n in names[:names.index(a)]],
                     [f for n in names[names.index(a) + 1:] for f in course_a[n].functions],
                     course_module.prepare_module_dir(course, course_a[a], list(course_a.values())),
                     kind, course / "submitted" / kind / a,
                     sandbox.Limits(cell_seconds=CELL_TIMEOUT), safe=False)
    r = runner.grade(job)
    assert r["score"] == r["max"], r["cells"]


@pytest.mark.slow
def test_printed_or_written_fake_results_do_not_count(graded):
    """The forger prints result frames and writes them (with a guessed secret) to every fd."""
    c = cells(graded, "forger", "03_cost")["test_compute_cost"]
    assert c["score"] == 0, c


@pytest.mark.slow
def test_always_true_objects_are_refused_by_name(graded):
    c = cells(graded, "cheat_always_true", "03_cost")["test_compute_cost"]
    assert "_Yes" in c["message"], c


def test_sandbox_hides_the_course_the_checkout_and_the_answers(course, tmp_path):
    """Inside the sandbox: no project checkout (an editable install's target), no source/, no
    gradebook, no other student; the student module is the student edition; nothing writable
    but /tmp; no network."""
    _sandbox_or_skip()
    lib = course_module.prepare_module_dir(course, contract.load_course(course)[A[1]], [])
    probe = (
        "import os, sys, socket\n"
        "import dnn_utils\n"
        "out = {'module': dnn_utils.__file__, 'student_edition': hasattr(dnn_utils, '_yours'),\n"
        f"       'checkout': os.path.exists({str(ROOT / 'dnn_utils.py')!r}),\n"
        f"       'source': os.path.exists({str(course / 'source')!r}),\n"
        f"       'gradebook': os.path.exists({str(course / 'gradebook.db')!r}),\n"
        f"       'submitted': os.path.exists({str(course / 'submitted')!r}),\n"
        "       'root': os.listdir('/root') if os.path.isdir('/root') else []}\n"
        "for p in ['/grading/x', '/usr/x', '/x']:\n"
        "    try:\n"
        "        open(p, 'w'); out[p] = 'written'\n"
        "    except OSError:\n"
        "        out[p] = 'refused'\n"
        "open('/tmp/ok', 'w').write('scratch')\n"
        "try:\n"
        "    socket.create_connection(('1.1.1.1', 80), timeout=2); out['net'] = True\n"
        "except OSError:\n"
        "    out['net'] = False\n"
        "print(repr(out))\n")
    (lib / "probe.py").write_text(probe)     # run from the grading folder, as the harness is
    cmd = sandbox.bwrap_command(lib, None, [])
    cmd = cmd[:cmd.index("/grading/harness.py")] + ["/grading/probe.py"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    out = eval(proc.stdout)
    assert out["module"] == "/grading/dnn_utils.py" and out["student_edition"], out
    assert not (out["checkout"] or out["source"] or out["gradebook"] or out["submitted"]), out
    assert all(out[p] == "refused" for p in ["/grading/x", "/usr/x", "/x"]), out
    assert out["net"] is False, out
    assert set(out["root"]) <= {".pyenv"}, out                           # only the interpreter, if it lives there


@pytest.mark.slow
def test_vandal_changes_nobody_elses_grade(graded, course):
    assert source_hashes(course) == graded["before"]
    assert (course / "submitted" / "victim" / A[0] / f"{A[0]}.ipynb").read_bytes() == graded["victim_nb"]
    for a in A:
        r = graded["results"][("victim", a)]
        assert r["score"] == r["max"], (a, r["cells"])
    con = sqlite3.connect(course / "gradebook.db")
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


def test_refuses_without_a_sandbox_unless_allowed(course, tmp_path):
    env = dict(os.environ, PATH=str(tmp_path))                   # no bwrap on PATH
    proc = grade_cmd(course, A[2], "--student", "nobody", env=env)
    assert proc.returncode == 2 and "refusing" in proc.stderr and "--allow-unsafe" in proc.stderr, proc.stderr


# -- throughput and the gradebook -------------------------------------------------------------

def gradebook_scores(course: Path, assignments) -> dict:
    from nbgrader.api import Gradebook

    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
            for a in assignments:
                for sub in gb.assignment_submissions(a):
                    for nb in sub.notebooks:
                        for g in nb.grades:
                            out[(sub.student.id, a, g.name)] = (g.score, g.needs_manual_grade)
    return out


@pytest.mark.slow
def test_parallel_run_equals_a_sequential_run(graded, course, tmp_path):
    some = ["04_backward_propagation"]        # bugs, cheats, a crash and a vandal-free victim: 9 submissions
    copy = tmp_path / "course"
    shutil.copytree(course, copy, ignore=shutil.ignore_patterns("grades", "feedback", "autograded"))
    proc = grade_cmd(copy, *some, "--jobs", "1", "--cell-timeout", str(CELL_TIMEOUT))
    assert proc.returncode == 0, proc.stderr[-3000:]
    for c in (course, copy):                                     # one writer: the gradebook is sound
        con = sqlite3.connect(c / "gradebook.db")
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        con.close()
    parallel, sequential = gradebook_scores(course, some), gradebook_scores(copy, some)
    assert parallel and parallel == sequential
    for (student, a, gid), score in parallel.items():          # the gradebook holds the results
        assert score == (graded["results"][(student, a)]["cells"][gid]["score"], False), (student, a, gid)


# -- what the instructor and the students get back --------------------------------------------------

@pytest.mark.slow
def test_feedback_never_shows_hidden_test_code(graded, course):
    files = list((course / "feedback").glob("*/*/*.html"))
    assert len(files) >= len(graded["results"]) - 1
    for a in A:
        asg = contract.load_assignment(course, a)
        visible = {line.strip() for t in asg.tests for line in t.visible.splitlines()}
        # code lines of the hidden tests (short ones such as "m = 5" also occur in messages' prose)
        hidden = {line for t in asg.tests for line in contract.hidden_lines(t.source) if len(line) >= 12} - visible
        assert len(hidden) > 3
        for f in course.glob(f"feedback/*/{a}/*.html"):
            text = f.read_text()
            leaked = [h for h in hidden if h in text or html.escape(h) in text]
            assert not leaked, (f, leaked[:3])
    fb = (course / "feedback" / "bug_no_1_over_m" / A[3] / f"{A[3]}.html").read_text()
    assert "times too large" in fb and "visible tests" in fb           # the message that names the mistake


@pytest.mark.slow
def test_wide_csv_export_for_an_lms(graded, course):
    with open(course / "grades" / "grades.csv", newline="") as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f)}
        f.seek(0)
        header = next(csv.reader(f))
    assert header[0] == "student_id" and header[-3:] == ["total", "max_total", "reasons"]
    for a in A:
        asg = contract.load_assignment(course, a)
        assert a in header and all(f"{a}:{t.grade_id}" in header for t in asg.tests)
    assert float(rows["correct"]["total"]) == 29 == float(rows["correct"]["max_total"])
    assert float(rows["correct"]["04_backward_propagation:test_linear_backward"]) == 3
    assert "timeout" in rows["endless_loop"]["reasons"] and "missing" in rows["empty_folder"]["reasons"]
    assert "not graded" in rows["bug_AW"]["reasons"]                    # assignments never handed in


@pytest.mark.slow
def test_summary_lists_every_zero_that_is_not_a_wrong_answer(graded, course):
    text = {a: (course / "grades" / f"summary-{a}.txt").read_text() for a in A}
    assert "endless_loop  test_linear_forward: timeout" in text[A[1]]
    assert "crash  test_sigmoid_backward: kernel-died" in text[A[3]]
    assert "empty_folder  test_update_parameters: missing" in text[A[4]]
    assert "renamed  note: renamed notebook" in text[A[2]]
    assert "cheat_allclose  test_linear_forward: tampered" in text[A[1]]
    assert "correct " not in "".join(text.values())


@pytest.mark.slow
def test_check_prints_whole_messages(graded, course):
    nb = course / "submitted" / "bug_no_1_over_m" / A[3] / f"{A[3]}.ipynb"
    proc = grade_cmd(course, "--check", str(nb))
    assert proc.returncode == 0, proc.stderr
    # the message to its end (the visible test's m is the test's business, not this one's)
    assert re.search(r"dW is m = \d+ times too large: dW = dZ·A_prev\.T / m \(the cost averages over the m "
                     r"examples\)\n", proc.stdout), proc.stdout


# -- the rules, without a sandbox ---------------------------------------------------------------------

def test_statement_kinds_and_quarter_credit():
    src = ("def test_f():\n    x = f()\n    assert x == 1, 'one'\n    assert not x == 2, 'two'\n"
           "    if x == 3:\n        raise AssertionError('three')\n    for i in range(2):\n        assert i < 5\n"
           "    print('done')\n\n\ntest_f()\n")
    assert contract.check_kinds(src) == ["setup", "check", "diagnostic", "diagnostic", "check", "setup"]
    t = contract.TestCell("test_f", 2.0, src, contract.check_kinds(src))
    ok = lambda k: [k, True, None]
    assert runner.score_cell(t, [ok("setup"), ok("check"), ok("diagnostic"), ok("diagnostic"), ok("check"),
                                 ok("setup")])[0] == 2.0
    one_wrong = [ok("setup"), ["check", False, "one"], ok("diagnostic"), ok("diagnostic"), ok("check"), ok("setup")]
    assert runner.score_cell(t, one_wrong) == (1.0, ["one"])
    fired = [ok("setup"), ok("check"), ok("diagnostic"), ["diagnostic", False, "three"], ok("check"), ok("setup")]
    assert runner.score_cell(t, fired) == (1.0, ["three"])           # a diagnostic fails the next check


def test_untouched_cells_are_not_reported_as_edited():
    visible = "def test_x():\n    assert f(1) == 2, 'msg'\n\n\ntest_x()"
    assert contract.same_code(visible, visible.replace("\n\n\n", "\n\n") + "\n")
    assert not contract.same_code(visible, "pass")


def test_magics_do_not_hide_the_functions_of_a_cell():
    a = contract.Assignment("x", Path("."), {"f": "def f():\n    pass"}, {"f": "f"}, [])
    nb = {"cells": [{"cell_type": "code", "metadata": {"nbgrader": {"solution": True, "grade_id": "f"}},
                     "source": "%matplotlib inline\n!ls\ndef f():\n    return 1\n"}]}
    code, found, notes = runner.student_code(nb, a)
    assert found == {"f": "f"} and notes == [] and code[0]["source"].splitlines()[2] == "def f():"


def test_renamed_notebooks_are_found(tmp_path):
    (tmp_path / "03_cost-Copy1.ipynb").write_text("{}")
    path, notes = runner.find_notebook(tmp_path, "03_cost")
    assert path.name == "03_cost-Copy1.ipynb" and "renamed" in notes[0]
    (tmp_path / "03_cost-Copy1.ipynb").rename(tmp_path / "my work.ipynb")
    assert runner.find_notebook(tmp_path, "03_cost")[0].name == "my work.ipynb"   # the only notebook


@pytest.mark.slow
def test_regrading_one_student_keeps_the_whole_class_in_the_summary(graded, course):
    summary = course / "grades" / f"summary-{A[1]}.txt"
    before = summary.read_text()
    proc = grade_cmd(course, A[1], "--student", "correct", "--cell-timeout", str(CELL_TIMEOUT))
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    # one student regraded to the same grade: the class's summary is unchanged, not one row
    assert summary.read_text() == before
