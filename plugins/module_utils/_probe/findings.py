# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""The audit's vocabulary: stable codes, their default severity, the cause and the fix.

Codes are an interface (reports, CI gates and tests match on them): add codes, never rename one.
``endpoint_code`` turns one probe (see _probe.endpoint) into a code; ``finding`` renders a code with
the facts of one case. Templates name the inventory variable to change, so an operator reading a
report knows which group_vars line is wrong, not only which host.
"""

from __future__ import annotations

import string

# Where each Go setting is managed: the go_client role's variables (builders' group_vars).
SETTING_VARS = {
    "GOPROXY": "go_client_goproxy", "GOSUMDB": "go_client_gosumdb", "GONOSUMDB": "go_client_gonosumdb",
    "GOPRIVATE": "go_client_goprivate", "GONOPROXY": "go_client_gonoproxy", "GOINSECURE": "go_client_goinsecure",
    "GO111MODULE": "go_client_go111module", "GOFLAGS": "go_client_goflags",
}

_PROXY_FIX = "Start the proxy on {host} (`systemctl status athens`) and check that the port in {where} is athens_port."

# code: (default severity, cause, fix). Placeholders missing from a case's facts render as "?".
CODES = {
    "ok": ("info", "{label} answered {status} in {ms} ms.", ""),
    "dns_nxdomain": ("error", "{host} does not exist in DNS (NXDOMAIN{resolver_text}).",
                     "Correct the host in {where}, or publish the record (athens_dns_name, `ansible-playbook "
                     "gomod.proxy.dns`); check with `getent hosts {host}` on this host."),
    "dns_timeout": ("error", "No DNS answer for {host} within {timeout}s{resolver_text}.",
                    "Check the nameservers in /etc/resolv.conf of this host (`dig {host}`) and that port 53 to them is open."),
    "dns_servfail": ("error", "The resolver{resolver_text} answered SERVFAIL for {host}: the zone or its upstream is broken.",
                     "Repair the DNS zone of {host} (`dig {host}` shows the failure)."),
    "dns_refused": ("error", "The resolver{resolver_text} refused to resolve {host}.",
                    "Allow this host to query the resolver, or point /etc/resolv.conf at one that serves it."),
    "dns_nodata": ("error", "{host} exists in DNS but has no address record.", "Add an A/AAAA record for {host}."),
    "dns_error": ("error", "{host} could not be resolved: {detail}.", "Check name resolution on this host (`getent hosts {host}`)."),
    "dns_family_stall": ("warning", "{family} queries for {host} get no answer from {resolver} ({schedule}); Go waits {wait}s "
                                    "for them on every new connection, then connects to the {answered} address.",
                         "Make {resolver} answer {family} for {host} from its own data (NODATA at once, as the "
                         "gomod.proxy.athens dns backends do), or repair its upstream resolver; "
                         "`dig {family} {host} @{resolver}` shows the wait."),
    "tcp_refused": ("error", "{addr} port {port} refused the connection: nothing listens there, or a firewall rejects it.",
                    _PROXY_FIX),
    "tcp_timeout": ("error", "No answer from {addr} port {port} within {timeout}s: packets are dropped on the way "
                             "(a firewall DROP rule or a dead route).",
                    "Allow this host in the firewall of {host} (athens_allowed_sources) and on the path; "
                    "`nft list ruleset` there shows the dropping rule."),
    "tcp_unreachable": ("error", "{addr} is unreachable from this host: {detail}.",
                        "Check routing to {addr} (`ip route get {addr}`) and ICMP-rejecting firewalls."),
    "tcp_reset": ("error", "{addr} port {port} reset the connection.", _PROXY_FIX),
    "tcp_error": ("error", "Connecting to {addr} port {port} failed: {detail}.", _PROXY_FIX),
    "tls_untrusted": ("error", "The certificate of {host} (issuer {issuer}) is not trusted by Go on this host: {detail}.",
                      "Install the issuing CA into the system store (/usr/local/share/ca-certificates/ then "
                      "`update-ca-certificates`), or give {host} a certificate from a trusted CA."),
    "tls_expired": ("error", "The certificate of {host} expired on {not_after}.",
                    "Renew the certificate of {host} and restart the service that serves it."),
    "tls_not_yet_valid": ("error", "The certificate of {host} is not valid before {not_before}: a clock is wrong.",
                          "Fix the clock (chrony/timesyncd) of this host or of the issuer."),
    "tls_hostname": ("error", "The certificate of {host} names {names}, not {host}.",
                     "Reissue it with {host} in subjectAltName, or use a name it covers in {where}."),
    "tls_handshake": ("error", "The TLS handshake with {host} port {port} failed: {detail}.",
                      "Check that {host}:{port} speaks TLS 1.2 or later (`openssl s_client -connect {host}:{port}`); "
                      "use http:// in {where} if it serves plain HTTP."),
    "tls_timeout": ("error", "{host} port {port} accepted TCP but did not complete TLS within {timeout}s.",
                    "Check that {host}:{port} serves TLS and is not overloaded."),
    "tls_expiring": ("warning", "The certificate of {host} expires in {days_left} days ({not_after}).",
                     "Renew the certificate of {host} before {not_after}."),
    "http_404": ("error", "{url} answered 404: the proxy does not have {what}.",
                 "Check that the proxy can fetch {module} upstream (athens_allowed_sources), or add a fall-back after "
                 "it in {where}."),
    "http_410": ("error", "{url} answered 410 Gone for {what}.",
                 "The proxy refuses the module (filtered or retracted): check athens_allowed_sources, or add a fall-back "
                 "after it in {where}."),
    "http_407": ("error", "The HTTP proxy {via} demands authentication (407{challenge}) to reach {target}.",
                 "Put credentials in the HTTPS_PROXY URL (http://user:pass@proxy:port) where it is set{proxy_origin_text}, "
                 "or add {target_host} to NO_PROXY."),
    "http_407_origin": ("error", "{url} answered 407 Proxy Authentication Required{challenge}, and no HTTP proxy is on the "
                                 "route: {host} is a forward proxy that wants credentials, not a module proxy.",
                        "If {host} is the egress proxy, set it as HTTPS_PROXY (with its credentials) and put the module "
                        "proxy's URL in {where}; if it is the module proxy, give its credentials in the URL "
                        "(https://user:token@{host}/) in {where}."),
    "http_401": ("error", "{url} answered 401: the server wants credentials.",
                 "Give the build user credentials for {host} (GOAUTH, ~/.netrc) or open read access on the proxy."),
    "http_403": ("error", "{url} answered 403: this host is not allowed.",
                 "Allow this host on {host} (athens_allowed_sources) or in the proxy's ACL."),
    "http_502": ("error", "{url} answered 502 Bad Gateway: the proxy could not get {what} from its upstream (unreachable, "
                          "refused or broken).",
                 "Read the upstream error in the log on {host} (`journalctl -u athens`) and check the proxy's route to its "
                 "upstream (athens_upstream_goproxy, its egress firewall and HTTP(S)_PROXY)."),
    "http_503": ("error", "{url} answered 503 Service Unavailable: the server is starting, overloaded, or its storage is not "
                          "ready.",
                 "Check `/readyz` and the log on {host} (`journalctl -u athens`): storage, the single-flight lock, or too "
                 "many concurrent fetches."),
    "http_504": ("error", "{url} answered 504 Gateway Timeout: the proxy's upstream was too slow for {what}.",
                 "Speed up the proxy's route to its upstream, or give it more time (athens_timeout); "
                 "`journalctl -u athens` on {host} shows the slow fetch."),
    "http_5xx": ("error", "{url} answered {status} {reason}: the server failed.",
                 "Read the log on {host} (`journalctl -u athens`)."),
    "http_timeout": ("error", "{host} accepted the request for {url} but sent no HTTP answer within {wait}s.",
                     "Check the service on {host} (`journalctl -u athens`): it is hung or overloaded."),
    "http_slow": ("warning", "{url} answered {status} only after {seconds}s.",
                  "Find why {host} is slow (`journalctl -u athens` there: upstream fetches, storage or CPU). Go does not "
                  "fall through to the next entry on slowness."),
    "http_error": ("error", "{url} gave an unexpected answer: {detail}.", "Check the service behind {url}."),
    "proxy_unsupported": ("info", "The route to {url} uses a proxy this audit does not probe: {detail}.",
                          "Probe it by hand: `curl -x \"$HTTPS_PROXY\" {url}`."),
    "sumdb_unreachable": ("error", "The checksum database {name} cannot be reached for {user}: {detail}. `go` then fails "
                                   "to verify every module missing from go.sum.",
                          "Let the module proxy serve /sumdb/{name}/ (Athens does when it can reach {name}) or allow HTTPS to "
                          "{name}; list private modules in go_client_goprivate / go_client_gonosumdb."),
    "sumdb_off": ("warning", "GOSUMDB=off for {user} ({origin_text}): downloads are not checked against a checksum database.",
                  "Set go_client_gosumdb (sum.golang.org) unless the fleet trusts its proxy alone on purpose."),
    "sumdb_missing": ("error", "GOSUMDB is empty for {user} (nothing sets it and {goroot}/go.env is missing): go fails with "
                               "\"missing GOSUMDB\".",
                      "Set go_client_gosumdb, or reinstall Go with its go.env."),
    "env_override": ("warning", "{key} for {user} comes from the OS environment ({origin}: {value}){file_text}; "
                                "`go env -w` and the go_client role cannot change it.",
                     "Remove or correct the export in {origin_file} and manage {key} with {var}."),
    "env_mismatch": ("warning", "{key} for {user} is '{value}' ({source_text}), the inventory wants '{expected}'.",
                     "Apply the inventory: `ansible-playbook gomod.proxy.builders` (variable {var})."),
    "goproxy_off": ("critical", "GOPROXY=off for {user} ({origin_text}): every module download fails.",
                    "Set go_client_goproxy to the fleet's proxy and remove 'off'{at_origin}."),
    "goproxy_direct_only": ("warning", "GOPROXY=direct for {user} ({origin_text}): modules come from their VCS hosts, "
                                       "bypassing the fleet's proxy.",
                            "Set go_client_goproxy to the fleet's proxy{at_origin}."),
    "goproxy_empty": ("critical", "GOPROXY is empty for {user} (nothing sets it and {goroot}/go.env is missing): "
                                  "go refuses to download.",
                      "Set go_client_goproxy, or reinstall Go with its go.env."),
    "goproxy_invalid": ("critical", "GOPROXY for {user} ({origin_text}) has an entry Go refuses: {detail}. Go checks the whole "
                                    "list before its first request, so every module download fails.",
                        "Correct go_client_goproxy (http://, https:// or file:// URLs, direct, off){at_origin}."),
    "go111module_off": ("critical", "GO111MODULE=off for {user} ({origin_text}): go runs in GOPATH mode and "
                                    "`go mod download` refuses to run.",
                        "Set go_client_go111module to '' (unset) or 'on'{at_origin}."),
    "private_not_excluded": ("error", "Private pattern {pattern} is not covered by GONOSUMDB ('{gonosumdb}') for {user}: go asks "
                                      "the checksum database about private modules, which fails and leaks their paths.",
                             "Add {pattern} to go_client_goprivate (it feeds GONOPROXY and GONOSUMDB) or to "
                             "go_client_gonosumdb."),
    "private_via_proxy": ("warning", "Private pattern {pattern} is not covered by GONOPROXY ('{gonoproxy}') for {user}: "
                                     "private modules are requested from the public proxy chain.",
                          "Add {pattern} to go_client_goprivate or go_client_gonoproxy, unless the proxy is meant to "
                          "serve private modules."),
    "private_sumdb_leak": ("critical", "Private module path {path} is not covered by GONOSUMDB ('{gonosumdb}') for {user}: go "
                                       "sends it to the checksum database {sumdb} ({evidence}), a private path leaving for a "
                                       "public service; the lookup fails.",
                           "Add {pattern} to {private_var} so that GONOSUMDB covers it (the proxy's NoSumPatterns, "
                           "athens_private_patterns, only stop the lookup at the proxy)."),
    "git_https_auth": ("error", "{host} refused the HTTPS credentials {user} sends for {module} (401: a wrong or expired token "
                                "in the netrc entry for {host}; git then asks for a password it cannot prompt for): {detail}.",
                       "Replace the token of {host} in {credentials_var} (https.password, the ~/.netrc entry of {user}) with "
                       "one the forge accepts; check with `git ls-remote https://{host}/<repository>` as {user}."),
    "git_https_no_credentials": ("error", "{host} wants credentials and {user} has none for it; git cannot prompt "
                                          "(GIT_TERMINAL_PROMPT=0), so fetching {module} fails: {detail}.",
                                 "Give {user} a token for {host} in {credentials_var} (https: login and password, a ~/.netrc "
                                 "entry), or an SSH key and an insteadOf rewrite to ssh://."),
    "git_https_forbidden": ("error", "{host} accepted the credentials of {user} but forbids the repository of {module} (403): "
                                     "{detail}.",
                            "Grant the account of {host} in {credentials_var} read access to the repository."),
    "git_ssh_auth": ("error", "{host} refused the SSH key {user} offers for {module} (Permission denied (publickey)): {detail}.",
                     "Register the public half of the ssh.key of {host} in {credentials_var} with the forge (deploy key or "
                     "the account's keys), or deploy the key the forge knows."),
    "git_ssh_host_key_unknown": ("error", "{user} has no pinned host key for {host}, and ssh does not trust a key on first use "
                                          "(Host key verification failed) while fetching {module}.",
                                 "Add the host key lines of {host} to ssh.known_hosts in {credentials_var} (`ssh-keyscan "
                                 "{host}`, checked against the forge's published fingerprint); never StrictHostKeyChecking=no."),
    "git_ssh_host_key_changed": ("error", "{host} presented a host key that differs from the one pinned for {user} "
                                          "(REMOTE HOST IDENTIFICATION HAS CHANGED) while fetching {module}.",
                                 "If the forge rotated its key (compare its published fingerprint), update ssh.known_hosts in "
                                 "{credentials_var}; otherwise something intercepts the connection."),
    "git_ssh_unreachable": ("error", "ssh from {user} to {host} port {port} failed: {detail}.",
                            "Open port {port} to {host} from this host (or let the egress proxy, {egress_var}, reach it), or "
                            "fetch over HTTPS."),
    "git_https_unreachable": ("error", "git cannot reach {host} over HTTPS for {user}: {detail}.",
                              "Check name resolution and the route to {host}:443 from this host (or {egress_var})."),
    "egress_proxy_unreachable": ("error", "The egress proxy {proxy} on the route of {user} cannot be reached: {detail}.",
                                 "Start the egress proxy or let this host reach it (firewall, route), or correct "
                                 "{egress_var}; `curl -x {proxy} -I {url}` reproduces it."),
    "egress_proxy_auth": ("error", "The egress proxy on the route of {user} refused its credentials (407) for {host}: {detail}.",
                          "Correct the proxy credentials in {egress_var}."),
    "private_fetch_failed": ("error", "Fetching the private module {module} as {user} failed: {detail}.",
                             "Reproduce with `sudo -u {user} go mod download -x {module}`; check the credentials in "
                             "{credentials_var} and the patterns in {private_var}."),
    "comma_after_unreliable_entry": (
        "error", "GOPROXY entry {entry} fails ({entry_code}) and is followed by ',', so go stops there instead of "
                 "trying {next_entry}.",
        "Fix {entry}, or in go_client_goproxy put '|' after it (fall back on any error) or remove it."),
    "download_failed": ("error", "`go mod download {module}@{version}` as {user} failed after {seconds}s: {detail}.",
                        "See the other findings of this host; reproduce with `sudo -iu {user} go mod download -x "
                        "{module}@{version}`."),
    "go_missing": ("info", "No go binary found for {user}: only the settings and the network were checked.",
                   "Install Go on this host (the go_client role), or pass go_binary."),
    "host_unreachable": ("critical", "The audit could not run on this host: {detail}.",
                         "Check ssh and Python 3.8+ on the host (`ansible -m ansible.builtin.ping <host>`)."),
    "probe_failed": ("error", "goproxy_probe failed on this host: {detail}.",
                     "Rerun with -vvv; the probe needs Python 3.8+ and become: true to read other users' files."),
    "user_unreadable": ("error", "The go env of {user} could not be read: {detail}.",
                        "Check that the user exists and the audit runs with become: true."),
}


class _Facts(dict):
    def __missing__(self, key):
        return "?"


def render(template, facts):
    return string.Formatter().vformat(template, (), _Facts(facts))


def finding(code, severity=None, **facts):
    """A finding dict: code, severity, cause, fix, plus the facts that identify the case."""
    default, cause, fix = CODES[code]
    out = {"code": code, "severity": severity or default, "cause": render(cause, facts), "fix": render(fix, facts)}
    for key in ("user", "endpoint", "key", "url", "context"):
        if facts.get(key) is not None:
            out[key] = facts[key]
    return out


def _http_code(status):
    if status in (404, 410, 407, 401, 403, 502, 503, 504):
        return "http_%d" % status
    if status is not None and 500 <= status <= 599:
        return "http_5xx"
    return "http_error"


def endpoint_code(result, ok_statuses=(200,)):
    """The code of one probe result (see _probe.endpoint.probe)."""
    failed = [p for p in result["phases"] if not p["ok"]]
    if not failed:
        http = result["phases"][-1] if result["phases"] else None
        if http is None or http["phase"] != "http":
            return "http_error"
        status = http["status"]
        if status in ok_statuses:
            return "ok"
        if status == 407 and not result.get("via"):
            return "http_407_origin"  # no HTTP proxy on the route: the server itself wants proxy credentials
        return _http_code(status)
    phase = failed[0]
    cls = phase["error_class"]
    name = phase["phase"]
    if name == "proxy_env":
        return "proxy_unsupported"
    if name == "dns":
        return "dns_" + cls if "dns_" + cls in CODES else "dns_error"
    if name == "tcp":
        return "tcp_" + cls if "tcp_" + cls in CODES else "tcp_error"
    if name == "tls":
        return "tls_" + cls if "tls_" + cls in CODES else "tls_handshake"
    if name == "connect":
        return _http_code(phase["status"]) if cls == "status" else ("http_timeout" if cls == "timeout" else "http_error")
    if name == "http":
        return "http_timeout" if cls == "timeout" else "http_error"
    return "http_error"


def endpoint_facts(result):
    """Facts of a probe result for the templates: host, addr, port, status, certificate fields..."""
    facts = {"url": result["url"], "via": result.get("via") or "none"}
    phases = result["phases"]
    failed = [p for p in phases if not p["ok"]]
    phase = failed[0] if failed else (phases[-1] if phases else {})
    facts["host"] = phase.get("host") or ""
    facts["detail"] = phase.get("error") or ""
    for p in phases:
        if p["phase"] == "tcp":
            facts["addr"] = p.get("address") or facts["host"]
            facts["port"] = p.get("port")
        if p["phase"] == "dns" and p.get("resolver"):
            facts["resolver_text"] = " from %s" % p["resolver"]
            facts["resolver"] = p["resolver"]
        if p["phase"] == "connect":
            facts["target"] = p.get("target") or "?"
            facts["target_host"] = facts["target"].rsplit(":", 1)[0]
        if p["phase"] in ("http", "connect") and p.get("status") is not None:
            facts["status"] = p["status"]
            facts["reason"] = p.get("reason") or ""
            facts["ms"] = int(round((p.get("seconds") or 0) * 1000))
            challenge = p.get("proxy_authenticate")
            facts["challenge"] = ", %s" % challenge if challenge else ""
        if p["phase"] == "tls":
            cert = p.get("certificate") or (p.get("presented") or {}).get("certificate") or {}
            facts.update(issuer=cert.get("issuer", "?"), not_after=cert.get("not_after", "?"),
                         not_before=cert.get("not_before", "?"), days_left=cert.get("days_left", "?"),
                         names=", ".join(cert.get("names") or []) or cert.get("subject", "?"))
    facts.setdefault("resolver_text", "")
    if "port" not in facts:
        facts["addr"] = facts["host"]
    return facts
