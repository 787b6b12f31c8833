# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""go_env: plan a change to a user's go env file the way `go env -w` then `go env -u` would, and apply it.

Everything runs with the user's credentials (``_common.safe_file.run_as``): the OS environment files, the
env file and its directories are read and written with exactly the user's rights.

Deliberate differences from Go, each documented in the module:
* ``unset`` on a missing file is "nothing to do" (Go: "no such file or directory" error).
* GOENV=off in the user's OS environment is an error (Go silently writes the default file).
* Go's start-up checks on an already broken environment (relative GOPATH entry, missing GOROOT,
  invalid GOTOOLCHAIN in the file) are not applied, so the module can repair what Go cannot.
* Writes are atomic and skipped when the bytes would not change (Go always rewrites in place).
"""

from __future__ import annotations

from ansible_collections.gomod.proxy.plugins.module_utils._common.errors import GoEnvError
from ansible_collections.gomod.proxy.plugins.module_utils._common.safe_file import run_as, write_bytes
from ansible_collections.gomod.proxy.plugins.module_utils._common.text import display, to_text
from ansible_collections.gomod.proxy.plugins.module_utils._goenv import context as goenv_context, file as goenv_file
from ansible_collections.gomod.proxy.plugins.module_utils._goenv.strict import check_strict
from ansible_collections.gomod.proxy.plugins.module_utils._goenv.user import lookup
from ansible_collections.gomod.proxy.plugins.module_utils._goenv.validate import check_unset, check_write, os_env_conflicts


def normalize_settings(settings):
    """The settings dict as a list of (key, str value). YAML turns `on`/`off` into booleans, which
    would silently become "True"/"False": reject them with a hint instead."""
    pairs = []
    for key, value in (settings or {}).items():
        key = str(key)
        if isinstance(value, bool):
            raise GoEnvError(key, value, "settings.%s: value %r is a YAML boolean; quote it (for example '%s')"
                             % (key, value, "on" if value else "off"))
        if value is None:
            raise GoEnvError(key, value, "settings.%s: value is null; use unset to remove a key" % key)
        if isinstance(value, (int, float)):
            value = str(value)
        if not isinstance(value, str):
            raise GoEnvError(key, value, "settings.%s: value must be a string, got %s" % (key, type(value).__name__))
        pairs.append((key, value))
    return pairs


def _override_entries(pairs, osenv):
    entries = []
    for key in os_env_conflicts(pairs, osenv.values()):
        origin = osenv.origin(key)
        entries.append({"key": key, "os_value": origin.value, "origin": origin.origin, "path": origin.path,
                        "line": origin.line, "text": origin.text, "value": dict(pairs)[key]})
    return entries


def plan_and_apply(request):
    """Runs as the user. ``request`` keys: home, env_file, settings (list of pairs), unset, exclusive,
    strict, go_binary, scan_os_env, check_mode, diff. Returns the module's result but ``user``
    (JSON-serialisable, every undecodable byte shown as ``\\xNN``)."""
    ctx = goenv_context.load(request["home"], request["env_file"], request["go_binary"], request["scan_os_env"])
    current, rules, os_env, path = ctx.data, ctx.rules, ctx.os_env, ctx.env_file

    pairs = [tuple(p) for p in request["settings"]]
    unset = list(request["unset"])
    both = sorted(set(key for key, value in pairs) & set(unset))
    if both:
        raise GoEnvError(both[0], None, "%s is both in settings and in unset" % ", ".join(both))

    # Validate everything before computing anything: like Go, a bad request touches nothing.
    new = current
    if pairs:
        check_write(pairs, rules, current or b"", ctx.goroot_env, os_env)
        if request["strict"]:
            for key, value in pairs:
                check_strict(key, value, rules)
        new = goenv_file.write(current, pairs)
    if unset:
        check_unset(unset, rules, new or b"", ctx.goroot_env, os_env)
    removed_by_exclusive = []
    if request["exclusive"] and new is not None:
        # Every line Go reads as a setting (first byte A-Z) that the policy does not name. They are
        # removed without the key-name checks: whatever Go would read must go, even junk like GOVERSION.
        wanted = set(key for key, value in pairs) | set(unset)
        removed_by_exclusive = sorted(k for k in goenv_file.parse(new) if k not in wanted)
    delete = unset + removed_by_exclusive
    if delete and new is not None:
        new = goenv_file.unset(new, delete)

    keys_before = goenv_file.parse(current) if current is not None else {}
    changed = new != current
    result = {
        "changed": changed,
        "env_file": path,
        "created": current is None and new is not None,
        "before": keys_before,
        "after": goenv_file.parse(new) if new is not None else {},
        "removed": sorted(set(k for k in delete if k in keys_before)),
        "go": ctx.go_dict(),
        "rules_version": ctx.rules_version,
        "rules_warning": ctx.rules_warning,
        "os_env_overrides": _override_entries(pairs, ctx.osenv),
    }
    if request["diff"]:
        result["diff"] = {"before": to_text(current or b""), "after": to_text(new or b""),
                          "before_header": path + (" (absent)" if result["created"] else ""), "after_header": path}
    if changed and not request["check_mode"]:
        try:
            write_bytes(path, new)
        except EnvironmentError as e:
            raise GoEnvError("env_file", path, "writing go env config: %s: %s (with the rights of the user)"
                             % (e.filename or path, e.strerror or e))
    return display(result)


def manage(user_name, env_file, settings, unset, exclusive, strict, go_binary, scan_os_env, check_mode, diff=False):
    """Plan and (unless check_mode) apply; returns go_env's result (RETURN), with the whole file before and
    after as ``diff`` when ``diff`` is true."""
    account = lookup(user_name)
    request = {
        "home": account.home,
        "env_file": env_file,
        "settings": normalize_settings(settings),
        "unset": [str(k) for k in (unset or [])],
        "exclusive": bool(exclusive),
        "strict": bool(strict),
        "go_binary": go_binary,
        "scan_os_env": bool(scan_os_env),
        "check_mode": bool(check_mode),
        "diff": bool(diff),
    }
    result = run_as(account, plan_and_apply, request)
    result["user"] = account.name
    return result
