"""_report.model: the fleet report (hosts x endpoints matrix, findings, states) and the CI gate."""

import pytest

from ansible_collections.gomod.proxy.plugins.module_utils._report import model as report_model

ATHENS = "goproxy http://athens.lab.test:3000"
SUMDB = "sumdb sum.golang.org via http://athens.lab.test:3000"


def test_model_matrix_states_and_gate(results, report):
    assert report["columns"] == ["go env", ATHENS, SUMDB]
    assert [h["state"] for h in report["hosts"]] == ["ok", "error", "warning", "unreachable", "failed"]
    assert report["matrix"]["b02"][ATHENS]["code"] == "tcp_timeout"
    assert report["matrix"]["b02"]["go env"] == {"code": "env_override", "severity": "warning"}
    assert report["matrix"]["b04"]["go env"]["code"] == "host_unreachable"
    assert SUMDB not in report["matrix"]["b02"]
    assert report["gate"]["failed"]
    assert report["gate"]["offenders"] == ["b02: tcp_timeout", "b04: host_unreachable", "b05: probe_failed"]
    assert report["findings"][0]["code"] == "host_unreachable"  # worst first
    assert not report_model.build(results, fail_on="none")["gate"]["failed"]
    assert report_model.build(results, fail_on="critical")["gate"]["offenders"] == ["b04: host_unreachable"]
    healthy = report_model.build({"b01": results["b01"], "b03": results["b03"]}, fail_on="error")
    assert not healthy["gate"]["failed"]
    assert report_model.build({"b03": results["b03"]}, fail_on="warning")["gate"]["failed"]
    with pytest.raises(ValueError):
        report_model.gate([], "fatal")
