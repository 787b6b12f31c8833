#!/usr/bin/python
# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: goproxy_probe
short_description: Audit why Go module downloads fail on a host, endpoint by endpoint
version_added: 0.1.0
description:
  - For each user in O(users), reads the effective Go settings and their sources (the same reader as
    M(gomod.proxy.go_env_info)), then probes every endpoint C(go mod download) would use for them, the
    way Go's HTTP client reaches it.
  - Each C(GOPROXY) proxy is asked for C(<proxy>/<module>/@v/<version>.info) of O(probe_module) at
    O(probe_version). A C(direct) entry is probed at the module's origin, C(https://<module>?go-get=1).
  - The checksum database named by C(GOSUMDB) is probed through every proxy
    (C(<proxy>/sumdb/<name>/supported)) and directly (C(https://<name>/latest), or the URL C(GOSUMDB) names).
  - Every C(GONOPROXY) pattern whose host has no wildcard is probed at C(https://<pattern>?go-get=1).
  - Each probe reports its phases, each timed. DNS resolves as the C(go) command does (it is built
    without cgo), with C(/etc/hosts) first as C(/etc/nsswitch.conf) orders it, then the A and AAAA queries sent
    apart to the nameservers of C(/etc/resolv.conf) with its C(timeout) and C(attempts). It gives the addresses,
    per family the outcome and time, and an error class (C(nxdomain), C(timeout), C(servfail), C(refused),
    C(nodata)). A family left unanswered while the other answered is C(dns_family_stall), with the seconds Go
    waits for it on every new connection. TCP gives C(refused), C(timeout) or C(unreachable).
    TLS gives the version, issuer and expiry, and for a failed verification C(untrusted), C(expired) or C(hostname).
    HTTP gives the status and latency.
  - Routes honour the user's C(HTTPS_PROXY), C(HTTP_PROXY) and C(NO_PROXY) exactly as Go's
    C(golang.org/x/net/http/httpproxy) does. An https URL goes through a C(CONNECT) tunnel, with
    C(Proxy-Authorization) from the proxy URL's credentials. A C(407) is reported as such.
  - TLS trusts what Go trusts for that user. That is C(SSL_CERT_FILE) or the system bundle, plus
    C(SSL_CERT_DIR) or the system certificate directories.
  - All probes of a host run in parallel, each phase bounded by O(timeout), the wait for an HTTP answer by
    O(response_timeout). A host takes about as long as its slowest probe.
  - Results are judged the way Go walks the C(GOPROXY) list (C(TryProxies)). A 404 or 410 from an entry
    followed by C(,) or C(|) is a normal fall-through (info). Any other failure ends the walk before C(,) and
    falls through before C(|). When the download fails, the entry whose error Go reports is the error. Go keeps
    the most important error of the walk (C(direct)'s, then a proxy error other than 404/410, then 404/410),
    so for C(A|B) with a 502 from A and a 404 from B it is A's 502. A failure before C(,) with entries after it
    also gets C(comma_after_unreliable_entry).
  - Go puts no time limit on a proxy's answer. An answer slower than O(timeout) is C(http_slow) (a warning with
    the time Go waited); none within O(response_timeout) is C(http_timeout), as Go waits on and never tries the
    next entry.
  - Each finding has a stable code, a severity (C(info), C(warning), C(error), C(critical)), the cause in one
    sentence and the fix. The fix names the inventory variable to change, for example
    C(go_client_goproxy).
  - With O(download=true), also runs C(go mod download) of the probe module as the user, in a throw-away module cache.
author:
  - gomod.proxy contributors (@gomod-proxy)
extends_documentation_fragment:
  - gomod.proxy.attributes.info_module
  - gomod.proxy.user_go_env
options:
  users:
    description:
      - Users whose settings and routes to audit. Users with the same routes share each probe.
      - Empty means the user the module runs as.
      - Auditing other users needs root (C(become=true)). Their files are read with their own rights.
    type: list
    elements: str
    default: []
  probe_module:
    description:
      - Module path requested from each proxy. Pick one the fleet's proxy serves.
    type: str
    default: golang.org/x/text
  probe_version:
    description:
      - Version of O(probe_module) to request (C(<proxy>/<module>/@v/<version>.info)).
    type: str
    default: v0.21.0
  timeout:
    description:
      - Seconds each phase (DNS, TCP, TLS, CONNECT, sending the HTTP request) of each probe may take.
      - A blackholed endpoint costs about this much, once, in parallel with the other probes.
      - An HTTP answer slower than this is reported as C(http_slow).
    type: float
    default: 5.0
  response_timeout:
    description:
      - Seconds to wait for an HTTP answer once the request is sent. Go itself has no limit there and waits as
        long as the server takes, so the probe waits longer than O(timeout) to measure how slow a slow server is.
      - No answer within this time is C(http_timeout), a download that hangs. Values below O(timeout) count as
        O(timeout).
      - Only slow or silent servers make the audit wait this long.
    type: float
    default: 60.0
    version_added: 0.1.0
  private_patterns:
    description:
      - Module path patterns (GOPRIVATE syntax) the fleet treats as private.
      - Each must be covered by every user's effective C(GONOSUMDB) (code C(private_not_excluded)) and
        C(GONOPROXY) (code C(private_via_proxy)). Patterns from the user's own C(GOPRIVATE) are always checked.
    type: list
    elements: str
    default: []
  expected:
    description:
      - "Expected effective values of Go settings, for example C({GOPROXY: 'https://athens.example:3000'})."
      - A different value is reported with code C(env_mismatch). A null value is not checked.
    type: dict
    default: {}
  check_sumdb:
    description:
      - Probe the checksum database routes.
    type: bool
    default: true
  probe_private:
    description:
      - Probe the hosts of C(GONOPROXY) patterns.
    type: bool
    default: true
  probe_direct:
    description:
      - Probe the origin of O(probe_module) for a C(direct) entry of C(GOPROXY).
    type: bool
    default: true
  download:
    description:
      - Also run C(go mod download -json <probe_module>@<probe_version>) as each user. The cache is a fresh temporary
        directory (C(GOMODCACHE), C(GOCACHE), C(-modcacherw)) removed afterwards.
    type: bool
    default: false
  download_timeout:
    description:
      - Seconds the download may take before it is killed.
    type: float
    default: 120.0
  tls_expiry_warn_days:
    description:
      - Warn (code C(tls_expiring)) when a certificate that verified expires within this many days.
    type: int
    default: 14
  private_modules:
    description:
      - Private modules (V(path@version)) to fetch as each user with C(go mod download), in a throw-away module
        cache, the way the user's own go, git and ssh reach them (credentials, C(insteadOf), proxy variables).
      - A failure is classified from what go and git printed, with the host, the user, the cause and the variable
        to fix, for example C(git_https_auth) (401), C(git_ssh_auth) (Permission denied (publickey)),
        C(git_ssh_host_key_unknown), C(private_sumdb_leak) (the path was sent to the checksum database) or
        C(egress_proxy_unreachable).
    type: list
    elements: str
    default: []
    version_added: 0.1.0
  private_fetch:
    description:
      - How the fleet fetches private modules.
      - V(direct) (C(GOPRIVATE), the users' own credentials), where a private pattern missing from C(GONOPROXY) is
        C(private_via_proxy).
      - V(proxy) (the fleet's proxy holds the credentials and serves them), where that warning is not raised.
    type: str
    choices: [direct, proxy]
    default: direct
    version_added: 0.1.0
  environment_files:
    description:
      - Files in systemd C(EnvironmentFile=) format whose variables count as every audited user's OS environment
        (they win over the go env files). On a proxy host, the files of its service make the audit see what the
        service runs with, for example Athens' go settings and egress proxy (C(/etc/athens/go.env),
        C(/etc/athens/egress.env)). Read as the module's user (root); secrets in proxy URLs are masked in the result.
    type: list
    elements: path
    default: []
    version_added: 0.1.0
  role_vars:
    description:
      - Whose variables the fixes of private-module and egress findings name, V(go_client) (builders) or V(athens)
        (proxy hosts).
    type: str
    choices: [go_client, athens]
    default: go_client
    version_added: 0.1.0
notes:
  - Runs only Python's standard library on the target. Python 3.8 or later is needed.
  - SOCKS proxies in C(HTTPS_PROXY) are reported (code C(proxy_unsupported)) but not probed.
  - DNS is queried over UDP by the module itself, like Go's resolver; name service sources other than
    C(files) and C(dns) in C(/etc/nsswitch.conf) (mDNS, systemd-resolved's C(resolve)) are not consulted, as Go
    without cgo does not consult them either.
  - The codes and their fixes are listed in the collection's C(docs/audit.md).
seealso:
  - module: gomod.proxy.go_env_info
  - module: gomod.proxy.audit_report
"""

EXAMPLES = r"""
- name: Audit the build users' routes to the module proxy
  gomod.proxy.goproxy_probe:
    users: [builder, ci]
    probe_module: golang.org/x/text
    probe_version: v0.21.0
    private_patterns: ["git.corp.example"]
    expected:
      GOPROXY: "{{ go_client_goproxy }}"
  become: true

- name: Show the findings of this host
  ansible.builtin.debug:
    msg: "{{ item.severity }} {{ item.code }}: {{ item.cause }} Fix: {{ item.fix }}"
  loop: "{{ ansible_facts.goproxy_probe.findings }}"
  loop_control:
    label: "{{ item.code }}"

- name: Prove a real download works, in a throw-away module cache
  gomod.proxy.goproxy_probe:
    users: [builder]
    download: true
    timeout: 3
  become: true
"""

RETURN = r"""
summary:
  description: The host's verdict, also in RV(ansible_facts.goproxy_probe.summary).
  returned: always
  type: dict
  sample: {state: error, worst: error, counts: {info: 1, warning: 0, error: 2, critical: 0}, endpoints: 4, users: 1, seconds: 5.02}
ansible_facts:
  description: Facts set by the module.
  returned: always
  type: dict
  contains:
    goproxy_probe:
      description: The whole audit of the host.
      type: dict
      contains:
        version:
          description: Format version of this structure.
          type: int
          sample: 1
        probe:
          description: What was probed (module, version, timeout, download).
          type: dict
          sample: {module: golang.org/x/text, version: v0.21.0, timeout: 5.0, download: false}
        users:
          description:
            - Per user, the effective download settings with their source, the proxy environment,
              the C(GOPROXY) walk and the optional download.
            - C(goproxy_outcome) is C(ok), C(failed), C(off) (the walk ended at C(off)), C(hangs) (Go waits on a
              silent server), C(invalid) (Go refuses the list, code C(goproxy_invalid)), C(pending), C(unknown) or
              C(empty). C(goproxy_error) is the entry whose error Go
              prints when the download fails (C(position), C(url), C(kind); C(kind=off) for "module lookup
              disabled by GOPROXY=off"), else null. Each chain entry's C(role) is C(used), C(fell_through),
              C(stopped), C(waits), C(not_reached) or C(pending).
          type: list
          elements: dict
          sample:
            - user: builder
              settings:
                GOPROXY: {value: "http://athens.lab:3000,direct", source: env_file, origin: /home/builder/.config/go/env, shadowed: []}
              proxy_env: {http_proxy: "", https_proxy: "", no_proxy: ""}
              goproxy_chain:
                - {url: "http://athens.lab:3000", kind: url, fallback: not_found, endpoint: e1, role: used}
                - {url: direct, kind: direct, fallback: null, endpoint: e2, role: not_reached}
              goproxy_outcome: ok
              goproxy_error: null
              sumdb_outcome: ok
              sumdb_route: "http://athens.lab:3000"
              endpoints: [e1, e2, e3, e4]
              download: null
        endpoints:
          description:
            - Every distinct probe. C(code) is the probe's own result. C(severity) is the worst finding about it
              (C(ok) when none). C(phases) lists dns, tcp, tls, connect and http, each with timing and error class.
          type: list
          elements: dict
          sample:
            - id: e1
              kind: goproxy
              label: goproxy http://athens.lab:3000
              url: http://athens.lab:3000/golang.org/x/text/@v/v0.21.0.info
              via: null
              code: ok
              severity: ok
              seconds: 0.004
              failed_phase: null
              users: [builder]
              phases:
                - {phase: dns, role: origin, host: athens.lab, ok: true, seconds: 0.001, addresses: [10.89.0.5]}
                - {phase: tcp, role: origin, host: athens.lab, ok: true, seconds: 0.0004, address: 10.89.0.5, port: 3000}
                - {phase: http, role: origin, host: athens.lab, ok: true, seconds: 0.002, status: 200, reason: OK}
        findings:
          description: What is wrong, worst first. C(users) lists the users it applies to.
          type: list
          elements: dict
          sample:
            - code: tcp_timeout
              severity: error
              cause: "No answer from 10.89.0.5 port 3000 within 5.0s: packets are dropped on the way (a firewall DROP rule or a dead route)."
              fix: "Allow this host in the firewall of athens.lab (athens_allowed_sources) and on the path; `nft list ruleset` there shows the rule."
              endpoint: e1
              users: [builder]
        summary:
          description: C(state) is C(ok) or the worst severity at or above warning. C(counts) holds findings per severity.
          type: dict
          sample: {state: ok, worst: null, counts: {info: 0, warning: 0, error: 0, critical: 0}, endpoints: 4, users: 1, seconds: 0.03}
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.gomod.proxy.plugins.module_utils._common.module_errors import fail_from
from ansible_collections.gomod.proxy.plugins.module_utils._goenv.effective import gather_user_env
from ansible_collections.gomod.proxy.plugins.module_utils._probe import host as probe_host


def _gather(user, env_file, go_binary):
    return gather_user_env(user, env_file=env_file, go_binary=go_binary)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            users=dict(type="list", elements="str", default=[]),
            probe_module=dict(type="str", default="golang.org/x/text"),
            probe_version=dict(type="str", default="v0.21.0"),
            timeout=dict(type="float", default=5.0),
            response_timeout=dict(type="float", default=60.0),
            private_patterns=dict(type="list", elements="str", default=[]),
            expected=dict(type="dict", default={}),
            check_sumdb=dict(type="bool", default=True),
            probe_private=dict(type="bool", default=True),
            probe_direct=dict(type="bool", default=True),
            download=dict(type="bool", default=False),
            download_timeout=dict(type="float", default=120.0),
            tls_expiry_warn_days=dict(type="int", default=14),
            env_file=dict(type="path"),
            go_binary=dict(type="path"),
            private_modules=dict(type="list", elements="str", default=[]),
            private_fetch=dict(type="str", choices=["direct", "proxy"], default="direct"),
            environment_files=dict(type="list", elements="path", default=[]),
            role_vars=dict(type="str", choices=["go_client", "athens"], default="go_client"),
        ),
        supports_check_mode=True,
    )
    p = module.params
    if p["timeout"] <= 0 or p["download_timeout"] <= 0:
        module.fail_json(msg="timeout and download_timeout must be positive")
    bad = [m for m in p["private_modules"] if "@" not in m.strip("@")]
    if bad:
        module.fail_json(msg="private_modules: %s must be path@version" % ", ".join(bad))
    options = probe_host.AuditOptions(
        p["probe_module"], p["probe_version"], timeout=p["timeout"], private_patterns=p["private_patterns"],
        expected=p["expected"], check_sumdb=p["check_sumdb"], probe_private=p["probe_private"],
        probe_direct=p["probe_direct"], download=p["download"], download_timeout=p["download_timeout"],
        tls_expiry_warn_days=p["tls_expiry_warn_days"], env_file=p["env_file"], go_binary=p["go_binary"],
        response_timeout=p["response_timeout"], private_modules=p["private_modules"], private_fetch=p["private_fetch"],
        environment_files=p["environment_files"], role_vars=p["role_vars"])
    try:
        audit = probe_host.run(p["users"] or [None], options, _gather)
    except Exception as e:  # pylint: disable=broad-except  # every failure becomes fail_json naming field and value
        fail_from(module, e)
    module.exit_json(changed=False, summary=audit["summary"], ansible_facts={"goproxy_probe": audit})


if __name__ == "__main__":
    main()
