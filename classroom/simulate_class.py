"""A simulated class for the grader: varied submissions, and the time per student.

    python classroom/simulate_class.py [--course DIR] [--students N] [--jobs N]

builds the course (classroom/build.py --release) into DIR unless it is there, writes N
students' submissions (at least one of every kind below, the rest correct or with a seed
post bug), grades the six assignments with classroom/grade.py's engine, and prints the
seconds per student for the whole course.

Kinds of submission (KINDS): correct answers; each of the seed post's bugs; the untouched
release; a draft above the real answer; a helper function (in the solution cell, or outside
it); a partly right answer; a wrong call into a reference function; a result forger; the
cheats (IPython input transformer, wrapped run_cell, reading source/, importing the
project's dnn_utils, always-equal objects, patched np.allclose); a vandal; an endless loop;
a crash (os._exit); 32 GB of memory asked for; a renamed notebook; a deleted and an edited test cell; huge output;
answers that do no work (issue 25, item 5): a constant of the right shape for every function
(CONSTANT), and answers memorised from the visible tests (every call they make, answered from a
table of the reference's results; the constant for any other input); a reader of the course's
seed secret (grades/.seed-secret), which would let it predict the hidden tests' inputs.
"""
from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if __package__:                 # imported as classroom.simulate_class
    from .grading import contract
else:                           # run as a script: classroom/grading/ is beside it
    from grading import contract

ASSIGNMENTS = ["01_initialization", "02_forward_propagation", "03_cost", "04_backward_propagation",
               "05_update_parameters", "06_cat_classifier"]


def _nb(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def answered(course: Path, a: str, edits: dict[str, str] | None = None, replace: dict[str, str] | None = None) -> dict:
    """The release notebook of `a` with the instructor's answers in its solution cells.
    edits: {old: new} text edits of the answers; replace: {grade_id: new cell source}."""
    nb = _nb(course / "release" / a / f"{a}.ipynb")
    answers = contract.load_assignment(course, a).solutions
    done = set()
    for cell in nb["cells"]:
        gid = contract.nbgrader_meta(cell).get("grade_id")
        if contract.nbgrader_meta(cell).get("solution") and gid in answers:
            src = answers[gid]
            for old, new in (edits or {}).items():
                if old in src:
                    src = src.replace(old, new)
                    done.add(old)
            if replace and gid in replace:
                src = replace[gid]
            cell["source"] = src
    missing = set(edits or {}) - done
    if missing:  # the answers changed: this kind of submission would silently be a correct one
        raise ValueError(f"simulate_class: the answers of {a} no longer contain {sorted(missing)}; "
                         f"update this kind of submission")
    return nb


def released(course: Path, a: str) -> dict:
    return _nb(course / "release" / a / f"{a}.ipynb")


def stub_cell(course: Path, a: str, gid: str, body, head: str = "") -> str:
    """The solution cell of `gid` with each function's answer replaced by `body` (indented lines;
    NAME and ARGS in it become the function's name and its parameters passed on), or by
    body[name], taken as it is, when body is a dict {function name: its body}."""
    src = contract.load_assignment(course, a).solutions[gid]
    defs = iter([(n.name, ", ".join(x.arg for x in n.args.args)) for n in contract.parse(src).body
                 if isinstance(n, ast.FunctionDef)])
    out, inside = [], False
    for line in src.splitlines():
        if line.strip() == "### BEGIN SOLUTION":
            inside = True
            name, args = next(defs)
            text = body[name] if isinstance(body, dict) else body.replace("NAME", name).replace("ARGS", args)
            out += ["    " + b for b in text.splitlines()]
        elif line.strip() == "### END SOLUTION":
            inside = False
        elif not inside:
            out.append(line)
    return head + "\n".join(out)


# Each kind: {assignment: function(course) -> notebook or (filename, notebook) or None (no file)}
def kinds(course: Path) -> dict:
    C = str(course)
    P = str(ROOT)
    bug = lambda a, old, new: {a: lambda c: answered(c, a, {old: new})}
    always_true = ("class _Yes:\n"
                   "    def __eq__(self, o): return True\n"
                   "    def __ne__(self, o): return False\n"
                   "    def __bool__(self): return True\n"
                   "    def __float__(self): raise TypeError('no')\n"
                   "    def __array_function__(self, f, t, a, k): return True\n"
                   "    def __array_ufunc__(self, *a, **k): return True\n"
                   "    def __getitem__(self, i): return self\n"
                   "    def __len__(self): return 3\n"
                   "    def __iter__(self): return iter([self, self, self])\n"
                   "    def __lt__(self, o): return True\n"
                   "    def __gt__(self, o): return True\n")
    fake_allclose = ("import numpy as _np, sys as _sys\n"
                     "_real = _np.allclose\n"
                     "def _fake(a, b, *args, **kw):\n"
                     "    try:\n"
                     "        if 'test' in _sys._getframe(1).f_code.co_name: return True\n"
                     "    except Exception: pass\n"
                     "    return True\n"
                     "_np.allclose = _fake\n"
                     "_np.isclose = _fake\n")
    vandal = (f"import glob as _g, os as _o\n"
              f"def _smash():\n"
              f"    for p in [{C!r} + '/gradebook.db'] + _g.glob({C!r} + '/source/*/*') + _g.glob({C!r} + '/submitted/*/*/*.ipynb') + _g.glob('../*/*/*.ipynb') + ['/submission/x.ipynb']:\n"
              f"        try:\n"
              f"            open(p, 'w').write('vandalised')\n"
              f"        except Exception:\n"
              f"            pass\n"
              f"_SMASHED = _smash()\n")
    return {
        "correct": {a: (lambda c, a=a: answered(c, a)) for a in ASSIGNMENTS},
        "untouched": {a: (lambda c, a=a: released(c, a)) for a in ASSIGNMENTS},
        "bug_AW": bug("02_forward_propagation", "Z = W @ A + b", "Z = np.dot(A, W) + b"),
        "bug_A_prev": bug("02_forward_propagation", "AL, cache = linear_activation_forward(A, ",
                          "AL, cache = linear_activation_forward(A_prev, "),
        "bug_Z_lt_0": bug("04_backward_propagation", "dZ = dA * (Z > 0)", "dZ = np.array(dA, copy=True)\n    dZ[Z < 0] = 0"),
        "bug_no_1_over_m": bug("04_backward_propagation", "dW = dZ @ A_prev.T / m", "dW = dZ @ A_prev.T"),
        "partial_fan_in": bug("01_initialization", "/ np.sqrt(layer_dims[l - 1])", "/ np.sqrt(layer_dims[0])"),
        "draft_above": {"02_forward_propagation": lambda c: with_draft(c)},
        "helper": {"01_initialization": lambda c: with_helper(c)},
        "cheat_transformer": {"04_backward_propagation": lambda c: cheat_all(c, "04_backward_propagation",
            "get_ipython().input_transformers_cleanup.append(lambda lines: ['pass\\n'])\n")},
        "cheat_run_cell": {"05_update_parameters": lambda c: cheat_all(c, "05_update_parameters",
            "_ip = get_ipython()\n_orig = _ip.run_cell\n_ip.run_cell = lambda *a, **k: _orig('pass')\n")},
        "cheat_source": {"03_cost": lambda c: cheat_all(c, "03_cost", "", body=(
            "import json, glob\n"
            f"for p in glob.glob('../../source/03_cost/*.ipynb') + glob.glob({C!r} + '/source/03_cost/*.ipynb') + ['/work/main/notebooks/03_cost.ipynb', {P!r} + '/notebooks/03_cost.ipynb']:\n"
            "    try:\n"
            "        nb = json.load(open(p))\n"
            "    except Exception:\n"
            "        continue\n"
            "    for cell in nb['cells']:\n"
            "        if 'def compute_cost' in ''.join(cell['source']):\n"
            "            ns = dict(globals()); exec(''.join(cell['source']), ns)\n"
            "            return ns['compute_cost'](AL, Y)\n"
            "raise NotImplementedError()"))},
        "cheat_editable": {"02_forward_propagation": lambda c: cheat_all(c, "02_forward_propagation", "", body=(
            "import importlib.machinery, importlib.util\n"
            f"for where in [{P!r} + '/dnn_utils.py', '/work/main/dnn_utils.py']:\n"
            "    try:   # the project's real module, read from its file\n"
            "        loader = importlib.machinery.SourceFileLoader('real_dnn_utils', where)\n"
            "        real = importlib.util.module_from_spec(importlib.util.spec_from_loader(loader.name, loader))\n"
            "        loader.exec_module(real)\n"
            "    except Exception:\n"
            "        continue\n"
            "    return real.NAME(ARGS)\n"
            "raise NotImplementedError()"))},
        "cheat_always_true": {"03_cost": lambda c: cheat_all(c, "03_cost", always_true, body="return _Yes()")},
        "cheat_allclose": {"02_forward_propagation": lambda c: cheat_all(c, "02_forward_propagation", fake_allclose,
                                                                          body="return np.zeros((1, 1)), (None, None, None)")},
        "vandal": {"01_initialization": lambda c: cheat_all(c, "01_initialization", vandal, body="_smash()\nreturn {}")},
        "endless_loop": bug("02_forward_propagation", "    Z = W @ A + b", "    while True:\n        pass\n    Z = W @ A + b"),
        "crash": bug("04_backward_propagation", "    Z = cache\n    s, _ = sigmoid(Z)",
                     "    import os; os._exit(3)\n    Z = cache\n    s, _ = sigmoid(Z)"),
        "renamed": {"03_cost": lambda c: ("03_cost-Copy1.ipynb", answered(c, "03_cost"))},
        "deleted_test_cell": {"03_cost": lambda c: drop_test(c, "03_cost")},
        "edited_test_cell": {"03_cost": lambda c: edit_test(c, "03_cost")},
        "huge_output": {"01_initialization": lambda c: with_huge_output(c)},
        "empty_folder": {"05_update_parameters": lambda c: None},
        "forger": {"03_cost": lambda c: cheat_all(c, "03_cost", (
            "import json as _j, os as _o\n"
            "_fake = {'t': 'result', 'cell': 'test_compute_cost', 'checks': [['check', True, None]] * 9,\n"
            "         'error': None, 'status': None, 'tampered': [], 'output_bytes': 0}\n"
            "def _forge():\n"
            "    line = _j.dumps(_fake)\n"
            "    print(line)\n"
            "    for fd in range(1, 40):\n"
            "        for text in (line, '0' * 32 + ' ' + line, _j.dumps({'t': 'end'})):\n"
            "            try:\n"
            "                _o.write(fd, (text + '\\n').encode())\n"
            "            except OSError:\n"
            "                pass\n"
            "_FORGED = _forge()\n"), body="_forge()\nraise NotImplementedError()")},
        "helper_outside": {"01_initialization": lambda c: with_helper(c, inside=False)},
        "wrong_call_to_reference": {"05_update_parameters": lambda c: answered(c, "05_update_parameters", {
            "L_model_forward(X, parameters)": "L_model_forward(X.T, parameters)"})},
        "memory_hog": {"06_cat_classifier": lambda c: cheat_all(c, "06_cat_classifier", "",
                                                                 body="big = np.ones(2 ** 32)\nreturn big")},
        "seed_reader": {"03_cost": lambda c: cheat_all(c, "03_cost", "", body=(
            "for where in [" + repr(C + "/grades/.seed-secret") + ", '../.seed-secret', '../../.seed-secret',\n"
            "              '/grading/../.seed-secret', '/tmp/.seed-secret']:\n"
            "    try:   # the secret the hidden tests' inputs come from: with it, they could be predicted\n"
            "        secret = open(where, 'rb').read()\n"
            "    except OSError:\n"
            "        continue\n"
            "    raise RuntimeError('seed secret read: ' + secret.hex())\n"
            "raise RuntimeError('seed secret not readable')"))},
        "constant": {a: (lambda c, a=a: cheat_all(c, a, "", body=CONSTANT)) for a in ASSIGNMENTS},
        "memorised": {a: (lambda c, a=a: memorised(c, a)) for a in ASSIGNMENTS},
    }


# -- answers that do no work (issue 25, item 5) ---------------------------------------------------------
# A constant of the right shape for every graded function, made consistent where that passes more
# checks (Z = 0 everywhere, so the hidden layers' A = relu(0) = 0 and AL = sigmoid(0) = 0.5).
CONSTANT = {
    "initialize_parameters": (
        "return {f'{k}{l}': np.full((layer_dims[l], layer_dims[l - 1]), 0.01) if k == 'W' else np.zeros((layer_dims[l], 1))\n"
        "        for l in range(1, len(layer_dims)) for k in 'Wb'}"),
    "initialize_parameters_two_layer": (
        "return {'W1': np.full((n_h, n_x), 0.01), 'b1': np.zeros((n_h, 1)), 'W2': np.full((n_y, n_h), 0.01),\n"
        "        'b2': np.zeros((n_y, 1))}"),
    "linear_forward": "return np.zeros((np.shape(W)[0], np.shape(A)[1])), (A, W, b)",
    "linear_activation_forward": (
        "Z = np.zeros((np.shape(W)[0], np.shape(A_prev)[1]))\n"
        "return np.full(Z.shape, 0.5 if activation == 'sigmoid' else 0.0), ((A_prev, W, b), Z)"),
    "L_model_forward": (
        "caches, A = [], X\n"
        "L = len(parameters) // 2\n"
        "for l in range(1, L + 1):\n"
        "    W, b = parameters[f'W{l}'], parameters[f'b{l}']\n"
        "    Z = np.zeros((np.shape(W)[0], np.shape(X)[1]))\n"
        "    caches.append(((A, W, b), Z))\n"
        "    A = np.full(Z.shape, 0.5 if l == L else 0.0)\n"
        "return A, caches"),
    "compute_cost": "return 0.5",
    "sigmoid_backward": "return np.zeros(np.shape(dA))",
    "relu_backward": "return np.zeros(np.shape(dA))",
    "linear_backward": "A_prev, W, b = cache\nreturn np.zeros(np.shape(A_prev)), np.zeros(np.shape(W)), np.zeros(np.shape(b))",
    "linear_activation_backward": (
        "(A_prev, W, b), Z = cache\n"
        "return np.zeros(np.shape(A_prev)), np.zeros(np.shape(W)), np.zeros(np.shape(b))"),
    "L_model_backward": (
        "grads = {}\n"
        "for l, ((A_prev, W, b), Z) in enumerate(caches, start=1):\n"
        "    grads[f'dW{l}'], grads[f'db{l}'] = np.zeros(np.shape(W)), np.zeros(np.shape(b))\n"
        "    if l < len(caches):\n"
        "        grads[f'dA{l}'] = np.zeros(np.shape(Z))\n"
        "return grads"),
    "update_parameters": "return {k: np.zeros(np.shape(v)) for k, v in parameters.items()}",
    "L_layer_model": (
        "parameters = {f'{k}{l}': np.zeros((layers_dims[l], layers_dims[l - 1]) if k == 'W' else (layers_dims[l], 1))\n"
        "              for l in range(1, len(layers_dims)) for k in 'Wb'}\n"
        "return parameters, [0.5] * len(range(0, num_iterations, 100))"),
    "flatten_images": "return np.zeros((int(np.prod(np.shape(images)[1:])), np.shape(images)[0]))",
}

# The memoriser's helpers (in the student's cell): a table of the visible tests' calls, each
# (arguments, result) as plain literals; on a call with other arguments, the constant answer.
MEMO_HELPERS = '''import base64 as _b64
import hashlib as _hashlib

import numpy as _np


def _value(e, args):
    kind = e[0]
    if kind == "nd":
        return _np.frombuffer(_b64.b64decode(e[3]), dtype=e[1]).reshape(e[2]).copy()
    if kind == "stat":      # a large array: only its mean and spread, which is all the visible tests look at
        return _np.random.default_rng(7).standard_normal(e[2]).astype(e[1]) * e[4] + e[3]
    if kind == "npscalar":
        return _np.frombuffer(_b64.b64decode(e[2]), dtype=e[1])[0]
    if kind == "py":
        return e[1]
    if kind in ("list", "tuple"):
        items = [_value(x, args) for x in e[1]]
        return items if kind == "list" else tuple(items)
    if kind == "dict":
        return {k: _value(v, args) for k, v in e[1]}
    if kind == "arg":       # the argument itself (a cache holds the inputs)
        x = args
        for step in e[1]:
            x = x[step]
        return x
    raise ValueError(kind)


def _fits(e, x):
    kind = e[0]
    if kind == "nd":
        return isinstance(x, _np.ndarray) and x.shape == tuple(e[2]) and _np.array_equal(x, _value(e, ()))
    if kind == "digest":
        return (isinstance(x, _np.ndarray) and x.shape == tuple(e[2])
                and _hashlib.sha256(_np.ascontiguousarray(x, dtype=e[1]).tobytes()).hexdigest() == e[3])
    if kind in ("py", "npscalar"):
        return not isinstance(x, (_np.ndarray, list, tuple, dict)) and type(x).__name__ != "RandomState" and x == _value(e, ())
    if kind in ("list", "tuple"):
        return isinstance(x, (list, tuple)) and len(x) == len(e[1]) and all(_fits(a, b) for a, b in zip(e[1], x))
    if kind == "dict":
        return isinstance(x, dict) and sorted(x) == sorted(k for k, _ in e[1]) and all(_fits(v, x[k]) for k, v in e[1])
    if kind == "rs":
        x = getattr(x, "legacy", x)     # @checked hands the function a Generator drawing from the RandomState
        if not isinstance(x, _np.random.RandomState):
            return False
        state = x.get_state()
        return (_b64.b64encode(_np.asarray(state[1], dtype=_np.uint32).tobytes()).decode() == e[1]
                and list(state[2:]) == list(e[2:]))
    return False


def _recall(memo, args):
    for key, out in memo:
        if len(key) == len(args) and all(_fits(k, x) for k, x in zip(key, args)):
            return [_value(out, args)]
    return []
'''
MEMO_LIMIT = 512          # arrays larger than this are memorised by their mean and spread (cells stay small)


class _NotMemorisable(Exception):
    pass


def _memo_encode(x, args=None, snapshot=None, as_key=False):
    """A literal for the memoriser's table. args/snapshot: the call's arguments and {id: (path, bytes)}
    of their arrays before the call, so that a result that IS an unchanged argument refers to it."""
    import base64
    import hashlib

    import numpy as np

    if isinstance(x, np.ndarray):
        if snapshot is not None and id(x) in snapshot and snapshot[id(x)][1] == x.tobytes():
            return ("arg", snapshot[id(x)][0])
        if x.dtype == object:
            raise _NotMemorisable("object array")
        if x.size > MEMO_LIMIT:
            if as_key:
                return ("digest", x.dtype.str, list(x.shape), hashlib.sha256(np.ascontiguousarray(x).tobytes()).hexdigest())
            return ("stat", x.dtype.str, list(x.shape), float(x.mean()), float(x.std()))
        return ("nd", x.dtype.str, list(x.shape), base64.b64encode(np.ascontiguousarray(x).tobytes()).decode())
    if isinstance(x, np.generic):
        return ("npscalar", x.dtype.str, base64.b64encode(x.tobytes()).decode())
    if isinstance(x, np.random.RandomState):
        state = x.get_state()
        return ("rs", base64.b64encode(np.asarray(state[1], dtype=np.uint32).tobytes()).decode(),
                int(state[2]), int(state[3]), float(state[4]))
    if x is None or type(x) in (bool, int, str) or (type(x) is float and np.isfinite(x)):
        return ("py", x)
    if type(x) in (list, tuple):
        return (type(x).__name__, [_memo_encode(v, args, snapshot, as_key) for v in x])
    if type(x) is dict and all(type(k) is str for k in x):
        return ("dict", [(k, _memo_encode(v, args, snapshot, as_key)) for k, v in x.items()])
    raise _NotMemorisable(type(x).__name__)


def _arrays_in(x, path=()):
    """{id: (path, bytes)} of the arrays inside an argument tuple (through lists, tuples, dicts)."""
    import numpy as np

    if isinstance(x, np.ndarray):
        return {id(x): (list(path), x.tobytes())}
    out = {}
    if type(x) in (list, tuple):
        for i, v in enumerate(x):
            out.update(_arrays_in(v, path + (i,)))
    elif type(x) is dict:
        for k, v in x.items():
            out.update(_arrays_in(v, path + (k,)))
    return out


def visible_calls(course: Path, a: str) -> dict[str, list]:
    """{function: [(arguments, result) literals]}: every call the visible tests of `a` make to its
    graded functions, answered by the reference (the project's dnn_utils.py)."""
    import contextlib
    import inspect
    import io

    import numpy as np

    import dnn_utils as ref   # the project's module: the reference (the recorders wrap, never replace, it)
    asg = contract.load_assignment(course, a)
    calls: dict[str, list] = {fn: [] for fn in asg.functions}

    def recorder(name):
        fn = getattr(ref, name)
        signature = inspect.signature(fn)

        def call(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            params = tuple(bound.arguments.values())
            try:
                key, snapshot = _memo_encode(params, as_key=True)[1], _arrays_in(params)
            except _NotMemorisable:
                key = None
            result = fn(*args, **kwargs)
            if key is not None:
                try:
                    calls[name].append((key, _memo_encode(result, params, snapshot)))
                except _NotMemorisable:
                    pass
            return result
        return call

    ns = dict(vars(ref), np=np)
    ns.update({fn: recorder(fn) for fn in asg.functions})
    for t in asg.tests:
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(t.visible, f"<visible tests of {t.grade_id}>", "exec"), ns)
    return calls


def memorised(course: Path, a: str) -> dict:
    """`a` answered from a table of the visible tests' calls (their inputs and the reference's
    results), and a constant of the right shape for any other input: no work at all."""
    calls = visible_calls(course, a)
    params = {n.name: ", ".join(x.arg for x in n.args.args)
              for src in contract.load_assignment(course, a).solutions.values()
              for n in contract.parse(src).body if isinstance(n, ast.FunctionDef)}
    bodies = {fn: (f"hit = _recall({calls[fn]!r}, ({params[fn]},))\nif hit:\n    return hit[0]\n" + CONSTANT[fn])
              for fn in calls}
    nb = cheat_all(course, a, MEMO_HELPERS + "\n\n", body=bodies)
    for cell in nb["cells"]:
        if contract.nbgrader_meta(cell).get("solution") and len(cell["source"]) > 190_000:
            raise ValueError(f"simulate_class: a memorised cell of {a} has {len(cell['source'])} characters")
    return nb


def with_draft(course: Path) -> dict:
    nb = answered(course, "02_forward_propagation")
    i = next(i for i, c in enumerate(nb["cells"]) if contract.nbgrader_meta(c).get("grade_id") == "linear_forward")
    draft = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
             "source": "def linear_forward(A, W, b):\n    return A @ W + b, (A, W, b)   # my first try"}
    nb["cells"].insert(i, draft)
    return nb


def with_helper(course: Path, inside: bool = True) -> dict:
    """A correct 01 that uses its own helper, defined in the solution cell or in a cell of its own."""
    a = "01_initialization"
    src = contract.load_assignment(course, a).solutions["initialize_parameters"]
    old = "/ np.sqrt(layer_dims[l - 1])"
    if old not in src:
        raise ValueError(f"simulate_class: the answer of initialize_parameters no longer contains {old!r}")
    src = src.replace(old, "* _xavier(layer_dims[l - 1])")
    helper = "def _xavier(n_prev):\n    return 1 / np.sqrt(n_prev)\n"
    nb = answered(course, a, replace={"initialize_parameters": src + ("\n\n\n" + helper if inside else "")})
    if not inside:
        nb["cells"].insert(1, {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                               "source": helper})
    return nb


def with_huge_output(course: Path) -> dict:
    """Prints 10^6 lines when called, and hands in a notebook with 10^6 lines of stored output."""
    nb = answered(course, "01_initialization", {"    parameters = {}\n": "    parameters = {}\n    print('x\\n' * 10**6)\n"})
    for c in nb["cells"]:
        if contract.nbgrader_meta(c).get("grade"):
            c["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x\n" * 10 ** 6}]
    return nb


def cheat_all(course: Path, a: str, head: str, body="raise NotImplementedError()") -> dict:
    """Every solution cell of `a`: the cheat's code at the top, functions with `body` (or body[name])."""
    sols = contract.load_assignment(course, a).solutions
    return answered(course, a, replace={gid: stub_cell(course, a, gid, body, head) for gid in sols})


def drop_test(course: Path, a: str) -> dict:
    nb = answered(course, a)
    nb["cells"] = [c for c in nb["cells"] if not contract.nbgrader_meta(c).get("grade")]
    return nb


def edit_test(course: Path, a: str) -> dict:
    nb = answered(course, a, {"m = Y.shape[1]": "m = 1"})           # a wrong answer ...
    for c in nb["cells"]:
        if contract.nbgrader_meta(c).get("grade"):
            c["source"] = "pass  # trust me"                            # ... and its test emptied
    return nb


def write_class(course: Path, students: dict[str, str], base: str = "correct") -> None:
    """students: {student id: kind}. A student hands in the kind's assignments, and `base`'s
    version of the others (base=None: only the kind's assignments)."""
    table = kinds(course)
    for student, kind in students.items():
        work = dict(table[base]) if base else {}
        work.update(table[kind])
        for a, make in work.items():
            folder = course / "submitted" / student / a
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir(parents=True)
            nb = make(course)
            if nb is None:
                continue
            name, nb = nb if isinstance(nb, tuple) else (f"{a}.ipynb", nb)
            (folder / name).write_text(json.dumps(nb), encoding="utf-8")
            shutil.copyfile(course / "release" / a / "dnn_utils.py", folder / "dnn_utils.py")


def class_of(n: int) -> dict[str, str]:
    """n students: one of every kind first, then correct answers and seed-post bugs in turn."""
    names = [k for k in kinds(Path("/")) if k != "correct"]
    fill = ["correct", "bug_AW", "bug_Z_lt_0", "correct", "bug_no_1_over_m", "partial_fan_in", "bug_A_prev"]
    out = {f"s{i:03d}_{k}": k for i, k in enumerate(names)}
    i = len(out)
    while len(out) < n:
        out[f"s{i:03d}_{fill[i % len(fill)]}"] = fill[i % len(fill)]
        i += 1
    return out


def build_course(course: Path) -> None:
    if (course / "release" / ASSIGNMENTS[-1]).is_dir():
        return
    subprocess.run([sys.executable, str(HERE / "build.py"), "--course", str(course), "--release"], check=True,
                   env=dict(os.environ, PYTHONPATH=str(ROOT)))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--course", type=Path, default=Path("/tmp/dnn-simulated-class"))
    p.add_argument("--students", type=int, default=32)
    p.add_argument("--jobs", type=int, default=os.cpu_count())
    args = p.parse_args(argv)
    build_course(args.course)
    shutil.rmtree(args.course / "submitted", ignore_errors=True)
    shutil.rmtree(args.course / "grades", ignore_errors=True)
    students = class_of(args.students)
    write_class(args.course, students)
    import grade
    t0 = time.monotonic()
    grade.main(["all", "--course", str(args.course), "--jobs", str(args.jobs)])
    took = time.monotonic() - t0
    print(f"\n{len(students)} students x {len(ASSIGNMENTS)} assignments in {took:.1f} s with --jobs {args.jobs} "
          f"on {os.cpu_count()} cores: {took / len(students):.2f} s per student for the whole course")
    return 0


if __name__ == "__main__":
    sys.exit(main())
