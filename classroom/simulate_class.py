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
a crash (os._exit); 32 GB of memory asked for; a renamed notebook; a deleted and an edited test cell; huge output.
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


def stub_cell(course: Path, a: str, gid: str, body: str, head: str = "") -> str:
    """The solution cell of `gid` with each function's answer replaced by `body` (indented lines;
    NAME and ARGS in it become the function's name and its parameters passed on)."""
    src = contract.load_assignment(course, a).solutions[gid]
    defs = iter([(n.name, ", ".join(x.arg for x in n.args.args)) for n in contract.parse(src).body
                 if isinstance(n, ast.FunctionDef)])
    out, inside = [], False
    for line in src.splitlines():
        if line.strip() == "### BEGIN SOLUTION":
            inside = True
            name, args = next(defs)
            out += ["    " + b.replace("NAME", name).replace("ARGS", args) for b in body.splitlines()]
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
    }


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


def cheat_all(course: Path, a: str, head: str, body: str = "raise NotImplementedError()") -> dict:
    """Every solution cell of `a`: the cheat's code at the top, functions with `body`."""
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
