# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""What `go env` shows a user, and where each value comes from, computed without running Go.

Precedence is cmd/go's cfg.Getenv plus the defaults of cfg.EnvOrAndChanged/envOr:
1. the OS environment, when non-empty (an empty OS variable counts as unset);
2. the user's go env file, when the key is present (even with an empty value);
3. ``$GOROOT/go.env`` (Go 1.21+), only when the key is absent from the user file;
4. Go's built-in default.
go_env_info, the go_client role and goproxy_probe all read settings through ``gather_user_env``.
"""

from __future__ import annotations

import os

from ansible_collections.gomod.proxy.plugins.module_utils._common.errors import ChildError, GoEnvError, UsersError
from ansible_collections.gomod.proxy.plugins.module_utils._common.safe_file import run_as
from ansible_collections.gomod.proxy.plugins.module_utils._common.text import display
from ansible_collections.gomod.proxy.plugins.module_utils._goenv import context as goenv_context, file as goenv_file
from ansible_collections.gomod.proxy.plugins.module_utils._goenv.rules import host_goarch, host_goos
from ansible_collections.gomod.proxy.plugins.module_utils._goenv.user import lookup
from ansible_collections.gomod.proxy.plugins.module_utils._goenv.validate import os_env_conflicts

# Settings that matter for module downloads, always reported even when nothing sets them.
REPORTED_KEYS = (
    "GO111MODULE", "GOAUTH", "GOENV", "GOFLAGS", "GOINSECURE", "GOMODCACHE", "GONOPROXY", "GONOSUMDB",
    "GOPATH", "GOPRIVATE", "GOPROXY", "GOROOT", "GOSUMDB", "GOTOOLCHAIN", "GOVCS", "GOBIN", "GOCACHE",
    "GOTMPDIR", "GOOS", "GOARCH",
)
# Not Go settings, but they decide how Go reaches a proxy (net/http's ProxyFromEnvironment) and
# where it finds its files; the audit needs them with their origin.
NETWORK_KEYS = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy",
                "SSL_CERT_FILE", "SSL_CERT_DIR")


def builtin_default(key, version, resolved, home, os_env, goroot):
    """Go's default for key when neither the OS env, the user file nor go.env sets it.

    ``resolved`` holds the effective values of keys already computed (GOPATH before GOMODCACHE,
    GOPRIVATE before GONOPROXY/GONOSUMDB).
    """
    pre_121 = version is not None and version < (1, 21)
    if key == "GOPATH":
        return os.path.join(home, "go") if home else ""
    if key == "GOMODCACHE":
        first = resolved.get("GOPATH", "").split(os.pathsep)[0]
        return os.path.join(first, "pkg", "mod") if first else ""
    if key == "GOCACHE":
        base = os_env.get("XDG_CACHE_HOME") or (os.path.join(home, ".cache") if home else "")
        return os.path.join(base, "go-build") if base else ""
    if key in ("GONOPROXY", "GONOSUMDB"):
        return resolved.get("GOPRIVATE", "")
    if key == "GOPROXY":
        # From 1.21 the default lives in $GOROOT/go.env; the compiled-in fallback is empty.
        return "https://proxy.golang.org,direct" if pre_121 else ""
    if key == "GOSUMDB":
        return "sum.golang.org" if pre_121 else ""
    if key == "GOAUTH":
        return "netrc" if version is None or version >= (1, 24) else ""
    if key == "GOROOT":
        return goroot or ""
    if key == "GOOS":
        return host_goos()
    if key == "GOARCH":
        return host_goarch()
    return ""


# Keys whose defaults depend on other keys: compute those first.
_ORDER_FIRST = ("GOPATH", "GOPRIVATE")


def effective_settings(keys, os_env, os_origins, file_settings, file_path, goroot_env_settings, goroot_env_path,
                       version, home, goroot, goroot_env_applies):
    """{key: {value, source, origin, shadowed}} following Go's precedence (see module docstring)."""
    ordered = [k for k in _ORDER_FIRST if k in keys] + sorted(k for k in keys if k not in _ORDER_FIRST)
    resolved = {}
    result = {}
    for key in ordered:
        layers = []
        os_value = os_env.get(key)
        if os_value:
            layers.append((os_value, "os_env", os_origins.get(key)))
        if key in file_settings:
            layers.append((file_settings[key], "env_file", file_path))
        if goroot_env_applies and key in goroot_env_settings:
            # Layers are in Go's priority order and the first one wins, so a go.env value below a
            # present user-file key is listed as shadowed, as Go ignores it.
            layers.append((goroot_env_settings[key], "goroot_env", goroot_env_path))
        if key == "GOENV":
            # GOENV is never read from a file; go env GOENV prints the file Go uses.
            layers = [(os_value, "os_env", os_origins.get(key))] if os_value else []
            default = file_path or ""
        else:
            default = builtin_default(key, version, resolved, home, os_env, goroot)
        value, source, origin = layers[0] if layers else (default, "default", None)
        # envOr semantics: an empty value from the file or go.env falls back to the built-in default.
        # From 1.21 the built-in default of GOPROXY/GOSUMDB/GOTOOLCHAIN is "", so there an empty user
        # file value masks go.env and the effective value is "" (see docs/go-env-format-notes.md).
        if value == "" and source in ("env_file", "goroot_env"):
            value = default
        resolved[key] = value
        shadowed = [{"value": v, "source": s, "origin": o} for v, s, o in layers[1:]]
        if layers and source != "default":
            shadowed.append({"value": default, "source": "default", "origin": None})
        result[key] = {"value": value, "source": source, "origin": origin, "shadowed": shadowed}
    return result


def _gather(account_home, env_file, go_binary, include_network):
    """Runs with the user's credentials (see _common.safe_file.run_as); returns a JSON-serialisable dict."""
    ctx = goenv_context.load(account_home, env_file, go_binary)
    os_env = ctx.os_env
    os_origins = dict((k, ctx.osenv.origin(k).origin) for k in os_env)
    file_settings = goenv_file.parse(ctx.data) if ctx.data is not None else {}
    goroot_env_settings = goenv_file.parse(ctx.goroot_env) if ctx.goroot_env else {}
    effective_version = ctx.rules.version
    keys = set(REPORTED_KEYS) | set(file_settings) | set(goroot_env_settings)
    keys |= set(k for k in os_env if k in ctx.rules.known_env or k == "GOENV")
    settings = effective_settings(
        keys, os_env, os_origins, file_settings, ctx.env_file, goroot_env_settings, ctx.goroot_env_path,
        effective_version, account_home, ctx.goroot, goroot_env_applies=effective_version >= (1, 21))
    conflicts = [{"key": key, "os_value": os_env[key], "os_origin": os_origins.get(key), "file_value": file_settings[key]}
                 for key in os_env_conflicts(sorted(file_settings.items()), os_env)]
    result = {
        "env_file": ctx.env_file,
        "env_file_exists": ctx.data is not None,
        "go": ctx.go_dict(),
        "rules_version": ctx.rules_version,
        "rules_warning": ctx.rules_warning,
        "settings": settings,
        "os_env_conflicts": conflicts,
        "os_env_unreadable": ctx.osenv.unreadable,
    }
    if include_network:
        result["network_env"] = dict((k, {"value": os_env[k], "origin": os_origins.get(k)})
                                     for k in NETWORK_KEYS if k in os_env)
    return display(result)


def gather_user_env(user_name=None, env_file=None, go_binary=None, include_network=True):
    """Effective go env of a user, with sources. Raises GoEnvError for a bad user or env config."""
    account = lookup(user_name)
    result = run_as(account, _gather, account.home, env_file, go_binary, include_network)
    result["user"] = account.name
    result["home"] = account.home
    return result


def _user_entry(entry, env_file):
    """(name, env_file) of one entry of go_env_info's ``users``: a name, or a dict with name and env_file."""
    if isinstance(entry, str) and entry:
        return entry, env_file
    if isinstance(entry, dict):
        unknown = sorted(str(k) for k in entry if k not in ("name", "env_file"))
        if unknown:
            raise GoEnvError("users", ", ".join(unknown), "users: unknown key(s) %s (known: name, env_file)"
                             % ", ".join(unknown))
        name, own_file = entry.get("name"), entry.get("env_file")
        if isinstance(name, str) and name:
            if own_file is not None and (not isinstance(own_file, str) or not os.path.isabs(own_file)):
                raise GoEnvError("env_file", own_file, "env_file: a user's env_file must be an absolute path")
            return name, env_file if own_file is None else own_file
    raise GoEnvError("users", entry, "users: each entry is a user name or a dict with name (and env_file), got %r"
                     % (entry,))


def gather_users_env(users, env_file=None, go_binary=None, include_network=True):
    """``gather_user_env`` for each entry of ``users`` (names, or dicts with name and env_file), in order.
    Raises UsersError naming every user that failed."""
    results, failures = [], []
    for index, entry in enumerate(users or []):
        try:
            name, user_env_file = _user_entry(entry, env_file)
            results.append(gather_user_env(name, user_env_file, go_binary, include_network))
        except (GoEnvError, ChildError) as e:
            label = entry if isinstance(entry, str) and entry else (
                entry.get("name") if isinstance(entry, dict) and entry.get("name") else "users[%d]" % index)
            failures.append((label, e))
    if failures:
        raise UsersError(failures, "%d of %d users failed" % (len(failures), len(users)))
    return results
