"""02_forward_propagation: points and hidden tests of its test cells (classroom/build.py adds them).

Fresh inputs from `grading_rng` (see 01_initialization.py's docstring); only value checks score.
"""

POINTS = {
    'test_linear_forward': 2,
    'test_linear_activation_forward': 2,
    'test_L_model_forward': 3,
}

HIDDEN = {}

HIDDEN['test_linear_forward'] = """\
    g = grading_rng if isinstance(globals().get("grading_rng"), np.random.Generator) else np.random.default_rng(201)
    same = lambda x, ref: np.shape(x) == np.shape(ref) and np.allclose(x, ref)
    n = int(g.integers(3, 8))
    A_sq, W_sq, b_sq = g.standard_normal((n, n)), g.standard_normal((n, n)), g.standard_normal((n, 1))
    Z_sq, cache_sq = linear_forward(A_sq, W_sq, b_sq)
    if same(Z_sq, A_sq @ W_sq + b_sq):
        raise AssertionError("linear_forward computes A·W: the blog post's bug. Z = W·A + b (np.dot(W, A) or W @ A); "
                             "with square matrices A·W runs without an error but is wrong")
    if not (isinstance(cache_sq, tuple) and len(cache_sq) == 3 and all(x is y for x, y in zip(cache_sq, (A_sq, W_sq, b_sq)))):
        raise AssertionError("the cache must be (A, W, b), the inputs themselves in that order")
    assert same(Z_sq, W_sq @ A_sq + b_sq), f"Z differs from W·A + b for {n}x{n} matrices"
    n_prev, n_l, m = (int(k) for k in g.choice(np.arange(2, 12), size=3, replace=False))
    A_r, W_r, b_r = g.standard_normal((n_prev, m)), g.standard_normal((n_l, n_prev)), g.standard_normal((n_l, 1))
    Z_r, _ = linear_forward(A_r, W_r, b_r)
    assert same(Z_r, W_r @ A_r + b_r), f"Z differs from W·A + b for A {(n_prev, m)}, W {(n_l, n_prev)}, b {(n_l, 1)}"
"""

HIDDEN['test_linear_activation_forward'] = """\
    g = grading_rng if isinstance(globals().get("grading_rng"), np.random.Generator) else np.random.default_rng(202)
    same = lambda x, ref: np.shape(x) == np.shape(ref) and np.allclose(x, ref)
    n_prev, n_l, m = (int(k) for k in g.choice(np.arange(2, 10), size=3, replace=False))
    for _ in range(1000):                                # Z of both signs: relu(Z) is neither 0 nor Z
        A_p, W_p, b_p = g.standard_normal((n_prev, m)), g.standard_normal((n_l, n_prev)), g.standard_normal((n_l, 1))
        Z_p = W_p @ A_p + b_p
        if (Z_p > 0.1).any() and (Z_p < 0).any():
            break
    A_relu, cache_relu = linear_activation_forward(A_p, W_p, b_p, "relu")
    A_sig, cache_sig = linear_activation_forward(A_p, W_p, b_p, "sigmoid")
    if not (isinstance(cache_sig, tuple) and len(cache_sig) == 2 and isinstance(cache_sig[0], tuple) and len(cache_sig[0]) == 3
            and all(x is y for x, y in zip(cache_sig[0], (A_p, W_p, b_p)))):
        raise AssertionError("the cache must be ((A_prev, W, b), Z): the linear cache first, as linear_forward returned it")
    assert same(A_relu, np.maximum(Z_p, 0)), f"activation='relu' must give relu(W·A_prev + b), here for A_prev {(n_prev, m)} and W {(n_l, n_prev)}"
    assert same(A_sig, 1 / (1 + np.exp(-Z_p))), f"activation='sigmoid' must give sigmoid(W·A_prev + b), here for A_prev {(n_prev, m)} and W {(n_l, n_prev)}"
    if same(cache_sig[1], A_sig):
        raise AssertionError("the activation cache holds A; it must hold Z, the cache that relu(Z) or sigmoid(Z) returned")
    assert same(cache_sig[1], Z_p) and same(cache_relu[1], Z_p), "the activation cache must be Z = W·A_prev + b"
"""

HIDDEN['test_L_model_forward'] = """\
    g = grading_rng if isinstance(globals().get("grading_rng"), np.random.Generator) else np.random.default_rng(203)
    same = lambda x, ref: np.shape(x) == np.shape(ref) and np.allclose(x, ref)
    n_x, n_h, m = int(g.integers(3, 7)), int(g.integers(2, 6)), int(g.integers(4, 9))
    dims = [n_x, n_h, n_h, 1]                            # equal hidden widths: the A_prev bug gives no shape error
    for _ in range(1000):                                # no hidden layer all dead: its A is not 0
        P = {}
        for l in range(1, 4):
            P[f"W{l}"], P[f"b{l}"] = g.standard_normal((dims[l], dims[l - 1])), g.standard_normal((dims[l], 1))
        X_f = g.standard_normal((n_x, m))
        A_ref, Z_ref = [X_f], []
        for l in range(1, 4):
            Z_ref.append(P[f"W{l}"] @ A_ref[-1] + P[f"b{l}"])
            A_ref.append(np.maximum(Z_ref[-1], 0) if l < 3 else 1 / (1 + np.exp(-Z_ref[-1])))
        if Z_ref[0].max() > 0.1 and Z_ref[1].max() > 0.1:
            break
    AL_f, caches_f = L_model_forward(X_f, P)
    if same(AL_f, 1 / (1 + np.exp(-(P["W3"] @ A_ref[1] + P["b3"])))):
        raise AssertionError("the output layer is fed A_prev, the blog post's bug: after the loop, "
                             "layer L must take A (the last hidden layer's activations), not A_prev")
    if not (isinstance(caches_f, list) and len(caches_f) == 3):
        raise AssertionError("one cache per layer, in a list: expected 3 for the network " + str(dims))
    assert same(AL_f, A_ref[3]), f"AL is wrong for the network {dims}: ReLU in layers 1..L-1, sigmoid in layer L"
    assert same(caches_f[1][0][0], A_ref[1]) and same(caches_f[2][0][0], A_ref[2]), "layer l's cache must hold A[l-1], its input: the A that layer l - 1 returned"
    assert all(same(caches_f[l][1], Z_ref[l]) for l in range(3)), "layer l's cache must hold its Z[l] = W[l]·A[l-1] + b[l]"
"""
