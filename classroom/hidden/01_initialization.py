"""01_initialization: points and hidden tests of its test cells (classroom/build.py adds them)."""

POINTS = {
    'test_initialize_parameters': 2,
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
    he = initialize_parameters([4000, 50, 1], scale="he", seed=0)["W1"]
    assert abs(he.std() / np.sqrt(2 / 4000) - 1) < 0.05, f"scale='he' must give std sqrt(2/n[l-1]); found {he.std():.5f}"
    small = initialize_parameters([4000, 50, 1], scale=0.01, seed=0)["W1"]
    assert abs(small.std() / 0.01 - 1) < 0.05, f"scale=0.01 must give std 0.01; found {small.std():.5f}"
    assert initialize_parameters([3, 2, 1], seed=0, dtype=np.float32)["W1"].dtype == np.float32, "dtype=np.float32 must give float32 arrays"
"""
