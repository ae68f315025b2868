"""Project-wide pytest setup."""


def pytest_configure(config):
    # Build matplotlib's font cache before any notebook kernel starts: on a fresh
    # machine the first import prints "building the font cache" on stderr, which
    # nbval would report as an unexpected output of the first plotting cell.
    import matplotlib.font_manager  # noqa: F401
