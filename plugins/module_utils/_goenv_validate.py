# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""What `go env -w` and `go env -u` reject, in Go's order and with Go's words (cmd/go/internal/envcmd).

``check_write``/``check_unset`` raise the first error the real command would print, for the Go
version described by a ``GoRules``: per-argument checks (checkEnvWrite, then the duplicate check) in
argument order, then checkBuildConfig (GOOS/GOARCH pair, then GOEXPERIMENT), then GOTMPDIR.
``GoEnvError.message`` is Go's text without its prefix (``rules.prefix("w")`` gives it).

``check_strict`` goes further than Go: values Go writes without complaint but that break every later
build or download (GOPROXY, GOSUMDB, GOFLAGS, GOTOOLCHAIN, module path patterns, GOPATH lists).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import struct

from ansible_collections.gomod.proxy.plugins.module_utils import _goenv_file, _goenv_rules, _goproxy_chain
from ansible_collections.gomod.proxy.plugins.module_utils._goproxy_chain import (
    KIND_DIRECT, KIND_OFF, PatternError, check_pattern, complete_proxy_url, split_goproxy)


class GoEnvError(ValueError):
    """A rejected setting: ``key`` and ``value`` it is about (either may be None), Go's ``message``.

    ``index`` is the position of the argument that failed in the settings/keys given, when the error
    is about one argument (Go prints OS-env warnings for the arguments before it).
    """

    def __init__(self, key, value, message, index=None):
        super(GoEnvError, self).__init__(message)
        self.key = key
        self.value = value
        self.message = message
        self.index = index

    def __str__(self):
        return self.message


# --- Go's formatting and parsing helpers ---------------------------------------------------------------

_GO_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}


def go_quote(text):
    """Go's %q (strconv.Quote) of a string; bytes that are not UTF-8 appear as \\xNN."""
    data = _goenv_file.to_bytes(text)
    out = ['"']
    for char in data.decode("utf-8", "surrogateescape"):
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:
            out.append("\\x%02x" % (code - 0xDC00))
        elif char in ('"', "\\"):
            out.append("\\" + char)
        elif char.isprintable():
            out.append(char)
        elif char in _GO_ESCAPES:
            out.append(_GO_ESCAPES[char])
        elif code < 0x20 or code == 0x7F:
            out.append("\\x%02x" % code)
        elif code < 0x10000:
            out.append("\\u%04x" % code)
        else:
            out.append("\\U%08x" % code)
    out.append('"')
    return "".join(out)


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


def _is_abs(path):
    return path.startswith("/")


def _base(path):
    """filepath.Base on Unix."""
    if path == "":
        return "."
    path = path.rstrip("/")
    if path == "":
        return "/"
    return path[path.rfind("/") + 1:]


def _valid_utf8(text):
    try:
        _goenv_file.to_bytes(text).decode("utf-8")
    except UnicodeError:
        return False
    return True


# --- checkEnvWrite ------------------------------------------------------------------------------------

def _value_error(key, value, rules):
    """Go's key-specific value checks of checkEnvWrite for this version, or None."""
    if key == "GO111MODULE" and rules.at_least(14):
        if value not in ("", "auto", "on", "off"):
            return "invalid %s value %s" % (key, go_quote(value))
    elif key == "GOPATH" and rules.at_least(14):
        if value.startswith("~"):
            return "GOPATH entry cannot start with shell metacharacter '~': %s" % go_quote(value)
        if not _is_abs(value) and value != "":
            return "GOPATH entry is relative; must be absolute path: %s" % go_quote(value)
    elif key == "GOMODCACHE" and rules.at_least(17):
        bare_allowed = not rules.at_least(18)
        if not _is_abs(value) and value != "" and not (bare_allowed and value == _base(value)):
            return "GOMODCACHE entry is relative; must be absolute path: %s" % go_quote(value)
    elif key in ("CC", "CXX") and rules.at_least(16) and value != "":
        return _compiler_error(key, value, rules)
    return None


def _compiler_error(key, value, rules):
    if not rules.at_least(18):
        # 1.16/1.17 look at the whole value: absolute or a bare program name.
        if not _is_abs(value) and value != _base(value):
            return "%s entry is relative; must be absolute path: %s" % (key, go_quote(value))
        return None
    try:
        fields = quoted_split(value)
    except ValueError as e:
        return "invalid %s: %s" % (key, e)
    if not fields:
        return "%s entry cannot contain only space" % key
    if not _is_abs(fields[0]) and fields[0] != _base(fields[0]):
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
    if not _valid_utf8(value):
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
        self.file = _goenv_file.parse(file_data)
        self.goroot = _goenv_file.parse(goroot_env) if rules.at_least(21) else {}

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
    return frozenset(_goenv_file.reader_keys(file_data) | _goenv_file.reader_keys(goroot_env))


def split_argument(argument):
    """A command-line KEY=VALUE as `go env -w` splits it (at the first "="); GoEnvError without "="."""
    key, sep, value = argument.partition("=")
    if not sep:
        raise GoEnvError(argument, None, "arguments must be KEY=VALUE: invalid argument: %s" % argument)
    return key, value


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
        if not _is_abs(value) and value != "":
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


def os_env_warning(key):
    """The exact warning line Go prints for a conflicting OS environment variable."""
    return "warning: go env -w %s=... does not override conflicting OS environment variable" % key


# --- strict checks: accepted by `go env -w`, broken later ----------------------------------------------

def check_strict(key, value, rules):
    """Raise GoEnvError when ``value`` is one Go writes but later fails on (or silently ignores in a
    way that is almost certainly a mistake). The message names the key and the value."""
    checker = _STRICT_CHECKS.get(key)
    if checker is None:
        return
    problem = checker(value, rules)
    if problem:
        raise GoEnvError(key, value, "%s: %s: %s" % (key, go_quote(value), problem))


_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):(.*)$", re.S)


def _url_parts(text):
    """A small url.Parse: (scheme, authority or None, rest) or a problem string."""
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in text):
        return "net/url: invalid control character in URL"
    if text.startswith(":"):
        return "missing protocol scheme"
    match = _URL.match(text)
    if not match:
        return None, None, text
    scheme, rest = match.group(1).lower(), match.group(2)
    authority = None
    if rest.startswith("//"):
        end = len(rest)
        for stop in "/?#":
            found = rest.find(stop, 2)
            if 0 <= found < end:
                end = found
        authority, rest = rest[2:end], rest[end:]
    if re.search(r"%(?![0-9A-Fa-f]{2})", text):
        return "invalid URL escape in %s" % go_quote(text)
    return scheme, authority, rest


def _host_problem(authority):
    host = authority.rpartition("@")[2]
    if host.startswith("["):
        close = host.find("]")
        if close < 0:
            return "missing ']' in host"
        port = host[close + 1:]
        host = host[:close + 1]
        if port and not re.match(r"^:\d*$", port):
            return "invalid port %s after host" % go_quote(port)
        return None if len(host) > 2 else "missing host"
    name, colon, port = host.partition(":")
    if colon and not re.match(r"^\d*$", port):
        return "invalid port %s after host" % go_quote(":" + port)
    if not name:
        return "missing host"
    if re.search(r"[\s\"<>\\^`{|}]", name):
        return "invalid character in host name %s" % go_quote(name)
    return None


def _proxy_url_problem(entry):
    """What Go's proxyList/newProxyRepo (plus a request) would reject about one GOPROXY entry."""
    url = complete_proxy_url(entry)
    parts = _url_parts(url)
    if isinstance(parts, str):
        return "entry %s: %s" % (go_quote(entry), parts)
    scheme, authority, rest = parts
    if scheme is None:
        return "invalid proxy URL missing scheme: %s" % url
    if scheme not in ("http", "https", "file"):
        return "invalid proxy URL scheme (must be https, http, file): %s" % url
    if scheme == "file":
        if authority or "?" in rest or "#" in rest:
            return "invalid file:// proxy URL with non-path elements: %s" % url
        if not rest.startswith("/"):
            return "file:// proxy URL needs an absolute path: %s" % url
        return None
    if authority is None:
        return "proxy URL has no host: %s" % url
    host_problem = _host_problem(authority)
    if host_problem:
        return "proxy URL %s: %s" % (url, host_problem)
    return None


def _strict_goproxy(value, rules):
    if value == "":
        if rules.at_least(21):
            return ("empty: in the env file this hides the $GOROOT/go.env default and leaves Go with no proxy "
                    "list at all; unset the key to get the default, or write 'direct' or 'off'")
        return None
    ended_by = None
    for position, piece in enumerate(split_goproxy(value), 1):
        entry = piece.text.strip()
        if ended_by:
            if entry:
                return "entry %d (%s) comes after %r, which ends the list: Go never uses it" % (position, entry, ended_by)
            continue
        if entry == "":
            return "entry %d is empty (doubled or stray ',' or '|')" % position
        if entry in (KIND_DIRECT, KIND_OFF):
            ended_by = entry
            continue
        problem = _proxy_url_problem(entry)
        if problem:
            return problem
    return None


def verifier_key_error(vkey):
    """golang.org/x/mod/sumdb/note.NewVerifier: the error text, or None for a valid key."""
    name, _sep, rest = vkey.partition("+")
    hash16, _sep, key64 = rest.partition("+")
    try:
        key = base64.b64decode(key64.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeError):
        key = None
    hash_ok = len(hash16) == 8 and re.match(r"^[0-9A-Fa-f]{8}$", hash16) is not None
    name_ok = name != "" and _valid_utf8(name) and "+" not in name and not any(c.isspace() for c in name)
    if not hash_ok or key is None or not name_ok or not key:
        return "malformed verifier id"
    digest = hashlib.sha256(name.encode("utf-8") + b"\n" + key).digest()
    if struct.unpack(">I", digest[:4])[0] != int(hash16, 16):
        return "invalid verifier hash"
    if key[0] != 1:
        return "unknown verifier algorithm"
    if len(key) != 33:
        return "malformed verifier id"
    return None


def _strict_gosumdb(value, rules):
    if value == "":
        if rules.at_least(21):
            return ("empty: in the env file this hides the $GOROOT/go.env default; Go then fails every checksum "
                    "lookup with 'missing GOSUMDB'. Unset the key for the default, or write 'off'")
        return None
    db = _goproxy_chain.parse_gosumdb(value)
    if db is None:
        return None if value == "off" else "missing GOSUMDB"
    if db.fields > 2:
        return "invalid GOSUMDB: too many fields"
    problem = verifier_key_error(db.key)
    if problem:
        if "+" not in db.key:
            return "invalid GOSUMDB: %s (a name alone is only known for sum.golang.org; use name+hash+key)" % problem
        return "invalid GOSUMDB: %s" % problem
    if db.name.endswith("/") or any(c in db.name for c in "?#@%") or _host_problem(db.name.partition("/")[0]):
        return "invalid sumdb name (must be host[/path]): %s" % db.name
    if db.explicit:
        parts = _url_parts(db.url)
        if isinstance(parts, str):
            return "invalid GOSUMDB URL: %s" % parts
        scheme, authority, _rest = parts
        if scheme not in ("http", "https") or not authority or _host_problem(authority):
            return "invalid GOSUMDB URL %s: needs http(s)://host[/path]" % go_quote(db.url)
    return None


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
        if name not in _goenv_rules.GOFLAGS_KNOWN:
            return "parsing $GOFLAGS: unknown flag -%s" % name
        if name in _goenv_rules.GOFLAGS_NEED_VALUE and not has_value:
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
        boolean = name not in _goenv_rules.GOFLAGS_NEED_VALUE and name not in _GOFLAGS_CHOICES
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
    for glob in value.split(","):
        if glob == "":
            continue
        if glob != glob.strip():
            return "pattern %s has surrounding spaces; Go does not trim them, so it never matches" % go_quote(glob)
        if "://" in glob:
            return "pattern %s has a URL scheme; patterns match module paths (example.com/org), never URLs" % go_quote(glob)
        try:
            check_pattern(glob[:-1] if glob.endswith("/") else glob)
        except PatternError:
            return "pattern %s is malformed (path.Match syntax error); Go silently never matches it" % go_quote(glob)
    return None


def _strict_gopath(value, rules):
    del rules
    for entry in value.split(":"):
        if entry == "":
            continue
        if entry.startswith("~"):
            return "GOPATH entry cannot start with shell metacharacter '~': %s" % go_quote(entry)
        if not _is_abs(entry):
            return "GOPATH entry is relative; must be absolute path: %s" % go_quote(entry)
    return None


def _strict_go111module(value, rules):
    del rules
    if value not in ("", "auto", "on", "off"):
        return "invalid GO111MODULE value %s" % go_quote(value)
    return None


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
