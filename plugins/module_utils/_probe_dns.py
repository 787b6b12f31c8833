# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""Name resolution as a build host sees it, with the reason when it fails.

The addresses come from getaddrinfo (so /etc/hosts and nsswitch count, as they do for Go's resolver).
getaddrinfo cannot say why it failed beyond EAI_NONAME / EAI_AGAIN, and EAI_AGAIN covers both a dead
resolver and SERVFAIL; so on failure one raw DNS query per resolver in /etc/resolv.conf tells the
classes apart: ``nxdomain``, ``nodata``, ``servfail``, ``refused``, ``timeout``.
getaddrinfo cannot be interrupted: it runs in a daemon thread that is abandoned at the deadline.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import struct
import threading
import time

RESOLV_CONF = "/etc/resolv.conf"
_RCODE_CLASS = {2: "servfail", 3: "nxdomain", 5: "refused"}


def read_resolv_conf(path=RESOLV_CONF):
    """(nameservers, search domains, ndots) from a resolv.conf; glibc's defaults where absent."""
    servers, search, ndots = [], [], 1
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except EnvironmentError:
        lines = []
    for line in lines:
        fields = line.split("#", 1)[0].split(";", 1)[0].split()
        if len(fields) < 2:
            continue
        if fields[0] == "nameserver":
            servers.append(fields[1].split("%", 1)[0])
        elif fields[0] in ("search", "domain"):
            search = fields[1:]
        elif fields[0] == "options":
            for opt in fields[1:]:
                if opt.startswith("ndots:") and opt[6:].isdigit():
                    ndots = int(opt[6:])
    return servers or ["127.0.0.1"], search, ndots


def _encode_query(qid, name, qtype=1):
    labels = [label for label in name.rstrip(".").split(".") if label]
    qname = b"".join(struct.pack("B", len(label.encode("idna"))) + label.encode("idna") for label in labels) + b"\0"
    return struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0) + qname + struct.pack(">HH", qtype, 1)


def query_rcode(server, name, timeout, port=53):
    """(rcode, answer count) of one A query over UDP; raises socket.timeout / OSError."""
    family = socket.AF_INET6 if ":" in server else socket.AF_INET
    qid = int.from_bytes(os.urandom(2), "big")
    sock = socket.socket(family, socket.SOCK_DGRAM)
    try:
        sock.settimeout(timeout)
        sock.connect((server, port))
        sock.send(_encode_query(qid, name))
        deadline = time.monotonic() + timeout
        while True:
            sock.settimeout(max(0.01, deadline - time.monotonic()))
            data = sock.recv(4096)
            if len(data) >= 12 and struct.unpack(">H", data[:2])[0] == qid:
                flags, _qd, ancount = struct.unpack(">HHH", data[2:8])
                return flags & 0x0F, ancount
    finally:
        sock.close()


def candidate_names(host, search, ndots):
    """The names the stub resolver tries, in its order (absolute first when dots >= ndots)."""
    if host.endswith("."):
        return [host]
    with_search = ["%s.%s" % (host, domain) for domain in search]
    return [host + "."] + with_search if host.count(".") >= ndots else with_search + [host + "."]


def classify_failure(host, timeout, resolv_conf=RESOLV_CONF, port=53):
    """Why host does not resolve: the first non-NXDOMAIN outcome over the resolvers and search names."""
    servers, search, ndots = read_resolv_conf(resolv_conf)
    outcomes = []
    for name in candidate_names(host, search, ndots):
        for server in servers[:3]:  # glibc uses at most three (MAXNS)
            try:
                rcode, answers = query_rcode(server, name, timeout, port)
            except socket.timeout:
                outcomes.append(("timeout", server))
                continue
            except OSError as e:
                outcomes.append(("unreachable" if e.errno else "error", server))
                continue
            if rcode == 0:
                outcomes.append(("nodata" if answers == 0 else "ok", server))
            else:
                outcomes.append((_RCODE_CLASS.get(rcode, "rcode_%d" % rcode), server))
            break  # a server that answered is authoritative for this name: no need to ask the next one
    for wanted in ("servfail", "refused", "timeout", "unreachable", "nodata", "ok"):
        for cls, server in outcomes:
            if cls == wanted:
                return cls, server
    return (outcomes[0] if outcomes else ("nxdomain", None))


def _getaddrinfo(host, port, box):
    try:
        infos = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
        box["addresses"] = list(dict.fromkeys(info[4][0] for info in infos))
    except socket.gaierror as e:
        box["gaierror"] = (e.errno, e.strerror)
    except Exception as e:  # pylint: disable=broad-except  # reported as the probe's error, never raised in a thread
        box["gaierror"] = (None, str(e))


def resolve(host, port, timeout):
    """{ok, addresses, seconds, error_class, error, resolver} for host, within timeout seconds."""
    try:
        ipaddress.ip_address(host)
        return {"ok": True, "addresses": [host], "seconds": 0.0, "error_class": None, "error": None, "resolver": None}
    except ValueError:
        pass
    start = time.monotonic()
    box = {}
    worker = threading.Thread(target=_getaddrinfo, args=(host, port, box), name="dns-" + host)
    worker.daemon = True
    worker.start()
    worker.join(timeout)
    seconds = round(time.monotonic() - start, 4)
    result = {"ok": False, "addresses": [], "seconds": seconds, "error_class": None, "error": None, "resolver": None}
    if "addresses" in box:
        result.update(ok=True, addresses=box["addresses"])
        return result
    if worker.is_alive():
        result.update(error_class="timeout", error="no answer within %gs" % timeout)
        return result
    code, text = box.get("gaierror", (None, "unknown error"))
    if code == socket.EAI_NONAME:
        cls, server = classify_failure(host, min(timeout, 2.0))
        # getaddrinfo said the name does not exist; only a definite other answer overrides that.
        result.update(error_class="nxdomain" if cls in ("nxdomain", "ok", "timeout", "unreachable") else cls,
                      resolver=server)
    else:
        cls, server = classify_failure(host, min(timeout, 2.0))
        result.update(error_class=cls if cls != "ok" else "error", resolver=server)
    result["error"] = text
    return result
