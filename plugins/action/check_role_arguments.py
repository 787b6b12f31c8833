# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""check_role_arguments: every host's variables of the calling role against its argument spec, in one task in
the controller's process (options and results: plugins/modules/check_role_arguments.py).

Each host's variables are what that host's task would see (Ansible's variable manager with this play, host and
task: inventory, facts, play vars, the role's defaults, extra vars), templated with them. The checking itself is
module_utils/_common/role_arguments.py.
"""

from __future__ import annotations

from ansible.errors import AnsibleActionFail, AnsibleError
from ansible.plugins.action import ActionBase

from ansible_collections.gomod.proxy.plugins.module_utils._common.role_arguments import (
    ARGUMENT_SPEC, check_hosts, error_message)


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False  # ansible-core 2.17+: no connection is opened for this action

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp  # not used: nothing is copied anywhere
        task_vars = task_vars or {}
        _validation, params = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        role = self._task._role
        if role is None:
            raise AnsibleActionFail("check_role_arguments: runs among a role's tasks; it checks that role's variables")
        options = self._options(role, params["entry_point"])
        hosts = params["hosts"] if params["hosts"] is not None else list(task_vars.get("ansible_play_batch") or [])
        values, failures = {}, {}
        for name in hosts:
            values[name], failures[name] = self._host_values(name, options, task_vars)
        errors = check_hosts(options, values, failures)
        result.update(changed=False, hosts_checked=len(hosts), argument_errors=errors)
        if errors:
            result.update(failed=True, msg=error_message(role.get_name(), params["entry_point"], errors, len(hosts)))
        else:
            result["msg"] = "%d host(s) pass the argument spec of %s" % (len(hosts), role.get_name())
        return result

    def _options(self, role, entry_point):
        # Role._get_role_argspecs reads meta/argument_specs.yml, else the argument_specs of meta/main.yml, as
        # Ansible's own check does.
        specs = role._get_role_argspecs()  # pylint: disable=protected-access
        if entry_point not in specs:
            raise AnsibleActionFail("check_role_arguments: entry_point: %s has no argument spec entry point %r (it has: %s)"
                                    % (role.get_name(), entry_point, ", ".join(sorted(specs)) or "none"))
        return specs[entry_point].get("options") or {}

    def _host_values(self, name, options, task_vars):
        """The role's variables as the task on host `name` would see them: ({var: value}, {var: templating error})."""
        manager = self._task._variable_manager  # pylint: disable=protected-access
        host = manager._inventory.get_host(name)  # pylint: disable=protected-access
        if host is None:
            raise AnsibleActionFail("check_role_arguments: hosts: %s is not in the inventory" % name)
        host_vars = manager.get_vars(play=self._task.get_play(), host=host, task=self._task,
                                     _hosts=task_vars.get("ansible_play_hosts"),
                                     _hosts_all=task_vars.get("ansible_play_hosts_all"))
        templar = self._templar.copy_with_new_env(available_variables=host_vars)
        values, failures = {}, {}
        for option in options:
            if option not in host_vars:
                continue
            try:
                values[option] = templar.template(host_vars[option])
            except AnsibleError as e:
                failures[option] = str(e).splitlines()[0] if str(e) else type(e).__name__
        return values, failures
