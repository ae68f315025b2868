"""01_initialization: points and hidden tests of its test cells (classroom/build.py adds them)."""

POINTS = {
    'test_initialize_parameters': 2,
    'test_initialize_parameters_two_layer': 1,
}

HIDDEN = {}

HIDDEN['test_initialize_parameters'] = """\
    state = np.random.get_state()[1].copy()
    q = initialize_parameters([12288, 20, 7, 5, 1], seed=1)
    assert np.array_equal(np.random.get_state()[1], state), "initialize_parameters must not touch the global np.random state: use np.random.default_rng(seed)"
    assert sorted(q) == sorted(f"{k}{l}" for l in range(1, 5) for k in "Wb"), f"a 4-layer network needs W1..W4, b1..b4; found {sorted(q)}"
    for l, (n, n_prev) in enumerate([(20, 12288), (7, 20), (5, 7), (1, 5)], start=1):
        assert q[f"W{l}"].shape == (n, n_prev) and q[f"b{l}"].shape == (n, 1), f"layer {l}: wrong shapes {q[f'W{l}'].shape}, {q[f'b{l}'].shape}"
    assert abs(q["W1"].std() / np.sqrt(1 / 12288) - 1) < 0.05, f"the default scale is Xavier, std sqrt(1/n[l-1]) = {np.sqrt(1/12288):.4f} for W1; found std {q['W1'].std():.4f}"
    assert np.array_equal(q["W2"], initialize_parameters([12288, 20, 7, 5, 1], seed=1)["W2"]), "the same seed must give the same weights"
    assert not np.array_equal(q["W1"], initialize_parameters([12288, 20, 7, 5, 1], seed=2)["W1"]), "a different seed must give different weights"
    assert abs(q["W2"].std() / np.sqrt(1 / 20) - 1) < 0.25, f"each layer's scale is sqrt(1/n[l-1]) of its own input: W2's std should be about {np.sqrt(1/20):.3f}, found {q['W2'].std():.3f}"
    r = initialize_parameters([6, 4, 2], seed=np.random.RandomState(5))
    ref = np.random.RandomState(5)
    assert np.allclose(r["W1"], ref.randn(4, 6) / np.sqrt(6)) and np.allclose(r["W2"], ref.randn(2, 4) / np.sqrt(4)), "with a RandomState seed, draw W1 first, then W2, each N(0, 1) / sqrt(n[l-1]) with rng.standard_normal"
"""

HIDDEN['test_initialize_parameters_two_layer'] = """\
    state = np.random.get_state()[1].copy()
    q = initialize_parameters_two_layer(12288, 7, 1, seed=1)
    assert np.array_equal(np.random.get_state()[1], state), "initialize_parameters_two_layer must not touch the global np.random state"
    assert q["W1"].shape == (7, 12288) and q["W2"].shape == (1, 7), f"W1 must be (n_h, n_x), W2 (n_y, n_h); found {q['W1'].shape}, {q['W2'].shape}"
    assert q["b1"].shape == (7, 1) and q["b2"].shape == (1, 1), f"b1 must be (n_h, 1), b2 (n_y, 1); found {q['b1'].shape}, {q['b2'].shape}"
    assert abs(q["W1"].std() / 0.01 - 1) < 0.05, f"W1 must be N(0, 1) * 0.01; found std {q['W1'].std():.5f}"
    assert np.array_equal(q["W1"], initialize_parameters_two_layer(12288, 7, 1, seed=1)["W1"]), "the same seed must give the same weights"
    r = initialize_parameters_two_layer(4, 3, 2, seed=np.random.RandomState(7))
    ref = np.random.RandomState(7)
    assert np.allclose(r["W1"], ref.randn(3, 4) * 0.01) and np.allclose(r["W2"], ref.randn(2, 3) * 0.01), "with a RandomState seed, draw W1 = seed.randn(n_h, n_x) * 0.01 first, then W2"
"""
