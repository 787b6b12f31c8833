"""Check every inventory's role variables against the roles' meta/argument_specs.yml.

dev, staging and prod cannot run here, so a misspelt variable (silently ignored by Ansible) or a wrong
type would only show on the real fleet. For each host of each inventory, the variables named like a
role's prefix (athens_*, go_client_*, audit_*) are validated with Ansible's own ArgumentSpecValidator: unknown
names, types, choices. Values that are still Jinja templates (vault references, computed values) are
checked for their name only.

Usage: python tools/check-inventories.py inventories/*/
"""

import json
import os
import subprocess
import sys

import yaml
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROLES = {"athens_": "athens", "go_client_": "go_client", "audit_": "audit", "goproxy_lb_": "goproxy_lb"}


def role_options(role):
    with open(os.path.join(REPO, "roles", role, "meta", "argument_specs.yml"), encoding="utf-8") as f:
        return yaml.safe_load(f)["argument_specs"]["main"]["options"]


def inventory_hosts(inventory):
    out = subprocess.run(["ansible-inventory", "-i", inventory, "--list"], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    data = json.loads(out)
    return data.get("_meta", {}).get("hostvars", {})


def is_template(value):
    if isinstance(value, str):
        return "{{" in value or "{%" in value
    if isinstance(value, list):
        return any(is_template(v) for v in value)
    if isinstance(value, dict):
        return any(is_template(v) for v in value.values())
    return False


def check_host(inventory, host, hostvars, specs):
    errors = []
    for prefix, role in ROLES.items():
        options = specs[role]
        given = {k: v for k, v in hostvars.items() if k.startswith(prefix)}
        for name in sorted(set(given) - set(options)):
            errors.append("%s %s: %s is not a variable of role %s" % (inventory, host, name, role))
        concrete = {k: v for k, v in given.items() if k in options and not is_template(v)}
        spec = {k: dict(options[k], required=False) for k in concrete}
        for opt in spec.values():
            opt.pop("default", None)
            opt.pop("description", None)
            for sub in (opt.get("options") or {}).values():
                sub.pop("description", None)
        result = ArgumentSpecValidator(spec).validate(concrete)
        for message in result.error_messages:
            errors.append("%s %s: %s" % (inventory, host, message))
    return errors


def main(inventories):
    specs = {role: role_options(role) for role in ROLES.values()}
    errors = []
    hosts_checked = 0
    for inventory in inventories:
        for host, hostvars in sorted(inventory_hosts(inventory).items()):
            hosts_checked += 1
            errors += check_host(inventory.rstrip("/"), host, hostvars, specs)
    for e in errors:
        print(e, file=sys.stderr)
    print("inventories: %d host(s) in %d inventories checked, %d problem(s)" % (hosts_checked, len(inventories), len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
