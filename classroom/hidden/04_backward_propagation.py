"""04_backward_propagation: points and hidden tests of its test cells (classroom/build.py adds them)."""

POINTS = {
    'test_sigmoid_backward': 2,
    'test_linear_backward': 3,
    'test_linear_activation_backward': 2,
    'test_L_model_backward': 3,
}

HIDDEN = {}

HIDDEN['test_sigmoid_backward'] = """\
    Zs = np.array([[-3.0, 1.0, 10.0]])
    s = 1 / (1 + np.exp(-Zs))
    assert np.allclose(sigmoid_backward(np.ones((1, 3)), Zs), s * (1 - s)), "sigmoid_backward must return dA·s·(1 - s) with s = sigmoid(Z)"
    dA = np.array([[1.0, 2.0, 3.0]])
    dA_before = dA.copy()
    dZ_k = relu_backward(dA, np.array([[-1.0, 0.0, 2.0]]))
    assert np.array_equal(dA, dA_before), "relu_backward changed dA in place: make a copy of dA first"
    assert dZ_k[0, 0] == 0 and dZ_k[0, 2] == 3.0, "dZ = dA where Z > 0 and 0 where Z < 0"
    assert dZ_k[0, 1] == 0, ("at Z = 0, dZ must be 0 (use Z <= 0, not Z < 0): relu passed nothing forward there, "
                             "and the course's convention is relu'(0) = 0")
"""

HIDDEN['test_linear_backward'] = """\
    g = np.random.default_rng(11)
    m = 5
    A5, W5, b5, dZ5 = g.standard_normal((4, m)), g.standard_normal((3, 4)), g.standard_normal((3, 1)), g.standard_normal((3, m))
    dA5, dW5, db5 = linear_backward(dZ5, (A5, W5, b5))
    dW_ref, db_ref = dZ5 @ A5.T / m, dZ5.sum(axis=1, keepdims=True) / m
    if np.allclose(dW5, dW_ref * m):
        raise AssertionError(f"dW is m = {m} times too large: dW = dZ·A_prev.T / m (the cost is an average over m examples)")
    if np.allclose(db5, db_ref * m):
        raise AssertionError(f"db is m = {m} times too large: db = sum of dZ over the examples / m")
    assert np.allclose(dW5, dW_ref), "dW should be dZ·A_prev.T / m"
    assert np.allclose(db5, db_ref), "db should be the sum of dZ over the examples (axis=1, keepdims=True) / m"
    assert np.allclose(dA5, W5.T @ dZ5), "dA_prev should be W.T·dZ (no 1/m here: it is not an average)"
"""

HIDDEN['test_linear_activation_backward'] = """\
    _, dW_sig, db_sig = linear_activation_backward(np.array([[1.0, 3.0]]), cache_t, "sigmoid")
    s = 1 / (1 + np.exp(-np.array([[-1.0, 2.0]])))
    dZ_sig = np.array([[1.0, 3.0]]) * s * (1 - s)
    assert np.allclose(db_sig, dZ_sig.sum(axis=1, keepdims=True) / 2), "activation='sigmoid' must go through sigmoid_backward"
    assert np.allclose(dW_sig, dZ_sig @ cache_t[0][0].T / 2), "the sigmoid layer's dW should be dZ·A_prev.T / m with dZ from sigmoid_backward"
"""

HIDDEN['test_L_model_backward'] = """\
    g = np.random.default_rng(5)
    dims, m = [4, 3, 3, 1], 6
    P = {}
    for l in range(1, 4):
        P[f"W{l}"], P[f"b{l}"] = g.standard_normal((dims[l], dims[l - 1])), 0.1 * g.standard_normal((dims[l], 1))
    X6, Y6 = g.standard_normal((4, m)), np.array([[1, 0, 1, 1, 0, 0]])
    # reference gradients, written out layer by layer
    As, Zs = [X6], []
    for l in range(1, 4):
        Zs.append(P[f"W{l}"] @ As[-1] + P[f"b{l}"])
        As.append(np.maximum(Zs[-1], 0) if l < 3 else 1 / (1 + np.exp(-Zs[-1])))
    ref, dZ = {}, As[3] - Y6
    for l in (3, 2, 1):
        ref[f"dW{l}"], ref[f"db{l}"] = dZ @ As[l - 1].T / m, dZ.sum(axis=1, keepdims=True) / m
        if l > 1:
            dZ = (P[f"W{l}"].T @ dZ) * (Zs[l - 2] > 0)
    AL6, caches6 = L_model_forward(X6, P)
    grads6 = L_model_backward(AL6, Y6, caches6)
    for k in ref:
        assert k in grads6, f"grads must hold {k}"
        if np.allclose(grads6[k], ref[k] * m):
            raise AssertionError(f"{k} is m = {m} times too large: divide by m in linear_backward")
        assert np.allclose(grads6[k], ref[k]), f"{k} is wrong for the network [4, 3, 3, 1] (dZ[L] = AL - Y, then ReLU layers backwards)"
"""
