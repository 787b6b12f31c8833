# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""Which HTTP proxy Go's net/http would use for a URL, given a user's environment.

A line-by-line port of golang.org/x/net/http/httpproxy (FromEnvironment, ProxyFunc, useProxy and the
NO_PROXY matchers), so the audit takes the same route as ``go mod download``:
- the upper-case variable wins over the lower-case one, and an empty value counts as unset;
- HTTPS_PROXY for https URLs, HTTP_PROXY for http URLs (refused when REQUEST_METHOD is set: CGI);
- a value without a scheme means ``http://``;
- ``localhost`` and loopback IPs never go through a proxy;
- NO_PROXY entries: ``*``; CIDR; IP with optional port; ``host``, ``.host`` or ``*.host`` with optional
  port, where ``host`` also matches sub-domains and ``.host`` only sub-domains.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

_PORT_MAP = {"http": "80", "https": "443", "socks5": "1080"}


def env_any(env, *names):
    """First non-empty value among names, like httpproxy.getEnvAny."""
    for name in names:
        value = env.get(name)
        if value:
            return value
    return ""


def _ascii_host(host):
    """IDNA form of a host name (idna.Lookup.ToASCII); unchanged when already ASCII or not encodable."""
    if all(ord(c) < 128 for c in host):
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def _ip(text):
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def split_host_port(addr):
    """net.SplitHostPort for the forms NO_PROXY and URLs use; raises ValueError when there is no port."""
    if addr.startswith("["):
        end = addr.find("]")
        if end < 0 or not addr[end + 1:].startswith(":"):
            raise ValueError("missing port in address %r" % addr)
        return addr[1:end], addr[end + 2:]
    if addr.count(":") != 1:
        raise ValueError("missing port in address %r" % addr)
    host, port = addr.split(":")
    return host, port


def parse_proxy(value):
    """httpproxy.parseProxy: None for an empty value; a bare ``host:port`` means ``http://host:port``."""
    if not value:
        return None
    parts = urlsplit(value)
    if not parts.scheme or not parts.netloc:
        return urlsplit("http://" + value)
    return parts


def url_port(parts):
    """Explicit port of a split URL, else the scheme's default (as a string, like Go)."""
    try:
        port = parts.port
    except ValueError:
        port = None
    return str(port) if port is not None else _PORT_MAP.get(parts.scheme, "")


def canonical_addr(parts):
    host = _ascii_host(parts.hostname or "")
    port = url_port(parts)
    return "[%s]:%s" % (host, port) if ":" in host else "%s:%s" % (host, port)


class ProxyConfig(object):
    """httpproxy.Config after init(): the parsed proxies and NO_PROXY matchers."""

    def __init__(self, http_proxy="", https_proxy="", no_proxy="", cgi=False):
        self.http_proxy_raw = http_proxy
        self.https_proxy_raw = https_proxy
        self.no_proxy_raw = no_proxy
        self.cgi = cgi
        self.http_proxy = parse_proxy(http_proxy)
        self.https_proxy = parse_proxy(https_proxy)
        self.match_all = False
        self.ip_matchers = []      # (ip_network) or (ip_address, port)
        self.domain_matchers = []  # (".suffix", port, match_host)
        self._init_no_proxy(no_proxy)

    @classmethod
    def from_env(cls, env):
        """httpproxy.FromEnvironment over a dict of the user's environment variables."""
        return cls(http_proxy=env_any(env, "HTTP_PROXY", "http_proxy"),
                   https_proxy=env_any(env, "HTTPS_PROXY", "https_proxy"),
                   no_proxy=env_any(env, "NO_PROXY", "no_proxy"),
                   cgi=bool(env.get("REQUEST_METHOD")))

    def _init_no_proxy(self, no_proxy):
        for entry in no_proxy.split(","):
            entry = entry.strip().lower()
            if not entry:
                continue
            if entry == "*":
                self.match_all = True
                return
            if "/" in entry:
                try:
                    self.ip_matchers.append((ipaddress.ip_network(entry, strict=False), None))
                    continue
                except ValueError:
                    pass
            try:
                phost, pport = split_host_port(entry)
                if not phost:
                    continue
                if phost.startswith("[") and phost.endswith("]"):
                    phost = phost[1:-1]
            except ValueError:
                phost, pport = entry, ""
            pip = _ip(phost)
            if pip is not None:
                self.ip_matchers.append((pip, pport))
                continue
            if not phost:
                continue
            if phost.startswith("*."):
                phost = phost[1:]
            match_host = not phost.startswith(".")
            if match_host:
                phost = "." + phost
            self.domain_matchers.append((_ascii_host(phost), pport, match_host))

    def use_proxy(self, addr):
        """httpproxy useProxy: False when addr (``host:port``) must be reached directly."""
        if not addr:
            return True
        try:
            host, port = split_host_port(addr)
        except ValueError:
            return False
        if host == "localhost":
            return False
        ip = _ip(host)
        if ip is not None and ip.is_loopback:
            return False
        host = host.strip().lower()
        if self.match_all:
            return False
        if ip is not None:
            for matcher, mport in self.ip_matchers:
                if isinstance(matcher, (ipaddress.IPv4Network, ipaddress.IPv6Network)):
                    if ip.version == matcher.version and ip in matcher:
                        return False
                elif matcher == ip and (not mport or mport == port):
                    return False
            return True  # domain matchers never match an IP (domainMatch.match)
        for suffix, mport, match_host in self.domain_matchers:
            if host.endswith(suffix) or (match_host and host == suffix[1:]):
                if not mport or mport == port:
                    return False
        return True

    def proxy_for_url(self, url):
        """(proxy SplitResult or None, error text or None) for url, as ProxyFunc returns them."""
        parts = urlsplit(url)
        proxy = None
        if parts.scheme == "https":
            proxy = self.https_proxy
        elif parts.scheme == "http":
            proxy = self.http_proxy
            if proxy is not None and self.cgi:
                return None, "refusing to use HTTP_PROXY value in CGI environment; see golang.org/s/cgihttpproxy"
        if proxy is None or not self.use_proxy(canonical_addr(parts)):
            return None, None
        return proxy, None

    def describe(self):
        """The three variables as Go reads them, passwords redacted (url.Redacted)."""
        return {"http_proxy": redact(self.http_proxy_raw), "https_proxy": redact(self.https_proxy_raw),
                "no_proxy": self.no_proxy_raw}


_USERINFO_PASSWORD = re.compile(r"(://[^/:@\s,|]*):[^@/\s,|]+@")


def redact_text(text):
    """Every ``scheme://user:password@`` in text with the password replaced by ``xxxxx``."""
    return _USERINFO_PASSWORD.sub(r"\1:xxxxx@", text)


def redact(url):
    """url with the password of its userinfo replaced by ``xxxxx``, as Go's url.Redacted does."""
    if not url or "@" not in url:
        return url
    parts = parse_proxy(url)
    if parts is None or parts.password is None:
        return url
    userinfo, _at, hostport = parts.netloc.rpartition("@")
    user = userinfo.split(":", 1)[0]
    return parts._replace(netloc="%s:xxxxx@%s" % (user, hostport)).geturl()
