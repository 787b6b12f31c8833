# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""Environment files of a service (systemd EnvironmentFile= format) laid over a user's effective go env, so the
audit sees what a service such as Athens runs with: its go settings and its egress proxy
(HTTP(S)_PROXY/NO_PROXY). Read as the module's user (root): such files are often root 0600."""

from __future__ import annotations

from ansible_collections.gomod.proxy.plugins.module_utils._goenv.effective import NETWORK_KEYS

# Defaults that follow GOPRIVATE when nothing sets them (cmd/go cfg).
_FOLLOW_GOPRIVATE = ("GONOPROXY", "GONOSUMDB")


def parse(text, origin):
    """[(key, value, 'origin:line')] of KEY=VALUE lines; comments, blank and malformed lines skipped; one level
    of surrounding quotes removed, as systemd does."""
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith(("#", ";")) or "=" not in line:
            continue
        key, value = line.split("=", 1)
        key, value = key.strip(), value.strip()
        if key.startswith("export "):
            key = key[len("export "):].strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        if key:
            out.append((key, value, "%s:%d" % (origin, number)))
    return out


def read(paths):
    entries = []
    for path in paths or ():
        with open(path) as f:
            entries += parse(f.read(), path)
    return entries


def overlay(user_env, entries):
    """user_env (a gather_user_env result) with the entries as its OS environment, which wins over the files."""
    settings = user_env["settings"]
    network = user_env.setdefault("network_env", {})
    for key, value, origin in entries:
        if key in NETWORK_KEYS:
            network[key] = {"value": value, "origin": origin}
        elif key.startswith("GO") and value:
            old = settings.get(key)
            # service_file: set by the service's own environment on purpose, not an export defeating go_client
            settings[key] = {"value": value, "source": "os_env", "origin": origin, "service_file": True,
                             "shadowed": [dict((k, old[k]) for k in ("value", "source", "origin"))] if old else []}
    private = settings.get("GOPRIVATE", {}).get("value", "")
    for key in _FOLLOW_GOPRIVATE:
        if settings.get(key, {}).get("source", "default") == "default":
            settings[key] = {"value": private, "source": "default", "origin": None, "shadowed": []}
    return user_env
