"""Grading a whole assignment in parallel, and what the instructor gets back.

One process per submission (the sandboxed harness, see runner.py), up to --jobs at a
time; this process is the only writer of the results store, the gradebook, the feedback
files and the CSV export.

    DIR/grades/results/<assignment>/<student>.json    every cell's score, status, message
    DIR/grades/summary-<assignment>.txt               every zero that is not a wrong answer
    DIR/grades/grades.csv                             one row per student (LMS import)
    DIR/grades/sandbox-lib/<assignment>-<run>/        what the sandbox may read, while a run lasts
    DIR/feedback/<student>/<assignment>/<assignment>.html
    DIR/gradebook.db                                  nbgrader's gradebook (auto scores)
"""
from __future__ import annotations

import ast
import csv
import html
import importlib.util
import json
import os
import secrets
import shutil
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import contract, runner, sandbox, seeds

ROOT = Path(__file__).resolve().parents[2]
#: the modules of dnnlib the student module needs in the sandbox (not the editions or dataset builders)
SANDBOX_PACKAGE = ["__init__.py", "checks.py", "training.py", "initialization.py", "data.py", "files.py",
                   "gradcheck.py", "plots.py", "fast.py", "student.py"]
#: what computes a course function is withheld from the sandbox (issue 25): these functions keep their
#: names (dnn_utils imports them) but only raise there. fast: the whole training, forward and backward;
#: initialization: initialize_parameters's numbers; gradcheck: L_model_backward's gradients by finite
#: differences; training.cost_of: compute_cost. None: every function of the module.
WITHHELD = {"fast.py": None, "initialization.py": None, "gradcheck.py": None, "training.py": {"cost_of"}}
OUT = "grades"          # DIR/grades/: what this grader writes (besides feedback/ and gradebook.db)


def prepare_module_dir(course: Path, a: contract.Assignment, all_assignments: list[contract.Assignment]) -> Path:
    """What the sandbox may read besides the submission: the harness, the student module, the
    course package it imports (dnnlib: checks, data, the loader of student code, ...) and the data.
    Never an answer of this assignment. The harness runs from this folder, which is how it finds
    the modules."""
    # one folder per run (removed when it ends): two runs at once, a class and a --student regrade,
    # never rebuild a folder the other's sandboxes are reading
    lib = course / OUT / "sandbox-lib" / f"{a.name}-{secrets.token_hex(4)}"
    lib.mkdir(parents=True)
    shutil.copyfile(a.folder / "dnn_utils.py", lib / "dnn_utils.py")
    shutil.copyfile(sandbox.HARNESS, lib / "harness.py")
    shutil.copyfile(sandbox.HARNESS.parent / "plain.py", lib / "plain.py")      # the harness's data format
    package = Path(importlib.util.find_spec("dnnlib").origin).parent
    (lib / "dnnlib").mkdir()
    for name in SANDBOX_PACKAGE:
        if name in WITHHELD:
            text = withheld((package / name).read_text(encoding="utf-8"), WITHHELD[name], f"dnnlib.{name[:-3]}")
            (lib / "dnnlib" / name).write_text(text, encoding="utf-8")
        else:
            shutil.copyfile(package / name, lib / "dnnlib" / name)
    if (a.folder / "datasets").is_dir():
        shutil.copytree(a.folder / "datasets", lib / "datasets")
    return lib


def withheld(source: str, names: set[str] | None, module: str) -> str:
    """The module with the bodies of `names` (None: of every function and method) replaced by a
    raise: the names stay importable, nothing is computed."""
    with contract.AST_LOCK:
        tree = ast.parse(source)
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and (names is None or node.name in names):
                text = f"{module}.{node.name} computes the course's functions: it is not available while grading"
                node.body = [ast.Raise(exc=ast.Call(func=ast.Name("RuntimeError", ast.Load()),
                                                    args=[ast.Constant(text)], keywords=[]), cause=None)]
        return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


def students_of(course: Path, assignment: str) -> list[str]:
    sub = course / "submitted"
    if not sub.is_dir():
        return []
    # lexists: a folder that is a symbolic link (even a dangling one) is graded, as a 0 with its reason
    return sorted(p.name for p in sub.iterdir()
                  if p.is_dir() and os.path.lexists(p / assignment) and is_student_id(p.name))


def is_student_id(name: str) -> bool:
    """A folder name nbgrader, the CSV and the feedback can hold: text (a name that is not UTF-8
    comes back from the file system with surrogates, which no UTF-8 file or database accepts)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def unusable_folders(course: Path, assignment: str) -> list[str]:
    """The folders of submitted/ that hold the assignment but whose name is not a student ID, as
    the bytes of their name (printable)."""
    sub = course / "submitted"
    if not sub.is_dir():
        return []
    return sorted(repr(os.fsencode(p.name)) for p in sub.iterdir()
                  if not is_student_id(p.name) and p.is_dir() and os.path.lexists(p / assignment))


def grade_assignment(course: Path, assignment: str, jobs: int | None = None, safe: bool = True,
                     limits: sandbox.Limits | None = None, students: list[str] | None = None,
                     gradebook: bool = True, progress=None) -> list[dict]:
    course = Path(course).resolve()
    assignments = contract.load_course(course)
    if assignment not in assignments:
        raise SystemExit(f"no assignment {assignment} in {course / 'source'} (found {', '.join(assignments)})")
    names = list(assignments)
    a = assignments[assignment]
    earlier = [assignments[n] for n in names[:names.index(assignment)]]
    later = [fn for n in names[names.index(assignment) + 1:] for fn in assignments[n].functions]
    lib = prepare_module_dir(course, a, list(assignments.values()))
    limits = limits or sandbox.Limits()
    who = students if students is not None else students_of(course, assignment)
    jobs_list = [runner.Job(course, a, earlier, later, lib, s, course / "submitted" / s / assignment, limits, safe,
                            seed=seeds.student_seed(course, assignment, s))
                 for s in who]

    def one(job):
        try:
            r = runner.grade(job)
        except Exception as e:  # noqa: BLE001 (one submission never stops the others' grading)
            r = failed(job, f"the grader failed on this submission ({type(e).__name__}: {str(e)[:300]}); "
                            f"please report it")
        if progress:
            progress(r)
        return r

    try:
        with ThreadPoolExecutor(max_workers=max(1, jobs or os.cpu_count() or 1)) as pool:
            results = list(pool.map(one, jobs_list))
    finally:
        shutil.rmtree(lib, ignore_errors=True)
    store = course / OUT / "results" / assignment
    store.mkdir(parents=True, exist_ok=True)
    for r in results:
        tmp = store / f".{r['student']}.json.tmp"
        tmp.write_text(json.dumps(r, indent=1), encoding="utf-8")
        tmp.replace(store / f"{r['student']}.json")
    for r in results:
        write_feedback(course, a, r)
    if gradebook:
        write_gradebook(course, a, results)
    # --student regrades a few: the summary still covers everyone graded so far (the store)
    everyone = results if students is None else stored_results(course, assignment)
    tmp = course / OUT / f".summary-{assignment}.txt.tmp"
    tmp.write_text(summary(a, everyone, unusable_folders(course, assignment)), encoding="utf-8")
    tmp.replace(course / OUT / f"summary-{assignment}.txt")
    export_csv(course, assignments)
    return results


def failed(job: runner.Job, reason: str) -> dict:
    """A submission the grader could not grade: 0 in every cell, with the reason."""
    a = job.assignment
    r = {"student": job.student, "assignment": a.name, "notebook": None, "notes": [reason], "score": 0.0,
         "max": a.points, "cells": {t.grade_id: runner.cell_result(t, "missing", message=reason) for t in a.tests}}
    r["seconds"] = 0.0
    return r


def stored_results(course: Path, assignment: str) -> list[dict]:
    """Every student's stored result of one assignment, by student id."""
    store = Path(course) / OUT / "results" / assignment
    return [json.loads(f.read_text(encoding="utf-8")) for f in sorted(store.glob("*.json"))]


# -- the gradebook: nbgrader's, written by this process only ------------------------------------

def write_gradebook(course: Path, a: contract.Assignment, results: list[dict]) -> None:
    from nbgrader.api import Gradebook, MissingEntry

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
            try:
                gb.find_assignment(a.name)
            except MissingEntry:
                print(f"note: {a.name} is not in {course / 'gradebook.db'} (run nbgrader generate_assignment "
                      f"first); grades are in grading/ only")
                return
            for r in results:
                gb.update_or_create_student(r["student"])
                try:
                    sub = gb.find_submission(a.name, r["student"])
                except MissingEntry:
                    sub = gb.add_submission(a.name, r["student"])
                for nb in sub.notebooks:
                    for g in nb.grades:
                        cell = r["cells"].get(g.name)
                        g.auto_score = cell["score"] if cell else 0.0
                        g.needs_manual_grade = False
                gb.db.commit()


# -- feedback: scores, visible tests, messages; never hidden test code ---------------------------

STATUS_TEXT = {"passed": "passed", "partial": "partly right", "failed": "not right yet", "error": "error",
               "timeout": "timed out", "missing": "missing", "kernel-died": "the grading process died",
               "tampered": "tampered", "not-run": "not run"}


def write_feedback(course: Path, a: contract.Assignment, r: dict) -> Path:
    out = course / "feedback" / r["student"] / a.name / f"{a.name}.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    e = html.escape
    parts = [(f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{e(a.name)}: feedback</title>"
              "<style>body{font-family:sans-serif;max-width:60em;margin:auto}pre{background:#f4f4f4;padding:.5em;"
              "overflow-x:auto}.passed{color:#070}.partial{color:#a60}.bad{color:#b00}</style></head><body>"),
             f"<h1>{e(a.name)}</h1><p><b>{r['score']:g} / {r['max']:g} points</b></p>"]
    if r["notes"]:
        parts.append("<ul>" + "".join(f"<li>{e(n)}</li>" for n in r["notes"]) + "</ul>")
    for t in a.tests:
        c = r["cells"].get(t.grade_id, {"score": 0, "status": "not-run", "messages": []})
        css = "passed" if c["status"] == "passed" else "partial" if c["status"] == "partial" else "bad"
        parts.append(f"<h2>{e(t.grade_id)}: <span class='{css}'>{c['score']:g} / {t.points:g}</span> "
                     f"({e(STATUS_TEXT.get(c['status'], c['status']))})</h2>")
        for m in c.get("messages", []):
            parts.append(f"<p class='bad'>{e(m)}</p>")
        parts.append("<details><summary>the visible tests of this cell</summary><pre>"
                     f"{e(t.visible)}</pre></details>")
    parts.append("<p>Hidden tests check more cases than the visible ones; their messages above say what "
                 "they found.</p></body></html>")
    out.write_text("\n".join(parts), encoding="utf-8")
    return out


# -- the run's summary, and the wide export ---------------------------------------------------------

def summary(a: contract.Assignment, results: list[dict], unusable: list[str] = ()) -> str:
    lines = [f"{a.name}: {len(results)} submissions graded"]
    for name in unusable:
        lines.append(f"NOT GRADED: submitted/{name}: a folder name that is not UTF-8 is not a student ID "
                     f"(nbgrader, the CSV and the feedback hold text); rename it to the student's ID and grade again")
    if results:
        mean = sum(r["score"] for r in results) / len(results)
        lines.append(f"mean {mean:.2f} / {a.points:g}; full marks: {sum(r['score'] >= a.points for r in results)}")
    lines.append("")
    lines.append("Zeros that are not wrong answers (missing, timed out, kernel died, tampered), and notes:")
    n = 0
    for r in results:
        for gid, c in r["cells"].items():
            if c["status"] in runner.NON_ANSWER_STATUSES:
                lines.append(f"  {r['student']}  {gid}: {c['status']}: {c['message']}")
                n += 1
        for note in r["notes"]:
            lines.append(f"  {r['student']}  note: {note}")
            n += 1
    if not n:
        lines.append("  none")
    return "\n".join(lines) + "\n"


def load_results(course: Path) -> dict[str, dict[str, dict]]:
    """{student: {assignment: result}} from the results store."""
    out: dict[str, dict[str, dict]] = {}
    for f in sorted((course / OUT / "results").glob("*/*.json")):
        r = json.loads(f.read_text(encoding="utf-8"))
        out.setdefault(r["student"], {})[r["assignment"]] = r
    return out


def export_csv(course: Path, assignments: dict[str, contract.Assignment]) -> Path:
    """grades/grades.csv: one row per student; per-cell scores, per-assignment totals, the course
    total, and the reasons for zeros that are not wrong answers."""
    results = load_results(course)
    cols = ["student_id"]
    for name, a in assignments.items():
        cols += [f"{name}:{t.grade_id}" for t in a.tests] + [name]
    cols += ["total", "max_total", "reasons"]
    path = course / OUT / "grades.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".tmp"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(cols)
        for student in sorted(results):
            row, reasons, total = [student], [], 0.0
            for name, a in assignments.items():
                r = results[student].get(name)
                for t in a.tests:
                    c = (r or {}).get("cells", {}).get(t.grade_id)
                    row.append(f"{c['score']:g}" if c else "0")
                    if c and c["status"] in runner.NON_ANSWER_STATUSES:
                        reasons.append(f"{name}:{t.grade_id} {c['status']}: {c['message'][:200]}")
                score = r["score"] if r else 0.0
                if r is None:
                    reasons.append(f"{name}: not graded (no submission)")
                row.append(f"{score:g}")
                total += score
            row += [f"{round(total, 2):g}", f"{sum(a.points for a in assignments.values()):g}", " | ".join(reasons)]
            w.writerow(row)
    path.with_suffix(".tmp").replace(path)
    return path
