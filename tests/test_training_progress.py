"""Issue 27, item 6: a training a learner can follow (a progress bar with an ETA) and stop (Ctrl-C
keeps what was trained), for the course loop (L_layer_model, two_layer_model, watched by
dnnlib.training) and the fast path.

* Ctrl-C: a real SIGINT sent to a training in another process, and SIGINTs raised inside the
  course loop in this process (the first stops the loop at its next iteration, whole; a second
  stops at once). The parameters kept are compared bit for bit with a fresh run of as many
  iterations.
* The bar: who sees it (show_progress: DNN_PROGRESS, CI, a terminal, a notebook frontend that can
  answer input()), that it counts every iteration, and, in a real kernel, that a cell executed
  as nbclient/nbval execute it (no stdin) prints no bar while one from a frontend does.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

import dnn_utils as d
from dnnlib import training
from tests.helpers import ROOT, assert_names

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGINT is sent as a POSIX signal")


@pytest.fixture(autouse=True)
def pythons_own_ctrl_c():
    """Each test starts with Python's own SIGINT handler, as in a terminal or a kernel: a pytest-xdist
    worker may have been started with SIGINT ignored (measured: one of two workers was), which
    would swallow the signals these tests send."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, before)


def problem(n_x=6, m=40, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_x, m))
    Y = (X[:1] + 0.3 * rng.standard_normal((1, m)) > 0).astype(np.float64)
    return X, Y


# ---------------------------------------------------------------------------
# Ctrl-C from outside: a SIGINT sent to a training process
# ---------------------------------------------------------------------------

STOPPED_BY_SIGINT = textwrap.dedent("""
    import json, signal, sys
    # Ctrl-C as a terminal gives it: a process started with SIGINT ignored (some pytest-xdist
    # workers ignore it, and a child inherits that) would never see the signal
    signal.signal(signal.SIGINT, signal.default_int_handler)
    import numpy as np
    import dnn_utils as d
    from dnnlib.training import stopped_training

    model = sys.argv[1]
    rng = np.random.default_rng(0)
    X = rng.standard_normal((6, 40))
    Y = (X[:1] + 0.3 * rng.standard_normal((1, 40)) > 0).astype(np.float64)
    train = {"L_layer_model": lambda n: d.L_layer_model(X, Y, [6, 5, 3, 1], 0.05, n),
             "two_layer_model": lambda n: d.two_layer_model(X, Y, (6, 5, 1), 0.05, n),
             "L_layer_model_fast": lambda n: d.L_layer_model_fast(X, Y, [6, 5, 3, 1], 0.05, n)}[model]
    print("training", flush=True)
    try:
        train(10**7)
    except KeyboardInterrupt as e:
        done = e.iterations_done
        fresh, fresh_costs = train(done)
        kept, kept_costs = stopped_training()
        print(json.dumps({
            "done": done, "costs": len(e.costs), "fresh_costs": len(fresh_costs),
            "same_costs": [float(c) for c in e.costs] == [float(c) for c in fresh_costs[:len(e.costs)]],
            "same": sorted(e.parameters) == sorted(fresh)
                    and all(np.array_equal(e.parameters[k], fresh[k]) for k in fresh),
            "kept": kept is e.parameters and kept_costs == e.costs}))
    else:
        print(json.dumps({"done": None}))
""")


@pytest.mark.parametrize("model", ["L_layer_model", "two_layer_model", "L_layer_model_fast"])
def test_a_sigint_keeps_what_was_trained_and_says_so(model):
    env = {k: v for k, v in os.environ.items() if k != "DNN_PROGRESS"}
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    process = subprocess.Popen([sys.executable, "-c", STOPPED_BY_SIGINT, model], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().strip() == "training"
        time.sleep(0.3)  # some thousands of iterations
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=300)
    finally:
        process.kill()
    result = json.loads(out.strip().splitlines()[-1])
    assert result["done"] is not None and result["done"] > 0, (out, err)
    assert result["same"], result          # the parameters of one iteration, whole
    assert result["kept"], result          # stopped_training() returns them too
    assert result["costs"] == -(-result["done"] // 100) == result["fresh_costs"]  # one cost per 100 started
    assert result["same_costs"], result
    assert_names(err, model, "Ctrl-C", f"after {result['done']} of 10000000 iterations", "stopped_training()")


# ---------------------------------------------------------------------------
# Ctrl-C inside the course loop, through the watch
# ---------------------------------------------------------------------------

def interrupting_update(monkeypatch, at, signals=1):
    """Wrap update_parameters so that `signals` SIGINTs arrive as iteration `at` starts its update."""
    real, calls = d.update_parameters, {"n": 0}

    def update_parameters(parameters, grads, learning_rate):
        if calls["n"] == at:
            for _ in range(signals):
                signal.raise_signal(signal.SIGINT)
        calls["n"] += 1
        return real(parameters, grads, learning_rate)

    monkeypatch.setattr(d, "update_parameters", update_parameters)


@pytest.mark.parametrize("model", ["L_layer_model", "two_layer_model"])
def test_a_ctrl_c_during_an_update_stops_the_loop_after_that_update_whole(monkeypatch, model):
    X, Y = problem()
    dims = [6, 5, 3, 1] if model == "L_layer_model" else (6, 5, 1)
    interrupting_update(monkeypatch, at=7)
    with pytest.raises(KeyboardInterrupt) as info:
        getattr(d, model)(X, Y, dims, 0.05, 1000)
    monkeypatch.undo()
    assert info.value.iterations_done == 8  # the update it arrived in was finished, and no other
    fresh, costs = getattr(d, model)(X, Y, dims, 0.05, 8)
    for k in fresh:
        np.testing.assert_array_equal(info.value.parameters[k], fresh[k], err_msg=k)
    assert info.value.costs == costs
    assert_names("\n".join(info.value.__notes__), model, "after 8 of 1000 iterations")
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # Python's own handler again


def test_a_second_ctrl_c_stops_at_once(monkeypatch):
    X, Y = problem()
    interrupting_update(monkeypatch, at=7, signals=2)
    with pytest.raises(KeyboardInterrupt) as info:
        d.L_layer_model(X, Y, [6, 5, 3, 1], 0.05, 1000)
    monkeypatch.undo()
    assert info.value.iterations_done == 7  # before the update the signals arrived in
    fresh, _ = d.L_layer_model(X, Y, [6, 5, 3, 1], 0.05, 7)
    for k in fresh:
        np.testing.assert_array_equal(info.value.parameters[k], fresh[k], err_msg=k)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_ctrl_c_in_the_last_iteration_still_stops_with_the_whole_training(monkeypatch):
    X, Y = problem()
    interrupting_update(monkeypatch, at=4)
    with pytest.raises(KeyboardInterrupt) as info:
        d.L_layer_model(X, Y, [6, 5, 3, 1], 0.05, 5)
    assert info.value.iterations_done == 5
    assert len(info.value.costs) == 1


def test_the_watch_raises_a_requested_stop_at_the_next_cost():
    X, Y = problem()
    progress = training.TrainingProgress(Y, 0.05, 10)
    ctrl_c = training.DeferredCtrlC()
    watch = training.CourseLoopWatch(progress, ctrl_c)
    AL = np.full(Y.shape, 0.5)
    watch.cost(AL)
    watch.iteration += 1
    ctrl_c.requested = True  # as the first Ctrl-C's handler does
    with pytest.raises(KeyboardInterrupt):
        watch.cost(AL)
    assert not ctrl_c.requested and len(progress.costs) == 1  # the stopped iteration was not fed


def test_an_error_that_is_not_ctrl_c_keeps_nothing_and_restores_the_handler():
    X, Y = problem()
    with pytest.raises(Exception) as info:  # noqa: PT011 (any error the checks give)
        d.L_layer_model(X, Y[:, :3], [6, 5, 1], 0.05, 10)
    assert not hasattr(info.value, "iterations_done")
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_stopped_training_before_any_stop_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(training, "_stopped", {})
    with pytest.raises(LookupError, match="Ctrl-C"):
        training.stopped_training()


# ---------------------------------------------------------------------------
# The progress bar
# ---------------------------------------------------------------------------

class FakeKernel:
    def __init__(self, allow_stdin):
        self._allow_stdin = allow_stdin


@pytest.mark.parametrize("env, kernel, tty, shown", [
    ({"DNN_PROGRESS": "0"}, FakeKernel(True), True, False),
    ({"DNN_PROGRESS": "1", "CI": "true"}, FakeKernel(False), False, True),
    ({"CI": "true"}, FakeKernel(True), True, False),
    ({}, FakeKernel(True), False, True),       # JupyterLab, Notebook, VS Code, Colab: input() works
    ({}, FakeKernel(False), True, False),      # nbclient, nbval, nbconvert: executed without stdin
    ({}, None, True, True),                    # a terminal
    ({}, None, False, False),                  # a pipe, a log file, pytest's capture
])
def test_who_sees_the_bar(monkeypatch, env, kernel, tty, shown):
    for name in ("DNN_PROGRESS", "CI"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(training, "_jupyter_kernel", lambda: kernel)
    monkeypatch.setattr(sys, "stderr", type("Stream", (), {"isatty": lambda self: tty})())
    assert training.show_progress() is shown


@pytest.mark.parametrize("model, dims", [("L_layer_model", [6, 5, 1]), ("two_layer_model", (6, 5, 1)),
                                         ("L_layer_model_fast", [6, 5, 1]), ("two_layer_model_fast", (6, 5, 1))])
def test_the_bar_counts_every_iteration_and_is_closed(monkeypatch, model, dims):
    bars = []

    def progress_bar(total, name):
        from tqdm import tqdm

        bars.append(tqdm(total=total, desc=name, file=open(os.devnull, "w"), delay=0))
        return bars[-1]

    monkeypatch.setenv("DNN_PROGRESS", "1")
    monkeypatch.setattr(training, "progress_bar", progress_bar)
    X, Y = problem()
    getattr(d, model)(X, Y, dims, 0.05, 250)
    (bar,) = bars
    assert (bar.total, bar.n, bar.desc.rstrip(": ")) == (250, 250, model)
    assert bar.disable  # closed
    assert "cost" in bar.postfix


def test_no_bar_by_default_under_pytest(monkeypatch):
    monkeypatch.delenv("DNN_PROGRESS", raising=False)
    made = []
    monkeypatch.setattr(training, "progress_bar", lambda total, name: made.append(name))
    X, Y = problem()
    d.L_layer_model(X, Y, [6, 5, 1], 0.05, 20)
    d.L_layer_model_fast(X, Y, [6, 5, 1], 0.05, 20)
    assert made == []


KERNEL_CELL = textwrap.dedent("""
    import time
    import numpy as np, dnn_utils as d, dnnlib.training
    dnnlib.training.BAR_DELAY = 0.1   # the bar shows sooner; the training still outlasts it
    rng = np.random.default_rng(0)
    X = rng.standard_normal((20, 50)); Y = (X[:1] > 0).astype(float)
    def slow_cost(AL, Y, cost=d.compute_cost):
        time.sleep(0.005)  # 100 iterations: half a second, past the bar's delay
        return cost(AL, Y)
    d.compute_cost = slow_cost
    d.L_layer_model(X, Y, [20, 5, 1], 0.01, 100)
    print("trained")
""")


def test_a_kernel_shows_the_bar_to_a_frontend_and_not_to_a_tool_executing_the_notebook():
    """In a real ipykernel: the same cell, executed as nbclient/nbval execute it (allow_stdin=False),
    prints only its own output; executed as JupyterLab does (allow_stdin=True), it shows a bar."""
    jupyter_client = pytest.importorskip("jupyter_client")
    env = {k: v for k, v in os.environ.items() if k not in ("DNN_PROGRESS", "CI")}
    env.setdefault("OPENBLAS_NUM_THREADS", "1")  # (two BLAS threads per process stall a busy 2-core machine)
    km = jupyter_client.KernelManager(kernel_name="python3")
    km.start_kernel(cwd=str(ROOT), env=env)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)
        outputs = {}
        for allow_stdin in (False, True):
            msg_id = kc.execute(KERNEL_CELL, allow_stdin=allow_stdin)
            seen = []
            while True:
                msg = kc.get_iopub_msg(timeout=300)
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                    break
                if msg["msg_type"] in ("stream", "display_data", "update_display_data", "comm_open", "error"):
                    seen.append((msg["msg_type"], json.dumps(msg["content"])[:300]))
            outputs[allow_stdin] = seen
        # the kernel's interrupt (JupyterLab's stop button sends SIGINT) during a training: it
        # stops, says so, and the next cell gets what was trained
        msg_id = kc.execute("d.compute_cost = slow_cost.__defaults__[0]\n"
                            "print('started', flush=True)\n"
                            "d.L_layer_model(X, Y, [20, 5, 1], 0.01, 10**7)", allow_stdin=True)
        stopped = []
        while True:
            msg = kc.get_iopub_msg(timeout=300)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "stream" and "started" in msg["content"]["text"]:
                time.sleep(0.5)   # about 100 iterations in
                km.interrupt_kernel()
            if msg["msg_type"] in ("stream", "error"):
                stopped.append(msg["content"])
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
        # ipykernel aborts a request that reaches it while it clears its queue after the error (some
        # versions do for a moment, as JupyterLab shows an aborted cell): then it is sent again
        for _ in range(5):
            kept = []
            reply = kc.execute_interactive("from dnnlib.training import stopped_training\n"
                                           "p, c = stopped_training(); print(sorted(p), len(c) > 0)", timeout=60,
                                           output_hook=lambda msg: kept.append(msg["content"].get("text", "")))
            if reply["content"]["status"] != "aborted":
                break
            time.sleep(0.2)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    assert [kind for kind, _ in outputs[False]] == ["stream"], outputs[False]   # "trained", nothing else
    assert "trained" in outputs[False][0][1]
    shown = [kind for kind, _ in outputs[True]]
    assert "error" not in shown, outputs[True]
    assert [c["ename"] for c in stopped if "ename" in c] == ["KeyboardInterrupt"]
    assert_names(" ".join(c.get("text", "") for c in stopped), "L_layer_model stopped by Ctrl-C", "stopped_training()")
    assert reply["content"]["status"] == "ok" and "['W1', 'W2', 'b1', 'b2'] True" in "".join(kept)
    # tqdm.auto's notebook bar: a widget displayed in the cell's output, its text an ETA bar
    bars = [text for kind, text in outputs[True] if kind == "display_data"]
    assert any("widget-view" in text and "it/s" in text for text in bars), outputs[True]
