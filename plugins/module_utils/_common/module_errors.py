# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""One way for this collection's modules to turn an exception into fail_json."""

from __future__ import annotations

from ansible_collections.gomod.proxy.plugins.module_utils._common.errors import ChildError, GoEnvError, UsersError


def describe(error):
    """Message naming the field and the value, then Go's (or our) reason."""
    key, value, message = error.key, error.value, error.message
    if not key or message.startswith(str(key) + ":") or message.startswith("settings." + str(key)):
        return message
    if value is None:
        return "%s: %s" % (key, message)
    return "%s=%r: %s" % (key, value, message)


def describe_any(error):
    """``describe`` for any exception: a GoEnvError's field and value, else the error's own text."""
    if isinstance(error, GoEnvError):
        return describe(error)
    if isinstance(error, ChildError):
        return str(error.args[0])
    if isinstance(error, EnvironmentError):
        return "%s: %s" % (getattr(error, "filename", None) or "I/O error", error.strerror or error)
    return "%s: %s" % (type(error).__name__, error)


def user_failures(error):
    """A UsersError as one entry per user: {user, msg, key, value} (key and value null unless a GoEnvError)."""
    out = []
    for user, exc in error.failures:
        key = exc.key if isinstance(exc, GoEnvError) else None
        value = exc.value if isinstance(exc, GoEnvError) else None
        out.append({"user": user, "msg": describe_any(exc), "key": key,
                    "value": value if value is None else str(value)})
    return out


def fail_from(module, exc):
    if isinstance(exc, UsersError):
        failures = user_failures(exc)
        module.fail_json(msg="%s: %s" % (exc.summary, "; ".join("user %s: %s" % (f["user"], f["msg"]) for f in failures)),
                         failed_users=failures)
    if isinstance(exc, GoEnvError):
        module.fail_json(msg=describe(exc), key=exc.key, value=exc.value if exc.value is None else str(exc.value))
    if isinstance(exc, ChildError):
        module.fail_json(msg=str(exc.args[0]), exception=exc.args[1] if len(exc.args) > 1 else None)
    module.fail_json(msg=describe_any(exc))
