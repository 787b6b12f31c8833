# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""GOPROXY lists and GOPRIVATE-style patterns, interpreted the way the go command does.

* ``parse_goproxy`` follows cmd/go/internal/modfetch proxyList: entries are separated by ``,`` (try
  the next entry only when this one answers "not found", HTTP 404/410) or ``|`` (try the next entry on
  any error); entries are trimmed; empty entries are skipped; ``off`` and ``direct`` end the list
  (later entries are never used); a bare host gets ``https://``.
* ``match_patterns`` is golang.org/x/mod/module.MatchPrefixPatterns, the matcher behind GOPRIVATE,
  GONOPROXY, GONOSUMDB and GOINSECURE: a glob with N slashes matches the first N+1 elements of a module
  path, with path.Match syntax.
"""

from __future__ import annotations

import collections

KIND_URL = "url"
KIND_DIRECT = "direct"
KIND_OFF = "off"
FALLBACK_NOT_FOUND = "not_found"  # "," after the entry
FALLBACK_ANY_ERROR = "any_error"  # "|" after the entry
_SEPARATORS = {",": FALLBACK_NOT_FOUND, "|": FALLBACK_ANY_ERROR}
_SEPARATOR_OF = {FALLBACK_NOT_FOUND: ",", FALLBACK_ANY_ERROR: "|"}


class ProxyEntry(collections.namedtuple("ProxyEntry", ("url", "kind", "fallback"))):
    """One used entry of GOPROXY.

    url: the proxy URL as Go uses it ("https://" added to a bare host), or "direct"/"off".
    kind: "url", "direct" or "off".
    fallback: what makes Go move on to the next entry: "not_found" (","), "any_error" ("|"),
        or None for the last entry.
    """

    __slots__ = ()

    def as_dict(self):
        return {"url": self.url, "kind": self.kind, "fallback": self.fallback}


class RawEntry(collections.namedtuple("RawEntry", ("text", "separator"))):
    """One comma/pipe separated piece of GOPROXY, untrimmed, with the separator after it ("" at the end)."""

    __slots__ = ()


def split_goproxy(value):
    """Every piece of ``value`` with its following separator, nothing dropped (lossless)."""
    pieces = []
    start = 0
    for index, char in enumerate(value):
        if char in _SEPARATORS:
            pieces.append(RawEntry(value[start:index], char))
            start = index + 1
    pieces.append(RawEntry(value[start:], ""))
    return pieces


def _is_abs_path(text):
    # filepath.IsAbs and path.IsAbs on Unix: both mean "starts with /".
    return text.startswith("/")


def complete_proxy_url(entry):
    """Go's rule for a scheme-less entry: anything containing ".", ":" or "/" that is neither a full URL
    (contains ":/") nor an absolute path gets "https://" in front. Single words are left alone (Go
    reserves them and then rejects them as URLs without a scheme)."""
    if any(c in entry for c in ".:/") and ":/" not in entry and not _is_abs_path(entry):
        return "https://" + entry
    return entry


def parse_goproxy(value):
    """The entries Go uses from a GOPROXY value, in order (see module docstring). Never raises: URL
    validity is checked by _goenv_validate.check_strict."""
    entries = []
    pieces = split_goproxy(value or "")
    for piece in pieces:
        text = piece.text.strip()
        if not text:
            continue
        if text in (KIND_OFF, KIND_DIRECT):
            entries.append(ProxyEntry(text, text, None))
            break
        entries.append(ProxyEntry(complete_proxy_url(text), KIND_URL, _SEPARATORS.get(piece.separator)))
    if entries:
        last = entries[-1]
        entries[-1] = last._replace(fallback=None)
    return entries


def format_goproxy(entries):
    """A GOPROXY value from entries (ProxyEntry, dicts with url/kind/fallback, or plain strings).

    The separator after each entry comes from its fallback ("any_error" -> "|", anything else -> ","),
    so ``format_goproxy(parse_goproxy(v))`` is an equivalent, normalised ``v``.
    """
    parts = []
    items = list(entries)
    for index, entry in enumerate(items):
        if isinstance(entry, str):
            url, fallback = entry, None
        elif isinstance(entry, dict):
            url, fallback = entry.get("url"), entry.get("fallback")
            if not url and entry.get("kind") in (KIND_DIRECT, KIND_OFF):
                url = entry["kind"]
        else:
            url, fallback = entry.url, entry.fallback
        if not isinstance(url, str) or not url:
            raise ValueError("GOPROXY entry %d has no url: %r" % (index, entry))
        if any(c in url for c in ",|"):
            raise ValueError("GOPROXY entry %d contains a separator (',' or '|'): %r" % (index, url))
        if fallback not in (None, FALLBACK_NOT_FOUND, FALLBACK_ANY_ERROR):
            raise ValueError("GOPROXY entry %d: fallback must be not_found, any_error or null, got %r" % (index, fallback))
        parts.append(url)
        if index < len(items) - 1:
            parts.append(_SEPARATOR_OF.get(fallback, ","))
    return "".join(parts)


# --- GOPRIVATE / GONOPROXY / GONOSUMDB / GOINSECURE ---------------------------------------------------

# Go's built-in checksum databases (cmd/go/internal/modfetch, dbDial): a bare known name stands for its
# verifier key, and sum.golang.google.cn for sum.golang.org's key served from that URL.
SUMDB_KNOWN_KEYS = {"sum.golang.org": "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"}
SUMDB_ALIASES = {"sum.golang.google.cn": "sum.golang.org https://sum.golang.google.cn"}


class SumDB(collections.namedtuple("SumDB", ("key", "name", "url", "explicit", "fields"))):
    """A GOSUMDB value as Go reads it: verifier key (known names expanded), database name, the URL
    Go asks (given, or https://<name>), whether the URL was given, and how many fields there were."""

    __slots__ = ()


def parse_gosumdb(value):
    """GOSUMDB ('name', 'name+hash+key' or either followed by a URL); None for off or empty.

    Only splits: whether the key and URL are valid is _goenv_validate.check_strict's job."""
    value = SUMDB_ALIASES.get(value, value)
    fields = value.split()
    if not fields or value == "off":
        return None
    key = SUMDB_KNOWN_KEYS.get(fields[0], fields[0])
    name = key.split("+", 1)[0]
    url = fields[1] if len(fields) > 1 else None
    return SumDB(key, name, url or "https://" + name, url is not None, len(fields))


class PatternError(ValueError):
    """A glob that path.Match reports as malformed (Go then silently never matches it)."""


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
