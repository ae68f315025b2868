"""The grading harness: runs INSIDE the sandbox, one process per submission (and per restart).

Standard library, numpy and the course's student module (dnn_utils, and the parts of dnnlib
that compute no course function); the sandbox does not see the classroom/ package, the tests,
the reference answers or the scorer.

    python -E -s harness.py IN_FD OUT_FD [RLIMIT_...=N ...]  < plan.json

It only computes: it loads the student's functions, then answers calls from the trusted scorer
(scorer.py, outside the sandbox), which runs the instructor's tests: "run linear_forward on these
arrays". Requests and answers are plain data (plain.py): numbers, strings, arrays, lists, tuples
and dicts, never code or objects. Where a student's function calls a function of an earlier
assignment (05's L_layer_model calls L_model_forward), this harness asks the scorer, which
computes it with the reference: no reference answer is here.

So nothing here decides a score: the scorer evaluates every check on what the student's functions
returned, and nothing here is secret (no test, no reference answer, no key). The in-process
defences of the earlier design (an audit hook against frame and gc introspection, ctypes and
tracing; blocked threads; a secret framing the results) guarded things that are no longer here,
and are gone. What is still watched: a change to numpy's, the builtins' or the course module's
namespaces is reported as *tampered* (0 for the cell), which can only cost the student points.
"""
import ast
import json
import os
import symtable
import sys

import numpy
import numpy.linalg  # noqa: F401 (loaded before the snapshot)
import numpy.random

import plain


def main():
    in_fd, out_fd = int(sys.argv[1]), int(sys.argv[2])
    import resource
    for arg in sys.argv[3:]:           # RLIMIT_CPU=120 ...: set before any student code, hard limits
        name, _, value = arg.partition("=")
        resource.setrlimit(getattr(resource, name), (int(value), int(value)))
    plan = json.loads(sys.stdin.buffer.read())
    os.close(0)
    os.chdir(plan["cwd"])   # dnn_utils and dnnlib sit beside this file (course.prepare_module_dir)

    _str, _type, _isinstance, _len, _dict = str, type, isinstance, len, dict
    _exec, _compile = exec, compile
    encode, decode, send, receive = plain.encode, plain.decode, plain.send, plain.receive
    get_state, set_state = numpy.random.get_state, numpy.random.set_state

    # -- student output: counted and dropped ---------------------------------------------
    class Sink:
        def __init__(self):
            self.bytes = 0

        def write(self, s):
            self.bytes += _len(s)
            return _len(s)

        def flush(self):
            pass

        def isatty(self):
            return False

    sink = Sink()
    sys.stdout = sys.stderr = sink

    # -- the course module: earlier assignments' functions are asked of the scorer -----------
    import dnn_utils
    from dnnlib.student import StudentCodeError, definitions
    module = vars(dnn_utils)
    assignment = plan["assignment"]

    class TimedOutBefore(Exception):
        pass

    def remote(name, args, kwargs):
        """An earlier assignment's function, computed by the scorer with the reference."""
        try:
            # no global random state: the reference functions never draw from it
            payload, objs = encode(["ref", name, args, kwargs, None])
        except plain.NotPlain as e:
            raise TypeError(f"{name} was given a {e} object: it takes numbers, arrays, lists and dicts") from None
        send(out_fd, payload)
        return wait_reply(objs)

    def wait_reply(objs):
        while True:
            msg, req_objs = decode(receive(in_fd), objs)
            if msg[0] == "call":
                serve(msg, req_objs)
                continue
            if msg[0] != "reply":
                raise plain.ProtocolError(f"expected a reply, got {msg[0]!r}")
            _, ok, changes, value, state, _extra = msg
            plain.apply_changes(objs, plain.decode_changes(changes))
            if state is not None:
                set_state(state)
            if ok != "ok":
                raise plain.rebuild(value)
            return value

    def proxy(name):
        def call(*args, **kwargs):
            return remote(name, args, kwargs)
        call.__name__ = call.__qualname__ = name
        return call

    for name in plan["later"]:
        def later(*a, _n=name, **k):
            raise NameError(f"{_n} is written in a later assignment")
        module[name] = later
    for name in plan["earlier"]:
        module[name] = proxy(name)
    for name in plan["current"]:
        def missing(*a, _n=name, **k):
            raise NameError(f"{_n} is not defined in your notebook's solution cells")
        module[name] = missing
    graded = [n for n in module if n in set(plan["current"]) | set(plan["later"]) | set(plan["earlier"])]
    extras = [vars(__import__(name)) for name in plan.get("modules", [])]

    def relink():
        """Other course modules that imported the graded names from dnn_utils see the same versions."""
        for d in extras:
            for n in graded:
                if n in d:
                    d[n] = module[n]
    relink()
    import builtins
    builtin_names = _dict(vars(builtins))

    # -- integrity: namespaces student code should leave alone (a change only costs points) ----
    watched_names = [n for n in sys.modules
                     if n == "numpy" or n.startswith("numpy.") or n in ("builtins", "math", "json", "dnnlib.checks")
                     or n in plan.get("modules", [])]
    watched = [(n, vars(sys.modules[n])) for n in watched_names if hasattr(sys.modules[n], "__dict__")]

    def snapshot():
        return [(n, d, _dict(d)) for n, d in watched] + [("dnn_utils", module, _dict(module))]

    def changed(snap):
        found = []
        for n, d, old in snap:
            for k, v in old.items():
                if k == "__warningregistry__":
                    continue
                if k not in d or d[k] is not v:
                    found.append(f"{n}.{k}")
                    d[k] = v                      # put it back for the next calls
            if n in ("builtins", "dnn_utils"):
                for k in [k for k in d if k not in old and k != "__warningregistry__"]:
                    found.append(f"{n}.{k}")
                    del d[k]
        return found

    snap = snapshot()

    # -- the student's code: definitions only, each under a short virtual file name --------
    student = _dict(module)
    load_errors, ignored = [], []
    for cell in plan["student"]:
        # the one way of splitting a learner's cell (dnnlib/student.py); here statements that
        # do work are skipped, not refused, and each definition is loaded on its own
        try:
            _tree, kept, others = definitions(cell["source"], f"your cell {cell['grade_id']}", allow_calls=True)
        except StudentCodeError as e:
            load_errors.append(plain.cap(e))
            continue
        ignored += [f"{cell['grade_id']} line {node.lineno}" for node in others]
        for node in kept:
            label = node.name if _isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) \
                else cell["grade_id"]
            try:
                _exec(_compile(ast.Module([node], []), f"<{assignment}:{label}>", "exec"), student)
            except BaseException as e:  # noqa: BLE001 (student code: anything can come out)
                load_errors.append(plain.cap(f"{cell['grade_id']} line {node.lineno}: {_type(e).__name__}: {e}"))
    missing = {}
    for cell in plan["student"]:
        try:
            table = symtable.symtable(cell["source"], "<cell>", "exec")
        except SyntaxError:
            continue
        for child in table.get_children():
            if child.get_type() == "function" and child.get_name() in plan["current"]:
                names, todo = set(), [child]
                while todo:
                    t = todo.pop()
                    names |= set(t.get_globals()) if t.get_type() == "function" else set()
                    todo += t.get_children()
                lost = sorted(n for n in names if n not in student and n not in builtin_names)
                if lost:
                    missing[child.get_name()] = lost
    load_tampered = changed(snap)

    def stopped(name):
        # what a function that ran into the time limit before is replaced by, everywhere
        def call(*args, **kwargs):
            raise TimedOutBefore(f"{name} timed out earlier ({plan['timed_out'][name]}); it is not run again")
        return call

    targets = {}
    for name in plan["current"]:
        if name in student and callable(student[name]):
            if name in plan["timed_out"]:
                student[name] = stopped(name)
            module[name] = student[name]                     # the course module's helpers see it too
        targets[name] = module[name]
    relink()
    snap = snapshot()

    # -- where an error happened, named by virtual file (never a notebook) ----------------------
    def where(e):
        parts, tb = [], e.__traceback__
        while tb is not None:
            fname, line = tb.tb_frame.f_code.co_filename, f"line {tb.tb_lineno}"
            if fname.endswith(os.path.join("dnnlib", "checks.py")):   # @checked's wrapper: its input checks
                wrapped = tb.tb_frame.f_locals.get("fn")
                if hasattr(wrapped, "__code__") and wrapped.__code__.co_filename.startswith("<") \
                        and not plain.reaches(tb, wrapped.__code__):       # not its body's own error
                    fname, line = wrapped.__code__.co_filename, "its input checks"
            if fname.startswith("<" + assignment + ":"):
                label = f"your {fname.strip('<>').split(':', 1)[1]}, {line}"
                if not parts or parts[-1] != label:
                    parts.append(label)
            tb = tb.tb_next
        remote_where = getattr(e, "_remote", ("", ""))[1]
        if remote_where:
            parts.append(remote_where)
        return " -> ".join(parts)

    # -- answering the scorer's calls --------------------------------------------------------------
    def serve(msg, objs):
        _, name, args, kwargs, state = msg
        before = plain.fingerprints(objs)
        if state is not None:
            set_state(state)
        target = targets.get(name)
        try:
            if target is None:
                raise NameError(f"{name} is not a function of {assignment}")
            value, ok = target(*args, **kwargs), "ok"
        except TimedOutBefore as e:
            value, ok = ["TimedOutBefore", "TimedOutBefore", [_str(e)], ""], "err"
        except BaseException as e:  # noqa: BLE001 (student code: anything can come out)
            value, ok = plain.describe(e, where(e)), "err"
        new_state = get_state() if state is not None else None
        moved = state is not None and (not (new_state[1] == state[1]).all() or new_state[2:] != tuple(state[2:]))
        tampered = changed(snap)
        extra = {"tampered": tampered, "output_bytes": sink.bytes}
        try:
            changes = plain.changed(objs, before)
            payload = encode(["reply", ok, changes, value, new_state if moved else None, extra], objs)[0]
        except plain.NotPlain as e:
            text = (f"{name} returned a {e} object where numbers, arrays, tuples or dicts were expected"
                    if ok == "ok" else f"{name} put a {e} object into its arguments")
            payload = encode(["reply", "err", [], ["TypeError", "TypeError", [text], ""], None, extra], objs)[0]
        send(out_fd, payload)

    send(out_fd, encode(["loaded", {"errors": load_errors, "ignored": ignored, "missing": missing,
                                    "tampered": load_tampered}])[0])
    while True:
        try:
            data = receive(in_fd)
        except plain.Closed:
            break
        msg, objs = decode(data)
        if msg[0] != "call":
            raise plain.ProtocolError(f"expected a call, got {msg[0]!r}")
        serve(msg, objs)
    os._exit(0)


if __name__ == "__main__":
    if sys.argv[1:] == ["--probe"]:
        print("sandbox-ok", numpy.__version__)
    else:
        err = os.dup(2)
        try:
            main()
        except BaseException as e:     # the harness's own failure: on stderr (shown with GRADER_DEBUG=1)
            os.write(err, f"harness: {type(e).__name__}: {e}\n".encode())
            os._exit(1)
