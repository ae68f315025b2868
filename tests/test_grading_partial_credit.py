"""Partial credit for work only (issue 25, items 5 and 8): a class graded with the documented command.

The class (classroom/simulate_class.py) adds to honest work and the seed post's bugs two kinds that
do no work: constant answers of the right shape (CONSTANT), and answers memorised from the visible
tests (every call the visible tests make, answered from a table, a constant otherwise). They must
score 0 in every assignment; honest work and each bug keep the scores the README's rules give.

Two layers: the hidden tests themselves, run here on the trusted side with the simulated answers
(no sandbox: every scored check fails for answers that do no work, whatever the student's seed);
then the whole class graded by classroom/grade.py in its sandboxes, every grade checked.
"""
from __future__ import annotations

import contextlib
import io
import json
import math

import numpy as np
import pytest

from classroom import simulate_class
from classroom.grading import contract
from tests.helpers import POINTS, course_copy
from tests.test_grading import _sandbox_or_skip, grade_cmd

A = simulate_class.ASSIGNMENTS
SEEDS = [None, 1, 2, 3, 4, 5, 2 ** 63 + 12345]   # None: no grading_rng (nbgrader autograde): the fallback


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return course_copy(tmp_path_factory, "partial")


# -- the hidden tests, run on the trusted side -------------------------------------------------------

def hidden_lines(source: str) -> range:
    lines = [ln.strip() for ln in source.splitlines()]
    return range(lines.index(contract.HIDDEN_BEGIN) + 1, lines.index(contract.HIDDEN_END) + 1)


def answers(course, kind: str, a: str) -> dict:
    """{function: the kind's version of it}: its solution cells, loaded beside the course module
    (the reference for everything else)."""
    import dnn_utils

    nb = simulate_class.kinds(course)[kind][a](course)
    ns = dict(vars(dnn_utils))
    for cell in nb["cells"]:
        if contract.nbgrader_meta(cell).get("solution"):
            exec(compile(contract.cell_source(cell), f"<{kind} {a}>", "exec"), ns)
    return {fn: ns[fn] for fn in contract.load_assignment(course, a).functions}


def run_cell(test: contract.TestCell, functions: dict, seed, only_hidden=False) -> list[tuple[str, bool, bool]]:
    """[(kind, in the hidden tests, passed)] for each statement of a test cell, run as the grader
    runs them: in order; a failing setup statement fails the rest of the cell."""
    import dnn_utils

    ns = dict(vars(dnn_utils), np=np, **functions)
    if seed is not None:
        ns["grading_rng"] = np.random.default_rng(seed)
    hidden = hidden_lines(test.source)
    out, stop = [], False
    for s in test.statements:
        in_hidden = s["line"] in hidden
        if only_hidden and not in_hidden:
            continue
        ok = False
        if not stop:
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    exec(compile("\n" * (s["line"] - 1) + s["code"], f"<{test.grade_id}>", "exec"), ns)
                ok = True
            except AssertionError:
                stop = s["kind"] == "setup"
            except Exception:  # noqa: BLE001 (a wrong answer may raise anything: the cell stops, as in the grader)
                stop = True
        out.append((s["kind"], in_hidden, ok))
    return out


def test_every_test_cell_has_hidden_value_checks(course):
    for a in A:
        for t in contract.load_assignment(course, a).tests:
            scored = [k for k, hidden in zip(t.kinds, (s["line"] in hidden_lines(t.source) for s in t.statements))
                      if hidden and k == "check"]
            assert len(scored) >= 2, (a, t.grade_id, scored)     # two or more: partial credit can exist


@pytest.mark.parametrize("a", A)
def test_reference_answers_pass_every_check_for_every_seed(course, a):
    functions = answers(course, "correct", a)
    for t in contract.load_assignment(course, a).tests:
        for seed in SEEDS:
            failed = [i for i, (_k, _h, ok) in enumerate(run_cell(t, functions, seed)) if not ok]
            assert not failed, (t.grade_id, seed, [t.statements[i]["code"][:120] for i in failed])


@pytest.mark.parametrize("kind", ["constant", "memorised"])
@pytest.mark.parametrize("a", A)
def test_answers_that_do_no_work_fail_every_hidden_check(course, a, kind):
    functions = answers(course, kind, a)
    for t in contract.load_assignment(course, a).tests:
        for seed in SEEDS:
            passed = [t.statements[i]["code"][:120] for i, (k, hidden, ok) in enumerate(run_cell(t, functions, seed))
                      if hidden and k == "check" and ok]
            assert not passed, (t.grade_id, seed, passed)


def test_memorised_answers_pass_every_visible_check(course):
    """The memoriser is as strong as the visible tests allow: they cannot tell it from the answer."""
    for a in A:
        functions = answers(course, "memorised", a)
        for t in contract.load_assignment(course, a).tests:
            failed = [t.statements[i]["code"][:120] for i, (_k, hidden, ok) in enumerate(run_cell(t, functions, None))
                      if not hidden and not ok]
            assert not failed, (a, t.grade_id, failed)


def hidden_calls(course, a: str, seed) -> list[tuple[str, list]]:
    """(function, its arguments as the memoriser's literals) of every call the hidden tests make."""
    import dnn_utils

    asg = contract.load_assignment(course, a)
    seen = []

    def recorder(name):
        import inspect

        fn = getattr(dnn_utils, name)
        signature = inspect.signature(fn)

        def call(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            seen.append((name, simulate_class._memo_encode(tuple(bound.arguments.values()), as_key=True)[1]))
            return fn(*args, **kwargs)
        return call

    for t in asg.tests:
        run_cell(t, {fn: recorder(fn) for fn in asg.functions}, seed, only_hidden=True)
    return seen


@pytest.mark.parametrize("a", A)
def test_hidden_inputs_are_not_the_visible_ones_and_differ_per_student(course, a):
    helpers = {}
    exec(simulate_class.MEMO_HELPERS, helpers)
    visible = simulate_class.visible_calls(course, a)
    one, two = hidden_calls(course, a, 1), hidden_calls(course, a, 2)
    assert one and len(one) == len(two)
    for name, args in one + two:
        for key, _ in visible[name]:
            decoded = [helpers["_value"](k, ()) if k[0] not in ("rs", "digest") else None for k in args]
            assert not (len(key) == len(args) and all(helpers["_fits"](k, x) for k, x in zip(key, decoded))), \
                (a, name, "a hidden test calls it with a visible test's arguments")
    # another student's seed: other inputs in every call
    assert all(x != y for x, y in zip(one, two)), a


# -- the class, graded with the documented command ---------------------------------------------------

# Every cell's grade, from the README's rules: a cell's hidden checks, quarter credit rounded down.
# A setup statement that fails (a visible test's `try`/helper raising, a shape error) fails the cell.
FULL = POINTS
EXPECTED = {
    # 02: A·W makes the visible test's shapes fail; linear_activation_forward and L_model_forward
    # call the student's own linear_forward, so they fail too
    "bug_AW": {"02_forward_propagation": {"test_linear_forward": 0, "test_linear_activation_forward": 0,
                                          "test_L_model_forward": 0}},
    "bug_A_prev": {"02_forward_propagation": dict(FULL["02_forward_propagation"], test_L_model_forward=0)},
    # relu_backward: sigmoid_backward right, relu right where Z != 0, wrong at Z = 0: 2 of 3 -> 2 quarters of 2
    "bug_Z_lt_0": {"04_backward_propagation": dict(FULL["04_backward_propagation"], test_sigmoid_backward=1.0)},
    # dW without 1/m: linear_backward 2 of 3 (db, dA_prev) -> 1.5 of 3; L_model_backward 1 of 3 (dA) -> 0.75;
    # linear_activation_backward calls the student's linear_backward: 0
    "bug_no_1_over_m": {"04_backward_propagation": {
        "test_sigmoid_backward": 2, "test_linear_backward": 1.5, "test_linear_activation_backward": 0,
        "test_L_model_backward": 0.75}},
    # every layer divided by sqrt(n_x): W1 right, W2, W3 and the RandomState draw wrong: 1 of 4 -> 0.5 of 2
    "partial_fan_in": {"01_initialization": dict(FULL["01_initialization"], test_initialize_parameters=0.5)},
    "correct": FULL,
    "constant": {a: {t: 0 for t in cells} for a, cells in FULL.items()},
    "memorised": {a: {t: 0 for t in cells} for a, cells in FULL.items()},
}


def test_expected_grades_follow_the_quarter_rule():
    """The table above is the README's arithmetic: share of hidden checks passed, rounded down to quarters."""
    def quarter(passed, checks, points):
        return math.floor(passed / checks * 4) / 4 * points

    assert quarter(2, 3, 2) == EXPECTED["bug_Z_lt_0"]["04_backward_propagation"]["test_sigmoid_backward"]
    assert quarter(2, 3, 3) == EXPECTED["bug_no_1_over_m"]["04_backward_propagation"]["test_linear_backward"]
    assert quarter(1, 3, 3) == EXPECTED["bug_no_1_over_m"]["04_backward_propagation"]["test_L_model_backward"]
    assert quarter(1, 4, 2) == EXPECTED["partial_fan_in"]["01_initialization"]["test_initialize_parameters"]
    assert sum(sum(c.values()) for c in FULL.values()) == 29


@pytest.fixture(scope="module")
def graded(course):
    _sandbox_or_skip()
    simulate_class.write_class(course, {k: k for k in EXPECTED if k not in ("correct", "constant", "memorised")},
                               base=None)
    everything = {k: k for k in ("correct", "constant", "memorised", "seed_reader")} | {"memorised_twin": "memorised"}
    simulate_class.write_class(course, everything, base=None)
    proc = grade_cmd(course, "all", "--jobs", "2", "--no-gradebook")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    results = {}
    for f in (course / "grades" / "results").glob("*/*.json"):
        r = json.loads(f.read_text())
        results[(r["student"], r["assignment"])] = r
    return results


def grades(graded, student):
    return {a: {gid: c["score"] for gid, c in r["cells"].items()} for (s, a), r in graded.items() if s == student}


@pytest.mark.slow
def test_honest_work_scores_full_marks(graded):
    assert grades(graded, "correct") == FULL


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["constant", "memorised"])
def test_answers_that_do_no_work_score_zero_in_every_assignment(graded, kind):
    got = grades(graded, kind)
    assert got == EXPECTED[kind], {a: {g: s for g, s in c.items() if s} for a, c in got.items()}


@pytest.mark.slow
@pytest.mark.parametrize("kind", [
    "bug_AW", "bug_A_prev",               # the visible tests' own setup fails: the same grade under either rule
    "bug_Z_lt_0",
    "bug_no_1_over_m",
    "partial_fan_in"])
def test_each_seed_post_bug_gets_the_grade_the_rules_give(graded, kind):
    assert grades(graded, kind) == EXPECTED[kind]


@pytest.mark.slow
def test_a_regrade_gives_every_student_the_same_inputs_and_grades(graded, course):
    """The seed is per course secret, student and assignment: stable across regrades."""
    a = "04_backward_propagation"
    proc = grade_cmd(course, a, "--student", "bug_no_1_over_m", "--student", "memorised", "--no-gradebook")
    assert proc.returncode == 0, proc.stderr[-3000:]
    for student in ("bug_no_1_over_m", "memorised"):
        again = json.loads((course / "grades" / "results" / a / f"{student}.json").read_text())
        assert {g: c["score"] for g, c in again["cells"].items()} == grades(graded, student)[a]
        assert [c["messages"] for c in again["cells"].values()] == \
            [c["messages"] for c in graded[(student, a)]["cells"].values()]      # the same inputs: the same messages


@pytest.mark.slow
def test_each_student_gets_inputs_of_their_own(graded):
    """Two students hand in the same memorised answers: their hidden tests use other inputs (the
    messages name them), and both score 0."""
    assert grades(graded, "memorised_twin") == EXPECTED["memorised"]
    twin = {a: r["cells"] for (s, a), r in graded.items() if s == "memorised_twin"}
    differ = [(a, gid) for (s, a), r in graded.items() if s == "memorised"
              for gid, c in r["cells"].items() if c["messages"] != twin[a][gid]["messages"]]
    assert len(differ) >= 10, differ        # of 13 cells; a message that names no input can coincide


@pytest.mark.slow
def test_the_seed_secret_is_out_of_the_sandboxs_view(graded, course):
    """A submission that looks for grades/.seed-secret (by its absolute path, and next to the
    grading folder) finds nothing: the inputs of the hidden tests cannot be predicted."""
    assert (course / "grades" / ".seed-secret").is_file()
    cell = graded[("seed_reader", "03_cost")]["cells"]["test_compute_cost"]
    assert cell["score"] == 0 and "seed secret not readable" in " ".join(cell["messages"]), cell
