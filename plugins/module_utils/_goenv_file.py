# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""The per-user go env file, read and written exactly as cmd/go does, on bytes.

Go never decodes this file: a value may hold any byte except NUL and newlines, and lines Go does not
understand (comments, lowercase keys, invalid UTF-8) survive every ``go env -w``. So everything here
works on ``bytes``; keys and values cross the module boundary as ``str`` and are converted with UTF-8
plus ``surrogateescape``, which maps every byte sequence to a ``str`` and back unchanged.

Two views of a line, both Go's:
* the reader (cmd/go/internal/cfg readEnvFile): a setting is a line whose first byte is A-Z and that
  contains ``=``; the last occurrence of a key wins;
* the writer (cmd/go/internal/envcmd updateEnvFile/lineToKey): the key of a line is everything before
  its first ``=`` unless a ``#`` precedes it. The writer deduplicates and sorts by that key, so
  lowercase and space-padded keys take part in sorting even though the reader ignores them.
"""

from __future__ import annotations

ENCODING = "utf-8"
ERRORS = "surrogateescape"


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


def writer_key(line):
    """Go's lineToKey: the bytes before the first ``=`` unless a ``#`` comes before it, else b""."""
    equals = line.find(b"=")
    if equals < 0 or b"#" in line[:equals]:
        return b""
    return line[:equals]


def _reader_pair(line):
    """(key, value) as Go's reader sees one line (without its newline), or None when it is ignored."""
    equals = line.find(b"=")
    if equals < 0 or not b"A"[0] <= line[0] <= b"Z"[0]:
        return None
    return line[:equals], line[equals + 1:]


def parse(data):
    """The settings Go reads from the file: ``{key: value}`` as ``str``, the last occurrence winning.

    Values keep every byte after the first ``=``, including a ``\\r`` of a CRLF line. ``None`` (no
    file) reads as an empty file.
    """
    settings = {}
    for line in (data or b"").split(b"\n"):
        pair = _reader_pair(line)
        if pair is not None:
            settings[to_text(pair[0])] = to_text(pair[1])
    return settings


def reader_keys(data):
    """The keys Go's reader finds in the file, as a set of ``str`` (the 1.21+ "already known" rule)."""
    return set(parse(data))


def _split_lines(data):
    """Go's readEnvFileLines: lines keeping their ``\\n``; a missing final newline is added."""
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    lines = [line + b"\n" for line in lines]
    return lines


def _sort_runs(lines):
    """Sort, in place, every maximal block of lines that have a writer key, by that key (bytewise).

    Within a block the writer keys are unique (duplicates were blanked before), so the order Go's
    unstable sort produces is the only possible one.
    """
    start = 0
    for end in range(len(lines) + 1):
        if end == len(lines) or writer_key(lines[end]) == b"":
            lines[start:end] = sorted(lines[start:end], key=writer_key)
            start = end + 1


def update(data, add, delete):
    """Go's updateEnvFile on the file bytes ``data`` (``None`` or b"" for no file).

    ``add`` is a sequence of ``(key, value)`` (``str`` or ``bytes``), ``delete`` a sequence of keys.
    Earlier copies of every writer key are dropped; an added key replaces the surviving copy in place
    or is appended; a deleted key's surviving line is dropped; then every run is sorted.

    Go keeps ``add`` in a map and appends new keys in random order. The order matters only when an
    appended key has no writer key (it contains ``#``, possible from 1.21 when such a line is already
    in the file) because that line then splits runs; here new keys are appended in the order given.
    """
    lines = _split_lines(data or b"")

    surviving = {}
    for index, line in enumerate(lines):
        key = writer_key(line)
        if key:
            if key in surviving:
                lines[surviving[key]] = b""
            surviving[key] = index

    appended = []
    pending = {}
    for key, value in add:
        pending[to_bytes(key)] = to_bytes(value)
    for key, value in pending.items():
        if key in surviving:
            lines[surviving[key]] = key + b"=" + value + b"\n"
        else:
            appended.append(key + b"=" + value + b"\n")
    lines.extend(appended)

    for key in delete:
        index = surviving.get(to_bytes(key))
        if index is not None:
            lines[index] = b""

    _sort_runs(lines)
    return b"".join(lines)


def write(data, settings):
    """The file after ``go env -w K=V ...``; ``data`` is None when the file does not exist yet.

    ``settings`` is a mapping or a sequence of ``(key, value)``. No validation: see _goenv_validate.
    """
    pairs = list(settings.items()) if hasattr(settings, "items") else list(settings)
    return update(data, pairs, ())


def unset(data, keys):
    """The file after ``go env -u K ...`` on an existing file (``data`` must be bytes).

    Go refuses ``-u`` when the file does not exist; callers decide what a missing file means.
    Unsetting an absent key still deduplicates, sorts and adds a final newline, as Go does.
    """
    if data is None:
        raise TypeError("unset needs the bytes of an existing env file, not None")
    return update(data, (), list(keys))


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
