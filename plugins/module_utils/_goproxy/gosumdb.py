# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""GOSUMDB, parsed and checked as the go command reads it: the one owner of its forms and its key check.

A value is ``off``, a database name Go knows (``sum.golang.org``, or ``sum.golang.google.cn`` for the
same database served from China), or ``name+hash+key``, either optionally followed by the URL to ask.
``verifier_key_error`` is golang.org/x/mod/sumdb/note.NewVerifier; URLs are checked with GOPROXY's URL
rules (_goproxy.goproxy).
"""

from __future__ import annotations

import base64
import binascii
import collections
import hashlib
import re
import struct

from ansible_collections.gomod.proxy.plugins.module_utils._common.text import go_quote, valid_utf8
from ansible_collections.gomod.proxy.plugins.module_utils._goproxy.goproxy import host_problem, url_parts

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

    Only splits: whether the key and URL are valid is ``value_problem``'s to say."""
    value = SUMDB_ALIASES.get(value, value)
    fields = value.split()
    if not fields or value == "off":
        return None
    key = SUMDB_KNOWN_KEYS.get(fields[0], fields[0])
    name = key.split("+", 1)[0]
    url = fields[1] if len(fields) > 1 else None
    return SumDB(key, name, url or "https://" + name, url is not None, len(fields))


def verifier_key_error(vkey):
    """golang.org/x/mod/sumdb/note.NewVerifier: the error text, or None for a valid key."""
    name, _sep, rest = vkey.partition("+")
    hash16, _sep, key64 = rest.partition("+")
    try:
        key = base64.b64decode(key64.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeError):
        key = None
    hash_ok = len(hash16) == 8 and re.match(r"^[0-9A-Fa-f]{8}$", hash16) is not None
    name_ok = name != "" and valid_utf8(name) and "+" not in name and not any(c.isspace() for c in name)
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


def value_problem(value):
    """What Go would fail on with the GOSUMDB ``value``, or None (also for "", which means the default
    to Go; what an empty value does in an env file is _goenv.strict's business)."""
    if value == "":
        return None
    db = parse_gosumdb(value)
    if db is None:
        return None if value == "off" else "missing GOSUMDB"
    if db.fields > 2:
        return "invalid GOSUMDB: too many fields"
    problem = verifier_key_error(db.key)
    if problem:
        if "+" not in db.key:
            return "invalid GOSUMDB: %s (a name alone is only known for sum.golang.org; use name+hash+key)" % problem
        return "invalid GOSUMDB: %s" % problem
    if db.name.endswith("/") or any(c in db.name for c in "?#@%") or host_problem(db.name.partition("/")[0]):
        return "invalid sumdb name (must be host[/path]): %s" % db.name
    if db.explicit:
        parts = url_parts(db.url)
        if isinstance(parts, str):
            return "invalid GOSUMDB URL: %s" % parts
        scheme, authority, _rest = parts
        if scheme not in ("http", "https") or not authority or host_problem(authority):
            return "invalid GOSUMDB URL %s: needs http(s)://host[/path]" % go_quote(db.url)
    return None
