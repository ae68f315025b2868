"""How long does the whole training of the course's model take: dnn_utils, the textbook, PyTorch?

The course's model [12288, 20, 7, 5, 1] is trained by full-batch gradient descent on
64x64x3 cat / non-cat images for 2500 iterations, learning rate 0.0075. For each dtype
(float64, float32) and m = 209, 2090, 8360 and at the crossover (the largest m at which
dnnlib.fast's cost model still takes the span form) and one example past it, this script times, in one run:

* L_layer_model_fast (dnnlib.fast, the fast path the notebooks train with) as a learner calls
  it (form="auto"), setup included: input checks, initialization, X in the training dtype,
  and for the span form G = X.T·X and Z1_0 = W1_0·X (dnnlib.fast.SpanFirstLayer), and
  forming W1 at the end;
* the same with form="weights" (the fused step on W1 itself, the path before the span form);
* the GEMM floor of the weights form: Z1 = W1·X and dW1 = dZ1·X.T alone, the fastest of
  four ways (X's two layouts, Z1's two forms), x 2500;
* the textbook version below (the course's algorithm written plainly);
* the same model in PyTorch (same data, initial parameters, learning rate, dtype and
  threads; autograd, manual gradient descent), if torch can be imported;

and prints totals in seconds and the ratios, and the span form's extra memory (G, Z1_0, C)
as a fraction of X. How totals are measured: where a full 2500-iteration run would be long,
a run is stopped after k iterations (the times of its progress calls are recorded):
total = time to the first iteration's end (setup + 1 iteration) + 2499 x the median time of
one of the next iterations (+ forming W1, timed alone, for the span form). The table says
how many iterations were really run ("ran").

    python -m benchmarks.bench_training            # the full table, about 10 minutes
    python -m benchmarks.bench_training --write    # ... and write it into benchmarks/README.md
    python -m benchmarks.bench_training --quick    # a smoke test: m = 209, float64, few iterations

(from the clone's root; `python benchmarks/bench_training.py` works too where the project is
installed, e.g. `pip install -e .`).

PyTorch is not a dependency of the project; run the script with a Python that has it
(e.g. a separate virtual environment) to get the PyTorch columns.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import dnn_utils
from dnnlib import fast as dnn_fast
from dnnlib.datasets import make_catvnoncat
from dnnlib.initialization import initial_parameters

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
    """(m, 64, 64, 3) uint8 images and (1, m) labels from dnnlib.datasets.make_catvnoncat, cached.

    Generating takes about 16 ms per image (minutes for 8360), so a set is kept in the
    temporary folder. A set made by an earlier version of the generator is still used,
    with a note: only the timings matter here. Delete the folder to generate afresh.
    """
    version = hashlib.sha256(Path(make_catvnoncat.__file__).read_bytes()).hexdigest()[:12]
    cached = cache_dir() / f"catvnoncat_train_{m}_seed{seed}.npz"
    larger = sorted((int(f.name.split("_")[2]), f) for f in cache_dir().glob(f"catvnoncat_train_*_seed{seed}.npz")
                    if f.name.split("_")[2].isdigit() and int(f.name.split("_")[2]) >= m)
    if not cached.is_file() and larger:  # the first m images of a larger cached set (same generator)
        with np.load(larger[0][1]) as data:
            return data["x"][:m], data["y"].reshape(1, -1)[:, :m]
    if cached.is_file():
        with np.load(cached) as data:
            if str(data["version"]) != version:
                print(f"  note: {cached} was made by an earlier version of the generator")
            return data["x"], data["y"].reshape(1, -1)
    print(f"  generating {m} images with dnnlib.datasets.make_catvnoncat (once; cached in {cache_dir()}) ...",
          flush=True)
    t0 = time.perf_counter()
    x, y, _, _ = make_catvnoncat.make_dataset(m, 1, seed=seed)
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

    transposed -- compute Z1 as (X.T · W1.T).T, the form L_layer_model_fast uses (same numbers)
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


def time_once(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


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


README = Path(__file__).resolve().parent / "README.md"
START, END = "<!-- bench_training:start -->", "<!-- bench_training:end -->"


class _Stop(Exception):
    """Raised by the timed progress callback to end a run after its k iterations."""


@contextlib.contextmanager
def timed_progress(times, stop_after=None):
    """Within the block, L_layer_model_fast's progress records perf_counter() after each iteration's
    forward pass, and ends the run with _Stop after `stop_after` iterations."""
    original = dnn_fast.TrainingProgress

    class Timed(original):
        def __call__(self, i, AL):
            super().__call__(i, AL)
            times.append(time.perf_counter())
            if stop_after is not None and i + 1 >= stop_after:
                raise _Stop

    dnn_fast.TrainingProgress = Timed
    try:
        yield
    finally:
        dnn_fast.TrainingProgress = original


def extrapolate(t0, times, T):
    """Total of a T-iteration run from the progress times of its first k iterations."""
    steps = np.diff(times)
    per_iteration = float(np.median(steps)) if len(steps) else times[0] - t0
    return (times[0] - t0) + (T - 1) * per_iteration


def time_training(X, Y, dtype, form, T, k, layers_dims=LAYERS_DIMS):
    """Seconds of L_layer_model_fast(X, Y, ..., T iterations, form=form), setup included; k iterations run."""
    times = []
    t0 = time.perf_counter()
    with timed_progress(times, stop_after=k if k < T else None):
        try:
            dnn_fast.L_layer_model_fast(X, Y, layers_dims, LEARNING_RATE, T, dtype=dtype, form=form)
            return time.perf_counter() - t0
        except _Stop:
            pass
    total = extrapolate(t0, times, T)
    if form_used(X, dtype, form, T, layers_dims) == "span":  # forming W1 = W1_0 + C·X.T, after the loop
        span = object.__new__(dnn_fast.SpanFirstLayer)
        span.X = np.asfortranarray(np.asarray(X, dtype=dtype))
        span.W1_0 = np.zeros((layers_dims[1], X.shape[0]), dtype=dtype)
        span.C = np.zeros((layers_dims[1], X.shape[1]))
        t1 = time.perf_counter()
        span.weights()
        total += time.perf_counter() - t1
    return total


def form_used(X, dtype, form, T, layers_dims=LAYERS_DIMS):
    if form != "auto":
        return form
    return dnn_fast.choose_form(X.shape[0], X.shape[1], layers_dims[1], T, np.dtype(dtype).itemsize)


def time_per_iteration(fn, k):
    """(seconds of fn(k) / k): a loop of k iterations."""
    t0 = time.perf_counter()
    fn(k)
    return (time.perf_counter() - t0) / k


def crossover(dtype, T, layers_dims=LAYERS_DIMS):
    """The largest m at which choose_form takes the span form for the course's model."""
    n_x, n1 = layers_dims[0], layers_dims[1]
    lo, hi = 1, 4 * n_x
    while lo < hi:  # the span form is taken on 1..crossover (memory cap and flops both grow with m)
        mid = (lo + hi + 1) // 2
        if dnn_fast.choose_form(n_x, mid, n1, T, np.dtype(dtype).itemsize) == "span":
            lo = mid
        else:
            hi = mid - 1
    return lo


def bench_whole(X64, Y64, dtype, T, repeats, torch, layers_dims=LAYERS_DIMS, scale=1.0):
    """Totals (seconds of a T-iteration training) of every competitor for one training set and dtype."""
    m = X64.shape[1]
    X, Y = X64.astype(dtype), Y64.astype(dtype)
    n1 = layers_dims[1]
    initial = initial_parameters(layers_dims, seed=1, dtype=dtype)
    k_weights = max(3, min(T, int(scale * 8e4 / m)))
    k_span = T if m <= 2100 else max(10, min(T, int(scale * 2e5 / m)))
    auto = form_used(X, dtype, "auto", T, layers_dims)
    out = {"form": auto, "m": m}
    runs = {"auto": k_span if auto == "span" else k_weights, "weights": k_weights}
    tasks = {name: (lambda f=name, k=k: time_training(X, Y, dtype, f, T, k, layers_dims))
             for name, k in runs.items()}
    k_text = max(2, k_weights // 2)
    tasks["textbook"] = lambda: time_per_iteration(
        lambda k: textbook_model(X, Y, initial, LEARNING_RATE, k), k_text) * T
    Xf = np.asfortranarray(X)
    for way, (order, transposed) in FLOOR_WAYS.items():
        task = gemm_floor_task(np.asarray(X, order=order) if order == "C" else Xf, n1, k_weights, transposed)
        tasks["floor " + way] = lambda task=task: time_once(task) / k_weights * T
    if torch is not None:
        tasks["pytorch"] = lambda: time_per_iteration(
            lambda k: torch_model(torch, X, Y, initial, LEARNING_RATE, k), k_weights) * T
    times = {name: [] for name in tasks}
    names = list(tasks)
    for r in range(repeats):
        for name in names[r % len(names):] + names[:r % len(names)]:
            times[name].append(tasks[name]())
    out.update({name: statistics.median(v) for name, v in times.items()})
    out["floor"] = min(out["floor " + way] for way in FLOOR_WAYS)
    out["ran"] = {"auto": runs["auto"], "weights": k_weights, "textbook": k_text}
    cost = dnn_fast.form_costs(layers_dims[0], m, n1, T, np.dtype(dtype).itemsize)
    out["span memory / X"] = cost["span bytes"] / cost["X bytes"]
    return out


def table(results, torch_version, T):
    """The markdown table of bench_whole's results."""
    head = ("| dtype | m | form | dnn_utils | ran | weights form | × its floor | textbook | × faster |"
            + (" PyTorch | × PyTorch |" if torch_version else "") + " span memory / X |")
    rows = [head, "|" + "---|" * (head.count("|") - 1)]
    for (dtype, m), r in results.items():
        row = (f"| {np.dtype(dtype).name} | {m} | {r['form']} | {r['auto']:.3g} s | {r['ran']['auto']} "
               f"| {r['weights']:.3g} s | {r['weights'] / r['floor']:.2f} | {r['textbook']:.3g} s "
               f"| {r['textbook'] / r['auto']:.0f} |")
        if torch_version:
            row += f" {r['pytorch']:.3g} s | {r['auto'] / r['pytorch']:.3f} |"
        row += f" {r['span memory / X']:.2f} |"
        rows.append(row)
    return "\n".join(rows)


#: the performance issue's targets (set for 2 threads)
TARGET_PYTORCH = {209: 0.05, 2090: 0.25}   # dnn_utils' time / PyTorch's, at these m
TARGET_FLOOR = 1.15                        # weights form / its GEMM floor, past the crossover


def targets(results, crossovers, torch_version):
    """The markdown table of the targets each measured row bears on, met or not."""
    rows = ["| target | dtype | m | measured | |", "|---|---|---|---|---|"]
    for (dtype, m), r in results.items():
        name, c = np.dtype(dtype).name, crossovers[dtype]
        checks = []
        if m in TARGET_PYTORCH and torch_version:
            checks.append((f"at most {TARGET_PYTORCH[m]}× PyTorch's time", r["auto"] / r["pytorch"],
                           TARGET_PYTORCH[m], "×"))
        if m > c:
            checks.append((f"past the crossover ({c}): weights form within {TARGET_FLOOR}× its floor",
                           r["weights"] / r["floor"], TARGET_FLOOR, "×"))
        if m == c:
            checks.append(("at the crossover: the span form's extra memory at most X", r["span memory / X"], 1.0,
                           " X"))
        for what, value, bound, unit in checks:
            rows.append(f"| {what} | {name} | {m} | {value:.3f}{unit} | {'met' if value <= bound else 'not met'} |")
    return "\n".join(rows)


def write_readme(text, readme=README):
    """Replace the text between the START and END markers of benchmarks/README.md."""
    content = readme.read_text(encoding="utf-8")
    if START not in content or END not in content:
        raise ValueError(f"{readme} has no '{START}' ... '{END}' markers")
    head, rest = content.split(START, 1)
    tail = rest.split(END, 1)[1]
    readme.write_text(f"{head}{START}\n{text}\n{END}{tail}", encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="m = 209, float64, 100 iterations: a smoke test")
    parser.add_argument("--dtype", choices=["float64", "float32", "both"], default=None)
    parser.add_argument("--sizes", type=int, nargs="+", default=None,
                        help="numbers of examples (default 209 2090 8360 and each dtype's crossover)")
    parser.add_argument("--iterations", type=int, default=None, help="training length (default 2500)")
    parser.add_argument("--repeats", type=int, default=None,
                        help="timed runs per measurement, the median is reported (default 3; 1 from m = 8000)")
    parser.add_argument("--synthetic", type=int, default=None, metavar="N_X",
                        help="random data with N_X features instead of images (model [N_X, 20, 7, 5, 1])")
    parser.add_argument("--threads", type=int, default=None,
                        help="BLAS threads for numpy (needs threadpoolctl) and torch (default: numpy's)")
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch even if installed")
    parser.add_argument("--write", action="store_true", help="write the table into benchmarks/README.md")
    args = parser.parse_args(argv)
    T = args.iterations or (100 if args.quick else 2500)
    dtypes = {"float64": [np.float64], "float32": [np.float32], "both": [np.float64, np.float32],
              None: [np.float64] if args.quick else [np.float64, np.float32]}[args.dtype]
    layers_dims = LAYERS_DIMS if args.synthetic is None else [args.synthetic] + LAYERS_DIMS[1:]
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
    header = (f"numpy {np.__version__}, BLAS {blas}, kernel {kernel}, {threads} threads; "
              f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}; "
              + (f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads"
                 if torch is not None else "PyTorch not importable"))
    print(header)
    print(f"model {layers_dims}, {T} iterations, learning rate {LEARNING_RATE}")

    plan, crossovers = {}, {}
    for dtype in dtypes:
        # the last m of the span form; c + 1 is the first of the weights form
        c = crossovers[dtype] = crossover(dtype, T, layers_dims)
        sizes = args.sizes or ((209,) if args.quick else SIZES + (c, c + 1))
        plan[dtype] = sorted(set(sizes))
    all_sizes = sorted({m for sizes in plan.values() for m in sizes})
    if args.synthetic is None:
        data = {m: (X, Y) for m, (X, Y, _) in training_sets(all_sizes).items()}
    else:
        rng = np.random.default_rng(1)
        Xall = rng.random((args.synthetic, max(all_sizes)))
        Yall = (rng.random((1, max(all_sizes))) < 0.4).astype(np.float64)
        data = {m: (np.asfortranarray(Xall[:, :m]), Yall[:, :m]) for m in all_sizes}
    scale = 0.05 if args.quick else 1.0

    results = {}
    for dtype in dtypes:
        for m in plan[dtype]:
            X, Y = data[m]
            repeats = args.repeats or (1 if m >= 8000 else 3)
            t0 = time.perf_counter()
            results[dtype, m] = r = bench_whole(X, Y, dtype, T, repeats, torch, layers_dims, scale)
            print(f"  {np.dtype(dtype).name} m = {m}: {r['form']} form, {r['auto']:.3g} s "
                  f"(measured in {time.perf_counter() - t0:.0f} s)", flush=True)
    torch_version = torch is not None and torch.__version__
    text = table(results, torch_version, T)
    text += ("\n\nAgainst the performance issue's targets (set for 2 threads):\n\n"
             + targets(results, crossovers, torch_version))
    print()
    print(text)
    print("\nratios: × its floor = weights form / GEMM floor x T; × faster = textbook / dnn_utils; "
          "× PyTorch = dnn_utils / PyTorch")
    if args.write:
        command = "python -m benchmarks.bench_training " + " ".join(sys.argv[1:] if argv is None else argv)
        write_readme(f"{header}\n\n`{command}`:\n\n{text}", README)
        print(f"written into {README}")
    if limiter is not None:
        limiter.restore_original_limits()
    return 0


if __name__ == "__main__":
    sys.exit(main())
