"""Fixtures of the audit scenario's tests."""

import json

import pytest

from audit_run import EPHEMERAL, audit


@pytest.fixture(scope="session")
def report():
    """The audit of every build host of the scenario (the gate off so every host is reported)."""
    out = EPHEMERAL / "report"  # kept until destroy: docs/audit-report.png is a screenshot of this page
    rc, text, seconds = audit(out, "-e", "audit_fail_on=none", "-e", "gomod_audit_hosts=builders",
                              playbook="gomod.proxy.audit")  # run as the collection playbook
    assert rc == 0, text
    with open(out / "goproxy-audit.json") as f:
        data = json.load(f)
    print("audit of %d hosts took %.1fs" % (len(data["hosts"]), seconds))
    data["_dir"] = out
    return data
