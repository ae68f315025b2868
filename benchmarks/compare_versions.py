"""Time L_layer_model of two versions of dnn_utils.py alternately, in one process.

A change meant to make training faster is judged against the version before it, on the
same data, in the same run (the machine's speed drifts between runs):

    git show HEAD~1:dnn_utils.py > /tmp/dnn_utils_old.py
    python benchmarks/compare_versions.py /tmp/dnn_utils_old.py            # vs this checkout's
    python benchmarks/compare_versions.py /tmp/dnn_utils_old.py --threads 1

For each dtype it prints ms per iteration of both versions at m = 209 (the shipped
training set), each as a multiple of the GEMM floor in the form L_layer_model uses
(F-ordered X, Z1 as (X.T·W1.T).T), and how much faster the new version is. Times are
medians over --repeats rounds of 20 iterations, setup (L_layer_model with 0 iterations)
subtracted, the tasks in rotating order (bench_training.measure).
"""
from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import bench_training as bench  # noqa: E402
import dnn_utils  # noqa: E402

BLOCK = 20  # iterations per timed run


def load_module(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("old", type=Path, help="the other version of dnn_utils.py")
    parser.add_argument("--repeats", type=int, default=11, help="timed rounds (default 11)")
    parser.add_argument("--threads", type=int, default=None, help="BLAS threads (needs threadpoolctl)")
    args = parser.parse_args(argv)
    if not args.old.is_file():
        parser.error(f"{args.old} is not a file; make one with: git show REV:dnn_utils.py > FILE")
    if args.threads:
        from threadpoolctl import threadpool_limits
        threadpool_limits(args.threads, user_api="blas")
    old = load_module(args.old, "dnn_utils_old")
    X, Y, _ = bench.training_sets((209,))[209]
    dims, lr = bench.LAYERS_DIMS, bench.LEARNING_RATE
    print(f"old: {args.old}, new: {dnn_utils.__file__}; {bench.blas_info()[2]} BLAS threads; "
          f"m = 209, median of {args.repeats} rounds of {BLOCK} iterations")
    for dtype in (np.float64, np.float32):
        Xd = X.astype(dtype)
        tasks = {}
        for name, module in (("old", old), ("new", dnn_utils)):
            tasks[name] = lambda module=module: module.L_layer_model(Xd, Y, dims, lr, BLOCK, dtype=dtype)
            tasks[name + " setup"] = lambda module=module: module.L_layer_model(Xd, Y, dims, lr, 0, dtype=dtype)
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
