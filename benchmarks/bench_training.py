"""How fast does dnn_utils train, next to a textbook version, the BLAS floor and PyTorch?

The course's model [12288, 20, 7, 5, 1] is trained by full-batch gradient descent on
64x64x3 cat / non-cat images. Almost all the work of one iteration is two matrix
products with the input X (n_x = 12288 rows, m columns):

    forward   Z1  = W1 · X      (20 x 12288) @ (12288 x m)
    backward  dW1 = dZ1 · X.T   (20 x m) @ (m x 12288)

that is 2 · 2 · 20 · 12288 · m flops, about 205 MFLOP at m = 209. Their time, measured
alone in the same run, is the "GEMM floor": no implementation can beat it by much.

The floor is timed in every way of computing the two products that dnn_utils could use,
and the fastest is reported, so the ratio to it is never flattered by a slow layout:
X stored feature by feature (C order) or example by example (F order, as flatten_images
makes it and L_layer_model trains on it), times Z1 computed as W1 · X or as the transpose
of X.T · W1.T (the two call OpenBLAS differently; L_layer_model uses the second, which is
faster in float32). dW1 is dZ1 · X.T with dZ1 in C order, as L_layer_model's step makes it:
its other forms, the transpose of X · dZ1.T (about 2x slower in float64) and products into
a preallocated `out=` buffer, were never faster in the exploration behind this choice.

This script prints, for each dtype and for m = 209, 2090 and 8360 examples:

* ms per iteration of dnn_utils.L_layer_model and the GFLOP/s achieved;
* the ratio to the GEMM floor;
* the ratio to the textbook implementation below (the course's algorithm written plainly);
* the ratio to the same model in PyTorch, if torch can be imported;
* the peak extra memory one training iteration allocates (tracemalloc), as a fraction of X;
* a check that dnn_utils and the textbook version give the same gradients and costs.

Every time is the median of --repeats runs, the competitors measured in turn (round robin,
each round starting one further along), so a load change on a shared machine hits them alike. Usage:

    python benchmarks/bench_training.py            # the full table, about 3 minutes
    python benchmarks/bench_training.py --quick    # a smoke test: m = 209, few repeats

PyTorch is not a dependency of the project; run the script with a Python that has it
(e.g. a separate virtual environment) to get the PyTorch columns.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib.util
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import dnn_fast  # noqa: E402
import dnn_utils  # noqa: E402

LAYERS_DIMS = [12288, 20, 7, 5, 1]
LEARNING_RATE = 0.0075
SIZES = (209, 2090, 8360)


# ---------------------------------------------------------------------------
# The textbook implementation: the course's algorithm, written the plain way.
# Correct, not optimized: it computes dA0 (the gradient with respect to X), the
# gradient dAL of the cost and then sigmoid_backward (two more exp), copies the
# parameters at every update, and multiplies the large dW by 1/m.
# ---------------------------------------------------------------------------

def textbook_forward(X, parameters):
    """[LINEAR -> RELU] * (L-1) -> LINEAR -> SIGMOID. Returns AL and the caches."""
    L = len(parameters) // 2
    caches = []
    A = X
    for l in range(1, L + 1):
        A_prev = A
        W, b = parameters["W" + str(l)], parameters["b" + str(l)]
        Z = np.dot(W, A_prev) + b
        if l < L:
            A = np.maximum(0, Z)
        else:
            A = 1 / (1 + np.exp(-Z))
        caches.append(((A_prev, W, b), Z))
    return A, caches


def textbook_cost(AL, Y):
    """Cross-entropy J = -1/m Σ [y log(a) + (1-y) log(1-a)]."""
    m = Y.shape[1]
    return float(-1 / m * np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))


def textbook_backward(AL, Y, caches):
    """Backward propagation; grads holds dW1, db1, ..., dA0, dA1, ..."""
    grads = {}
    L = len(caches)
    m = AL.shape[1]
    dA = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))  # dJ/dAL
    for l in reversed(range(1, L + 1)):
        (A_prev, W, b), Z = caches[l - 1]
        if l == L:  # sigmoid_backward
            s = 1 / (1 + np.exp(-Z))
            dZ = dA * s * (1 - s)
        else:  # relu_backward
            dZ = np.array(dA, copy=True)
            dZ[Z <= 0] = 0
        grads["dW" + str(l)] = 1 / m * np.dot(dZ, A_prev.T)
        grads["db" + str(l)] = 1 / m * np.sum(dZ, axis=1, keepdims=True)
        dA = np.dot(W.T, dZ)
        grads["dA" + str(l - 1)] = dA
    return grads


def textbook_update(parameters, grads, learning_rate):
    """W = W - α·dW, b = b - α·db, in new arrays."""
    L = len(parameters) // 2
    for l in range(1, L + 1):
        parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return parameters


def textbook_model(X, Y, parameters, learning_rate=LEARNING_RATE, num_iterations=3000):
    """Gradient descent from the given initial parameters; returns them and the cost every 100."""
    parameters = {k: v.copy() for k, v in parameters.items()}
    costs = []
    for i in range(num_iterations):
        AL, caches = textbook_forward(X, parameters)
        if i % 100 == 0:
            costs.append(textbook_cost(AL, Y))
        grads = textbook_backward(AL, Y, caches)
        parameters = textbook_update(parameters, grads, learning_rate)
    return parameters, costs


# ---------------------------------------------------------------------------
# The same model in PyTorch (optional): same initial parameters, same data,
# same dtype, full-batch gradient descent with autograd.
# ---------------------------------------------------------------------------

def torch_model(torch, X, Y, parameters, learning_rate=LEARNING_RATE, num_iterations=1):
    """Train with PyTorch from copies of `parameters`; X, Y numpy. Returns the last cost."""
    X, Y = torch.from_numpy(X), torch.from_numpy(Y)
    L = len(parameters) // 2
    params = [torch.tensor(parameters[f"{p}{l}"], requires_grad=True)
              for l in range(1, L + 1) for p in "Wb"]
    loss = None
    for _ in range(num_iterations):
        A = X
        for l in range(L):
            W, b = params[2 * l], params[2 * l + 1]
            Z = torch.addmm(b, W, A)
            A = torch.relu(Z) if l < L - 1 else Z
        # sigmoid + cross-entropy in one numerically stable function, as dnn_utils fuses them
        loss = torch.nn.functional.binary_cross_entropy_with_logits(A, Y)
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= learning_rate * p.grad
                p.grad = None
    return float(loss.detach())


def import_torch():
    """torch, or None if it cannot be imported.

    PyTorch's OpenMP threads busy-wait for a while after each PyTorch call (the OpenMP
    default), on the same two cores that numpy's OpenBLAS threads need next: here that
    made whatever numpy ran after PyTorch up to 10% slower. Unless OMP_WAIT_POLICY is set,
    it is set to PASSIVE (threads sleep when idle) before torch is imported; PyTorch's own
    times were no slower with it (README, Performance).
    """
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    try:
        import torch
    except ImportError:
        return None
    return torch


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

def cache_dir():
    folder = Path(tempfile.gettempdir()) / "dnn_utils_bench"
    folder.mkdir(exist_ok=True)
    return folder


def generated_images(m, seed=1):
    """(m, 64, 64, 3) uint8 images and (1, m) labels from datasets/make_catvnoncat.py, cached.

    Generating takes about 16 ms per image (minutes for 8360), so a set is kept in the
    temporary folder. A set made by an earlier version of the generator is still used,
    with a note: only the timings matter here. Delete the folder to generate afresh.
    """
    path = ROOT / "datasets" / "make_catvnoncat.py"
    version = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    cached = cache_dir() / f"catvnoncat_train_{m}_seed{seed}.npz"
    if cached.is_file():
        with np.load(cached) as data:
            if str(data["version"]) != version:
                print(f"  note: {cached} was made by an earlier version of the generator")
            return data["x"], data["y"].reshape(1, -1)
    spec = importlib.util.spec_from_file_location("make_catvnoncat", path)
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    print(f"  generating {m} images with datasets/make_catvnoncat.py (once; cached in {cache_dir()}) ...",
          flush=True)
    t0 = time.perf_counter()
    x, y, _, _ = generator.make_dataset(m, 1, seed=seed)
    print(f"  ... {time.perf_counter() - t0:.0f} s", flush=True)
    tmp = cached.with_suffix(".tmp.npz")
    np.savez(tmp, x=x, y=y, version=version)
    os.replace(tmp, cached)
    return x, y.reshape(1, -1)


def training_sets(sizes):
    """{m: (X float64 (12288, m), Y (1, m), where it came from)} for every m in sizes.

    m = 209 is the shipped training set when datasets/ holds it. The larger sets come
    from the dataset generator: one set of max(sizes) images, of which the first m are used.
    """
    sets = {}
    try:
        x, y, _, _, _ = dnn_utils.load_data()
        shipped = (x, y, f"shipped datasets/train_catvnoncat.h5 ({x.shape[0]} images)")
    except (FileNotFoundError, ValueError):
        shipped = None
    big = None
    for m in sorted(sizes):
        if shipped is not None and shipped[0].shape[0] == m:
            x, y, source = shipped
        else:
            if big is None:
                n = max(sizes) if shipped is None or len(sizes) > 1 else m
                big = generated_images(n)
            x, y = big[0][:m], big[1][:, :m]
            source = f"make_catvnoncat.make_dataset({big[0].shape[0]}, seed=1)" + (
                f", first {m} images" if m < big[0].shape[0] else "")
        sets[m] = (dnn_utils.flatten_images(x), y.astype(np.float64), source)
    return sets


# ---------------------------------------------------------------------------
# Measurements
# ---------------------------------------------------------------------------

def blas_info():
    """(library, kernel, threads) of numpy's BLAS, from threadpoolctl if installed."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return ("?", "?", None)
    for lib in threadpool_info():
        if lib.get("user_api") == "blas":
            return (f"{lib['internal_api']} {lib.get('version')}", lib.get("architecture", "?"),
                    lib["num_threads"])
    return ("?", "?", None)


def model_flops(layers_dims, m):
    """Flops of the matrix products of one iteration: Z = W·A, dW = dZ·A.T, dA = W.T·dZ (not dA0)."""
    flops = 0
    for l in range(1, len(layers_dims)):
        mac = layers_dims[l] * layers_dims[l - 1] * m
        flops += 2 * mac * (3 if l > 1 else 2)
    return flops


def gemm_floor_task(X, n1, iterations, transposed=False):
    """A function timing `iterations` x (Z1 = W1 · X and dW1 = dZ1 · X.T), the unavoidable products.

    transposed -- compute Z1 as (X.T · W1.T).T, the form L_layer_model uses (same numbers)
    """
    rng = np.random.default_rng(0)
    W1 = rng.standard_normal((n1, X.shape[0])).astype(X.dtype)
    dZ1 = rng.standard_normal((n1, X.shape[1])).astype(X.dtype)

    def run():
        for _ in range(iterations):
            if transposed:
                (X.T @ W1.T).T
            else:
                W1 @ X
            dZ1 @ X.T
    return run


#: The ways of computing the floor's two products: X's layout and the form of Z1
FLOOR_WAYS = {"C W1·X": ("C", False), "C X.T·W1.T": ("C", True),
              "F W1·X": ("F", False), "F X.T·W1.T": ("F", True)}


class SelfTimed:
    """A task that measures itself: calling it returns the seconds that count."""

    def __init__(self, fn):
        self.fn = fn

    def __call__(self):
        return self.fn()


def time_once(fn):
    if isinstance(fn, SelfTimed):
        return fn()
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


@contextlib.contextmanager
def before_each_step(hook):
    """Within the block, L_layer_model calls hook(X) before each iteration, X being what it trains on.

    An iteration of L_layer_model is one call of dnn_fast.training_step; the hook is put in
    front of it, and taken away again when the block ends.
    """
    step = dnn_fast.training_step

    def hooked_step(X_train, *args):
        hook(X_train)
        return step(X_train, *args)

    dnn_fast.training_step = hooked_step
    try:
        yield
    finally:
        dnn_fast.training_step = step


def training_loop_task(X, Y, dtype, iterations, layers_dims=LAYERS_DIMS):
    """A SelfTimed task: the time of L_layer_model's `iterations` iterations, without its setup.

    The clock starts just before L_layer_model's first iteration and stops when it returns:
    the loop, its divergence checks and cost computations are timed; the input checks, the
    initialization and putting X in the training dtype and layout (a copy of X unless it
    is already float64 in Fortran order: at large m it would swamp the few iterations
    timed) are not.
    """
    def run():
        starts = []  # the time each iteration starts
        with before_each_step(lambda X_train: starts.append(time.perf_counter())):
            dnn_utils.L_layer_model(X, Y, layers_dims, LEARNING_RATE, iterations, dtype=dtype)
        return time.perf_counter() - starts[0]
    return SelfTimed(run)


def measure(tasks, repeats):
    """Median seconds of each task, run in turn `repeats` times (after one warm-up round).

    Each round starts one task further along the list, so every task follows every other
    equally often: what a task leaves behind (PyTorch's OpenMP threads still spinning, say,
    or a cache full of its own arrays) does not always fall on the same neighbour.
    """
    for fn in tasks.values():
        fn()
    names = list(tasks)
    times = {k: [] for k in tasks}
    for r in range(repeats):
        for k in names[r % len(names):] + names[:r % len(names)]:
            times[k].append(time_once(tasks[k]))
    return {k: statistics.median(v) for k, v in times.items()}


def iteration_peak_memory(X, Y, dtype, layers_dims=LAYERS_DIMS):
    """Peak bytes allocated by one iteration of L_layer_model beyond what it held before it.

    tracemalloc sees numpy's allocations. An iteration is one call of dnn_fast.training_step
    (forward, backward and update): tracemalloc's peak is reset before each, so the setup
    before the loop (the cast of X, the initialization) is not counted.

    Returns the largest peak of three iterations, and the X that L_layer_model trains
    on (to report its memory layout).
    """
    marks, seen = [], []

    def mark(X_train):
        marks.append(tracemalloc.get_traced_memory())
        tracemalloc.reset_peak()
        seen.append(X_train)

    tracemalloc.start()
    try:
        with before_each_step(mark):
            dnn_utils.L_layer_model(X, Y, layers_dims, LEARNING_RATE, num_iterations=4, dtype=dtype)
        marks.append(tracemalloc.get_traced_memory())
    finally:
        tracemalloc.stop()
    # marks[i] = (current at the start of iteration i, peak during iteration i - 1)
    peak = max(marks[i + 1][1] - marks[i][0] for i in range(1, len(marks) - 1))
    return peak, seen[0]


def textbook_peak_memory(X, Y, parameters):
    """Peak bytes allocated by one iteration of the textbook version."""
    parameters = {k: v.copy() for k, v in parameters.items()}
    tracemalloc.start()
    try:
        start, _ = tracemalloc.get_traced_memory()
        AL, caches = textbook_forward(X, parameters)
        grads = textbook_backward(AL, Y, caches)
        textbook_update(parameters, grads, LEARNING_RATE)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - start


def relative_difference(a, b):
    """||a - b|| / max(||a||, ||b||), 0 if both are zero."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    scale = max(np.linalg.norm(a), np.linalg.norm(b))
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)


def compare_one_step(X, Y, layers_dims, seed=1):
    """Largest relative difference between the textbook's dW, db of one step and those L_layer_model uses.

    L_layer_model's step (dnn_fast.training_step) never stores dW: it subtracts α·dW from W.
    With α = 1, W - W_after is dW itself.
    """
    before = dnn_utils.initialize_parameters(layers_dims, seed=seed)
    after = {k: v.copy() for k, v in before.items()}
    dnn_fast.training_step(X, Y, after, 1.0)
    AL_t, caches_t = textbook_forward(X, before)
    grads_t = textbook_backward(AL_t, Y, caches_t)
    return max(relative_difference(before[k] - after[k], grads_t["d" + k]) for k in before)


def compare_costs(X, Y, layers_dims, num_iterations, seed=1):
    """Largest |cost difference| between L_layer_model and textbook_model over a run."""
    _, costs = dnn_utils.L_layer_model(X, Y, layers_dims, LEARNING_RATE, num_iterations, seed=seed)
    initial = dnn_utils.initialize_parameters(layers_dims, seed=seed)
    _, costs_t = textbook_model(X, Y, initial, LEARNING_RATE, num_iterations)
    return max(abs(a - b) for a, b in zip(costs, costs_t)), costs[-1]


def bench_size(X64, Y64, dtype, repeats, block, torch, with_textbook):
    """Times (seconds per iteration) and memory for one training set and one dtype."""
    m = X64.shape[1]
    X = X64.astype(dtype)  # the caller's X in the training dtype, as flatten_images lays it out
    Y = Y64.astype(dtype)
    n1 = LAYERS_DIMS[1]
    initial = dnn_utils.initialize_parameters(LAYERS_DIMS, seed=1, dtype=dtype)

    tasks = {"dnn_utils": training_loop_task(X, Y, dtype, block)}
    # the floor in both memory layouts of X, features contiguous (C) or examples contiguous (F),
    # and both forms of Z1
    for way, (order, transposed) in FLOOR_WAYS.items():
        tasks["floor " + way] = gemm_floor_task(np.asarray(X, order=order), n1, block, transposed)
    if with_textbook:
        tasks["textbook"] = lambda: textbook_model(X, Y, initial, LEARNING_RATE, block)
    if torch is not None:
        tasks["pytorch"] = lambda: torch_model(torch, X, Y, initial, LEARNING_RATE, block)
    t = measure(tasks, repeats)
    out = {k: v / block for k, v in t.items()}
    out["floor layout"] = min(FLOOR_WAYS, key=lambda way: out["floor " + way])
    out["floor"] = out["floor " + out["floor layout"]]
    out["memory"], Xt = iteration_peak_memory(X, Y, dtype)
    out["dnn_utils layout"] = "F" if Xt.flags.f_contiguous else "C" if Xt.flags.c_contiguous else "?"
    out["X bytes"] = Xt.nbytes
    if with_textbook:
        out["textbook memory"] = textbook_peak_memory(X, Y, initial)
    out["flops"] = model_flops(LAYERS_DIMS, m)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="m = 209 only, few repeats: a smoke test")
    parser.add_argument("--dtype", choices=["float64", "float32", "both"], default="both")
    parser.add_argument("--repeats", type=int, default=None,
                        help="timed runs per measurement, the median is reported (default 5, quick 3)")
    parser.add_argument("--cost-iterations", type=int, default=2500,
                        help="length of the run whose costs are compared with the textbook's "
                             "(default 2500; 0 skips it)")
    parser.add_argument("--threads", type=int, default=None,
                        help="BLAS threads for numpy (needs threadpoolctl) and torch (default: numpy's)")
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch even if installed")
    args = parser.parse_args(argv)
    repeats = args.repeats or (3 if args.quick else 5)
    sizes = (209,) if args.quick else SIZES
    dtypes = [np.float64, np.float32] if args.dtype == "both" else [np.dtype(args.dtype).type]

    limiter = None
    if args.threads:
        try:
            from threadpoolctl import threadpool_limits
        except ImportError:
            parser.error("--threads needs threadpoolctl (pip install threadpoolctl), "
                         "or set OPENBLAS_NUM_THREADS before running")
        limiter = threadpool_limits(args.threads, user_api="blas")
    blas, kernel, threads = blas_info()
    torch = None if args.no_torch else import_torch()
    if torch is not None:
        torch.set_num_threads(threads or os.cpu_count())

    print(f"numpy {np.__version__}, BLAS {blas}, kernel {kernel}, {threads} threads; "
          f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}; "
          f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}")
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads, "
          f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY')}" if torch is not None
          else "PyTorch not importable: no PyTorch columns")
    print(f"model {LAYERS_DIMS}, full-batch gradient descent; median of {repeats} runs")

    data = training_sets(sizes)
    for m, (_, _, source) in data.items():
        print(f"m = {m}: {source}")

    # Correctness first: the fast module must compute what the textbook computes.
    X209, Y209, _ = data[min(data)]
    print(f"\none step, float64: max relative difference of dW, db vs textbook = "
          f"{compare_one_step(X209, Y209, LAYERS_DIMS):.1e}  (target <= 1e-10)")
    if not args.quick and args.cost_iterations > 0:
        t0 = time.perf_counter()
        diff, last = compare_costs(X209, Y209, LAYERS_DIMS, args.cost_iterations)
        print(f"{args.cost_iterations} iterations, float64: max |cost difference| vs textbook = {diff:.1e}  "
              f"(target <= 1e-6; final cost {last:.6f}; {time.perf_counter() - t0:.0f} s)")

    results = {}
    for dtype in dtypes:
        for m, (X, Y, _) in data.items():
            block = max(2, round(20 * 209 / m))  # iterations per timed run: ~0.1 s
            results[dtype, m] = bench_size(X, Y, dtype, repeats, block, torch, with_textbook=True)

    print("\nms per iteration (median); GFLOP/s of dnn_utils; ratios are time / time")
    header = (f"{'dtype':8} {'m':>5} {'dnn_utils':>9} {'GFLOP/s':>7} {'floor':>7} {'x floor':>7} "
              f"{'textbook':>8} {'x faster':>8}")
    if torch is not None:
        header += f" {'pytorch':>7} {'x torch':>7}"
    header += f" {'mem/X':>6} {'textbook mem/X':>14} {'layout':>6}"
    print(header)
    for (dtype, m), r in results.items():
        row = (f"{dtype.__name__:8} {m:5d} {r['dnn_utils'] * 1e3:9.2f} "
               f"{r['flops'] / r['dnn_utils'] / 1e9:7.1f} {r['floor'] * 1e3:7.2f} "
               f"{r['dnn_utils'] / r['floor']:7.2f} {r['textbook'] * 1e3:8.2f} "
               f"{r['textbook'] / r['dnn_utils']:8.2f}")
        if torch is not None:
            row += f" {r['pytorch'] * 1e3:7.2f} {r['dnn_utils'] / r['pytorch']:7.2f}"
        row += (f" {r['memory'] / r['X bytes']:6.3f} {r['textbook memory'] / r['X bytes']:14.3f} "
                f"{r['dnn_utils layout']:>6}")
        print(row)
    print("\nfloor = Z1 = W1·X and dW1 = dZ1·X.T alone, the fastest of X's two layouts "
          "(C: features contiguous, F: examples contiguous)\nand Z1's two forms, W1·X or (X.T·W1.T).T; "
          "ms per iteration:")
    for (dtype, m), r in results.items():
        ways = ", ".join(f"{way} {r['floor ' + way] * 1e3:6.2f}" for way in FLOOR_WAYS)
        print(f"  {dtype.__name__:8} m = {m:5d}: {ways}; fastest {r['floor layout']}; "
              f"L_layer_model: {r['dnn_utils layout']} X.T·W1.T")

    if np.float64 in dtypes and np.float32 in dtypes:
        print("\nfloat32 speed-up over float64 (time float64 / time float32):")
        for m in data:
            r64, r32 = results[np.float64, m], results[np.float32, m]
            print(f"  m = {m:5d}: dnn_utils {r64['dnn_utils'] / r32['dnn_utils']:.2f}x, "
                  f"floor {r64['floor'] / r32['floor']:.2f}x")
    if len(data) > 1:
        print("\ngrowth from the smallest m (linear = the ratio of the m's):")
        m0 = min(data)
        for dtype in dtypes:
            for m in data:
                if m == m0:
                    continue
                r, r0 = results[dtype, m], results[dtype, m0]
                print(f"  {dtype.__name__:8} m = {m:5d} ({m / m0:4.1f}x the examples): "
                      f"time {r['dnn_utils'] / r0['dnn_utils']:5.2f}x, "
                      f"memory {r['memory'] / r0['memory']:5.2f}x")
    if limiter is not None:
        limiter.restore_original_limits()
    return 0


if __name__ == "__main__":
    sys.exit(main())
