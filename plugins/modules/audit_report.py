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
  - Runs on the controller, in Ansible's own process (an action plugin, nothing is sent to any host), once
    per play (C(run_once=true)), as the P(gomod.proxy.audit#role) role does. O(dest) is a directory of the
    controller.
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
      - Exactly one of O(results) and O(results_var) is given. At fleet size prefer O(results_var), because an
        expression over C(hostvars) templates every host's whole result again, about 7 ms per host on the
        controller.
    type: dict
  results_var:
    description:
      - The name of the variable in which M(gomod.proxy.goproxy_probe) registered its result on each host, for
        example V(audit_probe). The report then covers every host of the play (C(ansible_play_hosts_all)).
      - Each host's result is read as it was registered, without templating it again (about 1 ms per host). A
        host of the play without it becomes a C(probe_failed) finding.
      - Read by the action plugin on the controller; running the module without it needs O(results).
    type: str
    version_added: 0.1.0
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
- name: Probe every host
  gomod.proxy.goproxy_probe:
    users: [builder]
  register: audit_probe
  ignore_unreachable: true
  failed_when: false

- name: Write the fleet report of every host of the play on the controller
  gomod.proxy.audit_report:
    results_var: audit_probe
    dest: "{{ playbook_dir }}/reports"
    fail_on: error
  run_once: true
  register: audit_report

- name: The same report from results picked by an expression (here the hosts of group builders only)
  gomod.proxy.audit_report:
    results: "{{ dict(groups['builders'] | zip(groups['builders'] | map('extract', hostvars, 'audit_probe'))) }}"
    dest: "{{ playbook_dir }}/reports/builders"
  run_once: true

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

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.gomod.proxy.plugins.module_utils._report.write import (
    ARGUMENT_RULES, ARGUMENT_SPEC, deprecation_messages, write_report)


def main():
    # The action plugin of the same name runs this work in the controller's process; this module is what a
    # run without that plugin (and the documentation) sees.
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True, **ARGUMENT_RULES)
    if module.params["results_var"] is not None:
        module.fail_json(msg="results_var: %s: the hosts' variables are read by the action plugin of the same name, "
                             "on the controller; without it, pass results" % module.params["results_var"])
    for message in deprecation_messages(module.params["deprecated_variables"]):
        module.deprecate(message, version="1.0.0", collection_name="gomod.proxy")
    module.exit_json(**write_report(module.params, module.check_mode))


if __name__ == "__main__":
    main()
