"""Per-student seeds for the hidden tests' random inputs (issue 25, item 5).

A student's seed is HMAC-SHA256(course secret, assignment, student): the same at every regrade
(the secret is kept), different for every student and assignment, and unpredictable to a student,
who never sees the secret. The secret lives in DIR/grades/.seed-secret, next to the results store:
the sandbox sees only DIR/grades/sandbox-lib/<assignment>-<run>/, never this file.

The hidden tests see `grading_rng = np.random.default_rng(cell_entropy(seed, grade_id))`, a fresh
generator per test cell, so one cell's draws never depend on another's.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

SECRET_FILE = Path("grades") / ".seed-secret"   # relative to the course folder
SECRET_BYTES = 32


def course_secret(course: Path) -> bytes:
    """The course's secret: read it, or create it once (written whole or not at all: a full
    temporary file is linked into place, so two graders racing to create it agree on one)."""
    path = Path(course) / SECRET_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".seed-secret.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(secrets.token_bytes(SECRET_BYTES))
                f.flush()
                os.fsync(f.fileno())
            try:
                os.link(tmp, path)          # fails if another process created it first: keep theirs
            except FileExistsError:
                pass
        finally:
            tmp.unlink(missing_ok=True)
    secret = path.read_bytes()
    if len(secret) != SECRET_BYTES:
        raise ValueError(f"{path}: expected a {SECRET_BYTES}-byte seed secret, found {len(secret)} bytes "
                         f"(restore it from a backup; deleting it changes every student's hidden-test inputs)")
    return secret


def student_seed(course: Path, assignment: str, student: str) -> int:
    """A 64-bit seed for one student's hidden-test inputs in one assignment, stable across regrades."""
    for what, value in (("assignment", assignment), ("student", student)):
        if not isinstance(value, str) or not value:
            raise ValueError(f"student_seed: expected a non-empty str {what}, found {value!r}")
    # a NUL cannot occur in a folder name, so (assignment, student) -> message is one-to-one
    message = f"{assignment}\0{student}".encode("utf-8", "surrogateescape")
    digest = hmac.new(course_secret(course), message, hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big")


def submission_seed(seed: int, code) -> int:
    """The student's seed mixed with the code of their submission (any JSON data): the same notebook
    draws the same inputs at every regrade, and a changed one draws new inputs, so a table of answers
    built from the inputs an earlier submission's feedback showed does not carry over."""
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2 ** 64:
        raise ValueError(f"submission_seed: expected a seed in [0, 2**64), found {seed!r}")
    text = json.dumps(code, sort_keys=True, ensure_ascii=True)
    digest = hashlib.sha256(seed.to_bytes(8, "big") + text.encode("ascii")).digest()
    return int.from_bytes(digest[:8], "big")


def cell_entropy(seed: int, grade_id: str) -> int:
    """Entropy for np.random.default_rng: one independent stream per (student seed, test cell).
    Needs only hashlib, so the code that runs the test cells can compute it wherever it runs."""
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2 ** 64:
        raise ValueError(f"cell_entropy: expected a seed in [0, 2**64), found {seed!r}")
    if not isinstance(grade_id, str) or not grade_id:
        raise ValueError(f"cell_entropy: expected a non-empty str grade_id, found {grade_id!r}")
    digest = hashlib.sha256(seed.to_bytes(8, "big") + grade_id.encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(digest[:16], "big")
