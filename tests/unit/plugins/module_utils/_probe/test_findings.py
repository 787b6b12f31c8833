"""_probe.findings: the code table is complete, documented, and renders every case."""

import os
import re

from ansible_collections.gomod.proxy.plugins.module_utils._common.severity import SEVERITIES
from ansible_collections.gomod.proxy.plugins.module_utils._probe import findings as probe_findings

DOC = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "..", "docs", "audit.md")


def test_every_code_is_documented_with_its_severity():
    with open(DOC) as f:
        rows = dict(re.findall(r"^\| `([a-z0-9_]+)` \| ([a-z]+) \|", f.read(), re.M))
    assert set(rows) == set(probe_findings.CODES)
    for code, (severity, _cause, _fix) in probe_findings.CODES.items():
        assert rows[code] == severity, code
        assert severity in SEVERITIES


def test_every_failure_code_has_a_fix_and_renders_without_facts():
    for code in probe_findings.CODES:
        f = probe_findings.finding(code)
        assert f["cause"].endswith(".") and (f["fix"] or code == "ok")


def test_fix_names_the_inventory_variable():
    f = probe_findings.finding("comma_after_unreliable_entry", entry="http://a:3000", entry_code="tcp_timeout",
                               next_entry="direct", user="builder")
    assert "go_client_goproxy" in f["fix"] and "'|'" in f["fix"] and f["user"] == "builder"


def test_connect_phase_statuses():
    result = {"url": "https://proxy.golang.org/x", "phases": [
        {"phase": "dns", "ok": True}, {"phase": "tcp", "ok": True},
        {"phase": "connect", "ok": False, "error_class": "status", "status": 407, "target": "proxy.golang.org:443"}]}
    assert probe_findings.endpoint_code(result) == "http_407"
    facts = probe_findings.endpoint_facts(result)
    assert facts["target"] == "proxy.golang.org:443" and facts["target_host"] == "proxy.golang.org"
    result["phases"][-1]["status"] = 502
    assert probe_findings.endpoint_code(result) == "http_502"
    result["phases"][-1]["status"] = 500
    assert probe_findings.endpoint_code(result) == "http_5xx"


def test_407_from_the_server_itself_is_not_a_proxy_on_the_route():
    phases = [{"phase": "dns", "ok": True}, {"phase": "tcp", "ok": True},
              {"phase": "http", "ok": True, "status": 407, "host": "squid.corp", "reason": "Proxy Authentication Required"}]
    result = {"url": "http://squid.corp:3128/golang.org/x/text/@v/v0.21.0.info", "via": None, "phases": phases}
    assert probe_findings.endpoint_code(result) == "http_407_origin"
    text = probe_findings.finding("http_407_origin", **probe_findings.endpoint_facts(result))
    assert "no HTTP proxy is on the route" in text["cause"] and "HTTPS_PROXY" in text["fix"]
    assert "none" not in text["cause"] and "?" not in text["cause"]
    # an HTTP proxy on the route (absolute-form request for an http:// URL) that wants credentials
    result["via"] = "http://squid.corp:3128"
    assert probe_findings.endpoint_code(result) == "http_407"
