"""_probe_classify: the code table is complete, documented, and renders every case."""

import os
import re

from ansible_collections.gomod.proxy.plugins.module_utils import _probe_classify

DOC = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "docs", "audit.md")


def test_every_code_is_documented_with_its_severity():
    with open(DOC) as f:
        rows = dict(re.findall(r"^\| `([a-z0-9_]+)` \| ([a-z]+) \|", f.read(), re.M))
    assert set(rows) == set(_probe_classify.CODES)
    for code, (severity, _cause, _fix) in _probe_classify.CODES.items():
        assert rows[code] == severity, code
        assert severity in _probe_classify.SEVERITIES


def test_every_failure_code_has_a_fix_and_renders_without_facts():
    for code in _probe_classify.CODES:
        f = _probe_classify.finding(code)
        assert f["cause"].endswith(".") and (f["fix"] or code == "ok")


def test_fix_names_the_inventory_variable():
    f = _probe_classify.finding("comma_after_unreliable_entry", entry="http://a:3000", entry_code="tcp_timeout",
                                next_entry="direct", user="builder")
    assert "go_client_goproxy" in f["fix"] and "'|'" in f["fix"] and f["user"] == "builder"


def test_severity_helpers():
    assert _probe_classify.worst(["info", "error", "warning"]) == "error"
    assert _probe_classify.worst([]) is None
    assert _probe_classify.at_or_above("critical", "error") and not _probe_classify.at_or_above("warning", "error")


def test_connect_phase_statuses():
    result = {"url": "https://proxy.golang.org/x", "phases": [
        {"phase": "dns", "ok": True}, {"phase": "tcp", "ok": True},
        {"phase": "connect", "ok": False, "error_class": "status", "status": 407, "target": "proxy.golang.org:443"}]}
    assert _probe_classify.endpoint_code(result) == "http_407"
    facts = _probe_classify.endpoint_facts(result)
    assert facts["target"] == "proxy.golang.org:443" and facts["target_host"] == "proxy.golang.org"
    result["phases"][-1]["status"] = 502
    assert _probe_classify.endpoint_code(result) == "http_502"
    result["phases"][-1]["status"] = 500
    assert _probe_classify.endpoint_code(result) == "http_5xx"


def test_407_from_the_server_itself_is_not_a_proxy_on_the_route():
    phases = [{"phase": "dns", "ok": True}, {"phase": "tcp", "ok": True},
              {"phase": "http", "ok": True, "status": 407, "host": "squid.corp", "reason": "Proxy Authentication Required"}]
    result = {"url": "http://squid.corp:3128/golang.org/x/text/@v/v0.21.0.info", "via": None, "phases": phases}
    assert _probe_classify.endpoint_code(result) == "http_407_origin"
    text = _probe_classify.finding("http_407_origin", **_probe_classify.endpoint_facts(result))
    assert "no HTTP proxy is on the route" in text["cause"] and "HTTPS_PROXY" in text["fix"]
    assert "none" not in text["cause"] and "?" not in text["cause"]
    # an HTTP proxy on the route (absolute-form request for an http:// URL) that wants credentials
    result["via"] = "http://squid.corp:3128"
    assert _probe_classify.endpoint_code(result) == "http_407"
