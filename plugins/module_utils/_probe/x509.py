# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""The few fields of an X.509 certificate (DER) the audit shows: subject, issuer, validity, names.

Python's ssl module only decodes a certificate that verified; a self-signed or expired one, the
very cases an operator needs to see, comes back as bytes. This is a minimal DER reader for them.
"""

from __future__ import annotations

import datetime

_OID_NAMES = {"2.5.4.3": "CN", "2.5.4.10": "O", "2.5.4.11": "OU", "2.5.4.6": "C"}
_OID_SAN = "2.5.29.17"
_MAX_NAMES = 8  # enough to see why a name does not match; shared egress certificates list dozens


def _tlv(data, pos):
    """(tag, content start, content end) of the DER element at pos."""
    tag = data[pos]
    length = data[pos + 1]
    pos += 2
    if length & 0x80:
        count = length & 0x7F
        length = int.from_bytes(data[pos:pos + count], "big")
        pos += count
    return tag, pos, pos + length


def _children(data, start, end):
    out = []
    while start < end:
        tag, cstart, cend = _tlv(data, start)
        out.append((tag, cstart, cend))
        start = cend
    return out


def _oid(raw):
    first = raw[0]
    parts = [first // 40, first % 40]
    value = 0
    for byte in raw[1:]:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            parts.append(value)
            value = 0
    return ".".join(str(p) for p in parts)


def _name(data, start, end):
    """RDNSequence as 'CN=x, O=y' (in certificate order)."""
    fields = []
    for _set_tag, sstart, send in _children(data, start, end):
        for _seq_tag, astart, aend in _children(data, sstart, send):
            parts = _children(data, astart, aend)
            _otag, ostart, oend = parts[0]
            vtag, vstart, vend = parts[1]
            label = _OID_NAMES.get(_oid(data[ostart:oend]))
            if label:
                codec = "utf-16-be" if vtag == 0x1E else "utf-8"
                fields.append("%s=%s" % (label, data[vstart:vend].decode(codec, "replace")))
    return ", ".join(fields)


def _time(tag, raw):
    text = raw.decode("ascii")
    fmt = "%y%m%d%H%M%SZ" if tag == 0x17 else "%Y%m%d%H%M%SZ"
    return datetime.datetime.strptime(text, fmt).replace(tzinfo=datetime.timezone.utc)


def _san(data, start, end):
    names = []
    for tag, cstart, cend in _children(data, start, end):
        if tag == 0x82:
            names.append("DNS:" + data[cstart:cend].decode("ascii", "replace"))
        elif tag == 0x87:
            raw = data[cstart:cend]
            if len(raw) == 4:
                names.append("IP:" + ".".join(str(b) for b in raw))
            else:
                names.append("IP:" + ":".join("%x" % int.from_bytes(raw[i:i + 2], "big") for i in range(0, len(raw), 2)))
    return names


def _extensions(data, start, end):
    """{oid: (value start, value end)} of the extensions block ([3] EXPLICIT SEQUENCE OF Extension)."""
    found = {}
    (_seq, sstart, send) = _children(data, start, end)[0]
    for _tag, estart, eend in _children(data, sstart, send):
        parts = _children(data, estart, eend)
        oid = _oid(data[parts[0][1]:parts[0][2]])
        _vtag, vstart, vend = parts[-1]  # OCTET STRING wrapping the extension value
        found[oid] = (vstart, vend)
    return found


def describe(der, now=None):
    """{subject, issuer, not_before, not_after, days_left, self_signed, names} of a DER certificate."""
    _tag, cstart, cend = _tlv(der, 0)
    tbs_tag, tstart, tend = _children(der, cstart, cend)[0]
    del tbs_tag
    fields = _children(der, tstart, tend)
    if fields[0][0] == 0xA0:  # explicit version
        fields = fields[1:]
    issuer = _name(der, fields[2][1], fields[2][2])
    validity = _children(der, fields[3][1], fields[3][2])
    not_before = _time(validity[0][0], der[validity[0][1]:validity[0][2]])
    not_after = _time(validity[1][0], der[validity[1][1]:validity[1][2]])
    subject = _name(der, fields[4][1], fields[4][2])
    names = []
    for tag, start, end in fields[6:]:
        if tag == 0xA3:
            exts = _extensions(der, start, end)
            if _OID_SAN in exts:
                _stag, sstart, send = _tlv(der, exts[_OID_SAN][0])
                names = _san(der, sstart, send)
    now = now or datetime.datetime.now(datetime.timezone.utc)
    return {
        "subject": subject,
        "issuer": issuer,
        "not_before": not_before.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "not_after": not_after.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "days_left": int((not_after - now).total_seconds() // 86400),
        "self_signed": subject == issuer,
        "names": names if len(names) <= _MAX_NAMES else names[:_MAX_NAMES] + ["(+%d more)" % (len(names) - _MAX_NAMES)],
    }
