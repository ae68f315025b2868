"""Sandboxed, out-of-kernel, parallel grading of the classroom edition (see classroom/README.md).

contract.py  what is read from the nbgrader source notebooks (grade ids, markers, points)
harness.py   runs inside the sandbox: loads the student's code, runs the instructor's tests
sandbox.py   bubblewrap command and resource limits
runner.py    one submission: notebook lookup, restarts after timeouts/crashes, scoring
course.py    a whole assignment in parallel; results store, gradebook, feedback, CSV, summary
"""
