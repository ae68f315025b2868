"""The grading sandbox's self-check names the kernel setting that blocks it (issue 27, item 5)."""
from __future__ import annotations

import os

import pytest

from classroom.grading import sandbox


@pytest.mark.parametrize("sysctls, fix", [
    ({"kernel/apparmor_restrict_unprivileged_userns": "1", "user/max_user_namespaces": "15000"},
     "kernel.apparmor_restrict_unprivileged_userns=0"),
    ({"kernel/unprivileged_userns_clone": "0"}, "kernel.unprivileged_userns_clone=1"),
    ({"user/max_user_namespaces": "0"}, "user.max_user_namespaces="),
])
def test_blocked_user_namespaces_get_the_command_that_unblocks_them(sysctls, fix):
    assert fix in sandbox.userns_advice(sysctls)


def test_no_advice_when_no_setting_blocks_namespaces():
    assert sandbox.userns_advice({"kernel/apparmor_restrict_unprivileged_userns": "0",
                                  "user/max_user_namespaces": "15000"}) == ""


def test_sandbox_runs_here_or_ci_fails():
    ok, why = sandbox.available()
    if not ok and os.environ.get("DNN_REQUIRE_SANDBOX") != "1":
        pytest.skip(f"no sandbox: {why}")
    assert ok, f"DNN_REQUIRE_SANDBOX=1 but no sandbox: {why}"
