"""The data: the course's cat / non-cat HDF5 pair, images from files, flattening."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from dnnlib.checks import open_regular_file
from dnnlib.files import MAX_BYTES, MAX_ELEMENTS, PAIR_LOCK, as_path, wait_for_folder_lock

__all__ = ["DATASETS_DIR", "DATA_DIR_ENV", "DATA_LABELS", "PAIR_ID_ATTR", "data_folder", "load_data", "load_image",
           "dataset_pair_id", "which_data", "LOAD_IMAGE_MAX_SIZE"]

#: the largest `size` load_image makes (a size x size x 3 array)
LOAD_IMAGE_MAX_SIZE = 4096


def _shipped_datasets_dir():
    """datasets/ beside this package in a clone; the installed data package `dnn_course_data` otherwise."""
    clone = Path(__file__).resolve().parent.parent / "datasets"
    if (clone / "train_catvnoncat.h5").is_file():
        return clone
    from importlib.util import find_spec
    spec = find_spec("dnn_course_data")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        if (Path(folder) / "train_catvnoncat.h5").is_file():
            return Path(folder)
    return clone  # neither a clone nor an install: load_data() names the folder it tried


#: The shipped cat / non-cat dataset (read from this folder, not the working directory).
DATASETS_DIR = _shipped_datasets_dir()

#: The one setting that chooses the dataset: load_data() without a path reads the folder this
#: environment variable names (e.g. the course's own files), and the shipped DATASETS_DIR when it is unset.
DATA_DIR_ENV = "DNN_DATA_DIR"

#: What the notebooks print for each dataset which_data recognises ("data: ...").
DATA_LABELS = {"shipped": "shipped drawings", "course": "the course's files", "other": "other files (not the shipped "
               "drawings nor the course's files)"}

#: dataset_pair_id of the course's own train_catvnoncat.h5 / test_catvnoncat.h5 (209 + 50 photographs):
#: computed from their content, so any copy of them is recognised, however its HDF5 file was written.
COURSE_PAIR_ID = "315256129d8cbf686dc889fd090594dd"


def data_folder():
    """The folder load_data() reads when given no path: $DNN_DATA_DIR if set (and not empty), else DATASETS_DIR."""
    chosen = os.environ.get(DATA_DIR_ENV, "").strip()
    if not chosen:
        return DATASETS_DIR
    folder = Path(chosen).expanduser()
    if not folder.is_dir():
        raise FileNotFoundError(f"{DATA_DIR_ENV}={chosen} is not a folder: expected a folder holding "
                                f"train_catvnoncat.h5 and test_catvnoncat.h5 (unset {DATA_DIR_ENV} to use the "
                                f"shipped drawings in {DATASETS_DIR})")
    return folder


def which_data(train_x_orig, train_y, test_x_orig, test_y):
    """Which dataset these arrays are, by content: "shipped" (the drawings in DATASETS_DIR), "course"
    (the course's own photographs) or "other" (your own files). DATA_LABELS[...] names it in words."""
    pair = dataset_pair_id(train_x_orig, train_y, test_x_orig, test_y)
    if pair == COURSE_PAIR_ID:
        return "course"
    try:
        import h5py

        with h5py.File(DATASETS_DIR / "train_catvnoncat.h5", "r") as h5:
            shipped = h5.attrs.get(PAIR_ID_ATTR)
    except (OSError, ValueError):   # no shipped files here (an install without the data package)
        shipped = None
    if isinstance(shipped, bytes):
        shipped = shipped.decode("ascii", "replace")
    return "shipped" if shipped is not None and pair == str(shipped) else "other"

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

#: root attribute of the dataset files written by this project: the id of their pair
PAIR_ID_ATTR = "pair_id"


def _read_h5_split(path, split):
    """Read `{split}_set_x`, `{split}_set_y`, `list_classes` and the pair id from one course HDF5 file.

    Returns (x, y, classes, pair_id); pair_id is None for files that carry none (the course's).
    Every way the file can be unusable (missing, not a regular file, not HDF5, truncated,
    locked by a writer, a group where a dataset belongs, wrong dtype or shape) is a clear error.
    """
    import h5py

    path = Path(path)
    expected = f"expected {split}_catvnoncat.h5 in the course's HDF5 format"
    if not path.exists():
        raise FileNotFoundError(f"dataset file not found: {path} ({expected})")
    with open_regular_file(path, f"a dataset file ({expected})") as f:
        head = f.read(8)
        size = os.fstat(f.fileno()).st_size
    if head != b"\x89HDF\r\n\x1a\n" and not h5py.is_hdf5(path):
        raise ValueError(f"{path} is not an HDF5 file; {expected} (it starts with {head!r})")
    keys = [f"{split}_set_x", f"{split}_set_y", "list_classes"]
    damaged = (f"{path} is truncated or corrupted ({size} bytes; an interrupted download or copy "
               f"leaves such a file): get or generate it again")
    try:
        h5 = h5py.File(path, "r")
    except OSError as e:
        if "unable to lock file" in str(e):
            raise OSError(f"{path} is locked by another program that has it open for writing "
                          f"(HDF5 file locking); wait until it finishes, then load again") from None
        if "already open for write" in str(e):
            raise ValueError(f"{path} was left open by a writer that did not finish (killed or crashed): "
                             f"its consistency flags are still set, so it may be incomplete; write it "
                             f"again (or clear the flags with h5clear -s if you know it is whole)") from None
        raise ValueError(f"{damaged} [{e}]") from None
    with h5:
        try:
            missing = [k for k in keys if k not in h5]
            found = sorted(h5.keys())
        except (OSError, RuntimeError, KeyError, ValueError) as e:
            raise ValueError(f"{damaged} [{e}]") from None
        if missing:
            raise ValueError(f"{path} is missing {missing}; expected keys {keys}, found {found}")
        datasets = {}
        for k in keys:
            try:
                node = h5[k]
            except (OSError, RuntimeError, KeyError, ValueError) as e:
                raise ValueError(f"{damaged} [{k}: {e}]") from None
            if not isinstance(node, h5py.Dataset):
                raise ValueError(f"{path}: {k} must be a dataset (an array), found a "
                                 f"{'group' if isinstance(node, h5py.Group) else type(node).__name__}")
            try:
                _check_storage(path, k, node, size)
            except (OSError, RuntimeError, KeyError) as e:
                raise ValueError(f"{damaged} [{k}: {e}]") from None
            datasets[k] = node
        x_ds, y_ds, c_ds = (datasets[k] for k in keys)
        if len(x_ds.shape) != 4 or x_ds.shape[-1] != 3 or x_ds.dtype != np.uint8 or x_ds.shape[0] == 0:
            raise ValueError(f"{path}: {split}_set_x must be (m, height, width, 3) uint8 images, found "
                             f"{x_ds.shape} {x_ds.dtype} (and at least one image)")
        if y_ds.dtype.kind not in "iub" and y_ds.dtype.kind != "f":
            raise ValueError(f"{path}: {split}_set_y must hold 0/1 numbers, found dtype {y_ds.dtype}")
        if len(c_ds.shape) != 1 or c_ds.shape[0] != 2 or c_ds.dtype.kind not in "SOU":
            raise ValueError(f"{path}: list_classes must be 2 class names (strings), "
                             f"found shape {c_ds.shape} dtype {c_ds.dtype}")
        try:
            if PAIR_ID_ATTR in h5.attrs:
                shape = h5.attrs.get_id(PAIR_ID_ATTR).shape
                if shape is None or int(np.prod(shape)) != 1:
                    raise ValueError(f"{path}: the root attribute {PAIR_ID_ATTR} must be one string, "
                                     f"found shape {shape}")
            x, y, classes = (np.array(ds[()]) for ds in (x_ds, y_ds, c_ds))
            pair_id = h5.attrs.get(PAIR_ID_ATTR)
        except MemoryError:
            raise MemoryError(f"out of memory while reading {path} ({x_ds.shape} images, "
                              f"{x_ds.size:,} bytes): the file is not damaged; free some memory") from None
        except (OSError, RuntimeError, KeyError, ValueError) as e:
            if PAIR_ID_ATTR in str(e):
                raise
            raise ValueError(f"{damaged} [{e}]") from None
    if y.size != x.shape[0]:
        raise ValueError(f"{path}: {x.shape[0]} images but {y.size} labels; the counts must agree")
    y = y.reshape(1, -1)
    if not np.all((y == 0) | (y == 1)):
        raise ValueError(f"{path}: labels must be 0 or 1, found {np.unique(y).tolist()}")
    if y.dtype.kind in "fb":
        y = y.astype(np.int64)
    if isinstance(pair_id, np.ndarray):
        pair_id = pair_id.reshape(-1)[0]
    if isinstance(pair_id, bytes):
        pair_id = pair_id.decode("ascii", "replace")
    return x, y, classes, (None if pair_id is None else str(pair_id))


def _check_storage(path, key, ds, file_size):
    """Refuse, before anything is read, a dataset that is not an array stored in the file itself.

    A null dataspace (h5py.Empty, no shape), data in external files or a virtual dataset
    (which HDF5 reads as zeros when its source files are missing), and a declared shape
    larger than the file can hold (uncompressed data cannot exceed the file's size nor the
    bytes actually stored, gzip data 1032 times the file's size; any data is bounded by
    MAX_ELEMENTS and MAX_BYTES) are clear errors naming what was found.
    """
    if ds.shape is None:
        raise ValueError(f"{path}: {key} has no shape (an HDF5 null dataspace, h5py.Empty); "
                         f"expected an array")
    if ds.is_virtual:
        sources = sorted({m.file_name for m in ds.virtual_sources()})
        raise ValueError(f"{path}: {key} is a virtual dataset whose data lives in other files {sources}; "
                         f"expected data stored in the file itself (HDF5 would read zeros where a source "
                         f"file is missing). Copy the data into the file")
    if ds.external:
        files = [os.fsdecode(e[0]) for e in ds.external]
        raise ValueError(f"{path}: {key} uses external storage: its data lives in other files {files}; "
                         f"expected data stored in the file itself (HDF5 would read zeros where an "
                         f"external file is missing). Copy the data into the file")
    count = int(np.prod(ds.shape, dtype=object))
    nbytes = count * ds.dtype.itemsize
    filters = ds.id.get_create_plist().get_nfilters()
    if filters == 0 and nbytes > file_size:
        raise ValueError(f"{path}: {key} declares shape {ds.shape} {ds.dtype} ({nbytes:,} bytes), more than "
                         f"the whole file's {file_size:,} bytes can hold uncompressed; the file is damaged "
                         f"or forged, not read")
    if filters == 0 and 0 < nbytes and ds.id.get_storage_size() < nbytes:
        raise ValueError(f"{path}: {key} declares shape {ds.shape} {ds.dtype} ({nbytes:,} bytes) but only "
                         f"{ds.id.get_storage_size():,} bytes of it are stored (HDF5 would read the rest as "
                         f"zeros); the file was not written completely, write it again")
    plist = ds.id.get_create_plist()
    deflate_only = filters > 0 and all(plist.get_filter(i)[0] in (1, 2, 3) for i in range(filters))
    if deflate_only and nbytes > 1032 * file_size:  # 1: deflate (gzip), 2: shuffle, 3: fletcher32
        raise ValueError(f"{path}: {key} declares shape {ds.shape} {ds.dtype} ({nbytes:,} bytes), more than "
                         f"gzip (deflate) compression can fit in the file's {file_size:,} bytes (at most "
                         f"1032 to 1); the file is damaged, forged or not written completely, not read")
    if count > MAX_ELEMENTS or nbytes > MAX_BYTES:
        raise ValueError(f"{path}: {key} declares shape {ds.shape} {ds.dtype} ({count:,} elements, "
                         f"{nbytes:,} bytes), above the limit of {MAX_ELEMENTS:,} elements and "
                         f"{MAX_BYTES:,} bytes that load_data reads; not read")


def _file_state(path):
    """(inode, size, mtime) of a file, None if it is missing: a rename or rewrite changes it."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


def dataset_pair_id(train_x, train_y, test_x, test_y):
    """The id both files of a dataset pair carry: a hash of the whole pair's content.

    A train file and a test file written by different runs carry different ids, so a pair
    mixed by an interrupted write is refused by load_data; the same data gives the same id,
    so regenerating the files gives byte-identical files.
    """
    import hashlib

    h = hashlib.sha256(b"catvnoncat pair v1")
    for x, y in ((train_x, train_y), (test_x, test_y)):
        x = np.ascontiguousarray(x, dtype=np.uint8)
        h.update(repr(x.shape).encode())
        h.update(x.tobytes())
        h.update(np.ascontiguousarray(np.ravel(y), dtype="<i8").tobytes())
    return h.hexdigest()[:32]


def load_data(path=None):
    """Load the cat / non-cat dataset in the course's HDF5 format.

    Arguments:
    path -- folder holding train_catvnoncat.h5 and test_catvnoncat.h5; defaults to the
            folder named by the environment variable DNN_DATA_DIR, or, when it is unset, to
            the project's datasets/ folder, whatever the working directory is. The course's
            original files work unchanged: point `path` (or DNN_DATA_DIR) at their folder.

    Returns:
    train_x_orig -- (m_train, 64, 64, 3) uint8 images
    train_y -- (1, m_train) labels, 1 = cat, 0 = non-cat
    test_x_orig -- (m_test, 64, 64, 3) uint8 images
    test_y -- (1, m_test) labels
    classes -- (2,) bytes array, [b'non-cat', b'cat']

    Files written by this project's tools (dnn-make-catvnoncat, dnn-build-from-photos)
    carry a pair id, a hash of both files' content: a train and a test file from different
    runs (a write interrupted between its two renames), or a file changed afterwards, are
    refused. Files without an id on either side (the course's originals) are read as they are.
    """
    folder = data_folder() if path is None else as_path(path, "path", "a folder holding train_catvnoncat.h5 "
                                                                      "and test_catvnoncat.h5")
    if not folder.is_dir():
        raise FileNotFoundError(f"dataset folder not found: {folder} "
                                f"(expected a folder holding train_catvnoncat.h5 and test_catvnoncat.h5)")
    files = [folder / f"{split}_catvnoncat.h5" for split in ("train", "test")]
    state = [_file_state(p) for p in files]
    train_x_orig, train_y, classes, train_id = _read_h5_split(files[0], "train")
    test_x_orig, test_y, _, test_id = _read_h5_split(files[1], "test")
    for _ in range(20):  # a pair of two runs: read while writers renamed files (dnnlib.files.folder_lock)?
        if train_id == test_id:
            break
        wait_for_folder_lock(folder, PAIR_LOCK)  # a writer between its two renames holds it
        now = [_file_state(p) for p in files]
        if now == state:
            break  # no file replaced since it was read: a mixed pair left on disk, refused below
        state = now
        train_x_orig, train_y, classes, train_id = _read_h5_split(files[0], "train")
        test_x_orig, test_y, _, test_id = _read_h5_split(files[1], "test")
    if train_id is not None or test_id is not None:
        rewrite = ("Write the pair again (dnn-make-catvnoncat --out FOLDER, or dnn-build-from-photos "
                   "PHOTOS --out FOLDER --force) instead of mixing files of different runs")
        if train_id != test_id:
            raise ValueError(f"{folder}: train_catvnoncat.h5 and test_catvnoncat.h5 are not one pair: "
                             f"their pair ids differ ({train_id} and {test_id}), so they come from "
                             f"different runs (was a write interrupted?). {rewrite}")
        if dataset_pair_id(train_x_orig, train_y, test_x_orig, test_y) != train_id:
            raise ValueError(f"{folder}: the dataset's content does not match its pair id {train_id}: "
                             f"one of the files was changed after it was written. {rewrite}")
    if train_x_orig.shape[1:] != test_x_orig.shape[1:]:
        raise ValueError(f"{folder}: train images are {train_x_orig.shape[1:]} but test images "
                         f"{test_x_orig.shape[1:]}; both sets must have the same image size")
    return train_x_orig, train_y, test_x_orig, test_y, classes


def _float_to_uint8(path, a):
    """A float image (Pillow mode "F", e.g. a float TIFF) as uint8: values in [0, 1] scaled to 0..255,
    any other range stretched from its min..max to 0..255; NaN or infinite pixels are refused."""
    if a.size == 0:
        return a.astype(np.uint8)
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{path} is a float image with NaN or infinite pixels; expected finite values "
                         f"(in [0, 1], or any range, which is scaled from its min to its max)")
    lo, hi = float(a.min()), float(a.max())
    if lo >= 0 and hi <= 1:
        scaled = a * 255
    elif hi > lo:
        scaled = (a - lo) * (255 / (hi - lo))
    else:  # one value outside [0, 1]: keep it, clipped to 0..255
        scaled = a
    return np.rint(scaled).clip(0, 255).astype(np.uint8)


def load_image(path, size=64):
    """Load any image file as a (size, size, 3) uint8 RGB array: centre-cropped, then resized.

    Grayscale, palette, RGBA and CMYK images are converted to RGB (a float image, Pillow mode
    "F", is scaled: values in [0, 1] to 0..255, others from their min..max), and a photo whose
    EXIF orientation tag says it is stored rotated is turned upright first.
    Raises FileNotFoundError, or ValueError for anything that is not a readable image
    file: a FIFO or other special file, a corrupted or truncated file, or an image above
    Pillow's decompression-bomb limit (2 * PIL.Image.MAX_IMAGE_PIXELS pixels); MemoryError
    ("out of memory") when a valid image cannot be decoded for lack of memory. `path` is a
    str or os.PathLike path (not an open file, not a URL); `size` is at most LOAD_IMAGE_MAX_SIZE.
    """
    import struct

    from PIL import Image, ImageOps

    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 1:
        raise ValueError(f"size must be a positive whole number of pixels, found {size!r}")
    if size > LOAD_IMAGE_MAX_SIZE:
        raise ValueError(f"size must be at most {LOAD_IMAGE_MAX_SIZE} pixels (a size x size x 3 array), "
                         f"found {size}")
    path = as_path(path, "path", "an image file")
    try:
        with open_regular_file(path, "an image file") as f, Image.open(f) as im:
            try:
                im.load()
            except MemoryError:
                raise MemoryError(f"out of memory while decoding {path} ({im.size[0]}x{im.size[1]} pixels, "
                                  f"{im.format} {im.mode}): the image is not corrupt, but there is not enough "
                                  f"memory to decode it; free some memory or shrink the image")  # noqa: B904
            # phone photos are often stored sideways with an EXIF "rotate me" tag
            im = ImageOps.exif_transpose(im)
            if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
                im = im.convert("RGBA")
                white = Image.new("RGBA", im.size, (255, 255, 255, 255))
                im = Image.alpha_composite(white, im)
            if im.mode.startswith("I;16") or im.mode == "I":
                im = Image.fromarray((np.asarray(im, dtype=np.float64) / 256).clip(0, 255).astype(np.uint8))
            elif im.mode == "F":
                im = Image.fromarray(_float_to_uint8(path, np.asarray(im, dtype=np.float64)))
            im = im.convert("RGB")
    except FileNotFoundError:
        raise FileNotFoundError(f"image not found: {path}") from None
    except MemoryError as e:
        if "out of memory" in str(e):
            raise
        raise MemoryError(f"out of memory while decoding {path}: the image is not corrupt, but there is "
                          f"not enough memory to convert it; free some memory or shrink the image") from None
    except Image.DecompressionBombError as e:
        limit = 2 * Image.MAX_IMAGE_PIXELS if Image.MAX_IMAGE_PIXELS else 0
        raise ValueError(f"{path} is too large to decode safely: above Pillow's limit of {limit:,} pixels "
                         f"({limit / 1e6:.0f} megapixels), which guards against decompression bombs ({e}). "
                         f"Shrink it first, e.g. to 4000 pixels on its long side") from None
    except (OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError, TypeError,
            KeyError, ZeroDivisionError) as e:
        if isinstance(e, ValueError) and str(path) in str(e):
            raise  # open_regular_file's own message: a FIFO, a folder, ...
        raise ValueError(f"{path} is not a readable image ({type(e).__name__}: {e})") from None
    w, h = im.size
    if w == 0 or h == 0:
        raise ValueError(f"{path} is an empty image ({w}x{h} pixels)")
    side = min(w, h)
    left, top = (w - side) // 2, (h - side) // 2
    im = im.crop((left, top, left + side, top + side)).resize((size, size), Image.LANCZOS)
    return np.asarray(im, dtype=np.uint8)
