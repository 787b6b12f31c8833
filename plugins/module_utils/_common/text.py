# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""Strings as Go handles them, for every layer above: bytes and str, Go's %q, UTF-8 validity, Unix paths.

Go never decodes a go env file or an environment variable: a value may hold any byte. Keys and values
cross the module boundary as ``str``, converted with UTF-8 plus ``surrogateescape``, which maps every
byte sequence to a ``str`` and back unchanged. What is shown to people (results, messages) goes through
``display``, which writes undecodable bytes as ``\\xNN`` so JSON can carry it.
"""

from __future__ import annotations

ENCODING = "utf-8"
ERRORS = "surrogateescape"

_GO_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}


def to_bytes(text):
    """``str`` (or ``bytes``) as the bytes Go would see; undecodable bytes round-trip."""
    if isinstance(text, bytes):
        return text
    try:
        return text.encode(ENCODING, ERRORS)
    except UnicodeEncodeError:
        # A lone surrogate that did not come from surrogateescape (JSON can carry one): keep it as the
        # invalid UTF-8 Go would see, so validation rejects it instead of crashing.
        return b"".join(c.encode(ENCODING, ERRORS if 0xDC80 <= ord(c) <= 0xDCFF else "surrogatepass") for c in text)


def to_text(data):
    """``bytes`` (or ``str``) as ``str``; invalid UTF-8 becomes lone surrogates, see ``to_bytes``."""
    if isinstance(data, str):
        return data
    return data.decode(ENCODING, ERRORS)


def valid_utf8(text):
    """utf8.ValidString of what Go would see for ``text``."""
    try:
        to_bytes(text).decode("utf-8")
    except UnicodeError:
        return False
    return True


def go_quote(text):
    """Go's %q (strconv.Quote) of a string; bytes that are not UTF-8 appear as \\xNN."""
    data = to_bytes(text)
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


def is_abs(path):
    """filepath.IsAbs (and path.IsAbs) on Unix: the path starts with "/"."""
    return path.startswith("/")


def base(path):
    """filepath.Base on Unix."""
    if path == "":
        return "."
    path = path.rstrip("/")
    if path == "":
        return "/"
    return path[path.rfind("/") + 1:]


def _escape_text(text):
    """Undecodable bytes (surrogateescape) as ``\\xNN``; other lone surrogates as ``\\uXXXX``."""
    out = []
    for char in text:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:
            out.append("\\x%02x" % (code - 0xDC00))
        elif 0xD800 <= code <= 0xDFFF:
            out.append("\\u%04x" % code)
        else:
            out.append(char)
    return "".join(out)


def display(value):
    """A JSON-safe copy of ``value`` for results and messages shown to people.

    ``bytes`` and ``str`` become ``str`` with every byte that is not valid UTF-8 written as ``\\xNN``
    (a literal backslash is left alone, so this is for display, not a reversible encoding). Dicts,
    lists and tuples are copied recursively (tuples become lists); other JSON scalars pass through.
    """
    if isinstance(value, bytes):
        return _escape_text(to_text(value))
    if isinstance(value, str):
        return _escape_text(value)
    if isinstance(value, dict):
        return dict((display(k) if isinstance(k, (str, bytes)) else k, display(v)) for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        return [display(item) for item in items]
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return display(str(value))
