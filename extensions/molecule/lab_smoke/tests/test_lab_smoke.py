"""The lab works: systemd, per-host firewalls, DNS from the dns host, module downloads from upstream."""

import pytest

BUILDERS = ["builder1", "builder2"]


def test_every_host_booted_cleanly(lab):
    for name in lab.names():
        assert lab.host(name).run("systemctl is-system-running").stdout.strip() == "running", name


@pytest.mark.parametrize("name", BUILDERS)
def test_systemd_runs_a_sandboxed_unit(lab, name):
    host = lab.host(name)
    unit = host.service("lab-smoke-sandbox")
    assert unit.is_running
    assert unit.is_enabled
    # DynamicUser: the service runs as a transient, unprivileged user
    user = host.check_output("ps -o user= -C python3 | sort -u")
    assert user and "root" not in user.split()
    assert host.run("curl -fsS -o /dev/null http://127.0.0.1:8080/hostname").succeeded


def test_nftables_drop_rule_blocks_one_host(lab):
    target, blocked, other = lab.podman("upstream1"), lab.host("builder1"), lab.host("builder2")
    url = f"http://{lab.address('upstream1')}/mod/sumdb/sum.golang.org/supported"
    fetch = f"curl -fsS -o /dev/null --max-time 3 {url}"
    assert blocked.run(fetch).succeeded, "works before the rule"
    target.check_output(
        "nft add table inet lab_smoke && "
        "nft 'add chain inet lab_smoke input { type filter hook input priority 0; }' && "
        f"nft add rule inet lab_smoke input ip saddr {lab.address('builder1')} tcp dport 80 drop"
    )
    try:
        assert blocked.run(fetch).rc == 28, "curl times out: the packets are dropped"
        assert other.run(fetch).succeeded, "the rule matches builder1 only"
    finally:
        target.run("nft delete table inet lab_smoke")
    assert blocked.run(fetch).succeeded, "works again without the rule"


def test_dns_host_publishes_a_name(lab):
    assert lab.host("dns1").service("dnsmasq").is_running
    builder = lab.host("builder1")
    want = lab.address("upstream1")
    assert builder.check_output("dig +short goproxy.lab.test") == want
    # through the resolver library as well (nsswitch: /etc/hosts has no such name, so it is DNS)
    assert builder.check_output("getent hosts goproxy.lab.test").split()[0] == want


def go(host, env, command):
    """Run `command` in a fresh module cache and GOPATH, as a build user would (no cache hits)."""
    return host.run(
        "set -e; d=$(mktemp -d); cd /opt/lab-probe; "
        f"env GOMODCACHE=$d/mod GOPATH=$d/gopath GOCACHE=$d/build GOFLAGS=-modcacherw {env} {command}; "
        "rc=$?; rm -rf $d; exit $rc"
    )


def test_go_builds_the_probe_from_upstream_verifying_with_the_checksum_database(lab):
    # GOSUMDB stays at its default (sum.golang.org); upstream serves its data for the lab's modules.
    # The upstream host is reached by a name only the dns host knows.
    out = go(lab.host("builder1"), "GOPROXY=http://goproxy.lab.test/mod", "go run .")
    assert out.succeeded, out.stderr
    assert out.stdout.startswith("probe ok ")


def test_go_downloads_the_probe_modules_as_a_build_user(lab):
    # a fresh unprivileged user, like the build users roles will create (without compiling: fast)
    host = lab.host("builder2")
    host.check_output("id labsmoke || useradd --create-home labsmoke")
    out = host.run(
        "su - labsmoke -c 'cp -r /opt/lab-probe ~/probe && cd ~/probe && "
        f"GOPROXY={lab.vars['lab_upstream_goproxy']} go mod download -x && go list -m all'"
    )
    assert out.succeeded, out.stderr
    assert "rsc.io/sampler v1.3.0" in out.stdout
    assert "/mod/rsc.io/quote/@v/v1.5.2.zip" in out.stderr  # -x: fetched from upstream


def test_fresh_client_verifies_every_upstream_module_with_the_checksum_database(lab):
    # Outside a module there is no go.sum: every hash is checked against sum.golang.org's data through
    # upstream, by a client with no sumdb state of its own (it needs the older-tree tiles labctl derives).
    modules = [line.split()[0] + "@" + line.split()[1] for line in
               lab.host("builder1").check_output("cat /opt/lab-probe/go.sum").splitlines() if "/go.mod" not in line]
    out = go(lab.host("builder1"), f"GOPROXY={lab.vars['lab_upstream_goproxy']},off GOSUMDB=sum.golang.org",
             "go mod download -C / -json " + " ".join(sorted(set(modules))))
    assert out.succeeded, out.stderr + out.stdout
    assert '"Error"' not in out.stdout


def test_go_downloads_a_module_with_gosumdb_off(lab):
    out = go(lab.host("builder1"), f"GOPROXY={lab.vars['lab_upstream_goproxy']} GOSUMDB=off",
             "go mod download -json github.com/BurntSushi/toml@v1.4.0")
    assert out.succeeded, out.stderr
    assert '"Version": "v1.4.0"' in out.stdout


def test_go_fails_without_a_proxy(lab):
    # proves the downloads above came from upstream, not from some cache on the host
    out = go(lab.host("builder1"), "GOPROXY=off", "go mod download")
    assert out.failed
    assert "module lookup disabled by GOPROXY=off" in out.stderr
