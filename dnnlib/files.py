"""Files: every file written whole or not at all; saving and loading parameters."""

from __future__ import annotations

import contextlib
import os
import re
import threading
import zipfile
from pathlib import Path

import numpy as np

from dnnlib.checks import check_parameters_finite, open_regular_file

__all__ = ["write_files_atomically", "check_writable_folder", "save_parameters", "load_parameters", "as_path",
           "folder_lock", "wait_for_folder_lock", "PAIR_LOCK", "MAX_ELEMENTS", "MAX_BYTES"]

#: the most elements / bytes one array read from a file may declare (checked before anything is allocated)
MAX_ELEMENTS = 2**31
MAX_BYTES = 4 * 2**30

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def as_path(path, arg, what):
    """`path` (a str, bytes or os.PathLike path) as a Path; anything else is a clear TypeError.

    `arg` names the argument ("path"), `what` the thing expected with its article ("an image
    file"). A URL ("https://...") that is not a local path is refused: URLs are not downloaded.
    """
    if isinstance(path, (str, bytes, os.PathLike)):
        try:
            text = os.fspath(path)
        except TypeError as e:
            raise TypeError(f"{arg}: expected a path (str or os.PathLike) to {what}, found "
                            f"{type(path).__name__} whose __fspath__ failed ({e})") from None
        if isinstance(text, bytes):
            text = os.fsdecode(text)
        if not isinstance(text, str):
            raise TypeError(f"{arg}: expected a path (str or os.PathLike) to {what}, found "
                            f"{type(path).__name__} whose __fspath__ returned {type(text).__name__}")
        if _URL.match(text) and not os.path.exists(text):
            raise FileNotFoundError(f"{arg} {text!r} is a URL, and URLs are not downloaded: "
                                    f"download it first and give the path to a local file ({what})")
        return Path(text)
    kind = ("a file object" if hasattr(path, "read") or hasattr(path, "write") else type(path).__name__)
    raise TypeError(f"{arg}: expected a path (str or os.PathLike) to {what}, found {kind} "
                    f"(type {type(path).__name__}); pass the file's name, not an open file")

# ---------------------------------------------------------------------------
# Saving and loading a trained model
# ---------------------------------------------------------------------------

def _temp_path(path):
    """A fresh temporary name next to `path`: .{name}.{pid}-t{thread}-{random}.tmp.

    The pid and the thread's native id say whose it is: the stale-temp reaping removes only
    temporary files of dead processes, or of threads of this process that are gone, never
    those of another thread writing the same file now.
    """
    import secrets

    return path.parent / f".{path.name}.{os.getpid()}-t{threading.get_native_id()}-{secrets.token_hex(4)}.tmp"


def _live_thread_ids():
    return {t.native_id for t in threading.enumerate() if t.native_id is not None}


def _remove_stale_temps(path):
    """Remove the temporary files an interrupted write of `path` left: those of dead processes."""
    prefix = f".{path.name}."
    try:
        names = os.listdir(path.parent)
    except OSError:
        return
    for name in names:
        if not (name.startswith(prefix) and name.endswith(".tmp")):
            continue
        parts = name[len(prefix):-len(".tmp")].split("-")
        owner = parts[0]
        if not owner.isdigit():
            continue
        try:
            os.kill(int(owner), 0)
            if int(owner) != os.getpid():
                continue  # a live process is writing it
            thread = parts[1][1:] if len(parts) == 3 and parts[1].startswith("t") else None
            if thread is not None and (not thread.isdigit() or int(thread) in _live_thread_ids()):
                continue  # a live thread of this process is writing it
            # else: a thread of this process that is gone, or an earlier process with our pid
        except ProcessLookupError:
            pass
        except (PermissionError, OverflowError, OSError):
            continue
        try:
            os.unlink(path.parent / name)
        except OSError:
            pass


def check_writable_folder(folder, what):
    """Prove that `what` can be written in `folder` (created later if missing), before any slow work.

    A probe file is created and removed in the folder, or in its nearest existing parent if
    the folder does not exist yet (nothing is created then). Raises a clear FileExistsError,
    PermissionError or OSError naming the folder.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise FileExistsError(f"output folder {folder} is a file; expected a folder (or a new name) for {what}")
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise FileExistsError(f"cannot create the output folder {folder}: {existing} is a file")
    try:
        probe = _temp_path(existing / ".write-test")
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        os.unlink(probe)
    except OSError as e:
        raise type(e)(e.errno, f"cannot write {what} in {folder}: {e.strerror} (in {existing}); "
                               f"choose a folder you can write to") from None


#: the lock file a writer of a dataset pair holds in its folder while it renames the two files
PAIR_LOCK = ".catvnoncat.lock"
#: how long a writer waits for another writer of the same files before it gives up, in seconds
LOCK_TIMEOUT = 120.0


def _lock_holder(path):
    try:
        with open(path, "rb") as f:
            text = f.read(32).decode("ascii", "replace").strip()
        return f" (held by process {text})" if text.isdigit() else ""
    except OSError:
        return ""


@contextlib.contextmanager
def folder_lock(folder, name, what, timeout=None):
    """Hold the exclusive lock FOLDER/NAME while the block runs: writers of one set of files take turns.

    Two runs writing the same files at once (two dataset builds into one folder) would otherwise
    interleave their renames and leave files of different runs side by side. The lock is an
    flock on a lock file, released by the kernel if the process dies (no stale lock), and the
    file is removed at release, so the folder holds only the data. A waiter that acquires a lock
    file already removed (its holder released and removed it meanwhile) tries again on the new one.
    A writer waits at most `timeout` seconds (LOCK_TIMEOUT) for another, then raises a clear
    TimeoutError naming the folder. Without fcntl (Windows) or where the file system refuses
    locks (some network mounts), the block runs unlocked: the files' own checks (the pair id)
    remain.
    """
    try:
        import fcntl
    except ImportError:  # no flock: unlocked, see above
        yield
        return
    import time

    timeout = LOCK_TIMEOUT if timeout is None else timeout
    path = Path(folder) / name
    deadline = time.monotonic() + timeout
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            locked = _flock_exclusive(fcntl, fd, deadline)
            if locked is None:  # a file system without locks (ENOLCK, EOPNOTSUPP)
                os.close(fd)
                fd = None
                break
            if not locked:
                raise TimeoutError(f"cannot write {what} in {folder}: another process is writing it and has "
                                   f"held its lock {path}{_lock_holder(path)} for over {timeout:g} s; wait for "
                                   f"it to finish (or stop it), then try again")
            try:
                same = os.fstat(fd).st_ino == os.stat(path).st_ino
            except FileNotFoundError:
                same = False
            if not same:  # the holder removed this lock file as we acquired it: take the new one
                continue
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode())
            try:
                yield
            finally:
                try:
                    os.unlink(path)  # before the release: a waiter on this file then sees it removed
                except OSError:
                    pass
            return
        finally:
            if fd is not None:
                os.close(fd)  # releases the flock
    yield  # unlocked (see above)


def _flock_exclusive(fcntl, fd, deadline):
    """Take the flock on fd: True, False once `deadline` (time.monotonic) has passed, None if unsupported."""
    import time

    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        except OSError:
            return None


def wait_for_folder_lock(folder, name, timeout=None):
    """Wait until no writer holds the lock FOLDER/NAME (folder_lock); return at once if none does.

    A reader that found a pair of files from two runs calls this before reading again: a writer
    between its two renames holds the lock. Nothing is created (a read-only folder is fine).
    Returns whether a writer was there: True if the lock file existed (waited for, at most
    `timeout` seconds, LOCK_TIMEOUT), False if there was none.
    """
    try:
        import fcntl
    except ImportError:
        return False
    import time

    timeout = LOCK_TIMEOUT if timeout is None else timeout
    deadline = time.monotonic() + timeout
    try:
        fd = os.open(Path(folder) / name, os.O_RDONLY)
    except OSError:
        return False  # no lock file: no writer
    try:
        while time.monotonic() < deadline:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                time.sleep(0.02)
            except OSError:
                break
        return True
    finally:
        os.close(fd)


def write_files_atomically(contents, what):
    """Write {path: bytes} completely or not at all, and leave no temporary file behind.

    Each file goes to a temporary name in its own folder (created with mode 0666 less the
    umask, as open() makes files; written and fsynced), then all are renamed into place,
    in the order given. A full disk raises OSError(ENOSPC) saying so; the old files stay.
    Temporary files that an earlier, killed write left are removed first.
    """
    import errno

    paths = [Path(p) for p in contents]
    for path in paths:
        _remove_stale_temps(path)
    temps = {}
    try:
        for path, data in zip(paths, contents.values()):
            temps[path] = tmp = _temp_path(path)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
                os.fsync(fd)
            finally:
                os.close(fd)
        for path in paths:
            os.replace(temps.pop(path), path)
        for folder in {p.parent for p in paths}:
            try:
                dir_fd = os.open(folder, os.O_RDONLY)
                try:
                    os.fsync(dir_fd)
                finally:
                    os.close(dir_fd)
            except OSError:
                pass
    except OSError as e:
        if e.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            need = sum(len(memoryview(d)) for d in contents.values())
            raise OSError(e.errno, f"not enough disk space to write {what} in {paths[0].parent} "
                                   f"({need:,} bytes needed): {e.strerror}. Nothing was replaced and no "
                                   f"temporary file is left; free some space or choose another folder") from None
        if isinstance(e, PermissionError):
            raise PermissionError(e.errno, f"cannot write {what} in {paths[0].parent}: permission denied") from None
        raise
    finally:
        for tmp in temps.values():
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass


def save_parameters(parameters, path):
    """Save parameters to a .npz file, written completely or not at all.

    The archive is built in memory, written to a temporary file in the same folder
    (.{name}.{pid}-t{thread}-{random}.tmp), fsynced, then renamed to `path`. An interrupted run leaves
    at most that temporary file, which the next save to the same path removes. The file gets
    the usual permissions (0666 less the umask, e.g. 0644); a full disk is a clear OSError.
    """
    import io

    check_parameters_finite(parameters)
    path = as_path(path, "path", "the parameter file to write (.npz)")
    if not path.parent.is_dir():
        raise FileNotFoundError(f"folder not found: {path.parent}")
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder; expected a file name such as model.npz")
    buffer = io.BytesIO()
    np.savez(buffer, **{k: np.asarray(v) for k, v in parameters.items()})
    write_files_atomically({path: buffer.getbuffer()}, f"the parameters {path.name}")


def load_parameters(path):
    """Load parameters saved by save_parameters. Plain arrays only: pickles are refused.

    Every array's declared shape is checked against the archive's size (and against
    MAX_ELEMENTS / MAX_BYTES) before anything is allocated.
    """
    path = as_path(path, "path", "a parameter file (.npz)")
    if not path.exists():
        raise FileNotFoundError(f"parameter file not found: {path}")
    with open_regular_file(path, "a parameter file (.npz)") as f:
        data_bytes = f.read()
    magic = data_bytes[:6]
    if magic.startswith(b"\x93NUMPY"):
        raise ValueError(f"{path} is a single .npy array, not a .npz archive of W1, b1, ...")
    if not magic.startswith(b"PK"):
        raise ValueError(f"{path} is not a .npz archive (a zip file) as written by save_parameters; "
                         f"found a file starting with {magic!r}")
    import io

    _check_npz_sizes(path, data_bytes)
    try:
        with np.load(io.BytesIO(data_bytes), allow_pickle=False) as data:
            parameters = {k: data[k] for k in data.files}
    except ValueError as e:
        raise ValueError(f"{path} is not a parameters .npz file of plain arrays ({e})") from None
    except (OSError, EOFError, zipfile.BadZipFile, KeyError, RuntimeError) as e:
        raise ValueError(f"{path} is not a readable .npz file ({type(e).__name__}: {e})") from None
    check_parameters_finite(parameters)
    return parameters


def _check_npz_sizes(path, data_bytes):
    """Refuse an archive whose arrays declare more data than it can hold, before np.load allocates it.

    A stored member holds its array's bytes as they are, so they cannot exceed the member's size;
    a deflated one (savez_compressed) at most about 1032 times its compressed size (deflate's
    limit). Any array above MAX_ELEMENTS elements or MAX_BYTES bytes is refused too.
    """
    import io

    from numpy.lib import format as npy

    try:
        archive = zipfile.ZipFile(io.BytesIO(data_bytes))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError):
        return  # np.load reports it
    with archive:
        for info in archive.infolist():
            if not info.filename.endswith(".npy"):
                continue
            try:
                with archive.open(info) as member:
                    version = npy.read_magic(member)
                    if version == (1, 0):
                        shape, _, dtype = npy.read_array_header_1_0(member)
                    elif version in ((2, 0), (3, 0)):
                        shape, _, dtype = npy.read_array_header_2_0(member)
                    else:
                        continue
                    header = member.tell()
            except Exception:  # noqa: BLE001  a damaged member: np.load reports it
                continue
            count = 1
            for n in shape:
                count *= int(n)
            nbytes = count * dtype.itemsize
            name = info.filename[:-len(".npy")]
            held = min(info.compress_size, len(data_bytes))  # a member cannot hold more than the file
            if info.compress_type == zipfile.ZIP_STORED:
                room, how = max(0, held - header), "stored"
            else:
                room, how = 1032 * held, "compressed"
            room = min(room, MAX_BYTES)
            if count > MAX_ELEMENTS or nbytes > room:
                raise ValueError(
                    f"{path}: the array {name} declares shape {tuple(shape)} {dtype} ({count:,} elements, "
                    f"{nbytes:,} bytes), more than its {held:,} {how} bytes in the archive can "
                    f"hold (limit: {room:,} bytes and at most {MAX_ELEMENTS:,} elements); "
                    f"the file is damaged or forged, not loaded")
