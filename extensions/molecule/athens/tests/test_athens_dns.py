"""The names the role publishes are answered from local data, for every query type, with a SILENT upstream.

dns1's own upstream (the lab gateway) drops every DNS packet of dns1 (molecule.yml: lab_dns_upstream: silent),
as the firewalled resolvers of private networks do. A query that dnsmasq or BIND forwards for a name the
role publishes then never returns, and every getaddrinfo() of it waits for the timeouts (6 s for AF_UNSPEC
in glibc). So each test reads the drop rule's counter (nftables on the controller) before and after asking
every type, and requires answers in < 50 ms:
  dnsmasq   goproxy.lab.test (host-record + local=), and names under it;
  BIND      athens.dyn.lab.test (nsupdate into the zone; dnsmasq forwards dyn.lab.test to BIND: the private
            domain forwarding that must keep working);
  hosts     athens-hosts.lab.test in the clients' /etc/hosts, read before DNS by glibc and by Go;
  IPv6      both DNS backends with an IPv6 address (a run of tests/playbooks/dns6.yml, then converge again).
"""

import json
import os
import subprocess
from pathlib import Path

import pytest
from lab_dns import ALL_TYPES, FAST_MS, build_go_lookup, dns_query, drop_counter, slow_or_wrong, timed
from scenario_playbook import run_playbook as playbook

HERE = Path(__file__).resolve().parent
SCENARIO = HERE.parent
EPHEMERAL = os.environ.get("MOLECULE_EPHEMERAL_DIRECTORY", "")
DNSMASQ_NAME = "goproxy.lab.test"
BIND_NAME = "athens.dyn.lab.test"
HOSTS_NAME = "athens-hosts.lab.test"
V6 = "fd00:77::10"


@pytest.fixture(scope="module")
def table(lab):
    upstream = lab.state.get("dns_upstream") or {}
    assert upstream.get("table") and "dns1" in upstream.get("silent", []), \
        f"dns1's upstream must be silent (molecule.yml: lab_dns_upstream: silent), the lab has {upstream}"
    return upstream["table"]


def by_type(replies):
    return {(r["type"], r["tcp"]): r for r in replies}


def test_the_upstream_is_silent(lab, table):
    """The premise: what dnsmasq forwards upstream gets no answer, and the rule counts it."""
    before = drop_counter(table)
    reply = dns_query(lab.host("builder1"), "not-published.example.org", ["A"], timeout=0.5)[0]
    assert reply["timeout"], reply
    assert drop_counter(table) > before


def test_dnsmasq_answers_every_type_for_its_name_locally(lab, table):
    builder = lab.host("builder1")
    before = drop_counter(table)
    replies = dns_query(builder, DNSMASQ_NAME, ALL_TYPES) + dns_query(builder, DNSMASQ_NAME, ["AAAA", "ANY"], tcp=True)
    under = dns_query(builder, f"nothing.{DNSMASQ_NAME}", ["A", "AAAA", "HTTPS"])
    assert drop_counter(table) == before, "dnsmasq forwarded a query for the name it publishes"
    assert not slow_or_wrong(replies), slow_or_wrong(replies)
    assert not slow_or_wrong(under, expect_rcode="NXDOMAIN"), slow_or_wrong(under)
    got = by_type(replies)
    assert got[("A", False)]["answers"] == [["A", lab.address("proxy1")]]
    assert got[("ANY", False)]["answers"] == [["A", lab.address("proxy1")]]
    assert all(got[(t, False)]["answers"] == [] for t in ALL_TYPES if t not in ("A", "ANY")), replies


def test_bind_answers_every_type_from_the_zone_and_dnsmasq_forwards_the_private_domain(lab, table):
    builder = lab.host("builder1")
    before = drop_counter(table)
    direct = dns_query(builder, BIND_NAME, ALL_TYPES, server=lab.address("dns1"), port=5353)
    # through dnsmasq on :53, which forwards dyn.lab.test to BIND (server=/dyn.lab.test/127.0.0.1#5353)
    forwarded = dns_query(builder, BIND_NAME, ALL_TYPES)
    missing = dns_query(builder, f"nothing.{BIND_NAME}", ["A", "AAAA"]) + \
        dns_query(builder, "nothing.dyn.lab.test", ["A", "TXT"])
    assert drop_counter(table) == before, "a query for the zone's name left dns1"
    assert not slow_or_wrong(direct + forwarded), slow_or_wrong(direct + forwarded)
    assert not slow_or_wrong(missing, expect_rcode="NXDOMAIN"), slow_or_wrong(missing)
    assert all(r["aa"] for r in direct), "BIND answers for its zone with authority"
    for replies in (direct, forwarded):
        got = by_type(replies)
        assert got[("A", False)]["answers"] == [["A", lab.address("proxy1")]]
        assert all(got[(t, False)]["answers"] == [] for t in ALL_TYPES if t not in ("A", "ANY", "SOA", "NS"))


def test_lookups_through_the_c_library_are_immediate(lab, table):
    """getaddrinfo(AF_UNSPEC) asks A and AAAA: the AAAA of an IPv4-only name is what hung before."""
    builder = lab.host("builder1")
    before = drop_counter(table)
    for name in (DNSMASQ_NAME, BIND_NAME, HOSTS_NAME):
        for command in (f"getent ahosts {name}", f"getent ahostsv4 {name}"):
            ms, out, rc = timed(builder, command)
            assert rc == 0 and ms < FAST_MS and lab.address("proxy1") in out.split(), (command, rc, ms, out)
    # An IPv6-only lookup of a DNS-published IPv4 name: "no address", at once (NODATA), not EAI_AGAIN after 8 s.
    # Rooted (trailing dot): after a NODATA, stub resolvers go on through the search list, and the next name
    # (goproxy.lab.test.lab.test) is not one the role publishes; in a real network the search domain's own
    # server answers it (NXDOMAIN), in the lab nothing is authoritative for lab.test (roles/athens/README.md).
    for name in (DNSMASQ_NAME, BIND_NAME):
        ms, out, rc = timed(builder, f"python3 -c 'import socket; socket.getaddrinfo(\"{name}.\", 80, socket.AF_INET6)' "
                                     "2>&1 | tail -1")
        assert ms < FAST_MS and "Temporary failure" not in out and "No address associated" in out, (name, ms, out)
    assert drop_counter(table) == before


def test_hosts_backend_is_read_before_dns_by_glibc_and_go(lab, table, tmp_path):
    builder = lab.host("builder1")
    # glibc: "hosts: files dns" asks /etc/hosts first, and stops when the name is there (AF_UNSPEC, AF_INET)
    assert builder.check_output("grep '^hosts:' /etc/nsswitch.conf").split()[1] == "files"
    before = drop_counter(table)
    ms, out, rc = timed(builder, f"getent -s hosts:files ahosts {HOSTS_NAME}")
    assert rc == 0 and lab.address("proxy1") in out.split(), out
    # Go's resolver (the go command's) reads /etc/hosts first for every family: ip6 finds the name there with
    # no IPv6 address and stops, no DNS query.
    want = {"ip": [lab.address("proxy1")], "ip4": [lab.address("proxy1")], "ip6": []}
    binary = build_go_lookup(tmp_path / "golookup")
    builder.check_output("mkdir -p /opt/lab-dns")
    subprocess.run(["podman", "cp", str(binary), f"{lab.container('builder1')}:/opt/lab-dns/golookup"], check=True)
    lines = [json.loads(line) for line in builder.check_output(f"/opt/lab-dns/golookup {HOSTS_NAME}").splitlines()]
    assert {r["network"]: r["addresses"] for r in lines} == want, lines
    assert all(r["ms"] < FAST_MS for r in lines), lines
    # and through dnsmasq, for the DNS-published name (rooted: see the search list note above)
    lines = [json.loads(line) for line in builder.check_output(f"/opt/lab-dns/golookup {DNSMASQ_NAME}.").splitlines()]
    assert {r["network"]: r["addresses"] for r in lines} == want, lines
    assert all(r["ms"] < FAST_MS for r in lines), lines
    assert drop_counter(table) == before


@pytest.mark.skipif(not EPHEMERAL, reason="runs ansible-playbook with molecule's inventory")
def test_ipv6_addresses_are_published_and_the_other_types_still_answered_locally(lab, table):
    rc, out, _recap = playbook(HERE / "playbooks" / "dns6.yml", extra={"athens_test_dns_address": V6})
    try:
        assert rc == 0, out[-3000:]
        builder = lab.host("builder1")
        before = drop_counter(table)
        replies = dns_query(builder, DNSMASQ_NAME, ALL_TYPES) + dns_query(builder, "athens6.dyn.lab.test", ALL_TYPES)
        assert drop_counter(table) == before
        assert not slow_or_wrong(replies), slow_or_wrong(replies)
        for name in (DNSMASQ_NAME, "athens6.dyn.lab.test"):
            got = {r["type"]: r["answers"] for r in replies if r["name"] == name}
            assert got["AAAA"] == [["AAAA", V6]] and got["A"] == [], (name, got)
            ms, out, status = timed(builder, f"getent ahosts {name}")
            assert status == 0 and ms < FAST_MS and out.split()[0] == V6, (name, ms, out)
        rc, out, recap = playbook(HERE / "playbooks" / "dns6.yml", extra={"athens_test_dns_address": V6})
        assert rc == 0 and recap["dns1"]["changed"] == 0, out[-3000:]
    finally:
        rc, out, recap = playbook(SCENARIO / "converge.yml", "--limit", "dns1")
        assert rc == 0 and recap["dns1"]["changed"] > 0, out[-3000:]
    got = dns_query(lab.host("builder1"), DNSMASQ_NAME, ["A", "AAAA"])
    assert [r["answers"] for r in got] == [[["A", lab.address("proxy1")]], []]


@pytest.mark.skipif(not EPHEMERAL, reason="runs ansible-playbook with molecule's inventory")
def test_a_name_that_is_also_a_forwarded_domain_is_refused(lab):
    before = lab.host("dns1").file("/etc/dnsmasq.d/gomod-athens.conf").content_string
    rc, out, recap = playbook(HERE / "playbooks" / "dns6.yml",
                              extra={"athens_test_dns_address": lab.address("proxy1"),
                                     "athens_dns_forward_domains": [DNSMASQ_NAME, "dyn.lab.test"]})
    assert rc != 0 and recap["dns1"]["changed"] == 0, out[-3000:]
    assert f"athens_dns_name: '{DNSMASQ_NAME}' is also a forwarded domain" in out, out[-3000:]
    assert lab.host("dns1").file("/etc/dnsmasq.d/gomod-athens.conf").content_string == before
