"""Sandboxed, out-of-kernel, parallel grading of the classroom edition (see classroom/README.md).

contract.py  what is read from the nbgrader source notebooks (grade ids, markers, points, check kinds)
extract.py   runs in a sandbox of its own: finds and reads the student's notebook, hands back its code
harness.py   runs inside the sandbox: loads the student's functions, answers calls with plain data
plain.py     the plain-data format between the two (no code, no objects; sizes bounded)
scorer.py    runs outside the sandbox, never runs student code: the instructor's tests, the scores
seeds.py     per-course secret -> per student, assignment and cell seeds for the hidden tests' inputs
sandbox.py   bubblewrap command and limits on the whole sandbox (cgroup, or a monitor)
runner.py    one submission: reading, restarts after timeouts/crashes, scoring
course.py    a whole assignment in parallel; results store, gradebook, feedback, CSV, summary
"""
