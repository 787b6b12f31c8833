# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""Why a private module fetch failed, read from what the go command printed (its own errors and git's or
ssh's stderr, which it quotes), as a finding code with the facts its cause and fix need.

The go command runs git with GIT_TERMINAL_PROMPT=0 and ssh with BatchMode=yes, so a missing or wrong
credential never waits for a password: it ends in one of the messages matched below. The order matters:
the most specific sentence wins (a checksum lookup of a private path before a generic 403).
"""

from __future__ import annotations

import re

from ansible_collections.gomod.proxy.plugins.module_utils._probe.findings import finding

# Where each kind of fix lives, per role that manages the credentials (the fix names the variable).
SETTINGS = {
    "go_client": {"credentials": "go_client_git_credentials", "private": "go_client_goprivate (way b) or go_client_gonosumdb (way a)",
                  "egress": "HTTPS_PROXY/NO_PROXY of the user"},
    "athens": {"credentials": "athens_git_credentials", "private": "athens_private_patterns",
               "egress": "athens_egress_proxy (and athens_egress_proxy_username/_password)"},
}

_HOST = r"(?P<host>[A-Za-z0-9.-]+\.[A-Za-z0-9-]+)"

# (code, regex); the first match wins. Named group "host" when the text names one.
_RULES = [
    # a checksum database lookup of a private path: Athens' NoSumPatterns answer 403, sum.golang.org 404/410
    # "verifying go.mod: <path>@<version>/go.mod: reading <url>/lookup/...: 403 Forbidden", or "verifying module: ..."
    ("private_sumdb_leak", re.compile(r"verifying (?:go\.mod: |module: )?(?P<path>[^\s:@]+)\S*?: .*?(?P<url>\S*/lookup/\S+?)[:\"]?\s")),
    ("private_sumdb_leak", re.compile(r"verifying (?:go\.mod: |module: )?(?P<path>[^\s:@]+)\S*?: .*(?:403 Forbidden|410 Gone|404 Not Found)")),
    ("egress_proxy_auth", re.compile(r"(?:Received HTTP code 407 from proxy|CONNECT tunnel failed, response 407|"
                                     r"407 Proxy Authentication Required|Proxy Authentication Required)")),
    ("egress_proxy_unreachable", re.compile(r"(?:proxyconnect tcp: (?P<detail>[^\n]+)|"
                                            r"Could not resolve proxy: (?P<proxy>\S+)|"
                                            r"corkscrew: [^\n]*|nc: connect to \S+ port \d+ [^\n]*failed)")),
    ("git_ssh_host_key_unknown", re.compile(r"No \S+ host key is known for (?:\[)?" + _HOST)),
    ("git_ssh_host_key_changed", re.compile(r"REMOTE HOST IDENTIFICATION HAS CHANGED")),
    ("git_ssh_host_key_unknown", re.compile(r"Host key verification failed")),
    ("git_ssh_auth", re.compile(r"(?:\S+@)?" + _HOST + r": Permission denied \(publickey")),
    ("git_ssh_auth", re.compile(r"Permission denied \(publickey")),
    ("git_https_no_credentials", re.compile(r"could not read (?:Username|Password) for '(?:https?://)?(?:[^@']*@)?" + _HOST)),
    ("git_https_auth", re.compile(r"Authentication failed for '(?:https?://)?(?:[^@']*@)?" + _HOST)),
    ("git_https_auth", re.compile(r"unable to access '(?:https?://)?(?:[^@']*@)?" + _HOST + r"[^']*': The requested URL returned error: 401")),
    ("git_https_forbidden", re.compile(r"unable to access '(?:https?://)?(?:[^@']*@)?" + _HOST + r"[^']*': The requested URL returned error: 403")),
    ("git_ssh_unreachable", re.compile(r"ssh: connect to host " + _HOST + r" port (?P<port>\d+): (?P<detail>[^\n]+)")),
    ("git_https_unreachable", re.compile(r"Failed to connect to " + _HOST + r" port (?P<port>\d+)[^\n]*")),
    ("git_https_unreachable", re.compile(r"Could not resolve host: " + _HOST)),
]

_MODULE_HOST = re.compile(r"(?:^|\s|go: )([A-Za-z0-9.-]+\.[A-Za-z0-9-]+)/")


def _first_host(text):
    match = _MODULE_HOST.search(text)
    return match.group(1) if match else None


def _tail(text, lines=4):
    kept = [line.strip() for line in text.strip().splitlines() if line.strip()
            and not line.startswith(("Confirm the import path", "If this is a private repository"))]
    return " | ".join(kept[-lines:])


def classify(text, netrc_hosts=()):
    """(code, facts) of a failed fetch's output; code is private_fetch_failed when nothing specific matches.

    netrc_hosts: hosts the user has a ~/.netrc entry for. git cannot tell a refused netrc token from none at
    all: libcurl sends the netrc credentials itself, and after the 401 git asks for a user name it cannot
    prompt for ("could not read Username"). With an entry for the host, that is a refused token."""
    text = text or ""
    facts = {"detail": _tail(text)}
    for code, rule in _RULES:
        match = rule.search(text)
        if not match:
            continue
        groups = dict((k, v) for k, v in match.groupdict().items() if v)
        if code == "egress_proxy_unreachable" and "host" in groups:
            groups["proxy"] = groups.pop("host")
        facts.update(groups)
        module_host = _first_host(text)
        if code == "git_https_no_credentials" and groups.get("host") in set(netrc_hosts or ()):
            code = "git_https_auth"
        if code == "git_https_unreachable" and module_host and facts.get("host") not in (None, module_host):
            # curl names the host it failed to connect to: not the module's host, so the proxy on the way
            code = "egress_proxy_unreachable"
            facts["proxy"] = "%s:%s" % (facts.pop("host"), facts.get("port", "?"))
        facts.setdefault("host", module_host or "?")
        return code, facts
    facts["host"] = _first_host(text) or "?"
    return "private_fetch_failed", facts


def fetch_finding(text, user, module, role="go_client", netrc_hosts=(), **extra):
    """A finding (see _probe.findings.finding) for a private module fetch that failed with this output."""
    code, facts = classify(text, netrc_hosts)
    settings = SETTINGS.get(role, SETTINGS["go_client"])
    facts.update(user=user, module=module, credentials_var=settings["credentials"], private_var=settings["private"],
                 egress_var=settings["egress"], role=role)
    facts.setdefault("path", module.split("@")[0])
    facts.setdefault("proxy", "the proxy in HTTPS_PROXY")
    facts.update(extra)
    if code == "private_sumdb_leak" and facts.get("url"):
        facts["evidence"] = "the go command asked %s" % facts["url"]
    return finding(code, key="private", **facts)
