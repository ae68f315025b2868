"""Recompute the baseline table of datasets/README.md.

Usage (the console command, or the module)::

    dnn-baselines [--data DIR] [--seeds 0 1 2 3 4] [--write README]
    python -m dnnlib.datasets.baselines [...]

``--data`` defaults to the shipped dataset (``dnn_utils.DATASETS_DIR``), in a clone and
in an installed copy alike.

Baselines, all measured on the test set after training on the train set:

* majority class (always predict the most common training label);
* logistic regression (our own numpy gradient descent) on the mean colour
  (3 features), on a colour histogram (8 bins per channel, 24 features) and
  on the raw pixels (12288 features, divided by 255);
* the course's 2-layer model [12288, 7, 1] and L-layer model
  [12288, 20, 7, 5, 1], trained as in the course: X = flatten(images).T / 255,
  learning rate 0.0075, 2500 iterations of full-batch gradient descent from the
  course's initialization, by the fast path (``two_layer_model_fast`` and
  ``L_layer_model_fast``: the course loop's iterates, sooner).  Each is trained
  once per initialization seed and the range over seeds is reported.

``--write README`` replaces the text between the ``<!-- baselines:start -->`` and
``<!-- baselines:end -->`` markers of that Markdown file with the new table; in a
clone, ``--write datasets/README.md`` (from the clone's root) updates the dataset's
README. Nothing is written without it.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from dnn_utils import accuracy, predict
from dnnlib.data import load_data
from dnnlib.fast import L_layer_model_fast, two_layer_model_fast
from dnnlib.files import write_files_atomically

START, END = "<!-- baselines:start -->", "<!-- baselines:end -->"
LEARNING_RATE = 0.0075
ITERATIONS = 2500
#: bounds of the command's arguments, checked before any training
MAX_ITERATIONS = 100_000
MAX_SEEDS = 100


# --------------------------------------------------------------------------
# Features
# --------------------------------------------------------------------------
def mean_colour(images):
    """(m, 64, 64, 3) uint8 -> (3, m): the mean of each channel, in [0, 1]."""
    return images.reshape(len(images), -1, 3).mean(axis=1).T / 255.0


def colour_histogram(images, bins=8):
    """(m, 64, 64, 3) uint8 -> (3 * bins, m): per-channel normalised histograms."""
    pixels = images.reshape(len(images), -1, 3)
    index = pixels.astype(np.int64) * bins // 256            # bin of each value
    feats = [np.stack([(index[:, :, c] == b).mean(axis=1) for b in range(bins)])
             for c in range(3)]
    return np.concatenate(feats, axis=0)


def pixels(images):
    """(m, 64, 64, 3) uint8 -> (12288, m) floats in [0, 1], as in the course."""
    return images.reshape(len(images), -1).T / 255.0


# --------------------------------------------------------------------------
# Logistic regression by full-batch gradient descent
# --------------------------------------------------------------------------
def train_logistic(X, Y, learning_rate, iterations):
    """Fit w, b of sigmoid(w.T X + b) by gradient descent on cross-entropy."""
    w = np.zeros((X.shape[0], 1))
    b = 0.0
    m = X.shape[1]
    for _ in range(iterations):
        A = 1.0 / (1.0 + np.exp(-(w.T @ X + b)))
        dZ = A - Y
        w -= learning_rate * (X @ dZ.T) / m
        b -= learning_rate * float(dZ.sum()) / m
    return w, b


def logistic_accuracies(train_X, train_y, test_X, test_y, standardize, learning_rate,
                        iterations):
    """Train on train_X and return (train accuracy, test accuracy)."""
    if standardize:  # z-score with the training statistics
        mu = train_X.mean(axis=1, keepdims=True)
        sd = train_X.std(axis=1, keepdims=True) + 1e-8
        train_X, test_X = (train_X - mu) / sd, (test_X - mu) / sd
    w, b = train_logistic(train_X, train_y, learning_rate, iterations)

    def acc(X, Y):
        return accuracy(((w.T @ X + b) > 0).astype(int), Y)

    return acc(train_X, train_y), acc(test_X, test_y)


# --------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------
def fmt_range(values):
    lo, hi = min(values), max(values)
    return f"{lo:.2f}" if abs(hi - lo) < 5e-3 else f"{lo:.2f}-{hi:.2f}"


def compute_rows(folder, seeds, iterations=ITERATIONS, log=print):
    """Return a list of (name, train accuracy text, test accuracy text); folder None: the shipped data."""
    train_x, train_y, test_x, test_y, _ = load_data(folder)
    train_y, test_y = train_y.reshape(1, -1), test_y.reshape(1, -1)
    rows = []
    majority = int(train_y.mean() >= 0.5)
    rows.append(("majority class (always '%s')" % ("cat" if majority else "non-cat"),
                 f"{float(np.mean(train_y == majority)):.2f}",
                 f"{float(np.mean(test_y == majority)):.2f}"))
    for name, feats, std, lr, iters in (
            ("logistic regression, mean colour (3 features)", mean_colour, True, 0.1, 2000),
            ("logistic regression, colour histogram (24 features)", colour_histogram, True,
             0.1, 2000),
            ("logistic regression, pixels (12288 features, /255)", pixels, False, 0.005, 2000)):
        tr, te = logistic_accuracies(feats(train_x), train_y, feats(test_x), test_y, std, lr, iters)
        rows.append((name, f"{tr:.2f}", f"{te:.2f}"))
        log(f"{name}: train {tr:.3f} test {te:.3f}")

    X_train, X_test = pixels(train_x), pixels(test_x)
    for name, model, dims in (
            ("2-layer model [12288, 7, 1]", two_layer_model_fast, [X_train.shape[0], 7, 1]),
            ("L-layer model [12288, 20, 7, 5, 1]", L_layer_model_fast,
             [X_train.shape[0], 20, 7, 5, 1])):
        train_accs, test_accs = [], []
        for seed in seeds:
            params, _ = model(X_train, train_y, dims, learning_rate=LEARNING_RATE,
                              num_iterations=iterations, seed=seed)
            train_accs.append(accuracy(predict(X_train, params), train_y))
            test_accs.append(accuracy(predict(X_test, params), test_y))
            log(f"{name} seed {seed}: train {train_accs[-1]:.3f} test {test_accs[-1]:.3f}")
        label = f"{name}, seeds {seeds[0]}-{seeds[-1]}" if len(seeds) > 1 else \
            f"{name}, seed {seeds[0]}"
        rows.append((label, fmt_range(train_accs), fmt_range(test_accs)))
    return rows


def markdown_table(rows):
    lines = ["| baseline | train accuracy | test accuracy |", "| --- | --- | --- |"]
    lines += [f"| {name} | {tr} | {te} |" for name, tr, te in rows]
    return "\n".join(lines)


def write_readme(table, readme):
    """Replace the text between the START and END markers of ``readme``."""
    with open(readme, encoding="utf-8") as fh:
        text = fh.read()
    if START not in text or END not in text:
        raise ValueError(f"{readme} has no '{START}' ... '{END}' markers")
    head, rest = text.split(START, 1)
    tail = rest.split(END, 1)[1]
    # complete or not at all: an interrupted run never leaves half a README
    write_files_atomically({readme: f"{head}{START}\n{table}\n{END}{tail}".encode("utf-8")}, "README.md")


def main(argv=None):
    parser = argparse.ArgumentParser(description="Recompute the dataset baselines.")
    parser.add_argument("--data", default=None, metavar="DIR",
                        help="folder with the two .h5 files (default: the shipped dataset)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4],
                        help="initialization seeds of the 2-layer and L-layer models")
    parser.add_argument("--iterations", type=int, default=ITERATIONS)
    parser.add_argument("--write", metavar="README",
                        help="also replace the table between the baselines markers of this Markdown file "
                             "(in a clone: datasets/README.md); nothing is written without it")
    args = parser.parse_args(argv)
    if args.iterations < 1:
        parser.error("--iterations must be at least 1")
    if args.iterations > MAX_ITERATIONS:
        parser.error(f"--iterations must be at most {MAX_ITERATIONS}, found {args.iterations}")
    if len(args.seeds) > MAX_SEEDS:
        parser.error(f"--seeds: at most {MAX_SEEDS} seeds, found {len(args.seeds)}")
    negative = [s for s in args.seeds if s < 0]
    if negative:
        parser.error(f"--seeds must be >= 0, found {negative[0]}")
    try:
        rows = compute_rows(args.data, args.seeds, args.iterations,
                            log=lambda msg: print(msg, file=sys.stderr, flush=True))
    except (OSError, ValueError) as e:  # a missing, mixed or damaged dataset: load_data says which
        print(f"error: {e}", file=sys.stderr)
        return 2
    table = markdown_table(rows)
    print(table)
    if args.write:
        try:
            write_readme(table, args.write)
        except (OSError, ValueError) as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
