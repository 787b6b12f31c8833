"""_audit_report, _audit_markdown and _audit_html from registered goproxy_probe results, and the HTML
rendered by a real headless Chromium: the DOM's matrix must match the JSON report cell by cell."""

import html.parser
import json
import shutil
import subprocess

import pytest

from ansible_collections.gomod.proxy.plugins.module_utils import _audit_html, _audit_markdown, _audit_report


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


def test_model_matrix_states_and_gate():
    report = _audit_report.build(RESULTS, fail_on="error", generated="2026-01-01T00:00:00Z")
    assert report["columns"] == ["go env", ATHENS, SUMDB]
    assert [h["state"] for h in report["hosts"]] == ["ok", "error", "warning", "unreachable", "failed"]
    assert report["matrix"]["b02"][ATHENS]["code"] == "tcp_timeout"
    assert report["matrix"]["b02"]["go env"] == {"code": "env_override", "severity": "warning"}
    assert report["matrix"]["b04"]["go env"]["code"] == "host_unreachable"
    assert SUMDB not in report["matrix"]["b02"]
    assert report["gate"]["failed"]
    assert report["gate"]["offenders"] == ["b02: tcp_timeout", "b04: host_unreachable", "b05: probe_failed"]
    assert report["findings"][0]["code"] == "host_unreachable"  # worst first
    assert not _audit_report.build(RESULTS, fail_on="none")["gate"]["failed"]
    assert _audit_report.build(RESULTS, fail_on="critical")["gate"]["offenders"] == ["b04: host_unreachable"]
    healthy = _audit_report.build({"b01": RESULTS["b01"], "b03": RESULTS["b03"]}, fail_on="error")
    assert not healthy["gate"]["failed"]
    assert _audit_report.build({"b03": RESULTS["b03"]}, fail_on="warning")["gate"]["failed"]
    with pytest.raises(ValueError):
        _audit_report.gate([], "fatal")


def test_markdown_lists_matrix_and_fixes():
    text = _audit_markdown.render(_audit_report.build(RESULTS, generated="2026-01-01T00:00:00Z"))
    assert "| b02 | ERROR | WARN env_override | ERROR tcp_timeout | - |" in text
    assert "Gate: **FAIL**" in text and "  Fix: fix tcp_timeout" in text


class _Cells(html.parser.HTMLParser):
    """Matrix cells and finding rows of a DOM dump."""

    def __init__(self):
        html.parser.HTMLParser.__init__(self)
        self.cells, self.finding_codes, self.scripts_src, self.links = [], [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "td" and "data-endpoint" in a:
            self.cells.append((a["data-host"], a["data-endpoint"], a["data-code"], a["data-severity"]))
        if tag == "tr" and "data-code" in a:
            self.finding_codes.append(a["data-code"])
        if tag == "script" and a.get("src"):
            self.scripts_src.append(a["src"])
        if tag in ("link", "img") and (a.get("href") or a.get("src")):
            self.links.append(a.get("href") or a.get("src"))


def _chromium():
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if not binary:
        pytest.skip("chromium not installed (tools/setup-host.sh installs it)")
    return binary


def _dump_dom(binary, page, tmp_path, fragment=""):
    out = subprocess.run([binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                          "--disable-component-update", "--disable-sync", "--no-first-run",
                          "--user-data-dir=%s" % (tmp_path / "profile"), "--dump-dom", "file://%s%s" % (page, fragment)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120, check=True)
    parser = _Cells()
    parser.feed(out.stdout.decode("utf-8"))
    return parser


def test_html_rendered_by_chromium_matches_json(tmp_path):
    binary = _chromium()
    report = _audit_report.build(RESULTS, generated="2026-01-01T00:00:00Z")
    report = json.loads(json.dumps(report))  # exactly what the JSON file holds
    page = tmp_path / "report.html"
    page.write_text(_audit_html.render(report))
    dom = _dump_dom(binary, page, tmp_path)
    assert dom.scripts_src == [] and dom.links == []  # self-contained
    rendered = dict(((h, e), (c, s)) for h, e, c, s in dom.cells)
    assert len(rendered) == len(report["hosts"]) * len(report["columns"])
    for host in report["hosts"]:
        for column in report["columns"]:
            cell = report["matrix"][host["name"]].get(column)
            want = (cell["code"], cell["severity"]) if cell else ("", "none")
            assert rendered[(host["name"], column)] == want
    assert "cause of tcp_timeout &lt;b&gt;" in page.read_text()  # finding text is escaped


def test_html_sorts_in_the_browser(tmp_path):
    binary = _chromium()
    report = _audit_report.build(RESULTS, generated="2026-01-01T00:00:00Z")
    page = tmp_path / "report.html"
    page.write_text(_audit_html.render(report))
    # severity column ascending: info first, critical last
    dom = _dump_dom(binary, page, tmp_path, "#sort=findings:0")
    assert dom.finding_codes[0] == "http_404" and dom.finding_codes[-1] == "host_unreachable"
    dom = _dump_dom(binary, page, tmp_path, "#sort=findings:0:desc")
    assert dom.finding_codes[0] == "host_unreachable"
