"""03_cost: points and hidden tests of its test cells (classroom/build.py adds them)."""

POINTS = {
    'test_compute_cost': 2,
}

HIDDEN = {}

HIDDEN['test_compute_cost'] = """\
    AL4, Y4 = np.array([[0.9, 0.2, 0.7, 0.4]]), np.array([[1, 0, 0, 1]])
    total = -np.sum(Y4 * np.log(AL4) + (1 - Y4) * np.log(1 - AL4))
    c4 = compute_cost(AL4, Y4)
    assert not np.isclose(c4, total), f"the cost is the sum over examples: divide by m (here m = 4): expected {total / 4:.6f}"
    assert np.isclose(c4, total / 4), f"expected {total / 4:.6f}, found {float(c4):.6f}"
    assert np.isfinite(compute_cost(np.array([[1e-300, 1.0]]), np.array([[1, 0]]))), "AL within eps of 0 or 1 must still give a finite cost"
"""
