#!/usr/bin/python
# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: audit_report
short_description: Write the fleet report of goproxy_probe results as JSON, Markdown and HTML
version_added: 0.1.0
description:
  - Folds the registered results of M(gomod.proxy.goproxy_probe) from many hosts into one report. The report has a
    hosts by endpoints matrix, every finding with its cause and fix, per-host states and a CI gate verdict.
  - Writes it as JSON, as Markdown and as one self-contained HTML page. The HTML page has a colour per state,
    sortable columns and no external assets.
  - Meant to run once on the controller (C(delegate_to=localhost), C(run_once=true)), as the
    P(gomod.proxy.audit#role) role does.
  - A host whose result says unreachable becomes a C(host_unreachable) finding. A host without a probe result
    becomes a C(probe_failed) finding. So the gate never passes a fleet it did not see.
  - Files are rewritten only when the report changed (the generation time aside).
author:
  - gomod.proxy contributors (@gomod-proxy)
extends_documentation_fragment:
  - gomod.proxy.attributes
attributes:
  check_mode:
    support: full
    details:
      - In check mode nothing is written, and C(changed) says whether the files would change.
  diff_mode:
    support: none
  idempotent:
    support: full
    details:
      - Files are not rewritten when only the generation time would differ.
options:
  results:
    description:
      - Registered M(gomod.proxy.goproxy_probe) results by host name, for example built with
        C(dict(ansible_play_hosts_all | zip(ansible_play_hosts_all | map('extract', hostvars, 'probe')))).
      - A result may be missing or say C(unreachable=true).
    type: dict
    required: true
  dest:
    description:
      - Directory for the report files; created when missing.
    type: path
    required: true
  basename:
    description:
      - File name without extension; the files are C(<basename>.json), C(.md) and C(.html).
    type: str
    default: goproxy-audit
  formats:
    description:
      - Which files to write.
    type: list
    elements: str
    choices: [json, markdown, html]
    default: [json, markdown, html]
  fail_on:
    description:
      - Severity at or above which a finding makes RV(gate.failed) true. V(none) never fails.
      - The module itself never fails on findings; the playbook decides (see C(audit_fail_on) of the
        P(gomod.proxy.audit#role) role).
    type: str
    choices: [none, info, warning, error, critical]
    default: error
  title:
    description:
      - Title of the Markdown and HTML reports.
    type: str
    default: Go module download audit
  deprecated_variables:
    description:
      - Deprecated variables the calling role still honours, each mapped to its new name, for example
        C(diagnose_users) to C(audit_users). Each gives one deprecation warning naming the replacement.
      - The P(gomod.proxy.audit#role) role passes the C(diagnose_*) names a run still sets.
    type: dict
    default: {}
seealso:
  - module: gomod.proxy.goproxy_probe
"""

EXAMPLES = r"""
- name: Write the fleet report on the controller
  gomod.proxy.audit_report:
    results: "{{ dict(ansible_play_hosts_all | zip(ansible_play_hosts_all | map('extract', hostvars, 'audit_probe'))) }}"
    dest: "{{ playbook_dir }}/reports"
    fail_on: error
  delegate_to: localhost
  run_once: true
  register: audit_report

- name: Fail the CI job when the gate fails
  ansible.builtin.fail:
    msg: "{{ audit_report.gate.offenders }}"
  when: audit_report.gate.failed
  run_once: true
"""

RETURN = r"""
files:
  description: Paths of the report files by format.
  returned: always
  type: dict
  sample: {json: /srv/ci/reports/goproxy-audit.json, markdown: /srv/ci/reports/goproxy-audit.md, html: /srv/ci/reports/goproxy-audit.html}
summary:
  description: Hosts per state and findings per severity.
  returned: always
  type: dict
  sample: {hosts: 30, states: {ok: 28, error: 1, unreachable: 1}, findings: {info: 0, warning: 2, error: 3, critical: 1}}
gate:
  description: The CI verdict for O(fail_on).
  returned: always
  type: dict
  sample: {fail_on: error, failed: true, count: 4, offenders: ["builder-07: tcp_timeout", "builder-12: host_unreachable"]}
  contains:
    fail_on:
      description: The threshold applied.
      type: str
      sample: error
    failed:
      description: Whether findings at or above O(fail_on) exist (always false for V(none)).
      type: bool
      sample: true
    count:
      description: How many findings are at or above O(fail_on).
      type: int
      sample: 4
    offenders:
      description: "The distinct C(host: code) pairs of those findings."
      type: list
      elements: str
      sample: ["builder-07: tcp_timeout"]
summary_lines:
  description: A short text summary for the terminal.
  returned: always
  type: list
  elements: str
  sample: ["30 hosts audited: 1 error, 28 ok, 1 unreachable", "gate: FAIL (4 findings at or above error)"]
"""

import json
import os
import tempfile

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.gomod.proxy.plugins.module_utils._report import html as report_html, markdown as report_markdown, model as report_model

_EXTENSIONS = {"json": "json", "markdown": "md", "html": "html"}


def _same_report(path, report):
    """True when the JSON at path holds this report apart from its generation time."""
    try:
        with open(path, encoding="utf-8") as f:
            old = json.load(f)
    except (EnvironmentError, ValueError):
        return False
    old.pop("generated", None)
    new = dict(report)
    new.pop("generated", None)
    return old == json.loads(json.dumps(new))


def _write(module, path, text):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".audit-")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(tmp, 0o644)
    module.atomic_move(tmp, path)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            results=dict(type="dict", required=True),
            dest=dict(type="path", required=True),
            basename=dict(type="str", default="goproxy-audit"),
            formats=dict(type="list", elements="str", choices=["json", "markdown", "html"],
                         default=["json", "markdown", "html"]),
            fail_on=dict(type="str", choices=list(report_model.GATE_LEVELS), default="error"),
            title=dict(type="str", default="Go module download audit"),
            deprecated_variables=dict(type="dict", default={}),
        ),
        supports_check_mode=True,
    )
    p = module.params
    for old, new in sorted(p["deprecated_variables"].items()):
        module.deprecate("The variable %s is deprecated; set %s instead." % (old, new), version="1.0.0",
                         collection_name="gomod.proxy")
    report = report_model.build(p["results"], fail_on=p["fail_on"], title=p["title"])
    files = dict((fmt, os.path.join(p["dest"], "%s.%s" % (p["basename"], _EXTENSIONS[fmt]))) for fmt in p["formats"])
    changed = not (all(os.path.exists(path) for path in files.values())
                   and _same_report(os.path.join(p["dest"], p["basename"] + ".json"), report))
    if changed and not module.check_mode:
        if not os.path.isdir(p["dest"]):
            os.makedirs(p["dest"])
        renderers = {"json": lambda r: json.dumps(r, indent=1, sort_keys=True) + "\n",
                     "markdown": report_markdown.render, "html": report_html.render}
        for fmt, path in files.items():
            _write(module, path, renderers[fmt](report))
    module.exit_json(changed=changed, files=files, summary=report["summary"], gate=report["gate"],
                     summary_lines=report_model.summary_lines(report))


if __name__ == "__main__":
    main()
