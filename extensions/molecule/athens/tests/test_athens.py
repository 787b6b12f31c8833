"""gomod.proxy.athens after converge: the service, its files, its firewall, its DNS names and real downloads.

Tests that run the role again (firewall backends, configuration change, check mode, bad input, wrong
checksum) are in test_athens_runs.py; they leave the hosts as converge made them.
"""

import json
import re

PORT = 3000
STORAGE = "/var/lib/athens/storage"
CLEAN_GO = (
    "export HOME=$(mktemp -d) && cd /opt/lab-upstream && "
    "export GOMODCACHE=$HOME/mod GOPATH=$HOME/gopath GOCACHE=$HOME/cache GOFLAGS=-modcacherw GOTOOLCHAIN=local "
)


def download_project(builder, goproxy):
    """`go mod download` of the modules the lab's multi-module project builds with, from an empty module cache,
    through goproxy alone. go.sum pins them all, so no checksum database is asked (`all` would also want
    go.mod-only modules such as golang.org/x/mod, whose hashes only the database has)."""
    return builder.run(CLEAN_GO + f"GOPROXY={goproxy} && go mod download -json; rc=$?; rm -rf $HOME; exit $rc")


def test_service_runs_unprivileged_under_the_hardened_unit(lab):
    proxy = lab.host("proxy1")
    props = dict(
        line.split("=", 1)
        for line in proxy.check_output(
            "systemctl show athens.service -p ActiveState -p SubState -p User -p Group -p MainPID -p ProtectSystem "
            "-p ProtectHome -p PrivateTmp -p PrivateDevices -p NoNewPrivileges -p ProtectKernelTunables "
            "-p ProtectKernelModules -p ProtectKernelLogs -p ProtectControlGroups -p RestrictSUIDSGID "
            "-p RestrictAddressFamilies -p RestrictNamespaces -p CapabilityBoundingSet -p AmbientCapabilities "
            "-p SystemCallFilter -p ReadWritePaths -p TimeoutStopUSec -p Restart -p KillMode -p KillSignal "
            "-p UMask -p MemoryDenyWriteExecute -p LockPersonality -p NRestarts"
        ).splitlines()
    )
    assert (props["ActiveState"], props["SubState"]) == ("active", "running")
    assert props["NRestarts"] == "0"
    assert (props["User"], props["Group"]) == ("athens", "athens")
    assert proxy.check_output(f"ps -o user= -p {props['MainPID']}").strip() == "athens"
    assert props["ProtectSystem"] == "strict"
    assert props["ReadWritePaths"] == STORAGE
    assert props["ProtectHome"] == "yes"
    for key in ("PrivateTmp", "PrivateDevices", "NoNewPrivileges", "ProtectKernelTunables", "ProtectKernelModules",
                "ProtectKernelLogs", "ProtectControlGroups", "RestrictSUIDSGID", "MemoryDenyWriteExecute",
                "LockPersonality"):
        assert props[key] == "yes", key
    assert set(props["RestrictAddressFamilies"].split()) == {"AF_UNIX", "AF_INET", "AF_INET6"}
    assert props["CapabilityBoundingSet"] == "" and props["AmbientCapabilities"] == ""
    assert "@system-service" not in props["SystemCallFilter"]  # systemd shows the expanded list
    assert "mount" not in props["SystemCallFilter"].split() and "read" in props["SystemCallFilter"].split()
    # ShutdownTimeout 60 s + 15 s grace; the upstream unit cuts it at 5 s
    assert props["TimeoutStopUSec"] == "1min 15s"
    assert (props["Restart"], props["KillMode"], props["KillSignal"]) == ("on-failure", "mixed", "15")
    assert props["UMask"] == "0027"


def test_systemd_rates_the_sandbox(lab):
    out = lab.host("proxy1").check_output("systemd-analyze security --no-pager athens.service")
    exposure = float(re.search(r"Overall exposure level for athens.service: ([0-9.]+)", out).group(1))
    # 10 is an unsandboxed root service; Debian's own sshd rates 9.6. "OK" starts below 5.
    assert exposure <= 2.5, out


def test_files_and_permissions(lab):
    proxy = lab.host("proxy1")
    conf = proxy.file("/etc/athens/athens.toml")
    assert (conf.user, conf.group, conf.mode) == ("root", "athens", 0o640)
    assert (proxy.file("/etc/athens").user, proxy.file("/etc/athens").mode) == ("root", 0o750)
    storage = proxy.file(STORAGE)
    assert (storage.user, storage.group, storage.mode) == ("athens", "athens", 0o750)
    binary = proxy.file("/usr/local/bin/athens")
    assert (binary.user, binary.mode) == ("root", 0o755)
    assert proxy.check_output("/usr/local/bin/athens -version").startswith("Build Details:")
    assert "v0.18.0" in proxy.check_output("/usr/local/bin/athens -version")
    go = proxy.file("/usr/local/lib/athens-go/current")
    assert go.is_symlink and proxy.file("/usr/local/lib/athens-go/current/bin/go").is_file
    # what the role renders is what Athens reads, and it passes the checker the role validates with
    assert proxy.run("python3 /usr/local/libexec/gomod-proxy/athens-config-check --production-perms "
                     "--base-dir /var/lib/athens /etc/athens/athens.toml").rc == 0
    text = conf.content_string
    assert 'GoBinary = "/usr/local/lib/athens-go/current/bin/go"' in text
    assert 'NetworkMode = "fallback"' in text and 'SumDBs = []' in text
    assert f'GoBinaryEnvVars = ["GOPROXY={lab.vars["lab_upstream_goproxy"]}"]' in text


def test_readyz_and_healthz(lab):
    proxy = lab.host("proxy1")
    for path in ("readyz", "healthz"):
        assert proxy.check_output(f"curl -s -o /dev/null -w '%{{http_code}}' http://127.0.0.1:{PORT}/{path}") == "200"
    # StatsExporter prometheus: /metrics on the proxy port, namespace "proxy"
    assert "proxy_cache_lookup_total" in proxy.check_output(f"curl -s http://127.0.0.1:{PORT}/metrics")


def test_dns_name_published_by_each_backend(lab):
    builder = lab.host("builder1")
    address = lab.address("proxy1")
    # dnsmasq host-record on dns1 (the builders' resolver)
    assert builder.check_output("dig +short goproxy.lab.test").strip() == address
    # RFC 2136 update into BIND on dns1:5353, reached through dnsmasq's forwarding of dyn.lab.test
    assert builder.check_output("dig +short athens.dyn.lab.test").strip() == address
    assert builder.check_output(f"dig +short @{lab.address('dns1')} -p 5353 athens.dyn.lab.test").strip() == address
    # /etc/hosts (ahosts: getaddrinfo AF_UNSPEC stops at the line; `getent hosts` asks IPv6 first, which an
    # IPv4 line does not answer, so glibc asks DNS too: roles/athens/README.md, "hosts")
    assert builder.check_output("getent ahosts athens-hosts.lab.test").split()[0] == address
    for name in ("goproxy.lab.test", "athens.dyn.lab.test", "athens-hosts.lab.test"):
        code = builder.check_output(f"curl -s -o /dev/null -w '%{{http_code}}' http://{name}:{PORT}/readyz")
        assert code == "200", name


def test_dns_forwarding_of_private_domains(lab):
    dns = lab.host("dns1")
    assert "server=/dyn.lab.test/127.0.0.1#5353" in dns.file("/etc/dnsmasq.d/gomod-athens.conf").content_string
    # BIND: the forward zone for the GOPRIVATE host of the nsupdate run, loaded by the running server
    conf = dns.check_output("named-checkconf -p")
    assert re.search(r'zone "git\.private\.lab\.test" \{\s*type forward;\s*forward only;', conf)
    assert 'include "/etc/bind/named.conf.gomod-athens";' in dns.file("/etc/bind/named.conf.local").content_string


def test_builder_downloads_the_project_through_the_proxy_by_name(lab):
    builder = lab.host("builder1")
    result = download_project(builder, f"http://goproxy.lab.test:{PORT}")
    assert result.rc == 0, result.stderr
    modules = [json.loads(m) for m in re.findall(r"^\{.*?^\}", result.stdout, re.M | re.S)]
    assert all("Error" not in m for m in modules)
    paths = {m["Path"] for m in modules}
    assert {"github.com/google/uuid", "github.com/BurntSushi/toml", "rsc.io/quote", "rsc.io/quote/v3",
            "rsc.io/sampler", "golang.org/x/text", "github.com/spf13/pflag", "github.com/pkg/errors"} <= paths
    proxy = lab.host("proxy1")
    for m in modules:
        # Athens stores decoded paths: github.com/BurntSushi/toml, not !burnt!sushi
        stored = proxy.file(f"{STORAGE}/{m['Path']}/{m['Version']}/source.zip")
        assert stored.exists, m["Path"]
        assert stored.user == "athens" and stored.mode == 0o640


def test_served_from_storage_when_upstream_is_down(lab):
    upstream = lab.host("upstream1")
    builder = lab.host("builder1")
    assert download_project(builder, f"http://goproxy.lab.test:{PORT}").rc == 0  # stored (order-independent)
    upstream.check_output("systemctl stop lab-upstream.service")
    try:
        assert builder.run(f"curl -s --max-time 3 {lab.vars['lab_upstream_goproxy']}/").rc != 0
        result = download_project(builder, f"http://goproxy.lab.test:{PORT}")
        assert result.rc == 0, result.stderr
    finally:
        upstream.check_output("systemctl start lab-upstream.service")


def test_outsider_cannot_reach_the_proxy_and_ssh_still_works(lab):
    outsider = lab.host("outsider1")
    result = outsider.run(f"curl -s --max-time 3 http://athens-hosts.lab.test:{PORT}/readyz")
    assert result.rc == 28, (result.rc, result.stdout)  # dropped: timeout, not refused
    assert lab.host("builder1").run(f"curl -sf --max-time 3 http://athens-hosts.lab.test:{PORT}/readyz").rc == 0
    for name in lab.names():
        assert lab.host(name).run("true").rc == 0, name
    counters = lab.host("proxy1").check_output("nft list chain inet gomod_athens input")
    assert re.search(r"counter packets [1-9]", counters)


def test_other_rules_left_alone(lab):
    proxy = lab.host("proxy1")
    assert "lab_keep: not the role's" in proxy.check_output("nft list table inet lab_keep")
    assert proxy.run("iptables -C INPUT -p tcp --dport 9998 -m comment --comment lab_keep -j ACCEPT").rc == 0
