"""Training feedback: what the library promises around any training loop.

TrainingProgress watches a run from its outputs AL: it raises TrainingDivergedError when
the outputs become NaN or inf or the cost grows far above its start, and warns
(TrainingWarning) once when the network stalls. The fast path calls it every iteration;
around the learner's course loop, ``watch`` (used by ``dnnlib.checks.checked``) feeds it
from the course's own calls, so the learner writes none of it."""

from __future__ import annotations

import math
import os

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

    def __init__(self, Y, learning_rate, num_iterations, print_cost=False, print_every=100, X=None):
        self.Y, self.learning_rate, self.num_iterations = Y, learning_rate, num_iterations
        self.X = X  # the training data, read only to explain a divergence (data_overflow)
        self.print_cost, self.print_every = print_cost, print_every
        self.costs = []
        p = float(np.mean(Y)) if np.size(Y) else 0.5
        #: the cost of predicting the labels' mean p for every example (0 when all labels agree)
        self.constant_cost = float(-sum(q * np.log(q) for q in (p, 1 - p) if q > 0))
        self.warned = set()  # "dead", "stalled": each warning at most once per run
        self._stalled_since = None
        self._constant_checks = 0

    def __call__(self, i, AL):
        # a NaN or inf anywhere makes the sum NaN or inf: one cheap sum per iteration, the exact
        # scan only then (outputs that are not probabilities can overflow the sum)
        if not math.isfinite(AL.sum()) and not np.isfinite(AL).all():
            raise TrainingDivergedError(
                f"training diverged at iteration {i}: the output became NaN or inf. "
                + (data_overflow(self.X, AL.dtype, i) or
                   f"Try a smaller learning rate than {self.learning_rate}."))
        last = i == self.num_iterations - 1
        if i % 100 == 0 or (self.print_cost and last):
            cost = cost_of(AL, self.Y)
            if i % 100 == 0:
                self.costs.append(cost)
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

    def finish(self, parameters):
        """The last update is not followed by a forward pass that would show it: check it here."""
        if self.num_iterations and not all(np.all(np.isfinite(v)) for v in parameters.values()):
            raise TrainingDivergedError(
                f"training diverged at iteration {self.num_iterations - 1}: its update made the "
                f"parameters NaN or inf. "
                + (data_overflow(self.X, parameters["W1"].dtype, self.num_iterations) or
                   f"Try a smaller learning rate than {self.learning_rate}."))


# ---------------------------------------------------------------------------
# Watching the learner's course loop
# ---------------------------------------------------------------------------

class CourseLoopWatch:
    """Feeds TrainingProgress from the calls a course loop makes: compute_cost gives the
    outputs AL of the current iteration, update_parameters ends it (adds 1 to `iteration`). The loop itself is the
    course's, unchanged; the learner writes none of this."""

    def __init__(self, progress):
        self.progress, self.iteration, self.fed = progress, 0, -1

    def cost(self, AL):
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
    TrainingDivergedError, a stall warns once. numpy's overflow warnings are silenced: the
    divergence they announce is reported here, with the iteration and what to try.
    """
    Y = np.asarray(_argument(fn, args, kwargs, "Y"), dtype=np.float64)
    progress = TrainingProgress(Y, _argument(fn, args, kwargs, "learning_rate"),
                                _argument(fn, args, kwargs, "num_iterations"),
                                X=_argument(fn, args, kwargs, "X"))
    outer, local.watch = getattr(local, "watch", None), CourseLoopWatch(progress)
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            result = fn(*args, **kwargs)
    finally:
        local.watch = outer
    if isinstance(result, tuple) and result and isinstance(result[0], dict):
        progress.finish(result[0])
    return result
