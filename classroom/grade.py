"""Safe, parallel grading of the classroom edition (issues 17 and 18).

    python classroom/grade.py ASSIGNMENT [ASSIGNMENT ...] [--course DIR] [--jobs N] [--allow-unsafe]
    python classroom/grade.py all --course DIR              # every assignment, in order
    python classroom/grade.py --check NOTEBOOK [--course DIR]  # one notebook, every message in full

Each submission in DIR/submitted/<student>/<assignment>/ is graded in its own bubblewrap
sandbox, by the instructor's tests from DIR/source/, run outside any notebook kernel,
against the reference versions of the earlier assignments. Results: DIR/grades/
(results/, summary-<assignment>.txt, grades.csv), DIR/feedback/, and nbgrader's
DIR/gradebook.db. See classroom/README.md.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

if __package__:                 # imported as classroom.grade
    from .grading import contract, course, runner, sandbox
else:                           # run as a script: classroom/grading/ is beside it
    from grading import contract, course, runner, sandbox


def _limits(args) -> sandbox.Limits:
    return sandbox.Limits(cell_seconds=args.cell_timeout, submission_seconds=args.submission_timeout)


def _safe(args) -> bool:
    ok, why = sandbox.available()
    if ok:
        print(f"sandbox: bubblewrap; {sandbox.confinement()}")
        return True
    if args.allow_unsafe:
        print(f"WARNING: no sandbox ({why}); grading WITHOUT isolation because --allow-unsafe was given: "
              f"student code runs with your rights", file=sys.stderr)
        return False
    print(f"refusing to grade: no sandbox is available ({why}).\nInstall bubblewrap, or pass --allow-unsafe "
          f"to run student code unconfined (only for code you trust).", file=sys.stderr)
    raise SystemExit(2)


def check(args) -> int:
    nb_path = Path(args.check).resolve()
    root = Path(args.course).resolve()
    assignments = contract.load_course(root)
    name = args.assignment or next((n for n in assignments if nb_path.name.startswith(n)), None)
    if name is None:
        print(f"which assignment is {nb_path.name}? pass --assignment (one of {', '.join(assignments)})")
        return 2
    names = list(assignments)
    a = assignments[name]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / name
        folder.mkdir()
        (folder / f"{name}.ipynb").write_bytes(nb_path.read_bytes())
        lib = course.prepare_module_dir(Path(tmp), a, list(assignments.values()))
        job = runner.Job(root, a, [assignments[n] for n in names[:names.index(name)]],
                         [f for n in names[names.index(name) + 1:] for f in assignments[n].functions],
                         lib, "check", folder, _limits(args), _safe(args))
        r = runner.grade(job)
    for note in r["notes"]:
        print(f"note: {note}")
    for gid, c in r["cells"].items():
        print(f"{gid}: {c['score']:g} / {c['max']:g} ({c['status']})")
        for m in c["messages"]:
            print(f"    {m}")
    print(f"total: {r['score']:g} / {r['max']:g}")
    return 0


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("assignments", nargs="*", help="assignment names, or 'all'")
    p.add_argument("--course", default=str(Path(__file__).resolve().parent), help="the nbgrader course folder")
    p.add_argument("--jobs", type=int, default=os.cpu_count(), help="submissions graded at once (default: all cores)")
    p.add_argument("--allow-unsafe", action="store_true", help="grade without a sandbox if none is available")
    p.add_argument("--cell-timeout", type=float, default=10.0, help="seconds per test cell (default 10)")
    p.add_argument("--submission-timeout", type=float, default=90.0, help="seconds per submission (default 90)")
    p.add_argument("--student", action="append", help="grade only this student (repeatable)")
    p.add_argument("--no-gradebook", action="store_true", help="do not write nbgrader's gradebook.db")
    p.add_argument("--check", metavar="NOTEBOOK", help="grade one notebook and print every message in full")
    p.add_argument("--assignment", help="with --check: the notebook's assignment")
    args = p.parse_args(argv)
    if args.check:
        return check(args)
    root = Path(args.course).resolve()
    names = contract.assignment_names(root)
    wanted = names if args.assignments == ["all"] else args.assignments
    if not wanted:
        p.error("name an assignment (or 'all')")
    safe = _safe(args)
    for name in wanted:
        t0 = time.monotonic()
        done = []
        results = course.grade_assignment(root, name, jobs=args.jobs, safe=safe, limits=_limits(args),
                                          students=args.student, gradebook=not args.no_gradebook,
                                          progress=done.append)
        took = time.monotonic() - t0
        print(f"{name}: graded {len(results)} submissions in {took:.1f} s "
              f"({took / max(1, len(results)):.2f} s each, {args.jobs} at a time)")
        print((root / course.OUT / f"summary-{name}.txt").read_text(encoding="utf-8"))
    print(f"export: {root / course.OUT / 'grades.csv'}; feedback: {root / 'feedback'}/<student>/<assignment>/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
