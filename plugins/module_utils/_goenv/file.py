# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""The per-user go env file, read and written exactly as cmd/go does, on bytes.

Go never decodes this file: a value may hold any byte except NUL and newlines, and lines Go does not
understand (comments, lowercase keys, invalid UTF-8) survive every ``go env -w``. So everything here
works on ``bytes``; keys and values cross the module boundary as ``str`` (see _common.text).

Two views of a line, both Go's:
* the reader (cmd/go/internal/cfg readEnvFile): a setting is a line whose first byte is A-Z and that
  contains ``=``; the last occurrence of a key wins;
* the writer (cmd/go/internal/envcmd updateEnvFile/lineToKey): the key of a line is everything before
  its first ``=`` unless a ``#`` precedes it. The writer deduplicates and sorts by that key, so
  lowercase and space-padded keys take part in sorting even though the reader ignores them.
"""

from __future__ import annotations

from ansible_collections.gomod.proxy.plugins.module_utils._common.text import to_bytes, to_text


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

    ``settings`` is a mapping or a sequence of ``(key, value)``. No validation: see _goenv.validate.
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
