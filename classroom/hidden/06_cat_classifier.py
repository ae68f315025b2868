"""06_cat_classifier: points and hidden tests of its test cells (classroom/build.py adds them).

Fresh inputs from `grading_rng` (see 01_initialization.py's docstring); only value checks score.
"""

POINTS = {
    'test_flatten_images': 2,
}

HIDDEN = {}

HIDDEN['test_flatten_images'] = """\
    g = grading_rng if isinstance(globals().get("grading_rng"), np.random.Generator) else np.random.default_rng(601)
    same = lambda x, ref: np.shape(x) == np.shape(ref) and np.allclose(x, ref)
    m_f, h_f = int(g.integers(2, 6)), int(g.integers(3, 9))
    imgs_f = g.integers(0, 256, size=(m_f, h_f, h_f + int(g.integers(1, 4)), 3), dtype=np.uint8)
    before_f = imgs_f.copy()
    X_f = flatten_images(imgs_f)
    if not np.array_equal(imgs_f, before_f):
        raise AssertionError("flatten_images must not change the images")
    if same(X_f, imgs_f.reshape(-1, m_f) / 255):
        raise AssertionError("images.reshape(-1, m) mixes the pixels of different images in one column: reshape to (m, -1) first, then transpose")
    assert same(X_f, imgs_f.reshape(m_f, -1).T / 255), f"X must be (height·width·3, m) = {(imgs_f[0].size, m_f)} for {m_f} images of {imgs_f.shape[1:]}: column i is image i, flattened, divided by 255"
    big = g.integers(0, 256, size=(int(g.integers(2, 4)), 64, 64, 3), dtype=np.uint8)
    X_big = flatten_images(big)
    if getattr(X_big, "dtype", None) is None or X_big.dtype.kind != "f":
        raise AssertionError(f"X must hold floats in [0, 1] (divide by 255), found {getattr(X_big, 'dtype', type(X_big))}")
    assert same(X_big, big.reshape(len(big), -1).T / 255), "X must be (12288, m) for 64x64 RGB images: column i is image i, flattened, divided by 255"
"""
