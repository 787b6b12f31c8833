"""Fail when a role's defaults/main.yml and meta/argument_specs.yml disagree.

For the ``main`` entry point of each role given: every default has an option of the same name, the
option's ``default`` equals the default's value, and the option's ``type`` fits the value; every
option with a default appears in defaults/main.yml. (prometheus.prometheus compares names only;
a stale default or a wrong type is the more common bug.)

Usage: check-argument-specs.py ROLE_DIR...
"""

import os
import re
import sys

import yaml

# A default that falls back from a renamed (deprecated) variable: `{{ old_name | default(LITERAL) }}`.
# It documents LITERAL, which the option's default and type must match.
RENAMED = re.compile(r"^\{\{\s*[a-z_][a-z0-9_]*\s*\|\s*default\((.*)\)\s*\}\}$", re.S)

TYPE_CHECKS = {
    "str": lambda v: isinstance(v, str),
    "path": lambda v: isinstance(v, str),
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "bool": lambda v: isinstance(v, bool),
    "list": lambda v: isinstance(v, list),
    "dict": lambda v: isinstance(v, dict),
    "raw": lambda v: True,
}


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f) or {}


def documented_default(value):
    """The value a default documents: the literal fallback of a renamed variable, else the value itself."""
    match = RENAMED.match(value) if isinstance(value, str) else None
    if match:
        try:
            return yaml.safe_load(match.group(1))
        except yaml.YAMLError:
            return value  # a computed fallback (lookup, filters): documented as the expression itself
    return value


def check_role(role_dir):
    errors = []
    name = os.path.basename(os.path.normpath(role_dir))
    defaults_path = os.path.join(role_dir, "defaults", "main.yml")
    specs_path = os.path.join(role_dir, "meta", "argument_specs.yml")
    if not os.path.exists(specs_path):
        return ["%s: no meta/argument_specs.yml" % name]
    defaults = load(defaults_path) if os.path.exists(defaults_path) else {}
    entry = (load(specs_path).get("argument_specs") or {}).get("main")
    if entry is None:
        return ["%s: argument_specs has no 'main' entry point" % name]
    options = entry.get("options") or {}
    for key, value in defaults.items():
        spec = options.get(key)
        if spec is None:
            errors.append("%s: default %s has no option in argument_specs" % (name, key))
            continue
        value = documented_default(value)
        if "default" not in spec:
            errors.append("%s: option %s has no default, defaults/main.yml sets %r" % (name, key, value))
        elif spec["default"] != value:
            errors.append("%s: option %s default %r != defaults/main.yml %r" % (name, key, spec["default"], value))
        typ = spec.get("type", "str")
        if value is not None and not TYPE_CHECKS.get(typ, lambda v: False)(value):
            errors.append("%s: option %s type %s does not fit default %r" % (name, key, typ, value))
    for key, spec in options.items():
        if "default" in spec and key not in defaults:
            errors.append("%s: option %s has a default but is missing from defaults/main.yml" % (name, key))
        if "type" not in spec:
            errors.append("%s: option %s has no type" % (name, key))
        if "description" not in spec:
            errors.append("%s: option %s has no description" % (name, key))
    return errors


def main(argv):
    roles = [r for r in argv if os.path.isdir(r)]
    errors = []
    for role in roles:
        errors += check_role(role)
    for e in errors:
        print(e, file=sys.stderr)
    print("argument_specs: %d role(s) checked, %d problem(s)" % (len(roles), len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
