"""gomod.proxy.athens run again by the tests: check mode, a configuration change, every firewall backend, the
`local` install method, a tampered release and a wrong sha256, bad input. Each test leaves proxy1 as
converge made it; outsider1 stays a host where Athens was never installed.

The runs use tests/playbooks/athens.yml (converge's Athens play) with the scenario's inventory, so they
need molecule's ephemeral directory: with plain pytest against the static lab they are skipped.
"""

import json
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from scenario_playbook import run_playbook as playbook

HERE = Path(__file__).resolve().parent
SCENARIO = HERE.parent
EPHEMERAL = os.environ.get("MOLECULE_EPHEMERAL_DIRECTORY", "")
CACHE = Path(os.environ.get("GOMOD_PROXY_CACHE") or Path.home() / ".cache" / "gomod-proxy")
PORT = 3000

pytestmark = pytest.mark.skipif(not EPHEMERAL, reason="runs ansible-playbook with molecule's inventory")


def athens(*args, **kw):
    return playbook(HERE / "playbooks" / "athens.yml", *args, **kw)


def main_pid(lab):
    return lab.host("proxy1").check_output("systemctl show -p MainPID --value athens.service").strip()


def reachable(lab, client, timeout=3):
    return lab.host(client).run(
        f"curl -sf --max-time {timeout} http://{lab.address('proxy1')}:{PORT}/readyz").rc == 0


def fresh_host_state(host):
    """What the role would change on a host where Athens was never installed."""
    return {
        "user": host.run("getent passwd athens").rc,
        "files": host.run("ls -d /usr/local/bin/athens /etc/athens /var/lib/athens /usr/local/lib/athens-go "
                          "/etc/systemd/system/athens.service /etc/systemd/system/athens-firewall.service "
                          "/usr/local/libexec/gomod-proxy 2>/dev/null").stdout,
        "nft": host.check_output("nft list tables"),
        "packages": host.check_output("dpkg-query -W -f '${Package} ${Version} ${Status}\\n' | sha256sum"),
        "units": host.check_output("find /etc/systemd/system | sort | sha256sum"),
    }


def test_check_mode_changes_nothing_on_the_converged_hosts(lab):
    rc, out, recap = playbook(SCENARIO / "converge.yml", check=True)
    assert rc == 0, out[-3000:]
    assert all(r["changed"] == 0 for r in recap.values()), {h: r["changed"] for h, r in recap.items()}


def test_check_mode_on_a_fresh_host(lab):
    outsider = lab.host("outsider1")
    before = fresh_host_state(outsider)
    rc, out, recap = athens(extra={"athens_test_target": "outsider"}, check=True)
    assert rc == 0, out[-3000:]
    assert recap["outsider1"]["changed"] > 0  # it reports what it would do
    assert fresh_host_state(outsider) == before


def test_configuration_change_restarts_once(lab):
    pid = main_pid(lab)
    rc, out, recap = athens("--tags", "athens_configure,athens_service", extra={"athens_log_level": "debug"})
    assert rc == 0, out[-3000:]
    assert recap["proxy1"]["changed"] >= 2, out[-3000:]  # the file, the restart
    assert re.search(r"RUNNING HANDLER \[gomod.proxy.athens : Restart Athens\]", out)
    changed_pid = main_pid(lab)
    assert changed_pid != pid
    assert 'LogLevel = "debug"' in lab.host("proxy1").file("/etc/athens/athens.toml").content_string
    rc, out, recap = athens("--tags", "athens_configure,athens_service", extra={"athens_log_level": "debug"})
    assert rc == 0 and recap["proxy1"]["changed"] == 0, out[-3000:]
    assert main_pid(lab) == changed_pid
    rc, out, recap = athens("--tags", "athens_configure,athens_service")  # back to the scenario's settings
    assert rc == 0 and recap["proxy1"]["changed"] >= 2, out[-3000:]


def test_local_install_method_installs_the_same_binary(lab):
    build = CACHE / "artifacts" / "build" / "athens-v0.18.0-linux-amd64" / "athens"
    assert build.exists(), "prepare built Athens into the controller cache"
    pid = main_pid(lab)
    rc, out, recap = athens("--tags", "athens_install",
                            extra={"athens_install_method": "local", "athens_local_binary": str(build)})
    assert rc == 0, out[-3000:]
    assert recap["proxy1"]["changed"] == 0, out[-3000:]  # the release archive held exactly this build
    assert main_pid(lab) == pid


FIREWALL_STEPS = ["iptables", "ufw", "firewalld", "nftables"]
LAB_KEEP_IPT = "INPUT -p tcp --dport 9998 -m comment --comment lab_keep -j ACCEPT"


def firewall_owned_by_role(proxy):
    return {
        "nft_table": proxy.run("nft list table inet gomod_athens").rc == 0,
        "ipt_chain": proxy.run("iptables -w -n -L GOMOD-ATHENS").rc == 0,
        "ufw": "Status: active" in proxy.run("ufw status").stdout,
        "firewalld": proxy.run("systemctl is-active firewalld").rc == 0,
        "unit": proxy.run("systemctl is-active athens-firewall.service").rc == 0,
    }


def check_firewall(lab, proxy, backend):
    assert reachable(lab, "builder1"), backend
    assert not reachable(lab, "outsider1"), backend
    for name in lab.names():  # ssh from the controller to every host, the proxy's included
        assert lab.host(name).run("true").rc == 0, (backend, name)
    owned = firewall_owned_by_role(proxy)
    assert owned["nft_table"] == (backend == "nftables"), (backend, owned)
    assert owned["ipt_chain"] == (backend == "iptables"), (backend, owned)
    assert owned["ufw"] == (backend == "ufw"), (backend, owned)
    assert owned["firewalld"] == (backend == "firewalld"), (backend, owned)
    assert owned["unit"] == (backend in ("nftables", "iptables")), (backend, owned)
    assert "lab_keep: not the role's" in proxy.check_output("nft list table inet lab_keep"), backend
    record = json.loads(proxy.file("/etc/athens/firewall.json").content_string)
    assert record["backend"] == backend and record["controller"] == lab.vars["lab_controller_address"]


def test_every_firewall_backend(lab):
    proxy = lab.podman("proxy1")  # not ssh: a wrong rule must not hide the failure behind a lost connection
    for backend in FIREWALL_STEPS:
        if backend == "firewalld":
            # firewalld flushes every iptables rule when it starts: the role refuses while others' rules exist
            rc, out, recap = athens("--tags", "athens_firewall", extra={"athens_firewall_backend": backend})
            assert rc != 0 and "would flush these iptables rules" in out and "lab_keep" in out, out[-3000:]
            check_firewall(lab, proxy, "ufw")  # nothing changed
            proxy.check_output(f"iptables -D {LAB_KEEP_IPT}")
        # The controller's address found from the ssh session (the rerun below names it: no change)
        rc, out, recap = athens("--tags", "athens_firewall",
                                extra={"athens_firewall_backend": backend, "athens_firewall_controller_address": ""})
        assert rc == 0, (backend, out[-3000:])
        check_firewall(lab, proxy, backend)
        if backend not in ("firewalld", "nftables"):  # firewalld dropped it; nftables comes after firewalld
            assert proxy.run(f"iptables -C {LAB_KEEP_IPT}").rc == 0, backend
        if backend != "nftables":  # the last step is the converged state: the idempotence step proved it
            rc, out, recap = athens("--tags", "athens_firewall", extra={"athens_firewall_backend": backend})
            assert rc == 0 and recap["proxy1"]["changed"] == 0, (backend, out[-3000:])
    proxy.check_output(f"iptables -A {LAB_KEEP_IPT}")


def test_wrong_checksum_fails_before_the_host_changes(lab):
    outsider = lab.host("outsider1")
    before = fresh_host_state(outsider)
    mirror = f"http://{lab.address('upstream1')}:8080"
    runs = {
        # v0.18.1 there: the good archive plus one byte, listed in checksums.txt with the good archive's sha256
        "tampered archive": {"athens_release_base_url": f"{mirror}/tampered", "athens_version": "v0.18.1"},
        "wrong athens_release_sha256": {"athens_release_sha256": "0" * 64},
    }
    for what, extra in runs.items():
        rc, out, recap = athens(extra={"athens_test_target": "outsider", **extra})
        assert rc != 0, what
        assert re.search(r"checksum .*did not match|did not match.*checksum", out, re.I | re.S), (what, out[-3000:])
        assert recap["outsider1"]["changed"] == 0, (what, recap)
    assert fresh_host_state(outsider) == before


BAD_INPUT = [
    ({"athens_allowed_sources": ["10.0.0.300/8"]}, r"athens_allowed_sources: '+10\.0\.0\.300/8'+ is not a CIDR"),
    ({"athens_allowed_sources": ["10.1.2.3/8"]}, r"athens_allowed_sources: '+10\.1\.2\.3/8'+ is not a CIDR"),
    ({"athens_storage_type": "floppy"}, r"athens_storage_type.*must be one of"),
    ({"athens_port": 70000}, r"athens_port: '70000' is not a TCP port"),
    ({"athens_port": "http"}, r"athens_port.*(int|integer)"),
    ({"athens_version": "0.18"}, r"athens_version: '0\.18' is not a Go module version"),
    ({"athens_network_mode": "online"}, r"athens_network_mode.*must be one of"),
    ({"athens_tls_cert_file": "/etc/athens/tls/cert.pem"}, r"athens_tls_cert_file / athens_tls_key_file"),
]


def test_bad_input_fails_naming_the_field_with_nothing_deployed(lab):
    outsider = lab.host("outsider1")
    before = fresh_host_state(outsider)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda case: athens(extra={"athens_test_target": "outsider", **case[0]}), BAD_INPUT))
    for (extra, pattern), (rc, out, recap) in zip(BAD_INPUT, results):
        assert rc != 0, extra
        assert re.search(pattern, out), (extra, out[-2000:])
        assert recap["outsider1"]["changed"] == 0, (extra, recap)
    assert fresh_host_state(outsider) == before
