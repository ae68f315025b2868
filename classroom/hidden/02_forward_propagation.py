"""02_forward_propagation: points and hidden tests of its test cells (classroom/build.py adds them)."""

POINTS = {
    'test_linear_forward': 2,
    'test_linear_activation_forward': 2,
    'test_L_model_forward': 3,
}

HIDDEN = {}

HIDDEN['test_linear_forward'] = """\
    g = np.random.default_rng(7)
    A_sq, W_sq, b_sq = g.standard_normal((3, 3)), g.standard_normal((3, 3)), g.standard_normal((3, 1))
    Z_sq, _ = linear_forward(A_sq, W_sq, b_sq)
    expected = np.einsum("ij,jk->ik", W_sq, A_sq) + b_sq
    if np.allclose(Z_sq, np.einsum("ij,jk->ik", A_sq, W_sq) + b_sq):
        raise AssertionError("linear_forward computes A·W: the blog post's bug. Z = W·A + b (np.dot(W, A) or W @ A); "
                             "with square matrices A·W runs without an error but is wrong")
    assert np.allclose(Z_sq, expected), "Z differs from W·A + b for 3x3 matrices"
    A5, W5, b5 = g.standard_normal((6, 5)), g.standard_normal((4, 6)), g.standard_normal((4, 1))
    Z5, _ = linear_forward(A5, W5, b5)
    assert np.shape(Z5) == (4, 5) and np.allclose(Z5, W5 @ A5 + b5), "Z differs from W·A + b for A (6, 5), W (4, 6)"
"""

HIDDEN['test_linear_activation_forward'] = """\
    A_relu, _ = linear_activation_forward(A_prev, W, b, "relu")
    A_sig, (_, Z_sig) = linear_activation_forward(A_prev, W, b, "sigmoid")
    assert np.allclose(A_sig, 1 / (1 + np.exp(-np.array([[1., 1.], [-2., 7.]])))), "activation='sigmoid' must apply the sigmoid to Z"
    assert not np.allclose(A_sig, A_relu), "'sigmoid' and 'relu' must give different activations"
    assert np.allclose(Z_sig, [[1., 1.], [-2., 7.]]), "the activation cache must be Z (what relu/sigmoid return as their cache), not A"
"""

HIDDEN['test_L_model_forward'] = """\
    g = np.random.default_rng(3)
    dims = [4, 3, 3, 1]                                  # equal hidden widths: the A_prev bug gives no shape error
    P = {}
    for l in range(1, 4):
        P[f"W{l}"], P[f"b{l}"] = g.standard_normal((dims[l], dims[l - 1])), g.standard_normal((dims[l], 1))
    X4 = g.standard_normal((4, 6))
    A = X4
    for l in (1, 2):
        A = np.maximum(P[f"W{l}"] @ A + P[f"b{l}"], 0)
    expected = 1 / (1 + np.exp(-(P["W3"] @ A + P["b3"])))
    AL_t, caches_t = L_model_forward(X4, P)
    A_prev_route = np.maximum(P["W1"] @ X4 + P["b1"], 0)
    if np.allclose(AL_t, 1 / (1 + np.exp(-(P["W3"] @ A_prev_route + P["b3"])))):
        raise AssertionError("the output layer is fed A_prev, the blog post's bug: after the loop, "
                             "layer L must take A (the last hidden layer's activations), not A_prev")
    assert np.allclose(AL_t, expected), "AL is wrong for the network [4, 3, 3, 1]: ReLU in layers 1..L-1, sigmoid in layer L"
    assert len(caches_t) == 3, f"one cache per layer: expected 3, found {len(caches_t)}"
    assert np.allclose(caches_t[2][0][0], A), "the cache of layer 3 must hold A[2], its input"
"""
