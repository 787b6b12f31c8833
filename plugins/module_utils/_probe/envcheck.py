# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""Findings read from one user's effective go env alone, before any packet is sent."""

from __future__ import annotations

from ansible_collections.gomod.proxy.plugins.module_utils._goproxy.patterns import match_patterns, parse_patterns, representative_path
from ansible_collections.gomod.proxy.plugins.module_utils._probe.targets import goproxy_problem
from ansible_collections.gomod.proxy.plugins.module_utils._probe.findings import SETTING_VARS, finding

# Settings whose OS-environment export defeats the go_client role (it manages the go env file).
MANAGED_KEYS = tuple(sorted(SETTING_VARS))


def _origin_text(setting):
    if setting["source"] == "default":
        return "Go's default"
    if setting["source"] == "goroot_env":
        return "set in %s" % setting["origin"]
    if setting["source"] == "env_file":
        return "set in the go env file %s" % setting["origin"]
    return "exported in %s" % setting["origin"]


def _at_origin(setting):
    """' and remove the export in FILE' when the value comes from the OS environment (go_client cannot change it)."""
    if setting["source"] == "os_env":
        return " and remove the export in %s" % (setting["origin"] or "the OS environment")
    return ""


def _modes(user, settings, goroot):
    out = []
    base = {"user": user, "goroot": goroot or "$GOROOT"}
    go111 = settings.get("GO111MODULE", {})
    if go111.get("value") == "off":
        out.append(finding("go111module_off", key="GO111MODULE", origin_text=_origin_text(go111),
                           at_origin=_at_origin(go111), **base))
    goproxy = settings.get("GOPROXY", {})
    value = goproxy.get("value", "")
    facts = dict(base, key="GOPROXY", origin_text=_origin_text(goproxy) if goproxy else "?",
                 at_origin=_at_origin(goproxy) if goproxy else "")
    if not value.strip(" ,|"):
        out.append(finding("goproxy_empty", **facts))
    elif value.strip() == "off":
        out.append(finding("goproxy_off", **facts))
    elif value.strip() == "direct":
        out.append(finding("goproxy_direct_only", **facts))
    elif goproxy_problem(value):
        out.append(finding("goproxy_invalid", detail=goproxy_problem(value), **facts))
    gosumdb = settings.get("GOSUMDB", {})
    if gosumdb.get("value") == "off":
        out.append(finding("sumdb_off", key="GOSUMDB", origin_text=_origin_text(gosumdb), **base))
    elif gosumdb and not gosumdb.get("value", "").strip():
        out.append(finding("sumdb_missing", key="GOSUMDB", **base))
    return out


def _overrides(user, settings, conflicts):
    out = []
    file_values = dict((c["key"], c["file_value"]) for c in conflicts)
    for key in MANAGED_KEYS:
        setting = settings.get(key)
        if not setting or setting["source"] != "os_env" or setting.get("service_file"):
            continue
        origin = setting["origin"] or "the OS environment"
        file_text = (", overriding '%s' from the go env file" % file_values[key]) if key in file_values else ""
        out.append(finding("env_override", user=user, key=key, origin=origin, origin_file=origin.rsplit(":", 1)[0],
                           value=setting["value"], file_text=file_text, var=SETTING_VARS[key]))
    return out


# Where the fleet's private patterns are set (the fix of private_sumdb_leak names it).
PRIVATE_VARS = "go_client_goprivate (way b) or go_client_gonosumdb (way a) on builders, athens_private_patterns on proxy hosts"


def _private(user, settings, private_patterns, private_fetch="direct"):
    """Private patterns against GONOSUMDB and GONOPROXY. The fleet's patterns (private_patterns) missing from
    GONOSUMDB are private_sumdb_leak (critical); the user's own GOPRIVATE ones private_not_excluded (error).
    private_fetch 'proxy' (the fleet's proxy serves private modules, way a) drops private_via_proxy."""
    out = []

    def value(key):
        return settings.get(key, {}).get("value", "")

    patterns = list(parse_patterns(value("GOPRIVATE")))
    for extra in private_patterns:
        if extra not in patterns:
            patterns.append(extra)
    nosumdb = parse_patterns(value("GONOSUMDB"))
    noproxy = parse_patterns(value("GONOPROXY"))
    for pattern in patterns:
        path = representative_path(pattern)
        if path is None:
            continue  # no plausible module path matches it: _goenv.strict reports such a pattern when it is set
        if value("GOSUMDB") != "off" and not match_patterns(nosumdb, path):
            if pattern in private_patterns:
                out.append(finding("private_sumdb_leak", user=user, key="GONOSUMDB", pattern=pattern, path=path,
                                   gonosumdb=value("GONOSUMDB"), sumdb=value("GOSUMDB") or "sum.golang.org",
                                   evidence="read from the effective settings", private_var=PRIVATE_VARS))
            else:
                out.append(finding("private_not_excluded", user=user, key="GONOSUMDB", pattern=pattern,
                                   gonosumdb=value("GONOSUMDB")))
        if private_fetch != "proxy" and value("GOPROXY").strip() not in ("direct", "off") \
                and not match_patterns(noproxy, path):
            out.append(finding("private_via_proxy", user=user, key="GONOPROXY", pattern=pattern,
                               gonoproxy=value("GONOPROXY")))
    return out


def _expected(user, settings, expected):
    out = []
    for key in sorted(expected or {}):
        want = expected[key]
        setting = settings.get(key)
        if want is None or setting is None or setting["value"] == str(want):
            continue
        out.append(finding("env_mismatch", user=user, key=key, value=setting["value"], expected=want,
                           source_text=_origin_text(setting), var=SETTING_VARS.get(key, key)))
    return out


def check(user_env, private_patterns=(), expected=None, private_fetch="direct"):
    """Findings of one gather_user_env() result."""
    user = user_env["user"]
    settings = user_env["settings"]
    out = _modes(user, settings, (user_env.get("go") or {}).get("goroot"))
    out += _overrides(user, settings, user_env.get("os_env_conflicts") or [])
    out += _private(user, settings, private_patterns, private_fetch)
    out += _expected(user, settings, expected)
    if not (user_env.get("go") or {}).get("binary"):
        out.append(finding("go_missing", user=user))
    return out
