"""_common.role_arguments: many hosts' role variables checked against one argument spec, hosts failing alike
named together, each message naming the variable and its value (never a no_log value)."""

from pathlib import Path

import yaml

from ansible_collections.gomod.proxy.plugins.module_utils._common.role_arguments import check_hosts, error_message

REPO = Path(__file__).resolve().parents[5]
OPTIONS = {
    "audit_timeout": {"type": "float", "default": 5},
    "audit_fail_on": {"type": "str", "choices": ["none", "error", "critical"], "default": "error"},
    "audit_users": {"type": "list", "elements": "str", "default": []},
    "audit_token": {"type": "int", "no_log": True, "default": 0},
}


class Tagged(str):
    """Stands in for ansible-core 2.19's tagged strings: a str subclass."""


def test_good_values_of_every_host_pass():
    values = {"b1": {"audit_timeout": 3, "audit_users": ["builder"]}, "b2": {"audit_fail_on": "none"}, "b3": {}}
    assert check_hosts(OPTIONS, values) == {}


def test_only_the_role_options_are_checked():
    # every host variable comes along (inventory, facts); those the spec does not name are not the role's
    assert check_hosts(OPTIONS, {"b1": {"ansible_host": "10.0.0.1", "other_role_timeout": "soon"}}) == {}


def test_each_failing_host_names_the_variable_and_value():
    values = {"b1": {"audit_timeout": "soon"}, "b2": {"audit_timeout": 2}, "b3": {"audit_fail_on": "bogus"}}
    errors = check_hosts(OPTIONS, values)
    assert list(errors) == ["b1", "b3"]
    assert "audit_timeout" in errors["b1"][0] and "'soon'" in errors["b1"][0]
    assert errors["b3"] == ["value of audit_fail_on must be one of: none, error, critical, got: bogus"]


def test_tagged_strings_are_checked_by_value():
    errors = check_hosts(OPTIONS, {"b1": {"audit_timeout": Tagged("soon")}, "b2": {"audit_timeout": Tagged("2.5")}})
    assert list(errors) == ["b1"]
    assert "Tagged" not in errors["b1"][0] and "'soon'" in errors["b1"][0]


def test_a_no_log_value_is_never_shown():
    errors = check_hosts(OPTIONS, {"b1": {"audit_token": "s3cr3t-value"}})
    assert errors["b1"] and "s3cr3t-value" not in " ".join(errors["b1"])


def test_templating_failures_are_errors_of_that_host():
    errors = check_hosts(OPTIONS, {"b1": {}, "b2": {}}, {"b2": {"audit_users": "'nope' is undefined"}})
    assert errors == {"b2": ["audit_users: cannot be templated: 'nope' is undefined"]}


def test_message_groups_hosts_that_fail_alike():
    values = dict(("b%02d" % i, {"audit_timeout": "soon"}) for i in range(12))
    values["odd"] = {"audit_fail_on": "bogus"}
    text = error_message("gomod.proxy.audit", "main", check_hosts(OPTIONS, values), 40)
    lines = text.splitlines()
    assert lines[0] == ("gomod.proxy.audit: the variables of 13 of 40 host(s) fail the role's argument spec"
                        " (entry point main):")
    assert lines[1] == "  b00, b01, b02, b03, b04, b05, b06, b07, b08, b09 and 2 more:"
    assert "'soon'" in lines[2]
    assert lines[3:] == ["  odd:", "    value of audit_fail_on must be one of: none, error, critical, got: bogus"]


def test_the_audit_role_spec_accepts_its_own_defaults():
    """The check the audit role runs, on the role's real spec and defaults: what a fleet without overrides sees."""
    spec = yaml.safe_load((REPO / "roles/audit/meta/argument_specs.yml").read_text())["argument_specs"]["main"]["options"]
    defaults = dict((name, option["default"]) for name, option in spec.items() if "default" in option)
    assert check_hosts(spec, {"b1": defaults}) == {}
    assert list(check_hosts(spec, {"b1": dict(defaults, audit_timeout="soon")})) == ["b1"]
