"""The project's maintenance scripts (``python tools/<script>.py`` or ``python -m tools.<script>``).

A package so that the tests import them by name (``from tools import nb``); never installed.
"""
