"""Limits on the whole sandbox, not per process (issue 25, item 3): the number of processes, the
memory of all of them with /tmp (tmpfs) included, their CPU time together, the size of /tmp, wall
time. With a cgroup per sandbox where one can be made (here: cgroup v1), else a monitor polling
the sandbox's process tree; both are tested (the monitor by pretending no cgroup is mounted).
Sizes are small: the limits are configurable (20 processes, 128 MB, 32 MB of /tmp)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from classroom.grading import course as course_module
from classroom.grading import runner, sandbox
from tests import grading_course as tiny

# cpu_seconds: 1, the least RLIMIT_CPU takes; SPIN_2 spends it in each mode before it is stopped
SMALL = sandbox.Limits(processes=20, sandbox_memory_bytes=128 * 2 ** 20, tmp_bytes=32 * 2 ** 20, cpu_seconds=1)

FORK_300 = ("import os, time\n"
            "for i in range(300):\n"
            "    try:\n"
            "        if os.fork() == 0:\n"
            "            time.sleep(30); os._exit(0)\n"
            "    except OSError:\n"
            "        pass\n"
            "time.sleep(30)\n")
# three children, 60 MB each: each is far below any per-process limit; together over 128 MB
HOLD_3_CHILDREN = ("import os, time\n"
                   "for i in range(3):\n"
                   "    if os.fork() == 0:\n"
                   "        b = bytearray(60 * 2 ** 20)\n"
                   "        for j in range(0, len(b), 4096): b[j] = 1\n"
                   "        time.sleep(30); os._exit(0)\n"
                   "time.sleep(30)\n")
FILL_TMP = ("import time\n"
            "for i in range(24):\n"
            "    with open(f'/tmp/f{i}', 'wb') as f: f.write(b'x' * 4 * 2 ** 20)\n"   # 96 MB in 4 MB files
            "time.sleep(30)\n")
SPIN_2 = "import os\nos.fork()\nwhile True: pass\n"


@pytest.fixture(params=["cgroup", "monitor"])
def mode(request, monkeypatch):
    tiny.sandbox_or_skip()
    if request.param == "cgroup":
        if sandbox.Box(SMALL, start=False).kind == "fallback":
            pytest.skip("no writable cgroup here: the monitor is what is in force")
    else:
        monkeypatch.setattr(sandbox, "_cgroup_mounts", lambda: ({}, None))
    return request.param


def run_boxed(program: str, limits=SMALL):
    """A Python program in a bare sandbox, in a Box; (exit status, the limit named, the box)."""
    box = sandbox.Box(limits, wall_seconds=60)
    cmd = sandbox._bwrap_base() + ["--remount-ro", "/", sys.executable, "-I", "-S", "-c", program]
    proc = subprocess.run(box.wrap(cmd), capture_output=True, timeout=120, start_new_session=True, check=False)
    return proc.returncode, box.close(), box


@pytest.mark.parametrize("program, names", [
    (FORK_300, ["20", "process"]),
    (HOLD_3_CHILDREN, ["128 MB", "memory"]),
    (FILL_TMP, ["32 MB", "/tmp"]),
    (SPIN_2, ["1 s", "CPU"]),
])
def test_a_sandbox_past_a_whole_sandbox_limit_is_stopped_and_says_which(mode, program, names):
    code, reason, box = run_boxed(program)
    assert code != 0 and reason is not None, (code, reason)
    assert all(n in reason for n in names), reason
    assert box.pids() == [] and not box.groups                  # nothing left running, cgroups removed


def test_a_sandbox_within_its_limits_runs_to_the_end(mode):
    code, reason, _ = run_boxed("import os\nprint(os.getpid())\n")
    assert code == 0 and reason is None


def test_the_self_check_says_which_limits_are_in_force(mode):
    box = sandbox.Box(SMALL, start=False)
    assert (box.kind == "fallback") == (mode == "monitor")
    monitor = sandbox.Box.__new__(sandbox.Box)
    monitor.limits, monitor.kind = SMALL, "fallback"
    text = box.mode_text()
    assert "20" in text and "128 MB" in text and "32 MB" in text, text
    assert (text == monitor.mode_text()) == (mode == "monitor")          # the two ways are told apart
    box.close()


# -- a whole grading run: that student gets 0 with the reason, the others are graded -----------------

HOGS = {
    "tmp_filler": ("    for i in range(24):\n"
                   "        with open(f'/tmp/f{i}', 'wb') as f:\n"
                   "            f.write(b'x' * 4 * 2 ** 20)\n", ["/tmp"]),
    "memory_hog": ("    b = bytearray(400 * 2 ** 20)\n"
                   "    for j in range(0, len(b), 4096):\n"
                   "        b[j] = 1\n", ["memory"]),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tiny.sandbox_or_skip()
    course = tiny.make(tmp_path_factory.mktemp("limits") / "course", gradebook=False)
    tiny.submit(course, "honest", tiny.notebook())
    for student, (body, _) in HOGS.items():
        tiny.submit(course, student, tiny.notebook(double="def double(x):\n" + body + "    return 2 * x\n"))
    limits = sandbox.Limits(cell_seconds=20, sandbox_memory_bytes=300 * 2 ** 20, tmp_bytes=32 * 2 ** 20)
    results = course_module.grade_assignment(course, tiny.NAME, jobs=2, limits=limits, gradebook=False)
    return {r["student"]: r for r in results}


def test_honest_work_is_graded_beside_the_hogs(graded):
    assert graded["honest"]["score"] == 3, graded["honest"]


@pytest.mark.parametrize("student", list(HOGS))
def test_a_hog_gets_zero_on_its_cell_with_the_limit_named(graded, student):
    cell = graded[student]["cells"]["test_double"]
    assert cell["score"] == 0 and cell["status"] in runner.NON_ANSWER_STATUSES, cell
    assert all(n in cell["message"] for n in HOGS[student][1]), cell
    assert graded[student]["cells"]["test_scale"]["score"] == 1, json.dumps(graded[student])[:2000]
