"""Running one harness process under bubblewrap, with resource limits.

The sandbox sees, read-only: the Python installation (sys.prefix, sys.base_prefix and the
system libraries), the assignment's student module (and the data), the student's own
submission folder and the harness. It writes only a private tmpfs (/tmp, its working
directory). No network, new PID/IPC/UTS namespaces, an unprivileged user (65534), a clean
environment, and it dies with its parent. The course folder (source/, the gradebook,
other students), the project checkout and /root are not in its view at all.

Limits: CPU time, address space, file size and core dumps: setrlimit, by the harness on
itself before it reads any student code (hard limits, which it cannot raise again); wall
time and output size are enforced by the parent (runner.py), which kills the process group.
"""
from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

HARNESS = Path(__file__).resolve().parent / "harness.py"


@dataclass
class Limits:
    cell_seconds: float = 10.0          # wall time of one test cell
    load_seconds: float = 20.0          # interpreter start + loading the student's code
    submission_seconds: float = 90.0    # all cells of one submission, restarts included
    cpu_seconds: int = 120              # RLIMIT_CPU of one harness process
    memory_bytes: int = 2 * 1024 ** 3   # RLIMIT_AS
    file_bytes: int = 64 * 1024 ** 2    # RLIMIT_FSIZE (the scratch tmpfs)
    output_bytes: int = 4 * 1024 ** 2   # what the parent reads from the result channel


def _python_roots() -> list[str]:
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
             os.path.dirname(os.path.realpath(sys.executable))}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        path = sysconfig.get_paths().get(key)
        if path:
            roots.add(path)
    # keep only the outermost folders; never the system root itself
    roots = sorted({os.path.realpath(r) for r in roots} | roots)
    out = []
    for r in roots:
        if r in ("/", "") or any(r.startswith(o.rstrip("/") + "/") for o in out):
            continue
        out.append(r)
    return out


def bwrap_command(module_dir: Path, submission_dir: Path | None, python_args: list[str]) -> list[str]:
    cmd = ["bwrap", "--unshare-all", "--unshare-user", "--uid", "65534", "--gid", "65534",
           "--die-with-parent", "--new-session", "--clearenv",
           "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    for top in ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            cmd += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            cmd += ["--ro-bind", top, top]
    if os.path.exists("/etc/ld.so.cache"):
        cmd += ["--ro-bind", "/etc/ld.so.cache", "/etc/ld.so.cache"]
    for root in _python_roots():
        if not root.startswith("/usr/") and os.path.exists(root):
            cmd += ["--ro-bind", root, root]
    # the grading folder (the harness, the student module, the course package) is the harness's own
    # folder, so `import dnn_utils` finds them there: no sys.path to edit
    cmd += ["--ro-bind", str(module_dir), "/grading"]
    if submission_dir is not None:
        cmd += ["--ro-bind", str(submission_dir), "/submission"]
    cmd += ["--remount-ro", "/"]                  # the sandbox's own root too: only /tmp is writable
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "TMPDIR": "/tmp", "LANG": "C.UTF-8",
           "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "MPLBACKEND": "Agg",
           "PYTHONDONTWRITEBYTECODE": "1"}
    for k, v in env.items():
        cmd += ["--setenv", k, v]
    # -E -s: no PYTHON* variables, no user site (as -I); not -P, so the harness's own folder
    # /grading comes first on sys.path and `import dnn_utils` finds the student module there
    cmd += ["--chdir", "/tmp", sys.executable, "-E", "-s", "/grading/harness.py", *python_args]
    return cmd


def unsafe_command(module_dir: Path, python_args: list[str]) -> list[str]:
    return [sys.executable, "-E", "-s", str(Path(module_dir) / "harness.py"), *python_args]


def unsafe_env() -> dict:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp"),
            "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MPLBACKEND": "Agg", "LANG": "C.UTF-8"}


def limit_args(limits: Limits) -> list[str]:
    """The resource limits the harness sets on itself first thing (hard limits: student code
    cannot raise them again)."""
    return [f"RLIMIT_CPU={int(limits.cpu_seconds)}", f"RLIMIT_AS={int(limits.memory_bytes)}",
            f"RLIMIT_FSIZE={int(limits.file_bytes)}", "RLIMIT_CORE=0"]


@functools.lru_cache(maxsize=1)
def available() -> tuple[bool, str]:
    """(True, '') if bubblewrap runs here with the options the grader uses; else (False, why)."""
    if shutil.which("bwrap") is None:
        return False, "bubblewrap (bwrap) is not installed (Debian/Ubuntu: apt-get install bubblewrap)"
    probe = bwrap_command(HARNESS.parent, None, ["--probe"])
    try:
        proc = subprocess.run(probe, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as e:
        return False, f"bubblewrap does not start: {e}"
    if proc.returncode != 0 or "sandbox-ok" not in proc.stdout:
        why = f"bubblewrap does not run here: {(proc.stderr or proc.stdout).strip()[:500]}"
        advice = userns_advice(read_sysctls())
        return False, why + (f"\n  to fix: {advice}" if advice else "")
    return True, ""


USERNS_SYSCTLS = ("kernel/apparmor_restrict_unprivileged_userns", "kernel/unprivileged_userns_clone",
                  "user/max_user_namespaces")


def read_sysctls() -> dict[str, str]:
    """The kernel settings that decide whether bwrap may create user namespaces (absent: not set)."""
    out = {}
    for name in USERNS_SYSCTLS:
        try:
            out[name] = (Path("/proc/sys") / name).read_text(encoding="ascii").strip()
        except OSError:
            pass
    return out


def userns_advice(sysctls: dict[str, str]) -> str:
    """What an administrator runs to let bwrap create user namespaces, from the blocking setting."""
    if sysctls.get("kernel/apparmor_restrict_unprivileged_userns") == "1":
        return ("AppArmor blocks unprivileged user namespaces (Ubuntu 23.10+): run "
                "`sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0` (persist it in "
                "/etc/sysctl.d/), or install an AppArmor profile for /usr/bin/bwrap with `userns,`")
    if sysctls.get("kernel/unprivileged_userns_clone") == "0":
        return "user namespaces are off (Debian): run `sudo sysctl kernel.unprivileged_userns_clone=1`"
    if sysctls.get("user/max_user_namespaces") == "0":
        return "user namespaces are capped at 0: run `sudo sysctl user.max_user_namespaces=15000`"
    return ""
