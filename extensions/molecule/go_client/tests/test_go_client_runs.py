"""go_client run again by the tests, after converge. Check mode (the dry run people do before onboarding
builders): an account the policy creates is a predicted change, never a failure, and nothing is created or
written (the scenario's `check` step also runs converge.yml in check mode on the fresh hosts). The proofs
run in each account's own login shell.
"""

import os
from pathlib import Path

import pytest
from scenario_playbook import run_playbook as playbook

SCENARIO = Path(__file__).resolve().parents[1]
EPHEMERAL = os.environ.get("MOLECULE_EPHEMERAL_DIRECTORY", "")

pytestmark = pytest.mark.skipif(not EPHEMERAL, reason="runs ansible-playbook with molecule's inventory")


def test_check_mode_predicts_a_new_account_and_its_go_env_as_changes(lab):
    users = [{"name": "new1", "create": True}, {"name": "new2", "create": True, "shell": "/bin/bash"}]
    rc, out, recap = playbook(SCENARIO / "converge.yml", "--diff", check=True, extra={"go_client_users": users})
    assert rc == 0, out
    for host in ("builder1", "builder2"):
        assert recap[host]["failed"] == 0, out
        # per account: created, then its go env written
        assert recap[host]["changed"] >= 2, out
        assert not lab.host(host).user("new1").exists
        assert not lab.host(host).file("/home/new1").exists
    flat = " ".join(out.split())
    assert "user new1 does not exist yet: a real run creates it, then writes its go env" in flat, out
    assert "GOPROXY=%s,off" % lab.vars["lab_upstream_goproxy"] in flat, out


def test_check_mode_of_an_account_that_is_not_created_fails_as_the_real_run_would(lab):
    rc, out, recap = playbook(SCENARIO / "converge.yml", check=True,
                              extra={"go_client_users": [{"name": "nobody-here", "create": False}]})
    assert rc != 0
    assert recap["builder1"]["failed"] == 1, out
    assert "no such user" in out


def test_proof_runs_in_the_login_shell_of_each_account(lab):
    """An account whose shell refuses logins still gets its proof (in /bin/sh); a created account without a
    shell gets the system's default, not one the role assumes."""
    users = [{"name": "svc1", "create": True, "shell": "/usr/sbin/nologin"}, {"name": "dev5", "create": True}]
    rc, out, recap = playbook(SCENARIO / "converge.yml", "--limit", "builder2", extra={"go_client_users": users})
    assert rc == 0, out
    assert recap["builder2"]["failed"] == 0, out
    h = lab.host("builder2")
    assert h.user("svc1").shell == "/usr/sbin/nologin"
    default_shell = h.check_output("useradd -D | sed -n 's/^SHELL=//p'")
    assert h.user("dev5").shell == default_shell
    assert h.file("/home/svc1/.config/go/env").contains("GOPROXY=")
    h.run("userdel -r svc1; userdel -r dev5")
