# ruff: noqa: E501  (the catalogue keeps each mistake on one line, as a learner would write it)
"""The catalogue of typical mistakes: each is named by the test cell of its exercise.

For every exercise of notebooks 01-05, a list of typical mistakes, each a small variant of the
function as a learner might write it (the mistakes of issue 24's trial, the blog post's bugs
kept in blog_post_bugs.py, and the usual slips of the course). Each variant is filled in as the
learner's function, the exercise's test cell is taken from the notebook by its
``"exercise": "test_<name>"`` metadata and run, and the test asserts that it fails with a
message that names the mistake: a few key facts (tests/helpers.py, assert_names), not the
wording. The course's own correct styles (np.dot, len(parameters) // 2, the dA[L] route, an
update that makes new arrays) must pass the same cells.

The catalogue's coverage is printed by ``python -m tests.test_mistakes_named``.
"""
from __future__ import annotations

import contextlib
import io
import textwrap
from pathlib import Path

import nbformat
import numpy as np
import pytest

import blog_post_bugs
import dnn_utils
from dnnlib.checks import checked
from tests.helpers import assert_names

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_OF = {
    "initialize_parameters": "01_initialization", "initialize_parameters_two_layer": "01_initialization",
    "linear_forward": "02_forward_propagation", "linear_activation_forward": "02_forward_propagation",
    "L_model_forward": "02_forward_propagation", "compute_cost": "03_cost",
    "sigmoid_backward": "04_backward_propagation", "linear_backward": "04_backward_propagation",
    "linear_activation_backward": "04_backward_propagation", "L_model_backward": "04_backward_propagation",
    "update_parameters": "05_update_parameters", "L_layer_model": "05_update_parameters",
}


def source_of_test_cell(exercise):
    """The source of the notebook cell whose metadata is {"exercise": "test_<exercise>"}."""
    nb = nbformat.read(ROOT / "notebooks" / f"{NOTEBOOK_OF[exercise]}.ipynb", 4)
    cells = [c.source for c in nb.cells if c.get("metadata", {}).get("exercise") == f"test_{exercise}"]
    assert len(cells) == 1, f"{NOTEBOOK_OF[exercise]} must have one test cell for {exercise}, found {len(cells)}"
    return cells[0]


def run_test_cell(exercise, learner_code=None, **functions):
    """Run the exercise's test cell with the learner's versions: `learner_code` (source defining
    functions, decorated with @checked as in the exercise cells) and/or `functions` by name.
    Returns the exception the cell raised, or None when it passed."""
    namespace = {k: getattr(dnn_utils, k) for k in dnn_utils.__all__}
    namespace.update(np=np, checked=checked)
    if learner_code is not None:
        exec(textwrap.dedent(learner_code), namespace)  # noqa: S102 (the catalogue's own code)
    namespace.update(functions)
    try:
        with contextlib.redirect_stdout(io.StringIO()), np.errstate(all="ignore"):
            exec(source_of_test_cell(exercise), namespace)  # noqa: S102 (the notebook's own test cell)
    except Exception as error:  # noqa: BLE001 (what the learner would see)
        return error
    return None


# ---------------------------------------------------------------------------
# The catalogue: (exercise, mistake id, the learner's code, facts the message must name)
# ---------------------------------------------------------------------------

def mistake(exercise, key, code=None, facts=(), **functions):
    return pytest.param(exercise, code, functions, facts, id=f"{exercise}-{key}")


INIT = """
    @checked
    def initialize_parameters(layer_dims, seed=None):
        rng = np.random.default_rng(seed)
        parameters = {{}}
        L = len(layer_dims)
        for l in {loop}:
            parameters["W" + str(l)] = {draw}
            parameters["b" + str(l)] = {bias}
        return parameters
"""


def init(loop="range(1, L)", draw="rng.standard_normal((layer_dims[l], layer_dims[l - 1])) / np.sqrt(layer_dims[l - 1])",
         bias="np.zeros((layer_dims[l], 1))"):
    return INIT.format(loop=loop, draw=draw, bias=bias)


TWO = """
    @checked
    def initialize_parameters_two_layer(n_x, n_h, n_y, seed=None):
        rng = np.random.default_rng(seed)
        {body}
        return {{"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}}
"""


def two(body):
    return TWO.format(body=body)


FORWARD = """
    @checked
    def L_model_forward(X, parameters):
        caches = []
        A = X
        L = {count}
        for l in {loop}:
            A_prev = A
            A, cache = linear_activation_forward(A_prev, parameters["W" + str(l)], parameters["b" + str(l)], "{hidden}")
            caches.append(cache)
        AL, cache = linear_activation_forward({last_input}, parameters["W" + str(L)], parameters["b" + str(L)], "{output}")
        {append_last}
        return AL, caches
"""


def forward(count="len(parameters) // 2", loop="range(1, L)", hidden="relu", last_input="A", output="sigmoid",
            append_last="caches.append(cache)", order=None):
    code = FORWARD.format(count=count, loop=loop, hidden=hidden, last_input=last_input, output=output,
                          append_last=append_last)
    return code if order is None else code.replace("return AL, caches", order)


COST = """
    @checked
    def compute_cost(AL, Y):
        m = Y.shape[1]
        AL = np.clip(AL, 1e-15, 1 - 1e-15)
        cost = {formula}
        return float(cost)
"""


def cost(formula):
    return COST.format(formula=formula)


LINEAR_BACKWARD = """
    @checked
    def linear_backward(dZ, cache):
        A_prev, W, b = cache
        m = {m}
        dW = {dW}
        db = {db}
        dA_prev = {dA_prev}
        return dA_prev, dW, db
"""


def linear_bwd(m="A_prev.shape[1]", dW="dZ @ A_prev.T / m", db="np.sum(dZ, axis=1, keepdims=True) / m",
               dA_prev="W.T @ dZ"):
    return LINEAR_BACKWARD.format(m=m, dW=dW, db=db, dA_prev=dA_prev)


ACTIVATION_BACKWARD = """
    @checked
    def linear_activation_backward(dA, cache, activation):
        {unpack}
        if activation == "relu":
            dZ = {relu}(dA, activation_cache)
        elif activation == "sigmoid":
            dZ = {sigmoid}(dA, activation_cache)
        dA_prev, dW, db = linear_backward({into_linear}, linear_cache)
        return dA_prev, dW, db
"""


def activation_bwd(unpack="linear_cache, activation_cache = cache", relu="relu_backward", sigmoid="sigmoid_backward",
                   into_linear="dZ"):
    return ACTIVATION_BACKWARD.format(unpack=unpack, relu=relu, sigmoid=sigmoid, into_linear=into_linear)


BACKWARD = """
    @checked
    def L_model_backward(AL, Y, caches):
        grads = {{}}
        L = {count}
        {start}
        grads["dW" + str(L)] = dW
        grads["db" + str(L)] = db
        for l in reversed(range(1, L)):
            grads["dA" + str(l)] = dA_prev
            dA_prev, dW, db = linear_activation_backward(grads["dA" + str(l)], caches[{index}], "{hidden}")
            grads["dW" + str(l)] = dW
            grads["db" + str(l)] = db
        return grads
"""
FUSED = "dA_prev, dW, db = linear_backward({dZ}, caches[L - 1][0])"
TEXTBOOK = ("dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))\n"
            "        dA_prev, dW, db = linear_activation_backward(dAL, caches[L - 1], \"sigmoid\")")


def backward(count="len(caches)", start=FUSED.format(dZ="AL - Y"), index="l - 1", hidden="relu"):
    return BACKWARD.format(count=count, start=start, index=index, hidden=hidden)


UPDATE = """
    @checked
    def update_parameters(parameters, grads, learning_rate):
        L = {count}
        for l in {loop}:
            {body}
        return {returned}
"""
IN_PLACE = ('parameters["W" + str(l)] -= learning_rate * grads["dW" + str(l)]\n'
            '            parameters["b" + str(l)] -= learning_rate * grads["db" + str(l)]')
NEW_ARRAYS = ('parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]\n'
              '            parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]')


def update(count="len(parameters) // 2", loop="range(1, L + 1)", body=IN_PLACE, returned="parameters"):
    return UPDATE.format(count=count, loop=loop, body=body, returned=returned)


MODEL = """
    @checked
    def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False, seed=1):
        costs = []
        parameters = initialize_parameters(layers_dims, {seed})
        grads = None
        for i in range(num_iterations):
            {iteration}
            if {record}:
                costs.append(cost)
        return parameters, costs
"""
IN_ORDER = """AL, caches = L_model_forward(X, parameters)
            cost = compute_cost(AL, Y)
            grads = L_model_backward(AL, Y, caches)
            parameters = update_parameters(parameters, grads, {lr})"""
# the trial's loop: the update (in place) comes before the backward pass has read the W in the caches
UPDATE_FIRST = """AL, caches = L_model_forward(X, parameters)
            cost = compute_cost(AL, Y)
            if grads is not None:
                parameters = update_parameters(parameters, grads, learning_rate)
            grads = L_model_backward(AL, Y, caches)"""


def model(seed="seed=seed", iteration=IN_ORDER.format(lr="learning_rate"), record="i % 100 == 0"):
    return MODEL.format(seed=seed, iteration=iteration, record=record)


MISTAKES = [
    # 01: initialize_parameters
    mistake("initialize_parameters", "fan-in-from-n[l]",
            init(draw="rng.standard_normal((layer_dims[l], layer_dims[l - 1])) / np.sqrt(layer_dims[l])"),
            ("sqrt(n[l])", "fan-in", "layer_dims[l - 1]")),
    mistake("initialize_parameters", "times-0.01", init(draw="rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * 0.01"),
            ("0.01", "np.sqrt(layer_dims[l - 1])")),
    mistake("initialize_parameters", "he-scale",
            init(draw="rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * np.sqrt(2 / layer_dims[l - 1])"),
            ("He", "1 / sqrt(n[l-1])")),
    mistake("initialize_parameters", "loop-one-layer-too-far", init(loop="range(1, L + 1)"),
            ("len(layer_dims) - 1", "range(1, len(layer_dims))")),
    mistake("initialize_parameters", "loop-misses-last-layer", init(loop="range(1, L - 1)"),
            ("W1, b1, W2, b2", "range(1, len(layer_dims))")),
    mistake("initialize_parameters", "W-transposed",
            init(draw="rng.standard_normal((layer_dims[l - 1], layer_dims[l])) / np.sqrt(layer_dims[l - 1])"),
            ("(n[l], n[l-1])", "(4, 5)")),
    mistake("initialize_parameters", "b-one-dimensional", init(bias="np.zeros(layer_dims[l])"), ("b[l]", "(n[l], 1)")),
    mistake("initialize_parameters", "zero-weights", init(draw="np.zeros((layer_dims[l], layer_dims[l - 1]))"),
            ("random", "same thing")),
    mistake("initialize_parameters", "global-generator",
            init(draw="np.random.randn(layer_dims[l], layer_dims[l - 1]) / np.sqrt(layer_dims[l - 1])"),
            ("same seed", "np.random.default_rng(seed)")),
    # 01: initialize_parameters_two_layer
    mistake("initialize_parameters_two_layer", "no-0.01",
            two("W1 = rng.standard_normal((n_h, n_x))\n        W2 = rng.standard_normal((n_y, n_h))"), ("* 0.01",)),
    mistake("initialize_parameters_two_layer", "W1-transposed",
            two("W1 = rng.standard_normal((n_x, n_h)) * 0.01\n        W2 = rng.standard_normal((n_y, n_h)) * 0.01"),
            ("W1", "(n_h, n_x)")),
    mistake("initialize_parameters_two_layer", "W2-drawn-first",
            two("W2 = rng.standard_normal((n_y, n_h)) * 0.01\n        W1 = rng.standard_normal((n_h, n_x)) * 0.01"),
            ("W2", "before W1")),
    mistake("initialize_parameters_two_layer", "global-generator",
            two("W1 = np.random.randn(n_h, n_x) * 0.01\n        W2 = np.random.randn(n_y, n_h) * 0.01"),
            ("same seed", "np.random.default_rng(seed)")),
    # 02: linear_forward
    mistake("linear_forward", "blog-A-dot-W", linear_forward=blog_post_bugs.linear_forward,
            facts=("A·W", "W on the left")),
    mistake("linear_forward", "no-bias", """
        @checked
        def linear_forward(A, W, b):
            return W @ A, (A, W, b)
        """, ("bias", "W·A + b")),
    mistake("linear_forward", "cache-order", """
        @checked
        def linear_forward(A, W, b):
            return W @ A + b, (W, A, b)
        """, ("(A, W, b)", "found (W, A, b)")),
    mistake("linear_forward", "returns-Z-only", """
        @checked
        def linear_forward(A, W, b):
            return W @ A + b
        """, ("(Z, cache)",)),
    # 02: linear_activation_forward
    mistake("linear_activation_forward", "trial-swapped-cache-tuple", """
        @checked
        def linear_activation_forward(A_prev, W, b, activation):
            Z, linear_cache = linear_forward(A_prev, W, b)
            A, activation_cache = relu(Z) if activation == "relu" else sigmoid(Z)
            return A, (activation_cache, linear_cache)
        """, ("swapped", "(linear_cache, activation_cache)")),
    mistake("linear_activation_forward", "activations-swapped", """
        @checked
        def linear_activation_forward(A_prev, W, b, activation):
            Z, linear_cache = linear_forward(A_prev, W, b)
            A, activation_cache = sigmoid(Z) if activation == "relu" else relu(Z)
            return A, (linear_cache, activation_cache)
        """, ("branches are swapped",)),
    mistake("linear_activation_forward", "caches-A-not-Z", """
        @checked
        def linear_activation_forward(A_prev, W, b, activation):
            Z, linear_cache = linear_forward(A_prev, W, b)
            A, _ = relu(Z) if activation == "relu" else sigmoid(Z)
            return A, (linear_cache, A)
        """, ("holds A", "Z")),
    mistake("linear_activation_forward", "blog-undefined-z", linear_activation_forward=blog_post_bugs.linear_activation_forward,
            facts=("'z'", "not defined")),
    # 02: L_model_forward
    mistake("L_model_forward", "trial-len-parameters", forward(count="len(parameters)"),
            ("len(parameters) // 2",)),
    mistake("L_model_forward", "blog-last-layer-fed-A_prev", L_model_forward=blog_post_bugs.L_model_forward,
            facts=("A_prev", "layer L must take A")),
    mistake("L_model_forward", "blog-A-dot-W-in-every-layer", L_model_forward=blog_post_bugs.L_model_forward_dot,
            facts=("W·A", "W on the left")),
    mistake("L_model_forward", "trial-hidden-layers-sigmoid", forward(hidden="sigmoid"), ("hidden", "'relu'")),
    mistake("L_model_forward", "output-relu", forward(output="relu"), ("output layer", "'sigmoid'")),
    mistake("L_model_forward", "loop-one-layer-too-far", forward(loop="range(1, L + 1)"), ("range(1, L)",)),
    mistake("L_model_forward", "loop-from-zero", forward(loop="range(0, L)"), ("numbered from 1",)),
    mistake("L_model_forward", "last-cache-not-appended", forward(append_last="pass"), ("2 caches", "the output layer's too")),
    mistake("L_model_forward", "caches-reversed", forward(order="return AL, caches[::-1]"),
            ("caches[0]", "layer 1 first")),
    # 03: compute_cost
    mistake("compute_cost", "trial-no-1/m", cost("-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))"),
            ("1/m", "Y.shape[1]")),
    mistake("compute_cost", "m-from-rows", cost("-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / Y.shape[0]"),
            ("1/m", "not Y.shape[0]")),
    mistake("compute_cost", "sign", cost("np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m"),
            ("wrong sign", "minus")),
    mistake("compute_cost", "integer-division", cost("-(1 // m) * np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))"),
            ("1 // m", "integer division")),
    mistake("compute_cost", "labels-swapped", cost("-np.sum(Y * np.log(1 - AL) + (1 - Y) * np.log(AL)) / m"),
            ("swapped", "log(a)")),
    mistake("compute_cost", "no-clip", """
        @checked
        def compute_cost(AL, Y):
            m = Y.shape[1]
            return float(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m)
        """, ("clip", "inf or nan")),
    mistake("compute_cost", "returns-array", """
        @checked
        def compute_cost(AL, Y):
            m = Y.shape[1]
            AL = np.clip(AL, 1e-15, 1 - 1e-15)
            return -(np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T)) / m
        """, ("a number", "float(")),
    # 04: sigmoid_backward and relu_backward (one test cell)
    mistake("sigmoid_backward", "blog-relu-Z<0", relu_backward=blog_post_bugs.relu_backward,
            facts=("Z = 0", "Z <= 0")),
    mistake("sigmoid_backward", "trial-relu-dA-in-place", """
        @checked
        def relu_backward(dA, cache):
            dA[cache <= 0] = 0
            return dA
        """, ("in place", "copy")),
    mistake("sigmoid_backward", "relu-passes-dA", """
        @checked
        def relu_backward(dA, cache):
            return dA.copy()
        """, ("Z <= 0",)),
    mistake("sigmoid_backward", "sigmoid-without-dA", """
        @checked
        def sigmoid_backward(dA, cache):
            s = 1 / (1 + np.exp(-cache))
            return s * (1 - s)
        """, ("multiply it by dA",)),
    mistake("sigmoid_backward", "sigmoid-of-Z-forgotten", """
        @checked
        def sigmoid_backward(dA, cache):
            return dA * cache * (1 - cache)
        """, ("Z * (1 - Z)", "s = sigmoid(Z)")),
    # 04: linear_backward
    mistake("linear_backward", "blog-trial-dW-without-1/m", linear_backward=blog_post_bugs.linear_backward,
            facts=("m = 3 times too large", "/ m")),
    mistake("linear_backward", "trial-db-without-keepdims", linear_bwd(db="np.sum(dZ, axis=1) / m"), ("keepdims=True",)),
    mistake("linear_backward", "m-from-rows", linear_bwd(m="A_prev.shape[0]"), ("A_prev.shape[1]",)),
    mistake("linear_backward", "dA_prev-divided-by-m", linear_bwd(dA_prev="W.T @ dZ / m"), ("no 1/m",)),
    mistake("linear_backward", "dW-transposed", linear_bwd(dW="A_prev @ dZ.T / m"), ("dW", "dZ·A_prev.T")),
    mistake("linear_backward", "db-summed-over-units", linear_bwd(db="np.sum(dZ, axis=0, keepdims=True) / m"),
            ("db", "axis=1")),
    # 04: linear_activation_backward
    mistake("linear_activation_backward", "cache-unpacked-in-the-wrong-order",
            activation_bwd(unpack="activation_cache, linear_cache = cache"), ("linear_cache, activation_cache = cache",)),
    mistake("linear_activation_backward", "activations-swapped",
            activation_bwd(relu="sigmoid_backward", sigmoid="relu_backward"), ("branches are swapped",)),
    mistake("linear_activation_backward", "dA-into-linear-backward", activation_bwd(into_linear="dA"),
            ("relu_backward(dA, activation_cache)", "then linear_backward")),
    # 04: L_model_backward
    mistake("L_model_backward", "trial-caches[l]-for-caches[l-1]", backward(index="l"), ("caches[l - 1]",)),
    mistake("L_model_backward", "trial-hidden-layers-sigmoid-backward", backward(hidden="sigmoid"),
            ("hidden layers", "'relu'", "gradient check")),
    mistake("L_model_backward", "sign-Y-minus-AL", backward(start=FUSED.format(dZ="Y - AL")), ("AL - Y", "sign")),
    mistake("L_model_backward", "output-layer-cache-caches[L]", backward(start="dA_prev, dW, db = linear_backward(AL - Y, caches[L][0])"),
            ("caches[l - 1]", "L = len(caches)")),
    mistake("L_model_backward", "layer-count-len(caches)-1", backward(count="len(caches) - 1"), ("L = len(caches)",)),
    mistake("L_model_backward", "output-through-sigmoid-twice",
            backward(start="dA_prev, dW, db = linear_activation_backward(AL - Y, caches[L - 1], \"sigmoid\")"),
            ("output layer", "dZ[L] = AL - Y")),
    # 05: update_parameters
    mistake("update_parameters", "plus-sign", update(body=IN_PLACE.replace("-=", "+=")), ("W = W - α·dW",)),
    mistake("update_parameters", "trial-len-parameters", update(count="len(parameters)"), ("len(parameters) // 2",)),
    mistake("update_parameters", "last-layer-not-updated", update(loop="range(1, L)"), ("W2", "range(1, L + 1)")),
    mistake("update_parameters", "biases-not-updated",
            update(body='parameters["W" + str(l)] -= learning_rate * grads["dW" + str(l)]'), ("b1", "b = b - α·db")),
    mistake("update_parameters", "new-arrays-not-stored",
            update(body='W = parameters["W" + str(l)]\n            W = W - learning_rate * grads["dW" + str(l)]'),
            ("store the new values in parameters",)),
    mistake("update_parameters", "nothing-returned", update(returned="None"), ("return parameters",)),
    mistake("update_parameters", "bias-stepped-with-dW",
            update(body=IN_PLACE.replace('grads["db" + str(l)]', 'grads["dW" + str(l)].sum()')), ("db[l]",)),
    # 05: L_layer_model
    mistake("L_layer_model", "trial-update-before-backward", model(iteration=UPDATE_FIRST),
            ("order", "backward", "update")),
    mistake("L_layer_model", "seed-not-passed", model(seed="seed=None"), ("iteration 0", "seed=seed")),
    mistake("L_layer_model", "cost-every-iteration", model(record="True"), ("i % 100 == 0",)),
    mistake("L_layer_model", "learning-rate-ignored", model(iteration=IN_ORDER.format(lr="0.0075")),
            ("learning_rate",)),
]

# The course's own correct styles, and the library's solution: each passes its test cell
CORRECT = [
    pytest.param(name, None, id=f"{name}-dnn_utils") for name in NOTEBOOK_OF
] + [
    pytest.param("linear_forward", """
        @checked
        def linear_forward(A, W, b):
            Z = np.dot(W, A) + b
            return Z, (A, W, b)
        """, id="linear_forward-np.dot"),
    pytest.param("L_model_forward", forward(count="len(parameters) // 2"), id="L_model_forward-len(parameters)//2"),
    pytest.param("L_model_backward", backward(start=TEXTBOOK), id="L_model_backward-dA[L]-route"),
    pytest.param("update_parameters", update(body=NEW_ARRAYS), id="update_parameters-new-arrays"),
    pytest.param("sigmoid_backward", """
        @checked
        def relu_backward(dA, cache):
            dZ = np.array(dA, copy=True)
            dZ[cache <= 0] = 0
            return dZ
        """, id="relu_backward-course-copy"),
]


@pytest.mark.parametrize("exercise, code, functions, facts", MISTAKES)
def test_mistake_is_named_by_its_test_cell(exercise, code, functions, facts):
    error = run_test_cell(exercise, code, **functions)
    assert error is not None, f"the test cell of {exercise} passed a mistake"
    assert_names(error, *facts)


@pytest.mark.parametrize("exercise, code", CORRECT)
def test_course_style_passes_its_test_cell(exercise, code):
    error = run_test_cell(exercise, code)
    assert error is None, f"the test cell of {exercise} failed correct code: {type(error).__name__}: {error}"


def test_every_exercise_of_01_to_05_has_a_catalogue():
    covered = {p.values[0] for p in MISTAKES}
    assert covered == set(NOTEBOOK_OF)
    assert all(sum(p.values[0] == name for p in MISTAKES) >= 3 for name in NOTEBOOK_OF)


def coverage():
    """{exercise: (mistakes, named)}: how many mistakes the catalogue holds, and how many the cells name."""
    table = {}
    for p in MISTAKES:
        exercise, code, functions, facts = p.values
        error = run_test_cell(exercise, code, **functions)
        try:
            assert error is not None
            assert_names(error, *facts)
            named = 1
        except AssertionError:
            named = 0
        total, hits = table.get(exercise, (0, 0))
        table[exercise] = (total + 1, hits + named)
    return table


if __name__ == "__main__":
    rows = coverage()
    for exercise, (total, named) in rows.items():
        print(f"{exercise:34} {named:3} of {total:3} named")
    print(f"{'all':34} {sum(n for _, n in rows.values()):3} of {sum(t for t, _ in rows.values()):3} named")
