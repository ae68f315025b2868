"""Build the course's cat / non-cat HDF5 dataset from two folders of your own photos.

Usage (the console command, or the module)::

    dnn-build-from-photos PHOTOS_DIR --out OUT_DIR
        [--test-fraction 0.2] [--seed 0] [--size 64] [--min-side 64] [--skip-bad] [--force]
    python -m dnnlib.datasets.build_from_photos PHOTOS_DIR --out OUT_DIR [...]

PHOTOS_DIR must hold two folders, ``cats/`` (label 1) and ``non-cats/`` (label 0).
Their subfolders are searched too. Image files are recognised by extension
(.jpg .jpeg .png .gif .bmp .tif .tiff .webp, any case); hidden files such as
``.DS_Store`` or ``._photo.jpg`` and other files are ignored.

Every photo is centre-cropped to a square and resized to SIZE x SIZE RGB with
``load_image`` (``dnnlib.data``, the ``dnn_utils.load_image`` of the notebooks). All
files are checked before anything is written: a file that is not an image, is truncated,
or whose shorter side is below --min-side is reported, all of them in one message, and
nothing is written (or, with --skip-bad, left out with one line each on stderr).

Each class is split on its own (stratified) with ``np.random.default_rng(seed)``,
so train and test keep the class balance and the same seed gives the same
files, whatever order the operating system lists the photos in. Each class puts
round(n * test_fraction) photos in the test set, at least 1 and at most n - 1.

The output, OUT_DIR/train_catvnoncat.h5 and OUT_DIR/test_catvnoncat.h5, has
the course's schema, so ``dnn_utils.load_data("OUT_DIR")`` reads it. Existing
files are only replaced with --force.

From Python::

    from dnnlib.datasets.build_from_photos import build
    summary = build("my_photos", "my_dataset", test_fraction=0.2, seed=0)
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from dnnlib.checks import open_regular_file
from dnnlib.data import load_image
from dnnlib.datasets.make_catvnoncat import CLASSES, write_pair
from dnnlib.files import check_writable_folder

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp")
CLASS_FOLDERS = {"non-cats": 0, "cats": 1}  # folder name -> label, as in list_classes
#: the largest image side (--size): 4096 x 4096 x 3 bytes is 50 MB per photo
MAX_SIZE = 4096
OUT_NAMES = {"train": "train_catvnoncat.h5", "test": "test_catvnoncat.h5"}


class OutOfMemory(MemoryError):
    """The photos do not fit in memory: a MemoryError whose message names the photo and what to do."""


def find_images(folder, problems=None):
    """Return (images, ignored): the image files below `folder` and the other files, sorted.

    Sorted by path relative to `folder`, so the dataset does not depend on the
    order the operating system lists files in. Symlinked subfolders are followed (a link
    back to a folder already visited is not: it is reported). A subfolder that cannot be
    listed (no permission, a broken link) is not skipped in silence: it is appended to
    `problems` as (path relative to folder's parent, reason).
    """
    folder = Path(folder)
    images, ignored = [], []
    problems = [] if problems is None else problems
    rel = lambda p: Path(p).relative_to(folder.parent).as_posix()  # noqa: E731

    def unreadable(error):
        problems.append((rel(error.filename) + "/", f"folder cannot be read ({error.strerror}); "
                                                    f"its photos would be left out"))

    seen = {os.path.realpath(folder)}
    for root, dirs, files in os.walk(folder, onerror=unreadable, followlinks=True):
        kept = []
        for d in dirs:
            if d.startswith("."):  # .thumbnails, .AppleDouble, ...
                continue
            real = os.path.realpath(os.path.join(root, d))
            if real in seen:
                problems.append((rel(os.path.join(root, d)) + "/",
                                 "a symbolic link back to a folder already searched (a loop); not followed"))
                continue
            seen.add(real)
            kept.append(d)
        dirs[:] = kept
        for name in files:
            if name.startswith("."):  # .DS_Store, and macOS's ._photo.jpg copies
                continue
            path = Path(root, name)
            (images if path.suffix.lower() in IMAGE_EXTENSIONS else ignored).append(path)
    key = lambda p: p.relative_to(folder).as_posix()  # noqa: E731
    return sorted(images, key=key), sorted(ignored, key=key)


def _extension_counts(paths):
    """'.heic (12), .txt (1)': what kinds of files were ignored."""
    counts = Counter(p.suffix.lower() or "(no extension)" for p in paths)
    return ", ".join(f"{ext} ({n})" for ext, n in sorted(counts.items()))


def list_class_folders(photos_dir, problems=None):
    """Return {label: (images, ignored)} for cats/ and non-cats/, or raise a clear error.

    Subfolders that cannot be searched are appended to `problems` (see find_images).
    """
    problems = [] if problems is None else problems
    photos_dir = Path(photos_dir)
    if not photos_dir.is_dir():
        raise FileNotFoundError(f"photos folder not found: {photos_dir} "
                                f"(expected a folder holding cats/ and non-cats/)")
    found = sorted(p.name for p in photos_dir.iterdir() if p.is_dir() and not p.name.startswith("."))
    expected = "expected two subfolders, cats/ (label 1) and non-cats/ (label 0)"
    missing = [name for name in CLASS_FOLDERS if not (photos_dir / name).is_dir()]
    if missing:
        hint = ""
        wrong_case = [f for f in found if f.lower() in CLASS_FOLDERS and f not in CLASS_FOLDERS]
        if wrong_case:
            hint = f"; the names are case-sensitive, rename {wrong_case} to lower case"
        raise FileNotFoundError(f"{photos_dir}: {expected}; missing {[m + '/' for m in missing]}, "
                                f"found subfolders {[f + '/' for f in found] or 'none'}{hint}")
    folders = {}
    for name, label in CLASS_FOLDERS.items():
        images, ignored = find_images(photos_dir / name, problems)
        if not images:
            what = f"{len(ignored)} other files: {_extension_counts(ignored)}" if ignored else "no files"
            raise ValueError(f"{photos_dir / name}/ holds no images; expected files ending in "
                             f"{' '.join(IMAGE_EXTENSIONS)} (any case, subfolders included), "
                             f"found {what}")
        folders[label] = (images, ignored)
    return folders


def read_photo(path, size, min_side):
    """Return (image, None) for a usable photo, or (None, reason) saying why it is not."""
    import struct

    from PIL import Image

    # Opening only reads the header: the pixel size is known before decoding. The file is
    # opened without blocking and must be a regular file: a FIFO named *.jpg would hang
    try:
        with open_regular_file(path, "a photo") as f, Image.open(f) as im:
            width, height = im.size
    except Image.DecompressionBombError as e:
        return None, f"too large to decode safely ({e})"
    except (FileNotFoundError, PermissionError) as e:
        return None, f"cannot be opened ({e.strerror or e})"
    except (OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError, TypeError, KeyError) as e:
        if "(a regular file)" in str(e):  # open_regular_file: a FIFO, socket, device, folder
            return None, str(e).replace(str(path), "it").strip()
        if isinstance(e, OSError) and "cannot identify image file" in str(e):
            return None, "not an image (Pillow cannot identify the file format)"
        return None, f"cannot be opened ({type(e).__name__}: {e})"
    if min(width, height) < min_side:
        return None, (f"too small: {width}x{height} pixels, the shorter side must be "
                      f"at least {min_side} (--min-side)")
    try:
        return load_image(path, size=size), None
    except MemoryError:
        raise  # out of memory is not the photo's fault: build stops and says so (OutOfMemory)
    except Exception as e:  # noqa: BLE001 -- one odd file must not hide the report on the others
        # load_image's message repeats the full path; raised "from None", it still keeps
        # Pillow's own error, which is the reason (e.g. "image file is truncated")
        cause = e.__context__ if e.__suppress_context__ and e.__context__ is not None else e
        return None, f"cannot be decoded, truncated or corrupt ({cause})"


def duplicate_groups(images, names):
    """{label: [[indices of one picture], ...]}: photos grouped by their decoded pixels (after
    the crop and resize), in order of first appearance. A picture under both labels is a
    ValueError naming the files."""
    import hashlib

    def key(image):
        a = np.ascontiguousarray(image)
        return hashlib.sha256(repr((a.shape, a.dtype.str)).encode() + a.tobytes()).digest()

    groups, seen = {}, {}
    for label in (0, 1):
        by_key = {}
        for i, image in enumerate(images[label]):
            by_key.setdefault(key(image), []).append(i)
        groups[label] = list(by_key.values())
        seen[label] = by_key
    both = [(names[0][seen[0][k][0]], names[1][seen[1][k][0]]) for k in seen[0] if k in seen[1]]
    if both:
        lines = "\n".join(f"  {a} and {b}" for a, b in both)
        raise ValueError(f"{len(both)} picture(s) are both a cat and a non-cat (the same pixels after the "
                         f"crop and resize under cats/ and non-cats/):\n{lines}\nRemove each from the folder "
                         f"where it does not belong. Nothing was written.")
    return groups


def split_class(n, test_fraction, rng):
    """Return (train_idx, test_idx) for one class of n photos: a seeded random split."""
    n_test = min(n - 1, max(1, math.floor(n * test_fraction + 0.5)))  # round half up
    order = rng.permutation(n)
    return order[n_test:], order[:n_test]


def build(photos_dir, out_dir, test_fraction=0.2, seed=0, size=64, min_side=64,
          skip_bad=False, force=False):
    """Build OUT_DIR/train_catvnoncat.h5 and test_catvnoncat.h5 from PHOTOS_DIR/cats and non-cats.

    Returns a summary dict: {"train": {"non-cat": n, "cat": n}, "test": {...},
    "files": [train path, test path], "skipped": [(file, reason), ...],
    "ignored": [files with other extensions]}.
    Raises FileNotFoundError, FileExistsError or ValueError with a message for the user, and
    OutOfMemory (a MemoryError) saying so when the photos do not fit in memory: a valid photo
    is never reported as corrupt for lack of memory.
    """
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be between 0 and 1 (exclusive), found {test_fraction}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, found {seed!r}")
    for name, value in (("size", size), ("min_side", min_side)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive integer, found {value!r}")
    if size > MAX_SIZE:
        raise ValueError(f"size must be at most {MAX_SIZE} pixels, found {size}")
    photos_dir, out_dir = Path(photos_dir), Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise FileExistsError(f"output folder {out_dir} is a file; expected a folder (or a new name)")
    out_paths = [out_dir / OUT_NAMES[split] for split in ("train", "test")]
    existing = [str(p) for p in out_paths if p.exists()]
    if existing and not force:  # checked before the slow part, so the user learns at once
        raise FileExistsError(f"output files already exist: {existing}; "
                              f"pass --force (force=True) to replace them, or choose another --out")

    folders_problems = []
    folders = list_class_folders(photos_dir, folders_problems)
    # before reading every photo: an output folder that cannot be written is reported at once
    check_writable_folder(out_dir, "the dataset")

    # Read every photo before deciding anything: the user gets the whole list of bad files at once
    images, names, bad = {0: [], 1: []}, {0: [], 1: []}, []
    n_total = sum(len(paths) for paths, _ in folders.values())
    for label, (paths, _) in folders.items():
        for path in paths:
            try:
                image, reason = read_photo(path, size, min_side)
            except MemoryError as e:  # load_image's own message is kept as the cause
                n_read = sum(len(v) for v in images.values()) + len(bad)
                raise OutOfMemory(
                    f"out of memory while reading {path.relative_to(photos_dir).as_posix()} "
                    f"(photo {n_read + 1} of {n_total}, at --size {size}): the photo is not corrupt, "
                    f"there is not enough memory to decode it. Free some memory, shrink the photo, use a "
                    f"smaller --size, or build from fewer photos. Nothing was written.") from e
            if reason:
                bad.append((path.relative_to(photos_dir).as_posix(), reason))
            else:
                images[label].append(image)
                names[label].append(path.relative_to(photos_dir).as_posix())
    bad.extend(folders_problems)
    bad.sort()  # report in path order, cats/ before non-cats/
    if bad and not skip_bad:
        lines = "\n".join(f"  {name}: {reason}" for name, reason in bad)
        n_folders = len(folders_problems)
        also = f" and {n_folders} subfolder(s) cannot be searched" if n_folders else ""
        raise ValueError(f"{len(bad) - n_folders} of {n_total} images in {photos_dir}{also} cannot be used "
                         f"(expected readable images at least {min_side} pixels on the shorter side):\n"
                         f"{lines}\nFix or remove these files, or pass --skip-bad to leave them out. "
                         f"Nothing was written.")
    for name, reason in bad:
        print(f"skipped {name}: {reason}", file=sys.stderr)

    for folder, label in CLASS_FOLDERS.items():
        if len(images[label]) < 2:
            raise ValueError(f"{folder}/ has {len(images[label])} usable image(s); at least 2 are "
                             f"needed, one for the training set and one for the test set")

    groups = duplicate_groups(images, names)
    duplicates = [[names[label][i] for i in group] for label in (0, 1) for group in groups[label] if len(group) > 1]
    for files in duplicates:
        print(f"duplicates: {', '.join(files)} are the same picture (after the crop and resize); "
              f"kept together on one side of the split", file=sys.stderr)
    for folder, label in CLASS_FOLDERS.items():
        if len(groups[label]) < 2:
            raise ValueError(f"{folder}/ has {len(groups[label])} different usable image(s) "
                             f"({len(images[label])} with duplicates); at least 2 are needed, one for "
                             f"the training set and one for the test set")

    rng = np.random.default_rng(seed)
    parts = {"train": ([], []), "test": ([], [])}
    for label in (0, 1):  # a fixed class order keeps the random stream reproducible
        # whole groups of duplicates go to one side: a picture is never in both sets
        train_idx, test_idx = split_class(len(groups[label]), test_fraction, rng)
        for split, idx in (("train", train_idx), ("test", test_idx)):
            members = [i for g in idx for i in groups[label][g]]
            parts[split][0].extend(images[label][i] for i in members)
            parts[split][1].extend([label] * len(members))
    splits = {}
    try:
        for split, (xs, ys) in parts.items():
            order = rng.permutation(len(ys))  # mix cats and non-cats within the set
            splits[split] = (np.stack(xs)[order].astype(np.uint8), np.array(ys, dtype=np.int64)[order])
        # both files carry one pair id, and write_pair holds the folder's pair lock while it
        # renames them: a killed run or a concurrent one never leaves a silently mixed pair
        write_pair(out_dir, splits["train"], splits["test"],
                   generator="dnn-build-from-photos (dnnlib/datasets/build_from_photos.py)")
    except MemoryError:
        n = sum(len(ys) for _, ys in parts.values())
        raise OutOfMemory(f"out of memory while assembling the dataset ({n} photos of {size}x{size} pixels, "
                          f"{n * size * size * 3:,} bytes, compressed in memory before writing). Free some "
                          f"memory, use a smaller --size, or build from fewer photos. Nothing was written.") from None

    counts = {split: {name.decode(): int(np.sum(y == label)) for label, name in enumerate(CLASSES)}
              for split, (_, y) in splits.items()}
    ignored = [p.relative_to(photos_dir).as_posix() for _, paths in folders.values() for p in paths]
    return {**counts, "files": [str(p) for p in out_paths], "skipped": bad, "ignored": ignored,
            "duplicates": duplicates}


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Build the course's cat / non-cat HDF5 dataset from PHOTOS_DIR/cats and PHOTOS_DIR/non-cats.")
    parser.add_argument("photos_dir", metavar="PHOTOS_DIR", help="folder holding cats/ and non-cats/")
    parser.add_argument("--out", required=True, metavar="OUT_DIR",
                        help="folder for train_catvnoncat.h5 and test_catvnoncat.h5 (created if needed)")
    parser.add_argument("--test-fraction", type=float, default=0.2,
                        help="share of each class kept for the test set (default 0.2)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the train/test split (default 0)")
    parser.add_argument("--size", type=int, default=64, help="image side in pixels (default 64)")
    parser.add_argument("--min-side", type=int, default=64,
                        help="reject photos whose shorter side is below this (default 64)")
    parser.add_argument("--skip-bad", action="store_true",
                        help="leave out unusable photos instead of stopping")
    parser.add_argument("--force", action="store_true", help="replace existing output files")
    args = parser.parse_args(argv)
    if not 1 <= args.size <= MAX_SIZE:  # before anything is read or allocated
        parser.error(f"--size must be between 1 and {MAX_SIZE} pixels, found {args.size}")
    try:
        summary = build(args.photos_dir, args.out, test_fraction=args.test_fraction, seed=args.seed,
                        size=args.size, min_side=args.min_side, skip_bad=args.skip_bad, force=args.force)
    except OSError as e:  # FileNotFoundError, FileExistsError, PermissionError, a full disk
        print(f"error: {e.strerror or e}", file=sys.stderr)
        return 2
    except (ValueError, MemoryError) as e:
        print(f"error: {e or 'out of memory; nothing was written'}", file=sys.stderr)
        return 2
    if summary["ignored"]:
        paths = [Path(p) for p in summary["ignored"]]
        print(f"ignored {len(paths)} file(s) that are not images by their extension: "
              f"{_extension_counts(paths)}; convert photos among them (e.g. iPhone .heic) "
              f"to .jpg to use them", file=sys.stderr)
    for split in ("train", "test"):
        c = summary[split]
        print(f"{split}: {c['cat'] + c['non-cat']} images ({c['cat']} cat, {c['non-cat']} non-cat)")
    if summary["skipped"]:
        print(f"skipped {len(summary['skipped'])} unusable files (listed above)")
    print("wrote " + " and ".join(summary["files"]))
    print("use them with:")
    print(f'    load_data("{Path(args.out).as_posix()}")')
    return 0


if __name__ == "__main__":
    sys.exit(main())
