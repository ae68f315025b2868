"""What grading costs: seconds per submission, wall and CPU, for a class graded with grade.py.

    python -m benchmarks.bench_grading [--students 16] [--jobs 2] [--kind honest|varied]

Builds the classroom edition in a scratch folder (classroom/build.py --release), hands in a class
(classroom/simulate_class.py: `honest` is every student correct; `varied` is one of every kind of
submission first, endless loops and cheats included, then correct work and the seed post's bugs),
and grades every assignment with `grade.py all --jobs N`. It prints, per assignment and in all,
the wall time per submission and the CPU time per submission (this process's children: the
readers, the scorers and the sandboxes they start). Issue 25 asks for at most 0.5 s per
submission on 2 cores. The machine is shared: compare figures taken in one run.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from classroom import grade, simulate_class


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--students", type=int, default=16)
    p.add_argument("--jobs", type=int, default=os.cpu_count())
    p.add_argument("--kind", choices=["honest", "varied"], default="honest")
    p.add_argument("--course", type=Path, default=None, help="a course folder to reuse (default: a scratch one)")
    args = p.parse_args(argv)
    scratch = None
    if args.course is None:
        scratch = Path(tempfile.mkdtemp(prefix="bench-grading-"))
        args.course = scratch / "course"
    try:
        simulate_class.build_course(args.course)
        shutil.rmtree(args.course / "submitted", ignore_errors=True)
        shutil.rmtree(args.course / "grades", ignore_errors=True)
        if args.kind == "honest":
            students = {f"s{i:03d}": "correct" for i in range(args.students)}
        else:
            students = simulate_class.class_of(args.students)
        simulate_class.write_class(args.course, students)
        rows, wall_all, cpu_all = [], 0.0, 0.0
        for a in simulate_class.ASSIGNMENTS:
            cpu0, t0 = children_cpu(), time.perf_counter()
            grade.main([a, "--course", str(args.course), "--jobs", str(args.jobs), "--no-gradebook"])
            wall, cpu = time.perf_counter() - t0, children_cpu() - cpu0
            rows.append((a, wall / len(students), cpu / len(students)))
            wall_all, cpu_all = wall_all + wall, cpu_all + cpu
        n = len(students) * len(simulate_class.ASSIGNMENTS)
        print(f"\n{len(students)} {args.kind} students x {len(simulate_class.ASSIGNMENTS)} assignments, "
              f"--jobs {args.jobs}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
        print(f"{'assignment':<26} {'wall s/submission':>18} {'CPU s/submission':>17}")
        for a, w, c in rows:
            print(f"{a:<26} {w:>18.3f} {c:>17.3f}")
        print(f"{'all':<26} {wall_all / n:>18.3f} {cpu_all / n:>17.3f}")
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
