# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""GOPRIVATE-style patterns (GOPRIVATE, GONOPROXY, GONOSUMDB, GOINSECURE) and module path matching.

* ``match_patterns`` is golang.org/x/mod/module.MatchPrefixPatterns: a glob with N slashes matches the
  first N+1 elements of a module path, with path.Match syntax (``path_match``, a port of Go's).
* ``value_problem`` names a pattern Go accepts but silently never matches (malformed, surrounding
  spaces, a URL instead of a module path).
* ``representative_path`` and ``literal_prefix`` read a pattern for the audit: a path it matches, and
  its leading elements without wildcards (a host the audit can probe).
"""

from __future__ import annotations

import re

from ansible_collections.gomod.proxy.plugins.module_utils._common.errors import PatternError
from ansible_collections.gomod.proxy.plugins.module_utils._common.text import go_quote

# Characters that make a path element a glob rather than a literal.
_GLOB_CHARS = set("*?[\\")
# A [class] (maybe negated, maybe starting with an escape), to replace by its first character.
_CLASS = re.compile(r"\[\^?\\?(.)[^\]]*\]")


def parse_patterns(value):
    """The globs Go uses from a comma-separated list: trailing "/" removed, empty entries dropped.

    No trimming: Go does not trim spaces, so " example.com" is a pattern that never matches.
    """
    patterns = []
    for glob in (value or "").split(","):
        if glob.endswith("/"):  # strings.TrimSuffix: one slash only
            glob = glob[:-1]
        if glob:
            patterns.append(glob)
    return patterns


def _class_char(chunk, index):
    """One (possibly escaped) character of a [...] class: (char, next index). PatternError if bad."""
    if index >= len(chunk) or chunk[index] in "-]":
        raise PatternError("syntax error in pattern")
    if chunk[index] == "\\":
        index += 1
        if index >= len(chunk):
            raise PatternError("syntax error in pattern")
    char = chunk[index]
    index += 1
    if index >= len(chunk):
        raise PatternError("syntax error in pattern")
    return char, index


def _match_chunk(chunk, text):
    """path.Match's matchChunk: (rest of text, matched). Raises PatternError for a malformed chunk,
    even after a mismatch, as Go does."""
    failed = False
    i = 0
    while i < len(chunk):
        failed = failed or not text
        char = chunk[i]
        if char == "[":
            current = None
            if not failed:
                current, text = text[0], text[1:]
            i += 1
            negated = i < len(chunk) and chunk[i] == "^"
            if negated:
                i += 1
            matched = False
            ranges = 0
            while True:
                if i < len(chunk) and chunk[i] == "]" and ranges > 0:
                    i += 1
                    break
                low, i = _class_char(chunk, i)
                high = low
                if chunk[i] == "-":
                    high, i = _class_char(chunk, i + 1)
                matched = matched or (current is not None and low <= current <= high)
                ranges += 1
            failed = failed or matched == negated
        elif char == "?":
            if not failed:
                failed = text[0] == "/"
                text = text[1:]
            i += 1
        else:
            if char == "\\":
                i += 1
                if i >= len(chunk):
                    raise PatternError("syntax error in pattern")
            if not failed:
                failed = chunk[i] != text[0]
                text = text[1:]
            i += 1
    if failed:
        return "", False
    return text, True


def _scan_chunk(pattern):
    """(star, chunk, rest): leading stars, then everything up to the next star outside [...]."""
    star = False
    while pattern.startswith("*"):
        pattern = pattern[1:]
        star = True
    in_range = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            if i + 1 < len(pattern):
                i += 1
        elif char == "[":
            in_range = True
        elif char == "]":
            in_range = False
        elif char == "*" and not in_range:
            return star, pattern[:i], pattern[i:]
        i += 1
    return star, pattern, ""


def path_match(pattern, name):
    """Go's path.Match: True/False, or PatternError for a malformed pattern."""
    while pattern:
        star, chunk, pattern = _scan_chunk(pattern)
        if star and not chunk:
            return "/" not in name
        rest, ok = _match_chunk(chunk, name)
        if ok and (not rest or pattern):
            name = rest
            continue
        if star:
            advanced = False
            i = 0
            while i < len(name) and name[i] != "/":
                rest, ok = _match_chunk(chunk, name[i + 1:])
                if ok:
                    if not pattern and rest:
                        i += 1
                        continue
                    name = rest
                    advanced = True
                    break
                i += 1
            if advanced:
                continue
        while pattern:
            _star, chunk, pattern = _scan_chunk(pattern)
            _match_chunk(chunk, "")
        return False
    return not name


def check_pattern(glob):
    """Raise PatternError when path.Match would reject ``glob`` as malformed."""
    path_match(glob, "")


def match_patterns(patterns, module_path):
    """Go's module.MatchPrefixPatterns: does any path prefix of ``module_path`` match a glob?

    ``patterns`` is a comma-separated string (as in GOPRIVATE) or a list from ``parse_patterns``.
    Malformed globs never match, as in Go.
    """
    if isinstance(patterns, str):
        patterns = parse_patterns(patterns)
    for glob in patterns:
        slashes = glob.count("/")
        prefix = module_path
        for index, char in enumerate(module_path):
            if char == "/":
                if slashes == 0:
                    prefix = module_path[:index]
                    break
                slashes -= 1
        if slashes > 0:
            continue
        try:
            if path_match(glob, prefix):
                return True
        except PatternError:
            continue
    return False


def value_problem(value):
    """A pattern in the comma-separated list ``value`` that Go never matches, or None."""
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


# Characters tried, in turn, for a glob character or a [class] of a pattern: letters first (what module paths
# hold), then digits and the punctuation Go allows in paths.
_STAND_INS = "xabcdefghijklmnopqrstuvwyz0123456789-._~"
_SEARCH_LIMIT = 5000


def _glob_tokens(pattern):
    """pattern as (is_glob, text) pairs: literal characters, and '*', '?' or a whole '[...]' class."""
    tokens, index = [], 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            tokens.append((False, pattern[index + 1]))
            index += 2
        elif char in "*?":
            tokens.append((True, char))
            index += 1
        elif char == "[":
            end, ranges = index + 1, 0
            if end < len(pattern) and pattern[end] == "^":
                end += 1
            while end < len(pattern) and not (pattern[end] == "]" and ranges):
                end += 2 if pattern[end] == "\\" else 1
                ranges += 1
            tokens.append((True, pattern[index:end + 1]))
            index = end + 1
        else:
            tokens.append((False, char))
            index += 1
    return tokens


def representative_path(pattern):
    """A module path that pattern matches, to test whether another pattern list covers it: each ``*``,
    ``?`` and [class] (negated ones too) replaced by stand-in characters, checked with Go's path.Match.
    None when no stand-in fits (a pattern nothing plausible matches)."""
    pattern = pattern.strip("/")
    tokens = _glob_tokens(pattern)
    globs = [i for i, (is_glob, _text) in enumerate(tokens) if is_glob]
    choices = [("x", "") if tokens[i][1] == "*" else tuple(_STAND_INS) for i in globs]
    tried = [0]

    def search(depth, chosen):
        if depth == len(globs):
            tried[0] += 1
            candidate = [text for _is_glob, text in tokens]
            for position, value in zip(globs, chosen):
                candidate[position] = value
            path = "".join(candidate)
            try:
                return path if path and path_match(pattern, path) else None
            except PatternError:
                return None
        for value in choices[depth]:
            if tried[0] >= _SEARCH_LIMIT:
                return None
            found = search(depth + 1, chosen + [value])
            if found is not None:
                return found
        return None
    return search(0, [])


def literal_prefix(pattern):
    """The leading path elements of ``pattern`` without a glob character (spaces and slashes around it
    ignored): ``["git.corp.example", "team"]`` for ``git.corp.example/team/*``."""
    plain = []
    for element in pattern.strip().strip("/").split("/"):
        if _GLOB_CHARS & set(element):
            break
        plain.append(element)
    return plain
