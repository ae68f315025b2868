"""The GitHub workflows (.github/workflows/*.yml) do what CONTRIBUTING.md says of them.

- Every action runs at a fixed commit (a 40-hex SHA, its release tag in a comment), the same
  commit wherever the action is used: a moved tag cannot change what CI runs.
- Least privilege: each workflow reads the repository and nothing more, and a job gets a write
  permission only if an action it uses needs it (publishing the website).
- The tests run on every Python that pyproject.toml claims, and on nothing it does not claim.
- The "oldest" job installs every direct dependency at exactly its declared lower bound, so the
  lower bounds in pyproject.toml are the versions that were tested.
"""
from __future__ import annotations

import re
import shlex
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW_DIR = ROOT / ".github" / "workflows"
WORKFLOW_FILES = sorted(WORKFLOW_DIR.glob("*.yml")) + sorted(WORKFLOW_DIR.glob("*.yaml"))
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
REQUIRES_PYTHON = SpecifierSet(PROJECT["requires-python"])
SHA = re.compile(r"[0-9a-f]{40}")
# The write permissions an action needs to do its work; a job may hold only these.
WRITES_NEEDED = {"actions/deploy-pages": {"pages", "id-token"}}


def load(path):
    return yaml.safe_load(path.read_text())


def jobs(path):
    return load(path)["jobs"]


def uses_of(job):
    return [step["uses"] for step in job.get("steps", []) if "uses" in step]


def action_name(uses):
    """'actions/checkout@<sha>' -> 'actions/checkout' (a subfolder of an action repository stays)."""
    return uses.rsplit("@", 1)[0]


def minor(version):
    """'3.11' or Version('3.11.4') -> (3, 11)."""
    release = Version(str(version)).release
    return release[0], release[1]


def claimed_pythons():
    """The Python minors pyproject.toml claims: its classifiers if it has any, else the oldest
    that requires-python allows (a range open above names no newest version)."""
    classifiers = {minor(c.rsplit("::", 1)[1].strip()) for c in PROJECT.get("classifiers", [])
                   if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)}
    return classifiers or {oldest_python()}


def oldest_python():
    allowed = [(3, m) for m in range(0, 100) if Version(f"3.{m}") in REQUIRES_PYTHON]
    assert allowed, f"requires-python {REQUIRES_PYTHON} allows no Python 3"
    return min(allowed)


def python_matrix():
    (versions,) = [job["strategy"]["matrix"]["python-version"] for path in WORKFLOW_FILES
                   for job in jobs(path).values() if "python-version" in job.get("strategy", {}).get("matrix", {})]
    return [minor(v) for v in versions]


def oldest_job():
    return jobs(WORKFLOW_DIR / "tests.yml")["oldest"]


def pythons_used():
    """(where, version) of every Python a job runs on: setup-python's input and python:X images."""
    used = []
    for path in WORKFLOW_FILES:
        for name, job in jobs(path).items():
            for step in job.get("steps", []):
                if action_name(step.get("uses", "")) == "actions/setup-python":
                    version = str(step["with"]["python-version"])
                    if "matrix" not in version:
                        used.append((f"{path.name}:{name}", minor(version)))
            image = job.get("container", {})
            image = image.get("image") if isinstance(image, dict) else image
            if image and re.match(r"python:\d", image):
                used.append((f"{path.name}:{name} container", minor(re.match(r"python:(\d+\.\d+)", image)[1])))
    return used


def test_the_workflows_are_found_and_parse():
    names = {p.name for p in WORKFLOW_FILES}
    assert {"tests.yml", "pages.yml"} <= names, names
    for path in WORKFLOW_FILES:
        assert jobs(path), f"{path.name} has no jobs"


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit(path):
    for name, job in jobs(path).items():
        for uses in uses_of(job):
            if uses.startswith("./"):
                continue  # an action of this repository: pinned by the commit that runs
            assert not uses.startswith("docker://") or "@sha256:" in uses, f"{path.name}:{name}: {uses}"
            ref = uses.rsplit("@", 1)[1] if "@" in uses else ""
            assert SHA.fullmatch(ref), f"{path.name}:{name} uses {uses!r}: pin it to a full 40-hex commit SHA"


def test_each_pin_names_its_release_and_one_action_has_one_pin():
    """The tag in the comment says what the SHA is (for the reader and for updates), and an
    action pinned in two places is pinned to the same commit, so an update misses none."""
    pins = {}
    for path in WORKFLOW_FILES:
        for line in path.read_text().splitlines():
            found = re.match(r"\s*(?:-\s*)?uses:\s*(\S+)\s*(?:#\s*(\S+))?", line)
            if not found or found[1].startswith("./"):
                continue
            uses, tag = found[1], found[2]
            assert tag and re.fullmatch(r"v\d+(\.\d+)*", tag), f"{path.name}: {line.strip()!r} names no release tag"
            pins.setdefault(action_name(uses), set()).add((uses.rsplit("@", 1)[1], tag))
    assert pins, "no action found in the workflows"
    several = {action: sorted(p) for action, p in pins.items() if len(p) > 1}
    assert not several, f"actions pinned to more than one commit: {several}"


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_permissions_are_least(path):
    workflow = load(path)
    top = workflow.get("permissions")
    assert isinstance(top, dict), f"{path.name}: no top-level `permissions:` mapping (the default token may write)"
    assert top.get("contents") == "read", f"{path.name}: top-level permissions {top}, expected contents: read"
    assert all(level in ("read", "none") for level in top.values()), f"{path.name}: top-level permissions {top}"
    for name, job in workflow["jobs"].items():
        permissions = job.get("permissions", {})
        assert isinstance(permissions, dict), f"{path.name}:{name}: permissions {permissions!r}, expected a mapping"
        writes = {scope for scope, level in permissions.items() if level == "write"}
        needed = set().union(*(WRITES_NEEDED.get(action_name(u), set()) for u in uses_of(job)))
        assert writes <= needed, f"{path.name}:{name} may write {sorted(writes - needed)}, which no action of it needs"


def test_the_website_job_can_publish():
    """The other side of least privilege: the deploy job keeps what GitHub Pages needs."""
    (deploy,) = [job for job in jobs(WORKFLOW_DIR / "pages.yml").values()
                 if "actions/deploy-pages" in map(action_name, uses_of(job))]
    assert {s for s, level in deploy.get("permissions", {}).items() if level == "write"} == WRITES_NEEDED[
        "actions/deploy-pages"]


def test_the_matrix_is_every_claimed_python():
    matrix = python_matrix()
    assert len(set(matrix)) == len(matrix), f"a Python twice in the matrix: {matrix}"
    outside = [v for v in matrix if Version("%d.%d" % v) not in REQUIRES_PYTHON]
    assert not outside, f"the matrix tests {outside}, which requires-python {REQUIRES_PYTHON} excludes"
    missing = claimed_pythons() - set(matrix)
    assert not missing, f"pyproject.toml claims {sorted(missing)}, which the matrix {matrix} does not test"
    if PROJECT.get("classifiers"):
        assert set(matrix) == claimed_pythons(), f"matrix {matrix} != classifiers {sorted(claimed_pythons())}"
    # no gap: every minor from the oldest allowed to the newest tested
    assert sorted(matrix) == [(3, m) for m in range(oldest_python()[1], max(matrix)[1] + 1)], matrix


def test_the_python_running_these_tests_is_in_the_matrix():
    """A Python that pyproject.toml allows and someone runs the tests on is one CI must test."""
    here = sys.version_info[:2]
    if Version("%d.%d" % here) in REQUIRES_PYTHON:
        assert here in python_matrix(), f"Python {here} is allowed by requires-python but not tested by CI"


def test_every_python_a_job_uses_is_supported():
    used = pythons_used()
    assert used, "no job names its Python"
    unsupported = [(where, v) for where, v in used if Version("%d.%d" % v) not in REQUIRES_PYTHON]
    assert not unsupported, f"jobs on Pythons requires-python {REQUIRES_PYTHON} excludes: {unsupported}"


def test_the_oldest_job_runs_on_the_oldest_python():
    versions = [minor(step["with"]["python-version"]) for step in oldest_job()["steps"]
                if action_name(step.get("uses", "")) == "actions/setup-python"]
    assert versions == [oldest_python()], f"oldest job on {versions}, oldest allowed {oldest_python()}"


def oldest_install():
    """The constraints file and the extras of the oldest job's `pip install`."""
    for step in oldest_job()["steps"]:
        for line in step.get("run", "").splitlines():
            words = shlex.split(line)
            if words[:2] != ["pip", "install"]:
                continue
            constraints = [words[i + 1] for i, w in enumerate(words) if w in ("-c", "--constraint")]
            targets = [w for w in words if re.fullmatch(r"\.(\[[\w,-]+\])?", w)]
            assert len(constraints) == 1 and len(targets) == 1, f"oldest job: cannot read {line!r}"
            extras = re.findall(r"[\w-]+", targets[0])
            return ROOT / constraints[0], extras
    raise AssertionError("the oldest job has no `pip install -c <constraints> .[extras]` step")


def direct_requirements(extras):
    """The project's dependencies and those of the extras, self-references (project[extra]) expanded."""
    name, optional = canonicalize_name(PROJECT["name"]), PROJECT["optional-dependencies"]
    requirements, pending, seen = [Requirement(t) for t in PROJECT["dependencies"]], list(extras), set()
    while pending:
        extra = pending.pop()
        if extra in seen:
            continue
        seen.add(extra)
        assert extra in optional, f"the oldest job installs an unknown extra {extra!r}"
        for requirement in map(Requirement, optional[extra]):
            if canonicalize_name(requirement.name) == name:
                pending += requirement.extras
            else:
                requirements.append(requirement)
    return requirements


def lower_bound(requirement):
    bounds = [Version(s.version) for s in requirement.specifier if s.operator in (">=", "==", "~=")]
    assert bounds, f"{requirement} declares no lower bound: the oldest job cannot test one"
    return max(bounds)


def constraint_pins(path):
    pins = {}
    for line in path.read_text().splitlines():
        text = line.split("#", 1)[0].strip()
        if text:
            requirement = Requirement(text)
            exact = [s.version for s in requirement.specifier if s.operator == "=="]
            if exact:
                pins[canonicalize_name(requirement.name)] = Version(exact[0])
    return pins


def test_the_oldest_job_pins_every_lower_bound():
    constraints, extras = oldest_install()
    assert constraints.is_file(), f"the oldest job's constraints file {constraints} is missing"
    pins = constraint_pins(constraints)
    requirements = direct_requirements(extras)
    assert requirements
    wrong = {}
    for requirement in requirements:
        bound = lower_bound(requirement)
        pin = pins.get(canonicalize_name(requirement.name))
        if pin != bound:
            wrong[str(requirement)] = f"pinned {pin}, lower bound {bound}"
    assert not wrong, f"{constraints.name} must pin each direct dependency to its lower bound: {wrong}"


def test_the_oldest_job_installs_every_extra_the_tests_need():
    """`requirements.txt` (the newest jobs) and the oldest job install the same extras."""
    _, oldest_extras = oldest_install()
    wanted = []
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        found = re.fullmatch(r"\s*-e\s+\.\[([\w,-]+)\]\s*", line)
        if found:
            wanted += found[1].split(",")
    assert wanted and sorted(oldest_extras) == sorted(wanted), (oldest_extras, wanted)
