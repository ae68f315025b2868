"""The test command's workers run numpy's BLAS on one thread each (conftest.py says why)."""
import os

import pytest


@pytest.mark.skipif(not os.environ.get("PYTEST_XDIST_WORKER"), reason="only on pytest-xdist workers")
def test_each_worker_and_its_kernels_get_a_blas_thread_count():
    # set by conftest.py before the workers start (or by the caller, whose value is kept)
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        assert os.environ.get(name), name
