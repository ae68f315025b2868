"""A pytest plugin: the CPU seconds of each test, its own and its waited-for children's.

    python -m benchmarks.pytest_cpu --clear
    python -m pytest -p benchmarks.pytest_cpu # each worker appends to benchmarks/.pytest_cpu/<worker>.tsv
    python -m benchmarks.pytest_cpu           # per module: own CPU, children's CPU, wall; then the top tests

A kernel's CPU (nbval, nbclient) counts when the kernel is waited for, so a notebook's whole
kernel shows up on its last cell; summed per module, it is right. tests/conftest.py's
LONGEST_FIRST order comes from these per-module sums.
"""
from __future__ import annotations

import argparse
import os
import resource
import time
from collections import defaultdict
from pathlib import Path

import pytest

OUT = Path(__file__).resolve().parent / ".pytest_cpu"


def _cpu() -> tuple[float, float]:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    (own0, children0), start, began = _cpu(), time.perf_counter(), time.time()
    yield
    (own1, children1), wall = _cpu(), time.perf_counter() - start
    OUT.mkdir(exist_ok=True)
    with open(OUT / f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.tsv", "a", encoding="utf-8") as f:
        f.write(f"{item.nodeid}\t{own1 - own0:.3f}\t{children1 - children0:.3f}\t{wall:.3f}\t{began:.3f}\n")


def read(folder: Path = OUT) -> list[tuple[str, float, float, float, float, str]]:
    """(test, own CPU, children's CPU, wall, start time, worker) for each test run."""
    rows = []
    for path in sorted(folder.glob("*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            node, own, children, wall, began = line.split("\t")
            rows.append((node, float(own), float(children), float(wall), float(began), path.stem))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clear", action="store_true", help="remove the last run's figures")
    parser.add_argument("--top", type=int, default=20, help="how many single tests to list")
    args = parser.parse_args(argv)
    if args.clear:
        for path in OUT.glob("*.tsv"):
            path.unlink()
        return 0
    rows = read()
    if not rows:
        print(f"no figures in {OUT}: run python -m pytest -p benchmarks.pytest_cpu first")
        return 1
    modules: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for node, own, children, wall, _, _ in rows:
        m = modules[node.split("::")[0]]
        m[0], m[1], m[2] = m[0] + own, m[1] + children, m[2] + wall
    own, children, wall = (sum(m[i] for m in modules.values()) for i in range(3))
    print(f"{len(rows)} tests: own CPU {own:.1f} s, children's CPU {children:.1f} s, wall {wall:.1f} s (summed)")
    print(f"{'own':>6} {'children':>8} {'wall':>6}  module")
    for name, (o, c, w) in sorted(modules.items(), key=lambda kv: -(kv[1][0] + kv[1][1])):
        print(f"{o:6.1f} {c:8.1f} {w:6.1f}  {name}")
    # when each worker ran tests, from the first test's start: a late end is a tail run alone
    first = min(r[4] for r in rows)
    for worker in sorted({r[5] for r in rows}):
        mine = [r for r in rows if r[5] == worker]
        print(f"{worker}: tests from {min(r[4] for r in mine) - first:.1f} s to "
              f"{max(r[4] + r[3] for r in mine) - first:.1f} s")
    print(f"\n{'CPU':>6} {'wall':>6}  test")
    for node, o, c, w, _, _ in sorted(rows, key=lambda r: -(r[1] + r[2]))[:args.top]:
        print(f"{o + c:6.2f} {w:6.2f}  {node}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
