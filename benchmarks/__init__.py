"""Benchmarks of the fast path, run from the clone's root: ``python -m benchmarks.<script>`` (see README.md).

A package so that the scripts import each other, and the tests import them, by name; never installed.
"""
