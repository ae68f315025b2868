"""Training with the course's models (dnn_utils.L_layer_model, two_layer_model, and
dnnlib.fast.L_layer_model_fast in float32): they learn a tiny dataset loaded with load_data,
keep one cost per 100 iterations, leave their inputs unchanged, and report a diverged training
(dnnlib.training.TrainingDivergedError) naming the iteration and the way out.

What training prints and warns while it runs: tests/test_training_feedback.py.
"""
import re
import warnings

import numpy as np
import pytest

import dnn_utils as d
from tests.helpers import assert_names, make_images, raises_naming, write_split


@pytest.fixture(scope="module", autouse=True)
def one_blas_thread():
    """On a loaded 2-core machine, OpenBLAS threads spinning against each other make the
    training tests ~50x slower; one thread is plenty for these small products."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        yield
        return
    with threadpool_limits(1, user_api="blas"):
        yield


@pytest.fixture
def dataset(tmp_path):
    write_split(tmp_path, "train", *make_images(40, seed=1))
    write_split(tmp_path, "test", *make_images(20, seed=2))
    return tmp_path


@pytest.fixture
def flat_data(dataset):
    train_x, train_y, test_x, test_y, _ = d.load_data(dataset)
    return d.flatten_images(train_x), train_y, d.flatten_images(test_x), test_y


def assert_learnt(params, costs, n_costs, data):
    X, Y, X_test, Y_test = data
    assert len(costs) == n_costs
    assert all(b < a for a, b in zip(costs, costs[1:])), costs
    assert d.accuracy(d.predict(X, params), Y) == 1.0
    assert d.accuracy(d.predict(X_test, params), Y_test) >= 0.9


def test_L_layer_model_learns(flat_data):
    X, Y = flat_data[:2]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        params, costs = d.L_layer_model(X, Y, [X.shape[0], 5, 3, 1], learning_rate=0.05, num_iterations=201)
    assert sorted(params) == ["W1", "W2", "W3", "b1", "b2", "b3"]
    assert_learnt(params, costs, 3, flat_data)  # costs at iterations 0, 100, 200


def test_two_layer_model_learns(flat_data):
    X, Y = flat_data[:2]
    params, costs = d.two_layer_model(X, Y, (X.shape[0], 4, 1), learning_rate=0.1, num_iterations=300)
    assert sorted(params) == ["W1", "W2", "b1", "b2"]
    assert_learnt(params, costs, 3, flat_data)


def test_float32_training(flat_data):
    X, Y = flat_data[:2]
    params, costs = d.L_layer_model_fast(X.astype(np.float32), Y, [X.shape[0], 5, 1], learning_rate=0.05,
                                         num_iterations=201, dtype=np.float32)
    assert all(v.dtype == np.float32 for v in params.values())
    assert all(isinstance(c, float) for c in costs)
    assert_learnt(params, costs, 3, flat_data)


@pytest.mark.parametrize("num_iterations, n_costs", [(1, 1), (100, 1), (101, 2), (250, 3)])
def test_number_of_costs(num_iterations, n_costs, capsys):
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((3, 8)), np.array([[0, 1] * 4])
    _, costs = d.L_layer_model(X, Y, [3, 2, 1], num_iterations=num_iterations)
    assert len(costs) == n_costs
    assert capsys.readouterr().out == ""  # print_cost defaults to False


def test_training_does_not_change_its_inputs():
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((3, 8)), np.array([[0, 1] * 4])
    X0, Y0 = X.copy(), Y.copy()
    d.L_layer_model(X, Y, [3, 2, 1], num_iterations=5)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(Y, Y0)


def test_divergence_is_reported():
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((4, 10)), (rng.random((1, 10)) > 0.5).astype(int)
    with warnings.catch_warnings(), pytest.raises(d.TrainingDivergedError) as info:
        warnings.simplefilter("error")
        d.L_layer_model(X, Y, [4, 5, 1], learning_rate=1e6, num_iterations=300)
    # the iteration it diverged at, the way out, and the learning rate that was too large
    assert re.search(r"iteration \d+", str(info.value)), info.value
    assert_names(info, "diverged", "smaller learning rate", "1000000.0")
    assert isinstance(info.value, FloatingPointError)


def test_divergence_in_the_last_update_is_reported():
    """An update that overflows in the last iteration has no forward pass after it to show it."""
    rng = np.random.default_rng(0)
    X, Y = 10 * rng.standard_normal((4, 10)), np.array([[0, 1] * 5])
    with warnings.catch_warnings(), raises_naming(d.TrainingDivergedError, "iteration 0", "update", "1.5e+308"):
        warnings.simplefilter("error")
        d.L_layer_model(X, Y, [4, 1], learning_rate=1.5e308, num_iterations=1)
    # the same step with a sane rate trains without complaint
    parameters, _ = d.L_layer_model(X, Y, [4, 1], learning_rate=0.1, num_iterations=1)
    assert all(np.all(np.isfinite(v)) for v in parameters.values())
