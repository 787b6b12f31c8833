#!/usr/bin/python
# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: check_role_arguments
short_description: Check the variables of every host of the play against the calling role's argument spec, once
version_added: 0.1.0
description:
  - Checks what Ansible's own role argument check checks (the role's C(meta/argument_specs.yml), or the
    C(argument_specs) of C(meta/main.yml)), for every host of the play batch, in one task on the controller.
  - Ansible's own check is one task on every host. That is a worker process and a result per host, a pass over
    the whole fleet. Use this action in a role's first task, with
    C(run_once=true), and import the role with C(rolespec_validate=false). The
    P(gomod.proxy.audit#role) role and the C(gomod.proxy.audit) playbook do this.
  - Each host's values are what that host's task would see (inventory, facts, play vars, the role's defaults,
    extra vars), templated. Hosts that fail alike are named together, each message naming the variable and
    its value.
  - Runs only as an action plugin in the controller's process; nothing is sent to any host.
author:
  - gomod.proxy contributors (@gomod-proxy)
extends_documentation_fragment:
  - gomod.proxy.attributes.info_module
options:
  entry_point:
    description:
      - The role's entry point whose argument spec applies.
    type: str
    default: main
  hosts:
    description:
      - Hosts to check. Default is the hosts of the play batch (C(ansible_play_batch)).
    type: list
    elements: str
notes:
  - Must be a task of the role whose variables it checks.
  - Set C(any_errors_fatal=true) on the task to stop the whole play on a bad value. A C(run_once) task
    otherwise fails only the host it ran on.
seealso:
  - module: ansible.builtin.validate_argument_spec
"""

EXAMPLES = r"""
# roles/<role>/tasks/main.yml: the first task
- name: Check the variables of every host against the role's argument spec
  gomod.proxy.check_role_arguments:
  run_once: true
  any_errors_fatal: true
  tags: [always]

# the playbook: the role without Ansible's own per-host check
- name: Audit Go module downloads
  hosts: builders
  gather_facts: false
  tasks:
    - name: Audit
      ansible.builtin.import_role:
        name: gomod.proxy.audit
        rolespec_validate: false
"""

RETURN = r"""
hosts_checked:
  description: How many hosts were checked.
  returned: always
  type: int
  sample: 30
argument_errors:
  description: The error messages by host, for the hosts whose variables fail the argument spec.
  returned: always
  type: dict
  sample: {"builder3": ["argument 'audit_timeout' is of type str and we were unable to convert to float: 'soon'"]}
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.gomod.proxy.plugins.module_utils._common.role_arguments import ARGUMENT_SPEC


def main():
    # The action plugin of the same name does the work: other hosts' variables exist only on the controller.
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    module.fail_json(msg="check_role_arguments runs as an action plugin on the controller; this module was run"
                         " without it (is the gomod.proxy collection's plugins/action directory installed?)")


if __name__ == "__main__":
    main()
