"""Files: every file written whole or not at all; saving and loading parameters."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import numpy as np

from dnnlib.checks import check_parameters_finite, open_regular_file

__all__ = ["write_files_atomically", "check_writable_folder", "save_parameters", "load_parameters"]

# ---------------------------------------------------------------------------
# Saving and loading a trained model
# ---------------------------------------------------------------------------

def _temp_path(path):
    """A fresh temporary name next to `path`: .{name}.{pid}-{random}.tmp (the pid says whose it is)."""
    import secrets

    return path.parent / f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"


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
        owner = name[len(prefix):-len(".tmp")].split("-")[0]
        if not owner.isdigit():
            continue
        try:
            os.kill(int(owner), 0)
            if int(owner) != os.getpid():
                continue  # a live process is writing it
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
    (.{name}.{pid}-{random}.tmp), fsynced, then renamed to `path`. An interrupted run leaves
    at most that temporary file, which the next save to the same path removes. The file gets
    the usual permissions (0666 less the umask, e.g. 0644); a full disk is a clear OSError.
    """
    import io

    check_parameters_finite(parameters)
    path = Path(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(f"folder not found: {path.parent}")
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder; expected a file name such as model.npz")
    buffer = io.BytesIO()
    np.savez(buffer, **{k: np.asarray(v) for k, v in parameters.items()})
    write_files_atomically({path: buffer.getbuffer()}, f"the parameters {path.name}")


def load_parameters(path):
    """Load parameters saved by save_parameters. Plain arrays only: pickles are refused."""
    path = Path(path)
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

    try:
        with np.load(io.BytesIO(data_bytes), allow_pickle=False) as data:
            parameters = {k: data[k] for k in data.files}
    except ValueError as e:
        raise ValueError(f"{path} is not a parameters .npz file of plain arrays ({e})") from None
    except (OSError, EOFError, zipfile.BadZipFile, KeyError, RuntimeError) as e:
        raise ValueError(f"{path} is not a readable .npz file ({type(e).__name__}: {e})") from None
    check_parameters_finite(parameters)
    return parameters
