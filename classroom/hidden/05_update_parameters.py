"""05_update_parameters: points and hidden tests of its test cells (classroom/build.py adds them)."""

POINTS = {
    'test_update_parameters': 2,
    'test_L_layer_model': 3,
}

HIDDEN = {}

HIDDEN['test_update_parameters'] = """\
    g = np.random.default_rng(2)
    P = {f"{k}{l}": g.standard_normal((3, 3) if k == "W" else (3, 1)) for l in range(1, 4) for k in "Wb"}
    G = {"d" + k: g.standard_normal(v.shape) for k, v in P.items()}
    expected = {k: v - 0.1 * G["d" + k] for k, v in P.items()}
    out = update_parameters({k: v.copy() for k, v in P.items()}, G, 0.1)
    for k in sorted(expected):
        assert np.allclose(out[k], expected[k]), f"{k} was not updated to {k} - learning_rate·d{k}: every layer 1..L, W and b, must be updated"
"""

HIDDEN['test_L_layer_model'] = """\
    # one iteration must be exactly: initialize, forward, cost, backward, update
    P0 = initialize_parameters([2, 4, 1], seed=0)
    AL0, caches0 = L_model_forward(X_t, P0)
    expected = update_parameters(P0, L_model_backward(AL0, Y_t, caches0), 0.5)
    one, costs_one = L_layer_model(X_t, Y_t, [2, 4, 1], learning_rate=0.5, num_iterations=1, seed=0)
    assert np.isclose(costs_one[0], compute_cost(AL0, Y_t)), "costs[0] must be the cost of the initial parameters (iteration 0)"
    for k in expected:
        assert np.allclose(one[k], expected[k]), f"after one iteration {k} differs from one step of forward, backward, update_parameters with the given learning rate"
    assert costs_t[-1] < 0.1, f"on two well separated blobs the cost should be below 0.1 after 300 iterations, found {costs_t[-1]:.3f}"
"""
