# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""Name resolution the way the go command does it, with the reason and the cost when it goes wrong.

The go command is built with CGO_ENABLED=0, so it always uses Go's own resolver (net/dnsclient_unix.go),
not glibc's getaddrinfo:
- /etc/nsswitch.conf decides whether /etc/hosts or DNS comes first; a name found in /etc/hosts is
  answered from there alone;
- otherwise, for each candidate name (resolv.conf ``search``/``ndots``), the A and the AAAA query go out
  at the same time and Go waits for BOTH before it uses the addresses (``single-request`` sends them one
  after the other). Each query tries every nameserver ``attempts`` times, ``timeout`` seconds per try.

So a resolver that answers A at once but forwards AAAA to a silent upstream does not break Go: it
delays every new connection by attempts x servers x timeout, then Go connects to the A address. The
probe reports that as a stall of one family, with its cost, not as a dead DNS. Only when no family
yields an address does the lookup fail, with the class of the most telling answer: ``nxdomain``,
``nodata``, ``servfail``, ``refused``, ``timeout``, ``unreachable``.

The probe asks the same questions over UDP itself (no glibc), within the probe's own deadline; when
the deadline ends a family's tries early, the time Go would wait is computed from resolv.conf.
A truncated UDP answer (TC) is taken as it is: A/AAAA answers for one name fit in 512 bytes.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import struct
import threading
import time

RESOLV_CONF = "/etc/resolv.conf"
HOSTS = "/etc/hosts"
NSSWITCH = "/etc/nsswitch.conf"
DNS_PORT = 53
# net/http.DefaultTransport's dialer gives one connection 30 s, lookup included: Go never waits longer.
GO_DIAL_TIMEOUT = 30.0
FAMILIES = (("A", 1), ("AAAA", 28))
_RCODE_CLASS = {2: "servfail", 3: "nxdomain", 5: "refused"}
# Most telling first: why a name yields no address when several answers disagree.
_FAILURE_RANK = ("servfail", "refused", "timeout", "unreachable", "nodata", "nxdomain", "error")


class ResolverConfig(object):
    """resolv.conf as Go reads it (net/dnsconfig_unix.go), with Go's defaults."""

    def __init__(self, servers=None, search=None, ndots=1, timeout=5.0, attempts=2, rotate=False,
                 single_request=False):
        self.servers = list(servers or ["127.0.0.1", "::1"])
        self.search = list(search or [])
        self.ndots = ndots
        self.timeout = timeout
        self.attempts = attempts
        self.rotate = rotate
        self.single_request = single_request

    def go_wait(self):
        """Seconds Go spends on one family that never gets an answer."""
        return min(GO_DIAL_TIMEOUT, self.timeout * self.attempts * len(self.servers))


def _bounded_int(text, low, high):
    value = int(text)
    return max(low, min(high, value))


def read_resolv_conf(path=RESOLV_CONF):
    """ResolverConfig from a resolv.conf; Go's defaults where absent (nameservers 127.0.0.1 and ::1)."""
    conf = ResolverConfig()
    servers = []
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except EnvironmentError:
        lines = []
    for line in lines:
        fields = line.split("#", 1)[0].split(";", 1)[0].split()
        if not fields:
            continue
        if fields[0] == "nameserver" and len(fields) > 1 and len(servers) < 3:  # Go, like glibc, uses three
            servers.append(fields[1].split("%", 1)[0])
        elif fields[0] in ("search", "domain") and len(fields) > 1:
            conf.search = [d.rstrip(".") for d in fields[1:]]
        elif fields[0] == "options":
            for opt in fields[1:]:
                name, _sep, value = opt.partition(":")
                try:
                    if name == "ndots":
                        conf.ndots = _bounded_int(value, 0, 15)
                    elif name == "timeout":
                        conf.timeout = float(_bounded_int(value, 1, 30))
                    elif name == "attempts":
                        conf.attempts = _bounded_int(value, 1, 5)
                except ValueError:
                    continue
                if name == "rotate":
                    conf.rotate = True
                elif name in ("single-request", "single-request-reopen"):
                    conf.single_request = True
    if servers:
        conf.servers = servers
    return conf


def lookup_order(path=NSSWITCH):
    """("files", "dns") in the order the hosts line of nsswitch.conf gives them; Go's default when unset."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except EnvironmentError:
        return ("files", "dns")
    for line in lines:
        fields = line.split("#", 1)[0].split()
        if fields and fields[0] == "hosts:":
            sources = [s for s in fields[1:] if s in ("files", "dns")]
            return tuple(sources) if sources else ("files", "dns")
    return ("files", "dns")


def hosts_lookup(name, path=HOSTS):
    """Addresses /etc/hosts gives name (case-insensitive, trailing dot ignored), in file order."""
    wanted = name.rstrip(".").lower()
    found = []
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except EnvironmentError:
        return found
    for line in lines:
        fields = line.split("#", 1)[0].split()
        if len(fields) < 2 or wanted not in [n.rstrip(".").lower() for n in fields[1:]]:
            continue
        try:
            address = str(ipaddress.ip_address(fields[0].split("%", 1)[0]))
        except ValueError:
            continue
        if address not in found:
            found.append(address)
    return found


def candidate_names(host, search, ndots):
    """The names Go tries, in its order (the absolute name first when it has ndots dots or more)."""
    if host.endswith("."):
        return [host]
    with_search = ["%s.%s." % (host, domain) for domain in search]
    return [host + "."] + with_search if host.count(".") >= ndots else with_search + [host + "."]


def encode_query(qid, name, qtype):
    labels = [label for label in name.rstrip(".").split(".") if label]
    qname = b"".join(struct.pack("B", len(label.encode("idna"))) + label.encode("idna") for label in labels) + b"\0"
    return struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0) + qname + struct.pack(">HH", qtype, 1)


def _skip_name(data, offset):
    while True:
        length = data[offset]
        if length & 0xC0 == 0xC0:  # compression pointer: two bytes, ends the name
            return offset + 2
        offset += 1 + length
        if length == 0:
            return offset


def parse_response(data, qid):
    """(rcode, addresses) of an answer to query qid, or None when data is not that answer."""
    if len(data) < 12:
        return None
    rid, flags, qdcount, ancount = struct.unpack(">HHHH", data[:8])
    if rid != qid or not flags & 0x8000:
        return None
    addresses = []
    try:
        offset = 12
        for _question in range(qdcount):
            offset = _skip_name(data, offset) + 4
        for _answer in range(ancount):
            offset = _skip_name(data, offset)
            rtype, _rclass, _ttl, rdlength = struct.unpack(">HHIH", data[offset:offset + 10])
            offset += 10
            rdata = data[offset:offset + rdlength]
            offset += rdlength
            if rtype == 1 and rdlength == 4:
                addresses.append(socket.inet_ntop(socket.AF_INET, rdata))
            elif rtype == 28 and rdlength == 16:
                addresses.append(socket.inet_ntop(socket.AF_INET6, rdata))
    except (IndexError, struct.error):
        return flags & 0x0F, addresses  # a mangled tail: keep what was read, as far as it went
    return flags & 0x0F, addresses


def exchange(server, name, qtype, timeout, port=53):
    """(rcode, addresses) of one UDP query; raises socket.timeout / OSError."""
    family = socket.AF_INET6 if ":" in server else socket.AF_INET
    qid = int.from_bytes(os.urandom(2), "big")
    sock = socket.socket(family, socket.SOCK_DGRAM)
    try:
        sock.settimeout(timeout)
        sock.connect((server, port))
        sock.send(encode_query(qid, name, qtype))
        deadline = time.monotonic() + timeout
        while True:
            sock.settimeout(max(0.001, deadline - time.monotonic()))
            parsed = parse_response(sock.recv(4096), qid)
            if parsed is not None:
                return parsed
    finally:
        sock.close()


def query_family(conf, name, family, qtype, deadline, port=53, offset=0):
    """One family's lookup of one name with Go's retry schedule (tryOneName), cut at deadline.

    Returns {family, name, outcome, addresses, server, seconds, tries, complete}: ``complete`` is False
    when the deadline ended the tries before Go would have given up.
    """
    start = time.monotonic()
    outcome, server_used, tries = "timeout", None, 0
    servers = conf.servers
    complete = True
    for _attempt in range(conf.attempts):
        for j in range(len(servers)):
            server = servers[(offset + j) % len(servers)]
            left = deadline - time.monotonic()
            if left <= 0:
                complete = False
                break
            tries += 1
            try:
                rcode, addresses = exchange(server, name, qtype, min(conf.timeout, left), port)
            except socket.timeout:
                if conf.timeout > left:
                    complete = False
                continue
            except OSError as e:
                outcome, server_used = ("unreachable" if e.errno else "error"), server
                continue
            server_used = server
            if rcode == 0:
                return {"family": family, "name": name, "outcome": "ok" if addresses else "nodata",
                        "addresses": addresses, "server": server, "tries": tries, "complete": True,
                        "seconds": round(time.monotonic() - start, 4)}
            outcome = _RCODE_CLASS.get(rcode, "rcode_%d" % rcode)
            if rcode == 3:  # NXDOMAIN is final: Go does not ask another server
                return {"family": family, "name": name, "outcome": outcome, "addresses": [], "server": server,
                        "tries": tries, "complete": True, "seconds": round(time.monotonic() - start, 4)}
        if not complete:
            break
    return {"family": family, "name": name, "outcome": outcome, "addresses": [], "server": server_used,
            "tries": tries, "complete": complete, "seconds": round(time.monotonic() - start, 4)}


def _both_families(conf, name, deadline, port, offset):
    """A and AAAA for one name: in parallel, as Go sends them, or in turn with single-request."""
    if conf.single_request:
        return [query_family(conf, name, family, qtype, deadline, port, offset) for family, qtype in FAMILIES]
    results = [None, None]

    def ask(index, family, qtype):
        results[index] = query_family(conf, name, family, qtype, deadline, port, offset)

    threads = [threading.Thread(target=ask, args=(i, f, q)) for i, (f, q) in enumerate(FAMILIES)]
    for thread in threads:
        thread.daemon = True
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _stall(conf, families):
    """The family Go waits for in vain while the other one answered: {family, seconds, measured, ...}."""
    answered = [f for f in families if f["outcome"] in ("ok", "nodata", "nxdomain")]
    silent = [f for f in families if f["outcome"] == "timeout"]
    if not answered or not silent:
        return None
    family = silent[0]
    wait = family["seconds"] if family["complete"] else conf.go_wait()
    return {"family": family["family"], "name": family["name"].rstrip("."), "seconds": round(wait, 3),
            "measured": family["complete"], "servers": list(conf.servers), "timeout": conf.timeout,
            "attempts": conf.attempts, "answered": answered[0]["family"]}


def _result(ok, start, **fields):
    result = {"ok": ok, "addresses": [], "seconds": round(time.monotonic() - start, 4), "error_class": None,
              "error": None, "resolver": None, "source": "dns", "families": [], "stall": None}
    result.update(fields)
    return result


def resolve(host, port, timeout, resolv_conf=None, hosts=None, nsswitch=None, dns_port=None):
    """{ok, addresses, seconds, source, families, stall, error_class, error, resolver} for host.

    ``port`` is the service port (kept for the callers' symmetry; Go's lookup does not use it). The
    files default to the system's; ``dns_port`` is where the nameservers listen (53; tests use others).
    """
    del port
    resolv_conf, hosts, nsswitch = resolv_conf or RESOLV_CONF, hosts or HOSTS, nsswitch or NSSWITCH
    dns_port = dns_port or DNS_PORT
    start = time.monotonic()
    try:
        ipaddress.ip_address(host)
        return _result(True, start, addresses=[host], seconds=0.0, source="literal")
    except ValueError:
        pass
    order = lookup_order(nsswitch)
    if order[0] == "files":
        found = hosts_lookup(host, hosts)
        if found:
            return _result(True, start, addresses=found, source="files")
    conf = read_resolv_conf(resolv_conf)
    deadline = start + timeout
    families = []
    if "dns" in order:
        for index, name in enumerate(candidate_names(host, conf.search, conf.ndots)):
            offset = index if conf.rotate else 0
            tried = _both_families(conf, name, deadline, dns_port, offset)
            families.extend(tried)
            addresses = [a for f in tried for a in f["addresses"]]
            if addresses:
                return _result(True, start, addresses=list(dict.fromkeys(addresses)), families=families,
                               stall=_stall(conf, tried), resolver=next(f["server"] for f in tried if f["addresses"]))
            if time.monotonic() >= deadline:
                break
    if order[-1] == "files" and order[0] != "files":
        found = hosts_lookup(host, hosts)
        if found:
            return _result(True, start, addresses=found, source="files", families=families)
    if not families:
        return _result(False, start, error_class="nxdomain", error="%s is not in %s and DNS is not used" % (host, hosts),
                       source="files")
    worst = min(families, key=lambda f: _FAILURE_RANK.index(f["outcome"]) if f["outcome"] in _FAILURE_RANK
                else len(_FAILURE_RANK))
    cls = worst["outcome"] if worst["outcome"] in _FAILURE_RANK else "error"
    if cls == "timeout":
        error = "no answer to %s within %gs (Go gives up after %gs)" % (
            " or ".join(sorted(set(f["family"] for f in families))), timeout, conf.go_wait())
    else:
        error = "%s %s: %s" % (worst["family"], worst["name"].rstrip("."), worst["outcome"])
    return _result(False, start, error_class=cls, error=error, resolver=worst["server"] or conf.servers[0],
                   families=families)
