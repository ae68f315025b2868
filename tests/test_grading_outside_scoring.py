"""Results computed where the student's code never runs (issue 25, items 1 and 6).

The instructor's tests run in the trusted scorer (classroom/grading/scorer.py); the student's
functions run in the sandbox (harness.py) and hand back plain data (plain.py). These tests build
submissions against that design (forged answers on the pipe, objects that claim to be numbers,
numpy changed while a function runs, dnnlib's fast path and the reference answers looked for
inside the sandbox, exceptions built to carry the tests' code into the feedback) and check that
each gets only what its right answers earn; and they test the data format on its own.
"""
from __future__ import annotations

import html
import json
import random
from pathlib import Path

import numpy as np
import pytest

from classroom import simulate_class
from classroom.grading import contract, plain
from tests.helpers import course_copy
from tests.test_grading import _sandbox_or_skip, grade_cmd

A = simulate_class.ASSIGNMENTS
CELL_TIMEOUT = 5.0


# -- the data format, without a sandbox ----------------------------------------------------------

def test_subclasses_of_dict_list_and_tuple_go_as_the_plain_containers():
    """What an honest function may return (an OrderedDict of parameters, a namedtuple) arrives as a
    plain dict or tuple, read with the base classes' methods: a subclass's own methods never run."""
    import collections

    class Loud(dict):
        def items(self):
            raise AssertionError("a subclass's method ran")

    Pair = collections.namedtuple("Pair", "W b")
    value = [collections.OrderedDict(W1=np.ones((2, 2)), b1=np.zeros((2, 1))), Pair(1.0, 2.0),
             collections.defaultdict(list, a=[1]), Loud(x=3)]
    back, _ = plain.decode(plain.encode(value)[0])
    assert [type(v) for v in back] == [dict, tuple, dict, dict]
    assert np.array_equal(back[0]["W1"], np.ones((2, 2))) and back[1] == (1.0, 2.0)
    assert back[2] == {"a": [1]} and back[3] == {"x": 3}


def test_a_message_of_too_many_values_is_refused_before_it_is_built():
    """What the trusted side builds from a message is bounded: millions of empty lists (a few bytes
    each on the wire, about 100 bytes each once built) are refused by the encoder, and a message
    forged past the encoder is refused by the decoder."""
    with pytest.raises(plain.NotPlain, match="more than 200,000 values"):
        plain.encode([[] for _ in range(plain.MAX_VALUES + 1)])
    n = 3 * plain.MAX_VALUES
    forged = b"l" + n.to_bytes(4, "little") + b"l\x00\x00\x00\x00" * n
    with pytest.raises(plain.ProtocolError, match="too many values"):
        plain.decode(forged)


def test_plain_data_round_trips_with_identity_and_generators():
    g = np.random.default_rng(0)
    A_, W = g.standard_normal((3, 2)), g.standard_normal((2, 3))
    value = ((A_, W, [A_, {"x": A_, 1: (2, 3)}]), {"seed": np.random.RandomState(3), "g": np.random.default_rng(5),
                                                   "big": 2 ** 100, "s": "é", "n": np.float32(2.5), "dt": np.float32})
    data, objs = plain.encode(value)
    back, _ = plain.decode(data)
    (a2, w2, rest), kw = back
    assert np.array_equal(a2, A_) and rest[0] is a2 and rest[1]["x"] is a2 and rest[1][1] == (2, 3)
    assert kw["big"] == 2 ** 100 and kw["s"] == "é" and type(kw["n"]) is np.float32 and kw["dt"] is np.float32
    assert np.array_equal(kw["seed"].randn(3), np.random.RandomState(3).randn(3))
    assert kw["g"].random() == np.random.default_rng(5).random()
    a2[0, 0] = 1e9                                    # decoded arrays are writable copies
    assert a2 is not A_ and A_[0, 0] != 1e9


def test_an_answer_refers_to_the_inputs_themselves_and_carries_their_changes():
    """The cache holds the inputs (linear_cache[0] is A_prev); an input changed in place is
    changed on the caller's side too; an entry replaced by a new array is a new object there."""
    A_, P = np.ones((2, 2)), {"W1": np.zeros((1, 2))}
    data, caller_objs = plain.encode(["call", "f", (A_, P), {}, None])
    msg, callee_objs = plain.decode(data)
    _, _, (a2, p2), _, _ = msg
    before = plain.fingerprints(callee_objs)
    a2 *= 3                                           # in place
    old_w = p2["W1"]
    p2["W1"] = old_w - 1                              # replaced
    reply, _ = plain.encode(["reply", "ok", plain.changed(callee_objs, before), (a2, (a2, p2)), None, {}],
                            callee_objs)
    msg, _ = plain.decode(reply, caller_objs)
    plain.apply_changes(caller_objs, plain.decode_changes(msg[2]))
    result = msg[3]
    assert result[0] is A_ and result[1][1] is P and np.array_equal(A_, np.full((2, 2), 3.0))
    assert np.array_equal(P["W1"], -np.ones((1, 2)))


class _Meta(type):
    def __instancecheck__(cls, obj):
        return True


class _ClaimsFloat(metaclass=_Meta):
    __class__ = property(lambda self: float)          # isinstance(x, float) and x.__class__ say float

    def __eq__(self, other):
        return True


class _FloatSub(float):
    def __eq__(self, other):
        return True


class _ArraySub(np.ndarray):
    def __eq__(self, other):
        return np.ones(np.shape(other), bool)


@pytest.mark.parametrize("value", [object(), _ClaimsFloat(), _FloatSub(1.0), {"a": _ClaimsFloat()}, [len],
                                   np.array([object()]), np.array(["text"]), type("K", (), {})],
                         ids=["object", "claims_float", "float_subclass", "dict_of_claims_float", "list_of_builtin",
                              "object_array", "string_array", "class"])
def test_anything_but_plain_data_is_refused(value):
    with pytest.raises(plain.NotPlain):
        plain.encode(value)


def test_an_array_subclass_crosses_as_its_data_only():
    x = np.arange(3.0).view(_ArraySub)
    back, _ = plain.decode(plain.encode(x)[0])
    assert type(back) is np.ndarray and np.array_equal(back, [0.0, 1.0, 2.0])


def test_malformed_bytes_never_make_anything_but_plain_data():
    """Random and mutated messages decode to plain data or fail with ProtocolError, never another
    error or object (a dtype of objects, a huge length, a reference to nothing, a truncation)."""
    rng = random.Random(7)
    good, _ = plain.encode([1, "a", np.arange(4.0), {"k": (None, True, 2 ** 70)}, np.random.RandomState(1)])
    samples = [bytes(rng.getrandbits(8) for _ in range(rng.randrange(1, 60))) for _ in range(300)]
    for i in range(600):
        b = bytearray(good)
        for _ in range(rng.randrange(1, 4)):
            b[rng.randrange(len(b))] = rng.getrandbits(8)
        samples.append(bytes(b if i % 2 else b[:rng.randrange(1, len(b))]))
    samples += [b"a" + (3).to_bytes(4, "little") + b"|O8" + b"\0" * 20, b"R" + (0).to_bytes(4, "little"),
                b"y" + (2 ** 31).to_bytes(4, "little")]
    plain_types = (type(None), bool, int, float, complex, str, bytes, list, tuple, dict, np.ndarray, np.generic,
                   np.random.RandomState, np.random.Generator, np.dtype, type)

    def check(v, depth=0):
        assert isinstance(v, plain_types), type(v)
        if isinstance(v, np.ndarray):
            assert v.dtype != object
        if isinstance(v, type):
            assert v in (int, float, bool, complex, str) or issubclass(v, np.generic)
        if isinstance(v, (list, tuple)):
            for x in v:
                check(x, depth + 1)
        if isinstance(v, dict):
            for k, x in v.items():
                check(k, depth + 1)
                check(x, depth + 1)

    decoded = 0
    for s in samples:
        try:
            v, _ = plain.decode(s)
        except plain.ProtocolError:
            continue
        decoded += 1
        check(v)
    assert decoded > 0                               # some mutations still decode: they were checked


def test_exceptions_cross_as_builtin_types_only():
    class MyError(ValueError):
        pass

    e = plain.rebuild(plain.describe(MyError("bad W1"), "your f, line 3"))
    assert type(e) is ValueError and str(e) == "bad W1" and e._remote == ("MyError", "your f, line 3")
    assert type(plain.rebuild(plain.describe(KeyError("W3")))) is KeyError
    # names that would stop the scorer, or are not exceptions, become a plain remote error
    for name in ("SystemExit", "KeyboardInterrupt", "GeneratorExit", "StopIteration", "print", "object"):
        e = plain.rebuild([name, name, ["x"], ""])
        assert isinstance(e, Exception) and type(e) is plain.RemoteError, name
    with pytest.raises(plain.ProtocolError):
        plain.rebuild(["ValueError", "ValueError", "not a list", ""])


# -- hostile submissions, graded --------------------------------------------------------------------

def _cheat(course, a, head, body):
    return simulate_class.cheat_all(course, a, head, body=body)


def hostile(course: Path) -> dict[str, tuple[str, dict]]:
    """{student: (assignment, notebook)}: submissions built against the design."""
    forge = (
        "import os as _o, struct as _s, json as _j\n"
        "def _frames():\n"
        "    out = []\n"
        "    for v in (0.0, 1.0, 0.5):                     # plain.py's float and message framing\n"
        "        body = b'l' + _s.pack('<I', 6) + b's' + _s.pack('<I', 5) + b'reply' + b's' + _s.pack('<I', 2)\n"
        "        body += b'ok' + b'l' + _s.pack('<I', 0) + b'f' + _s.pack('<d', v) + b'N' + b'd' + _s.pack('<I', 0)\n"
        "        out.append(_s.pack('<I', len(body)) + body)\n"
        "    line = _j.dumps({'t': 'result', 'cell': 'test_compute_cost', 'checks': [['check', True, None]] * 9})\n"
        "    out.append((line + '\\n').encode())\n"
        "    return out\n"
        "def _forge():\n"
        "    for fd in range(0, 64):\n"
        "        for f in _frames():\n"
        "            try:\n"
        "                _o.write(fd, f)\n"
        "            except OSError:\n"
        "                pass\n")
    claims_float = ("class _M(type):\n"
                    "    def __instancecheck__(cls, o): return True\n"
                    "class _F(metaclass=_M):\n"
                    "    __class__ = property(lambda self: float)\n"
                    "    def __eq__(self, o): return True\n"
                    "    def __float__(self): return 0.0\n"
                    "    def __array__(self, *a, **k):\n"
                    "        import numpy\n"
                    "        return numpy.array(0.0)\n")
    patch_numpy = ("import numpy as _np\n"
                   "def _yes(*a, **k):\n"
                   "    return True\n"
                   "def _patched():\n"
                   "    # every comparison numpy offers says True; nothing is put back\n"
                   "    mods = [m for n, m in __import__('sys').modules.items() if n.startswith('numpy.')]\n"
                   "    for mod in [_np] + mods:\n"
                   "        for name in ('allclose', 'isclose', 'array_equal', 'isfinite'):\n"
                   "            if hasattr(mod, name):\n"
                   "                try:\n"
                   "                    setattr(mod, name, _yes)\n"
                   "                except Exception:\n"
                   "                    pass\n")
    probe = ("import sys as _sys, os as _os\n"
             "def _found():\n"
             "    seen = []\n"
             "    try:\n"
             "        from dnnlib.fast import L_layer_model_fast\n"
             "        L_layer_model_fast(_np.zeros((2, 3)), _np.zeros((1, 3)), [2, 1], num_iterations=1)\n"
             "        seen.append('fast ran')\n"
             "    except Exception as e:\n"
             "        seen.append('fast: ' + type(e).__name__)\n"
             "    try:\n"
             "        from dnnlib.training import cost_of\n"
             "        seen.append('cost_of=%r' % cost_of(_np.array([[0.5]]), _np.array([[1]])))\n"
             "    except Exception as e:\n"
             "        seen.append('cost_of: ' + type(e).__name__)\n"
             "    try:\n"
             "        from dnnlib.initialization import initial_parameters\n"
             "        seen.append('init=%r' % sorted(initial_parameters([2, 1], seed=0)))\n"
             "    except Exception as e:\n"
             "        seen.append('init: ' + type(e).__name__)\n"
             "    import dnn_utils as _d\n"
             "    code = [getattr(v, '__code__', None) for v in vars(_d).values()]\n"
             "    refs = [c for c in code if c is not None and 'reference' in c.co_filename]\n"
             "    seen.append('reference code: %d' % len(refs))\n"
             "    names = []\n"
             "    for root, dirs, files in _os.walk('/'):\n"
             "        skip = ('/proc', '/sys', '/dev', '/usr', '/lib', _sys.prefix, _sys.base_prefix)\n"
             "        dirs[:] = [d for d in dirs if not _os.path.join(root, d).startswith(skip)]\n"
             "        names += [f for f in files if f.endswith('.ipynb') or f in ('scorer.py', 'seeds.py')]\n"
             "    seen.append('files: ' + ','.join(sorted(set(names))))\n"
             "    return '; '.join(seen)\n"
             "import numpy as _np\n")
    leak = ("import sys as _sys, traceback as _tb, inspect as _in, gc as _gc\n"
            "def _everything():\n"
            "    parts = []\n"
            "    for how in (lambda: _tb.format_stack(), lambda: [repr(f) for f in _in.stack()],\n"
            "                lambda: [repr(o)[:300] for o in _gc.get_objects() if isinstance(o, (str, dict))][:5000],\n"
            "                lambda: [open('/proc/self/cmdline').read()]):\n"
            "        try:\n"
            "            parts += how()\n"
            "        except BaseException as e:\n"
            "            parts.append(type(e).__name__)\n"
            "    return ' '.join(parts)[-5000:]\n")
    return {
        "forge_answers": ("03_cost", _cheat(course, "03_cost", forge + "_FORGED = _forge()\n",
                                            "_forge()\nreturn 0.5")),
        "claims_float": ("03_cost", _cheat(course, "03_cost", claims_float, "return _F()")),
        "patch_numpy": ("03_cost", _cheat(course, "03_cost", patch_numpy, "_patched()\nreturn 0.0")),
        "probe": ("03_cost", _cheat(course, "03_cost", probe, "raise ValueError(_found())")),
        "probe_05": ("05_update_parameters", _cheat(course, "05_update_parameters", probe,
                                                    "raise ValueError(_found())")),
        "leak_stack": ("02_forward_propagation", _cheat(course, "02_forward_propagation", leak,
                                                        "raise ValueError(_everything())")),
        # values that make the tests' own statements fail (their errors name a test line, no code)
        "odd_values": ("03_cost", _cheat(course, "03_cost", "", "return {'cost': 'x', 'AL': AL.tolist()}")),
        "leak_keyerror": ("02_forward_propagation", _cheat(course, "02_forward_propagation", "",
                                                           "raise KeyError(open(__file__).read()[:3000] "
                                                           "if '__file__' in globals() else NAME.__doc__)")),
        # makes its input what its answer fits: the test's own AL would give cost log 2
        "mutates_inputs": ("03_cost", _cheat(course, "03_cost", "", "AL[...] = 0.5\nreturn 0.6931471805599453")),
        # its own 'loaded' report, written before the harness's, with fields of the wrong content
        "forged_loaded": ("03_cost", _cheat(course, "03_cost",
                                            "import sys as _sys, plain as _plain\n"
                                            "_F = _plain.send(int(_sys.argv[2]), _plain.encode(['loaded', "
                                            "{'errors': [], 'ignored': [], 'missing': {'compute_cost': 5}, "
                                            "'tampered': []}])[0])\n",
                                            "return 0.0")),
        # a message no str() can show (an int of 5,000 digits)
        "huge_int_message": ("03_cost", _cheat(course, "03_cost", "", "raise ValueError(10 ** 5000)")),
        # a message no UTF-8 file takes (a lone surrogate): the run still ends with everyone's results
        "surrogate_message": ("03_cost", _cheat(course, "03_cost", "", "raise ValueError('bad \\ud800 text')")),
    }


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    _sandbox_or_skip()
    course = course_copy(tmp_path_factory, "outside")
    subs = hostile(course)
    subs["right"] = ("03_cost", simulate_class.answered(course, "03_cost"))
    for student, (a, nb) in subs.items():
        folder = course / "submitted" / student / a
        folder.mkdir(parents=True)
        (folder / f"{a}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    results = {}
    for a in sorted({a for a, _ in subs.values()}):
        proc = grade_cmd(course, a, *[x for s, (b, _) in subs.items() if b == a for x in ("--student", s)],
                         "--cell-timeout", str(CELL_TIMEOUT), "--no-gradebook")
        assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    for f in (course / "grades" / "results").glob("*/*.json"):
        r = json.loads(f.read_text())
        results[r["student"]] = r
    return {"course": course, "results": results}


def messages(r):
    return " ".join(m for c in r["cells"].values() for m in c["messages"])


def test_right_answers_still_earn_full_marks(graded):
    r = graded["results"]["right"]
    assert r["score"] == r["max"] == 2, r["cells"]


@pytest.mark.parametrize("student", ["forge_answers", "claims_float", "patch_numpy", "probe", "probe_05",
                                     "leak_stack", "leak_keyerror", "odd_values", "mutates_inputs",
                                     "surrogate_message", "forged_loaded", "huge_int_message"])
def test_a_submission_built_against_the_design_earns_only_its_right_answers(graded, student):
    """None of these computes a right answer, so each earns 0 (not a forged pass)."""
    r = graded["results"][student]
    assert r["score"] == 0, (student, r["cells"])


def test_an_object_that_claims_to_be_a_float_is_refused_by_name(graded):
    assert "_F object" in messages(graded["results"]["claims_float"])


def test_nothing_in_the_sandbox_computes_a_course_function_or_holds_an_answer(graded):
    """dnnlib's fast path, cost_of and initial_parameters only raise in the sandbox; no reference
    code is in the course module; no notebook (not even the student's own: the reader handed over
    its code), no scorer and no seeds file is in its view."""
    for student in ("probe", "probe_05"):
        text = messages(graded["results"][student])
        assert "fast: RuntimeError" in text and "cost_of: RuntimeError" in text and "init: RuntimeError" in text, text
        assert "reference code: 0" in text, text
        files = text.split("files: ", 1)[1].split(" (in ", 1)[0]
        assert files == "", text


def test_feedback_never_shows_hidden_test_code_from_hostile_submissions(graded):
    course = graded["course"]
    for student, r in graded["results"].items():
        asg = contract.load_assignment(course, r["assignment"])
        visible = {line.strip() for t in asg.tests for line in t.visible.splitlines()}
        hidden = {line for t in asg.tests for line in contract.hidden_lines(t.source) if len(line) >= 12} - visible
        assert hidden
        fb = (course / "feedback" / student / r["assignment"] / f"{r['assignment']}.html").read_text()
        text = json.dumps(r) + fb
        leaked = [h for h in hidden if h in text or html.escape(h) in text]
        assert not leaked, (student, leaked[:3])
    # the leak attempts ran: their (own) messages reached the feedback, capped
    text = messages(graded["results"]["leak_stack"])
    assert "ValueError" in text and len(text) < 3 * 1200


def test_a_function_that_changes_its_inputs_is_graded_on_the_inputs_the_test_passed(graded):
    """The test's arrays stay as the test made them (only update_parameters may change what it is
    given), so a reference computed after the call is computed from them; the feedback says so."""
    r = graded["results"]["mutates_inputs"]
    assert r["score"] == 0, r["cells"]
    assert "compute_cost changed an array, list or dict it was given, in place" in messages(r), messages(r)


def test_a_message_no_utf8_file_takes_is_written_with_a_replacement(graded):
    r = graded["results"]["surrogate_message"]
    assert "bad ? text" in messages(r), messages(r)
    feedback = graded["course"] / "feedback" / "surrogate_message" / "03_cost" / "03_cost.html"
    assert "bad ? text" in feedback.read_text(encoding="utf-8")


def test_a_forged_load_report_or_an_unshowable_message_is_that_cells_zero_with_a_reason(graded):
    """Neither stops the grader: the forged report is a garbled channel (tampered), the message that
    has no text is shown as such, never as a crash of the grading process."""
    forged = graded["results"]["forged_loaded"]
    assert {c["status"] for c in forged["cells"].values()} == {"tampered"}, forged["cells"]
    huge = graded["results"]["huge_int_message"]
    assert all(c["status"] != "kernel-died" for c in huge["cells"].values()), huge["cells"]
    assert "ValueError" in messages(huge), messages(huge)
