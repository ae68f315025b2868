"""The trusted scorer: runs the instructor's test cells OUTSIDE the sandbox, one process per submission.

    python -E -s scorer.py  < plan.json      (started by runner.py; results as JSON lines on stdout)

It never imports, runs or unpickles student code. It runs the test cells (visible and hidden)
with numpy, the course module and the reference answers of the earlier assignments; each call a
test makes to a function of the assignment being graded goes to the student's sandbox
(harness.py) as plain data (plain.py: numbers, strings, arrays, lists, tuples, dicts), and what
comes back is plain data too: the function's result, the arguments it changed in place, numpy's
global random state if it moved it, or the exception it raised (its builtin type and message).
The asserts are evaluated here, on those values. So the student's process can change a score
only through the values its functions return.

Where a student's function calls an earlier assignment's function, the sandbox asks back over
the same pipe and this process answers with the reference (only those functions).

The sandbox is started by this process (the command comes in the plan). After a timeout, a
crash or a garbled answer, this process reports the cell and stops ("stopped"); runner.py starts
a new scorer and sandbox for the remaining cells, telling it which functions timed out (they are
not run again).

Frames on stdout (one JSON object per line), read by runner.py:
  {"t": "pid", "pid": N}                          a sandbox process (for the runner to kill)
  {"t": "loaded", "errors", "ignored", "missing", "tampered"}
  {"t": "fatal", "status", "message"}             the student's code could not be loaded at all
  {"t": "begin", "cell"} / {"t": "result", "cell", "checks", "error", "status", "tampered",
                             "stopped", "timed_out"}
  {"t": "stopped"} (the sandbox was stopped: start again for the remaining cells) / {"t": "end"}
"""
import ast
import builtins
import copy
import importlib.util
import json
import os
import signal
import subprocess
import sys
import time

import numpy

import plain
import seeds

MAX_MESSAGE = 1000
# The graded functions whose contract is to change what they are given (the course's
# update_parameters may update the parameters dict, or its arrays, in place). Any other function's
# in-place changes to its arguments are not carried back into the test.
UPDATES_IN_PLACE = {"update_parameters"}


class CellStopped(BaseException):
    """The sandbox timed out, died or garbled its answer: the cell stops (test code cannot catch it)."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status, self.message = status, message


class TimedOutBefore(BaseException):
    """A function that timed out in an earlier cell is not run again."""


def cap(text):
    return plain.cap(text, MAX_MESSAGE)


class Sink:
    def write(self, s):
        return len(s)

    def flush(self):
        pass

    def isatty(self):
        return False


class Sandbox:
    """The student's harness process: started on first use, and again after it was stopped."""

    def __init__(self, plan, emit, timed_out, reference):
        self.spec = plan["harness"]
        self.limits = plan["limits"]
        self.emit = emit
        self.timed_out = timed_out
        self.reference = reference              # name -> reference function (answers the sandbox's asks)
        self.proc = None
        self.loaded = None
        self.tampered = []                      # reported by the harness since the cell began
        self.changed_inputs = []                # graded functions that changed their inputs, this cell

    # -- the process ------------------------------------------------------------------------------
    def start(self):
        to_r, to_w = os.pipe()
        from_r, from_w = os.pipe()
        cmd = [str(to_r) if a == "{in_fd}" else str(from_w) if a == "{out_fd}" else a for a in self.spec["cmd"]]
        plan = dict(self.spec["plan"], timed_out=dict(self.timed_out))
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL if not os.environ.get("GRADER_DEBUG") else None,
                                     pass_fds=(to_r, from_w), env=self.spec["env"], start_new_session=True)
        os.close(to_r)
        os.close(from_w)
        self.to_fd, self.from_fd = to_w, from_r
        self.emit({"t": "pid", "pid": self.proc.pid})
        try:
            self.proc.stdin.write(json.dumps(plan).encode())
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        self.load_deadline = time.monotonic() + self.limits["load_seconds"]

    def wait_loaded(self):
        """The harness's report on loading the student's code (started by start(): it loads while
        this process reads the course module)."""
        deadline = self.load_deadline
        try:
            msg, _ = plain.decode(plain.receive(self.from_fd, deadline))
            if type(msg) is not list or len(msg) != 2 or msg[0] != "loaded" or type(msg[1]) is not dict:
                raise plain.ProtocolError("not a 'loaded' message")
            info = msg[1]
            self.loaded = {k: info.get(k, d) for k, d in
                           (("errors", []), ("ignored", []), ("missing", {}), ("tampered", []))}
            strings = lambda x: type(x) is list and len(x) <= 1000 and all(type(v) is str for v in x)  # noqa: E731
            if not all(strings(self.loaded[k]) for k in ("errors", "ignored", "tampered")) \
                    or type(self.loaded["missing"]) is not dict or len(self.loaded["missing"]) > 1000 \
                    or not all(type(k) is str and strings(v) for k, v in self.loaded["missing"].items()):
                raise plain.ProtocolError("a malformed 'loaded' message")
            self.loaded = {k: {cap(n): [cap(x) for x in v] for n, v in v.items()} if k == "missing"
                           else [cap(x) for x in v] for k, v in self.loaded.items()}
        except plain.TimedOut:
            self.stop()
            raise CellStopped("timeout", f"loading your code took over {self.limits['load_seconds']:g} s") from None
        except plain.Closed:
            ended = self.stop()
            raise CellStopped("kernel-died", f"the grading process died while loading your code ({ended})") from None
        except plain.ProtocolError:
            self.stop()
            raise CellStopped("tampered", "the result channel was flooded or garbled") from None

    def stop(self) -> str:
        if self.proc is None:
            return ""
        proc, self.proc = self.proc, None
        os.close(self.to_fd)                     # the harness ends when its requests end
        try:
            proc.wait(timeout=0.2)
        except subprocess.TimeoutExpired:
            pass
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        code = proc.wait()
        os.close(self.from_fd)
        if code < 0:
            sig = signal.Signals(-code).name
            extra = {"SIGXCPU": " (CPU time limit)", "SIGKILL": "", "SIGSEGV": " (a crash)"}.get(sig, "")
            return f"killed by {sig}{extra}"
        return f"exit status {code}"

    # -- one call of a student's function ------------------------------------------------------------
    def call(self, name, args, kwargs, deadline, grade_id):
        if self.proc is None:
            raise CellStopped("kernel-died", "the grading process is gone")
        try:
            payload, objs = plain.encode(["call", name, args, kwargs, numpy.random.get_state()])
        except plain.NotPlain as e:
            raise TypeError(f"the test passed a {e} object to {name}") from None
        try:
            plain.send(self.to_fd, payload)
            while True:
                msg, req_objs = plain.decode(plain.receive(self.from_fd, deadline), objs)
                if type(msg) is not list or not msg:
                    raise plain.ProtocolError("not a message")
                if msg[0] == "ref" and len(msg) == 5:
                    self.answer(msg, req_objs)
                    continue
                if msg[0] != "reply" or len(msg) != 6:
                    raise plain.ProtocolError("an unexpected message")
                _, ok, changes, value, state, extra = msg
                if type(extra) is dict and type(extra.get("tampered")) is list:
                    self.tampered += [cap(t) for t in extra["tampered"] if type(t) is str][:20]
                changes = plain.decode_changes(changes)
                if name not in UPDATES_IN_PLACE:
                    # the test keeps its inputs as they were: every value it computes after the call
                    # (a reference, a guard) is computed from what it passed, never from what the
                    # student's function made of it. A random generator it passed still moves.
                    kept = [(i, new) for i, new in changes
                            if isinstance(objs[i] if type(i) is int and 0 <= i < len(objs) else None,
                                          (numpy.random.RandomState, numpy.random.Generator))]
                    if len(kept) < len(changes) and name not in self.changed_inputs:
                        self.changed_inputs.append(name)
                    changes = kept
                plain.apply_changes(objs, changes)
                if state is not None:
                    numpy.random.set_state(state)
                if ok == "ok":
                    return value
                if type(value) is list and len(value) == 4 and value[0] == "TimedOutBefore":
                    error = TimedOutBefore(cap(value[2][0] if value[2] else "timed out earlier"))
                else:
                    error = plain.rebuild(value)
                break
        except plain.TimedOut:
            self.stop()
            self.timed_out[name] = grade_id
            raise CellStopped("timeout", f"{name} ran for more than {self.limits['cell_seconds']:g} s (an endless "
                              f"loop?); it is not run again in later cells") from None
        except (plain.Closed, BrokenPipeError):
            ended = self.stop()
            raise CellStopped("kernel-died", f"the grading process died in this cell ({ended}): out of memory, a "
                              f"crash or exit() in your code") from None
        except (plain.ProtocolError, ValueError, TypeError):
            self.stop()
            raise CellStopped("tampered", "the result channel was flooded or garbled") from None
        raise error

    def answer(self, msg, objs):
        """The sandbox asks for an earlier assignment's function: computed here, with the reference."""
        _, name, args, kwargs, state = msg
        before = plain.fingerprints(objs)
        fn = self.reference.get(name) if type(name) is str else None
        if type(args) is not tuple or type(kwargs) is not dict or not all(type(k) is str for k in kwargs):
            raise plain.ProtocolError("malformed call")
        if state is not None:
            numpy.random.set_state(state)
        try:
            if fn is None:
                raise NameError(f"{name} is not a function of an earlier assignment")
            # on copies: the request may name the test's own arrays (identity references to the call's
            # objects), and a reference that updates in place (update_parameters) must never change them
            args, kwargs = copy.deepcopy((args, kwargs))
            value, ok = fn(*args, **kwargs), "ok"
        except Exception as e:  # noqa: BLE001 (the reference on the student's inputs: any error goes back)
            value, ok = plain.describe(e, where(e)), "err"
        new_state = numpy.random.get_state() if state is not None else None
        moved = state is not None and (not (new_state[1] == state[1]).all() or new_state[2:] != tuple(state[2:]))
        try:
            payload = plain.encode(["reply", ok, plain.changed(objs, before), value, new_state if moved else None,
                                    {}], objs)[0]
        except plain.NotPlain as e:
            payload = plain.encode(["reply", "err", [], ["TypeError", "TypeError", [f"the reference {name} "
                                    f"gave a {e} object"], ""], None, {}], objs)[0]
        plain.send(self.to_fd, payload)


ASSIGNMENT = [""]


def where(e):
    """Where an error happened, by virtual file name: a test line, a reference function, or (from
    the sandbox) the student's function. Never a notebook's path, never a line of test code."""
    a = ASSIGNMENT[0]
    parts, tb = [], e.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        fname, line = code.co_filename, f"line {tb.tb_lineno}"
        if fname.endswith(os.path.join("dnnlib", "checks.py")):   # @checked's wrapper: its input checks
            wrapped = tb.tb_frame.f_locals.get("fn")
            if hasattr(wrapped, "__code__") and wrapped.__code__.co_filename.startswith("<") \
                    and not plain.reaches(tb, wrapped.__code__):       # not its body's own error
                fname, line = wrapped.__code__.co_filename, "its input checks"
        label = None
        if fname.startswith("<reference "):
            ref, _, f = fname.strip("<>")[len("reference "):].partition(":")
            label = f"the reference {f} of {ref}, {line}"
        elif fname.startswith(f"<{a}:test"):
            label = f"test line {tb.tb_lineno}"
        if label and (not parts or parts[-1] != label):
            parts.append(label)
        tb = tb.tb_next
    remote = getattr(e, "_remote", None)
    if remote and remote[1]:
        parts.append(remote[1])
    return " -> ".join(parts)


def message(e, assertion):
    remote = getattr(e, "_remote", None)
    try:
        text = str(e) if not isinstance(e, KeyError) else repr(e.args[0]) if e.args else ""
    except Exception:  # noqa: BLE001 (an int of 5,000 digits has no str: the message is not shown)
        text = "(a message that cannot be shown as text)"
    if assertion:
        return cap(text or f"a check failed ({where(e)})")
    if isinstance(e, NotImplementedError) and not text:
        text = "not written yet (the cell still raises NotImplementedError)"
    place = where(e)
    shown = remote[0] if remote else type(e).__name__
    return cap(shown + (f": {text}" if text else "") + (f" (in {place})" if place else ""))


def main():
    plan = json.loads(sys.stdin.buffer.read())
    os.close(0)
    import resource
    limits = plan["limits"]
    resource.setrlimit(resource.RLIMIT_AS, (limits["memory_bytes"], limits["memory_bytes"]))
    out = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)                       # tests' prints (and numpy's) never reach the frames
    sys.stdout = Sink()
    if not os.environ.get("GRADER_DEBUG"):
        sys.stderr = sys.stdout

    def emit(frame):
        data = (json.dumps(frame) + "\n").encode()
        while data:
            data = data[os.write(out, data):]

    assignment = plan["assignment"]
    ASSIGNMENT[0] = assignment
    # the sandbox loads the student's code while this process loads the course and the references
    timed_out = dict(plan["timed_out"])
    reference = {}
    box = Sandbox(plan, emit, timed_out, reference)
    box.start()
    # -- the course module, the reference answers of the earlier assignments -------------------------
    # source/<assignment>/dnn_utils.py: a file of the instructor's course folder (one per assignment),
    # not a module of this project, so it is loaded from where the course keeps it
    spec = importlib.util.spec_from_file_location("dnn_utils", plan["dnn_utils"])
    dnn_utils = importlib.util.module_from_spec(spec)
    sys.modules["dnn_utils"] = dnn_utils
    spec.loader.exec_module(dnn_utils)
    module = vars(dnn_utils)
    for name in plan["later"]:
        def later(*a, _n=name, **k):
            raise NameError(f"{_n} is written in a later assignment")
        module[name] = later
    for ref in plan["reference"]:
        tree = ast.parse(ref["source"])
        for node in tree.body:
            label = node.name if isinstance(node, (ast.FunctionDef, ast.ClassDef)) else ref["grade_id"]
            exec(compile(ast.Module([node], []), f"<reference {ref['assignment']}:{label}>", "exec"), module)
    reference.update({n: module[n] for n in plan["reference_names"] if callable(module.get(n))})

    current = {"deadline": 0.0, "cell": None}

    def proxy(name):
        def call(*args, **kwargs):
            if name in timed_out:
                raise TimedOutBefore(f"{name} timed out earlier ({timed_out[name]}); it is not run again")
            return box.call(name, args, kwargs, current["deadline"], current["cell"])
        call.__name__ = call.__qualname__ = name
        return call

    for name in plan["current"]:
        module[name] = proxy(name)

    try:
        box.wait_loaded()
    except CellStopped as e:
        emit({"t": "fatal", "status": e.status, "message": e.message})
        emit({"t": "end"})
        os._exit(0)
    emit(dict(box.loaded, t="loaded"))
    if box.loaded["tampered"]:
        box.stop()
        emit({"t": "end"})
        os._exit(0)

    test_ns = dict(module)
    test_ns.update({"np": numpy, "numpy": numpy, "__builtins__": builtins})
    for t in plan["tests"]:
        grade_id = t["grade_id"]
        stmts = [(s["kind"], compile("\n" * (s["line"] - 1) + s["code"], f"<{assignment}:{grade_id}>", "exec"))
                 for s in t["statements"]]
        emit({"t": "begin", "cell": grade_id})
        current.update(deadline=time.monotonic() + limits["cell_seconds"], cell=grade_id)
        box.tampered, box.changed_inputs = [], []
        ns = dict(test_ns)
        ns["grading_rng"] = numpy.random.default_rng(seeds.cell_entropy(plan["seed"], grade_id))
        checks, error, stop, status, stopped = [], None, False, None, False
        for kind, code in stmts:
            if stop:
                checks.append([kind, False, None])
                continue
            try:
                exec(code, ns)
                checks.append([kind, True, None])
            except AssertionError as e:
                if kind == "setup":
                    stop, error = True, message(e, True)
                checks.append([kind, False, message(e, True)])
            except CellStopped as e:
                stop, error, status, stopped = True, cap(e.message), e.status, True
                checks.append([kind, False, error])
            except TimedOutBefore as e:
                stop, error, status = True, cap(str(e)), "timeout"
                checks.append([kind, False, error])
            except BaseException as e:  # noqa: BLE001 (a test statement failed: the cell stops there)
                stop, error = True, message(e, False)
                checks.append([kind, False, error])
        emit({"t": "result", "cell": grade_id, "checks": checks, "error": error, "status": status,
              "tampered": box.tampered, "stopped": stopped, "timed_out": timed_out,
              "changed_inputs": box.changed_inputs})
        if stopped:
            emit({"t": "stopped"})
            os._exit(0)
    box.stop()
    emit({"t": "end"})
    os._exit(0)


if __name__ == "__main__":
    main()
