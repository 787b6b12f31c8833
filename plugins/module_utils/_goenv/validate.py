# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""What `go env -w` and `go env -u` reject, in Go's order and with Go's words (cmd/go/internal/envcmd).

``check_write``/``check_unset`` raise the first error the real command would print, for the Go
version described by a ``GoRules``: per-argument checks (checkEnvWrite, then the duplicate check) in
argument order, then checkBuildConfig (GOOS/GOARCH pair, then GOEXPERIMENT), then GOTMPDIR.
``GoEnvError.message`` is Go's text without the prefix Go prints before it (``go: `` from 1.18).
``os_env_conflicts`` are the keys Go warns about. Values Go accepts but fails on later are
_goenv.strict's business.
"""

from __future__ import annotations

from ansible_collections.gomod.proxy.plugins.module_utils._common.errors import GoEnvError
from ansible_collections.gomod.proxy.plugins.module_utils._common.text import base, go_quote, is_abs, valid_utf8
from ansible_collections.gomod.proxy.plugins.module_utils._goenv import file as goenv_file


# --- Go's parsing helper -------------------------------------------------------------------------------

def quoted_split(text):
    """cmd/internal/quoted.Split: fields separated by space/tab/CR/LF; a field may be wrapped in '...' or
    "..." (no escapes). Raises ValueError("unterminated X string")."""
    spaces = " \t\n\r"
    fields = []
    i = 0
    while i < len(text):
        while i < len(text) and text[i] in spaces:
            i += 1
        if i >= len(text):
            break
        if text[i] in "\"'":
            quote = text[i]
            end = text.find(quote, i + 1)
            if end < 0:
                raise ValueError("unterminated %s string" % quote)
            fields.append(text[i + 1:end])
            i = end + 1
            continue
        start = i
        while i < len(text) and text[i] not in spaces:
            i += 1
        fields.append(text[start:i])
    return fields


# --- checkEnvWrite ------------------------------------------------------------------------------------

def go111module_error(value):
    """Go's GO111MODULE check (1.14+), or None."""
    if value not in ("", "auto", "on", "off"):
        return "invalid GO111MODULE value %s" % go_quote(value)
    return None


def gopath_error(path):
    """Go's GOPATH check (1.14+) of one path (Go checks the whole value, strict each list entry), or None."""
    if path.startswith("~"):
        return "GOPATH entry cannot start with shell metacharacter '~': %s" % go_quote(path)
    if not is_abs(path) and path != "":
        return "GOPATH entry is relative; must be absolute path: %s" % go_quote(path)
    return None


def _value_error(key, value, rules):
    """Go's key-specific value checks of checkEnvWrite for this version, or None."""
    if key == "GO111MODULE" and rules.at_least(14):
        return go111module_error(value)
    if key == "GOPATH" and rules.at_least(14):
        return gopath_error(value)
    if key == "GOMODCACHE" and rules.at_least(17):
        bare_allowed = not rules.at_least(18)
        if not is_abs(value) and value != "" and not (bare_allowed and value == base(value)):
            return "GOMODCACHE entry is relative; must be absolute path: %s" % go_quote(value)
        return None
    if key in ("CC", "CXX") and rules.at_least(16) and value != "":
        return _compiler_error(key, value, rules)
    return None


def _compiler_error(key, value, rules):
    if not rules.at_least(18):
        # 1.16/1.17 look at the whole value: absolute or a bare program name.
        if not is_abs(value) and value != base(value):
            return "%s entry is relative; must be absolute path: %s" % (key, go_quote(value))
        return None
    try:
        fields = quoted_split(value)
    except ValueError as e:
        return "invalid %s: %s" % (key, e)
    if not fields:
        return "%s entry cannot contain only space" % key
    if not is_abs(fields[0]) and fields[0] != base(fields[0]):
        return "%s entry is relative; must be absolute path: %s" % (key, go_quote(fields[0]))
    return None


def env_write_error(key, value, rules, file_keys=frozenset()):
    """Go's checkEnvWrite(key, value): the message, or None when Go accepts it.

    ``file_keys``: keys Go's reader finds in the user file and in $GOROOT/go.env; from 1.21 Go accepts
    any of them as "known" (after the read-only and OS-only checks).
    """
    if key in rules.readonly:
        return "%s cannot be modified" % key
    if key in rules.os_only:
        return "%s can only be set using the OS environment" % key
    known = key in rules.known_env or (rules.at_least(21) and key in file_keys)
    if not known:
        return "unknown go command variable %s" % key
    problem = _value_error(key, value, rules)
    if problem:
        return problem
    if not valid_utf8(value):
        return "invalid UTF-8 in %s=... value" % key
    if "\x00" in value:
        return "invalid NUL in %s=... value" % key
    if any(c in value for c in "\v\r\n"):
        return "invalid newline in %s=... value" % key
    return None


# --- checkBuildConfig ---------------------------------------------------------------------------------

class _Layers(object):
    """Current values as cmd/go's envOr sees them: OS env (non-empty) > user file > go.env > default."""

    def __init__(self, rules, file_data, goroot_env, os_env):
        self.rules = rules
        self.os_env = os_env or {}
        self.file = goenv_file.parse(file_data)
        self.goroot = goenv_file.parse(goroot_env) if rules.at_least(21) else {}

    def build_default(self, key):
        """go/build.Default.GOOS/GOARCH: $GOOS/$GOARCH of the process, else the toolchain's own."""
        fallback = {"GOOS": self.rules.default_goos, "GOARCH": self.rules.default_goarch}.get(key, "")
        return self.os_env.get(key) or fallback

    def current(self, key, default):
        if self.os_env.get(key):
            return self.os_env[key]
        if key in self.file:
            value = self.file[key]
        else:
            value = self.goroot.get(key, "")
        return value or default

    def after(self, key, add, delete, default):
        """(value after the change, changed?) as checkBuildConfig's get(): -u takes the OS env value,
        else the default, never the file."""
        if key in add:
            return add[key], True
        if key in delete:
            return self.os_env.get(key) or default, True
        return self.current(key, default), False


def _experiment_error(goos, goarch, value, rules):
    """buildcfg.ParseGOEXPERIMENT for this version, or None. Unknown name lists are not checked."""
    del goos  # only DWARF5's baseline depends on it, which cannot fail
    supported, always_on = rules.regabi_supported, rules.regabi_always_on
    track_regabi = supported is not None and always_on is not None
    wrappers = args = track_regabi and goarch in supported
    names = rules.experiments
    for item in value.split(","):
        if item == "":
            continue
        if item == "none":
            wrappers = args = False
            continue
        enabled = True
        if item.startswith("no"):
            item, enabled = item[2:], False
        if names is not None and item not in names and item != "regabi":
            return "unknown GOEXPERIMENT %s" % item
        if item in ("regabi", "regabiwrappers"):
            wrappers = enabled
        if item in ("regabi", "regabiargs"):
            args = enabled
    if track_regabi:
        if goarch in always_on:
            wrappers = args = True
        if goarch not in supported:
            wrappers = args = False
        if args and not wrappers:
            return "GOEXPERIMENT regabiargs requires regabiwrappers"
    return None


def build_config_error(add, delete, rules, file_data, goroot_env, os_env):
    """Go's checkBuildConfig after the change (``add``: dict, ``delete``: set), or None."""
    layers = _Layers(rules, file_data, goroot_env, os_env)
    goos, goos_changed = layers.after("GOOS", add, delete, layers.build_default("GOOS"))
    goarch, goarch_changed = layers.after("GOARCH", add, delete, layers.build_default("GOARCH"))
    if rules.platforms is not None and (goos_changed or goarch_changed):
        if (goos, goarch) not in rules.platforms:
            return "unsupported GOOS/GOARCH pair %s/%s" % (goos, goarch)
    if rules.at_least(17):
        experiment, changed = layers.after("GOEXPERIMENT", add, delete, "")
        if changed:
            return _experiment_error(goos, goarch, experiment, rules)
    return None


# --- go env -w / -u -------------------------------------------------------------------------------------

def _pairs(settings):
    if hasattr(settings, "items"):
        return list(settings.items())
    return [tuple(pair) for pair in settings]


def _file_keys(rules, file_data, goroot_env):
    if not rules.at_least(21):
        return frozenset()
    return frozenset(goenv_file.reader_keys(file_data) | goenv_file.reader_keys(goroot_env))


def check_write(settings, rules, file_data=None, goroot_env=None, os_env=None):
    """Raise GoEnvError with the first error `go env -w` would report for ``settings`` (a mapping or a
    sequence of (key, value) in argument order); return None when Go would write the file.

    ``file_data``: bytes of the user's env file (None/b"" when absent); ``goroot_env``: bytes of
    $GOROOT/go.env or None; ``os_env``: the OS environment the go command would run with.
    """
    pairs = _pairs(settings)
    if not pairs:
        raise GoEnvError(None, None, "no KEY=VALUE arguments given")
    check_write_arguments(pairs, rules, file_data, goroot_env)
    add = dict(pairs)
    problem = build_config_error(add, set(), rules, file_data, goroot_env, os_env)
    if problem:
        raise GoEnvError(_build_key(problem), None, problem)
    if "GOTMPDIR" in add and rules.at_least(16):
        value = add["GOTMPDIR"]
        if not is_abs(value) and value != "":
            raise GoEnvError("GOTMPDIR", value, "GOTMPDIR must be an absolute path")


def check_write_arguments(pairs, rules, file_data=None, goroot_env=None):
    """The per-argument part of `go env -w` (checkEnvWrite, then the duplicate check), in order."""
    file_keys = _file_keys(rules, file_data, goroot_env)
    seen = set()
    for index, (key, value) in enumerate(pairs):
        problem = env_write_error(key, value, rules, file_keys)
        if problem:
            raise GoEnvError(key, value, problem, index)
        if key in seen:
            raise GoEnvError(key, value, "multiple values for key: %s" % key, index)
        seen.add(key)


def check_unset(keys, rules, file_data=None, goroot_env=None, os_env=None):
    """Raise GoEnvError with the first error `go env -u KEYS` would report (the file's existence is
    the caller's business); return None when Go would rewrite the file."""
    keys = list(keys)
    if not keys:
        message = "'go env -u' requires an argument" if rules.at_least(18) else "no arguments given"
        raise GoEnvError(None, None, message)
    file_keys = _file_keys(rules, file_data, goroot_env)
    for index, key in enumerate(keys):
        problem = env_write_error(key, "", rules, file_keys)
        if problem:
            raise GoEnvError(key, None, problem, index)
    problem = build_config_error({}, set(keys), rules, file_data, goroot_env, os_env)
    if problem:
        raise GoEnvError(_build_key(problem), None, problem)


def _build_key(message):
    return "GOEXPERIMENT" if "GOEXPERIMENT" in message else "GOOS/GOARCH"


def os_env_conflicts(settings, os_env):
    """Keys `go env -w` warns about ("does not override conflicting OS environment variable"): the OS
    value is non-empty and differs from the value written. Argument order, each key once."""
    os_env = os_env or {}
    conflicts = []
    for key, value in _pairs(settings):
        current = os_env.get(key)
        if current and current != value and key not in conflicts:
            conflicts.append(key)
    return conflicts
