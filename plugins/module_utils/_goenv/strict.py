# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""The collection's stricter checks: values `go env -w` writes without complaint but that break every
later build or download, or are silently ignored in a way that is almost certainly a mistake.

``check_strict`` is go_env's ``strict`` option (on by default). GOPROXY, GOSUMDB and the patterns are
checked by their owners in _goproxy; what is added here is what an env file value means to Go (an
empty GOPROXY/GOSUMDB in the file hides the $GOROOT/go.env default from 1.21), GOFLAGS, GOTOOLCHAIN,
GOPATH list entries and GO111MODULE for Go versions that do not check it themselves.
"""

from __future__ import annotations

import re

from ansible_collections.gomod.proxy.plugins.module_utils._common.errors import GoEnvError
from ansible_collections.gomod.proxy.plugins.module_utils._common.text import go_quote
from ansible_collections.gomod.proxy.plugins.module_utils._goenv.rules import GOFLAGS_KNOWN, GOFLAGS_NEED_VALUE
from ansible_collections.gomod.proxy.plugins.module_utils._goenv.validate import (
    go111module_error, gopath_error, quoted_split)
from ansible_collections.gomod.proxy.plugins.module_utils._goproxy import goproxy, gosumdb, patterns


def check_strict(key, value, rules):
    """Raise GoEnvError when ``value`` is one Go writes but later fails on (or silently ignores in a
    way that is almost certainly a mistake). The message names the key and the value."""
    checker = _STRICT_CHECKS.get(key)
    if checker is None:
        return
    problem = checker(value, rules)
    if problem:
        raise GoEnvError(key, value, "%s: %s: %s" % (key, go_quote(value), problem))


def _strict_goproxy(value, rules):
    if value == "" and rules.at_least(21):
        return ("empty: in the env file this hides the $GOROOT/go.env default and leaves Go with no proxy "
                "list at all; unset the key to get the default, or write 'direct' or 'off'")
    return goproxy.value_problem(value)


def _strict_gosumdb(value, rules):
    if value == "" and rules.at_least(21):
        return ("empty: in the env file this hides the $GOROOT/go.env default; Go then fails every checksum "
                "lookup with 'missing GOSUMDB'. Unset the key for the default, or write 'off'")
    return gosumdb.value_problem(value)


_GO_BOOLS = ("1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False")
_GOFLAGS_CHOICES = {
    "mod": ("", "mod", "readonly", "vendor"),
    "buildvcs": _GO_BOOLS + ("auto",),
}
_GO_FALSE = ("0", "f", "F", "FALSE", "false", "False")
# Boolean flags of `go env` itself: GOFLAGS sets them for `go env` too, so a non-boolean value (valid
# for another command, like -u=patch of go get or -json=Dir of go list) breaks every `go env`, and a
# true -json/-u/-w makes `go env -w/-u` refuse to run.
_GO_ENV_BOOL_FLAGS = ("json", "u", "w", "changed")
_GO_ENV_FLAGS = ("json", "u", "w")


def _strict_goflags(value, rules):
    del rules  # the flag table was measured on go1.26 and is used for every version
    try:
        tokens = quoted_split(value)
    except ValueError as e:
        return "parsing $GOFLAGS: %s" % e
    for token in tokens:
        if token == "":
            return "an empty argument (\"\" or '') makes every go command panic (cmd/go SetFromGOFLAGS)"
        if (not token.startswith("-") or token in ("-", "--") or token.startswith("---")
                or token.startswith("-=") or token.startswith("--=")):
            return "parsing $GOFLAGS: non-flag %s" % go_quote(token)
        name = token[2:] if token.startswith("--") else token[1:]
        name, has_value, flag_value = name.partition("=")
        if name not in GOFLAGS_KNOWN:
            return "parsing $GOFLAGS: unknown flag -%s" % name
        if name in GOFLAGS_NEED_VALUE and not has_value:
            return "flag needs an argument: -%s (from $GOFLAGS)" % name
        if has_value and name in _GOFLAGS_CHOICES and flag_value not in _GOFLAGS_CHOICES[name]:
            return "invalid value %s for flag -%s (from $GOFLAGS): must be one of %s" % (
                go_quote(flag_value), name, ", ".join(repr(c) for c in _GOFLAGS_CHOICES[name] if c not in _GO_BOOLS[1:]))
        if name in _GO_ENV_BOOL_FLAGS and has_value and flag_value not in _GO_BOOLS:
            return ("invalid boolean value %s for flag -%s (from $GOFLAGS): `go env` has a boolean -%s too, "
                    "so every go env command fails" % (go_quote(flag_value), name, name))
        if name in _GO_ENV_FLAGS and flag_value not in _GO_FALSE:
            return ("-%s also applies to `go env`, which then refuses to run -w/-u (\"cannot use -%s with -w\"), "
                    "so this setting could not even be repaired with go env" % (name, name))
        boolean = name not in GOFLAGS_NEED_VALUE and name not in _GOFLAGS_CHOICES
        if has_value and boolean and flag_value not in _GO_BOOLS:
            return "invalid boolean value %s for flag -%s (from $GOFLAGS)" % (go_quote(flag_value), name)
    return None


def _cut_int(text):
    """gover's cutInt: (digits, rest) or None (no digits, or a leading zero)."""
    match = re.match(r"^[0-9]+", text)
    if not match or (match.group(0).startswith("0") and len(match.group(0)) > 1):
        return None
    return match.group(0), text[match.end():]


def go_version_valid(text):
    """internal/gover.IsValid: 1, 1.21, 1.21.3, 1.21rc1, 1.22beta2 ... (no prerelease of a patch)."""
    major = _cut_int(text)
    if major is None:
        return False
    rest = major[1]
    if rest == "":
        return True
    if rest[0] != ".":
        return False
    minor = _cut_int(rest[1:])
    if minor is None:
        return False
    rest = minor[1]
    if rest == "":
        return True
    if rest[0] == ".":
        patch = _cut_int(rest[1:])
        return patch is not None and patch[1] == ""
    kind = re.match(r"^[a-z]+", rest)
    if not kind:
        return False
    rest = rest[kind.end():]
    if rest == "":
        return True
    pre = _cut_int(rest)
    return pre is not None and pre[1] == ""


def toolchain_version(name):
    """gover.FromToolchain: "go1.22.1" -> "1.22.1"; custom suffixes after space/tab/"-" are dropped;
    "" when the name is not a Go toolchain."""
    if "/" in name or "\\" in name or not name.startswith("go"):
        return ""
    version = re.split(r"[ \t-]", name[2:], 1)[0]
    return version if go_version_valid(version) else ""


def _strict_gotoolchain(value, rules):
    if not rules.at_least(21) or value in ("", "auto", "path", "local"):
        return None
    minimum, plus, suffix = value.partition("+")
    if minimum != "local":
        version = toolchain_version(minimum)
        if not version:
            if plus:
                return "invalid GOTOOLCHAIN %s: invalid minimum toolchain %s" % (go_quote(value), go_quote(minimum))
            return "invalid GOTOOLCHAIN %s" % go_quote(value)
        if not minimum.startswith("go1") and "-go1" not in minimum:
            return "invalid GOTOOLCHAIN %s" % go_quote(value)
        parts = version.split(".")
        # From 1.21 "go1.N" names a language version, never a toolchain: Go would try to switch to it
        # (with or without +auto/+path) and fail after a download attempt.
        if len(parts) == 2 and parts[1].isdigit() and int(parts[1]) >= 21:
            return ("invalid toolchain: %s is a language version but not a toolchain version (%s.x)"
                    % (minimum, minimum))
    if plus and suffix not in ("auto", "path"):
        return "invalid GOTOOLCHAIN %s: only version suffixes are +auto and +path" % go_quote(value)
    return None


def _strict_patterns(value, rules):
    del rules
    return patterns.value_problem(value)


def _strict_gopath(value, rules):
    del rules
    for entry in value.split(":"):
        problem = gopath_error(entry)
        if problem:
            return problem
    return None


def _strict_go111module(value, rules):
    del rules
    return go111module_error(value)


_STRICT_CHECKS = {
    "GOPROXY": _strict_goproxy,
    "GOSUMDB": _strict_gosumdb,
    "GOFLAGS": _strict_goflags,
    "GOTOOLCHAIN": _strict_gotoolchain,
    "GOPRIVATE": _strict_patterns,
    "GONOPROXY": _strict_patterns,
    "GONOSUMDB": _strict_patterns,
    "GOINSECURE": _strict_patterns,
    "GOPATH": _strict_gopath,
    "GO111MODULE": _strict_go111module,
}
