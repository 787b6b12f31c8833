"""The fleet after `tools/test.sh site`: site.yml ran twice on the static lab, whose resolvers' upstream is
SILENT (GOMOD_LAB_DNS_UPSTREAM=silent: the lab gateway drops every DNS packet of the hosts, as the firewalled
resolvers of private networks do). What a fresh machine's `make site` once got wrong shows up here:

- nothing in site.yml may need a name from outside the lab: the drop rule counted no packet during both runs;
- the audit must be clean, not merely pass its gate (which fails on errors only);
- the proxy's name must resolve on the builders in < 50 ms: a resolver that forwards any query
  for a name it publishes makes every lookup wait for the silent upstream (glibc: 6 s for AF_UNSPEC);
- no query for the published name, of any type, may leave the DNS host: the drop rule's counter is read
  before and after asking every type.
"""

import re

import pytest
from lab_dns import ALL_TYPES, FAST_MS, dns_query, drop_counter, slow_or_wrong, timed

SEVERE = ("warning", "error", "critical")


@pytest.fixture(scope="module")
def name(inventory_vars):
    return inventory_vars["athens_dns_name"]


@pytest.fixture(scope="module")
def table(lab):
    upstream = lab.state.get("dns_upstream") or {}
    if not upstream.get("table") or "dns1" not in upstream.get("silent", []):
        pytest.fail(f"the lab's DNS upstream is not silent for dns1 ({upstream}): tools/test.sh site starts it "
                    "with GOMOD_LAB_DNS_UPSTREAM=silent")
    return upstream["table"]


def test_site_yml_needed_no_upstream_dns(table):
    """Nothing of the whole site.yml (twice) asked the silent upstream anything: every name the fleet used is
    the lab's own (/etc/hosts, the published name). The counter starts at 0 at `up`; this test runs first
    (pytest keeps file order), before the others send their own queries upstream."""
    assert drop_counter(table) == 0


def test_the_audit_is_clean(site_report, lab):
    audited = {h["name"] for h in site_report["hosts"]}
    assert audited == set(lab.group("builders")), audited
    assert all(h["state"] == "ok" for h in site_report["hosts"]), [(h["name"], h["state"]) for h in site_report["hosts"]]
    severe = [f"{f['host']} {f['severity']} {f['code']}: {f.get('cause')}" for f in site_report["findings"]
              if f["severity"] in SEVERE]
    assert not severe, severe


def test_the_upstream_really_is_silent(lab, table):
    """The premise of the other tests: what dns1 forwards gets no answer, and the rule counts it."""
    dns = lab.host("dns1")
    before = drop_counter(table)
    reply = dns_query(dns, "upstream-probe.example.org", ["A"], server=lab.gateway, timeout=0.5)[0]
    assert reply["timeout"], reply
    # through dnsmasq too: a name outside everything dns1 knows is forwarded, and unanswered
    assert dns_query(lab.host("builder1"), "upstream-probe.example.net", ["A"], timeout=0.5)[0]["timeout"]
    assert drop_counter(table) >= before + 2


def test_builders_resolve_the_proxy_at_once(lab, name):
    proxy = lab.address("proxy1")
    for builder in lab.group("builders"):
        host = lab.host(builder)
        # getent ahosts = getaddrinfo(AF_UNSPEC): A and AAAA together, what curl, Python and most programs ask
        for command in (f"getent ahosts {name}", f"getent ahostsv4 {name}"):
            ms, out, rc = timed(host, command)
            assert rc == 0 and ms < FAST_MS and proxy in out.split(), f"{builder}: {command}: rc={rc} {ms:.1f} ms {out}"
        # dig: the query time it reports (its own start-up, 20-70 ms on a busy machine, is not the resolver's)
        for qtype, want in (("A", [proxy]), ("AAAA", [])):
            command = f"dig +tries=1 +time=2 +noall +answer +comments +stats {name} {qtype}"
            ms, out, rc = timed(host, command)
            query_ms = re.search(r"Query time: (\d+) msec", out)
            answers = [line.split()[-1] for line in out.splitlines() if line and not line.startswith(";")]
            assert rc == 0 and "status: NOERROR" in out and query_ms and int(query_ms.group(1)) < FAST_MS, \
                f"{builder}: {command}: rc={rc} in {ms:.1f} ms: {out}"
            assert answers == want, f"{builder}: {command}: {out}"  # no IPv6 address published: NODATA


def test_no_query_for_the_published_name_leaves_the_dns_host(lab, name, table):
    builder = lab.host("builder1")
    before = drop_counter(table)
    replies = dns_query(builder, name, ALL_TYPES) + dns_query(builder, name, ["A", "AAAA", "HTTPS", "ANY"], tcp=True)
    assert not slow_or_wrong(replies), slow_or_wrong(replies)
    # a name under the published one that nobody publishes: NXDOMAIN from dnsmasq, not a forward
    under = dns_query(builder, f"nothing.{name}", ["A", "AAAA", "TXT"])
    assert not slow_or_wrong(under, expect_rcode="NXDOMAIN"), slow_or_wrong(under)
    assert drop_counter(table) == before, "a query for the published name was forwarded to the silent upstream"
    by_type = {r["type"]: r for r in replies if not r["tcp"]}
    assert by_type["A"]["answers"] == [["A", lab.address("proxy1")]]
    assert ["A", lab.address("proxy1")] in by_type["ANY"]["answers"]
    assert all(by_type[t]["answers"] == [] for t in ALL_TYPES if t not in ("A", "ANY"))
