"""Issue 26: two runs writing one dataset pair (train/test HDF5 files) into one folder at once.

Without a lock their renames could interleave (train of one run, test of the other); load_data
then refuses the pair. Writers now take turns (dnnlib.files.folder_lock), and a reader that reads
while a writer is between its two renames waits for it and reads a whole pair. Each writer is a
separate process; the first one is slowed down between its two renames (in the test's child
process only) so that the second one arrives exactly there.
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

from dnnlib import files
from dnnlib.data import load_data
from dnnlib.datasets.make_catvnoncat import write_pair
from tests.helpers import ROOT, random_pair

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the pair lock is an flock (POSIX)")

WRITER = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    from dnnlib.datasets.make_catvnoncat import write_pair
    from tests.helpers import random_pair

    folder, seed, marker, pause, wait_for = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4]), sys.argv[5]
    real_replace = os.replace

    def replace(src, dst):  # fault injection, this process only: a pause between the two renames
        real_replace(src, dst)
        if Path(dst).name == "train_catvnoncat.h5" and pause:
            Path(marker).write_text("renamed train")
            time.sleep(pause)

    os.replace = replace
    if wait_for != "-":
        while not os.path.exists(wait_for):
            time.sleep(0.005)
    write_pair(folder, *random_pair(seed))
    print("done", seed)
""")


def start_writer(folder, seed, marker, pause, wait_for="-"):
    return subprocess.Popen([sys.executable, "-c", WRITER, str(folder), str(seed), str(marker), str(pause),
                             str(wait_for)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_file(path, timeout=60):
    deadline = time.monotonic() + timeout
    while not os.path.exists(path):
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.005)


def pair_of(seed):
    (train_x, train_y), (test_x, test_y) = random_pair(seed)
    return train_x, test_x


def assert_is_pair(loaded, seed):
    train_x, test_x = pair_of(seed)
    np.testing.assert_array_equal(loaded[0], train_x)
    np.testing.assert_array_equal(loaded[2], test_x)


def finish(process):
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return out


def test_two_writers_at_once_leave_one_whole_pair_and_a_reader_never_sees_a_mix(tmp_path):
    folder = tmp_path / "data"
    write_pair(folder, *random_pair(0))  # the pair a reader finds before the two runs
    marker = tmp_path / "first-renamed-train"
    slow = start_writer(folder, 1, marker, pause=1.5)
    # the second writer starts once the first has renamed its train file and not yet its test file
    fast = start_writer(folder, 2, tmp_path / "unused", pause=0, wait_for=marker)
    try:
        wait_for_file(marker)
        # read between the first writer's two renames: a whole pair, never train 1 beside test 0
        during = load_data(folder)
        assert any(np.array_equal(during[0], pair_of(s)[0]) and np.array_equal(during[2], pair_of(s)[1])
                   for s in (1, 2)), "the reader got a mixed pair"
    finally:
        finish(slow)
        finish(fast)
    # the second writer waited for the first, so its pair is the one left, whole
    assert_is_pair(load_data(folder), 2)
    assert sorted(os.listdir(folder)) == ["test_catvnoncat.h5", "train_catvnoncat.h5"]  # no lock file left


def test_a_writer_that_cannot_get_the_lock_says_who_holds_it(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    with files.folder_lock(folder, files.PAIR_LOCK, "the dataset pair"):
        holder = subprocess.run(
            [sys.executable, "-c", "import sys; from dnnlib import files\n"
             "try:\n"
             "    with files.folder_lock(sys.argv[1], files.PAIR_LOCK, 'the dataset pair', timeout=0.3):\n"
             "        print('entered')\n"
             "except TimeoutError as e:\n"
             "    print('timeout:', e)\n", str(folder)],
            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert holder.returncode == 0, holder.stderr
    assert "entered" not in holder.stdout
    for fact in ("timeout:", str(folder), "another process", str(os.getpid())):
        assert fact in holder.stdout, (fact, holder.stdout)
    assert os.listdir(folder) == []  # released and removed


def test_the_lock_is_released_when_its_holder_dies(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time; from dnnlib import files\n"
                               "with files.folder_lock(sys.argv[1], files.PAIR_LOCK, 'x'):\n"
                               "    print('held', flush=True); time.sleep(600)\n", str(folder)],
                              cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
    finally:
        holder.kill()
        holder.wait(timeout=60)
    # killed while holding it: its lock file is still there, but the kernel released the flock
    write_pair(folder, *random_pair(3))
    assert_is_pair(load_data(folder), 3)


def test_a_mixed_pair_left_by_a_killed_run_is_still_refused(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    write_pair(first, *random_pair(4))
    write_pair(second, *random_pair(5))
    os.replace(second / "test_catvnoncat.h5", first / "test_catvnoncat.h5")
    with pytest.raises(ValueError, match="pair"):
        load_data(first)


def test_threads_writing_pairs_at_once_all_succeed(tmp_path):
    """Threads of one process build their files in memory at once (HDF5 refused two in-memory
    files of one name) and take turns renaming them: every write succeeds, one whole pair is left."""
    import threading

    folder, errors = tmp_path / "data", []

    def write(seed):
        try:
            for _ in range(4):
                write_pair(folder, *random_pair(seed))
        except Exception as e:  # noqa: BLE001 (collected, asserted below)
            errors.append(e)

    threads = [threading.Thread(target=write, args=(seed,)) for seed in (6, 7, 8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    loaded = load_data(folder)
    assert any(np.array_equal(loaded[0], pair_of(s)[0]) for s in (6, 7, 8))
    assert sorted(os.listdir(folder)) == ["test_catvnoncat.h5", "train_catvnoncat.h5"]
