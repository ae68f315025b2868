"""01_initialization: points and hidden tests of its test cells (classroom/build.py adds them).

Hidden tests (all files here): inputs the visible tests do not show, drawn from `grading_rng`, a
generator seeded per student and cell (classroom/grading/seeds.py); where it is not defined
(nbgrader's own autograde) from a fixed seed. Only an `assert` that compares the function's values
with the reference's on those inputs scores; what a constant answer of the right shape passes too
(shapes, keys, "the global random state is untouched") is a guard: `if ...: raise AssertionError`,
which scores nothing and fails the check after it (see classroom/README.md, "Partial credit").
"""

POINTS = {
    'test_initialize_parameters': 2,
    'test_initialize_parameters_two_layer': 1,
}

HIDDEN = {}

HIDDEN['test_initialize_parameters'] = """\
    g = grading_rng if isinstance(globals().get("grading_rng"), np.random.Generator) else np.random.default_rng(101)
    same = lambda x, ref: np.shape(x) == np.shape(ref) and np.allclose(x, ref)
    dims = [int(n) for n in g.choice(np.arange(3, 40), size=4, replace=False)]   # n[l] != n[l-1] everywhere
    seed = int(g.integers(2 ** 31))
    state = np.random.get_state()[1].copy()
    q = initialize_parameters(dims, seed=seed)
    draw = np.random.default_rng(seed)
    W_ref = [None] + [draw.standard_normal((dims[l], dims[l - 1])) / np.sqrt(dims[l - 1]) for l in (1, 2, 3)]
    if not np.array_equal(np.random.get_state()[1], state):
        raise AssertionError("initialize_parameters must not touch the global np.random state: use np.random.default_rng(seed)")
    if not isinstance(q, dict) or sorted(q) != sorted(f"{k}{l}" for l in (1, 2, 3) for k in "Wb"):
        raise AssertionError(f"layer_dims {dims} has 3 layers with weights: the keys are W1, b1, W2, b2, W3, b3")
    if any(np.shape(q[f"b{l}"]) != (dims[l], 1) or np.any(q[f"b{l}"]) for l in (1, 2, 3)):
        raise AssertionError("each b[l] must be zeros of shape (n[l], 1)")
    assert same(q["W1"], W_ref[1]), f"W1 for layer_dims {dims}, seed={seed}: rng = np.random.default_rng(seed), then rng.standard_normal((n[1], n[0])) / sqrt(n[0])"
    assert same(q["W2"], W_ref[2]), f"W2 for layer_dims {dims}: draw it after W1, N(0, 1) / sqrt(n[l-1]) with n[l-1] = {dims[1]}, the layer's own fan-in"
    assert same(q["W3"], W_ref[3]), f"W3 for layer_dims {dims}: draw it after W2, N(0, 1) / sqrt(n[l-1]) with n[l-1] = {dims[2]}"
    rs_seed = int(g.integers(2 ** 31))
    r = initialize_parameters(dims[:3], seed=np.random.RandomState(rs_seed))
    rs = np.random.RandomState(rs_seed)
    assert same(r["W1"], rs.randn(dims[1], dims[0]) / np.sqrt(dims[0])) and same(r["W2"], rs.randn(dims[2], dims[1]) / np.sqrt(dims[1])), "with a RandomState seed, draw W1 first, then W2, each rng.standard_normal((n[l], n[l-1])) / sqrt(n[l-1])"
"""

HIDDEN['test_initialize_parameters_two_layer'] = """\
    g = grading_rng if isinstance(globals().get("grading_rng"), np.random.Generator) else np.random.default_rng(102)
    same = lambda x, ref: np.shape(x) == np.shape(ref) and np.allclose(x, ref)
    n_x, n_h, n_y = (int(n) for n in g.choice(np.arange(2, 30), size=3, replace=False))
    seed = int(g.integers(2 ** 31))
    state = np.random.get_state()[1].copy()
    q = initialize_parameters_two_layer(n_x, n_h, n_y, seed=seed)
    draw = np.random.default_rng(seed)
    W1_ref, W2_ref = draw.standard_normal((n_h, n_x)) * 0.01, draw.standard_normal((n_y, n_h)) * 0.01
    if not np.array_equal(np.random.get_state()[1], state):
        raise AssertionError("initialize_parameters_two_layer must not touch the global np.random state")
    if not isinstance(q, dict) or sorted(q) != ["W1", "W2", "b1", "b2"]:
        raise AssertionError("the keys are W1, b1, W2, b2")
    if np.shape(q["b1"]) != (n_h, 1) or np.shape(q["b2"]) != (n_y, 1) or np.any(q["b1"]) or np.any(q["b2"]):
        raise AssertionError("b1 and b2 must be zeros of shapes (n_h, 1) and (n_y, 1)")
    assert same(q["W1"], W1_ref), f"W1 for (n_x, n_h, n_y) = {(n_x, n_h, n_y)}, seed={seed}: rng.standard_normal((n_h, n_x)) * 0.01 with rng = np.random.default_rng(seed)"
    assert same(q["W2"], W2_ref), f"W2 for (n_x, n_h, n_y) = {(n_x, n_h, n_y)}: draw it after W1, rng.standard_normal((n_y, n_h)) * 0.01"
    rs_seed = int(g.integers(2 ** 31))
    r = initialize_parameters_two_layer(n_x, n_h, n_y, seed=np.random.RandomState(rs_seed))
    rs = np.random.RandomState(rs_seed)
    assert same(r["W1"], rs.randn(n_h, n_x) * 0.01) and same(r["W2"], rs.randn(n_y, n_h) * 0.01), "with a RandomState seed, draw W1 = rng.standard_normal((n_h, n_x)) * 0.01 first, then W2"
"""
