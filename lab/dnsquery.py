"""One DNS query, timed, with nothing but the Python standard library.

The lab uses it in two places where no resolver library may be assumed:
  - lab/labctl.py asks a lab network's gateway (aardvark-dns) whether it answers, before any host needs it;
  - tests run it ON lab hosts (python3 -c "$(cat dnsquery.py)" ...): a dig process costs 15-20 ms to start,
    which would hide whether a 50 ms budget was kept by the resolver or spent elsewhere.

    python3 lab/dnsquery.py [--server ADDR] [--port N] [--timeout S] [--tcp] NAME TYPE [TYPE ...]

prints one JSON object per TYPE: {"name", "type", "ms", "timeout", "rcode", "aa", "answers": [[type, data]]},
data being the address for A/AAAA records and the rdata length otherwise. The server defaults to the first
nameserver of /etc/resolv.conf. Exit status 0 when every query got an answer (any rcode), 1 on a timeout.
"""

import argparse
import ipaddress
import json
import os
import socket
import struct
import sys
import time

QTYPES = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "PTR": 12, "MX": 15, "TXT": 16, "AAAA": 28, "SRV": 33,
          "HTTPS": 65, "ANY": 255, "CAA": 257}
TYPE_NAMES = {v: k for k, v in QTYPES.items()}
RCODES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED"}


class DNSFormatError(ValueError):
    pass


def qtype_number(qtype):
    """'AAAA' -> 28; also 'TYPE65' and plain numbers, as dig accepts them."""
    text = str(qtype).upper()
    if text in QTYPES:
        return QTYPES[text]
    if text.startswith("TYPE") and text[4:].isdigit():
        return int(text[4:])
    if text.isdigit():
        return int(text)
    raise ValueError(f"unknown query type {qtype!r}")


def type_name(number):
    return TYPE_NAMES.get(number, f"TYPE{number}")


def encode_name(name):
    out = b""
    for label in name.rstrip(".").split(".") if name.strip(".") else []:
        raw = label.encode("idna") if not label.isascii() else label.encode()
        if not 0 < len(raw) < 64:
            raise ValueError(f"bad label {label!r} in {name!r}")
        out += bytes([len(raw)]) + raw
    return out + b"\0"


def build_query(name, qtype, qid, recursion=True):
    """A standard query (one question, class IN) as sent over UDP."""
    flags = 0x0100 if recursion else 0  # RD: a stub resolver's query, as glibc and dig send it
    return struct.pack("!HHHHHH", qid, flags, 1, 0, 0, 0) + encode_name(name) + struct.pack("!HH", qtype_number(qtype), 1)


def _skip_name(data, pos):
    """Position after the (possibly compressed) name at pos."""
    while True:
        if pos >= len(data):
            raise DNSFormatError("name runs past the end of the message")
        length = data[pos]
        if length & 0xC0 == 0xC0:
            return pos + 2
        if length == 0:
            return pos + 1
        pos += 1 + length


def parse_response(data):
    """{id, rcode, aa, tc, answers: [[type, data]]} of a response; DNSFormatError if it is not one."""
    if len(data) < 12:
        raise DNSFormatError(f"{len(data)} bytes: shorter than a DNS header")
    qid, flags, qdcount, ancount, _nscount, _arcount = struct.unpack("!HHHHHH", data[:12])
    if not flags & 0x8000:
        raise DNSFormatError("QR bit clear: a query, not a response")
    pos = 12
    for _question in range(qdcount):
        pos = _skip_name(data, pos) + 4
    answers = []
    for _answer in range(ancount):
        pos = _skip_name(data, pos)
        if pos + 10 > len(data):
            raise DNSFormatError("answer record runs past the end of the message")
        rtype, _rclass, _ttl, rdlength = struct.unpack("!HHIH", data[pos:pos + 10])
        rdata = data[pos + 10:pos + 10 + rdlength]
        if len(rdata) != rdlength:
            raise DNSFormatError("rdata runs past the end of the message")
        if rtype in (1, 28) and rdlength in (4, 16):
            value = str(ipaddress.ip_address(rdata))
        else:
            value = rdlength
        answers.append([type_name(rtype), value])
        pos += 10 + rdlength
    rcode = flags & 0x000F
    return {"id": qid, "rcode": RCODES.get(rcode, str(rcode)), "aa": bool(flags & 0x0400),
            "tc": bool(flags & 0x0200), "answers": answers}


def _recv_exact(sock, size):
    buf = b""
    while len(buf) < size:
        chunk = sock.recv(size - len(buf))
        if not chunk:
            raise DNSFormatError("connection closed mid-message")
        buf += chunk
    return buf


def query(server, name, qtype, port=53, timeout=1.0, tcp=False):
    """Send one query and wait for its response: the parsed response plus ms and timeout=False, or
    {timeout: True, ms} when nothing (or nothing matching) came back in time."""
    qid = int.from_bytes(os.urandom(2), "big")
    packet = build_query(name, qtype, qid)
    family = socket.AF_INET6 if ":" in server else socket.AF_INET
    result = {"name": name, "type": type_name(qtype_number(qtype)), "server": f"{server}#{port}",
              "tcp": tcp, "timeout": False}
    start = time.monotonic()
    deadline = start + timeout
    try:
        with socket.socket(family, socket.SOCK_STREAM if tcp else socket.SOCK_DGRAM) as sock:
            sock.settimeout(timeout)
            if tcp:
                sock.connect((server, port))
                sock.sendall(struct.pack("!H", len(packet)) + packet)
                reply = parse_response(_recv_exact(sock, struct.unpack("!H", _recv_exact(sock, 2))[0]))
            else:
                sock.sendto(packet, (server, port))
                while True:  # a stray datagram (an earlier query's late answer) is not ours
                    sock.settimeout(max(0.001, deadline - time.monotonic()))
                    data, _peer = sock.recvfrom(65535)
                    try:
                        reply = parse_response(data)
                    except DNSFormatError:
                        continue
                    if reply["id"] == qid:
                        break
    except (socket.timeout, TimeoutError):
        result.update(timeout=True, ms=round((time.monotonic() - start) * 1000, 2))
        return result
    result.update(reply, ms=round((time.monotonic() - start) * 1000, 2))
    return result


def resolv_conf_server(path="/etc/resolv.conf"):
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            words = line.split()
            if len(words) >= 2 and words[0] == "nameserver":
                return words[1]
    raise ValueError(f"no nameserver line in {path}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", help="resolver address (default: first nameserver of /etc/resolv.conf)")
    parser.add_argument("--port", type=int, default=53)
    parser.add_argument("--timeout", type=float, default=1.0, help="seconds to wait for each answer")
    parser.add_argument("--tcp", action="store_true", help="query over TCP instead of UDP")
    parser.add_argument("name")
    parser.add_argument("types", nargs="+", metavar="TYPE")
    args = parser.parse_args(argv)
    server = args.server or resolv_conf_server()
    failed = False
    for qtype in args.types:
        result = query(server, args.name, qtype, port=args.port, timeout=args.timeout, tcp=args.tcp)
        failed = failed or result["timeout"]
        print(json.dumps(result, sort_keys=True), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
