# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""The fleet report (see _report.model) as Markdown, for a ticket, a wiki or a CI summary."""

from __future__ import annotations

from ansible_collections.gomod.proxy.plugins.module_utils._common.severity import SEVERITIES

_MARK = {"ok": "ok", "info": "info", "warning": "WARN", "error": "ERROR", "critical": "CRITICAL",
         "unreachable": "UNREACHABLE", "failed": "FAILED", "none": "-"}


def _cell_text(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def _row(values):
    return "| " + " | ".join(_cell_text(v) for v in values) + " |"


def render(report):
    s = report["summary"]
    g = report["gate"]
    lines = ["# %s" % report["title"], "", "Generated %s. %d hosts." % (report["generated"], s["hosts"]), ""]
    lines.append("Hosts: " + ", ".join("%d %s" % (n, state) for state, n in sorted(s["states"].items())) + ".")
    lines.append("Findings: " + ", ".join("%d %s" % (s["findings"][sev], sev) for sev in reversed(SEVERITIES)) + ".")
    if g["fail_on"] == "none":
        lines.append("Gate: disabled.")
    else:
        lines.append("Gate: **%s** (%d findings at or above %s)." % ("FAIL" if g["failed"] else "pass", g["count"], g["fail_on"]))
    lines += ["", "## Hosts x endpoints", ""]
    columns = report["columns"]
    lines.append(_row(["host", "state"] + columns))
    lines.append(_row(["---"] * (len(columns) + 2)))
    for host in report["hosts"]:
        row = report["matrix"].get(host["name"], {})
        cells = []
        for column in columns:
            cell = row.get(column)
            cells.append("-" if cell is None else "%s %s" % (_MARK.get(cell["severity"], cell["severity"]), cell["code"])
                         if cell["code"] != "ok" else "ok")
        lines.append(_row([host["name"], _MARK.get(host["state"], host["state"])] + cells))
    lines += ["", "## Findings", ""]
    if not report["findings"]:
        lines.append("No findings.")
    for severity in reversed(SEVERITIES):
        group = [f for f in report["findings"] if f["severity"] == severity]
        if not group:
            continue
        lines += ["### %s (%d)" % (severity, len(group)), ""]
        for f in group:
            users = " (users: %s)" % ", ".join(f["users"]) if f.get("users") else ""
            lines.append("- **%s** `%s`%s: %s" % (f["host"], f["code"], users, f["cause"]))
            if f["fix"]:
                lines.append("  Fix: %s" % f["fix"])
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
