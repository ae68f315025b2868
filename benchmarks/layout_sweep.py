"""The two big products of training with X in either memory layout, for a range of m.

L_layer_model_fast trains on X (n_x, m) in Fortran order, example by example, as flatten_images
makes it (so a float64 X is used without a copy). This script shows how that layout compares
with C order, feature by feature, on the machine it runs on. For each m it times, per
iteration, the two products with X that dominate training, each in the form that suits the
layout (the faster form for it):

    F:  Z1 = (X.T · W1.T).T   and   dW1 = dZ1 · X.T     (X in Fortran order, as trained on)
    C:  Z1 = W1 · X           and   dW1 = dZ1 · X.T     (X in C order)

and prints both times and their ratio F / C (above 1: C order would be faster): the GEMM
floor of bench_training.py in those two of its ways, on random data (the speed of a
product does not depend on the values). The answer depends on the BLAS kernels: set
OPENBLAS_CORETYPE (e.g. Haswell, SkylakeX) to compare them on one CPU.

Usage (from the clone's root: it imports benchmarks.bench_training):

    python -m benchmarks.layout_sweep                                   # float64, default threads
    python -m benchmarks.layout_sweep --threads 1 --dtype float32
    python -m benchmarks.layout_sweep --m 209 418 836 2090 --repeats 11
"""
from __future__ import annotations

import argparse

import numpy as np

from benchmarks import bench_training as bench

N_X, N_1 = 12288, 20  # the course's input size and first hidden layer


def sweep(ms, dtype, repeats, seed=0, n_x=N_X):
    """[(m, ms per iteration in F order, in C order)], medians of `repeats` rounds taken in turn."""
    rng = np.random.default_rng(seed)
    rows = []
    for m in ms:
        X = rng.random((n_x, m)).astype(dtype)
        per_run = max(1, round(3000 / m))  # iterations per timed run: ~10 ms or more
        tasks = {"F": bench.gemm_floor_task(np.asfortranarray(X), N_1, per_run, transposed=True),
                 "C": bench.gemm_floor_task(np.ascontiguousarray(X), N_1, per_run, transposed=False)}
        t = bench.measure(tasks, repeats)
        rows.append((m, t["F"] / per_run * 1e3, t["C"] / per_run * 1e3))
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--m", type=int, nargs="+", default=[209, 418, 627, 836, 1045, 1463, 2090, 4180],
                        help="numbers of examples")
    parser.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    parser.add_argument("--threads", type=int, default=None, help="BLAS threads (needs threadpoolctl)")
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--n-x", type=int, default=N_X, help="input size (default: the course's, 12288)")
    args = parser.parse_args(argv)
    dtype = np.dtype(args.dtype).type

    def run():
        print(f"{args.dtype}, X ({args.n_x}, m); ms per iteration of Z1 and dW1, median of {args.repeats}")
        print(f"{'m':>6} {'F order':>8} {'C order':>8} {'F / C':>6}")
        for m, f, c in sweep(args.m, dtype, args.repeats, n_x=args.n_x):
            print(f"{m:6d} {f:8.2f} {c:8.2f} {f / c:6.2f}")

    if args.threads is None:
        run()
    else:
        from threadpoolctl import threadpool_limits
        with threadpool_limits(args.threads):
            run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
