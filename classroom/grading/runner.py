"""Grading one submission: find the notebook, take the code by grade_id, run the harness
in the sandbox (restarting it after a timeout or a crash), and score the cells.

Everything here runs in the grader's own (trusted) process; student code runs only in
the harness (harness.py), inside the sandbox (sandbox.py).
"""
from __future__ import annotations

import ast
import json
import math
import os
import secrets
import selectors
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from dnnlib.student import is_definition

from . import contract, extract, sandbox, seeds
from .contract import Assignment, TestCell

NON_ANSWER_STATUSES = ("missing", "timeout", "kernel-died", "tampered")
SCORER = Path(__file__).resolve().parent / "scorer.py"
BACKSTOP_SECONDS = 10.0     # beyond the scorer's own time limits, before the runner kills it


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
    seed: int | None = None          # the hidden tests' seed (seeds.student_seed); None: derived here


# -- reading the submission: in a sandbox of its own (extract.py); checked again here -----------

def find_notebook(folder: Path, assignment: str) -> tuple[Path | None, list[str]]:
    """Which notebook of `folder` is graded: the rules of extract.py (the sandboxed reader), on
    the folder's listing only (no file is opened). For tools and tests; grade() reads in a sandbox."""
    exact = folder / f"{assignment}.ipynb"
    if os.path.lexists(exact):
        return exact, []
    if not folder.is_dir():
        return None, [f"nothing was submitted for {assignment} (no folder {folder.name}/)"]
    try:
        rel, notes = extract.choose(assignment, extract.notebooks_in(str(folder)))
    except extract.Refused as e:
        return None, [str(e)]
    return (folder / rel if rel is not None else None), notes


class Unreadable(Exception):
    """The reader's description of a submission is not what extract.py writes."""


def _text(x, limit: int, what: str) -> str:
    if not isinstance(x, str) or len(x) > limit:
        raise Unreadable(f"{what}: expected text of at most {limit} characters, found {type(x).__name__}"
                         + (f" of {len(x)}" if isinstance(x, str) else ""))
    try:
        x.encode("utf-8")
    except UnicodeEncodeError:
        raise Unreadable(f"{what}: text that is not valid Unicode") from None
    return x


def validated(desc) -> dict:
    """The reader's description, checked field by field (types, sizes, nothing else): it comes out
    of a process that read hostile files."""
    if not isinstance(desc, dict) or not isinstance(desc.get("ok"), bool):
        raise Unreadable("not a description")
    notes = desc.get("notes", [])
    if not isinstance(notes, list) or len(notes) > 20:
        raise Unreadable("notes: expected a short list")
    out = {"ok": desc["ok"], "notes": [_text(n, 1000, "a note") for n in notes]}
    if not desc["ok"]:
        if set(desc) != {"ok", "reason", "notes"}:
            raise Unreadable(f"unexpected fields {sorted(map(str, desc))[:6]}")
        out["reason"] = _text(desc["reason"], 1000, "the reason")
        return out
    if set(desc) != {"ok", "notebook", "notes", "cells"}:
        raise Unreadable(f"unexpected fields {sorted(map(str, desc))[:6]}")
    out["notebook"] = _text(desc["notebook"], 4 * extract.MAX_NAME_CHARS, "the notebook's name")
    cells = desc["cells"]
    if not isinstance(cells, list) or len(cells) > extract.MAX_CELLS:
        raise Unreadable("cells: expected a list")
    out["cells"], total = [], 0
    for c in cells:
        if not isinstance(c, dict) or set(c) != {"index", "source", "grade_id", "solution", "grade"}:
            raise Unreadable("a cell: unexpected fields")
        if type(c["index"]) is not int or not 0 <= c["index"] < extract.MAX_CELLS:
            raise Unreadable("a cell's index: expected a small number")
        if type(c["solution"]) is not bool or type(c["grade"]) is not bool:
            raise Unreadable("a cell's flags: expected true or false")
        gid = c["grade_id"]
        cell = {"index": c["index"], "source": _text(c["source"], extract.MAX_CELL_CHARS, "a cell's code"),
                "grade_id": None if gid is None else _text(gid, extract.MAX_NAME_CHARS, "a grade_id"),
                "solution": c["solution"], "grade": c["grade"]}
        total += len(cell["source"])
        if total > extract.MAX_CODE_CHARS:
            raise Unreadable("more code than the reader hands back")
        out["cells"].append(cell)
    return out


def run_reader(job: Job) -> dict:
    """Runs extract.py on the submission folder in a sandbox of its own (the folder read-only, no
    network, whole-sandbox limits, a wall-time limit) and reads back at most
    limits.description_bytes of its answer, which is then validated."""
    lim = job.limits
    box = sandbox.Box(lim, wall_seconds=lim.read_seconds)
    if job.safe:
        cmd = sandbox.reader_command(job.folder, job.assignment.name)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    else:
        cmd = sandbox.unsafe_reader_command(job.folder, job.assignment.name)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
    data, too_much = b"", False
    try:
        proc = subprocess.Popen(box.wrap(cmd), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, env=env, start_new_session=True)
    except OSError as e:
        box.close()
        raise Unreadable(f"the reader did not start ({e})") from None
    try:
        deadline = time.monotonic() + lim.read_seconds
        with selectors.DefaultSelector() as sel:
            sel.register(proc.stdout, selectors.EVENT_READ)
            while time.monotonic() < deadline:
                if not sel.select(timeout=min(0.5, max(0.0, deadline - time.monotonic()))):
                    continue
                chunk = os.read(proc.stdout.fileno(), 65536)
                if not chunk:
                    break
                data += chunk
                if len(data) > lim.description_bytes:
                    too_much = True
                    break
    finally:
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        proc.wait()
        proc.stdout.close()
        limit = box.close()
    if limit:
        raise Unreadable(f"reading it hit a limit: {limit}")
    if too_much:
        raise Unreadable(f"its description is larger than {lim.description_bytes} bytes")
    if proc.returncode != 0 or not data.endswith(b"\n"):
        raise Unreadable(f"the reader stopped ({'exit status ' + str(proc.returncode) if proc.returncode else 'no answer'} "
                         f"within {lim.read_seconds:g} s)")
    try:
        desc = json.loads(data)
    except (ValueError, RecursionError):
        raise Unreadable("the reader's answer is not JSON") from None
    return validated(desc)


def read_submission(job: Job) -> tuple[dict | None, str | None, list[str], str | None]:
    """(the notebook as {'cells': [...]} in nbformat's shape, code cells only; its name within the
    folder; notes; None) or, when the submission cannot be graded, (None, None, notes, why)."""
    name = job.assignment.name
    folder = job.folder
    if not os.path.lexists(folder):
        return None, None, [], f"nothing was submitted for {name} (no folder {folder.name}/)"
    if os.path.islink(folder) or os.path.islink(folder.parent):
        # the student's or the assignment's folder is another one (a classmate's, source/...)
        return None, None, [], f"the folder {name}/ or the one above it is a symbolic link: hand in a folder"
    if not folder.is_dir():
        return None, None, [], f"{name} is not a folder"
    try:
        desc = run_reader(job)
    except Unreadable as e:
        return None, None, [], f"the submission cannot be read: {e}"
    if not desc["ok"]:
        return None, None, desc["notes"], desc["reason"]
    nb = {"cells": [{"cell_type": "code", "index": c["index"], "source": c["source"],
                     "metadata": {"nbgrader": {k: v for k, v in (("grade_id", c["grade_id"]),
                                                                   ("solution", c["solution"]),
                                                                   ("grade", c["grade"])) if v}}}
                    for c in desc["cells"]]}
    return nb, desc["notebook"], desc["notes"], None


# -- the student's code: which cells run -----------------------------------------------------------

_INSTRUCTOR_CELLS: dict[tuple[str, float], tuple[frozenset, frozenset]] = {}


def _fingerprint(source: str) -> str:
    """A cell's code, whitespace and comments aside (as contract.same_code compares)."""
    try:
        with contract.AST_LOCK:
            return ast.dump(ast.parse(source))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return "\0" + source.strip()


def instructor_cells(a: Assignment) -> tuple[frozenset, frozenset]:
    """(texts, fingerprints) of the code cells of the source notebook that are neither solution
    nor test cells (imports, demos, plots): in a submission they are the instructor's, not run
    by the grader (the harness's course module is what they set up)."""
    path = a.folder / f"{a.name}.ipynb"
    try:
        key = (str(path), path.stat().st_mtime)
    except OSError:
        return frozenset(), frozenset()
    if key not in _INSTRUCTOR_CELLS:
        nb = contract.read_notebook(path)
        texts = [contract.python_code(contract.cell_source(c)) for c in nb.get("cells", [])
                 if c.get("cell_type") == "code" and not contract.nbgrader_meta(c).get("solution")
                 and not contract.nbgrader_meta(c).get("grade")]
        _INSTRUCTOR_CELLS[key] = (frozenset(t.strip() for t in texts), frozenset(map(_fingerprint, texts)))
    return _INSTRUCTOR_CELLS[key]


def _instructors(source: str, theirs: tuple[frozenset, frozenset]) -> bool:
    return source.strip() in theirs[0] or _fingerprint(source) in theirs[1]


def _binds(node: ast.stmt) -> set[str]:
    """The global names a top-level definition, import or assignment binds."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return {(a.asname or a.name).split(".")[0] for a in node.names}
    targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
    return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}


def _extra_cell(source: str, graded: set[str], label: str) -> tuple[str, list[str], list[tuple[str, str]]]:
    """A cell the student added, as the grader loads it: its definitions, imports and constants
    (line numbers kept); what binds one of the assignment's graded functions is dropped (those
    come from their solution cells, by grade_id); the rest is not run. Returns (the code to load,
    the statements not run, the graded names it would have redefined), both listed in a note."""
    try:
        with contract.AST_LOCK:
            tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return source, [], []                 # the harness reports that it does not parse
    lines = source.splitlines()
    shadowed, skipped = [], []
    for node in tree.body:
        start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        graded_def = bool(_binds(node) & graded)
        # dnnlib/student.py's one rule, the grader's policy: defs, classes, imports, constants
        # whose value does no work (EPS = np.finfo(float).eps, a lambda), a try of only these
        if graded_def or not is_definition(node, allow_calls=True):
            for i in range(start - 1, node.end_lineno):
                lines[i] = ""
            if graded_def:
                shadowed += [(name, f"{label} line {node.lineno}") for name in sorted(_binds(node) & graded)]
            else:
                skipped.append(f"{label} line {node.lineno}")
    return "\n".join(lines), skipped, shadowed


def student_code(nb: dict, assignment: Assignment) -> tuple[list[dict], dict[str, str], list[str]]:
    """([{grade_id, source}] in notebook order, {function: where it was found}, notes).

    What runs, as in a notebook run (nbgrader runs them all) but with the instructor's tests: the
    solution cells (found by grade_id; the last one if a grade_id repeats), and the code cells the
    student added (helpers, constants, imports; not their other statements, which are listed in a
    note); not the test cells, not the instructor's own cells (demos, plots). A graded function
    comes from its solution cell; only if that cell is gone, from the last cell defining it."""
    cells = [c for c in nb.get("cells", []) if c.get("cell_type") == "code"]
    theirs = instructor_cells(assignment)
    tests = {t.grade_id for t in assignment.tests}
    last_of = {}
    for i, c in enumerate(cells):
        meta = contract.nbgrader_meta(c)
        if meta.get("solution") and meta.get("grade_id") in assignment.solutions:
            last_of[meta["grade_id"]] = i
    graded = set(assignment.functions)
    out, by_id, skipped, shadowed = [], {}, [], []
    for i, c in enumerate(cells):
        meta = contract.nbgrader_meta(c)
        gid = meta.get("grade_id")
        src = contract.python_code(contract.cell_source(c))
        if meta.get("solution") and gid in assignment.solutions:
            if last_of[gid] == i:
                out.append({"grade_id": gid, "source": src})
                by_id[gid] = src
        elif meta.get("grade") or gid in tests or not src.strip() or _instructors(src, theirs):
            continue
        else:
            label = f"cell {c.get('index', i) + 1}"
            code, not_run, redefined = _extra_cell(src, graded, label)
            if code.strip():
                out.append({"grade_id": label, "source": code})
            skipped += not_run
            shadowed += redefined
    notes, found = [], {}
    for fn, gid in assignment.functions.items():
        if gid in by_id and fn in contract.defined_functions(by_id[gid]):
            found[fn] = gid
            continue
        # the solution cell lost its metadata (copied, pasted) or the function moved: take the
        # last plain cell that defines it, and say so
        plain = [src for src in (contract.python_code(contract.cell_source(c)) for c in cells
                                 if not contract.nbgrader_meta(c).get("grade"))
                 if fn in contract.defined_functions(src)]
        if plain:
            out.append({"grade_id": fn, "source": plain[-1]})
            found[fn] = "by name"
            notes.append(f"{fn}: its solution cell (grade_id {gid}) was not found; graded the last cell defining it")
    shadowed = [f"{fn} ({where})" for fn, where in shadowed if found.get(fn) not in (None, "by name")]
    if shadowed:
        notes.append("graded from their solution cells, not from the cells you added: " + ", ".join(shadowed[:10]))
    if skipped:
        notes.append("in the cells you added, only definitions, imports and constants are loaded; not run: "
                     + ", ".join(skipped[:10]) + (" ..." if len(skipped) > 10 else ""))
    return out, found, notes


def writable(x):
    """x with every string made writable as UTF-8: a student's message may hold lone surrogates
    ("\\ud800"), which no UTF-8 file, CSV or database takes; each becomes "?"."""
    if isinstance(x, str):
        return x.encode("utf-8", "replace").decode("utf-8")
    if isinstance(x, list):
        return [writable(v) for v in x]
    if isinstance(x, dict):
        return {writable(k): writable(v) for k, v in x.items()}
    return x


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
    """One trusted scorer process (scorer.py: the instructor's tests, outside the sandbox) and the
    sandboxed harness it starts (harness.py: the student's functions). The scorer's frames are read
    with deadlines (a backstop: the scorer keeps the cell time limit itself); both processes are
    killed when the run ends."""

    def __init__(self, job: Job, plan: dict):
        self.job = job
        self.pids: list[int] = []
        # the harness's file descriptors are the scorer's to choose: it fills in these two
        args = ["{in_fd}", "{out_fd}", *sandbox.limit_args(job.limits)]
        self.scratch = None
        if job.safe:
            # the student's folder is not in this sandbox's view: the reader handed over the code, and
            # nothing else of the submission (no file, no markdown) can feed the functions' answers
            cmd = sandbox.bwrap_command(job.module_dir, None, args)
            env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
            cwd = "/tmp"
        else:
            self.scratch = Path(os.environ.get("TMPDIR", "/tmp")) / f"grading-{secrets.token_hex(6)}"
            self.scratch.mkdir(parents=True)
            cmd, env = sandbox.unsafe_command(job.module_dir, args), sandbox.unsafe_env()
            cwd = str(self.scratch)
        self.box = getattr(cmd, "box", None)
        lim = job.limits
        plan = dict(plan, harness={"cmd": list(cmd), "env": env, "plan": dict(plan["harness"], cwd=cwd)},
                    limits={"cell_seconds": lim.cell_seconds, "load_seconds": lim.load_seconds,
                            "memory_bytes": int(lim.memory_bytes)})
        scorer_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp"),
                      "LANG": "C.UTF-8", "MPLBACKEND": "Agg", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
                      "MKL_NUM_THREADS": "1"}
        if os.environ.get("GRADER_DEBUG"):
            scorer_env["GRADER_DEBUG"] = "1"
        self.limit: str | None = None
        self.proc = subprocess.Popen([sys.executable, "-E", "-s", "-B", str(SCORER)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=None if os.environ.get("GRADER_DEBUG") else subprocess.DEVNULL,
                                     env=scorer_env, start_new_session=True)
        self.fd = self.proc.stdout.fileno()
        self.buffer = b""
        self.read_bytes = 0
        try:
            self.proc.stdin.write(json.dumps(plan).encode())
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.fd, selectors.EVENT_READ)

    def frames(self, deadline_of):
        """Yield frames (dicts) until EOF; deadline_of() gives the current absolute deadline.
        Yields {'t': 'timeout'} when it passes, {'t': 'flood'} when output exceeds the cap, then stops."""
        while True:
            while b"\n" in self.buffer:
                line, self.buffer = self.buffer.split(b"\n", 1)
                try:
                    frame = json.loads(line)
                except ValueError:
                    frame = None
                if not isinstance(frame, dict):
                    yield {"t": "garbled"}
                    return
                yield writable(frame)
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
        """Kill what is left (the scorer, the sandbox it started); return how the scorer ended."""
        try:
            self.proc.wait(timeout=0.5)                  # it may be exiting by itself
        except subprocess.TimeoutExpired:
            pass
        for pid in [self.proc.pid, *self.pids]:          # process groups: the scorer's, each sandbox's
            try:
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        code = self.proc.wait()
        self.selector.close()
        self.proc.stdout.close()
        if self.box is not None:
            self.limit = self.box.close()                 # the whole-sandbox limit it ran into, if any
        if self.scratch is not None:
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
    # the notebook is read in a sandbox of its own (extract.py); this process opens no student file
    nb, name, notes, reason = read_submission(job)
    result["notes"] += notes
    if nb is not None:
        result["notebook"] = name
        try:
            code, found, notes = student_code(nb, a)
            notes += test_cell_notes(nb, a)
        except (RecursionError, MemoryError, ValueError) as e:    # code nested too deep to analyse
            reason = f"the notebook's code cannot be analysed ({type(e).__name__}): simplify it"
        else:
            result["notes"] += notes
    if reason is not None:
        result["notes"].append(reason)
        result["cells"] = {t.grade_id: cell_result(t, "missing", message=reason) for t in a.tests}
        return finish(result, t0)
    earlier_names = [fn for e in job.earlier for fn in e.functions]
    plan = {
        "assignment": a.name,
        "dnn_utils": str(a.folder / "dnn_utils.py"),        # the course module (no answers in it)
        "reference": [{"assignment": e.name, "grade_id": gid, "source": src}
                      for e in job.earlier for gid, src in e.solutions.items()],
        "reference_names": earlier_names,
        "later": job.later_names,
        "current": list(a.functions),
        "seed": seeds.submission_seed(job.seed if job.seed is not None
                                      else seeds.student_seed(job.course, a.name, job.student), code),
        # what the sandboxed harness gets: the student's code and which names are whose; no test, no answer
        "harness": {"assignment": a.name, "student": code, "current": list(a.functions), "earlier": earlier_names,
                    "later": job.later_names, "modules": []},
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
        # the scorer keeps the load and cell time limits itself; these deadlines are a backstop
        current, deadline = None, [min(time.monotonic() + job.limits.load_seconds + BACKSTOP_SECONDS, cap_at)]
        problem, stopped, graded_here = None, False, []
        try:
            for frame in run.frames(lambda d=deadline: d[0]):
                kind = frame.get("t")
                if kind == "pid":
                    if type(frame.get("pid")) is int and frame["pid"] > 1:
                        run.pids.append(frame["pid"])
                elif kind == "loaded":
                    load_info = frame
                    if frame.get("tampered"):
                        problem = ("tampered", "your code changed what the grader uses while it was loaded: "
                                   + ", ".join(frame["tampered"][:5]))
                        break
                elif kind == "fatal":
                    problem = (frame.get("status", "kernel-died"), frame.get("message", ""))
                    break
                elif kind == "begin":
                    if frame.get("cell") != (pending[0].grade_id if pending else None):
                        problem = ("kernel-died", "the scorer lost its place in the test cells")
                        break
                    current = pending[0]
                    deadline[0] = min(time.monotonic() + job.limits.cell_seconds + BACKSTOP_SECONDS, cap_at)
                elif kind == "result":
                    if current is None or frame.get("cell") != current.grade_id:
                        problem = ("kernel-died", "the scorer lost its place in the test cells")
                        break
                    result["cells"][current.grade_id] = scored(current, frame, a, found, load_info)
                    graded_here.append(current.grade_id)
                    timed_out.update({k: v for k, v in (frame.get("timed_out") or {}).items()
                                      if k in a.functions and isinstance(v, str)})
                    pending.remove(current)
                    current = None
                elif kind == "stopped":
                    stopped = True
                    break
                elif kind == "end":
                    break
                elif kind == "timeout":
                    if time.monotonic() >= cap_at:
                        problem = ("timeout", f"the submission's time cap ({job.limits.submission_seconds:g} s) ran out")
                    elif current is None:
                        problem = ("timeout", f"loading your code took over {job.limits.load_seconds:g} s")
                    else:
                        # the scorer itself overran (the reference on the student's inputs, say): the
                        # functions this cell tests are not run again
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
                        stopped = True
                    break
                elif kind in ("flood", "garbled"):
                    problem = ("kernel-died", "the scorer's frames were flooded or garbled")
                    break
        finally:
            ended = run.close()
        if run.limit:             # the sandbox as a whole ran into a limit: say which, where it died
            for gid in graded_here:
                c = result["cells"][gid]
                if c["status"] == "kernel-died" and c["messages"]:
                    c["message"] = c["messages"][0] = f"{c['message']} ({run.limit})"
        if problem is None and current is not None:
            result["cells"][current.grade_id] = cell_result(
                current, "kernel-died", message=f"the grading process died in this cell ({ended}"
                + (f"; {run.limit}" if run.limit else "") + "): out of memory, a crash or exit() in your code")
            pending.remove(current)
            continue
        if problem is None and pending and not stopped:
            problem = ("kernel-died", f"the grading process died while loading your code ({ended}"
                       + (f"; {run.limit}" if run.limit else "") + ")")
        if problem is not None:
            status, reason = problem
            # garbled answers at load: no result of this submission counts
            for t in (a.tests if reason.startswith("the result channel") else pending):
                result["cells"][t.grade_id] = cell_result(t, status, message=reason)
            pending = []
    for err in load_info.get("errors", []):
        result["notes"].append(f"error while loading your code: {err}")
    if load_info.get("ignored"):
        result["notes"].append("top-level statements other than definitions and imports were not run: "
                               + ", ".join(load_info["ignored"][:10]))
    for fn, names in load_info.get("missing", {}).items():
        result["notes"].append(f"{fn} uses {', '.join(names)}, defined nowhere in your notebook's code cells")
    return finish(result, t0)


def scored(test: TestCell, frame: dict, a: Assignment, found: dict, load_info: dict) -> dict:
    if frame.get("tampered"):
        return cell_result(test, "tampered", message="your code changed or used what the grader protects: "
                           + ", ".join(frame["tampered"][:5]))
    if frame.get("stopped") and frame.get("status") in ("timeout", "kernel-died", "tampered"):
        # the sandbox was stopped in this cell (endless loop, crash, garbled answer): the cell gives 0
        return cell_result(test, frame["status"], message=frame.get("error") or "")
    score, messages = score_cell(test, frame.get("checks", []))
    for fn in frame.get("changed_inputs") or []:
        note = (f"{fn} changed an array, list or dict it was given, in place; a course function must not "
                f"(it was graded on its results, with the test's inputs left as they were)")
        if note not in messages:
            messages.append(note)
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
            messages.append(f"{fn} uses {', '.join(names)}, which none of your cells defines")
    return cell_result(test, status, score, messages[0] if messages else "", messages[:5])


def finish(result: dict, t0: float) -> dict:
    result["score"] = round(sum(c["score"] for c in result["cells"].values()), 2)
    result["seconds"] = round(time.monotonic() - t0, 3)
    return result
