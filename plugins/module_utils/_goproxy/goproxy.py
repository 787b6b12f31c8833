# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""GOPROXY, parsed and checked the way the go command does: the one owner of its list and URL rules.

* ``parse_goproxy`` follows cmd/go/internal/modfetch proxyList: entries are separated by ``,`` (try
  the next entry only when this one answers "not found", HTTP 404/410) or ``|`` (try the next entry on
  any error); entries are trimmed; empty entries are skipped; ``off`` and ``direct`` end the list
  (later entries are never used); a bare host gets ``https://``.
* ``value_problem`` says what Go (proxyList, newProxyRepo, then the first request) would fail on in a
  list it reads: an entry after ``direct``/``off``, an empty entry, a URL with no or another scheme,
  no host, a bad port or escape. Its small url.Parse (``url_parts``, ``host_problem``) also checks the
  URL of GOSUMDB (_goproxy.gosumdb).
"""

from __future__ import annotations

import collections
import re

from ansible_collections.gomod.proxy.plugins.module_utils._common.text import go_quote, is_abs

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


def complete_proxy_url(entry):
    """Go's rule for a scheme-less entry: anything containing ".", ":" or "/" that is neither a full URL
    (contains ":/") nor an absolute path gets "https://" in front. Single words are left alone (Go
    reserves them and then rejects them as URLs without a scheme)."""
    if any(c in entry for c in ".:/") and ":/" not in entry and not is_abs(entry):
        return "https://" + entry
    return entry


def parse_goproxy(value):
    """The entries Go uses from a GOPROXY value, in order (see module docstring). Never raises: what Go
    would reject is ``value_problem``'s to say."""
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


# --- what Go rejects ------------------------------------------------------------------------------------

_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):(.*)$", re.S)


def url_parts(text):
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


def host_problem(authority):
    """What url.Parse rejects in the host[:port] of an authority (userinfo ignored), or None."""
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


def entry_problem(entry):
    """What Go's proxyList/newProxyRepo (plus a request) would reject about one GOPROXY entry."""
    url = complete_proxy_url(entry)
    parts = url_parts(url)
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
    problem = host_problem(authority)
    if problem:
        return "proxy URL %s: %s" % (url, problem)
    return None


def value_problem(value):
    """What Go would fail on in the GOPROXY list ``value``, or None when every entry it uses is usable.

    An empty value is no list at all (Go's default applies, or in an env file from 1.21 it hides the
    default: _goenv.strict says so); entries after ``direct``/``off`` are never used and are reported,
    since they are almost certainly a mistake.
    """
    if value == "":
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
        problem = entry_problem(entry)
        if problem:
            return problem
    return None
