# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""go_env: plan a change to users' go env files the way `go env -w` then `go env -u` would, and apply it.

Everything runs with each user's credentials (``_common.safe_file.run_as``): the OS environment files, the
env file and its directories are read and written with exactly that user's rights.

Two phases, for one user (``manage``) as for many (``manage_users``): every user's change is planned first
(validation, the new bytes, whether the user may write them), each in a child with that user's rights; only
when every plan succeeded is anything written, each user's file again in a child of its own, and only if
the file still holds the bytes the plan read.

Deliberate differences from Go, each documented in the module:
* ``unset`` on a missing file is "nothing to do" (Go: "no such file or directory" error).
* GOENV=off in the user's OS environment is an error (Go silently writes the default file).
* Go's start-up checks on an already broken environment (relative GOPATH entry, missing GOROOT,
  invalid GOTOOLCHAIN in the file) are not applied, so the module can repair what Go cannot.
* Writes are atomic and skipped when the bytes would not change (Go always rewrites in place).
"""

from __future__ import annotations

import base64
import os

from ansible_collections.gomod.proxy.plugins.module_utils._common.errors import ChildError, GoEnvError, UsersError
from ansible_collections.gomod.proxy.plugins.module_utils._common.module_errors import describe_any
from ansible_collections.gomod.proxy.plugins.module_utils._common.safe_file import check_writable, run_as, write_bytes
from ansible_collections.gomod.proxy.plugins.module_utils._common.text import display, to_bytes, to_text
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


# What a dict in ``users`` may hold; see merge_user for how each one combines with the top-level options.
USER_KEYS = ("name", "settings", "unset", "exclusive", "env_file")
_TRUE = ("true", "yes", "on", "1", "y", "t")
_FALSE = ("false", "no", "off", "0", "n", "f")


def _bytes_out(data):
    return None if data is None else base64.b64encode(data).decode("ascii")


def _bytes_in(text):
    return None if text is None else base64.b64decode(text.encode("ascii"))


def _write_error(path, e):
    return GoEnvError("env_file", path, "writing go env config: %s: %s (with the rights of the user)"
                      % (e.filename or path, e.strerror or e))


def plan(request):
    """Runs as the user. ``request`` keys: home, env_file, settings (list of pairs), unset, exclusive,
    strict, go_binary, scan_os_env, diff. Writes nothing.

    Returns ``{"result": <the module's result but user>, "write": {path, current, new} (only when the bytes
    change; base64), "real": <the env file's path with links resolved>}``, JSON-serialisable, every
    undecodable byte of the result shown as ``\\xNN``. Raises GoEnvError for bad input, for an env file
    that cannot be read, and for a change the user could not write.
    """
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
    if changed:
        # Also in check mode, so that it predicts the real run: a file (or a link planted in its path) the
        # user cannot write fails here, before anything is written for anyone.
        try:
            check_writable(path)
        except EnvironmentError as e:
            raise _write_error(path, e)
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
    out = {"result": display(result), "real": display(os.path.realpath(path))}
    if changed:
        out["write"] = {"path": _bytes_out(to_bytes(path)), "current": _bytes_out(current), "new": _bytes_out(new)}
    return out


def apply(write):
    """Runs as the user: write the planned bytes, if the file still holds the bytes the plan read."""
    path = to_text(_bytes_in(write["path"]))
    if goenv_context.read_env_file(path) != _bytes_in(write["current"]):
        raise GoEnvError("env_file", path, "the file changed after go_env read it (another writer?); not written")
    try:
        write_bytes(path, _bytes_in(write["new"]))
    except EnvironmentError as e:
        raise _write_error(path, e)


def _request(home, env_file, pairs, unset, exclusive, strict, go_binary, scan_os_env, diff):
    return {"home": home, "env_file": env_file, "settings": pairs, "unset": unset, "exclusive": bool(exclusive),
            "strict": bool(strict), "go_binary": go_binary, "scan_os_env": bool(scan_os_env), "diff": bool(diff)}


def manage(user_name, env_file, settings, unset, exclusive, strict, go_binary, scan_os_env, check_mode, diff=False):
    """Plan and (unless check_mode) apply for one user; returns go_env's result (RETURN), with the whole file
    before and after as ``diff`` when ``diff`` is true."""
    account = lookup(user_name)
    request = _request(account.home, env_file, normalize_settings(settings), [str(k) for k in (unset or [])],
                       exclusive, strict, go_binary, scan_os_env, diff)
    planned = run_as(account, plan, request)
    if "write" in planned and not check_mode:
        run_as(account, apply, planned["write"])
    result = planned["result"]
    result["user"] = account.name
    return result


def _as_bool(value, where):
    if isinstance(value, bool):
        return value
    text = str(value).lower() if isinstance(value, (str, int)) else None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise GoEnvError(where, value, "%s: %r is not a boolean" % (where, value))


def merge_user(entry, settings, unset, exclusive, env_file):
    """One entry of ``users`` combined with the top-level options: (name, settings pairs, unset, exclusive,
    env_file). ``settings`` is the top-level dict (already checked), ``unset`` its list.

    A name alone takes the top-level options as they are. A dict (``name`` required, every other key
    optional) changes them for that user:
    * settings: merged key by key over the top-level settings. A value replaces the top-level one or adds
      the key; null removes the key from this user's settings (the user's own value is then left alone,
      unless exclusive removes it). Keys keep the top-level order, the user's new keys follow in theirs.
    * unset: added to the top-level unset. A key the user unsets leaves the user's inherited settings, and a
      key in the user's settings (a value or null) leaves the inherited unset. A key in both the user's own
      settings and the user's own unset is an error.
    * exclusive, env_file: replace the top-level value (env_file must be absolute).
    """
    if isinstance(entry, str):
        entry = {"name": entry}
    if not isinstance(entry, dict):
        raise GoEnvError("users", entry, "users: each entry is a user name or a dict with name, got %s"
                         % type(entry).__name__)
    unknown = sorted(str(k) for k in entry if k not in USER_KEYS)
    if unknown:
        raise GoEnvError("users", ", ".join(unknown), "users: unknown key(s) %s (known: %s)"
                         % (", ".join(unknown), ", ".join(USER_KEYS)))
    name = entry.get("name")
    if not isinstance(name, str) or not name:
        raise GoEnvError("users", name, "users: every entry needs a name (a non-empty string), got %r" % (name,))
    own = entry.get("settings")
    if own is None:
        own = {}
    if not isinstance(own, dict):
        raise GoEnvError("settings", own, "settings: must be a dict, got %s" % type(own).__name__)
    own_unset = entry.get("unset")
    if own_unset is None:
        own_unset = []
    if not isinstance(own_unset, (list, tuple)):
        raise GoEnvError("unset", own_unset, "unset: must be a list of keys, got %s" % type(own_unset).__name__)
    own_unset = [str(k) for k in own_unset]
    own = dict((str(k), v) for k, v in own.items())
    own_values = normalize_settings(dict((k, v) for k, v in own.items() if v is not None))
    both = sorted(set(own) & set(own_unset))
    if both:
        raise GoEnvError(both[0], None, "%s is both in settings and in unset" % ", ".join(both))
    merged = dict(settings)
    for key, value in own.items():
        if value is None:
            merged.pop(key, None)
    merged.update(own_values)
    for key in own_unset:
        merged.pop(key, None)
    merged_unset = list(dict.fromkeys([k for k in unset if k not in own] + own_unset))
    user_exclusive = exclusive if entry.get("exclusive") is None else _as_bool(entry["exclusive"], "exclusive")
    user_env_file = entry.get("env_file")
    if user_env_file is None:
        user_env_file = env_file
    elif not isinstance(user_env_file, str) or not os.path.isabs(user_env_file):
        raise GoEnvError("env_file", user_env_file, "env_file: a user's env_file must be an absolute path")
    return name, list(merged.items()), merged_unset, user_exclusive, user_env_file


def warnings_of(result):
    """The warnings go_env gives for one user's result (Go's own for an overriding OS variable, and why the
    rules may not match the installed Go)."""
    out = ["go env -w %s=... does not override conflicting OS environment variable %s=%s (user %s, set in %s)"
           % (o["key"], o["key"], o["os_value"], result["user"], o["origin"]) for o in result["os_env_overrides"]]
    if result["rules_warning"]:
        out.append(result["rules_warning"])
    return out


def _label(entry, index):
    if isinstance(entry, dict) and isinstance(entry.get("name"), str) and entry.get("name"):
        return entry["name"]
    if isinstance(entry, str) and entry:
        return entry
    return "users[%d]" % index


def manage_users(users, settings, unset, exclusive, env_file, strict, go_binary, scan_os_env, check_mode, diff=False):
    """go_env with ``users``: plan every user, then (unless check_mode, and only when every plan succeeded)
    write the changed files, each with its user's rights.

    Returns ``{"changed", "users": [each user's result: go_env's RETURN for one user plus "warnings"],
    "diff": [the diff of each changed user] (diff mode only)}``. A user whose write failed (after every plan
    succeeded) has ``failed`` and ``msg`` in its result and ``changed`` false. Raises UsersError with every
    user whose entry or plan failed, before anything is written; GoEnvError for bad top-level options.
    """
    top = normalize_settings(settings)
    top_unset = [str(k) for k in (unset or [])]
    both = sorted(set(k for k, v in top) & set(top_unset))
    if both:
        raise GoEnvError(both[0], None, "%s is both in settings and in unset" % ", ".join(both))
    top_settings = dict(top)
    failures, planned, names = [], [], set()
    for index, entry in enumerate(users or []):
        label = _label(entry, index)
        try:
            name, pairs, user_unset, user_exclusive, user_env_file = merge_user(
                entry, top_settings, top_unset, bool(exclusive), env_file)
            if name in names:
                raise GoEnvError("users", name, "users: %s is listed more than once" % name)
            names.add(name)
            account = lookup(name)
            request = _request(account.home, user_env_file, pairs, user_unset, user_exclusive, strict, go_binary,
                               scan_os_env, diff)
            planned.append((account, run_as(account, plan, request)))
        except (GoEnvError, ChildError) as e:
            failures.append((label, e))
    owners = {}
    for account, out in planned:
        other = owners.setdefault(out["real"], account.name)
        if other != account.name:
            failures.append((account.name, GoEnvError("env_file", out["real"], "env_file: %s is also the go env file of"
                                                      " user %s; one file cannot hold two users' settings"
                                                      % (out["real"], other))))
    if failures:
        raise UsersError(failures, "nothing was written for any user; %d of %d users failed"
                         % (len(failures), len(users)))
    results = []
    for account, out in planned:
        result = out["result"]
        result["user"] = account.name
        if "write" in out and not check_mode:
            try:
                run_as(account, apply, out["write"])
            except (GoEnvError, ChildError) as e:
                result.update(changed=False, failed=True, msg=describe_any(e))
        result["warnings"] = warnings_of(result)
        results.append(result)
    combined = {"changed": any(r["changed"] for r in results), "users": results}
    if diff:
        combined["diff"] = [r["diff"] for r in results if r["changed"]]
    return combined
