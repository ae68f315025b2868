"""04_backward_propagation: points and hidden tests of its test cells (classroom/build.py adds them).

Fresh inputs from `grading_rng` (see 01_initialization.py's docstring); only value checks score.
"""

POINTS = {
    'test_sigmoid_backward': 2,
    'test_linear_backward': 3,
    'test_linear_activation_backward': 2,
    'test_L_model_backward': 3,
}

HIDDEN = {}

HIDDEN['test_sigmoid_backward'] = """\
    g = grading_rng if isinstance(globals().get("grading_rng"), np.random.Generator) else np.random.default_rng(401)
    same = lambda x, ref: np.shape(x) == np.shape(ref) and np.allclose(x, ref)
    shape = (int(g.integers(2, 5)), int(g.integers(3, 8)))
    Z_s, dA_s = 3 * g.standard_normal(shape), g.standard_normal(shape)
    s = 1 / (1 + np.exp(-Z_s))
    assert same(sigmoid_backward(dA_s, Z_s), dA_s * s * (1 - s)), f"sigmoid_backward must return dA·s·(1 - s) with s = sigmoid(Z), here for Z of shape {shape}"
    for _ in range(1000):                                # Z of both signs: dZ is neither 0 nor dA
        Z_r, dA_r = g.standard_normal(shape), g.standard_normal(shape)
        if (Z_r[:, 1:] > 0).any() and (Z_r[:, 1:] < 0).any():
            break
    dA_in = dA_r.copy()
    dZ_r = relu_backward(dA_in, Z_r)
    if not np.array_equal(dA_in, dA_r):
        raise AssertionError("relu_backward changed dA in place: make a copy of dA first")
    assert same(dZ_r, dA_r * (Z_r > 0)), "relu_backward: dZ = dA where Z > 0 and 0 where Z < 0"
    Z_0 = Z_r.copy()
    Z_0[:, 0] = 0.0                                      # Z exactly 0 there: relu passed nothing forward
    dZ_0 = relu_backward(dA_r.copy(), Z_0)
    if same(dZ_0, dA_r * (Z_0 >= 0)) and (Z_0 == 0).any():
        raise AssertionError("at Z = 0, dZ must be 0 (use Z <= 0, not Z < 0): relu passed nothing forward there, "
                             "and the course's convention is relu'(0) = 0")
    assert same(dZ_0, dA_r * (Z_0 > 0)), "relu_backward at Z = 0: dZ must be 0 there (the course's relu'(0) = 0)"
"""

HIDDEN['test_linear_backward'] = """\
    g = grading_rng if isinstance(globals().get("grading_rng"), np.random.Generator) else np.random.default_rng(402)
    same = lambda x, ref: np.shape(x) == np.shape(ref) and np.allclose(x, ref)
    n_prev, n_l, m = (int(k) for k in g.choice(np.arange(2, 10), size=3, replace=False))   # m != n[l-1]
    A_b, W_b, b_b = g.standard_normal((n_prev, m)), g.standard_normal((n_l, n_prev)), g.standard_normal((n_l, 1))
    dZ_b = g.standard_normal((n_l, m))
    dA_b, dW_b, db_b = linear_backward(dZ_b, (A_b, W_b, b_b))
    dW_ref, db_ref = dZ_b @ A_b.T / m, dZ_b.sum(axis=1, keepdims=True) / m
    if same(dW_b, dW_ref * m):
        raise AssertionError(f"dW is m = {m} times too large: dW = dZ·A_prev.T / m (the cost is an average over m examples)")
    assert same(dW_b, dW_ref), f"dW should be dZ·A_prev.T / m, here with m = {m} examples and A_prev of shape {(n_prev, m)}"
    if same(db_b, db_ref * m):
        raise AssertionError(f"db is m = {m} times too large: db = sum of dZ over the examples / m")
    assert same(db_b, db_ref), "db should be the sum of dZ over the examples (axis=1, keepdims=True) / m"
    if same(dA_b, W_b.T @ dZ_b / m):
        raise AssertionError("dA_prev was divided by m: dA_prev = W.T·dZ has no 1/m (it is not an average)")
    assert same(dA_b, W_b.T @ dZ_b), "dA_prev should be W.T·dZ"
"""

HIDDEN['test_linear_activation_backward'] = """\
    g = grading_rng if isinstance(globals().get("grading_rng"), np.random.Generator) else np.random.default_rng(403)
    same = lambda x, ref: np.shape(x) == np.shape(ref) and np.allclose(x, ref)
    n_prev, n_l, m = (int(k) for k in g.choice(np.arange(2, 10), size=3, replace=False))
    for _ in range(1000):                                # Z of both signs: the relu layer's gradients are not 0
        A_a, W_a, b_a = g.standard_normal((n_prev, m)), g.standard_normal((n_l, n_prev)), g.standard_normal((n_l, 1))
        Z_a, dA_a = W_a @ A_a + b_a, g.standard_normal((n_l, m))
        if (Z_a > 0.1).any() and (Z_a < 0).any():
            break
    s = 1 / (1 + np.exp(-Z_a))
    ref = {act: (W_a.T @ dZ, dZ @ A_a.T / m, dZ.sum(axis=1, keepdims=True) / m)
           for act, dZ in (("relu", dA_a * (Z_a > 0)), ("sigmoid", dA_a * s * (1 - s)))}
    got = {act: linear_activation_backward(dA_a, ((A_a, W_a, b_a), Z_a), act) for act in ("relu", "sigmoid")}
    if all(len(got[a]) == 3 and same(got[a][1], ref[b][1]) for a, b in (("relu", "sigmoid"), ("sigmoid", "relu"))):
        raise AssertionError("the branches are swapped: 'relu' must go back through relu_backward, 'sigmoid' through sigmoid_backward")
    assert len(got["relu"]) == 3 and all(same(x, r) for x, r in zip(got["relu"], ref["relu"])), "activation='relu': (dA_prev, dW, db) should be linear_backward(relu_backward(dA, Z), (A_prev, W, b))"
    assert len(got["sigmoid"]) == 3 and all(same(x, r) for x, r in zip(got["sigmoid"], ref["sigmoid"])), "activation='sigmoid': (dA_prev, dW, db) should be linear_backward(sigmoid_backward(dA, Z), (A_prev, W, b))"
"""

HIDDEN['test_L_model_backward'] = """\
    g = grading_rng if isinstance(globals().get("grading_rng"), np.random.Generator) else np.random.default_rng(404)
    same = lambda x, ref: np.shape(x) == np.shape(ref) and np.allclose(x, ref)
    dims, m = [int(g.integers(2, 6)), int(g.integers(2, 6)), int(g.integers(2, 5)), 1], int(g.integers(4, 9))
    for _ in range(1000):                                # no layer's gradient near 0 (a dead hidden layer)
        P = {}
        for l in range(1, 4):
            P[f"W{l}"], P[f"b{l}"] = g.standard_normal((dims[l], dims[l - 1])), 0.5 * g.standard_normal((dims[l], 1))
        X_b, Y_b = g.standard_normal((dims[0], m)), (g.random((1, m)) < 0.5).astype(np.float64)
        Y_b[0, :2] = [0.0, 1.0]
        # reference gradients, written out layer by layer
        As, Zs = [X_b], []
        for l in range(1, 4):
            Zs.append(P[f"W{l}"] @ As[-1] + P[f"b{l}"])
            As.append(np.maximum(Zs[-1], 0) if l < 3 else 1 / (1 + np.exp(-Zs[-1])))
        ref, dZ = {}, As[3] - Y_b
        for l in (3, 2, 1):
            ref[f"dW{l}"], ref[f"db{l}"] = dZ @ As[l - 1].T / m, dZ.sum(axis=1, keepdims=True) / m
            if l > 1:
                ref[f"dA{l - 1}"] = P[f"W{l}"].T @ dZ
                dZ = ref[f"dA{l - 1}"] * (Zs[l - 2] > 0)
        if min(np.abs(v).max() for v in ref.values()) > 0.05:
            break
    AL_b, caches_b = L_model_forward(X_b, P)
    grads_b = L_model_backward(AL_b, Y_b, caches_b)
    if not isinstance(grads_b, dict) or any(k not in grads_b for k in ref):
        raise AssertionError(f"grads must hold dW1..dW3, db1..db3, dA1 and dA2 for the network {dims}")
    if same(grads_b["dW3"], ref["dW3"] * m):
        raise AssertionError(f"dW3 is m = {m} times too large: divide by m in linear_backward")
    assert same(grads_b["dW3"], ref["dW3"]) and same(grads_b["db3"], ref["db3"]), f"dW3, db3 are wrong for the network {dims}: the output layer starts from dZ[L] = AL - Y"
    assert all(same(grads_b[k], ref[k]) for k in ("dW2", "db2", "dW1", "db1")), f"the hidden layers' dW, db are wrong for the network {dims}: each goes back through 'relu' with its own cache"
    assert same(grads_b["dA2"], ref["dA2"]) and same(grads_b["dA1"], ref["dA1"]), "dA[l] = W[l+1].T·dZ[l+1], the dA_prev that layer l + 1 returned"
"""
