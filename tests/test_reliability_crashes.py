"""Issue 15, crashes and data loss: files are complete or absent, a pair is never mixed in
silence, a full disk is a clear error, killed runs leave nothing that the next run keeps."""
import errno
import importlib.util
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

import dnn_utils as d

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("make_catvnoncat", ROOT / "datasets" / "make_catvnoncat.py")
gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)


def pair(seed, m_train=6, m_test=3):
    rng = np.random.default_rng(seed)
    return ((rng.integers(0, 256, (m_train, 8, 8, 3), dtype=np.uint8), np.arange(m_train) % 2),
            (rng.integers(0, 256, (m_test, 8, 8, 3), dtype=np.uint8), np.arange(m_test) % 2))


def leftovers(folder):
    return sorted(n for n in os.listdir(folder) if n.endswith(".tmp"))


# --------------------------------------------------------------------------- pair id

def test_written_pair_loads_and_carries_one_id(tmp_path):
    train, test = pair(1)
    gen.write_pair(tmp_path, train, test)
    tx, ty, vx, vy, classes = d.load_data(tmp_path)
    np.testing.assert_array_equal(tx, train[0])
    np.testing.assert_array_equal(vy[0], test[1])
    assert leftovers(tmp_path) == []


def test_same_data_gives_byte_identical_files(tmp_path):
    for name in ("a", "b"):
        gen.write_pair(tmp_path / name, *pair(1))
    for f in ("train_catvnoncat.h5", "test_catvnoncat.h5"):
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes()


@pytest.mark.parametrize("mix", ["train of another run", "test of another run", "new train, legacy test"])
def test_mixed_pair_is_refused(tmp_path, mix):
    a, b = tmp_path / "a", tmp_path / "b"
    gen.write_pair(a, *pair(1))
    gen.write_pair(b, *pair(2))
    if mix == "train of another run":  # what a kill between the two renames leaves
        os.replace(b / "train_catvnoncat.h5", a / "train_catvnoncat.h5")
    elif mix == "test of another run":
        os.replace(b / "test_catvnoncat.h5", a / "test_catvnoncat.h5")
    else:  # the course's files carry no id: a new train file beside an old course test file
        (a / "test_catvnoncat.h5").write_bytes((ROOT / "datasets" / "test_catvnoncat.h5").read_bytes())
        (a / "train_catvnoncat.h5").write_bytes((ROOT / "datasets" / "train_catvnoncat.h5").read_bytes())
        d.load_data(a)  # the course's pair: no ids, accepted
        os.replace(b / "train_catvnoncat.h5", a / "train_catvnoncat.h5")
    with pytest.raises(ValueError, match="are not one pair: their pair ids differ"):
        d.load_data(a)


def test_changed_content_is_refused(tmp_path):
    import h5py

    gen.write_pair(tmp_path, *pair(1))
    with h5py.File(tmp_path / "test_catvnoncat.h5", "r+") as f:
        f["test_set_y"][0] = 1 - f["test_set_y"][0]
    with pytest.raises(ValueError, match="does not match its pair id"):
        d.load_data(tmp_path)


def test_legacy_pair_without_id_still_loads(tmp_path):
    for f in ("train_catvnoncat.h5", "test_catvnoncat.h5"):
        (tmp_path / f).write_bytes((ROOT / "datasets" / f).read_bytes())
    assert d.load_data(tmp_path)[0].shape == (209, 64, 64, 3)


# --------------------------------------------------------------------------- permissions, leftovers

@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_saved_files_respect_the_umask(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        d.save_parameters(d.initialize_parameters([3, 1], seed=0), tmp_path / "m.npz")
        gen.write_pair(tmp_path, *pair(1))
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
    with pytest.raises(OSError, match=r"not enough disk space to write the parameters m.npz .*Nothing was") as e:
        d.save_parameters(d.initialize_parameters([3, 2, 1], seed=1), target)
    assert e.value.errno == errno.ENOSPC
    assert target.read_bytes() == before and leftovers(tmp_path) == []


# --------------------------------------------------------------------------- a real full disk

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
    gen.write_pair(tiny_disk, *pair(1))
    before = {n: (tiny_disk / n).read_bytes() for n in os.listdir(tiny_disk)}
    big = pair(2, m_train=150, m_test=40)  # random pixels do not compress: ~230 KB
    big = ((np.random.default_rng(5).integers(0, 256, (150, 24, 24, 3), dtype=np.uint8), big[0][1]), big[1])
    with pytest.raises(OSError, match="not enough disk space to write the dataset pair") as e:
        gen.write_pair(tiny_disk, *big)
    assert e.value.errno == errno.ENOSPC
    assert {n: (tiny_disk / n).read_bytes() for n in os.listdir(tiny_disk)} == before
    d.load_data(tiny_disk)


def test_full_disk_generator_command_exits_cleanly(tiny_disk):
    (tiny_disk / "filler").write_bytes(b"\0" * 200_000)
    r = subprocess.run([sys.executable, str(ROOT / "datasets" / "make_catvnoncat.py"), "--n-train", "30",
                        "--n-test", "6", "--out", str(tiny_disk)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and r.returncode != -signal.SIGSEGV
    assert "not enough disk space" in r.stderr and "Traceback" not in r.stderr
    assert sorted(os.listdir(tiny_disk)) == ["filler"]


def test_full_disk_save_parameters(tiny_disk):
    params = {"W1": np.random.default_rng(0).standard_normal((200, 200)), "b1": np.zeros((200, 1))}
    with pytest.raises(OSError, match="not enough disk space"):
        d.save_parameters(params, tiny_disk / "m.npz")
    assert os.listdir(tiny_disk) == []


# --------------------------------------------------------------------------- SIGKILL during a write

WRITER = textwrap.dedent("""
    import sys, importlib.util
    import numpy as np
    sys.path.insert(0, {root!r})
    spec = importlib.util.spec_from_file_location("g", {gen!r}); g = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(g)
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


@pytest.mark.parametrize("what", ["dataset", "parameters"])
def test_sigkill_during_writes_never_leaves_a_usable_mixed_result(tmp_path, what):
    outcomes = set()
    for delay in (0.0, 0.05, 0.13, 0.29, 0.47):  # several moments of the write loop
        code = WRITER.format(root=str(ROOT), gen=str(ROOT / "datasets" / "make_catvnoncat.py"),
                             what=what, out=str(tmp_path))
        p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
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
                assert "not one pair" in str(e), e
                outcomes.add("mixed pair refused")
            gen.write_pair(tmp_path, *pair(9))  # the next run cleans up
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
