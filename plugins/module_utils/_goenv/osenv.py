# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""The OS environment a user's login session gets, read statically from the files that set it.

Go gives the OS environment priority over the go env file, so an ``export GOPROXY=...`` in
/etc/profile.d silently defeats ``go env -w``. Ansible cannot see a user's login environment (its
remote shell is root's, non-interactive), so the files are read instead:

* ``/etc/environment`` (pam_env: ``KEY=VALUE``, optional quotes, no expansion),
* ``/etc/environment.d/*.conf`` and ``~/.config/environment.d/*.conf`` (systemd: ``KEY=VALUE`` with
  ``$VAR``/``${VAR}`` expansion; they reach user services such as CI runners),
* shell start-up files: ``/etc/profile``, ``/etc/profile.d/*.sh``, ``/etc/bash.bashrc``, ``~/.profile``,
  ``~/.bash_profile``, ``~/.bash_login``, ``~/.bashrc``, ``~/.zshenv``, ``~/.zprofile``, ``~/.zshrc``.

Shell files are not executed: assignments are recognised statement by statement (``export K=V``,
``declare -x``/``typeset -x``, ``K=V`` followed by ``export K``), with quotes, ``$VAR``/``${VAR}`` and a
leading ``~`` expanded from what was seen so far. Conditionals are not evaluated, so an export inside
an ``if`` counts; a command substitution is kept verbatim and an unknown variable expands empty. That is the
right bias for a conflict report: it names file and line and lets a human judge.
"""

from __future__ import annotations

import glob
import os
import re

SYSTEM_PAM_FILES = ("/etc/environment",)
SYSTEM_SYSTEMD_GLOBS = ("/etc/environment.d/*.conf",)
SYSTEM_SHELL_FILES = ("/etc/profile", "/etc/profile.d/*.sh", "/etc/bash.bashrc")
USER_SYSTEMD_GLOBS = (".config/environment.d/*.conf",)
USER_SHELL_FILES = (".profile", ".bash_profile", ".bash_login", ".bashrc", ".zshenv", ".zprofile", ".zshrc")

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_EXPORT_WORDS = {"export": (), "declare": ("-x",), "typeset": ("-x",)}


class Assignment(object):
    """One place that gives a variable a value: file, 1-based line, and the raw line text."""

    def __init__(self, key, value, path, line, text, exported):
        self.key = key
        self.value = value
        self.path = path
        self.line = line
        self.text = text  # the physical line(s) as written, to find or remove it later
        self.exported = exported

    @property
    def origin(self):
        return "%s:%d" % (self.path, self.line)


class OsEnv(object):
    """The variables a login's files set, in the order it applies them, and the resulting exported values."""

    def __init__(self):
        self._values = {}  # key -> Assignment that set the current value
        self._exported = set()
        self.unreadable = []  # files that exist but could not be read (permission), for honesty

    def record(self, assignment):
        self._values[assignment.key] = assignment
        if assignment.exported:
            self._exported.add(assignment.key)

    def mark_exported(self, key):
        self._exported.add(key)
        current = self._values.get(key)
        if current is not None:
            current.exported = True

    def lookup(self, key):
        """Current shell value of key (exported or not), for expansion."""
        a = self._values.get(key)
        return a.value if a is not None else None

    def values(self):
        """Exported variables and their final values: what a process started by the user sees."""
        return dict((k, a.value) for k, a in self._values.items() if k in self._exported)

    def origin(self, key):
        """The Assignment that gave an exported key its final value, or None."""
        if key in self._exported:
            return self._values.get(key)
        return None


def _expand(word, env, home):
    """Expand a shell word: quotes, $VAR, ${VAR}, a leading ~; what cannot be evaluated stays verbatim."""
    out = []
    i = 0
    n = len(word)
    quote = None
    if word.startswith("~") and (len(word) == 1 or word[1] == "/"):
        out.append(home or "~")
        i = 1
    while i < n:
        c = word[i]
        if quote == "'":
            if c == "'":
                quote = None
            else:
                out.append(c)
            i += 1
            continue
        if c == "'" and quote is None:
            quote = "'"
            i += 1
            continue
        if c == '"':
            quote = None if quote == '"' else '"'
            i += 1
            continue
        if c == "\\" and i + 1 < n:
            out.append(word[i + 1])
            i += 2
            continue
        if c == "`" or word.startswith("$(", i):
            # Command substitution cannot be evaluated statically; keep it verbatim.
            out.append(word[i:])
            break
        if c == "$":
            m = re.match(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)", word[i:])
            if m:
                name = m.group(1) or m.group(2)
                value = env.lookup(name) if env is not None else None
                if value is None and name == "HOME":
                    value = home
                if value is None:
                    value = ""
                out.append(value)
                i += m.end()
                continue
            if word.startswith("${", i):
                # ${VAR:-x} and friends: keep verbatim
                end = word.find("}", i)
                end = n if end < 0 else end + 1
                out.append(word[i:end])
                i = end
                continue
        out.append(c)
        i += 1
    return "".join(out)


def _substitution_end(text, i):
    """Index just past the `...` or $(...) starting at i (end of text when unterminated)."""
    if text[i] == "`":
        end = text.find("`", i + 1)
        return len(text) if end < 0 else end + 1
    depth = 0
    j = i + 1
    while j < len(text):
        if text[j] == "(":
            depth += 1
        elif text[j] == ")":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return len(text)


def _split_statements(text):
    """Split a logical shell line into statements of words, honouring quotes; drops comments."""
    statements = [[]]
    word = []
    quote = None
    i = 0
    n = len(text)
    in_word = False
    while i < n:
        c = text[i]
        if quote:
            word.append(c)
            if c == quote:
                quote = None
            elif c == "\\" and quote == '"' and i + 1 < n:
                word.append(text[i + 1])
                i += 1
            i += 1
            continue
        if c in "'\"":
            quote = c
            word.append(c)
            in_word = True
        elif c == "`" or text.startswith("$(", i):
            # Command substitution is one word however many spaces it holds.
            end = _substitution_end(text, i)
            word.append(text[i:end])
            in_word = True
            i = end
            continue
        elif c == "\\" and i + 1 < n:
            word.append(c)
            word.append(text[i + 1])
            in_word = True
            i += 1
        elif c == "#" and not in_word:
            break
        elif c in " \t":
            if in_word:
                statements[-1].append("".join(word))
                word, in_word = [], False
        elif c in ";&|":
            if in_word:
                statements[-1].append("".join(word))
                word, in_word = [], False
            statements.append([])
            while i + 1 < n and text[i + 1] in "&|":
                i += 1
        else:
            word.append(c)
            in_word = True
        i += 1
    if in_word:
        statements[-1].append("".join(word))
    return [s for s in statements if s]


def _logical_lines(data):
    """(first line number, text) pairs, joining backslash-continued lines."""
    lines = data.split("\n")
    i = 0
    while i < len(lines):
        start = i
        text = lines[i].rstrip("\r")
        while text.endswith("\\") and i + 1 < len(lines):
            i += 1
            text = text[:-1] + lines[i].rstrip("\r")
        yield start + 1, text, "\n".join(lines[start:i + 1])
        i += 1


def _parse_assignment_word(word):
    if "=" not in word:
        return None, None
    name, raw = word.split("=", 1)
    if not _NAME.match(name):
        return None, None
    return name, raw


def scan_shell(env, path, data, home):
    for lineno, text, raw_text in _logical_lines(data):
        for words in _split_statements(text):
            head = words[0]
            if head in _EXPORT_WORDS:
                rest = words[1:]
                required = _EXPORT_WORDS[head]
                if required and not any(w.startswith("-") and "x" in w for w in rest):
                    continue  # declare without -x: a shell variable, not the environment
                for w in rest:
                    if w.startswith("-"):
                        continue
                    name, raw = _parse_assignment_word(w)
                    if name is None:
                        if _NAME.match(w):
                            env.mark_exported(w)
                        continue
                    env.record(Assignment(name, _expand(raw, env, home), path, lineno, raw_text, True))
                continue
            # A run of leading K=V words: plain assignments when nothing follows them. When a command
            # follows ("GOFLAGS=x go build"), they only apply to that command and are not session state.
            assigns = []
            for w in words:
                name, raw = _parse_assignment_word(w)
                if name is None:
                    break
                assigns.append((name, raw))
            if assigns and len(assigns) == len(words):
                for name, raw in assigns:
                    value = _expand(raw, env, home)
                    exported = env.origin(name) is not None  # re-assigning an exported var keeps it exported
                    env.record(Assignment(name, value, path, lineno, raw_text, exported))


def scan_pam(env, path, data):
    """/etc/environment: KEY=VALUE, optional matching quotes, no expansion, no export keyword."""
    for lineno, text, raw_text in _logical_lines(data):
        stripped = text.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("export "):
            stripped = stripped[len("export "):].lstrip()
        name, raw = _parse_assignment_word(stripped)
        if name is None:
            continue
        if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
            raw = raw[1:-1]
        env.record(Assignment(name, raw, path, lineno, raw_text, True))


def scan_systemd(env, path, data, home):
    """environment.d: KEY=VALUE with $VAR/${VAR} expansion; every line is exported."""
    for lineno, text, raw_text in _logical_lines(data):
        stripped = text.strip()
        if not stripped or stripped.startswith("#"):
            continue
        name, raw = _parse_assignment_word(stripped)
        if name is None:
            continue
        env.record(Assignment(name, _expand(raw, env, home), path, lineno, raw_text, True))


def _expand_globs(patterns, base=None):
    out = []
    for pattern in patterns:
        full = os.path.join(base, pattern) if base else pattern
        if any(ch in full for ch in "*?["):
            out.extend(sorted(glob.glob(full)))
        else:
            out.append(full)
    return out


def _read(env, path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "surrogateescape")
    except (IOError, OSError) as e:
        if os.path.exists(path) and not os.path.isdir(path):
            env.unreadable.append({"path": path, "error": e.strerror or str(e)})
        return None


def source_files(home):
    """Every file scan() reads, in the order their assignments apply, with the parser for each."""
    files = [(p, "pam") for p in SYSTEM_PAM_FILES]
    files += [(p, "systemd") for p in _expand_globs(SYSTEM_SYSTEMD_GLOBS)]
    if home:
        files += [(p, "systemd") for p in _expand_globs(USER_SYSTEMD_GLOBS, home)]
    files += [(p, "shell") for p in _expand_globs(SYSTEM_SHELL_FILES)]
    if home:
        files += [(p, "shell") for p in _expand_globs(USER_SHELL_FILES, home)]
    return files


def scan(home, files=None):
    """Read the environment files for a user whose home directory is ``home``.

    Call it with the user's credentials (see _common.safe_file.run_as): the files are then read with exactly
    the permissions the user's login has, and a link the user planted cannot make root read a file
    the user could not.
    """
    env = OsEnv()
    for path, kind in (files if files is not None else source_files(home)):
        data = _read(env, path)
        if data is None:
            continue
        if kind == "pam":
            scan_pam(env, path, data)
        elif kind == "systemd":
            scan_systemd(env, path, data, home)
        else:
            scan_shell(env, path, data, home)
    return env
