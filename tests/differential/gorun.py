"""Run the real `go env -w/-u` in isolation and model the same call with the collection's functions.

Isolation: a scratch HOME (with telemetry switched off once), GOENV pointing at a scratch file, a clean
environment (PATH, HOME, GOENV, GOTOOLCHAIN=local, GOFLAGS= plus whatever a test adds), a scratch cwd
so no go.mod/go.work is found.
"""

import itertools
import os
import shutil
import subprocess
import tempfile

from ansible_collections.gomod.proxy.plugins.module_utils._common.errors import GoEnvError
from ansible_collections.gomod.proxy.plugins.module_utils._common.text import to_bytes
from ansible_collections.gomod.proxy.plugins.module_utils._goenv import file as goenv_file, rules as goenv_rules, validate
from ansible_collections.gomod.proxy.plugins.module_utils._goenv.strict import check_strict

DEFAULT_GO = "/usr/local/go/bin/go"


def go_binary():
    """$GO, else /usr/local/go/bin/go, else `go` on PATH; None when there is none."""
    candidate = os.environ.get("GO") or DEFAULT_GO
    if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
        return candidate
    return shutil.which("go")


class Outcome(object):
    """What one `go env` call did: exit status, stderr text and the file bytes afterwards (None: absent)."""

    def __init__(self, rc, stderr, data, stdout=b""):
        self.rc = rc
        self.stderr = stderr
        self.data = data
        self.stdout = stdout

    def __repr__(self):
        return "Outcome(rc=%r, stderr=%r, data=%r)" % (self.rc, self.stderr, self.data)


class GoEnvRunner(object):
    """One scratch area for many calls; each call gets a fresh env file."""

    def __init__(self, go):
        self.go = go
        self.root = tempfile.mkdtemp(prefix="gomod-proxy-diff-")
        self.home = os.path.join(self.root, "home")
        self.cwd = os.path.join(self.root, "cwd")
        os.makedirs(self.home)
        os.makedirs(self.cwd)
        self.counter = itertools.count()
        self.goroot = self._goroot()
        self.version = goenv_rules.parse_go_version(self._run_plain(["env", "GOVERSION"]).strip())
        self.rules = goenv_rules.rules_for(self.version, self.goroot)
        self.goroot_env = self._read(os.path.join(self.goroot, "go.env"))
        # Go 1.23+ keeps local telemetry counters under the config dir; switch that off once so the
        # scratch HOME stays quiet (older versions have no `go telemetry` and ignore the failure).
        self._run_plain(["telemetry", "off"], check=False)

    def close(self):
        shutil.rmtree(self.root, ignore_errors=True)

    def base_env(self, env_file):
        return {
            "PATH": "/usr/bin:/bin",
            "HOME": self.home,
            "GOENV": env_file,
            "GOTOOLCHAIN": "local",
            "GOFLAGS": "",
        }

    def _run_plain(self, args, check=True):
        env = self.base_env(os.path.join(self.root, "unused-env"))
        done = subprocess.run([self.go] + args, env=env, cwd=self.cwd, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=60, check=check)
        return done.stdout.decode("utf-8", "replace")

    def _goroot(self):
        return self._run_plain(["env", "GOROOT"]).strip()

    @staticmethod
    def _read(path):
        try:
            with open(path, "rb") as f:
                return f.read()
        except (IOError, OSError):
            return None

    def run(self, args, data, extra_env=None, drop_env=()):
        """`go env ARGS` with the env file holding ``data`` (None: no file). ``args`` items may be bytes."""
        env_file = os.path.join(self.root, "env-%d" % next(self.counter))
        if data is not None:
            with open(env_file, "wb") as f:
                f.write(data)
        env = self.base_env(env_file)
        env.update(extra_env or {})
        for key in drop_env:
            env.pop(key, None)
        argv = [to_bytes(a) for a in [self.go, "env"] + list(args)]
        benv = dict((to_bytes(k), to_bytes(v)) for k, v in env.items())
        done = subprocess.run(argv, env=benv, cwd=self.cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=60, check=False)
        after = self._read(env_file)
        if os.path.exists(env_file):
            os.unlink(env_file)
        return Outcome(done.returncode, done.stderr.decode("utf-8", "surrogateescape"), after, done.stdout), env


# --- the model: what the collection's functions say the same call does ------------------------------------

def split_argument(argument):
    """A command-line KEY=VALUE as `go env -w` splits it (at the first "="); GoEnvError without "="."""
    key, sep, value = argument.partition("=")
    if not sep:
        raise GoEnvError(argument, None, "arguments must be KEY=VALUE: invalid argument: %s" % argument)
    return key, value


def os_env_warning(key):
    """The exact warning line Go prints for a conflicting OS environment variable."""
    return "warning: go env -w %s=... does not override conflicting OS environment variable" % key


def go_prefix(rules, operation):
    """What Go prints before a message of `go env -w` ("w") or `go env -u` ("u"): "go: " from 1.18."""
    if rules.at_least(18):
        return "go: "
    return "go env -%s: " % operation


def _strict_rejects(key, value):
    """True when the collection's strict checks (newest rules) refuse key=value."""
    try:
        check_strict(key, value, goenv_rules.rules_for(None))
    except GoEnvError:
        return True
    return False


def model_write(args, data, rules, goroot_env, os_env):
    """Outcome the collection predicts for `go env -w ARGS` (args as command-line strings)."""
    pairs = []
    error = None
    for index, arg in enumerate(args):
        try:
            pairs.append(split_argument(arg))
        except GoEnvError as e:
            try:
                validate.check_write_arguments(pairs, rules, data, goroot_env)
            except GoEnvError as earlier:
                error = earlier
            else:
                error = e
                error.index = index
            break
    if error is None:
        try:
            validate.check_write(pairs, rules, data, goroot_env, os_env)
        except GoEnvError as e:
            error = e
    warned_upto = len(pairs) if error is None or error.index is None else error.index
    warnings = [os_env_warning(k) for k in validate.os_env_conflicts(pairs[:warned_upto], os_env)]
    if error is not None:
        return Outcome(1, _stderr(warnings, go_prefix(rules, "w") + error.message), data), pairs
    return Outcome(0, _stderr(warnings, None), goenv_file.write(data, pairs)), pairs


def model_unset(keys, data, rules, goroot_env, os_env):
    """Outcome the collection predicts for `go env -u KEYS` on an existing file."""
    try:
        validate.check_unset(keys, rules, data, goroot_env, os_env)
    except GoEnvError as e:
        return Outcome(1, _stderr([], go_prefix(rules, "u") + e.message), data)
    return Outcome(0, "", goenv_file.unset(data, keys))


def _stderr(warnings, error_line):
    lines = list(warnings)
    if error_line is not None:
        lines.append(error_line)
    return "".join(line + "\n" for line in lines)


def possible_write_outputs(data, pairs):
    """Every file Go may produce for a successful -w: Go appends new keys in map order, which only
    shows when a new key has no writer key (contains "#") and other new keys are appended too."""
    existing = set(goenv_file.writer_key(line + b"\n") for line in (data or b"").split(b"\n"))
    new = [p for p in pairs if to_bytes(p[0]) not in existing]
    if len(new) < 2 or not any("#" in k for k, _value in new):
        return [goenv_file.write(data, pairs)]
    old = [p for p in pairs if p not in new]
    return sorted(set(goenv_file.write(data, old + list(order)) for order in itertools.permutations(new)))


def startup_failure(data, os_env, goroot_env):
    """How the real go fails before `go env -w/-u` even runs, given the env file and OS environment,
    or None. These are the documented divergences: the module does not emulate them (it can repair
    such a file). Returns (exit status, a substring of Go's message)."""
    file_settings = goenv_file.parse(data)
    defaults = goenv_file.parse(goroot_env)

    def effective(key):
        if os_env.get(key):
            return os_env[key]
        return file_settings[key] if key in file_settings else defaults.get(key, "")

    toolchain = effective("GOTOOLCHAIN")
    if toolchain and _strict_rejects("GOTOOLCHAIN", toolchain):
        return 1, "invalid GOTOOLCHAIN"
    goroot = file_settings.get("GOROOT") if not os_env.get("GOROOT") else os_env["GOROOT"]
    if goroot and not os.path.isdir(goroot):
        return 2, "cannot find GOROOT directory: %s" % goroot
    for entry in effective("GOPATH").split(":"):
        if entry.startswith("~"):
            return 2, "GOPATH entry cannot start with shell metacharacter '~'"
        if entry and not entry.startswith("/"):
            return 2, "GOPATH entry is relative; must be absolute path"
    try:
        tokens = validate.quoted_split(effective("GOFLAGS"))
    except ValueError:
        tokens = []  # `go env` hides GOFLAGS parse errors
    if "" in tokens:
        return 2, "panic: runtime error: slice bounds out of range"
    for token in tokens:
        name, _sep, value = token.lstrip("-").partition("=")
        if name in ("json", "u", "w") and value not in ("0", "f", "F", "false", "FALSE", "False"):
            return 1, "cannot use -"
    return None
