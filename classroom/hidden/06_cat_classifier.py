"""06_cat_classifier: points and hidden tests of its test cells (classroom/build.py adds them)."""

POINTS = {
    'test_flatten_images': 2,
}

HIDDEN = {}

HIDDEN['test_flatten_images'] = """\
    g = np.random.default_rng(4)
    big = g.integers(0, 256, size=(3, 64, 64, 3), dtype=np.uint8)
    before = big.copy()
    X_big = flatten_images(big)
    assert np.array_equal(big, before), "flatten_images must not change the images"
    assert X_big.shape == (12288, 3) and X_big.dtype == np.float64, f"expected (12288, 3) float64, found {X_big.shape} {X_big.dtype}"
    for i in range(3):
        assert np.allclose(X_big[:, i], big[i].reshape(-1) / 255), f"column {i} must be image {i}, flattened and divided by 255"
    assert 0 <= X_big.min() and X_big.max() <= 1, "the pixels must be scaled to [0, 1] (divide by 255)"
"""
