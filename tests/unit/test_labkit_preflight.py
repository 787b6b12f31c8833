"""lab/labkit (behind lab/labctl.py): the checks `up` makes before starting anything, lab ownership, the silent DNS upstream."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "lab"))
from labkit import base, dns_upstream, preflight, spec as lab_spec  # noqa: E402  pylint: disable=wrong-import-position


# --- network backend and aardvark-dns ----------------------------------------------------------------------

def test_netavark_passes():
    assert preflight.backend_problem("netavark") is None


@pytest.mark.parametrize("backend", ["cni", "", "CNI"])
def test_other_backends_fail_naming_the_fix(backend):
    msg = preflight.backend_problem(backend)
    assert "netavark" in msg and "make setup" in msg and "tools/setup-host.sh" in msg
    assert "apt-get install netavark aardvark-dns" in msg
    assert 'network_backend = "netavark"' in msg and "/etc/containers/containers.conf" in msg
    assert repr(backend or "unknown") in msg


def test_aardvark_found_only_as_an_executable(tmp_path):
    empty, plain, helper = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    for d in (empty, plain, helper):
        d.mkdir()
    (plain / "aardvark-dns").write_text("not executable")
    (helper / "aardvark-dns").write_text("#!/bin/sh\n")
    (helper / "aardvark-dns").chmod(0o755)
    assert preflight.find_aardvark([str(empty)]) is None
    if os.geteuid() != 0:  # root may execute any file with an x bit only; a 0644 file is not executable
        assert preflight.find_aardvark([str(plain)]) is None
    assert preflight.find_aardvark([str(empty), str(helper)]) == helper / "aardvark-dns"


def test_gateway_dns_answer_passes_and_silence_names_the_fix():
    asked = []

    def answering(server, name, qtype, timeout):
        asked.append((server, name, qtype, timeout))
        return {"timeout": False, "rcode": "NOERROR", "answers": [["A", "172.30.77.10"]]}

    assert preflight.check_gateway_dns("172.30.77.1", "gomod-lab-proxy1", ask=answering)["rcode"] == "NOERROR"
    assert asked == [("172.30.77.1", "gomod-lab-proxy1", "A", base.DNS_CHECK_TIMEOUT)]
    with pytest.raises(base.LabError) as err:
        preflight.check_gateway_dns("172.30.77.1", "gomod-lab-proxy1", timeout=0.5,
                                    ask=lambda *a, **k: {"timeout": True, "ms": 500})
    assert "172.30.77.1 does not answer DNS" in str(err.value) and "no answer in 0.5s" in str(err.value)
    assert "make setup" in str(err.value)

    def unreachable(*_a, **_k):
        raise OSError(101, "Network is unreachable")

    with pytest.raises(base.LabError, match="Network is unreachable"):
        preflight.check_gateway_dns("172.30.77.1", "x", ask=unreachable)


def test_gateway_dns_against_a_real_socket():
    """A bound UDP socket that never answers: the real query times out and the error says so."""
    import socket  # pylint: disable=import-outside-toplevel

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:
        silent.bind(("127.0.0.1", 0))
        port = silent.getsockname()[1]

        def ask(server, name, qtype, timeout):
            return preflight.dnsquery.query(server, name, qtype, port=port, timeout=timeout)

        with pytest.raises(base.LabError, match="does not answer DNS"):
            preflight.check_gateway_dns("127.0.0.1", "x", timeout=0.2, ask=ask)


# --- ownership: the static lab exists once per machine ------------------------------------------------------

SPEC = {"id": "gomod-lab"}
OURS = {base.LABEL: "gomod-lab", base.CHECKOUT_LABEL: "/work/wt-a"}
THEIRS = {base.LABEL: "gomod-lab", base.CHECKOUT_LABEL: "/work/main"}
LEGACY = {base.LABEL: "gomod-lab"}


def test_own_objects_are_fine():
    assert preflight.foreign_owner(OURS, checkout="/work/wt-a") is None
    assert preflight.ownership_problem(SPEC, [("network gomod-lab", OURS)], checkout="/work/wt-a") is None
    assert preflight.ownership_problem(SPEC, [], checkout="/work/wt-a") is None


def test_another_checkouts_lab_is_refused_naming_it():
    objects = [("network gomod-lab", THEIRS)] + [(f"container gomod-lab-h{i}", THEIRS) for i in range(5)]
    msg = preflight.ownership_problem(SPEC, objects, checkout="/work/wt-a")
    assert "belongs to the checkout /work/main" in msg and "not to this one (/work/wt-a)" in msg
    assert "cd /work/main && tools/lab.sh down" in msg
    assert "network gomod-lab, container gomod-lab-h0, container gomod-lab-h1 and 3 more" in msg
    # down refuses it too: unknown_ok only lets unlabelled (older) labs through
    assert preflight.ownership_problem(SPEC, objects, checkout="/work/wt-a", unknown_ok=True) == msg


def test_one_foreign_container_is_enough():
    msg = preflight.ownership_problem(SPEC, [("network gomod-lab", OURS), ("container gomod-lab-dns1", THEIRS)],
                                      checkout="/work/wt-a")
    assert "(container gomod-lab-dns1)" in msg and "network gomod-lab" not in msg


def test_an_unlabelled_lab_is_not_taken_over_but_down_may_remove_it():
    msg = preflight.ownership_problem(SPEC, [("network gomod-lab", LEGACY)], checkout="/work/wt-a")
    assert "did not record itself" in msg and "tools/lab.sh down" in msg
    assert preflight.ownership_problem(SPEC, [("network gomod-lab", LEGACY)], checkout="/work/wt-a",
                                       unknown_ok=True) is None


def test_this_checkout_labels_what_it_makes():
    assert base.CHECKOUT_LABEL == "gomod.proxy.lab.checkout"
    assert base.REPO == REPO


# --- lab_dns_upstream ------------------------------------------------------------------------------------------

def hosts(*modes):
    return [{"name": f"h{i}", "address": f"172.30.77.{10 + i}", "dns_upstream": m} for i, m in enumerate(modes)]


def test_host_entry_default_override_and_bad_value():
    assert lab_spec.host_entry("dns1", ["dns"], {})["dns_upstream"] == "aardvark"
    assert lab_spec.host_entry("dns1", ["dns"], {"lab_dns_upstream": "silent"})["dns_upstream"] == "silent"
    assert lab_spec.host_entry("dns1", ["dns"], {"lab_dns_upstream": "aardvark"}, "silent")["dns_upstream"] == "silent"
    with pytest.raises(base.LabError, match="dns1: lab_dns_upstream is 'quiet'; it must be one of aardvark, silent"):
        lab_spec.host_entry("dns1", ["dns"], {"lab_dns_upstream": "quiet"})


def test_table_name_is_an_nft_identifier_per_lab():
    assert dns_upstream.dns_table("gomod-lab") == "gomod_lab_gomod_lab"
    assert dns_upstream.dns_table("gmlab-athens-1a2b3c") == "gomod_lab_gmlab_athens_1a2b3c"


def test_ruleset_drops_dns_of_the_silent_hosts_only():
    spec = {"id": "gmlab-athens-1a2b3c", "hosts": hosts("aardvark", "silent", "silent")}
    text = dns_upstream.dns_upstream_ruleset(spec, "10.89.3.1")
    lines = text.splitlines()
    assert lines[:2] == ["table inet gomod_lab_gmlab_athens_1a2b3c", "delete table inet gomod_lab_gmlab_athens_1a2b3c"]
    rule = [line for line in lines if " drop" in line]
    assert len(rule) == 1
    assert "ip saddr { 172.30.77.11, 172.30.77.12 } ip daddr 10.89.3.1 meta l4proto { tcp, udp } th dport 53 counter drop" \
        in rule[0]
    assert "172.30.77.10" not in text
    assert "hook input" in text and "gomod.proxy.lab=gmlab-athens-1a2b3c" in text


def test_no_silent_host_means_no_table():
    text = dns_upstream.dns_upstream_ruleset({"id": "gomod-lab", "hosts": hosts("aardvark")}, "172.30.77.1")
    assert text == "table inet gomod_lab_gomod_lab\ndelete table inet gomod_lab_gomod_lab\n"


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("nft"), reason="nft -c needs root and nftables")
def test_ruleset_is_valid_nft():
    spec = {"id": "unit-test", "hosts": hosts("silent", "aardvark")}
    proc = subprocess.run(["nft", "-c", "-f", "-"], input=dns_upstream.dns_upstream_ruleset(spec, "172.30.77.1").encode(),
                          capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr.decode()


def test_static_lab_reads_all_yml_and_the_environment_wins(monkeypatch, tmp_path):
    inv = tmp_path / "inv"
    (inv / "group_vars").mkdir(parents=True)
    shutil.copy(REPO / "inventories" / "lab" / "hosts.yml", inv / "hosts.yml")
    all_yml = (REPO / "inventories" / "lab" / "group_vars" / "all.yml").read_text()
    (inv / "group_vars" / "all.yml").write_text(all_yml)
    monkeypatch.delenv("GOMOD_LAB_DNS_UPSTREAM", raising=False)
    spec = lab_spec.spec_from_inventory(inv)
    assert {h["dns_upstream"] for h in spec["hosts"]} == {"aardvark"}
    monkeypatch.setenv("GOMOD_LAB_DNS_UPSTREAM", "silent")
    spec = lab_spec.spec_from_inventory(inv)
    assert {h["dns_upstream"] for h in spec["hosts"]} == {"silent"}
    assert [h["name"] for h in dns_upstream.silent_hosts(spec)] == [h["name"] for h in spec["hosts"]]
    monkeypatch.setenv("GOMOD_LAB_DNS_UPSTREAM", "loud")
    with pytest.raises(base.LabError, match="must be one of aardvark, silent"):
        lab_spec.spec_from_inventory(inv)
    monkeypatch.delenv("GOMOD_LAB_DNS_UPSTREAM")
    (inv / "group_vars" / "all.yml").write_text(all_yml.replace("lab_dns_upstream: aardvark", "lab_dns_upstream: silent"))
    assert {h["dns_upstream"] for h in lab_spec.spec_from_inventory(inv)["hosts"]} == {"silent"}
