"""Running one harness process under bubblewrap, with resource limits.

The sandbox sees, read-only: the Python installation (sys.prefix, sys.base_prefix and the
system libraries), the assignment's student module (and the data), the student's own
submission folder and the harness. It writes only a private tmpfs (/tmp, its working
directory). No network, new PID/IPC/UTS namespaces, an unprivileged user (65534), a clean
environment, and it dies with its parent. The course folder (source/, the gradebook,
other students), the project checkout and /root are not in its view at all.

Limits on each process: CPU time, address space, file size and core dumps: setrlimit, by the
harness on itself before it reads any student code (hard limits, which it cannot raise again).
Limits on the whole sandbox (Box below), whatever the number of processes in it: the number of
processes, memory (RAM and the private /tmp, which is tmpfs: its pages are charged to the
sandbox's memory), CPU time of all its processes, the size of /tmp, wall time. Where a cgroup
can be made (v1 or v2, under the grader's own), the kernel counts and enforces them; elsewhere
a monitor thread polls the sandbox's process tree and kills all of it past a limit
(`confinement()` says which is in force). Wall time and the bytes read back are also enforced
by the parent (runner.py), which kills the process group.
"""
from __future__ import annotations

import functools
import os
import secrets
import shutil
import signal
import subprocess
import sys
import sysconfig
import threading
import time
import weakref
from dataclasses import dataclass
from pathlib import Path

HARNESS = Path(__file__).resolve().parent / "harness.py"
READER = Path(__file__).resolve().parent / "extract.py"


@dataclass
class Limits:
    cell_seconds: float = 10.0          # wall time of one test cell
    load_seconds: float = 20.0          # interpreter start + loading the student's code
    submission_seconds: float = 90.0    # all cells of one submission, restarts included
    cpu_seconds: int = 120              # RLIMIT_CPU of one harness process
    memory_bytes: int = 2 * 1024 ** 3   # RLIMIT_AS
    file_bytes: int = 64 * 1024 ** 2    # RLIMIT_FSIZE (the scratch tmpfs)
    output_bytes: int = 4 * 1024 ** 2   # what the parent reads from the result channel
    # the whole sandbox, all its processes together (Box)
    processes: int = 32                 # processes and threads at once
    sandbox_memory_bytes: int = 2 * 1024 ** 3   # RAM of all processes + the private /tmp
    tmp_bytes: int = 256 * 1024 ** 2    # what /tmp may hold
    read_seconds: float = 20.0          # the reader of the submission (extract.py), wall time
    description_bytes: int = 8 * 1024 ** 2      # what the parent reads back from the reader


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


def _bwrap_base() -> list[str]:
    """bubblewrap: no network, new namespaces, nobody, a clean environment, a private /tmp, the
    system and the Python installation read-only."""
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
    return cmd


_pending = threading.local()


def bwrap_command(module_dir: Path, submission_dir: Path | None, python_args: list[str],
                  limits: Limits | None = None) -> Command:
    """The harness's sandbox. It runs in a Box (whole-sandbox limits) with `limits`, or else those
    last given to limit_args() in this thread (which the harness's caller gives it just before),
    or else the defaults. The Box (cmd.box) watches it; close() it after, or it is released once
    its sandbox has run and nobody holds it."""
    limits = limits or getattr(_pending, "limits", None) or Limits()
    _pending.limits = None
    cmd = _bwrap_base()
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
    return Box(limits).wrap(cmd)


def unsafe_command(module_dir: Path, python_args: list[str]) -> list[str]:
    return [sys.executable, "-E", "-s", str(Path(module_dir) / "harness.py"), *python_args]


def unsafe_env() -> dict:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp"),
            "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MPLBACKEND": "Agg", "LANG": "C.UTF-8"}


def limit_args(limits: Limits) -> list[str]:
    """The resource limits the harness sets on itself first thing (hard limits: student code
    cannot raise them again). The whole-sandbox limits of the bwrap_command() that follows in
    this thread are these limits too."""
    _pending.limits = limits
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


# -- limits on the whole sandbox ---------------------------------------------------------------

_SELF_CGROUP = "/proc/self/cgroup"
# joins the cgroups named before "--" (writes its pid into each cgroup.procs), then becomes the
# command after it: everything the sandbox starts inherits the cgroups
_JOIN = ('for f in "$@"; do [ "$f" = -- ] && break; echo $$ > "$f" || exit 125; done; '
         'while [ "$1" != -- ]; do shift; done; shift; exec "$@"')


def _cgroup_mounts() -> tuple[dict[str, str], str | None]:
    """({v1 controller: mount point}, v2 mount point) from /proc/self/mountinfo."""
    v1, v2 = {}, None
    try:
        lines = Path("/proc/self/mountinfo").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return v1, v2
    for line in lines:
        left, _, right = line.partition(" - ")
        fields, rest = left.split(), right.split()
        if len(fields) < 5 or len(rest) < 3:
            continue
        if rest[0] == "cgroup2":
            v2 = v2 or fields[4]
        elif rest[0] == "cgroup":
            for opt in rest[2].split(","):
                if opt in ("memory", "pids", "cpuacct"):
                    v1.setdefault(opt, fields[4])
    return v1, v2


def _own_cgroups() -> dict[str, str]:
    """{controller (or '' for v2): this process's cgroup path}."""
    out = {}
    try:
        for line in Path(_SELF_CGROUP).read_text(encoding="utf-8").splitlines():
            _, controllers, path = line.split(":", 2)
            for c in controllers.split(",") if controllers else [""]:
                out[c] = path
    except (OSError, ValueError):
        pass
    return out


def _write(path: Path, value) -> None:
    with open(path, "w", encoding="ascii") as f:
        f.write(str(value))


def _read_int(path: Path, default: int = 0) -> int:
    try:
        return int(Path(path).read_text(encoding="ascii").split()[0])
    except (OSError, ValueError, IndexError):
        return default


def _keyed(path: Path, key: str) -> int:
    """The value of `key` in a cgroup file of 'key value' lines (memory.oom_control, pids.events)."""
    try:
        for line in Path(path).read_text(encoding="ascii").splitlines():
            k, _, v = line.partition(" ")
            if k == key:
                return int(v)
    except (OSError, ValueError):
        pass
    return 0


@functools.lru_cache(maxsize=1)
def confinement() -> str:
    """Which whole-sandbox limits are in force here (for the self-check's output)."""
    box = Box(Limits(), start=False)
    try:
        return box.mode_text()
    finally:
        box.close()


def _kill_until_none(pids) -> None:
    """SIGKILL the processes pids() lists, again until it lists none (a fork may race a kill)."""
    for _ in range(100):
        listed = pids()
        if not listed:
            return
        for p in listed:
            try:
                os.kill(p, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        time.sleep(0.01)


def _release(groups: dict) -> None:
    """Kill every process left in a box's cgroups, then remove them (also when the Box is dropped
    without close())."""
    if not groups:
        return
    procs = next(iter(groups.values())) / "cgroup.procs"

    def pids():
        try:
            return [int(x) for x in procs.read_text(encoding="ascii").split()]
        except (OSError, ValueError):
            return []

    _kill_until_none(pids)
    for path in groups.values():
        for _ in range(100):
            try:
                path.rmdir()
                break
            except FileNotFoundError:
                break
            except OSError:                     # busy while its last processes exit
                time.sleep(0.02)
    groups.clear()


def _watch(ref, stop: threading.Event) -> None:
    """The monitor of one Box. It keeps the Box alive until the sandbox has run once (or a minute
    went by without it starting), then holds it only weakly: a Box nobody keeps is released."""
    keep = ref()
    while not stop.wait(Box.POLL):
        box = keep or ref()
        if box is None:
            return
        running = box.poll()
        if keep is not None and (box.ran and not running or time.monotonic() - box.started > 60):
            keep = None
        del box


class Box:
    """The limits of one sandbox as a whole: made before it starts, `prefix()` put in front of its
    command (it may be started again in the same Box, after a restart), watched by a thread while
    it lives, `close()`d after (kills what is left, removes the cgroups). `reason` names the first
    limit it ran into, if any."""

    POLL = 0.05

    def __init__(self, limits: Limits, wall_seconds: float | None = None, start: bool = True):
        self.limits, self.wall = limits, wall_seconds
        self.token = f"dnn-grading-{secrets.token_hex(8)}"
        self.reason: str | None = None
        self.groups: dict[str, Path] = {}       # controller -> cgroup folder ('' for v2)
        self.kind = "fallback"
        self.pid: int | None = None
        self.ran = False
        self.started = time.monotonic()
        self._base = {"oom": 0, "forks": 0, "cpu": 0.0}   # counters at the last kill (restarts start afresh)
        try:
            self._make_cgroups()
        except OSError:
            _release(self.groups)
            self.kind = "fallback"
        self._finalizer = weakref.finalize(self, _release, self.groups)
        self._stop = threading.Event()
        self.thread = threading.Thread(target=_watch, args=(weakref.ref(self), self._stop),
                                       name=self.token, daemon=True)
        if start:
            self.thread.start()

    # -- set up -------------------------------------------------------------------------------
    def _make_cgroups(self) -> None:
        v1, v2 = _cgroup_mounts()
        own = _own_cgroups()
        lim = self.limits
        if all(c in v1 for c in ("memory", "pids", "cpuacct")):
            for c in ("memory", "pids", "cpuacct"):
                path = Path(v1[c]) / own.get(c, "/").lstrip("/") / self.token
                path.mkdir()
                self.groups[c] = path
            mem = self.groups["memory"]
            _write(mem / "memory.limit_in_bytes", int(lim.sandbox_memory_bytes))
            if (mem / "memory.memsw.limit_in_bytes").exists():
                try:                                   # no swap either: RAM + swap = the same limit
                    _write(mem / "memory.memsw.limit_in_bytes", int(lim.sandbox_memory_bytes))
                except OSError:
                    pass
            _write(self.groups["pids"] / "pids.max", int(lim.processes))
            self.kind = "cgroup v1"
        elif v2 is not None:
            path = Path(v2) / own.get("", "/").lstrip("/") / self.token
            path.mkdir()
            self.groups[""] = path
            have = (path / "cgroup.controllers").read_text(encoding="ascii").split()
            if not {"memory", "pids"} <= set(have):
                raise OSError("the memory and pids controllers are not delegated to this cgroup")
            _write(path / "memory.max", int(lim.sandbox_memory_bytes))
            if (path / "memory.swap.max").exists():
                _write(path / "memory.swap.max", 0)
            _write(path / "pids.max", int(lim.processes))
            self.kind = "cgroup v2"

    def mode_text(self) -> str:
        lim = self.limits
        what = (f"at most {lim.processes} processes, {lim.sandbox_memory_bytes / 2 ** 20:.0f} MB of memory "
                f"(/tmp included), {lim.cpu_seconds} s of CPU, {lim.tmp_bytes / 2 ** 20:.0f} MB in /tmp")
        if self.kind == "fallback":
            return (f"whole-sandbox limits: {what}, enforced by polling the sandbox's process tree every "
                    f"{self.POLL:g} s (no writable cgroup here), plus per-process limits")
        return f"whole-sandbox limits: {what}, enforced by the kernel: one cgroup ({self.kind[-2:]}) per sandbox"

    def prefix(self) -> list[str]:
        """What goes in front of the sandbox's command: join the cgroups (or, without them, only a
        name the monitor finds it by), with a per-process CPU limit on everything inside."""
        procs = [str(p / "cgroup.procs") for p in self.groups.values()]
        ulimits = f"ulimit -t {int(self.limits.cpu_seconds)} -c 0 2>/dev/null; export DNN_GRADING_BOX={self.token}; "
        return ["/bin/sh", "-c", ulimits + _JOIN, self.token, *procs, "--"]

    def wrap(self, cmd: list[str]) -> "Command":
        return Command([*self.prefix(), *cmd], box=self)

    # -- while it runs --------------------------------------------------------------------------
    def pids(self) -> list[int]:
        if self.groups:
            path = self.groups.get("pids") or self.groups.get("")
            try:
                return [int(x) for x in (path / "cgroup.procs").read_text(encoding="ascii").split()]
            except (OSError, ValueError):
                return []
        return self._tree()

    def _find_root(self) -> int | None:
        """The sandbox's first process: the one whose environment holds the Box's name (bwrap's own;
        what it starts has a clean environment and is found as its descendant)."""
        token = f"DNN_GRADING_BOX={self.token}".encode()
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    with open(f"/proc/{entry.name}/environ", "rb") as f:
                        if token in f.read(65536).split(b"\0"):
                            return int(entry.name)
                except OSError:
                    continue
        return None

    def _tree(self) -> list[int]:
        """The monitored process and all its descendants (fallback)."""
        if self.pid is None or not os.path.exists(f"/proc/{self.pid}"):
            self.pid = self._find_root()
            if self.pid is None:
                return []
        children: dict[int, list[int]] = {}
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    with open(f"/proc/{entry.name}/stat", "rb") as f:
                        ppid = int(f.read().rsplit(b")", 1)[1].split()[1])
                except (OSError, ValueError, IndexError):
                    continue
                children.setdefault(ppid, []).append(int(entry.name))
        out, todo = [], [self.pid]
        while todo:
            p = todo.pop()
            if os.path.exists(f"/proc/{p}"):
                out.append(p)
            todo += children.get(p, [])
        return out

    def _tmp_used(self, pids: list[int]) -> int:
        """Bytes in the sandbox's own /tmp (a tmpfs seen through a process inside it)."""
        try:
            host = os.stat("/tmp").st_dev
        except OSError:
            host = None
        for p in reversed(pids):
            where = f"/proc/{p}/root/tmp"
            try:
                if os.stat(where).st_dev == host:
                    continue
                st = os.statvfs(where)
                return (st.f_blocks - st.f_bfree) * st.f_frsize
            except OSError:
                continue
        return 0

    def _cpu(self, pids: list[int]) -> float:
        """CPU seconds of the whole sandbox."""
        if self.kind == "cgroup v1":
            return _read_int(self.groups["cpuacct"] / "cpuacct.usage") / 1e9
        if self.kind == "cgroup v2":
            return _keyed(self.groups[""] / "cpu.stat", "usage_usec") / 1e6
        tick, cpu = os.sysconf("SC_CLK_TCK"), 0.0
        for p in pids:
            try:
                with open(f"/proc/{p}/stat", "rb") as f:
                    fields = f.read().rsplit(b")", 1)[1].split()
                cpu += sum(int(x) for x in fields[11:15]) / tick     # utime stime cutime cstime
            except (OSError, ValueError, IndexError):
                continue
        return cpu

    def _rss(self, pids: list[int]) -> int:
        page, mem = os.sysconf("SC_PAGE_SIZE"), 0
        for p in pids:
            try:
                with open(f"/proc/{p}/statm", "rb") as f:
                    mem += int(f.read().split()[1]) * page
            except (OSError, ValueError, IndexError):
                continue
        return mem

    def _counters(self) -> dict[str, int]:
        g = self.groups
        if "memory" in g:
            return {"oom": _keyed(g["memory"] / "memory.oom_control", "oom_kill"),
                    "forks": _keyed(g["pids"] / "pids.events", "max")}
        if "" in g:
            return {"oom": _keyed(g[""] / "memory.events", "oom_kill"), "forks": _keyed(g[""] / "pids.events", "max")}
        return {"oom": 0, "forks": 0}

    def _counted(self) -> str | None:
        """A limit the kernel enforced since the last kill, from the cgroup's counters."""
        lim, now = self.limits, self._counters()
        if now["oom"] > self._base["oom"]:
            return (f"the sandbox ran out of memory: its processes and its /tmp together may use "
                    f"{lim.sandbox_memory_bytes / 2 ** 20:.0f} MB")
        if now["forks"] > self._base["forks"]:
            return f"the submission tried to run more than {lim.processes} processes or threads at once"
        return None

    def _over(self, pids: list[int]) -> str | None:
        lim = self.limits
        if self.groups:
            counted = self._counted()
            if counted:
                return counted
        else:
            if len(pids) > lim.processes:
                return f"the submission ran more than {lim.processes} processes at once"
        if self._cpu(pids) - self._base["cpu"] > lim.cpu_seconds:
            return f"the sandbox's processes used more than {lim.cpu_seconds} s of CPU time together"
        tmp = self._tmp_used(pids)
        if tmp > lim.tmp_bytes:
            return f"the submission wrote more than {lim.tmp_bytes / 2 ** 20:.0f} MB to /tmp"
        if not self.groups and self._rss(pids) + tmp > lim.sandbox_memory_bytes:
            return (f"the sandbox's processes and its /tmp used more than "
                    f"{lim.sandbox_memory_bytes / 2 ** 20:.0f} MB of memory together")
        if self.wall is not None and time.monotonic() - self.started > self.wall:
            return f"the sandbox ran for more than {self.wall:g} s"
        return None

    def poll(self) -> bool:
        """Check the limits once; True if the sandbox has processes."""
        pids = self.pids()
        if not pids:
            return False
        self.ran = True
        reason = self._over(pids)
        if reason:
            self.reason = self.reason or reason
            self.kill()
        return True

    def kill(self) -> None:
        """SIGKILL every process of the sandbox, until none is left (bwrap's own death takes the
        PID namespace, and so everything in it, with it); counters start afresh for a restart."""
        _kill_until_none(self.pids)
        self._base = dict(self._counters(), cpu=self._cpu([]) if self.groups else 0.0)

    def close(self) -> str | None:
        """Stop watching, kill what is left, remove the cgroups; the limit it ran into, if any."""
        self._stop.set()
        if self.thread.is_alive() and self.thread is not threading.current_thread():
            self.thread.join(timeout=5)
        if self.reason is None and self.groups:
            # the kernel may have acted after the last poll (an OOM kill, a refused fork)
            self.reason = self._counted()
        self._finalizer()
        return self.reason


class Command(list):
    """A sandbox command (a plain argument list for Popen) that carries its Box."""

    def __init__(self, items, box: Box | None = None):
        super().__init__(items)
        self.box = box


def reader_command(submission_dir: Path, assignment: str) -> list[str]:
    """The sandbox that reads the submission (extract.py): the Python installation, the reader and
    the submission folder (read-only, at /submission), nothing else; no network; as nobody."""
    cmd = _bwrap_base()
    cmd += ["--ro-bind", str(READER), "/reader/extract.py", "--ro-bind", str(submission_dir), "/submission",
            "--remount-ro", "/", "--setenv", "LANG", "C.UTF-8", "--chdir", "/tmp",
            sys.executable, "-I", "-S", "/reader/extract.py", assignment, "/submission"]
    return cmd


def unsafe_reader_command(submission_dir: Path, assignment: str) -> list[str]:
    return [sys.executable, "-I", "-S", str(READER), assignment, str(submission_dir)]
