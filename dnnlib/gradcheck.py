"""Gradient checking: backpropagation's gradients against centred finite differences."""

from __future__ import annotations

import numpy as np

from dnnlib.checks import check_labels, check_parameters_finite, check_real, check_real_matrix, num_layers
from dnnlib.training import cost_of

# ---------------------------------------------------------------------------
# Gradient checking
# ---------------------------------------------------------------------------

def parameters_to_vector(parameters):
    """Stack W1, b1, ..., WL, bL (in that order) into one column vector (n_params, 1)."""
    L = num_layers(parameters)
    keys = [f"{p}{l}" for l in range(1, L + 1) for p in "Wb"]
    for k in keys:
        if np.iscomplexobj(parameters[k]):  # float64 would drop the imaginary part in silence
            check_real(k, np.asarray(parameters[k]))
    return np.concatenate([np.asarray(parameters[k], dtype=np.float64).reshape(-1, 1) for k in keys])


def vector_to_parameters(theta, like):
    """Inverse of parameters_to_vector: cut theta (n_params, 1) into arrays shaped like `like`'s."""
    L = num_layers(like)
    keys = [f"{p}{l}" for l in range(1, L + 1) for p in "Wb"]
    sizes = [np.size(like[k]) for k in keys]
    theta = np.asarray(theta)
    if np.iscomplexobj(theta) or not (np.issubdtype(theta.dtype, np.number) or theta.dtype == bool):
        raise TypeError(f"theta must hold real numbers, found dtype {theta.dtype}")
    if theta.ndim > 2 or (theta.ndim == 2 and 1 not in theta.shape):
        raise ValueError(f"theta must be a vector (n_params, 1), found shape {theta.shape}")
    if np.size(theta) != sum(sizes):
        raise ValueError(f"theta has {np.size(theta)} values; the network has {sum(sizes)} parameters")
    out, start = {}, 0
    for k, n in zip(keys, sizes):
        out[k] = np.asarray(theta, dtype=np.float64).reshape(-1)[start:start + n].reshape(np.shape(like[k]))
        start += n
    return out


class GradientCheckWarning(UserWarning):
    """gradient_check left parameters out: their steps cross a ReLU kink both ways (see gradient_check)."""


#: gradient_check refuses networks whose check would exceed this many floating-point
#: operations (about 2·n_params forward passes of 2·m·n_weights each): at a few GFLOP/s,
#: some seconds. The course's [12288, 20, 7, 5, 1] model on 209 images needs ~1e14 (hours).
GRADIENT_CHECK_MAX_FLOPS = 2e10


def _relu_kinks(forward, parameters, X, epsilon):
    """Number of hidden ReLU units, over all examples, with |Z| within the finite-difference step.

    A step of ε in one parameter moves Z by up to about ε·max(1, |A_prev|): such a unit can
    cross the kink at 0, where relu has no derivative, and the centred difference then
    measures the average of the two slopes instead of backprop's one.
    """
    _, caches = forward(X, parameters)
    count = 0
    for (A_prev, _, _), Z in caches[:-1]:  # the hidden layers: the last one is the sigmoid
        reach = 10 * epsilon * np.maximum(1.0, np.max(np.abs(A_prev), axis=0, initial=0.0))
        count += int(np.sum(np.abs(Z) <= reach))
    return count


def _relu_pattern(caches):
    """relu'(Z) of every hidden layer as backprop takes it, Z > 0 (0 at the kink Z = 0).

    None when the caches are not the course's ((A_prev, W, b), Z) per layer: then no parameter
    can be told to cross a kink, and every one gets the centred difference.
    """
    try:
        return [np.asarray(Z) > 0 for (_, Z) in caches[:-1]]
    except (TypeError, ValueError):
        return None


def _same_pattern(p, q):
    return (p is not None and q is not None and len(p) == len(q)
            and all(a.shape == b.shape and np.array_equal(a, b) for a, b in zip(p, q)))


def gradient_check(parameters, X, Y, epsilon=1e-7, forward=None, backward=None, *,
                   kinks="warn", seed=0, max_flops=GRADIENT_CHECK_MAX_FLOPS, details=False):
    """Compare backpropagation's gradients with finite differences.

    For every parameter θ_i: gradapprox_i = (J(θ_i + ε) - J(θ_i - ε)) / (2ε), the centred
    difference, except where that step crosses a ReLU kink (below).

    The ReLU kink. relu has no derivative at Z = 0; backprop takes relu'(0) = 0 (the unit is
    off). Where the step ±ε in θ_i moves a hidden unit across the kink (the pattern Z > 0 of
    some hidden unit and example differs at θ_i + ε or θ_i - ε from the one at θ_i, e.g. a unit
    at Z = 0 exactly behind zero biases and an all-zero input), the centred difference measures
    the average of two one-sided slopes, and a correct backprop fails by up to 1. The rule
    (kinks "warn" and "nudge"): for such a θ_i,
    * if one side keeps the pattern at θ_i (the unit at Z = 0 stays off, a unit at Z > 0 stays
      on) over the steps ε and 2ε, backprop is compared with the one-sided difference on that
      side, side·(-3 J(θ) + 4 J(θ + side·ε) - J(θ + side·2ε)) / (2ε): the slope of the same
      smooth piece of J that backprop differentiates, correct to O(ε²) like the centred one;
    * if neither side keeps it (units cross the kink one way on one side and another way on the
      other), θ_i is excluded: left out of both gradients in the difference, counted in
      details["excluded"] and named in a GradientCheckWarning.
    A correct backprop then passes (below 1e-7, up to the rounding noise every finite
    difference has) on networks with dead units or units at the kink, and a wrong one still
    fails, including one that takes relu'(0) = 1 (dZ[Z < 0] = 0): its gradient is compared
    with the side where the unit stays off. kinks="ignore" keeps the plain centred difference
    everywhere (the textbook check) and says nothing.

    Arguments:
    parameters -- dict "W1", "b1", ... (cast to float64; keep the network small)
    X -- (n_x, m);  Y -- (1, m)
    epsilon -- the step ε, a finite number > 0
    forward, backward -- the functions to check: the course's L_model_forward and
                         L_model_backward, or your own (dnn_utils.gradient_check passes
                         the course's by default). The kink rule reads the hidden Z from the
                         caches ((A_prev, W, b), Z) per layer; other caches get centred differences
    kinks -- what to do about the ReLU kink Z = 0:
             "warn" (default): check at the given point with the rule above; warn
             (GradientCheckWarning) when parameters had to be excluded;
             "nudge": first move the check point off the kinks, by adding seeded noise of size
             1e-3 to the hidden layers' biases (up to 5 tries), then as "warn";
             "ignore": centred differences everywhere, at the given point, no warning (at a
             kink even a correct backprop can fail);
             "raise": ValueError if hidden units sit at the kink (|Z| within reach of ε)
    seed -- seed of the nudge's noise (int or np.random.Generator)
    max_flops -- refuse (ValueError) networks whose check would take more than this many
                 floating-point operations, estimated as 2·n_params forward passes of
                 2·m·n_weights each (default GRADIENT_CHECK_MAX_FLOPS = 2e10, seconds);
                 None checks whatever the cost
    details -- False: return the difference (a float); True: a dict with "difference",
               "n_params", "flops" (the estimate), "kinks" (units at a kink at the given
               point), "nudged" (the point was moved), "kinks_checked" (at the checked point),
               "one_sided" (parameters compared with a one-sided difference) and "excluded"
               (parameters left out)

    Returns:
    difference -- ||grad - gradapprox|| / (||grad|| + ||gradapprox||) over the parameters not
                  excluded; below about 1e-7 means backpropagation is right. 0 when both
                  gradients are within rounding noise of 0 (about √n_params · 2·eps·J / ε),
                  where their ratio means nothing; NaN when every parameter was excluded
    """
    if (isinstance(epsilon, bool) or not isinstance(epsilon, (int, float, np.integer, np.floating))
            or not np.isfinite(epsilon) or epsilon <= 0):
        raise ValueError(f"epsilon must be a finite number > 0 (e.g. 1e-7), found {epsilon!r}")
    if kinks not in ("warn", "nudge", "raise", "ignore"):
        raise ValueError(f"kinks must be 'warn', 'nudge', 'raise' or 'ignore', found {kinks!r}")
    if not (callable(forward) and callable(backward)):
        raise TypeError(f"forward and backward must be the functions to check (L_model_forward and "
                        f"L_model_backward), found {type(forward).__name__} and {type(backward).__name__}")
    check_real_matrix("X", X)
    X = np.asarray(X, dtype=np.float64)
    check_labels(Y, X.shape[1])
    check_parameters_finite(parameters)
    theta = parameters_to_vector(parameters)
    n_weights = sum(np.size(parameters[k]) for k in parameters if k.startswith("W"))
    flops = 2.0 * theta.shape[0] * 2.0 * X.shape[1] * n_weights
    if max_flops is not None and flops > max_flops:
        raise ValueError(
            f"this gradient check is too large to run in reasonable time: {theta.shape[0]:,} parameters "
            f"need {2 * theta.shape[0]:,} forward passes on {X.shape[1]:,} examples, about {flops:.1e} "
            f"floating-point operations (limit max_flops = {max_flops:.0e}; at 1e9 per second that is "
            f"{flops / 1e9 / 60:,.0f} minutes). Check a small network with the same code instead, "
            f"e.g. layer_dims [5, 4, 3, 1] on 10 examples, or pass max_flops=None to run it anyway")

    params64 = vector_to_parameters(theta, parameters)
    found = _relu_kinks(forward, params64, X, epsilon)
    at_point, nudged = found, False
    if found and kinks == "raise":
        raise ValueError(f"{found} hidden unit value(s) sit at the ReLU kink Z = 0 (|Z| within the "
                         f"step epsilon) at this point: the finite differences there are not derivatives. "
                         f"Use kinks='nudge' to check at a nearby point, or other biases / inputs")
    if found and kinks == "nudge":
        rng = np.random.default_rng(seed)
        hidden_biases = [f"b{l}" for l in range(1, num_layers(params64))]
        best = (found, params64)
        for _ in range(5):  # from the given point each time; keep the one with the fewest kinks
            moved = {k: v.copy() for k, v in params64.items()}
            for key in hidden_biases:
                b = moved[key]
                b += 1e-3 * rng.choice([-1.0, 1.0], size=b.shape) * rng.uniform(0.5, 1.0, size=b.shape)
            left = _relu_kinks(forward, moved, X, epsilon)
            if left < best[0]:
                best = (left, moved)
            if left == 0:
                break
        nudged = best[1] is not params64
        at_point, params64 = best
        theta = parameters_to_vector(params64)

    def cost_at(t):
        AL, caches = forward(X, vector_to_parameters(t, parameters))
        return cost_of(AL, Y), _relu_pattern(caches)

    AL, caches = forward(X, params64)
    grads = backward(AL, Y, caches)
    grad = parameters_to_vector({k[1:]: v for k, v in grads.items() if k[:2] in ("dW", "db")})
    J0 = cost_of(AL, Y)
    pattern = _relu_pattern(caches) if kinks != "ignore" else None

    n = theta.shape[0]
    gradapprox = np.zeros_like(theta)
    kept = np.ones(n, dtype=bool)
    one_sided = 0
    for i in range(n):
        step = np.zeros_like(theta)
        step[i] = epsilon
        J_plus, p_plus = cost_at(theta + step)
        J_minus, p_minus = cost_at(theta - step)
        if pattern is None or (_same_pattern(p_plus, pattern) and _same_pattern(p_minus, pattern)):
            gradapprox[i] = (J_plus - J_minus) / (2 * epsilon)
            continue
        # the step crosses a kink: the one-sided difference on the side that keeps backprop's pattern
        for side, J1, p1 in ((1.0, J_plus, p_plus), (-1.0, J_minus, p_minus)):
            if _same_pattern(p1, pattern):
                J2, p2 = cost_at(theta + 2 * side * step)
                if _same_pattern(p2, pattern):
                    gradapprox[i] = side * (-3 * J0 + 4 * J1 - J2) / (2 * epsilon)
                    one_sided += 1
                    break
        else:
            kept[i] = False
    excluded = int(n - kept.sum())

    g, ga = grad[kept], gradapprox[kept]
    denominator = np.linalg.norm(g) + np.linalg.norm(ga)
    # Rounding: J is computed to a few ulps, so each centred difference carries noise of about
    # 4·eps·|J| / (2ε) (3e-9 for J = 0.69, ε = 1e-7). Two gradients that are both that small are
    # both 0 as far as finite differences can tell (a dead layer, balanced labels): their relative
    # difference would compare noise with noise, anything up to 1, and is reported as 0.
    # (A one-sided difference carries about 4 times that noise: still far below 1e-7.)
    rounding = np.sqrt(max(1, g.shape[0])) * 4 * np.finfo(np.float64).eps * abs(J0) / (2 * epsilon)
    if not kept.any():
        difference = float("nan")  # every parameter excluded: nothing was checked
    else:
        difference = 0.0 if denominator <= rounding else float(np.linalg.norm(g - ga) / denominator)
    if excluded and kinks in ("warn", "nudge"):
        import warnings

        warnings.warn(
            f"gradient_check: {excluded} of {n} parameter(s) were excluded from the check: a step of "
            f"±epsilon in each moves hidden units across the ReLU kink Z = 0 on both sides, so neither "
            f"one-sided difference is the slope backprop computes (relu'(0) = 0). The difference "
            f"{difference:.1e} is over the other {n - excluded}. "
            + ("kinks='nudge' could not move the point off the kinks." if kinks == "nudge" else
               "Pass kinks='nudge' to check them at a point nearby."), GradientCheckWarning, stacklevel=2)
    if details:
        return {"difference": difference, "n_params": int(n), "flops": flops,
                "kinks": found, "nudged": nudged, "kinks_checked": at_point,
                "one_sided": one_sided, "excluded": excluded}
    return difference
