# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A role's variables of many hosts checked against its argument spec in one pass (check_role_arguments).

Ansible's own check, prepended to a role that has meta/argument_specs.yml, is one task on every host: a worker
process and a result per host, a pass over the whole fleet for a check that needs no host. Here the controller
holds every host's values and checks them all at once with the same validator; hosts that fail alike (a bad
value in group_vars/all) are named together under one message.
"""

from __future__ import annotations

import re

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values

# check_role_arguments' own options: the action plugin validates with them, the module (its documentation's
# twin) declares them.
ARGUMENT_SPEC = dict(
    entry_point=dict(type="str", default="main"),
    hosts=dict(type="list", elements="str"),
)


def check_hosts(options, values_by_host, failures_by_host=None):
    """Check each host's values against ``options`` (an entry point's ``options``, as in meta/argument_specs.yml).

    ``values_by_host``: {host: {variable: value}}, the variables that host defines, templated.
    ``failures_by_host``: {host: {variable: reason}}, variables whose value could not be templated.
    Returns {host: [message, ...]} for the hosts with errors, in the order of ``values_by_host``.
    """
    failures_by_host = failures_by_host or {}
    validator = ArgumentSpecValidator(options)
    errors = {}
    for host, values in values_by_host.items():
        messages = ["%s: cannot be templated: %s" % (name, reason)
                    for name, reason in sorted(failures_by_host.get(host, {}).items())]
        wanted = dict((name, _plain(value)) for name, value in values.items() if name in options)
        secrets = _no_log_strings(options, wanted)
        messages += [remove_values(_with_value(message, wanted, options), secrets)
                     for message in validator.validate(wanted, validate_role_argument_spec=True).error_messages]
        if messages:
            errors[host] = messages
    return errors


def _plain(value):
    """The value with plain Python types: templated values may be subclasses (ansible-core 2.19 tags them), which
    the type checks then describe by their class instead of their value."""
    if isinstance(value, dict):
        return dict((_plain(k), _plain(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    for plain in (str, int, float):
        if isinstance(value, plain):
            return plain(value)
    return value


def _no_log_strings(options, values):
    """Every string form of the values of no_log options: the validator's own messages may quote them."""
    found = set()

    def walk(value):
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif value not in (None, ""):
            found.add(str(value))
    for name, value in values.items():
        if (options.get(name) or {}).get("no_log"):
            walk(value)
    return found


def _with_value(message, values, options):
    """The validator's message, with the value of the variable it names (a type error does not show it); never
    the value of a no_log option."""
    named = [name for name in values if re.search(r"(^|[^\w])%s([^\w]|$)" % re.escape(name), message)]
    if len(named) != 1 or (options.get(named[0]) or {}).get("no_log"):
        return message
    value = values[named[0]]
    if repr(value) in message or "got: %s" % (value,) in message:
        return message
    return "%s (%s: %r)" % (message, named[0], value)


def error_message(role, entry_point, errors, checked):
    """One message for every failing host: hosts with the same errors are named together."""
    groups = {}
    for host, messages in errors.items():
        groups.setdefault(tuple(messages), []).append(host)
    lines = ["%s: the variables of %d of %d host(s) fail the role's argument spec (entry point %s):"
             % (role, len(errors), checked, entry_point)]
    for messages, hosts in groups.items():
        lines.append("  %s:" % _host_list(hosts))
        lines += ["    %s" % message for message in messages]
    return "\n".join(lines)


def _host_list(hosts, shown=10):
    if len(hosts) <= shown:
        return ", ".join(hosts)
    return "%s and %d more" % (", ".join(hosts[:shown]), len(hosts) - shown)
