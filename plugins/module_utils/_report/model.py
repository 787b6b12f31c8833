# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""The fleet report: every host's goproxy_probe audit folded into one model.

The model is what the JSON report holds and what the Markdown and HTML renderers draw:
- ``hosts``: per host its state (worst severity, or ``ok`` / ``unreachable``), counts and users;
- ``columns`` and ``matrix``: hosts x endpoint labels, each cell the endpoint's code and severity;
- ``findings``: every finding with its host, worst first;
- ``gate``: whether findings at or above ``fail_on`` exist (the CI verdict).
A host the audit could not run on (ssh unreachable, module failure) becomes a finding itself, so
the gate never passes a fleet it did not see.
"""

from __future__ import annotations

import datetime

from ansible_collections.gomod.proxy.plugins.module_utils._common.severity import SEVERITIES, at_or_above, worst
from ansible_collections.gomod.proxy.plugins.module_utils._probe.findings import finding

REPORT_VERSION = 1
GATE_LEVELS = ("none",) + SEVERITIES
_KIND_ORDER = ("goproxy", "direct", "sumdb_proxy", "sumdb", "private")
ENV_COLUMN = "go env"


def _host_entry(name, outcome):
    """(host dict, its findings, its endpoints) from one registered goproxy_probe result."""
    outcome = outcome or {}
    audit = ((outcome.get("ansible_facts") or {}).get("goproxy_probe")) or None
    if outcome.get("unreachable"):
        found = [finding("host_unreachable", detail=outcome.get("msg") or "unreachable")]
        state = "unreachable"
    elif audit is None:
        detail = outcome.get("msg") or ("skipped" if outcome.get("skipped") else "no result")
        found = [finding("probe_failed", detail=detail)]
        state = "failed"
    else:
        found = [dict(f) for f in audit["findings"]]  # copies: the results may be the registered variables themselves
        state = audit["summary"]["state"]
    for f in found:
        f["host"] = name
    host = {"name": name, "state": state, "worst": worst(f["severity"] for f in found),
            "counts": dict((s, sum(1 for f in found if f["severity"] == s)) for s in SEVERITIES),
            "seconds": audit["summary"]["seconds"] if audit else None,
            "users": [{"user": u["user"], "goproxy": u["settings"].get("GOPROXY", {}),
                       "goproxy_outcome": u["goproxy_outcome"], "goproxy_error": u.get("goproxy_error"),
                       "goproxy_chain": u.get("goproxy_chain", []), "sumdb_outcome": u["sumdb_outcome"],
                       "download": u.get("download")} for u in (audit or {}).get("users", [])]}
    return host, found, (audit or {}).get("endpoints", [])


def _column_key(label, kind):
    return (_KIND_ORDER.index(kind) if kind in _KIND_ORDER else len(_KIND_ORDER), label)


def _cell(endpoints):
    """One matrix cell from the host's endpoints sharing a label (different routes): the worst wins."""
    ranked = sorted(endpoints, key=lambda e: -(SEVERITIES.index(e["severity"]) if e["severity"] in SEVERITIES else -1))
    top = ranked[0]
    return {"code": top["code"], "severity": top["severity"], "endpoint": top["id"], "url": top["url"],
            "via": top.get("via"), "seconds": top.get("seconds"), "phase": top.get("failed_phase")}


def _env_cell(findings):
    env = [f for f in findings if not f.get("endpoint")]
    if not env:
        return {"code": "ok", "severity": "ok"}
    top = max(env, key=lambda f: SEVERITIES.index(f["severity"]))
    return {"code": top["code"], "severity": top["severity"]}


def gate(findings, fail_on):
    """{fail_on, failed, count, offenders}: findings at or above fail_on (none never fails)."""
    if fail_on not in GATE_LEVELS:
        raise ValueError("fail_on must be one of %s, got %r" % (", ".join(GATE_LEVELS), fail_on))
    hits = [f for f in findings if at_or_above(f["severity"], fail_on)]
    offenders = sorted(set("%s: %s" % (f["host"], f["code"]) for f in hits))
    return {"fail_on": fail_on, "failed": bool(hits), "count": len(hits), "offenders": offenders}


def build(results, fail_on="error", title="Go module download audit", generated=None):
    """The report model from {host: registered goproxy_probe result}."""
    hosts, findings, columns, matrix = [], [], {}, {}
    for name in sorted(results):
        host, found, endpoints = _host_entry(name, results[name])
        hosts.append(host)
        findings += found
        by_label = {}
        for endpoint in endpoints:
            by_label.setdefault(endpoint["label"], []).append(endpoint)
            columns.setdefault(endpoint["label"], endpoint["kind"])
        row = dict((label, _cell(group)) for label, group in by_label.items())
        row[ENV_COLUMN] = _env_cell(found) if host["state"] not in ("unreachable", "failed") else {
            "code": found[0]["code"], "severity": found[0]["severity"]}
        matrix[name] = row
    findings.sort(key=lambda f: (-SEVERITIES.index(f["severity"]), f["host"], f["code"]))
    states = {}
    for host in hosts:
        states[host["state"]] = states.get(host["state"], 0) + 1
    generated = generated or datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "version": REPORT_VERSION, "title": title, "generated": generated,
        "hosts": hosts,
        "columns": [ENV_COLUMN] + sorted(columns, key=lambda label: _column_key(label, columns[label])),
        "matrix": matrix,
        "findings": findings,
        "summary": {"hosts": len(hosts), "states": states,
                    "findings": dict((s, sum(1 for f in findings if f["severity"] == s)) for s in SEVERITIES)},
        "gate": gate(findings, fail_on),
    }


def summary_lines(report, limit=10):
    """A few lines for the terminal: totals, the gate, the worst findings."""
    s = report["summary"]
    states = ", ".join("%d %s" % (n, state) for state, n in sorted(s["states"].items()))
    lines = ["%d hosts audited: %s" % (s["hosts"], states or "none"),
             "findings: " + ", ".join("%d %s" % (s["findings"][sev], sev) for sev in reversed(SEVERITIES))]
    g = report["gate"]
    if g["fail_on"] == "none":
        lines.append("gate: disabled (diagnose_fail_on=none)")
    else:
        lines.append("gate: %s (%d findings at or above %s)" % ("FAIL" if g["failed"] else "pass", g["count"], g["fail_on"]))
    for f in [f for f in report["findings"] if f["severity"] != "info"][:limit]:
        lines.append("%s %s %s: %s" % (f["severity"].upper(), f["host"], f["code"], f["cause"]))
    return lines
