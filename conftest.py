"""Project-wide pytest setup."""

import os
import sys

# nbval is loaded from here (`-p no:nbval` in pyproject.toml's addopts keeps pytest from loading it
# first, by its entry point) so that this line comes before it: nbval imports nbformat, nbformat
# imports jsonschema, and jsonschema imports rfc3987_syntax whenever it is installed (JupyterLab's
# jupyter-events installs it), which compiles 39 Lark grammars on import: about a second of CPU in
# each pytest process, for jsonschema's "iri" formats, which no notebook schema uses. A None in
# sys.modules makes that import fail, and jsonschema goes on without those formats. The subprocesses
# the tests start (the tools, nbgrader) import it as a user's would.
sys.modules.setdefault("rfc3987_syntax", None)
pytest_plugins = ["nbval.plugin"]

#: the variables that set how many threads numpy's BLAS (OpenBLAS, MKL, BLIS) and OpenMP start
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS")


def pytest_xdist_auto_num_workers(config):
    """`-n auto` (the test command's): one worker more than the cores this process may use. Part of the run
    waits instead of computing (kernels starting, sandboxes set up, subprocesses, a browser), and the
    extra worker fills those waits. PYTEST_XDIST_AUTO_NUM_WORKERS, when set, still decides."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # xdist's own hook reads it
    return len(os.sched_getaffinity(0)) + 1 if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1) + 1


def pytest_configure(config):
    # One BLAS thread per process when the tests run on several workers (the test command's
    # -n auto): each worker, and each notebook kernel it starts, inherits it. With two workers
    # and two OpenBLAS threads each on a 2-core machine, OpenBLAS's threads wait for each other
    # by spinning: measured on a 2-core AMD EPYC with OpenBLAS's AVX2 kernels, notebooks 07 and 08
    # took 226 s together instead of 37 s (the machine of earlier sessions, with AVX-512 kernels,
    # had not shown it). A variable the caller set is kept.
    # This runs in the controller before xdist starts the workers.
    workers = getattr(config.option, "numprocesses", None)
    if workers not in (None, 0) and not os.environ.get("PYTEST_XDIST_WORKER"):
        for name in BLAS_THREAD_VARIABLES:
            os.environ.setdefault(name, "1")
    # Build matplotlib's font cache before any notebook kernel starts: on a fresh
    # machine the first import prints "building the font cache" on stderr, which
    # nbval would report as an unexpected output of the first plotting cell.
    import matplotlib.font_manager  # noqa: F401
