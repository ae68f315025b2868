"""dnnlib.fast computes what the plain textbook algorithm computes, in both forms of the first layer.

The textbook algorithm is tests/reference.py (forward with caches, backward through dA,
update in new arrays), independent of dnn_utils and dnnlib.fast. No test here measures time;
the memory tests use tracemalloc, which numpy reports to.
"""

import tracemalloc
import warnings

import numpy as np
import pytest

import dnn_utils
from benchmarks import bench_training, compare_versions, layout_sweep
from dnnlib import fast as dnn_fast
from tests import reference

#: agreement of a whole training with the textbook's (relative, per parameter and per AL)
AGREEMENT = {np.float64: 1e-10, np.float32: 1e-4}
#: iterations of the agreement runs. In float32, two summation orders of the same products
#: round Z differently by about 1e-7; when a ReLU input lies that close to 0, the two runs
#: take different ReLU branches for that example and separate from then on. Measured: the
#: span form vs the textbook, [300, 9, 7, 5, 3, 1] at m = 400, went from 6e-8 to 2e-4 at
#: iteration 30 (in float64 it stays at 1e-16 relative); today's weights form vs the
#: course's loop, [300, 8, 4, 1] at m = 400, 8e-4 after 350 iterations. float32 runs are
#: therefore compared over 25 iterations; float64 over 60.
ITERATIONS = {np.float64: 60, np.float32: 25}
#: one step, where only rounding differs
STEP = {np.float64: dict(rtol=1e-12, atol=1e-14), np.float32: dict(rtol=1e-5, atol=1e-6)}


def random_data(n_x, m, seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    X = rng.random((n_x, m)).astype(dtype)
    Y = (rng.random((1, m)) < 0.4).astype(dtype)
    Y[0, :2] = [0, 1]  # both classes present
    return X, Y


def initial(layers_dims, dtype, seed=2):
    """The reference's initialization with small nonzero biases (so that b is tested too)."""
    parameters = reference.initialize(layers_dims, seed=seed, dtype=dtype)
    return {k: (v + 0.01).astype(dtype) if k[0] == "b" else v for k, v in parameters.items()}


def fast_train(X, Y, parameters, learning_rate, num_iterations, form):
    """dnn_fast.train from copies of `parameters`: (trained parameters, every iteration's AL)."""
    outputs = []
    trained = dnn_fast.train(X, Y, {k: v.copy() for k, v in parameters.items()}, learning_rate,
                             num_iterations, lambda i, AL: outputs.append(AL.copy()), form=form)
    return trained, outputs


def disagreement(X, Y, layers_dims, dtype, form, num_iterations=None, learning_rate=0.1):
    """Largest relative difference between dnn_fast.train's and the reference's parameters and ALs."""
    X, Y = X.astype(dtype), Y.astype(dtype)
    num_iterations = num_iterations or ITERATIONS[dtype]
    P0 = initial(layers_dims, dtype)
    expected, expected_AL = reference.train(X, Y, P0, learning_rate, num_iterations)
    trained, outputs = fast_train(X, Y, P0, learning_rate, num_iterations, form)
    assert sorted(trained) == sorted(expected) and len(outputs) == num_iterations
    assert all(v.dtype == dtype and v.shape == expected[k].shape for k, v in trained.items())
    return max([reference.relative_difference(trained[k], expected[k]) for k in expected]
               + [reference.relative_difference(a, b) for a, b in zip(outputs, expected_AL)])


ARCHITECTURES = [[300, 1], [300, 5, 1], [300, 8, 4, 1], [300, 9, 7, 5, 3, 1]]
#: with n_x = 300, the cost model chooses the span form at m = 40 and the weights form at m = 400
#: (in both dtypes, for 25 iterations or more)
M_SPAN, M_WEIGHTS = 40, 400


# --- the cost model -------------------------------------------------------------------------

def test_cost_model_counts_the_first_layers_products():
    cost = dnn_fast.form_costs(n_x=12288, m=209, n1=20, num_iterations=2500)
    assert cost["weights"] == 2500 * 2 * (2 * 20 * 12288 * 209)
    assert cost["span"] == 12288 * 209 ** 2 + 2 * (2 * 20 * 12288 * 209) + 2500 * 2 * 20 * 209 ** 2
    assert cost["span bytes"] == 8 * (209 ** 2 + 2 * 20 * 209) and cost["X bytes"] == 8 * 12288 * 209


@pytest.mark.parametrize("n_x, m, n1, T, form", [
    (12288, 209, 20, 2500, "span"),      # the course
    (12288, 2090, 20, 2500, "span"),
    (12288, 8360, 20, 2500, "span"),
    (12288, 12248, 20, 2500, "span"),    # G, Z1_0 and C together exactly as large as X
    (12288, 12249, 20, 2500, "weights"),  # one example more: they would be larger than X
    (12288, 20000, 20, 2500, "weights"),
    (12288, 209, 20, 1, "weights"),      # one iteration does not pay for G
    (12288, 209, 20, 0, "weights"),
    (2, 400, 3, 3000, "weights"),        # 2-D data: m > n_x
    (60, 40, 5, 60, "span"),
    (60, 150, 5, 60, "weights"),
])
def test_choose_form(n_x, m, n1, T, form):
    assert dnn_fast.choose_form(n_x, m, n1, T) == form


@pytest.mark.parametrize("m, form", [(209, "span"), (2090, "span"), (2668, "span"), (2669, "weights"),
                                     (8360, "weights")])
def test_choose_form_float32(m, form):
    """float32 data: the span form's float64 G reaches X's size at a smaller m."""
    assert dnn_fast.choose_form(12288, m, 20, 2500, itemsize=4) == form


def test_choose_form_follows_the_cheaper_total_below_the_memory_cap():
    """Below the memory cap the choice is the form with fewer flops, on either side of its crossover."""
    n_x, n1, m = 12288, 20, 2000
    flop_crossover = next(T for T in range(1, 100) if dnn_fast.form_costs(n_x, m, n1, T)["span"]
                          < dnn_fast.form_costs(n_x, m, n1, T)["weights"])
    assert 1 < flop_crossover < 100
    assert dnn_fast.choose_form(n_x, m, n1, flop_crossover - 1) == "weights"
    assert dnn_fast.choose_form(n_x, m, n1, flop_crossover) == "span"


def test_train_uses_the_chosen_form(monkeypatch):
    X, Y = random_data(60, 40)
    calls = {"span": 0, "weights": 0}
    span_step, training_step = dnn_fast.span_step, dnn_fast.training_step

    def counting(name, step):
        def wrapped(*args):
            calls[name] += 1
            return step(*args)
        return wrapped
    monkeypatch.setattr(dnn_fast, "span_step", counting("span", span_step))
    monkeypatch.setattr(dnn_fast, "training_step", counting("weights", training_step))
    P0 = initial([60, 5, 1], np.float64)
    for form, n_iter, expected in [("auto", 60, "span"), ("auto", 1, "weights"),
                                   ("weights", 60, "weights"), ("span", 1, "span")]:
        calls.update(span=0, weights=0)
        fast_train(X, Y, P0, 0.1, n_iter, form)
        assert calls[expected] == n_iter and sum(calls.values()) == n_iter, (form, n_iter)
    with pytest.raises(ValueError, match="form must be"):
        fast_train(X, Y, P0, 0.1, 1, "spam")


# --- agreement with the textbook ------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("layers_dims", ARCHITECTURES)
@pytest.mark.parametrize("m", [M_SPAN, M_WEIGHTS])
@pytest.mark.parametrize("form", ["auto", "span", "weights"])
def test_training_agrees_with_the_textbook(form, m, layers_dims, dtype):
    X, Y = random_data(layers_dims[0], m, seed=m)
    chosen = dnn_fast.choose_form(300, m, layers_dims[1], ITERATIONS[dtype], np.dtype(dtype).itemsize)
    if m == M_WEIGHTS or layers_dims[1] > 1:  # logistic regression in float32 at m = 40: G does not pay
        assert chosen == ("span" if m == M_SPAN else "weights")
    assert disagreement(X, Y, layers_dims, dtype, form) <= AGREEMENT[dtype]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("form", ["span", "weights"])
def test_course_shape_agrees_with_the_textbook(form, dtype):
    """The course's n_x = 12288 and first layers, few examples; X in [0, 1] as the images are."""
    X, Y = random_data(12288, 30, seed=5)
    assert disagreement(X, Y, [12288, 20, 7, 5, 1], dtype, form, num_iterations=40,
                        learning_rate=0.0075) <= AGREEMENT[dtype]


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("form", ["span", "weights"])
def test_the_layout_of_X_does_not_matter(form, order):
    X, Y = random_data(60, 40, seed=3)
    assert disagreement(np.asarray(X, order=order), Y, [60, 8, 4, 1], np.float64, form) <= 1e-10


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("layers_dims", ARCHITECTURES)
def test_training_step_is_one_textbook_step(layers_dims, dtype):
    X, Y = random_data(layers_dims[0], 17, seed=8, dtype=dtype)
    P = initial(layers_dims, dtype)
    AL_expected, caches = reference.forward(X, P)
    expected = reference.update(P, reference.backward(AL_expected, Y, caches), 0.3)
    AL = dnn_fast.training_step(X, Y, P, 0.3)
    assert AL.dtype == dtype and AL.shape == (1, 17)
    np.testing.assert_allclose(AL, AL_expected, **STEP[dtype])
    for k in expected:
        assert P[k].dtype == dtype, k
        np.testing.assert_allclose(P[k], expected[k], **STEP[dtype], err_msg=k)


def test_span_form_carries_W1_in_the_span_of_the_examples():
    """After training in the span form, W1 - W1_0 is C·X.T: its rows lie in the span of X's columns."""
    X, Y = random_data(60, 20, seed=4)
    P0 = initial([60, 6, 1], np.float64)
    trained, _ = fast_train(X, Y, P0, 0.5, 30, "span")
    step = trained["W1"] - P0["W1"]
    Q, _ = np.linalg.qr(X)  # an orthonormal basis of the span of the 20 examples
    assert np.linalg.norm(step) > 1e-3
    assert np.linalg.norm(step - step @ Q @ Q.T) <= 1e-12 * np.linalg.norm(step)


# --- the agreement checks have teeth: a wrong sub-step is caught ----------------------------

def wrong_relu_backward(dA, Z):
    return dA  # relu' forgotten


def wrong_sigmoid(Z):
    return np.maximum(Z, 0), Z  # a relu where the sigmoid should be


@pytest.mark.parametrize("form", ["span", "weights"])
@pytest.mark.parametrize("name, replacement", [
    ("_relu_backward", wrong_relu_backward),   # the unchecked relu_backward dnn_fast calls
    ("sigmoid", wrong_sigmoid),
    ("gram", lambda X: 1.001 * (X.T @ X)),
])
def test_a_wrong_sub_step_is_caught(monkeypatch, form, name, replacement):
    X, Y = random_data(60, 40, seed=6)
    layers_dims = [60, 8, 4, 1]
    assert disagreement(X, Y, layers_dims, np.float64, form, num_iterations=20) <= 1e-10
    monkeypatch.setattr(dnn_fast, name, replacement)
    with np.errstate(all="ignore"):
        bad = disagreement(X, Y, layers_dims, np.float64, form, num_iterations=20)
    if name == "gram" and form == "weights":
        assert bad <= 1e-10  # the weights form does not use G
    else:
        assert not bad <= 1e-6


@pytest.mark.parametrize("wrong", ["first layer not updated", "no 1/m", "C -= α·dZ1·G"])
def test_a_wrong_step_function_is_caught(monkeypatch, wrong):
    """Deliberately wrong steps, built from dnn_fast's own parts, disagree with the textbook."""
    X, Y = random_data(60, 40, seed=7)
    layers_dims = [60, 8, 4, 1]
    step = dnn_fast._step
    if wrong == "no 1/m":
        def bad_step(Z1, X_, Y_, parameters, learning_rate, update_first):
            return step(Z1, X_, Y_, parameters, learning_rate * Z1.shape[1], update_first)
        monkeypatch.setattr(dnn_fast, "_step", bad_step)
        form = "weights"
    elif wrong == "first layer not updated":
        def bad_step(Z1, X_, Y_, parameters, learning_rate, update_first):
            return step(Z1, X_, Y_, parameters, learning_rate, lambda dZ1: None)
        monkeypatch.setattr(dnn_fast, "_step", bad_step)
        form = "span"
    else:
        def bad_span_step(span, Y_, parameters, learning_rate):
            Z1 = span.Z1(parameters["b1"])

            def update_first(dZ1):
                span.C -= dZ1 @ span.G
            return step(Z1, None, Y_, parameters, learning_rate, update_first)
        monkeypatch.setattr(dnn_fast, "span_step", bad_span_step)
        form = "span"
    with np.errstate(all="ignore"):
        assert not disagreement(X, Y, layers_dims, np.float64, form, num_iterations=20) <= 1e-6


# --- L_layer_model: the fast path behaves as the course's loop ------------------------------

@pytest.mark.parametrize("m", [M_SPAN, M_WEIGHTS])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_L_layer_model_fast_prints_and_records_as_the_loop(capsys, m, dtype):
    X, Y = random_data(300, m, seed=9)
    assert dnn_fast.choose_form(300, m, 8, 350, np.dtype(dtype).itemsize) == ("span" if m == M_SPAN else "weights")
    runs = {}
    for fast in (True, False):
        if fast:
            parameters, costs = dnn_utils.L_layer_model_fast(X, Y, [300, 8, 4, 1], 0.05, 350, print_cost=True,
                                                             dtype=dtype)
        else:  # the course's loop (float64 only: the float32 run is compared with it)
            parameters, costs = dnn_utils.L_layer_model(X, Y, [300, 8, 4, 1], 0.05, 350, print_cost=True)
        runs[fast] = parameters, costs, capsys.readouterr().out
    (p_fast, c_fast, out_fast), (p_loop, c_loop, out_loop) = runs[True], runs[False]
    assert len(c_fast) == len(c_loop) == 4
    np.testing.assert_allclose(c_fast, c_loop, rtol=AGREEMENT[dtype])
    lines = out_loop.splitlines()
    assert len(lines) == 5 and lines[-1].startswith("Cost after iteration 349: ")
    if dtype == np.float64:
        assert out_fast == out_loop  # the same 6 decimals
    else:
        assert [line.split(":")[0] for line in out_fast.splitlines()] == [line.split(":")[0] for line in lines]
    # 350 float32 iterations: a ReLU branch decided by rounding can separate them (ITERATIONS)
    for k in p_loop:
        if dtype == np.float64:
            assert reference.relative_difference(p_fast[k], p_loop[k]) <= AGREEMENT[dtype], k
        else:
            assert np.max(np.abs(p_fast[k] - p_loop[k])) < 1e-3, k


@pytest.mark.parametrize("m", [M_SPAN, M_WEIGHTS])
def test_divergence_is_reported_as_on_the_loop(m):
    """The same error at the same iteration, and no numpy warning (they are errors here)."""
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((300, m)), (rng.random((1, m)) > 0.5).astype(int)
    messages = {}
    for fast in (True, False):
        model = dnn_utils.L_layer_model_fast if fast else dnn_utils.L_layer_model
        with warnings.catch_warnings(), pytest.raises(dnn_utils.TrainingDivergedError) as error:
            warnings.simplefilter("error")
            model(X, Y, [300, 5, 1], learning_rate=1e6, num_iterations=300)
        messages[fast] = str(error.value)
    assert messages[True] == messages[False]
    assert "diverged at iteration" in messages[True]


@pytest.mark.parametrize("form", ["span", "weights"])
def test_divergence_in_the_last_update_is_reported(form):
    """In the span form W1 is formed after the last update: finish() still sees an overflow there."""
    rng = np.random.default_rng(0)
    X, Y = 10 * rng.standard_normal((40, 10)), np.array([[0, 1] * 5], dtype=float)
    P = dnn_utils.initialize_parameters([40, 1], seed=1)
    progress = dnn_utils.TrainingProgress(Y, 1.5e308, 1)
    with np.errstate(over="ignore", invalid="ignore"):
        P = dnn_fast.train(X, Y, P, 1.5e308, 1, progress, form=form)
    with pytest.raises(dnn_utils.TrainingDivergedError, match="iteration 0: its update"):
        progress.finish(P)


@pytest.mark.parametrize("form", ["span", "weights"])
def test_the_progress_callback_sees_every_iteration_before_its_update(form):
    """progress(i, AL) is called for i = 0, 1, ..., with AL from the parameters before update i."""
    X, Y = random_data(60, 40, seed=11)
    P0 = initial([60, 5, 1], np.float64)
    calls = []
    dnn_fast.train(X, Y, {k: v.copy() for k, v in P0.items()}, 0.1, 5,
                   lambda i, AL: calls.append((i, AL.copy())), form=form)
    assert [i for i, _ in calls] == list(range(5))
    np.testing.assert_allclose(calls[0][1], reference.forward(X, P0)[0], rtol=1e-12)


def test_an_error_raised_by_progress_stops_training():
    X, Y = random_data(60, 40, seed=12)
    calls = []

    def progress(i, AL):
        calls.append(i)
        if i == 3:
            raise dnn_utils.TrainingDivergedError("stop")
    for form in ("span", "weights"):
        calls.clear()
        with pytest.raises(dnn_utils.TrainingDivergedError):
            dnn_fast.train(X, Y, initial([60, 5, 1], np.float64), 0.1, 10, progress, form=form)
        assert calls == [0, 1, 2, 3]


# --- memory ---------------------------------------------------------------------------------

def peaks(X, Y, layers_dims, form, num_iterations=4):
    """(peak bytes allocated before the first iteration, largest peak of one later iteration), X's bytes."""
    marks = []

    def progress(i, AL):
        marks.append(tracemalloc.get_traced_memory())
        tracemalloc.reset_peak()
    P = initial(layers_dims, X.dtype)
    Xf = np.asfortranarray(X)
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        dnn_fast.train(Xf, Y, P, 0.01, num_iterations, progress, form=form)
    finally:
        tracemalloc.stop()
    setup = marks[0][1] - start
    iteration = max(marks[i + 1][1] - marks[i][0] for i in range(1, len(marks) - 1))
    return setup, iteration, Xf.nbytes


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_one_iteration_does_not_copy_X(dtype):
    X, Y = random_data(4096, 209, seed=4, dtype=dtype)
    for form in ("span", "weights"):
        _, iteration, x_bytes = peaks(X, Y, [4096, 20, 7, 5, 1], form)
        assert iteration <= 0.25 * x_bytes, (form, iteration, x_bytes)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_span_forms_extra_memory_at_the_memory_cap_is_at_most_X(dtype):
    """At the largest m the cost model allows, what the span form allocates is at most X's size."""
    n_x, n1 = 320, 5
    itemsize = np.dtype(dtype).itemsize
    m = max(m for m in range(1, n_x + 1) if dnn_fast.choose_form(n_x, m, n1, 10 ** 6, itemsize) == "span")
    if dtype == np.float64:
        assert m == n_x - 2 * n1  # G, Z1_0 and C: m·m + 2·n1·m numbers, X: n_x·m
    cost = dnn_fast.form_costs(n_x, m, n1, 10 ** 6, itemsize)
    assert cost["span bytes"] <= cost["X bytes"]
    X, Y = random_data(n_x, m, seed=5, dtype=dtype)
    setup, iteration, x_bytes = peaks(X, Y, [n_x, n1, 1], "span")
    assert x_bytes == cost["X bytes"]
    # the peak before the first progress call includes the first iteration's own temporaries
    assert setup <= cost["span bytes"] + iteration + 4096, (setup, cost["span bytes"], iteration)


def test_no_copy_of_X_from_flatten_images(monkeypatch):
    """flatten_images lays X out example by example, and L_layer_model_fast trains on it as it is."""
    images = np.random.default_rng(5).integers(0, 256, size=(7, 4, 4, 3), dtype=np.uint8)
    X = dnn_utils.flatten_images(images)
    assert X.flags.f_contiguous
    seen = []
    train = dnn_fast.train
    monkeypatch.setattr(dnn_fast, "train", lambda X_, *a, **k: seen.append(X_) or train(X_, *a, **k))
    dnn_utils.L_layer_model_fast(X, np.array([[0, 1, 0, 1, 1, 0, 1]]), [48, 3, 1], num_iterations=2)
    assert len(seen) == 1 and np.shares_memory(seen[0], X)


def test_float32_training_keeps_float32_and_matches_float64():
    X, Y = random_data(50, 40, seed=6)
    layers_dims = [50, 8, 4, 1]
    p64, c64 = dnn_utils.L_layer_model_fast(X, Y, layers_dims, learning_rate=0.05, num_iterations=500)
    p32, c32 = dnn_utils.L_layer_model_fast(X, Y, layers_dims, learning_rate=0.05, num_iterations=500,
                                            dtype=np.float32)
    assert all(v.dtype == np.float32 for v in p32.values())
    assert all(v.dtype == np.float64 for v in p64.values())
    np.testing.assert_allclose(c32, c64, rtol=1e-4, atol=1e-5)
    for k in p64:
        assert np.max(np.abs(p32[k] - p64[k])) < 1e-3, k


def test_gradient_check_stays_float64():
    """gradient_check works in float64 even for float32 parameters."""
    X, Y = random_data(4, 6, seed=7)
    parameters = dnn_utils.initial_parameters([4, 3, 1], seed=1, dtype=np.float32)
    assert dnn_utils.gradient_check(parameters, X.astype(np.float32), Y) < 1e-7


# --- the benchmark scripts run --------------------------------------------------------------

def test_compare_versions_runs(capsys):
    """benchmarks/compare_versions.py times two versions of the fast path; here the module against itself."""
    compare = compare_versions
    assert compare.main(["dnnlib.fast", "--repeats", "1"]) == 0
    out = capsys.readouterr().out
    assert "float64" in out and "float32" in out and out.count("x as fast") == 2
    with pytest.raises(SystemExit):
        compare.main(["no_such_fast_old"])
    assert "cannot import 'no_such_fast_old'" in capsys.readouterr().err


def test_layout_sweep_runs(capsys):
    """benchmarks/layout_sweep.py prints a row per m: both layouts' times and their ratio."""
    sweep = layout_sweep
    assert sweep.main(["--m", "5", "9", "--repeats", "1", "--n-x", "300"]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = [line.split() for line in lines[2:]]
    assert "X (300, m)" in lines[0]
    assert [row[0] for row in rows] == ["5", "9"] and all(len(row) == 4 for row in rows)
    assert [(m, f > 0, c > 0) for m, f, c in sweep.sweep([3], np.float32, 1, n_x=300)] == [(3, True, True)]


def test_bench_training_smoke(capsys, tmp_path):
    """benchmarks/bench_training.py --quick on tiny random data prints a row per (dtype, m)."""
    bench = bench_training
    assert bench.main(["--quick", "--synthetic", "300", "--sizes", "30", "290", "--iterations", "12",
                       "--dtype", "both", "--no-torch"]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith("| float")]
    assert [row.split("|")[1:4] for row in rows] == [
        [" float64 ", " 30 ", " span "], [" float64 ", " 290 ", " weights "],
        [" float32 ", " 30 ", " span "], [" float32 ", " 290 ", " weights "]]
    readme = tmp_path / "README.md"
    readme.write_text(f"before\n{bench.START}\nold\n{bench.END}\nafter\n")
    bench.write_readme("new table", readme)
    assert readme.read_text() == f"before\n{bench.START}\nnew table\n{bench.END}\nafter\n"
    (tmp_path / "plain.md").write_text("no markers\n")
    with pytest.raises(ValueError, match="markers"):
        bench.write_readme("x", tmp_path / "plain.md")


def test_bench_training_crossover_and_extrapolation():
    bench = bench_training
    assert bench.crossover(np.float64, 2500) == 12288 - 2 * 20
    assert bench.crossover(np.float32, 2500) == 2668
    # stopped after 4 iterations: first iteration ends at 3 s (setup + 1), then 1 s each
    assert bench.extrapolate(0.0, [3.0, 4.0, 5.0, 6.0], 10) == 3.0 + 9 * 1.0


def test_bench_training_reports_each_target_met_or_not():
    bench = bench_training
    row = dict(auto=1.0, pytorch=10.0, weights=12.0, floor=10.0)
    results = {(np.float64, 209): dict(row, **{"span memory / X": 0.02}),            # 0.1× PyTorch: not met
               (np.float64, 2090): dict(row, **{"span memory / X": 0.2}),            # 0.1×: met
               (np.float64, 12248): dict(row, **{"span memory / X": 1.0}),           # memory = X: met
               (np.float64, 12249): dict(row, weights=11.0, **{"span memory / X": 1.0})}   # 1.1× floor: met
    text = bench.targets(results, {np.float64: 12248}, torch_version="2.x")
    lines = text.splitlines()[2:]
    assert len(lines) == 4
    assert "209 | 0.100× | not met" in lines[0] and "2090 | 0.100× | met" in lines[1]
    assert "crossover: the span form's extra memory" in lines[2] and lines[2].endswith("| met |")
    assert "past the crossover (12248)" in lines[3] and "1.100× | met" in lines[3]
    # without PyTorch only the targets that do not need it are reported
    assert len(bench.targets(results, {np.float64: 12248}, torch_version=False).splitlines()) == 4
