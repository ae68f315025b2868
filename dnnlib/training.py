"""Training feedback: what the library promises around any training loop.

TrainingProgress watches a run from its outputs AL: it raises TrainingDivergedError when
the outputs become NaN or inf or the cost grows far above its start, and warns
(TrainingWarning) once when the network stalls. The fast path calls it every iteration;
around the learner's course loop, ``watch`` (used by ``dnnlib.checks.checked``) feeds it
from the course's own calls, so the learner writes none of it.

Following and stopping a training (both loops, fast or not):

* **A progress bar with an ETA** (tqdm: ``tqdm.auto`` gives the widget in a notebook, the text
  bar in a terminal), shown once a training has run for a second, when someone is watching:
  in a terminal (stderr is a tty) or in a notebook frontend that can answer ``input()``
  (JupyterLab, Notebook, VS Code, Colab). Never when a tool executes a notebook (nbclient,
  nbval, nbconvert and ``tools/nb.py execute`` run cells without stdin), so stored outputs
  never hold a bar, nor when ``CI`` is set. ``DNN_PROGRESS=0`` turns it off, ``DNN_PROGRESS=1``
  on, whatever the rest says (``show_progress``).
* **Ctrl-C keeps what was trained.** The KeyboardInterrupt goes on (the cell or script stops,
  as asked), carrying ``.parameters``, ``.costs`` and ``.iterations_done``: the parameters of
  one iteration, whole, and the costs so far. It says so on stderr, and
  ``stopped_training()`` returns them afterwards. In the course loop the first Ctrl-C stops
  the loop at its next iteration (in ``compute_cost``, before the update), so no update is cut
  in half; a second Ctrl-C stops at once. The fast path's steps commit all layers at once.
"""

from __future__ import annotations

import math
import os
import sys

import numpy as np

class TrainingDivergedError(FloatingPointError):
    """Training produced NaN or inf, or a cost far above where it started (TrainingProgress says
    the rule): the learning rate is usually too large."""


# ---------------------------------------------------------------------------
# Models
# ---------------------------------------------------------------------------

class TrainingWarning(UserWarning):
    """L_layer_model's training has stalled: it runs on, but the network is learning nothing."""


_PACKAGE = os.path.dirname(os.path.abspath(__file__))


def cost_of(AL, Y):
    """The cross-entropy cost of outputs AL for labels Y, the library's own (the learner writes
    compute_cost): the mean of -log(p) over the examples, p the probability given to the true
    label, with AL clipped to [eps, 1 - eps] as compute_cost clips it."""
    eps = np.finfo(AL.dtype if AL.dtype.kind == "f" else np.float64).eps
    clipped = np.clip(AL, eps, 1 - eps)
    return float(-np.mean(Y * np.log(clipped) + (1 - Y) * np.log(1 - clipped), axis=None))


def _outside_this_library():
    """The stacklevel of the line that called the training (for warnings): the first caller
    outside dnn_utils and this package, and outside a notebook's own copy of a model function."""
    import sys

    level, frame = 1, sys._getframe(1)
    while frame is not None and (
            os.path.basename(frame.f_code.co_filename) == "dnn_utils.py"
            or os.path.dirname(os.path.abspath(frame.f_code.co_filename)) == _PACKAGE
            or frame.f_code.co_name in ("L_layer_model", "two_layer_model")):
        frame, level = frame.f_back, level + 1
    return level


def data_overflow(X, dtype, iteration):
    """Why a training's numbers overflowed, when the data explain it: a sentence, else None.

    At iteration 0 no update has run yet, so NaN or inf outputs come from X and the initial
    weights. Later, the products of a step scale with X twice (dW1 = dZ1·X.T / m, then
    W1·X): when max|X|²·n_x is beyond the dtype's largest number, a smaller learning rate does
    not help; the data must be scaled."""
    if not isinstance(X, np.ndarray) or not X.size:
        return None
    dtype = np.dtype(dtype) if np.dtype(dtype).kind == "f" else np.dtype(np.float64)
    top = float(np.finfo(dtype).max)
    with np.errstate(invalid="ignore", over="ignore"):
        big = float(np.max(np.abs(X)))
    reach = big * big * X.shape[0]  # a Python float: inf when it overflows
    if iteration == 0 or not math.isfinite(big) or not reach <= top:
        return (f"The data overflow {dtype}, not the learning rate: max |X| = {big:.3g}, and the "
                f"training's products (W1·X, dW1 = dZ1·X.T / m) reach about max|X|²·n_x = {reach:.3g}, "
                f"beyond {dtype}'s largest number {top:.3g}"
                + (" (at iteration 0, before any update)" if iteration == 0 else "")
                + ". Scale X before training, e.g. divide pixels by 255 or standardize each feature.")
    return None


class TrainingProgress:
    """What L_layer_model does after each forward pass, whichever loop runs it (fast or not).

    Called with (i, AL) after the forward pass of iteration i, it

    * raises TrainingDivergedError if AL holds NaN or inf (checked every iteration: AL is (1, m));
    * every 100 iterations, computes the cost J, keeps it in `costs`, and checks that:

      - the cost has not grown far above where it started: J > max(3·J0, J0 + 5), with J0 the
        cost at iteration 0, raises TrainingDivergedError. A healthy run may go up for a while
        (large learning rates make it oscillate), but not to 5 more than a coin toss's 0.69: that
        is outputs saturated at the wrong answer for most examples (their cost reaches 36 each
        in float64, 16 in float32), which gradient descent does not come back from;
      - the network has not stalled. TrainingWarning, once per run:
        * "dead ReLUs": AL is exactly the same for every example at two checks in a row. The
          hidden activations are not seen here, but a hidden layer whose every ReLU has died
          (A[l] = 0 for every example) makes every column of AL equal, and stays dead (its
          gradients are 0). (A merely small output spread, as a too-small initialization
          gives, is not exactly 0: it is left to the next warning.)
        * "constant prediction": the cost has stayed within 1e-3 of the cost of predicting the
          labels' mean p for every example, H = -p·log p - (1-p)·log(1-p), for 500 iterations
          (6 checks in a row): the network has learnt nothing from X.

    It prints the cost every `print_every` iterations and at the last one when print_cost is set.
    These checks read only AL (1, m), and the costly ones run every 100 iterations.
    """

    #: divergence: J > max(GROWTH_FACTOR·J0, J0 + GROWTH_MARGIN) at an every-100 check
    GROWTH_FACTOR, GROWTH_MARGIN = 3.0, 5.0
    #: stall: |J - H| < STALL_TOL at checks spanning STALL_ITERATIONS iterations
    STALL_TOL, STALL_ITERATIONS = 1e-3, 500

    def __init__(self, Y, learning_rate, num_iterations, print_cost=False, print_every=100, X=None, name=None):
        self.Y, self.learning_rate, self.num_iterations = Y, learning_rate, num_iterations
        #: the progress bar (tqdm), when someone is watching (show_progress); `name` labels it
        self.bar = progress_bar(num_iterations, name) if name and show_progress() else None
        self.X = X  # the training data, read only to explain a divergence (data_overflow)
        self.print_cost, self.print_every = print_cost, print_every
        self.costs = []
        p = float(np.mean(Y)) if np.size(Y) else 0.5
        #: the cost of predicting the labels' mean p for every example (0 when all labels agree)
        self.constant_cost = float(-sum(q * np.log(q) for q in (p, 1 - p) if q > 0))
        self.warned = set()  # "dead", "stalled": each warning at most once per run
        self._stalled_since = None
        self._constant_checks = 0
        self.overflowed = False  # numpy reported an overflow since the last check (numpy_error)

    def numpy_error(self, kind, flag):
        """np.errstate(over="call", call=progress.numpy_error): note numpy's overflow, checked at
        the next iteration (an overflow inside the network can leave its outputs finite, saturated)."""
        self.overflowed = True

    def _check_overflow(self, i, dtype):
        """Numbers overflowed inside the network while AL stayed finite: an error when the data
        explain it (a dead, saturated network would otherwise be returned in silence)."""
        self.overflowed = False
        if not hasattr(self, "_explained"):  # it reads all of X: once per run
            self._explained = data_overflow(self.X, dtype, 1)
        explained = self._explained
        if explained:
            raise TrainingDivergedError(
                f"training diverged at iteration {i}: numbers inside the network overflowed to inf (the "
                f"outputs stayed finite only because they saturated). " + explained)

    def __call__(self, i, AL):
        if self.bar is not None:
            self.bar.update(1)
        # a NaN or inf anywhere makes the sum NaN or inf: one cheap sum per iteration, the exact
        # scan only then (outputs that are not probabilities can overflow the sum)
        if not math.isfinite(AL.sum()) and not np.isfinite(AL).all():
            raise TrainingDivergedError(
                f"training diverged at iteration {i}: the output became NaN or inf. "
                + (data_overflow(self.X, AL.dtype, i) or
                   f"Try a smaller learning rate than {self.learning_rate}."))
        if self.overflowed:
            self._check_overflow(i, AL.dtype)
        last = i == self.num_iterations - 1
        if i % 100 == 0 or (self.print_cost and last):
            cost = cost_of(AL, self.Y)
            if i % 100 == 0:
                self.costs.append(cost)
                if self.bar is not None:
                    self.bar.set_postfix_str(f"cost {cost:.4f}", refresh=False)
            if self.print_cost and (i % self.print_every == 0 or last):
                print(f"Cost after iteration {i}: {cost:.6f}")
            if i % 100 == 0:
                self._watch(i, AL, cost)

    def _watch(self, i, AL, cost):
        """The every-100 checks: divergence by growth (an error), stalls (a warning, once)."""
        import warnings

        J0 = self.costs[0]
        limit = max(self.GROWTH_FACTOR * J0, J0 + self.GROWTH_MARGIN)
        if cost > limit:
            raise TrainingDivergedError(
                f"training diverged at iteration {i}: the cost grew from {J0:.4f} at iteration 0 to "
                f"{cost:.4f} (above max({self.GROWTH_FACTOR:g}·J0, J0 + {self.GROWTH_MARGIN:g}) = "
                f"{limit:.4f}): the outputs are confidently wrong. Try a smaller learning rate than "
                f"{self.learning_rate}.")
        m = AL.shape[1]
        self._constant_checks = self._constant_checks + 1 if m > 1 and np.ptp(AL) == 0 else 0
        if self._constant_checks >= 2 and "dead" not in self.warned:
            self.warned.add("dead")
            warnings.warn(
                f"iteration {i}: the network gives every example exactly the same output "
                f"({float(AL[0, 0]):.4f}), so it ignores X: every ReLU of some hidden layer has died "
                f"(its A[l] is 0 for all {m} examples; a dead layer gets zero gradients and never "
                f"comes back), and the cost stays at {cost:.4f}. A too-large learning rate "
                f"({self.learning_rate}) usually kills them: try a smaller one.",
                TrainingWarning, stacklevel=_outside_this_library())
        # (labels all equal: the constant prediction is the right answer, nothing to warn about)
        if abs(cost - self.constant_cost) < self.STALL_TOL and self.constant_cost > 0:
            if self._stalled_since is None:
                self._stalled_since = i
        else:
            self._stalled_since = None
        if (self._stalled_since is not None and i - self._stalled_since >= self.STALL_ITERATIONS
                and not self.warned & {"dead", "stalled"}):
            self.warned.add("stalled")
            p = float(np.mean(self.Y))
            warnings.warn(
                f"iterations {self._stalled_since}-{i}: the cost has stayed at {cost:.4f}, within "
                f"{self.STALL_TOL:g} of {self.constant_cost:.4f}, the cost of predicting p = {p:.4f} "
                f"(the labels' mean) for every example: the network has learnt nothing from X. The "
                f"gradients have vanished (too small an initial scale, e.g. init=0.01 in a deep "
                f"network) or the ReLUs have died (too large a learning rate): try init='xavier' or "
                f"'he', or another learning rate than {self.learning_rate}.",
                TrainingWarning, stacklevel=_outside_this_library())

    def close(self):
        """Close the progress bar (if any): at the end of a training, finished or stopped."""
        if self.bar is not None:
            bar, self.bar = self.bar, None
            bar.close()

    def finish(self, parameters):
        """The last update is not followed by a forward pass that would show it: check it here."""
        if self.overflowed and self.num_iterations:
            self._check_overflow(self.num_iterations - 1, parameters["W1"].dtype)
        if self.num_iterations and not all(np.all(np.isfinite(v)) for v in parameters.values()):
            raise TrainingDivergedError(
                f"training diverged at iteration {self.num_iterations - 1}: its update made the "
                f"parameters NaN or inf. "
                + (data_overflow(self.X, parameters["W1"].dtype, self.num_iterations) or
                   f"Try a smaller learning rate than {self.learning_rate}."))


# ---------------------------------------------------------------------------
# Following a training: the progress bar
# ---------------------------------------------------------------------------

#: the environment variable that turns the progress bar off (0) or on (1) whatever else holds
PROGRESS_ENV = "DNN_PROGRESS"


def show_progress():
    """Whether a training shows a progress bar now: the rule in this module's docstring.

    DNN_PROGRESS=0/1 decides first; then no bar when CI is set; in a Jupyter kernel, a bar
    when the cell runs from a frontend that can answer input() (a tool executing a notebook
    sends allow_stdin=False); elsewhere, a bar when stderr is a terminal.
    """
    setting = os.environ.get(PROGRESS_ENV, "").strip().lower()
    if setting in ("0", "false", "no", "off"):
        return False
    if setting in ("1", "true", "yes", "on"):
        return True
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false"):
        return False
    kernel = _jupyter_kernel()
    if kernel is not None:
        return bool(getattr(kernel, "_allow_stdin", False))
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # no stderr, or a closed one
        return False


def _jupyter_kernel():
    """The running ipykernel Kernel, or None outside a Jupyter kernel."""
    if "IPython" not in sys.modules:
        return None
    try:
        shell = sys.modules["IPython"].get_ipython()
    except AttributeError:
        return None
    return getattr(shell, "kernel", None)


#: seconds a training runs before its bar shows: a short one leaves no bar behind
BAR_DELAY = 1.0


def progress_bar(total, name):
    """A tqdm bar of `total` iterations labelled `name` (tqdm.auto: a widget in a notebook, text in a
    terminal), shown once the training has run for BAR_DELAY seconds; None if tqdm is not installed."""
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    return tqdm(total=int(total), desc=name, unit="it", delay=BAR_DELAY, mininterval=0.25, leave=True)


# ---------------------------------------------------------------------------
# Stopping a training: Ctrl-C keeps what was trained
# ---------------------------------------------------------------------------

_stopped = {}


def stopped_training():
    """(parameters, costs) of the last training stopped by Ctrl-C in this process: the parameters
    of one whole iteration and the costs recorded so far. Raises LookupError if none was stopped."""
    if not _stopped:
        raise LookupError("no training has been stopped by Ctrl-C in this session (stopped_training() "
                          "returns the parameters and costs of one that was)")
    return _stopped["parameters"], _stopped["costs"]


def keep_what_was_trained(error, name, parameters, costs, done, total):
    """Attach a stopped training's parameters and costs to its KeyboardInterrupt, and say so."""
    _stopped.update(parameters=parameters, costs=list(costs), iterations_done=done)
    what = (f"{name} stopped by Ctrl-C after {done} of {total} iterations. What was trained is kept: "
            f"the parameters after {done} whole updates and the {len(costs)} costs recorded so far, as "
            f"`parameters, costs = stopped_training()` (from dnnlib.training import stopped_training), "
            f"or the exception's .parameters and .costs.")
    try:
        error.parameters, error.costs, error.iterations_done = parameters, list(costs), done
        error.add_note(what)
    except AttributeError:  # an exception without a __dict__
        pass
    print(what, file=sys.stderr)


class DeferredCtrlC:
    """While a course loop trains (main thread, Python's own SIGINT handler in place): the first
    Ctrl-C only asks the loop to stop, at its next iteration (CourseLoopWatch.cost raises it
    there), so no update_parameters is cut in half; a second Ctrl-C interrupts at once."""

    def __init__(self):
        self.requested, self._installed = False, False

    def __enter__(self):
        import signal
        import threading

        if (threading.current_thread() is threading.main_thread()
                and signal.getsignal(signal.SIGINT) is signal.default_int_handler):
            signal.signal(signal.SIGINT, self._first)
            self._installed = True
        return self

    def _first(self, signum, frame):
        import signal

        self.requested = True
        signal.signal(signal.SIGINT, signal.default_int_handler)  # a second Ctrl-C: at once

    def __exit__(self, *exc):
        import signal

        if self._installed:
            signal.signal(signal.SIGINT, signal.default_int_handler)
            self._installed = False
        return False


# ---------------------------------------------------------------------------
# Watching the learner's course loop
# ---------------------------------------------------------------------------

class CourseLoopWatch:
    """Feeds TrainingProgress from the calls a course loop makes: compute_cost gives the
    outputs AL of the current iteration, update_parameters ends it (adds 1 to `iteration`). The loop itself is the
    course's, unchanged; the learner writes none of this. A Ctrl-C asked for (DeferredCtrlC) is
    raised here, at compute_cost, before the iteration's update: the parameters are whole."""

    def __init__(self, progress, ctrl_c=None):
        self.progress, self.iteration, self.fed = progress, 0, -1
        self.ctrl_c = ctrl_c

    def cost(self, AL):
        if self.ctrl_c is not None and self.ctrl_c.requested:
            self.ctrl_c.requested = False
            raise KeyboardInterrupt
        if self.fed < self.iteration and isinstance(AL, np.ndarray):  # once per iteration
            self.fed = self.iteration
            self.progress(self.iteration, AL)


def _argument(fn, args, kwargs, name):
    """The value of parameter `name` in a call fn(*args, **kwargs), its default if not given."""
    import inspect

    bound = inspect.signature(fn).bind(*args, **kwargs)
    bound.apply_defaults()
    return bound.arguments[name]


def watched(fn, args, kwargs, local):
    """Run a course model function (L_layer_model, two_layer_model) while its training is watched.

    The course loop inside it reports to a TrainingProgress through `local.watch` (see
    dnnlib.checks.checked): NaN or inf outputs or a cost far above its start raise
    TrainingDivergedError, a stall warns once. numpy's overflow warnings are not printed: the
    divergence they announce is reported here, with the iteration and what to try (an overflow
    while the outputs stay finite is an error when the data explain it, TrainingProgress).
    """
    Y = np.asarray(_argument(fn, args, kwargs, "Y"), dtype=np.float64)
    total = _argument(fn, args, kwargs, "num_iterations")
    progress = TrainingProgress(Y, _argument(fn, args, kwargs, "learning_rate"), total,
                                X=_argument(fn, args, kwargs, "X"), name=fn.__name__)
    ctrl_c = DeferredCtrlC()
    watch = CourseLoopWatch(progress, ctrl_c)
    outer, local.watch = getattr(local, "watch", None), watch
    try:
        # (divide: the course's dA2 = -(Y/A2 - (1-Y)/(1-A2)) at a saturated A2; the NaN it leads to is reported)
        with ctrl_c, np.errstate(over="call", invalid="ignore", divide="ignore", call=progress.numpy_error):
            result = fn(*args, **kwargs)
    except KeyboardInterrupt as error:
        parameters, costs = _loop_state(error, progress)
        keep_what_was_trained(error, fn.__name__, parameters, costs, watch.iteration, total)
        raise
    finally:
        local.watch = outer
        progress.close()
    if isinstance(result, tuple) and result and isinstance(result[0], dict):
        progress.finish(result[0])
    if ctrl_c.requested:  # Ctrl-C during the last iteration: the training is whole, and still stops
        error = KeyboardInterrupt()
        if isinstance(result, tuple) and len(result) == 2:
            keep_what_was_trained(error, fn.__name__, result[0], result[1], watch.iteration, total)
        raise error
    return result


def _loop_state(error, progress):
    """(parameters, costs) of the course loop an exception stopped: its local variables `parameters`
    (a dict) and `costs` (a list), read from the outermost frame of the traceback that holds them;
    the watch's own costs if the loop keeps none."""
    tb, parameters, costs = error.__traceback__, None, None
    while tb is not None:
        local = tb.tb_frame.f_locals
        if isinstance(local.get("parameters"), dict):
            parameters = local["parameters"]
            costs = local.get("costs") if isinstance(local.get("costs"), list) else None
            break
        tb = tb.tb_next
    return parameters, (progress.costs if costs is None else costs)
