"""Helpers shared by several test files (imported as `from tests.helpers import ...`).

* error messages: `assert_names` / `raises_naming` / `assert_names_one_of` check the facts a
  message must name (the argument or thing at fault, what was expected, what was found), not
  its wording; `Exact` marks a fact whose case matters;
* `returns`: run a call that used to hang in a thread, with a generous bound;
* small data: a course-schema image set (`make_images`, `write_split`), the shipped pair copied
  without its pair id like the course's original files (`course_pair`, `without_pair_id`), a
  random dataset pair (`random_pair`), PNG and GIF bytes, a random network problem (`random_problem`);
* the dataset commands: `run_module` runs `python -m dnnlib.datasets.<module>` as its console
  command does; `assert_command_writes_nowhere_by_default`.
"""
from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
import threading
import zlib
from pathlib import Path

import h5py
import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------------------
# Error messages: the facts they name
# ---------------------------------------------------------------------------

class Exact(str):
    """A fact matched with its case, where the case is the fact: 'Xavier' found beside 'xavier' expected."""


def _names(message, fact):
    """Whether message names fact: case-insensitively (unless Exact), and a fact that begins or
    ends with a letter, digit or _ not as part of a longer word ("W1" is not named by "W12")."""
    text = str(fact)
    pattern = re.escape(text)
    if re.match(r"\w", text):
        pattern = r"(?<!\w)" + pattern
    if re.search(r"\w$", text):
        pattern += r"(?!\w)"
    return re.search(pattern, message, 0 if isinstance(fact, Exact) else re.IGNORECASE) is not None


def assert_names(error, *facts):
    """Assert that the message of `error` (an exception, a warning, or pytest's ExceptionInfo)
    names every fact.

    A fact is a short piece of text that must appear in str(error), case-insensitively (and not
    inside a longer word: "W1" is not named by "W12"; see Exact for a fact whose case matters): the
    argument or thing at fault, what was expected, what was found (and, where it is the point
    of the message, the likely cause or the way out). The wording around them may change; a
    message that stops naming one of them fails.
    """
    assert facts, "name at least one fact the message must state"
    if isinstance(error, pytest.ExceptionInfo):
        error = error.value
    message = str(error)
    missing = [fact for fact in facts if not _names(message, fact)]
    assert not missing, f"{type(error).__name__} does not name {missing}: {message!r}"


def assert_names_one_of(error, *alternatives):
    """Assert that the message of `error` names every fact of at least one of `alternatives`
    (tuples of facts): for an error that may rightly be reported in more than one way."""
    failures = []
    for facts in alternatives:
        try:
            assert_names(error, *facts)
            return
        except AssertionError as e:
            failures.append(str(e))
    raise AssertionError("; ".join(failures))


@contextlib.contextmanager
def raises_naming(exc, *facts):
    """`pytest.raises(exc)` whose message must also name each of `facts` (see assert_names)."""
    with pytest.raises(exc) as info:
        yield info
    assert_names(info, *facts)


def case_id(exc, facts):
    """A readable test id for an error case: the exception type and the facts."""
    return f"{exc.__name__}: " + " | ".join(map(str, facts))


# ---------------------------------------------------------------------------
# Calls that used to hang
# ---------------------------------------------------------------------------

HANG_BOUND = 60  # seconds: a hang, not a timing; the calls bounded by it return in milliseconds


def returns(call, bound=HANG_BOUND):
    """Run call() in a thread; return its exception (or None). Fails if it does not return."""
    out = {}

    def run():
        try:
            call()
            out["error"] = None
        except BaseException as e:  # noqa: BLE001
            out["error"] = e

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(bound)
    if t.is_alive():
        pytest.fail("the call did not return: it hangs")
    return out["error"]


# ---------------------------------------------------------------------------
# Small data
# ---------------------------------------------------------------------------

def make_images(m, seed):
    """m 64x64x3 uint8 images, noise in [0, 100); label 1 puts a bright square at rows/cols 20..39."""
    rng = np.random.default_rng(seed)
    y = np.arange(m) % 2
    x = rng.integers(0, 100, size=(m, 64, 64, 3), dtype=np.uint8)
    x[y == 1, 20:40, 20:40, :] = 255
    return x, y.astype(np.int64)


def write_split(folder, split, x, y, **extra):
    """folder/{split}_catvnoncat.h5 in the course's schema (a value of None leaves its key out)."""
    with h5py.File(Path(folder) / f"{split}_catvnoncat.h5", "w") as f:
        data = {f"{split}_set_x": x, f"{split}_set_y": y, "list_classes": np.array([b"non-cat", b"cat"]), **extra}
        for k, v in data.items():
            if v is not None:
                f.create_dataset(k, data=v)


COURSE_TRAIN = ROOT / "datasets" / "train_catvnoncat.h5"
COURSE_TEST = ROOT / "datasets" / "test_catvnoncat.h5"


def without_pair_id(path):
    """Remove the pair id from a dataset file: what the course's original files look like."""
    from dnnlib.data import PAIR_ID_ATTR

    with h5py.File(path, "r+") as f:
        if PAIR_ID_ATTR in f.attrs:
            del f.attrs[PAIR_ID_ATTR]
    return path


def course_pair(folder, test_bytes=None):
    """The shipped pair, copied to folder without its pair id (like the course's original files);
    test_bytes, if given, replaces the test file's bytes (e.g. a truncated copy). Returns folder."""
    (folder / "train_catvnoncat.h5").write_bytes(COURSE_TRAIN.read_bytes())
    without_pair_id(folder / "train_catvnoncat.h5")
    if test_bytes is None:
        (folder / "test_catvnoncat.h5").write_bytes(COURSE_TEST.read_bytes())
        without_pair_id(folder / "test_catvnoncat.h5")
    else:
        (folder / "test_catvnoncat.h5").write_bytes(test_bytes)
    return folder


def random_pair(seed, m_train=6, m_test=3):
    """((train_x, train_y), (test_x, test_y)) of random 8x8 pixels, for make_catvnoncat.write_pair."""
    rng = np.random.default_rng(seed)
    return ((rng.integers(0, 256, (m_train, 8, 8, 3), dtype=np.uint8), np.arange(m_train) % 2),
            (rng.integers(0, 256, (m_test, 8, 8, 3), dtype=np.uint8), np.arange(m_test) % 2))


def leftovers(folder):
    """The temporary files (*.tmp) left in folder."""
    return sorted(n for n in os.listdir(folder) if n.endswith(".tmp"))


def png_bytes(size=(70, 70)):
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 40)).save(buf, "PNG")
    return buf.getvalue()


def png_claiming_size(width, height):
    """A valid PNG header (with a correct CRC) that claims width x height pixels."""
    data = bytearray(png_bytes((8, 8)))
    data[16:24] = width.to_bytes(4, "big") + height.to_bytes(4, "big")
    data[29:33] = zlib.crc32(bytes(data[12:29])).to_bytes(4, "big")
    return bytes(data)


def gif_bytes():
    buf = io.BytesIO()
    Image.new("P", (70, 70), 1).save(buf, "GIF")
    return buf.getvalue()


def random_problem(dims, m, seed):
    """(X, Y, parameters) of a random network with He weights and small random biases."""
    import dnn_utils as d

    rng = np.random.default_rng(seed)
    X = rng.standard_normal((dims[0], m))
    Y = (rng.random((1, m)) < 0.5).astype(np.int64)
    params = d.initial_parameters(dims, scale="he", seed=rng)
    for l in range(1, len(dims)):
        params[f"b{l}"] += 0.1 * rng.standard_normal(params[f"b{l}"].shape)
    return X, Y, params


# ---------------------------------------------------------------------------
# The dataset commands
# ---------------------------------------------------------------------------

def run_module(module, *args, **kwargs):
    """`python -m dnnlib.datasets.<module> args`, from the clone's root (as its console command runs it)."""
    return subprocess.run([sys.executable, "-m", f"dnnlib.datasets.{module}", *map(str, args)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, **kwargs)


def assert_command_writes_nowhere_by_default(module, tmp_path):
    """Run from tmp_path without --out, the command stops (exit 2), says --out is required, and
    writes nothing there nor in the shipped datasets/; its help names the folder to pass."""
    shipped = {p.name: p.stat().st_mtime_ns for p in (ROOT / "datasets").iterdir()}
    r = subprocess.run([sys.executable, "-m", f"dnnlib.datasets.{module}"], cwd=tmp_path,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2
    assert_names(r.stderr, "--out", "required")
    assert os.listdir(tmp_path) == []
    assert {p.name: p.stat().st_mtime_ns for p in (ROOT / "datasets").iterdir()} == shipped
    help_text = run_module(module, "--help", check=True).stdout
    assert "--out" in help_text and "datasets" in help_text  # the clone's folder is named, never a default


# ---------------------------------------------------------------------------
# Notebook 06's one choice of trainer
# ---------------------------------------------------------------------------

def with_fast_path(nb):
    """Notebook 06 (exercise or classroom edition) with its one choice set to the fast path:
    the line `FAST = False` becomes `FAST = True`. Every cell still runs: the cell that
    compares the learner's loop with the fast path (101 iterations, same parameters to 1e-10)
    runs whatever FAST says; only the two 2500-iteration trainings take the fast path (with the
    learner's loop they are nearly all of the notebook's time: full 12288-wide products at every
    iteration). The tests that keep FAST = False are marked slow (`pytest -m slow`)."""
    switches = [(cell, i) for cell in nb.cells if cell.cell_type == "code"
                for i, line in enumerate(cell.source.split("\n")) if line.strip() == "FAST = False"]
    assert len(switches) == 1, f"expected one line `FAST = False` in notebook 06, found {len(switches)}"
    cell, i = switches[0]
    lines = cell.source.split("\n")
    lines[i] = lines[i].replace("False", "True")
    cell.source = "\n".join(lines)
    return nb


# The classroom edition's points per test cell (classroom/hidden/), as the README's table gives them.
POINTS = {
    "01_initialization": {"test_initialize_parameters": 2, "test_initialize_parameters_two_layer": 1},
    "02_forward_propagation": {"test_linear_forward": 2, "test_linear_activation_forward": 2,
                               "test_L_model_forward": 3},
    "03_cost": {"test_compute_cost": 2},
    "04_backward_propagation": {"test_sigmoid_backward": 2, "test_linear_backward": 3,
                                "test_linear_activation_backward": 2, "test_L_model_backward": 3},
    "05_update_parameters": {"test_update_parameters": 2, "test_L_layer_model": 3},
    "06_cat_classifier": {"test_flatten_images": 2},
}


def generate_assignments(course: Path, names) -> None:
    """`nbgrader generate_assignment NAME --force --create` for each name, in the course folder (which
    holds nbgrader_config.py). nbgrader runs `alembic` from the environment's bin/, so it goes on PATH.

    A new gradebook is stamped with the head of nbgrader's database migrations, which nbgrader asks
    a process of its own for (`alembic heads`: about 3 CPU-s, most of it importing nbgrader again).
    Here the same answer is read in this process, from the same migration scripts."""
    import warnings
    from unittest import mock

    from alembic.script import ScriptDirectory
    from nbgrader import api as nbgrader_api
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.dbutil import ALEMBIC_DIR
    from traitlets.config.loader import PyFileConfigLoader

    (head,) = ScriptDirectory(ALEMBIC_DIR).get_heads()

    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    config.CourseDirectory.root = str(course)
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    old = os.environ.get("PATH", "")
    os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + old
    try:
        with warnings.catch_warnings(), mock.patch.object(nbgrader_api, "get_alembic_version", return_value=head):
            warnings.simplefilter("ignore")
            for name in names:
                r = api.generate_assignment(name, force=True, create=True)
                assert r["success"], r.get("log", "")[-3000:]
    finally:
        os.environ["PATH"] = old


def built_once(tmp_path_factory, name: str, build, dest: Path) -> Path:
    """A copy at `dest` of the folder `build(folder)` makes, built once a test session.

    Every xdist worker shares one build, in the session's base temporary folder: the first to ask
    builds it (into `<name>.partial`, renamed when whole) while a file lock holds the others back.
    The built folder must not record its own path (a course folder does not). `dest` is a copy:
    a test may change it as it likes."""
    import fcntl

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent                      # the session's folder, above each worker's
    done = base / f"built-{name}"
    with open(base / f"built-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.is_dir():
            partial = base / f"built-{name}.partial"
            shutil.rmtree(partial, ignore_errors=True)
            build(partial)
            partial.rename(done)
    shutil.copytree(done, dest, symlinks=True)
    return dest


def make_course(path: Path) -> Path:
    """The classroom course folder: built from the series (classroom/build.py), with nbgrader's
    config, and every assignment generated (its release and its gradebook)."""
    from classroom import build

    build.build(path)
    shutil.copyfile(ROOT / "classroom" / "nbgrader_config.py", path / "nbgrader_config.py")
    generate_assignments(path, build.ASSIGNMENTS)
    return path


def course_copy(tmp_path_factory, name: str) -> Path:
    """A fresh copy of the classroom course folder (make_course), at <a new temporary folder>/course."""
    return built_once(tmp_path_factory, "course", make_course, tmp_path_factory.mktemp(name) / "course")
