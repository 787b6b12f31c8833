"""The fleet audit against real faults (see ../converge.yml): every host reports its code and fix,
healthy hosts report ok, the gate of the audit role fails exactly when it should, and the deprecated
diagnose names still work, with a warning."""

import json
import re

import pytest

from audit_run import TIMEOUT, audit

# host: (code, severity, text the cause or fix must contain)
FAULTS = {
    "fallthrough": ("http_404", "info", "fall-through"),
    "nxdomain": ("dns_nxdomain", "error", "go_client_goproxy"),
    "refused": ("tcp_refused", "error", "athens_port"),
    "dropped": ("tcp_timeout", "error", "athens_allowed_sources"),
    "selfsigned": ("tls_untrusted", "error", "update-ca-certificates"),
    "expired": ("tls_expired", "error", "Renew the certificate of fixture.lab.test"),
    "gone": ("http_410", "error", "athens_allowed_sources"),
    "badgateway": ("http_502", "error", "athens_upstream_goproxy"),
    "gwtimeout": ("http_504", "error", "athens_timeout"),
    "proxyauth": ("http_407", "error", "/etc/environment"),
    "override": ("env_override", "warning", "/etc/profile.d/goproxy.sh"),
    "modoff": ("go111module_off", "critical", "go_client_go111module"),
    "proxyoff": ("goproxy_off", "critical", "go_client_goproxy"),
    "private": ("private_not_excluded", "error", "go_client_goprivate"),
    # A at once, AAAA never: Go connects after waiting for AAAA (tests/test_go_truth.py checks the wait)
    "stall": ("dns_family_stall", "warning", "AAAA queries for goproxy.stall.lab.test"),
}
HEALTHY = ["ok1", "ok2", "chains"]


def _findings(report, host):
    return [f for f in report["findings"] if f["host"] == host]


@pytest.mark.parametrize("host", sorted(FAULTS))
def test_fault_is_named_with_its_fix(report, host):
    code, severity, text = FAULTS[host]
    hits = [f for f in _findings(report, host) if f["code"] == code]
    assert hits, "%s: no %s in %s" % (host, code, [(f["code"], f["severity"]) for f in _findings(report, host)])
    assert hits[0]["severity"] == severity
    assert text in hits[0]["cause"] + " " + hits[0]["fix"]
    assert hits[0]["users"] == ["builder"]


@pytest.mark.parametrize("host", HEALTHY + ["fallthrough"])
def test_healthy_hosts_report_ok(report, host):
    state = [h for h in report["hosts"] if h["name"] == host][0]
    assert state["state"] == "ok", _findings(report, host)
    assert [f for f in _findings(report, host) if f["severity"] != "info"] == []


def test_matrix_and_files(report):
    assert set(report["matrix"]) == set(FAULTS) | set(HEALTHY)
    upstream = [c for c in report["columns"] if c.startswith("goproxy http://upstream")][0]
    assert report["matrix"]["ok1"][upstream]["code"] == "ok"
    for name in ("goproxy-audit.md", "goproxy-audit.html"):
        assert (report["_dir"] / name).stat().st_size > 1000


def test_blackholed_endpoint_costs_one_timeout(report):
    host = [h for h in report["hosts"] if h["name"] == "dropped"][0]
    assert TIMEOUT <= host["seconds"] < TIMEOUT + 1.5
    comma = [f for f in _findings(report, "dropped") if f["code"] == "comma_after_unreliable_entry"]
    assert comma and "'|'" in comma[0]["fix"]


def _gate_run(tmp_path, name, fail_on, hosts):
    """(rc, playbook output, the report's gate) of an audit run."""
    rc, text = audit(tmp_path / name, "-e", "audit_fail_on=" + fail_on, "-e", "gomod_audit_hosts=" + hosts)[:2]
    with open(tmp_path / name / "goproxy-audit.json") as f:
        gate = json.load(f)["gate"]
    return rc, text, gate, set(o.split(":")[0] for o in gate["offenders"])


def test_gate(tmp_path):
    failing = set(h for h in FAULTS if FAULTS[h][1] in ("error", "critical"))
    rc, text, gate, offenders = _gate_run(tmp_path, "all", "error", "builders")
    assert rc != 0 and "gate: FAIL" in text and gate["failed"]
    assert offenders == failing
    rc, text, gate, offenders = _gate_run(tmp_path, "healthy", "error", "ok1:ok2:fallthrough:override")
    assert rc == 0 and "gate: pass" in text and offenders == set(), text
    rc, text, gate, offenders = _gate_run(tmp_path, "warning", "warning", "ok1:override")
    assert rc != 0 and offenders == {"override"}
    rc, text, gate, offenders = _gate_run(tmp_path, "critical", "critical", "nxdomain:modoff")
    assert rc != 0 and offenders == {"modoff"}


def test_download_in_throwaway_cache(tmp_path, lab):
    rc, text = audit(tmp_path, "-e", "audit_fail_on=error", "-e", "gomod_audit_hosts=ok1", "-e", "audit_download=true")[:2]
    assert rc == 0, text
    with open(tmp_path / "goproxy-audit.json") as f:
        data = json.load(f)
    download = data["hosts"][0]["users"][0]["download"]
    assert download["ok"] and download["version"] == "v0.21.0" and download["sum"].startswith("h1:")
    assert lab.host("ok1").run("ls -d /tmp/goproxy-probe-* 2>/dev/null").stdout == ""


def test_deprecated_playbook_and_variable_names_still_work(tmp_path):
    """gomod.proxy.diagnose and the diagnose_* variables of the previous layout: same audit, one warning each."""
    rc, text, _seconds = audit(tmp_path, "-e", '{"diagnose_users": ["builder"]}', "-e", "diagnose_timeout=%d" % TIMEOUT,
                               "-e", "diagnose_probe_direct=false", "-e", "diagnose_hosts=ok1:gone",
                               "-e", "diagnose_fail_on=critical", playbook="gomod.proxy.diagnose", common=False)
    assert rc == 0, text  # gone has an error, below the critical gate the old variable set
    with open(tmp_path / "goproxy-audit.json") as f:
        data = json.load(f)
    assert sorted(h["name"] for h in data["hosts"]) == ["gone", "ok1"]
    assert [u["user"] for u in data["hosts"][0]["users"]] == ["builder"]
    assert data["gate"]["fail_on"] == "critical"
    flat = " ".join(text.split())
    for old, new in (("diagnose_users", "audit_users"), ("diagnose_hosts", "gomod_audit_hosts"),
                     ("diagnose_fail_on", "audit_fail_on"), ("diagnose_timeout", "audit_timeout")):
        assert "The variable %s is deprecated; set %s instead." % (old, new) in flat, flat


def test_bad_value_on_one_host_stops_the_audit_before_any_probe(tmp_path):
    """The role checks every host's variables at once (check_role_arguments, not Ansible's per-host check): a
    value only one host gets fails the run naming that host, the variable and the value; nothing is probed."""
    per_host = '{"audit_timeout": "{{ \'soon\' if inventory_hostname == \'ok2\' else %d }}"}' % TIMEOUT
    rc, text, _seconds = audit(tmp_path, "-e", per_host, "-e", "gomod_audit_hosts=ok1:ok2:nxdomain")
    assert rc != 0, text
    flat = " ".join(re.sub(r"\x1b\[[0-9;]*m", "", text).split())  # Ansible colours each line of the error
    assert "the variables of 1 of 3 host(s) fail the role's argument spec" in flat, text
    assert "ok2: argument 'audit_timeout'" in flat and "(audit_timeout: 'soon')" in flat, text
    assert "Probe the go env" not in text and not (tmp_path / "goproxy-audit.json").exists()
    assert "Validating arguments against arg spec" not in text  # the playbook turned Ansible's own check off
