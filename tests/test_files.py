"""dnnlib.files: save_parameters / load_parameters, and the atomic writes behind them and behind
the dataset writers (make_catvnoncat.write_pair).

* parameters round-trip with their dtypes; a damaged, foreign or special file is a clear error
  naming the file, what was expected and what was found;
* files are complete or absent: a failed or killed write leaves the old file and no temporary
  file, and the next run removes the temporary files of dead runs (not those of live ones);
  writers killed (SIGKILL) at several moments are the slow tier (`pytest -m slow`);
* saved files respect the umask; a full disk is a clear error (OSError ENOSPC), in the
  functions and in the generator command.
"""
import errno
import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

import dnn_utils as d
from dnnlib.datasets import make_catvnoncat as gen
from tests.helpers import ROOT, assert_names, leftovers, raises_naming, random_pair

# ---------------------------------------------------------------------------
# save_parameters / load_parameters
# ---------------------------------------------------------------------------


def test_save_load_round_trip(tmp_path):
    params = d.initialize_parameters([5, 4, 1], seed=0)
    params["W2"] = params["W2"].astype(np.float32)
    path = tmp_path / "model.npz"
    d.save_parameters(params, path)
    loaded = d.load_parameters(path)
    assert sorted(loaded) == sorted(params)
    for k in params:
        assert loaded[k].dtype == params[k].dtype
        np.testing.assert_array_equal(loaded[k], params[k])
    d.save_parameters(params, str(tmp_path / "no_suffix"))  # the exact name is kept
    assert sorted(os.listdir(tmp_path)) == ["model.npz", "no_suffix"]  # no temporary file left


@pytest.mark.parametrize("existing", [False, True])
def test_save_is_atomic(tmp_path, monkeypatch, existing):
    path = tmp_path / "model.npz"
    if existing:
        path.write_bytes(b"old contents")

    def failing_savez(file, **arrays):
        file.write(b"PK\x03\x04 half an archive")
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", failing_savez)
    with raises_naming(OSError, "disk full"):  # the error of the failed write comes through
        d.save_parameters(d.initialize_parameters([3, 1], seed=0), path)
    assert os.listdir(tmp_path) == (["model.npz"] if existing else [])
    if existing:
        assert path.read_bytes() == b"old contents"


def test_load_parameters_errors(tmp_path):
    with raises_naming(FileNotFoundError, "parameter file", "not found", "missing.npz"):
        d.load_parameters(tmp_path / "missing.npz")
    with raises_naming(FileNotFoundError, "folder", "not found", "nodir"):
        d.save_parameters(d.initialize_parameters([3, 1], seed=0), tmp_path / "nodir" / "m.npz")
    np.savez(tmp_path / "pickled.npz", W1=np.array([{"a": 1}], dtype=object), b1=np.zeros((1, 1)))
    with raises_naming(ValueError, "pickled.npz", ".npz", "plain arrays", "Object arrays"):
        d.load_parameters(tmp_path / "pickled.npz")
    (tmp_path / "text.npz").write_text("W1 = 1")
    with raises_naming(ValueError, "text.npz", ".npz archive", "zip", "W1 = 1"):
        d.load_parameters(tmp_path / "text.npz")
    np.save(tmp_path / "single.npy", np.zeros((2, 2)))
    with raises_naming(ValueError, "single.npy", "single .npy array", ".npz archive"):
        d.load_parameters(tmp_path / "single.npy")
    (tmp_path / "cut.npz").write_bytes((tmp_path / "pickled.npz").read_bytes()[:30])
    with raises_naming(ValueError, "cut.npz", "readable", ".npz"):
        d.load_parameters(tmp_path / "cut.npz")
    np.savez(tmp_path / "partial.npz", W1=np.zeros((2, 3)))
    with raises_naming(ValueError, "parameters", "missing", "['b1']"):
        d.load_parameters(tmp_path / "partial.npz")


def test_load_parameters_of_special_files(tmp_path):
    P = d.initialize_parameters([4, 3, 1], seed=0)
    os.mkfifo(tmp_path / "pipe.npz")
    with raises_naming(ValueError, "pipe.npz", "FIFO", "named pipe", "parameter file"):
        d.load_parameters(tmp_path / "pipe.npz")
    (tmp_path / "dir.npz").mkdir()
    with raises_naming(IsADirectoryError, "dir.npz", "folder"):
        d.load_parameters(tmp_path / "dir.npz")
    with raises_naming(IsADirectoryError, "dir.npz", "folder", "file name"):
        d.save_parameters(P, tmp_path / "dir.npz")


def test_save_parameters_refuses_nan():
    P = d.initialize_parameters([4, 3, 1], seed=0)
    with raises_naming(ValueError, "W1", "NaN"):
        d.save_parameters({**P, "W1": np.full((3, 4), np.nan)}, "/tmp/never.npz")


# ---------------------------------------------------------------------------
# Permissions, leftovers
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_saved_files_respect_the_umask(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        d.save_parameters(d.initialize_parameters([3, 1], seed=0), tmp_path / "m.npz")
        gen.write_pair(tmp_path, *random_pair(1))
    finally:
        os.umask(old)
    for name in ("m.npz", "train_catvnoncat.h5", "test_catvnoncat.h5"):
        assert (tmp_path / name).stat().st_mode & 0o777 == mode, name


def dead_pid():
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_leftovers_of_dead_runs_are_removed_live_ones_kept(tmp_path):
    target = tmp_path / "m.npz"
    dead = tmp_path / f".m.npz.{dead_pid()}-00ff00ff.tmp"
    live = tmp_path / f".m.npz.{os.getppid()}-00ff00ff.tmp"  # the parent (pytest's launcher) is alive
    other = tmp_path / ".notes.tmp"
    for p in (dead, live, other):
        p.write_bytes(b"x" * 100)
    d.save_parameters(d.initialize_parameters([3, 1], seed=0), target)
    assert not dead.exists() and live.exists() and other.exists()


def test_failed_save_leaves_old_file_and_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "m.npz"
    d.save_parameters(d.initialize_parameters([3, 1], seed=0), target)
    before = target.read_bytes()

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    # what ran out, for which file, and that nothing was replaced
    with raises_naming(OSError, "disk space", "parameters", "m.npz", "nothing was replaced") as e:
        d.save_parameters(d.initialize_parameters([3, 2, 1], seed=1), target)
    assert e.value.errno == errno.ENOSPC
    assert target.read_bytes() == before and leftovers(tmp_path) == []


# ---------------------------------------------------------------------------
# A real full disk
# ---------------------------------------------------------------------------

@pytest.fixture
def tiny_disk(tmp_path):
    mnt = tmp_path / "disk"
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mnt)], capture_output=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (needs root): {r.stderr.decode().strip()}")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_full_disk_dataset_is_a_clear_error_and_old_pair_stays(tiny_disk):
    gen.write_pair(tiny_disk, *random_pair(1))
    before = {n: (tiny_disk / n).read_bytes() for n in os.listdir(tiny_disk)}
    big = random_pair(2, m_train=150, m_test=40)  # random pixels do not compress: ~230 KB
    big = ((np.random.default_rng(5).integers(0, 256, (150, 24, 24, 3), dtype=np.uint8), big[0][1]), big[1])
    with raises_naming(OSError, "disk space", "dataset pair") as e:
        gen.write_pair(tiny_disk, *big)
    assert e.value.errno == errno.ENOSPC
    assert {n: (tiny_disk / n).read_bytes() for n in os.listdir(tiny_disk)} == before
    d.load_data(tiny_disk)


def test_full_disk_generator_command_exits_cleanly(tiny_disk):
    (tiny_disk / "filler").write_bytes(b"\0" * 200_000)
    r = subprocess.run([sys.executable, "-m", "dnnlib.datasets.make_catvnoncat", "--n-train", "30",
                        "--n-test", "6", "--out", str(tiny_disk)], cwd=ROOT, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 1 and r.returncode != -signal.SIGSEGV
    assert_names(r.stderr, "disk space")
    assert "Traceback" not in r.stderr
    assert sorted(os.listdir(tiny_disk)) == ["filler"]


def test_full_disk_save_parameters(tiny_disk):
    params = {"W1": np.random.default_rng(0).standard_normal((200, 200)), "b1": np.zeros((200, 1))}
    with raises_naming(OSError, "disk space", "m.npz"):
        d.save_parameters(params, tiny_disk / "m.npz")
    assert os.listdir(tiny_disk) == []


# ---------------------------------------------------------------------------
# SIGKILL during a write
# ---------------------------------------------------------------------------

# run with `python -c` from the clone's root (cwd=ROOT), which puts the root first on sys.path
WRITER = textwrap.dedent("""
    import numpy as np
    from dnnlib.datasets import make_catvnoncat as g
    import dnn_utils as d
    rng = np.random.default_rng(0)
    big = lambda m: rng.integers(0, 256, (m, 32, 32, 3), dtype=np.uint8)
    print("ready", flush=True)
    i = 0
    while True:
        i += 1
        if {what!r} == "dataset":
            g.write_pair({out!r}, (big(60), np.arange(60) % 2), (big(20), np.arange(20) % 2))
        else:
            d.save_parameters({{"W1": rng.standard_normal((300, 300)), "b1": np.full((300, 1), float(i))}},
                              {out!r} + "/m.npz")
""")


@pytest.mark.slow  # ten writer processes killed; by default the failed writes above are injected in-process
@pytest.mark.parametrize("what", ["dataset", "parameters"])
def test_sigkill_during_writes_never_leaves_a_usable_mixed_result(tmp_path, what):
    outcomes = set()
    for delay in (0.0, 0.05, 0.13, 0.29, 0.47):  # several moments of the write loop
        code = WRITER.format(what=what, out=str(tmp_path))
        p = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE)
        assert p.stdout.readline().strip() == b"ready"
        time.sleep(delay)
        p.send_signal(signal.SIGKILL)
        p.wait()
        if what == "dataset":
            try:
                tx, ty, vx, vy, _ = d.load_data(tmp_path)
                outcomes.add("complete pair")
                # the killed run's pair, or the previous round's: never one file of each
                assert (tx.shape, vx.shape) in {((60, 32, 32, 3), (20, 32, 32, 3)),
                                                ((6, 8, 8, 3), (3, 8, 8, 3))}
            except FileNotFoundError:
                outcomes.add("nothing yet")
            except ValueError as e:
                assert_names(e, "one pair", "pair ids differ")
                outcomes.add("mixed pair refused")
            gen.write_pair(tmp_path, *random_pair(9))  # the next run cleans up
            assert leftovers(tmp_path) == []
            d.load_data(tmp_path)
        else:
            if (tmp_path / "m.npz").exists():
                params = d.load_parameters(tmp_path / "m.npz")  # complete, never half-written
                assert params["W1"].shape == (300, 300)
                outcomes.add("complete file")
            d.save_parameters(d.initialize_parameters([3, 1], seed=0), tmp_path / "m.npz")
            assert leftovers(tmp_path) == []
    assert outcomes  # which moments were hit varies; every outcome above is a safe one
