"""03_cost: points and hidden tests of its test cells (classroom/build.py adds them).

Fresh inputs from `grading_rng` (see 01_initialization.py's docstring); only value checks score.
"""

POINTS = {
    'test_compute_cost': 2,
}

HIDDEN = {}

HIDDEN['test_compute_cost'] = """\
    g = grading_rng if isinstance(globals().get("grading_rng"), np.random.Generator) else np.random.default_rng(301)
    cross_entropy = lambda a, y: float(-np.mean(y * np.log(a) + (1 - y) * np.log(1 - a)))
    m = int(g.integers(5, 12))
    AL_c, Y_c = g.uniform(0.05, 0.95, (1, m)), (g.random((1, m)) < 0.5).astype(np.int64)
    Y_c[0, :2] = [0, 1]
    J_c = cross_entropy(AL_c, Y_c)
    c_c = compute_cost(AL_c, Y_c)
    if np.ndim(c_c) != 0:
        raise AssertionError(f"the cost must be a number, found shape {np.shape(c_c)}")
    if np.isclose(c_c, J_c * m):
        raise AssertionError(f"the cost is the sum over examples: divide by m (here m = {m})")
    assert np.isclose(c_c, J_c, rtol=1e-9, atol=0), f"the cost of AL {np.round(AL_c, 3).tolist()} for Y {Y_c.tolist()}: expected {J_c:.6f}, found {float(c_c):.6f}"
    m2 = int(g.integers(12, 30))
    AL_2, Y_2 = g.uniform(0.01, 0.99, (1, m2)), (g.random((1, m2)) < 0.5).astype(np.float64)
    assert np.isclose(compute_cost(AL_2, Y_2), cross_entropy(AL_2, Y_2), rtol=1e-9, atol=0), f"the cost for m = {m2} examples (labels as floats) is wrong: J = -1/m Σ [y·log(a) + (1-y)·log(1-a)]"
    AL_3, Y_3 = g.uniform(0.05, 0.95, (1, m)), Y_c.copy()
    AL_3[0, :2] = [0.0, 1.0]                             # sure and right: these two losses are 0 (AL clipped to [eps, 1 - eps])
    assert np.isclose(compute_cost(AL_3, Y_3), cross_entropy(AL_3[:, 2:], Y_3[:, 2:]) * (m - 2) / m, rtol=1e-9, atol=1e-12), "AL exactly 0 or 1 where the label agrees must add a loss of 0 and keep the cost finite: clip AL to [eps, 1 - eps] before the log"
"""
