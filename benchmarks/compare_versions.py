"""Time the fast path of two versions of dnnlib/fast.py alternately, in one process.

A change meant to make training faster is judged against the version before it, on the
same data, in the same run (the machine's speed drifts between runs). The other version
is a module, imported by its name (put its folder on PYTHONPATH); from the clone's root:

    mkdir -p /tmp/old && git show HEAD~1:dnnlib/fast.py > /tmp/old/fast_old.py
    PYTHONPATH=/tmp/old python -m benchmarks.compare_versions fast_old             # vs this checkout's
    PYTHONPATH=/tmp/old python -m benchmarks.compare_versions fast_old --threads 1

The module's L_layer_model_fast is timed (or, for a dnn_utils.py from before dnnlib, its
L_layer_model, whose fast path was the default) against this checkout's
dnnlib.fast.L_layer_model_fast. For each dtype it prints ms per iteration of both versions
at m = 209 (the shipped training set), each as a multiple of the GEMM floor in the form
L_layer_model_fast uses (F-ordered X, Z1 as (X.T·W1.T).T), and how much faster the new
version is. Times are medians over --repeats rounds of 20 iterations, setup (the training
with 0 iterations) subtracted, the tasks in rotating order (bench_training.measure).
"""
from __future__ import annotations

import argparse
import importlib
import sys

import numpy as np

from benchmarks import bench_training as bench
from dnnlib import fast as dnn_fast

BLOCK = 20  # iterations per timed run


def trainer(module):
    """The module's fast training: L_layer_model_fast, or a pre-dnnlib dnn_utils' L_layer_model."""
    train = getattr(module, "L_layer_model_fast", None) or getattr(module, "L_layer_model", None)
    if train is None:
        raise AttributeError(f"{module.__name__} has neither L_layer_model_fast nor L_layer_model")
    return train


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("old", metavar="MODULE",
                        help="the other version, as an importable module name (e.g. fast_old, with its "
                             "folder on PYTHONPATH)")
    parser.add_argument("--repeats", type=int, default=11, help="timed rounds (default 11)")
    parser.add_argument("--threads", type=int, default=None, help="BLAS threads (needs threadpoolctl)")
    args = parser.parse_args(argv)
    try:
        old = trainer(importlib.import_module(args.old))
    except (ImportError, AttributeError) as e:
        parser.error(f"cannot import {args.old!r} ({e}); make one with: git show REV:dnnlib/fast.py > "
                     f"DIR/fast_old.py and run with PYTHONPATH=DIR")
    if args.threads:
        from threadpoolctl import threadpool_limits
        threadpool_limits(args.threads, user_api="blas")
    X, Y, _ = bench.training_sets((209,))[209]
    dims, lr = bench.LAYERS_DIMS, bench.LEARNING_RATE
    print(f"old: {args.old}, new: {dnn_fast.__file__}; {bench.blas_info()[2]} BLAS threads; "
          f"m = 209, median of {args.repeats} rounds of {BLOCK} iterations")
    for dtype in (np.float64, np.float32):
        Xd = X.astype(dtype)
        tasks = {}
        for name, train in (("old", old), ("new", dnn_fast.L_layer_model_fast)):
            tasks[name] = lambda train=train: train(Xd, Y, dims, lr, BLOCK, dtype=dtype)
            tasks[name + " setup"] = lambda train=train: train(Xd, Y, dims, lr, 0, dtype=dtype)
        tasks["floor"] = bench.gemm_floor_task(np.asfortranarray(Xd), dims[1], BLOCK, transposed=True)
        t = bench.measure(tasks, args.repeats)
        floor = t["floor"] / BLOCK
        per = {v: (t[v] - t[v + " setup"]) / BLOCK for v in ("old", "new")}
        print(f"{dtype.__name__:8} old {per['old'] * 1e3:6.2f} ms ({per['old'] / floor:.2f}x floor), "
              f"new {per['new'] * 1e3:6.2f} ms ({per['new'] / floor:.2f}x floor): "
              f"new is {per['old'] / per['new']:.2f}x as fast")
    return 0


if __name__ == "__main__":
    sys.exit(main())
