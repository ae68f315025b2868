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
    """gradient_check's difference may not mean what it says (units at a ReLU kink)."""


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


def gradient_check(parameters, X, Y, epsilon=1e-7, forward=None, backward=None, *,
                   kinks="warn", seed=0, max_flops=GRADIENT_CHECK_MAX_FLOPS, details=False):
    """Compare backpropagation's gradients with centred finite differences.

    For every parameter θ_i: gradapprox_i = (J(θ_i + ε) - J(θ_i - ε)) / (2ε).

    Arguments:
    parameters -- dict "W1", "b1", ... (cast to float64; keep the network small)
    X -- (n_x, m);  Y -- (1, m)
    epsilon -- the step ε, a finite number > 0
    forward, backward -- the functions to check: the course's L_model_forward and
                         L_model_backward, or your own (dnn_utils.gradient_check passes
                         the course's by default)
    kinks -- what to do when hidden ReLU units sit at the kink Z = 0 (within reach of ε) at
             the checked point, where the centred difference is not a derivative and a
             correct backprop can differ by up to 1 (e.g. zero biases behind dead units):
             "warn" (default): check at the given point; if the difference is above 1e-7,
             warn (GradientCheckWarning) that the kinks may be the cause;
             "nudge": move the check point off the kinks, by adding seeded noise of size
             1e-3 to the hidden layers' biases (up to 5 tries; warns as "warn" does if
             kinks remain);
             "raise": ValueError; "ignore": check at the given point, say nothing
    seed -- seed of the nudge's noise (int or np.random.Generator)
    max_flops -- refuse (ValueError) networks whose check would take more than this many
                 floating-point operations, estimated as 2·n_params forward passes of
                 2·m·n_weights each (default GRADIENT_CHECK_MAX_FLOPS = 2e10, seconds);
                 None checks whatever the cost
    details -- False: return the difference (a float); True: a dict with "difference",
               "n_params", "flops" (the estimate), "kinks" (units at a kink at the given
               point), "nudged" (the point was moved) and "kinks_checked" (at the checked point)

    Returns:
    difference -- ||grad - gradapprox|| / (||grad|| + ||gradapprox||); below about 1e-7
                  means backpropagation is right. 0 when both gradients are within rounding
                  noise of 0 (about √n_params · 2·eps·J / ε), where their ratio means nothing
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
        AL, _ = forward(X, vector_to_parameters(t, parameters))
        return cost_of(AL, Y)

    AL, caches = forward(X, params64)
    grads = backward(AL, Y, caches)
    grad = parameters_to_vector({k[1:]: v for k, v in grads.items() if k[:2] in ("dW", "db")})

    gradapprox = np.zeros_like(theta)
    for i in range(theta.shape[0]):
        plus, minus = theta.copy(), theta.copy()
        plus[i] += epsilon
        minus[i] -= epsilon
        gradapprox[i] = (cost_at(plus) - cost_at(minus)) / (2 * epsilon)

    denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
    # Rounding: J is computed to a few ulps, so each centred difference carries noise of about
    # 4·eps·|J| / (2ε) (3e-9 for J = 0.69, ε = 1e-7). Two gradients that are both that small are
    # both 0 as far as finite differences can tell (a dead layer, balanced labels): their relative
    # difference would compare noise with noise, anything up to 1, and is reported as 0.
    rounding = np.sqrt(theta.shape[0]) * 4 * np.finfo(np.float64).eps * abs(cost_of(AL, Y)) / (2 * epsilon)
    difference = 0.0 if denominator <= rounding else float(np.linalg.norm(grad - gradapprox) / denominator)
    if at_point and kinks in ("warn", "nudge") and difference > 1e-7:
        import warnings

        warnings.warn(
            f"gradient_check: the difference {difference:.1e} may not mean a bug: {at_point} hidden unit "
            f"value(s) sit at the ReLU kink Z = 0 at the checked point, where the centred difference "
            f"measures the average of the two slopes, so even a correct backprop can differ. "
            + ("kinks='nudge' could not move the point off them." if kinks == "nudge" else
               "Pass kinks='nudge' to check at a point nearby."), GradientCheckWarning, stacklevel=2)
    if details:
        return {"difference": difference, "n_params": int(theta.shape[0]), "flops": flops,
                "kinks": found, "nudged": nudged, "kinks_checked": at_point}
    return difference
