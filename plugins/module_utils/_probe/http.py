# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""One HTTP/1.1 exchange on a socket the caller already connected (and maybe wrapped in TLS).

The probe opens its own sockets so each phase has its own timing and error class; http.client only
parses. ``tunnel`` is what Go's Transport sends to an HTTP proxy for an https URL (CONNECT, with
Proxy-Authorization from the proxy URL's userinfo); ``request`` sends a GET with an absolute URL when
talking to an HTTP proxy for an http URL, as Go does.
"""

from __future__ import annotations

import base64
import http.client
import socket
import time
from urllib.parse import unquote

USER_AGENT = "Go-http-client/1.1 (gomod.proxy goproxy_probe)"
_BODY_LIMIT = 4096


class _SocketConnection(http.client.HTTPConnection):
    """HTTPConnection over an existing socket: never dials, never closes it on its own."""

    def __init__(self, sock, host):
        http.client.HTTPConnection.__init__(self, host)
        self.sock = sock

    def connect(self):  # pragma: no cover - sock is always set
        raise http.client.NotConnected("socket already connected")


def basic_authorization(parts):
    """``Basic ...`` from a split URL's userinfo, or None. Go sends it to a proxy as Proxy-Authorization
    (Transport) and to a GOPROXY URL with credentials as Authorization."""
    if parts is None or parts.username is None:
        return None
    userinfo = "%s:%s" % (unquote(parts.username), unquote(parts.password or ""))
    return "Basic " + base64.b64encode(userinfo.encode("utf-8")).decode("ascii")


def _failure(start, cls, error):
    return {"ok": False, "status": None, "reason": None, "seconds": round(time.monotonic() - start, 4),
            "error_class": cls, "error": error}


def tunnel(sock, target, authorization, timeout):
    """CONNECT target (host:port) through the proxy on sock: {ok, status, reason, seconds, error_class, error}."""
    start = time.monotonic()
    sock.settimeout(timeout)
    lines = ["CONNECT %s HTTP/1.1" % target, "Host: %s" % target, "User-Agent: " + USER_AGENT]
    if authorization:
        lines.append("Proxy-Authorization: " + authorization)
    try:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("ascii"))
        response = http.client.HTTPResponse(sock, method="CONNECT")
        response.begin()
    except socket.timeout:
        return _failure(start, "timeout", "no answer to CONNECT within %gs" % timeout)
    except (http.client.HTTPException, OSError) as e:
        return _failure(start, "protocol", "%s: %s" % (type(e).__name__, e))
    result = {"ok": response.status == 200, "status": response.status, "reason": response.reason,
              "seconds": round(time.monotonic() - start, 4), "error_class": None, "error": None}
    if response.status != 200:
        result.update(error_class="status", error="proxy answered %d %s" % (response.status, response.reason),
                      proxy_authenticate=response.getheader("Proxy-Authenticate"))
    return result


def request(sock, host_header, target, timeout, headers=None, wait=None):
    """GET target (a path, or an absolute URL for an HTTP proxy): {ok, status, reason, seconds, bytes, ...}.

    ``timeout`` bounds sending the request and reading the body; ``wait`` (default: timeout) bounds the
    wait for the answer's first line. Go sets no limit there, so the caller may give it much longer to
    measure how slow a slow server really is. ``ok`` means an HTTP answer arrived; the caller judges
    the status.
    """
    start = time.monotonic()
    wait = timeout if wait is None else wait
    sock.settimeout(timeout)
    conn = _SocketConnection(sock, host_header)
    try:
        conn.putrequest("GET", target, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", host_header)
        conn.putheader("User-Agent", USER_AGENT)
        for name, value in (headers or {}).items():
            conn.putheader(name, value)
        conn.endheaders()
        sock.settimeout(wait)
        response = conn.getresponse()
        first = time.monotonic()
        sock.settimeout(timeout)
        body = response.read(_BODY_LIMIT)
    except socket.timeout:
        return _failure(start, "timeout", "no HTTP answer within %.1fs" % (time.monotonic() - start))
    except (http.client.HTTPException, OSError) as e:
        return _failure(start, "protocol", "%s: %s" % (type(e).__name__, e))
    return {"ok": True, "status": response.status, "reason": response.reason,
            "seconds": round(first - start, 4), "bytes": len(body),
            "body_head": body[:200].decode("utf-8", "replace"), "error_class": None, "error": None,
            "proxy_authenticate": response.getheader("Proxy-Authenticate")}
