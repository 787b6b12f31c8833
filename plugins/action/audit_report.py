# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""audit_report in the controller's own process: the report is the controller's output, built from results the
controller already holds, so nothing is sent to a host and no module process is started (that cost most of the
audit's time on the controller; docs/benchmarks.md). Options and results are the module's (plugins/modules)."""

from __future__ import annotations

from ansible.errors import AnsibleError
from ansible.plugins.action import ActionBase

from ansible_collections.gomod.proxy.plugins.module_utils._report.write import (
    ARGUMENT_RULES, ARGUMENT_SPEC, deprecation_messages, registered_results, write_report)


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False  # ansible-core 2.17+: no connection is opened for this action

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp  # not used: nothing is copied anywhere
        task_vars = task_vars or {}
        _validation, params = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC, **ARGUMENT_RULES)
        if params["results_var"] is not None:
            hostvars = task_vars.get("hostvars")
            if hostvars is None:
                raise AnsibleError("audit_report: results_var: %s: no hostvars to read it from" % params["results_var"])
            params["results"] = registered_results(task_vars.get("ansible_play_hosts_all") or [], hostvars.raw_get,
                                                   params["results_var"])
        try:
            result.update(write_report(params, check_mode=bool(self._task.check_mode)))
        except EnvironmentError as e:
            raise AnsibleError("audit_report: writing the report to %s: %s" % (params["dest"], e)) from e
        deprecations = [{"msg": message, "version": "1.0.0", "collection_name": "gomod.proxy"}
                        for message in deprecation_messages(params["deprecated_variables"])]
        if deprecations:
            result["deprecations"] = deprecations
        return result
