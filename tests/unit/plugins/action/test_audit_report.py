"""The audit_report action plugin: the report is built and written in the controller's process (no module is
executed), check mode writes nothing, deprecated variables become deprecations, bad options are refused."""

import copy
import json
from unittest import mock

import pytest
from ansible.errors import AnsibleError

from ansible_collections.gomod.proxy.plugins.action.audit_report import ActionModule
from ansible_collections.gomod.proxy.plugins.module_utils._probe.findings import finding

HOST = {"changed": False, "ansible_facts": {"goproxy_probe": {
    "version": 1, "probe": {}, "endpoints": [], "findings": [], "users": [],
    "summary": {"state": "ok", "worst": None, "counts": {}, "endpoints": 0, "users": 1, "seconds": 0.1}}}}


class RawHostVars(object):
    """What the action reads of Ansible's HostVars: raw_get(host) -> that host's variables, untemplated."""

    def __init__(self, by_host):
        self.by_host = by_host
        self.asked = []

    def raw_get(self, host):
        self.asked.append(host)
        return self.by_host[host]


def _run(args, check_mode=False, task_vars=None):
    task = mock.MagicMock()
    task.args = copy.deepcopy(args)
    task.check_mode = check_mode
    task.async_val = 0
    action = ActionModule(task, mock.MagicMock(), mock.MagicMock(), loader=None, templar=None, shared_loader_obj=None)
    with mock.patch.object(ActionModule, "_execute_module", side_effect=AssertionError("a module was executed")):
        return action.run(task_vars=task_vars or {})


def test_writes_the_report_in_process(tmp_path):
    result = _run({"results": {"b01": HOST}, "dest": str(tmp_path), "fail_on": "warning"})
    assert result["changed"] and result["gate"] == {"fail_on": "warning", "failed": False, "count": 0, "offenders": []}
    with open(result["files"]["json"]) as f:
        assert [h["name"] for h in json.load(f)["hosts"]] == ["b01"]
    assert "deprecations" not in result
    assert not _run({"results": {"b01": HOST}, "dest": str(tmp_path), "fail_on": "warning"})["changed"]


def test_check_mode_writes_nothing(tmp_path):
    result = _run({"results": {"b01": HOST}, "dest": str(tmp_path / "r")}, check_mode=True)
    assert result["changed"] and not (tmp_path / "r").exists()


def test_deprecated_variables_become_deprecations(tmp_path):
    result = _run({"results": {}, "dest": str(tmp_path), "deprecated_variables": {"diagnose_users": "audit_users"}})
    assert result["deprecations"] == [{"msg": "The variable diagnose_users is deprecated; set audit_users instead.",
                                       "version": "1.0.0", "collection_name": "gomod.proxy"}]


def test_bad_options_are_refused(tmp_path):
    with pytest.raises(AnsibleError) as e:
        _run({"results": {}, "dest": str(tmp_path), "fail_on": "eror"})
    assert "fail_on" in str(e.value)


def test_results_var_reads_every_play_host_as_registered(tmp_path):
    stored = copy.deepcopy(HOST)
    stored["ansible_facts"]["goproxy_probe"]["findings"] = [finding("sumdb_off", user="builder", origin_text="go env file")]
    registered = copy.deepcopy(stored)
    hostvars = RawHostVars({"b01": {"audit_probe": stored}, "b02": {"other": 1}})
    result = _run({"results_var": "audit_probe", "dest": str(tmp_path), "fail_on": "warning"},
                  task_vars={"hostvars": hostvars, "ansible_play_hosts_all": ["b01", "b02"]})
    assert hostvars.asked == ["b01", "b02"]
    # b02 registered nothing: a probe_failed finding, so the gate never passes a host it did not see
    assert result["gate"]["offenders"] == ["b01: sumdb_off", "b02: probe_failed"]
    with open(result["files"]["json"]) as f:
        assert [h["state"] for h in json.load(f)["hosts"]] == ["ok", "failed"]
    # the registered variable itself is left as it was (the report copies the findings it names hosts in)
    assert stored == registered


def test_results_and_results_var_exclude_each_other(tmp_path):
    with pytest.raises(AnsibleError) as e:
        _run({"results": {}, "results_var": "audit_probe", "dest": str(tmp_path)})
    assert "results" in str(e.value) and "results_var" in str(e.value)
    with pytest.raises(AnsibleError) as e:
        _run({"dest": str(tmp_path)})
    assert "results" in str(e.value)
