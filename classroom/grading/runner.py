"""Grading one submission: find the notebook, take the code by grade_id, run the harness
in the sandbox (restarting it after a timeout or a crash), and score the cells.

Everything here runs in the grader's own (trusted) process; student code runs only in
the harness (harness.py), inside the sandbox (sandbox.py).
"""
from __future__ import annotations

import json
import math
import os
import secrets
import selectors
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import contract, sandbox
from .contract import Assignment, TestCell

MAX_NOTEBOOK_BYTES = 50 * 1024 ** 2
NON_ANSWER_STATUSES = ("missing", "timeout", "kernel-died", "tampered")


@dataclass
class Job:
    course: Path
    assignment: Assignment
    earlier: list[Assignment]
    later_names: list[str]
    module_dir: Path
    student: str
    folder: Path
    limits: sandbox.Limits = field(default_factory=sandbox.Limits)
    safe: bool = True


# -- finding the student's notebook and code ------------------------------------------------

def find_notebook(folder: Path, assignment: str) -> tuple[Path | None, list[str]]:
    exact = folder / f"{assignment}.ipynb"
    if exact.is_file():
        return exact, []
    if not folder.is_dir():
        return None, [f"nothing was submitted for {assignment} (no folder {folder.name}/)"]
    found = sorted(p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    named = [p for p in found if p.name.startswith(assignment)]
    pick = named or (found if len(found) == 1 else [])
    if pick:
        path = max(pick, key=lambda p: p.stat().st_mtime)
        return path, [f"renamed notebook: graded {path.relative_to(folder)} (expected {assignment}.ipynb)"]
    if found:
        return None, [(f"no notebook named {assignment}.ipynb, and {len(found)} other notebooks "
                       f"({', '.join(p.name for p in found[:5])}): which one to grade is unclear")]
    return None, [f"no notebook in the submission (expected {assignment}.ipynb)"]


def student_code(nb: dict, assignment: Assignment) -> tuple[list[dict], dict[str, str], list[str]]:
    """([{grade_id, source}], {function: where it was found}, notes) from a submitted notebook."""
    cells = [c for c in nb.get("cells", []) if c.get("cell_type") == "code"]
    by_id: dict[str, str] = {}
    for c in cells:
        meta = contract.nbgrader_meta(c)
        if meta.get("solution") and meta.get("grade_id") in assignment.solutions:
            by_id[meta["grade_id"]] = contract.python_code(contract.cell_source(c))   # the last one, as run
    notes, found = [], {}
    out = [{"grade_id": gid, "source": src} for gid, src in by_id.items()]
    for fn, gid in assignment.functions.items():
        if gid in by_id and fn in contract.defined_functions(by_id[gid]):
            found[fn] = gid
            continue
        # the solution cell lost its metadata (copied, pasted) or the function moved: take the
        # last plain cell that defines it, and say so
        plain = [src for src in (contract.python_code(contract.cell_source(c)) for c in cells)
                 if fn in contract.defined_functions(src)]
        if plain:
            out.append({"grade_id": fn, "source": plain[-1]})
            found[fn] = "by name"
            notes.append(f"{fn}: its solution cell (grade_id {gid}) was not found; graded the last cell defining it")
    return out, found, notes


def test_cell_notes(nb: dict, assignment: Assignment) -> list[str]:
    """Missing or edited locked test cells. Both are graded with the instructor's tests."""
    got = {contract.nbgrader_meta(c).get("grade_id"): contract.cell_source(c)
           for c in nb.get("cells", []) if c.get("cell_type") == "code"}
    notes = []
    for t in assignment.tests:
        if t.grade_id not in got:
            notes.append(f"{t.grade_id}: the test cell was deleted; restored from the source")
        elif not contract.same_code(got[t.grade_id], t.visible):
            notes.append(f"{t.grade_id}: tampered: the locked test cell was edited; graded with the "
                         f"instructor's test")
    return notes


# -- scoring ----------------------------------------------------------------------------------

def score_cell(test: TestCell, checks: list) -> tuple[float, list[str]]:
    passed, messages, fail_next = [], [], False
    for i, kind in enumerate(test.kinds):
        ok, msg = (checks[i][1], checks[i][2]) if i < len(checks) else (False, None)
        if kind == "diagnostic":
            fail_next = fail_next or not ok
        elif kind == "check":
            ok = ok and not fail_next
            fail_next = False
            passed.append(ok)
        if msg and msg not in messages:
            messages.append(msg)
    if not passed:
        share = 1.0 if all(c[1] for c in checks) and len(checks) == len(test.kinds) else 0.0
    else:
        share = sum(passed) / len(passed)
    # partial credit in quarters of the cell's points, rounded down: 3 checks of 4 right = 3/4
    return math.floor(share * 4 + 1e-9) / 4 * test.points, messages


def cell_result(test, status, score=0.0, message="", messages=None):
    return {"score": score, "max": test.points, "status": status, "message": message,
            "messages": messages if messages is not None else ([message] if message else [])}


# -- running the harness ------------------------------------------------------------------------

class HarnessRun:
    """One harness process; frames are read with deadlines; killed as a whole process group."""

    def __init__(self, job: Job, plan: dict):
        self.job = job
        self.nonce = secrets.token_hex(16)
        read_fd, write_fd = os.pipe()
        args = [str(write_fd), *sandbox.limit_args(job.limits)]
        if job.safe:
            cmd = sandbox.bwrap_command(job.module_dir, job.folder if job.folder.is_dir() else None, args)
            env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
            plan = dict(plan, cwd="/tmp")
        else:
            self.scratch = Path(os.environ.get("TMPDIR", "/tmp")) / f"grading-{self.nonce[:12]}"
            self.scratch.mkdir(parents=True)
            cmd, env = sandbox.unsafe_command(job.module_dir, args), sandbox.unsafe_env()
            plan = dict(plan, cwd=str(self.scratch))
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE if os.environ.get("GRADER_DEBUG") else subprocess.DEVNULL,
                                     pass_fds=(write_fd,), env=env, start_new_session=True)
        os.close(write_fd)
        self.fd = read_fd
        self.buffer = b""
        self.read_bytes = 0
        try:
            self.proc.stdin.write(json.dumps(dict(plan, nonce=self.nonce)).encode())
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        self.selector = selectors.DefaultSelector()
        self.selector.register(read_fd, selectors.EVENT_READ)

    def frames(self, deadline_of):
        """Yield frames (dicts) until EOF; deadline_of() gives the current absolute deadline.
        Yields {'t': 'timeout'} when it passes, {'t': 'flood'} when output exceeds the cap, then stops."""
        prefix = self.nonce.encode() + b" "
        while True:
            while b"\n" in self.buffer:
                line, self.buffer = self.buffer.split(b"\n", 1)
                if line.startswith(prefix):
                    try:
                        yield json.loads(line[len(prefix):])
                    except ValueError:
                        yield {"t": "garbled"}
                        return
            remaining = deadline_of() - time.monotonic()
            if remaining <= 0:
                yield {"t": "timeout"}
                return
            if not self.selector.select(timeout=min(remaining, 1.0)):
                continue
            chunk = os.read(self.fd, 65536)
            if not chunk:
                return
            self.read_bytes += len(chunk)
            if self.read_bytes > self.job.limits.output_bytes:
                yield {"t": "flood"}
                return
            self.buffer += chunk

    def close(self) -> str:
        """Kill what is left; return how the process ended."""
        try:
            self.proc.wait(timeout=0.5)                  # it may be exiting by itself
        except subprocess.TimeoutExpired:
            pass
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        code = self.proc.wait()
        self.selector.close()
        os.close(self.fd)
        if not self.job.safe:
            shutil.rmtree(self.scratch, ignore_errors=True)
        if code < 0:
            sig = signal.Signals(-code).name
            extra = {"SIGXCPU": " (CPU time limit)", "SIGKILL": "", "SIGSEGV": " (a crash)"}.get(sig, "")
            return f"killed by {sig}{extra}"
        return f"exit status {code}"


def grade(job: Job) -> dict:
    t0 = time.monotonic()
    a = job.assignment
    result = {"student": job.student, "assignment": a.name, "notebook": None, "notes": [], "cells": {},
              "score": 0.0, "max": a.points}
    path, notes = find_notebook(job.folder, a.name)
    result["notes"] += notes
    if path is None:
        reason = notes[0]
        result["cells"] = {t.grade_id: cell_result(t, "missing", message=reason) for t in a.tests}
        return finish(result, t0)
    result["notebook"] = str(path.relative_to(job.folder))
    try:
        if path.stat().st_size > MAX_NOTEBOOK_BYTES:
            raise ValueError(f"the notebook is {path.stat().st_size // 2**20} MB (limit {MAX_NOTEBOOK_BYTES // 2**20} MB)")
        nb = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(nb, dict):
            raise TypeError("not a notebook")
    except (OSError, ValueError, TypeError) as e:
        reason = f"the notebook {path.name} cannot be read: {str(e)[:200]}"
        result["notes"].append(reason)
        result["cells"] = {t.grade_id: cell_result(t, "missing", message=reason) for t in a.tests}
        return finish(result, t0)
    code, found, notes = student_code(nb, a)
    result["notes"] += notes + test_cell_notes(nb, a)
    plan = {
        "assignment": a.name,
        "modules": [],
        "reference": [{"assignment": e.name, "grade_id": gid, "source": src}
                      for e in job.earlier for gid, src in e.solutions.items()],
        "later": job.later_names,
        "reference_names": [fn for e in job.earlier for fn in e.functions],
        "current": list(a.functions),
        "student": code,
    }
    pending = list(a.tests)
    timed_out: dict[str, str] = {}
    cap_at = t0 + job.limits.submission_seconds
    load_info: dict = {}
    frame: dict = {}
    while pending:
        run_plan = dict(plan, timed_out=dict(timed_out),
                        tests=[{"grade_id": t.grade_id, "statements": t.statements} for t in pending])
        run = HarnessRun(job, run_plan)
        current, deadline = None, [min(time.monotonic() + job.limits.load_seconds, cap_at)]
        problem = None
        try:
            for frame in run.frames(lambda d=deadline: d[0]):
                kind = frame.get("t")
                if kind == "loaded":
                    load_info = frame
                    if frame.get("tampered"):
                        problem = ("tampered", "your code changed what the grader uses while it was loaded: "
                                   + ", ".join(frame["tampered"][:5]))
                        break
                elif kind == "begin":
                    if frame.get("cell") != (pending[0].grade_id if pending else None):
                        problem = ("tampered", "the result channel was written to by something else")
                        break
                    current = pending[0]
                    deadline[0] = min(time.monotonic() + job.limits.cell_seconds, cap_at)
                elif kind == "result":
                    if current is None or frame.get("cell") != current.grade_id:
                        problem = ("tampered", "the result channel was written to by something else")
                        break
                    result["cells"][current.grade_id] = scored(current, frame, a, found, load_info)
                    pending.remove(current)
                    current = None
                elif kind == "end":
                    break
                elif kind == "timeout":
                    if time.monotonic() >= cap_at:
                        problem = ("timeout", f"the submission's time cap ({job.limits.submission_seconds:g} s) ran out")
                    elif current is None:
                        problem = ("timeout", f"loading your code took over {job.limits.load_seconds:g} s")
                    else:
                        # the functions this cell tests (its solution cell's): not run again
                        culprits = [f for f, gid in a.functions.items() if f"test_{gid}" == current.grade_id] \
                            or a.tested_functions(current)
                        for f in culprits:
                            timed_out[f] = current.grade_id
                        who = f"{' or '.join(culprits)} " if culprits else "the test "
                        result["cells"][current.grade_id] = cell_result(
                            current, "timeout", message=f"{who}ran for more than {job.limits.cell_seconds:g} s "
                            f"(an endless loop?); it is not run again in later cells")
                        pending.remove(current)
                        current = None
                    break
                elif kind in ("flood", "garbled"):
                    problem = ("tampered", "the result channel was flooded or garbled")
                    break
        finally:
            ended = run.close()
        if problem is None and current is not None:
            result["cells"][current.grade_id] = cell_result(
                current, "kernel-died", message=f"the grading process died in this cell ({ended}): "
                f"out of memory, a crash or exit() in your code")
            pending.remove(current)
            continue
        if problem is None and pending and frame.get("t") not in ("timeout",):
            problem = ("kernel-died", f"the grading process died while loading your code ({ended})")
        if problem is not None:
            status, reason = problem
            # a forged frame can only come with the secret: then no result of this submission counts
            for t in (a.tests if reason.startswith("the result channel") else pending):
                result["cells"][t.grade_id] = cell_result(t, status, message=reason)
            pending = []
    for err in load_info.get("errors", []):
        result["notes"].append(f"error while loading your code: {err}")
    if load_info.get("ignored"):
        result["notes"].append("top-level statements other than definitions and imports were not run: "
                               + ", ".join(load_info["ignored"][:10]))
    for fn, names in load_info.get("missing", {}).items():
        result["notes"].append(f"{fn} uses {', '.join(names)}, defined nowhere in the solution cells "
                               f"(helpers must be in a solution cell)")
    return finish(result, t0)


def scored(test: TestCell, frame: dict, a: Assignment, found: dict, load_info: dict) -> dict:
    if frame.get("tampered"):
        return cell_result(test, "tampered", message="your code changed or used what the grader protects: "
                           + ", ".join(frame["tampered"][:5]))
    score, messages = score_cell(test, frame.get("checks", []))
    absent = [f for f in a.tested_functions(test) if f not in found]
    if frame.get("status") == "timeout":
        status = "timeout"
    elif score >= test.points:
        status = "passed"
    elif absent and score == 0:
        status = "missing"
        messages = [f"no solution cell defines {', '.join(absent)}"] + messages
    elif score > 0:
        status = "partial"
    elif frame.get("error"):
        status = "error"
    else:
        status = "failed"
    for fn, names in load_info.get("missing", {}).items():
        if fn in a.tested_functions(test) and status != "passed":
            messages.append(f"{fn} uses {', '.join(names)}, which no solution cell defines")
    return cell_result(test, status, score, messages[0] if messages else "", messages[:5])


def finish(result: dict, t0: float) -> dict:
    result["score"] = round(sum(c["score"] for c in result["cells"].values()), 2)
    result["seconds"] = round(time.monotonic() - t0, 3)
    return result
