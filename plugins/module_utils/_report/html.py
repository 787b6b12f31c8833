# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""The fleet report (see _report.model) as one self-contained HTML page.

No external asset: style and the sorting script are inline, so the file can be mailed, attached to a
CI run or opened offline. Every matrix cell carries data-host, data-endpoint, data-code and
data-severity, which tests read back from the rendered DOM. Every text is escaped.
"""

from __future__ import annotations

from html import escape

from ansible_collections.gomod.proxy.plugins.module_utils._common.severity import SEVERITIES

_RANK = dict((s, i + 1) for i, s in enumerate(SEVERITIES))
_RANK.update(ok=0, unreachable=len(SEVERITIES) + 1, failed=len(SEVERITIES))

_STYLE = """
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1d2430;background:#fafbfc}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.meta{color:#5b6472;margin-bottom:16px}
.totals span,.badge{display:inline-block;padding:2px 8px;border-radius:10px;margin-right:6px;font-weight:600}
table{border-collapse:collapse;background:#fff;box-shadow:0 1px 2px rgba(0,0,0,.08)}
th,td{border:1px solid #dde2e8;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#eef1f5;cursor:pointer;user-select:none;white-space:nowrap}
th.sorted-asc::after{content:" \\25B2"}th.sorted-desc::after{content:" \\25BC"}
td.cell{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;white-space:nowrap}
.sev-ok{background:#d8f0dc;color:#1b5e20}.sev-info{background:#dde9f7;color:#0d47a1}
.sev-warning{background:#fff0c2;color:#6d4c00}.sev-error{background:#f9d3d3;color:#8e0000}
.sev-critical{background:#8e0000;color:#fff}.sev-unreachable{background:#444;color:#fff}
.sev-failed{background:#f9d3d3;color:#8e0000}.sev-none{background:#f3f4f6;color:#9aa1ab}
.gate-fail{background:#8e0000;color:#fff}.gate-pass{background:#d8f0dc;color:#1b5e20}
code{font-size:12px}td.fix{max-width:520px}td.cause{max-width:520px}
.legend span{margin-right:4px}
#matrix th.endpoint{writing-mode:vertical-rl;transform:rotate(180deg);vertical-align:bottom;max-height:320px;
  font-weight:600;font-size:12px;padding:8px 4px}
"""

_SCRIPT = r"""
(function(){
  function key(td){var s=td.getAttribute('data-sort');return s!==null?s:td.textContent.trim();}
  function cmp(a,b){var x=parseFloat(a),y=parseFloat(b);
    if(!isNaN(x)&&!isNaN(y)&&String(x)===a&&String(y)===b){return x-y;}return a.localeCompare(b);}
  document.querySelectorAll('table.sortable').forEach(function(table){
    table.querySelectorAll('thead th').forEach(function(th,col){
      th.addEventListener('click',function(){
        var body=table.tBodies[0],rows=Array.prototype.slice.call(body.rows);
        var desc=th.classList.contains('sorted-asc');
        table.querySelectorAll('thead th').forEach(function(h){h.classList.remove('sorted-asc','sorted-desc');});
        th.classList.add(desc?'sorted-desc':'sorted-asc');
        rows.sort(function(r1,r2){var c=cmp(key(r1.cells[col]),key(r2.cells[col]));return desc?-c:c;});
        rows.forEach(function(r){body.appendChild(r);});
      });
    });
  });
  // A link can open a sorted view: #sort=<table id>:<column>[:desc], e.g. #sort=findings:0:desc
  var m=/^#sort=([a-z]+):(\d+)(:desc)?$/.exec(location.hash);
  if(m){var t=document.getElementById(m[1]);if(t){var h=t.querySelectorAll('thead th')[+m[2]];
    if(h){h.click();if(m[3]){h.click();}}}}
})();
"""


def _sev_class(severity):
    return "sev-" + (severity if severity in _RANK else "none")


def _totals(report):
    parts = []
    for state in ("ok",) + SEVERITIES + ("failed", "unreachable"):
        count = report["summary"]["states"].get(state, 0)
        if count:
            parts.append('<span class="%s">%d %s</span>' % (_sev_class(state), count, escape(state)))
    return "".join(parts)


def _gate(report):
    g = report["gate"]
    if g["fail_on"] == "none":
        return '<span class="badge sev-none">gate disabled</span>'
    css = "gate-fail" if g["failed"] else "gate-pass"
    text = "gate FAIL: %d findings at or above %s" % (g["count"], g["fail_on"]) if g["failed"] else \
        "gate pass (fail_on: %s)" % g["fail_on"]
    return '<span class="badge %s" id="gate" data-failed="%s">%s</span>' % (css, str(g["failed"]).lower(), escape(text))


def _matrix(report):
    columns = report["columns"]
    # endpoint labels are long URLs: vertical headers keep a fleet-wide matrix readable
    head = "".join("<th>%s</th>" % c for c in ("host", "state")) + "".join(
        '<th class="endpoint" title="%s">%s</th>' % (escape(c, True), escape(c)) for c in columns)
    rows = []
    for host in report["hosts"]:
        cells = ['<td data-sort="%s">%s</td>' % (escape(host["name"]), escape(host["name"])),
                 '<td class="cell %s" data-sort="%d">%s</td>' % (_sev_class(host["state"]), _RANK.get(host["state"], 0),
                                                                 escape(host["state"]))]
        row = report["matrix"].get(host["name"], {})
        for column in columns:
            cell = row.get(column)
            if cell is None:
                cells.append('<td class="cell sev-none" data-host="%s" data-endpoint="%s" data-code="" data-severity="none"'
                             ' data-sort="-1">&mdash;</td>' % (escape(host["name"], True), escape(column, True)))
                continue
            title = " ".join(x for x in (cell.get("url"), "via " + cell["via"] if cell.get("via") else None,
                                         "failed at " + cell["phase"] if cell.get("phase") else None,
                                         "%.3fs" % cell["seconds"] if cell.get("seconds") is not None else None) if x)
            cells.append('<td class="cell %s" data-host="%s" data-endpoint="%s" data-code="%s" data-severity="%s" '
                         'data-sort="%d" title="%s">%s</td>'
                         % (_sev_class(cell["severity"]), escape(host["name"], True), escape(column, True),
                            escape(cell["code"], True), escape(cell["severity"], True), _RANK.get(cell["severity"], 0),
                            escape(title, True), escape(cell["code"])))
        rows.append('<tr data-host="%s">%s</tr>' % (escape(host["name"], True), "".join(cells)))
    return ('<table class="sortable" id="matrix"><thead><tr>%s</tr></thead><tbody>%s</tbody></table>'
            % (head, "\n".join(rows)))


def _findings(report):
    head = "".join("<th>%s</th>" % h for h in ("severity", "host", "users", "code", "cause", "fix"))
    rows = []
    for f in report["findings"]:
        rows.append('<tr data-code="%s"><td class="cell %s" data-sort="%d">%s</td><td>%s</td><td>%s</td>'
                    '<td><code>%s</code></td><td class="cause">%s</td><td class="fix">%s</td></tr>'
                    % (escape(f["code"], True), _sev_class(f["severity"]), _RANK[f["severity"]], escape(f["severity"]),
                       escape(f["host"]), escape(", ".join(f.get("users") or [])), escape(f["code"]),
                       escape(f["cause"]), escape(f["fix"])))
    if not rows:
        return "<p>No findings.</p>"
    return ('<table class="sortable" id="findings"><thead><tr>%s</tr></thead><tbody>%s</tbody></table>'
            % (head, "\n".join(rows)))


def render(report):
    legend = "".join('<span class="badge %s">%s</span>' % (_sev_class(s), s)
                     for s in ("ok",) + SEVERITIES + ("unreachable",))
    return """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{title}</title><style>{style}</style></head>
<body>
<h1>{title}</h1>
<div class="meta">Generated {generated} &middot; {hosts} hosts &middot; report format {version}</div>
<div class="totals">{totals} {gate}</div>
<h2>Hosts &times; endpoints</h2>
<p class="legend">{legend} Click a column to sort; hover a cell for the URL, route and timing.</p>
{matrix}
<h2>Findings</h2>
{findings}
<script>{script}</script>
</body></html>
""".format(title=escape(report["title"]), style=_STYLE, generated=escape(report["generated"]),
           hosts=report["summary"]["hosts"], version=report["version"], totals=_totals(report), gate=_gate(report),
           legend=legend, matrix=_matrix(report), findings=_findings(report), script=_SCRIPT)
