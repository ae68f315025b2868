"""Check this project against the course's "Deep Neural Network - Application" outputs, without test tools.

Usage (the console command, or the module)::

    dnn-course-check FOLDER [--fast]
    python -m dnnlib.coursecheck FOLDER [--fast]

FOLDER holds the course's own ``train_catvnoncat.h5`` and ``test_catvnoncat.h5`` (209 + 50
photographs; this project cannot ship them). Without FOLDER, the folder named by the
environment variable DNN_DATA_DIR is used. The command trains the course's two models with
the course's settings and seed (``np.random.RandomState(1)``, learning rate 0.0075, 2500
iterations): ``two_layer_model`` with ``(12288, 7, 1)`` and ``L_layer_model`` with
``[12288, 20, 7, 5, 1]``, and prints the course's published cost every 100 iterations and
its train / test accuracies next to ours. ``--fast`` trains with the fast path
(``two_layer_model_fast``, ``L_layer_model_fast``; the same iterates, in about a second)
instead of the course's loop (about a minute).

Exit status: 0 when every printed value agrees with the course's, 1 when one does not,
2 when FOLDER is missing or does not hold the course's files.
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np

#: The course's published costs of the two-layer model, iterations 0, 100, ..., 2400 (as the course prints them).
COURSE_TWO_LAYER_COSTS = [
    0.6930497356599888, 0.6464320953428849, 0.6325140647912677, 0.6015024920354665, 0.5601966311605747,
    0.515830477276473, 0.4754901313943325, 0.4339163151225749, 0.400797753620389, 0.3580705011323798,
    0.3394281538366412, 0.3052753636196264, 0.27491377282130164, 0.24681768210614846, 0.19850735037466108,
    0.17448318112556654, 0.17080762978096023, 0.11306524562164728, 0.09629426845937154, 0.08342617959726861,
    0.07439078704319084, 0.06630748132267932, 0.05919329501038171, 0.053361403485605564, 0.04855478562877018]
#: The course's published costs of the L-layer model, iterations 0, 100, ..., 2400 (printed with 6 decimals).
COURSE_L_LAYER_COSTS = [
    0.771749, 0.672053, 0.648263, 0.611507, 0.567047, 0.540138, 0.527930, 0.465477, 0.369126, 0.391747,
    0.315187, 0.272700, 0.237419, 0.199601, 0.189263, 0.161189, 0.148214, 0.137775, 0.129740, 0.121225,
    0.113821, 0.107839, 0.102855, 0.100897, 0.092878]
#: The course's published accuracies (train, test) of each model.
COURSE_ACCURACIES = {"two_layer": (1.0, 0.72), "L_layer": (0.9856459330143539, 0.8)}

#: The course's settings: model -> (layer sizes, learning rate, iterations); the seed is np.random.RandomState(1).
COURSE_SETTINGS = {"two_layer": ((12288, 7, 1), 0.0075, 2500), "L_layer": ([12288, 20, 7, 5, 1], 0.0075, 2500)}
COURSE_COSTS = {"two_layer": COURSE_TWO_LAYER_COSTS, "L_layer": COURSE_L_LAYER_COSTS}
#: A cost agrees when it rounds to the course's 6 printed decimals (half a unit of the last one, plus rounding).
COST_TOLERANCE = 5.01e-7
COURSE_SIZES = (209, 50)


class CourseDataError(ValueError):
    """The folder does not hold the course's own pair of files."""


def load_course_data(folder):
    """The course's files from `folder`, flattened: (train_x, train_y, test_x, test_y).

    Raises CourseDataError naming what was expected and what was found, for a missing folder,
    missing or unreadable files, or files that are not the course's (e.g. the shipped drawings).
    """
    from dnnlib.data import DATA_LABELS, load_data, which_data
    from dnn_utils import flatten_images

    if folder is None:
        raise CourseDataError("no folder given: pass the folder holding the course's train_catvnoncat.h5 and "
                              "test_catvnoncat.h5, or set DNN_DATA_DIR to it")
    if not os.path.isdir(folder):
        what = "a file" if os.path.exists(folder) else "nothing"
        raise CourseDataError(f"{folder} is not a folder (found {what} there): expected the folder holding the "
                              f"course's train_catvnoncat.h5 and test_catvnoncat.h5")
    try:
        train_x_orig, train_y, test_x_orig, test_y, _ = load_data(folder)
    except (OSError, ValueError) as e:
        raise CourseDataError(f"cannot read the course's files: {e}") from None
    sizes = (train_x_orig.shape[0], test_x_orig.shape[0])
    source = which_data(train_x_orig, train_y, test_x_orig, test_y)
    if source != "course":
        raise CourseDataError(
            f"{folder} does not hold the course's files: it holds {DATA_LABELS[source]}, {sizes[0]} training "
            f"and {sizes[1]} test images of {train_x_orig.shape[1:]}; expected the course's own {COURSE_SIZES[0]} + "
            f"{COURSE_SIZES[1]} photographs of (64, 64, 3), for which alone the course's outputs hold")
    return (flatten_images(train_x_orig), train_y, flatten_images(test_x_orig), test_y)


def run_model(model, data, fast=False):
    """Train `model` ("two_layer" or "L_layer") with the course's settings; return (costs, train acc, test acc)."""
    import dnn_utils

    train_x, train_y, test_x, test_y = data
    dims, learning_rate, num_iterations = COURSE_SETTINGS[model]
    name = {"two_layer": "two_layer_model", "L_layer": "L_layer_model"}[model] + ("_fast" if fast else "")
    parameters, costs = getattr(dnn_utils, name)(train_x, train_y, dims, learning_rate, num_iterations,
                                                 seed=np.random.RandomState(1))
    train_acc = dnn_utils.accuracy(dnn_utils.predict(train_x, parameters), train_y)
    test_acc = dnn_utils.accuracy(dnn_utils.predict(test_x, parameters), test_y)
    return [float(c) for c in costs], float(train_acc), float(test_acc)


def compare(model, costs, train_acc, test_acc, m_train, m_test, out=print):
    """Print the course's values next to ours for one model; return the number of values that differ."""
    expected = COURSE_COSTS[model]
    differ = 0
    out(f"{'iteration':>9}  {'course':>9}  {'ours':>9}")
    for i, want in enumerate(expected):
        got = costs[i] if i < len(costs) else float("nan")
        ok = abs(got - want) <= COST_TOLERANCE
        differ += not ok
        out(f"{100 * i:>9}  {want:9.6f}  {got:9.6f}  {'' if ok else '<- differs'}".rstrip())
    for split, want, got, m in (("train", COURSE_ACCURACIES[model][0], train_acc, m_train),
                                ("test", COURSE_ACCURACIES[model][1], test_acc, m_test)):
        ok = round(want * m) == round(got * m)      # the same number of images right
        differ += not ok
        out(f"{split + ' accuracy':>15}: course {want:.3f} ({round(want * m)}/{m}), "
            f"ours {got:.3f} ({round(got * m)}/{m})  {'' if ok else '<- differs'}".rstrip())
    return differ


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="dnn-course-check",
        description="Train the course's 2-layer and L-layer models on the course's own files and print the "
                    "course's published costs (every 100 iterations) and accuracies next to ours.")
    parser.add_argument("folder", nargs="?", default=os.environ.get("DNN_DATA_DIR") or None,
                        help="folder holding the course's train_catvnoncat.h5 and test_catvnoncat.h5 "
                             "(default: $DNN_DATA_DIR)")
    parser.add_argument("--fast", action="store_true",
                        help="train with the fast path (two_layer_model_fast, L_layer_model_fast), in about a "
                             "second, instead of the course's loop (about a minute)")
    args = parser.parse_args(argv)
    try:
        data = load_course_data(args.folder)
    except CourseDataError as e:
        print(f"dnn-course-check: error: {e}", file=sys.stderr)
        return 2
    m_train, m_test = data[1].shape[1], data[3].shape[1]
    loop = "the fast path" if args.fast else "the course's loop"
    print(f"data: the course's files in {args.folder} ({m_train} training, {m_test} test images); "
          f"trained with {loop}, seed np.random.RandomState(1)")
    differ = 0
    for model, title in (("two_layer", "two_layer_model"), ("L_layer", "L_layer_model")):
        dims, learning_rate, num_iterations = COURSE_SETTINGS[model]
        print(f"\n{title}({list(dims)}, learning_rate={learning_rate}, num_iterations={num_iterations}): cost")
        sys.stdout.flush()
        differ += compare(model, *run_model(model, data, fast=args.fast), m_train, m_test)
    total = 2 * (len(COURSE_TWO_LAYER_COSTS) + 2)
    if differ:
        print(f"\n{differ} of {total} values differ from the course's")
        return 1
    print(f"\nall {total} values agree with the course's (costs to its 6 printed decimals, accuracies to the image)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
