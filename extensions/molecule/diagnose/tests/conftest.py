"""Fixtures of the diagnose scenario's tests."""

import json

import pytest

from diagnose_run import EPHEMERAL, diagnose


@pytest.fixture(scope="session")
def report():
    """The audit of every build host of the scenario (the gate off so every host is reported)."""
    out = EPHEMERAL / "report"  # kept until destroy: docs/audit-report.png is a screenshot of this page
    rc, text, seconds = diagnose(out, "-e", "diagnose_fail_on=none", "-e", "diagnose_hosts=builders",
                                 playbook="gomod.proxy.diagnose")  # run as the collection playbook
    assert rc == 0, text
    with open(out / "goproxy-audit.json") as f:
        data = json.load(f)
    print("diagnose of %d hosts took %.1fs" % (len(data["hosts"]), seconds))
    data["_dir"] = out
    return data
