"""The grading harness: runs INSIDE the sandbox, one process per submission (and per restart).

Standard library, numpy and the course (dnn_utils, dnnlib): the sandbox does not see the
classroom/ package.

    python -E -s harness.py RESULT_FD  < plan.json

It runs from the grading folder that course.prepare_module_dir fills: this file, the student
edition of dnn_utils.py and the course package dnnlib beside it (found as the script's folder).

The plan (read whole from stdin before any student code runs) holds the reference code of
the earlier assignments, the student's solution cells (as code, by grade_id), and the
instructor's test statements. Results go back as frames on RESULT_FD, one line each:
``<nonce> <json>``. The nonce arrives with the plan and never reaches student code;
the parent rejects every line without it, and a second result for a cell is tampering.
Nothing student code can reach (its namespace, the course modules, sys.stdout) holds a
reference to the channel or the nonce: only main()'s locals and the tests' namespace do.

What student code cannot change, because the harness captured it first:
numpy's functions as the tests see them (`np` in a test is a frozen copy), the builtins
the tests use, the assertion and error reporting (this file), and the way results are sent.
What student code must not do is blocked by an audit hook (frame and gc introspection,
ctypes, tracing, new processes, /proc), and any change to numpy's, the builtins' or the
course modules' namespaces is detected after every call and every cell (-> tampered).
"""
import ast
import json
import os
import symtable
import sys
import types

import numpy
import numpy.linalg  # loaded before the snapshot: the tests use them
import numpy.random

MAX_MESSAGE = 1000


def main():
    # one function on purpose: its locals (the result channel, the nonce) are reachable from no
    # module global, and student code cannot inspect frames
    result_fd = int(sys.argv[1])
    import resource
    for arg in sys.argv[2:]:           # RLIMIT_CPU=120 ...: set before any student code, hard limits
        name, _, value = arg.partition("=")
        resource.setrlimit(getattr(resource, name), (int(value), int(value)))
    raw = sys.stdin.buffer.read()
    plan = json.loads(raw)
    del raw
    nonce = plan.pop("nonce").encode()
    os.close(0)
    os.chdir(plan["cwd"])   # dnn_utils and dnnlib sit beside this file (course.prepare_module_dir)

    write, dumps = os.write, json.dumps
    _str, _repr, _type, _isinstance, _len = str, repr, type, isinstance, len
    from types import FunctionType as _FunctionType
    _exec, _compile, _dict, _list, _tuple = exec, compile, dict, list, tuple
    np_ndarray, np_view = numpy.ndarray, numpy.ndarray.view
    np_object = numpy.dtype(object)
    scalar_types = frozenset(t for t in numpy.sctypeDict.values()) | {bool, int, float, complex, str, bytes,
                                                                      _type(None)}

    def send(obj):
        write(result_fd, nonce + b" " + dumps(obj).encode() + b"\n")

    def cap(text):
        text = _str(text)
        data = text.encode("utf-8", "replace")
        if _len(data) > MAX_MESSAGE:
            text = data[:MAX_MESSAGE].decode("utf-8", "ignore") + " [message cut]"
        return text

    # -- student output: kept out of the result channel, counted, capped ------------------
    class Sink:
        def __init__(self):
            self.bytes = 0
            self.head = []

        def write(self, s):
            n = _len(s)
            if self.bytes < 2000:
                self.head.append(_str(s)[:2000])
            self.bytes += n
            return n

        def flush(self):
            pass

        def isatty(self):
            return False

    sink = Sink()
    sys.stdout = sys.stderr = sink

    # -- the course's modules, then the reference code of the earlier assignments ---------
    import dnn_utils
    from dnnlib.student import StudentCodeError, definitions
    module = vars(dnn_utils)
    for name in plan["later"]:
        def later(*a, _n=name, **k):
            raise NameError(f"{_n} is written in a later assignment")
        module[name] = later
    for ref in plan["reference"]:
        tree = ast.parse(ref["source"])
        for node in tree.body:
            label = node.name if _isinstance(node, (ast.FunctionDef, ast.ClassDef)) else ref["grade_id"]
            _exec(_compile(ast.Module([node], []), f"<reference {ref['assignment']}:{label}>", "exec"), module)
    for name in plan["current"]:
        def missing(*a, _n=name, **k):
            raise NameError(f"{_n} is not defined in your notebook's solution cells")
        module[name] = missing
    graded = [n for n in module if n in set(plan["current"]) | set(plan["later"]) | set(plan["reference_names"])]
    extras = [vars(__import__(name)) for name in plan.get("modules", [])]

    def relink():
        """Other course modules that imported the graded names from dnn_utils see the same versions."""
        for d in extras:
            for n in graded:
                if n in d:
                    d[n] = module[n]
    relink()

    # -- what the tests see: frozen numpy, a private copy of the builtins ---------------------
    def frozen(mod, depth=0):
        ns = types.SimpleNamespace(**{k: v for k, v in vars(mod).items() if not k.startswith("__")})
        for sub in ("random", "linalg"):
            if depth == 0 and _isinstance(getattr(mod, sub, None), types.ModuleType):
                setattr(ns, sub, frozen(getattr(mod, sub), 1))
        return ns

    import builtins
    test_builtins = _dict(vars(builtins))
    frozen_np = frozen(numpy)

    # -- the tests' statements, compiled before any student code runs ------------------------
    tests = []
    for t in plan["tests"]:
        stmts = [(s["kind"], _compile("\n" * (s["line"] - 1) + s["code"], f"<{plan['assignment']}:{t['grade_id']}>",
                                      "exec")) for s in t["statements"]]
        tests.append((t["grade_id"], stmts))

    # -- integrity: namespaces student code must leave alone ---------------------------------
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
                    d[k] = v                      # put it back for the next cells
            if n in ("builtins", "dnn_utils"):
                for k in [k for k in d if k not in old and k != "__warningregistry__"]:
                    found.append(f"{n}.{k}")
                    del d[k]
        return found

    violations = []
    trusted = [False]
    blocked_attrs = {"tb_frame", "gi_frame", "cr_frame", "ag_frame", "f_back"}
    blocked_setattrs = {"__code__", "__defaults__", "__kwdefaults__", "__globals__"}
    blocked_imports = {"ctypes", "_ctypes", "cffi", "_cffi_backend"}
    blocked_events = {"sys._getframe", "sys._current_frames", "sys.settrace", "sys.setprofile", "sys.addaudithook",
                      "gc.get_objects", "gc.get_referrers", "gc.get_referents", "os.fork", "os.forkpty", "os.system",
                      "os.posix_spawn", "os.spawn", "os.exec", "subprocess.Popen", "pty.spawn", "socket.__new__"}

    def hook(event, args):
        if trusted[0]:
            return
        first = args[0] if args else None
        second = args[1] if _len(args) > 1 else None
        bad = (event in blocked_events or event.startswith("ctypes.")
               or (event == "object.__getattr__" and second in blocked_attrs)
               or (event == "object.__setattr__" and second in blocked_setattrs)
               or (event == "import" and first in blocked_imports)
               or (event in ("open", "os.listdir", "os.scandir") and _str(first).startswith("/proc")))
        if bad:
            violations.append(event if event != "object.__getattr__" else f"{event} {args[1]}")
            raise RuntimeError(f"blocked by the grader: {event}")

    sys.addaudithook(hook)
    import _thread
    import threading

    def no_threads(*a, **k):
        violations.append("thread")
        raise RuntimeError("blocked by the grader: threads")
    _thread.start_new_thread = no_threads
    threading._start_new_thread = no_threads
    snap = snapshot()

    # -- the student's code: definitions only, each under a short virtual file name --------
    assignment = plan["assignment"]
    student = _dict(module)
    load_errors, ignored = [], []
    for cell in plan["student"]:
        # the one way of splitting a learner's cell (dnnlib/student.py); here statements that
        # do work are skipped, not refused, and each definition is loaded on its own
        try:
            _tree, kept, others = definitions(cell["source"], f"your cell {cell['grade_id']}", allow_calls=True)
        except StudentCodeError as e:
            load_errors.append(cap(_str(e)))
            continue
        ignored += [f"{cell['grade_id']} line {node.lineno}" for node in others]
        for node in kept:
            label = node.name if _isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) \
                else cell["grade_id"]
            try:
                _exec(_compile(ast.Module([node], []), f"<{assignment}:{label}>", "exec"), student)
            except BaseException as e:  # noqa: BLE001 (student code: anything can come out)
                load_errors.append(cap(f"{cell['grade_id']} line {node.lineno}: {_type(e).__name__}: {e}"))
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
                lost = sorted(n for n in names if n not in student and n not in test_builtins)
                if lost:
                    missing[child.get_name()] = lost
    load_tampered = changed(snap) + violations
    del violations[:]

    # -- wrappers: who is running (for timeouts), and results laundered to plain data ------
    timed_out = set(plan["timed_out"])

    class TimedOutBefore(Exception):
        pass

    class NotPlainData(Exception):
        pass

    def launder(fn, x, level=0):
        """Plain data only: exact numbers, strings, arrays, tuples, lists, dicts. Anything else (an
        object whose __eq__ or numpy hooks always say True, a subclass of float or dict, ...) is
        refused: the tests compare what the function computed, nothing it can fake."""
        t = _type(x)
        if level > 32:
            raise NotPlainData(f"{fn} returned data nested more than 32 levels deep")
        if t in scalar_types:
            return x
        if t is np_ndarray:
            if x.dtype != np_object:
                return x
            raise NotPlainData(f"{fn} returned an array of Python objects (dtype=object): expected numbers")
        if _isinstance(x, np_ndarray):            # a subclass: its data, seen as a plain array
            return np_view(x, np_ndarray)
        if t is _tuple or t is _list:
            items = [launder(fn, v, level + 1) for v in x]
            if all(a is b for a, b in zip(items, x)):
                return x
            return t(items)
        if t is _dict:
            out, same = {}, True
            for k, v in _dict.items(x):
                if _type(k) not in scalar_types:
                    raise NotPlainData(f"{fn} returned a dict with a key of type {_type(k).__name__}")
                out[k] = launder(fn, v, level + 1)
                same = same and out[k] is v
            return x if same else out
        raise NotPlainData(f"{fn} returned a {t.__name__} object where numbers, arrays, tuples or dicts "
                           f"were expected")

    def laundered(name, fn):
        # lives only in the tests' namespace, which student code cannot reach; it sends nothing
        def call(*args, **kwargs):
            return launder(name, fn(*args, **kwargs))
        call.__name__ = name
        return call

    def stopped(name):
        # what a function that ran into the time limit before is replaced by, everywhere
        def call(*args, **kwargs):
            raise TimedOutBefore(f"{name} timed out earlier ({plan['timed_out'][name]}); it is not run again")
        return call

    for name in plan["current"]:
        if name in student and callable(student[name]):
            if name in timed_out:
                student[name] = stopped(name)
            module[name] = student[name]                     # the course module's helpers see it too
    relink()
    snap = snapshot()
    test_ns = _dict(module)
    test_ns.update({"np": frozen_np, "numpy": frozen_np, "__builtins__": test_builtins})
    for name in plan["current"]:
        if name in student and callable(student[name]):
            test_ns[name] = laundered(name, student[name])

    send({"t": "loaded", "errors": load_errors, "ignored": ignored, "missing": missing,
          "tampered": load_tampered})

    # -- where an error happened, named by virtual file (never a notebook, never test code) --
    def where(e):
        trusted[0] = True
        try:
            parts, tb = [], e.__traceback__
            while tb is not None:
                fname, line = tb.tb_frame.f_code.co_filename, f"line {tb.tb_lineno}"
                if fname.endswith(os.path.join("dnnlib", "checks.py")) and tb.tb_frame.f_code.co_name == "with_checks":
                    # @checked's wrapper: the error is in the input checks of the function it wraps
                    wrapped = tb.tb_frame.f_locals.get("fn")
                    if _isinstance(wrapped, _FunctionType):
                        fname, line = wrapped.__code__.co_filename, "its input checks"
                if fname.startswith("<") and fname != "<string>":
                    label = fname.strip("<>")
                    if label.startswith("reference "):
                        a, _, f = label[len("reference "):].partition(":")
                        parts.append(f"the reference {f} of {a}, {line}")
                    elif label.startswith(assignment + ":test"):
                        parts.append(f"test line {tb.tb_lineno}")
                    elif label.startswith(assignment + ":"):
                        parts.append(f"your {label.split(':', 1)[1]}, {line}")
                tb = tb.tb_next
            return " -> ".join(parts)
        finally:
            trusted[0] = False

    def message(e, assertion):
        text = _str(e) if not _isinstance(e, KeyError) else _repr(e.args[0]) if e.args else ""
        if assertion:
            return cap(text or f"a check failed ({where(e)})")
        if _isinstance(e, NotImplementedError) and not text:
            text = "not written yet (the cell still raises NotImplementedError)"
        place = where(e)
        return cap(f"{_type(e).__name__}" + (f": {text}" if text else "") + (f" (in {place})" if place else ""))

    # -- the cells ------------------------------------------------------------------------------
    for grade_id, stmts in tests:
        send({"t": "begin", "cell": grade_id})
        ns = _dict(test_ns)
        checks, error, stop, status = [], None, False, None
        before = sink.bytes
        for kind, code in stmts:
            if stop:
                checks.append([kind, False, None])
                continue
            try:
                _exec(code, ns)
                checks.append([kind, True, None])
            except AssertionError as e:
                if kind == "setup":
                    stop, error = True, message(e, True)
                checks.append([kind, False, message(e, True)])
            except TimedOutBefore as e:
                stop, error, status = True, cap(_str(e)), "timeout"
                checks.append([kind, False, error])
            except BaseException as e:  # noqa: BLE001
                stop, error = True, message(e, False)
                checks.append([kind, False, error])
            if violations:
                break
        tampered = changed(snap) + violations
        del violations[:]
        send({"t": "result", "cell": grade_id, "checks": checks, "error": error, "status": status,
              "tampered": tampered, "output_bytes": sink.bytes - before})
    send({"t": "end"})
    os._exit(0)


if __name__ == "__main__":
    if sys.argv[1:] == ["--probe"]:
        print("sandbox-ok", numpy.__version__)
    else:
        main()
