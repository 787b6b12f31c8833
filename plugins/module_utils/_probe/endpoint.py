# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""One URL probed the way Go's HTTP client reaches it: DNS, TCP, (proxy TLS, CONNECT), TLS, HTTP.

Each phase is timed and stops the pipeline when it fails; the result names the failing phase and
its error class, which _probe.findings turns into a code. When the route goes through an HTTP proxy
(HTTPS_PROXY / HTTP_PROXY, see _probe.proxyenv), DNS and TCP are those of the proxy and the origin's
name is resolved by the proxy, exactly as for ``go mod download``.
"""

from __future__ import annotations

import os
import time
from urllib.parse import unquote, urlsplit

from ansible_collections.gomod.proxy.plugins.module_utils._probe import dns as probe_dns, http as probe_http
from ansible_collections.gomod.proxy.plugins.module_utils._probe import proxyenv as probe_proxyenv, tcp as probe_tcp, tls as probe_tls


def _path_and_query(parts):
    return (parts.path or "/") + ("?" + parts.query if parts.query else "")


def _host_header(parts):
    host = parts.hostname or ""
    if ":" in host:
        host = "[%s]" % host
    return host + (":%d" % parts.port if parts.port else "")


class _Route(object):
    """Where the first TCP connection goes, and what is layered on it."""

    def __init__(self, parts, proxy):
        self.parts = parts
        self.proxy = proxy
        self.dial = proxy if proxy is not None else parts

    def dial_host(self):
        return self.dial.hostname or ""

    def dial_port(self):
        return probe_proxyenv.url_port(self.dial)


def _phase(phases, name, result, **extra):
    entry = dict(result)
    entry.update(extra)
    entry["phase"] = name
    phases.append(entry)
    return entry


def _connect(route, timeout, tls_context, phases):
    """Open the socket to the origin (through the proxy tunnel when there is one); None on failure."""
    host = route.dial_host()
    role = "proxy" if route.proxy is not None else "origin"
    dns = _phase(phases, "dns", probe_dns.resolve(host, route.dial_port(), timeout), host=host, role=role)
    if not dns["ok"]:
        return None
    sock, tcp = probe_tcp.connect(dns["addresses"], route.dial_port(), timeout)
    _phase(phases, "tcp", tcp, host=host, role=role)
    if sock is None:
        return None
    if route.proxy is not None and route.proxy.scheme == "https":
        sock, tls = probe_tls.handshake(sock, host, tls_context, timeout)
        _phase(phases, "tls", tls, host=host, role="proxy")
        if sock is None:
            return None
    if route.proxy is not None and route.parts.scheme == "https":
        target = probe_proxyenv.canonical_addr(route.parts)
        connect = probe_http.tunnel(sock, target, probe_http.basic_authorization(route.proxy), timeout)
        _phase(phases, "connect", connect, host=host, role="proxy", target=target)
        if not connect["ok"]:
            sock.close()
            return None
    return sock


def _inspect_certificate(route, timeout, tls_context):
    """Certificate the origin presents, over a fresh connection and without verification."""
    scratch = []
    sock = _connect(route, timeout, tls_context, scratch)
    if sock is None:
        return None
    return probe_tls.inspect(sock, route.parts.hostname, timeout)


def _probe_file(url, start):
    path = unquote(urlsplit(url).path)
    exists = os.path.isfile(path)
    http = {"ok": True, "status": 200 if exists else 404, "reason": "file" if exists else "no such file",
            "seconds": 0.0, "error_class": None, "error": None, "phase": "http", "role": "origin", "host": ""}
    return {"url": url, "via": None, "phases": [http], "failed_phase": None,
            "seconds": round(time.monotonic() - start, 4)}


def probe(url, proxy_config, tls_context, timeout, extra_headers=None, wait=None):
    """{url, via, phases: [...], failed_phase, seconds}; the last phase decides the outcome.

    timeout bounds each phase; wait (default: timeout) bounds the wait for the HTTP answer, which Go
    does not limit (see _probe.http.request)."""
    start = time.monotonic()
    parts = urlsplit(url)
    if parts.scheme == "file":
        return _probe_file(url, start)
    proxy, proxy_error = proxy_config.proxy_for_url(url)
    result = {"url": url, "via": probe_proxyenv.redact(proxy.geturl()) if proxy is not None else None,
              "phases": [], "failed_phase": None}
    phases = result["phases"]
    if proxy_error or (proxy is not None and proxy.scheme not in ("http", "https")):
        error = proxy_error or "proxy scheme %s is not probed" % proxy.scheme
        _phase(phases, "proxy_env", {"ok": False, "error_class": "unsupported", "error": error, "seconds": 0.0})
    else:
        route = _Route(parts, proxy)
        sock = _connect(route, timeout, tls_context, phases)
        if sock is not None and parts.scheme == "https":
            sock, tls = probe_tls.handshake(sock, parts.hostname, tls_context, timeout)
            entry = _phase(phases, "tls", tls, host=parts.hostname, role="origin")
            if sock is None and tls["error_class"] not in ("timeout", "handshake"):
                entry["presented"] = _inspect_certificate(route, timeout, tls_context)
        if sock is not None:
            headers = dict(extra_headers or {})
            origin_auth = probe_http.basic_authorization(parts)
            if origin_auth:
                headers["Authorization"] = origin_auth
            if proxy is not None and parts.scheme == "http":
                target = url  # absolute-form request to an HTTP proxy
                auth = probe_http.basic_authorization(proxy)
                if auth:
                    headers["Proxy-Authorization"] = auth
            else:
                target = _path_and_query(parts)
            try:
                _phase(phases, "http", probe_http.request(sock, _host_header(parts), target, timeout, headers, wait),
                       host=parts.hostname, role="origin")
            finally:
                sock.close()
    failed = [p for p in phases if not p["ok"]]
    result["failed_phase"] = failed[0]["phase"] if failed else None
    result["seconds"] = round(time.monotonic() - start, 4)
    return result
