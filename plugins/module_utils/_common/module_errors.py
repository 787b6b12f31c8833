# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""One way for this collection's modules to turn an exception into fail_json."""

from __future__ import annotations

from ansible_collections.gomod.proxy.plugins.module_utils._common.errors import ChildError, GoEnvError


def describe(error):
    """Message naming the field and the value, then Go's (or our) reason."""
    key, value, message = error.key, error.value, error.message
    if not key or message.startswith(str(key) + ":") or message.startswith("settings." + str(key)):
        return message
    if value is None:
        return "%s: %s" % (key, message)
    return "%s=%r: %s" % (key, value, message)


def fail_from(module, exc):
    if isinstance(exc, GoEnvError):
        module.fail_json(msg=describe(exc), key=exc.key, value=exc.value if exc.value is None else str(exc.value))
    if isinstance(exc, ChildError):
        module.fail_json(msg=str(exc.args[0]), exception=exc.args[1] if len(exc.args) > 1 else None)
    if isinstance(exc, EnvironmentError):
        module.fail_json(msg="%s: %s" % (getattr(exc, "filename", None) or "I/O error", exc.strerror or exc))
    module.fail_json(msg="%s: %s" % (type(exc).__name__, exc))
