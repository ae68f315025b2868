"""05_update_parameters: points and hidden tests of its test cells (classroom/build.py adds them).

Fresh inputs from `grading_rng` (see 01_initialization.py's docstring); only value checks score.
"""

POINTS = {
    'test_update_parameters': 2,
    'test_L_layer_model': 3,
}

HIDDEN = {}

HIDDEN['test_update_parameters'] = """\
    g = grading_rng if isinstance(globals().get("grading_rng"), np.random.Generator) else np.random.default_rng(501)
    same = lambda x, ref: np.shape(x) == np.shape(ref) and np.allclose(x, ref)
    sizes = [int(n) for n in g.integers(1, 6, size=int(g.integers(3, 6)))]
    L_u = len(sizes) - 1
    P_u = {}
    for l in range(1, L_u + 1):
        P_u[f"W{l}"], P_u[f"b{l}"] = g.standard_normal((sizes[l], sizes[l - 1])), g.standard_normal((sizes[l], 1))
    G_u = {"d" + k: g.standard_normal(v.shape) for k, v in P_u.items()}
    lr = float(g.uniform(0.01, 0.5))
    expected = {k: v - lr * G_u["d" + k] for k, v in P_u.items()}
    out_u = update_parameters({k: v.copy() for k, v in P_u.items()}, G_u, lr)
    if not isinstance(out_u, dict) or sorted(out_u) != sorted(expected):
        raise AssertionError(f"update_parameters must return the parameters W1, b1, ..., W{L_u}, b{L_u}")
    if same(out_u["W1"], P_u["W1"] + lr * G_u["dW1"]):
        raise AssertionError("W moved up the gradient: gradient descent steps against it, W = W - learning_rate·dW")
    assert all(same(out_u[f"W{l}"], expected[f"W{l}"]) for l in range(1, L_u + 1)), f"every W[l], l = 1 .. L (here L = {L_u}), must become W[l] - learning_rate·dW[l]"
    assert all(same(out_u[f"b{l}"], expected[f"b{l}"]) for l in range(1, L_u + 1)), f"every b[l], l = 1 .. L (here L = {L_u}), must become b[l] - learning_rate·db[l]"
"""

HIDDEN['test_L_layer_model'] = """\
    g = grading_rng if isinstance(globals().get("grading_rng"), np.random.Generator) else np.random.default_rng(502)
    same = lambda x, ref: np.shape(x) == np.shape(ref) and np.allclose(x, ref)
    m_l = int(g.integers(8, 16))
    X_l = np.hstack([g.normal(-1, 0.7, (2, m_l)), g.normal(1, 0.7, (2, m_l))])
    Y_l = np.hstack([np.zeros((1, m_l)), np.ones((1, m_l))])

    def trained(dims, lr, iterations, seed):
        # the reference training, step by step (the update written out: this cell grades L_layer_model alone)
        P, costs = initialize_parameters(dims, seed=seed), []
        for i in range(iterations):
            AL, caches = L_model_forward(X_l, P)
            costs += [compute_cost(AL, Y_l)] if i % 100 == 0 else []
            grads = L_model_backward(AL, Y_l, caches)
            P = {k: v - lr * grads["d" + k] for k, v in P.items()}
        return P, costs

    dims_1, lr_1, it_1, seed_1 = [2, int(g.integers(2, 6)), 1], float(g.uniform(0.05, 0.5)), int(g.integers(3, 9)), int(g.integers(2 ** 31))
    P_1, costs_1 = trained(dims_1, lr_1, it_1, seed_1)
    out_1 = L_layer_model(X_l, Y_l, dims_1, learning_rate=lr_1, num_iterations=it_1, seed=seed_1)
    if not (isinstance(out_1, tuple) and len(out_1) == 2 and isinstance(out_1[0], dict) and len(out_1[1]) == 1):
        raise AssertionError(f"L_layer_model must return (parameters, costs); {it_1} iterations record the cost of iteration 0 only")
    assert np.isclose(out_1[1][0], costs_1[0]), f"costs[0] must be the cost of the initial parameters, initialize_parameters({dims_1}, seed=seed) (iteration 0)"
    assert sorted(out_1[0]) == sorted(P_1) and all(same(out_1[0][k], P_1[k]) for k in P_1), f"after {it_1} iterations of the network {dims_1} the parameters differ from {it_1} steps of forward, backward, update with learning_rate = {lr_1:.3f}"
    dims_2, lr_2, it_2, seed_2 = [2, int(g.integers(2, 6)), int(g.integers(2, 6)), 1], float(g.uniform(0.05, 0.5)), int(g.integers(3, 9)), int(g.integers(2 ** 31))
    P_2, _ = trained(dims_2, lr_2, it_2, seed_2)
    params_2, _ = L_layer_model(X_l, Y_l, dims_2, learning_rate=lr_2, num_iterations=it_2, seed=seed_2)
    assert sorted(params_2) == sorted(P_2) and all(same(params_2[k], P_2[k]) for k in P_2), f"after {it_2} iterations of the network {dims_2} the parameters differ from {it_2} steps of forward, backward, update with learning_rate = {lr_2:.3f}"
"""
