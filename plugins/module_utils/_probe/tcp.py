# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""TCP connect with the reason when it fails: ``refused`` (RST: nothing listens, or a reject rule),
``timeout`` (no answer: packets dropped), ``unreachable`` (no route, ICMP unreachable), ``reset``.

Addresses are tried in order, sharing one deadline the way Go's dialer does (each remaining address
gets an equal share, at least 2 s), so a dead first address does not eat the whole budget.
"""

from __future__ import annotations

import errno
import socket
import time

_ERRNO_CLASS = {
    errno.ECONNREFUSED: "refused",
    errno.ETIMEDOUT: "timeout",
    errno.EHOSTUNREACH: "unreachable",
    errno.ENETUNREACH: "unreachable",
    errno.EHOSTDOWN: "unreachable",
    errno.ECONNRESET: "reset",
    errno.EADDRNOTAVAIL: "unreachable",
}
# Most useful first when several addresses fail differently: a refusal proves the host is there.
_CLASS_RANK = ("refused", "reset", "timeout", "unreachable", "error")


def error_class(exc):
    if isinstance(exc, socket.timeout):
        return "timeout"
    return _ERRNO_CLASS.get(getattr(exc, "errno", None), "error")


def connect(addresses, port, timeout):
    """(socket or None, {ok, address, seconds, error_class, error, attempts}) for the first address that accepts."""
    start = time.monotonic()
    deadline = start + timeout
    attempts = []
    for index, address in enumerate(addresses):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        share = max(min(2.0, remaining), remaining / (len(addresses) - index))
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.settimeout(share)
        t0 = time.monotonic()
        try:
            sock.connect((address, int(port)))
        except (OSError, socket.timeout) as e:
            sock.close()
            attempts.append({"address": address, "error_class": error_class(e), "error": str(e) or "timed out",
                             "seconds": round(time.monotonic() - t0, 4)})
            continue
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock, {"ok": True, "address": address, "port": int(port), "seconds": round(time.monotonic() - t0, 4),
                      "error_class": None, "error": None, "attempts": attempts}
    if not attempts:
        attempts.append({"address": None, "error_class": "error", "error": "no address to connect to", "seconds": 0.0})
    worst = min(attempts, key=lambda a: _CLASS_RANK.index(a["error_class"]))
    return None, {"ok": False, "address": worst["address"], "port": int(port),
                  "seconds": round(time.monotonic() - start, 4), "error_class": worst["error_class"],
                  "error": worst["error"], "attempts": attempts}
