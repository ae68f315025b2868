"""What the input checks cost: the course's loop with @checked against the same loop without it.

    python benchmarks/bench_checks.py [--repeat 5]

L_layer_model (dnn_utils) runs the course's loop of L_model_forward, compute_cost,
L_model_backward and update_parameters. Checked, the outer call checks its inputs once and
the library watches the training (TrainingProgress, fed from compute_cost and
update_parameters); the nested calls run unchecked. Unchecked, every course function is
replaced by its bare body (`fn.unchecked`), so nothing is checked or watched. The ratio of
the two times is the checks' overhead; the issue asked for at most 1.2x (before the change it
was 3.1x on the small net). Each case is timed as the best of --repeat runs, alternating the
two, in one process: the ratio holds on a noisy machine where the seconds do not.
"""
from __future__ import annotations

import argparse
import time
from contextlib import contextmanager

import numpy as np

import dnn_utils as d

COURSE_FUNCTIONS = ["initialize_parameters", "sigmoid", "relu", "linear_forward", "linear_activation_forward",
                    "L_model_forward", "compute_cost", "sigmoid_backward", "relu_backward", "linear_backward",
                    "linear_activation_backward", "L_model_backward", "update_parameters", "L_layer_model"]

CASES = [
    # (name, layers_dims, m, iterations): 05's widgets' size, and the course's cat network
    ("small net [2, 8, 8, 1], m = 400", [2, 8, 8, 1], 400, 2000),
    ("the course's [12288, 20, 7, 5, 1], m = 209", [12288, 20, 7, 5, 1], 209, 100),
]


@contextmanager
def unchecked():
    """Every course function of dnn_utils replaced by its body without @checked, for the block."""
    saved = {name: getattr(d, name) for name in COURSE_FUNCTIONS}
    try:
        for name, fn in saved.items():
            setattr(d, name, fn.unchecked)
        yield
    finally:
        for name, fn in saved.items():
            setattr(d, name, fn)


def data(n_x, m):
    rng = np.random.default_rng(0)
    X = rng.random((n_x, m)) if n_x > 100 else rng.standard_normal((n_x, m))
    Y = (X[:1] > X[:1].mean()).astype(np.float64)
    return X, Y


def best_times(dims, m, iterations, repeat):
    X, Y = data(dims[0], m)
    lr = 0.0075 if dims[0] > 100 else 0.3
    checked_t, unchecked_t = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        p1, c1 = d.L_layer_model(X, Y, dims, lr, iterations, seed=1)
        checked_t.append(time.perf_counter() - start)
        with unchecked():
            start = time.perf_counter()
            p2, c2 = d.L_layer_model(X, Y, dims, lr, iterations, seed=1)
            unchecked_t.append(time.perf_counter() - start)
        assert c1 == c2 and all(np.array_equal(p1[k], p2[k]) for k in p1), "checked and unchecked differ"
    return min(checked_t), min(unchecked_t)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each case (the best is kept)")
    args = parser.parse_args(argv)
    print("| case | iterations | checked (s) | unchecked (s) | ratio |")
    print("|---|---|---|---|---|")
    for name, dims, m, iterations in CASES:
        c, u = best_times(dims, m, iterations, args.repeat)
        print(f"| {name} | {iterations} | {c:.3f} | {u:.3f} | {c / u:.2f}x |")


if __name__ == "__main__":
    main()
