"""The fleet every _report test draws: five hosts' registered goproxy_probe results (ok, error, warning,
unreachable, failed) and the report built from them."""

import copy

import pytest

from ansible_collections.gomod.proxy.plugins.module_utils._report import model as report_model


def _endpoint(eid, label, code, severity, kind="goproxy"):
    return {"id": eid, "kind": kind, "label": label, "url": "http://athens.lab.test:3000/x", "via": None, "code": code,
            "severity": severity, "seconds": 0.01, "failed_phase": None if code == "ok" else "tcp", "users": ["builder"],
            "phases": []}


def _result(state, endpoints, findings):
    counts = dict((s, sum(1 for f in findings if f["severity"] == s)) for s in ("info", "warning", "error", "critical"))
    return {"changed": False, "ansible_facts": {"goproxy_probe": {
        "version": 1, "probe": {}, "endpoints": endpoints, "findings": findings,
        "users": [{"user": "builder", "settings": {"GOPROXY": {"value": "http://athens.lab.test:3000", "source": "env_file"}},
                   "goproxy_outcome": "ok", "sumdb_outcome": "ok", "download": None}],
        "summary": {"state": state, "worst": None, "counts": counts, "endpoints": len(endpoints), "users": 1, "seconds": 0.1}}}}


def _finding(code, severity, endpoint=None):
    f = {"code": code, "severity": severity, "cause": "cause of %s <b>" % code, "fix": "fix %s" % code, "users": ["builder"]}
    if endpoint:
        f["endpoint"] = endpoint
    return f


ATHENS = "goproxy http://athens.lab.test:3000"
SUMDB = "sumdb sum.golang.org via http://athens.lab.test:3000"

RESULTS = {
    "b01": _result("ok", [_endpoint("e1", ATHENS, "ok", "ok"), _endpoint("e2", SUMDB, "ok", "ok", "sumdb_proxy")], []),
    "b02": _result("error", [_endpoint("e1", ATHENS, "tcp_timeout", "error")],
                   [_finding("tcp_timeout", "error", "e1"), _finding("env_override", "warning")]),
    "b03": _result("warning", [_endpoint("e1", ATHENS, "http_404", "info"), _endpoint("e2", SUMDB, "ok", "ok", "sumdb_proxy")],
                   [_finding("http_404", "info", "e1"), _finding("sumdb_off", "warning")]),
    "b04": {"unreachable": True, "msg": "ssh: connect to host b04 port 22: Connection refused", "changed": False},
    "b05": {"failed": False, "msg": "MODULE FAILURE: python3: not found"},
}


@pytest.fixture
def results():
    """{host: registered goproxy_probe result} of the five hosts (a fresh copy per test)."""
    return copy.deepcopy(RESULTS)


@pytest.fixture
def report(results):
    """The report model of the five hosts, generated at a fixed time."""
    return report_model.build(results, generated="2026-01-01T00:00:00Z")
