"""_probe.dns: Go's resolver (hosts file, nsswitch order, A and AAAA asked apart) against a real UDP DNS
responder on loopback: answers, NODATA, NXDOMAIN, SERVFAIL, REFUSED and silence of one or both families."""

import time

import pytest

from ansible_collections.gomod.proxy.plugins.module_utils._probe import dns as probe_dns

from ansible_collections.gomod.proxy.tests.unit.plugins.module_utils.probe_servers import DnsResponder

A, AAAA = 1, 28


@pytest.fixture
def files(tmp_path):
    """(resolv.conf, hosts, nsswitch.conf) paths in tmp_path, written by a helper."""
    def write(resolv="nameserver 127.0.0.1\n", hosts="127.0.0.1 localhost\n", nsswitch="hosts: files dns\n"):
        paths = []
        for name, text in (("resolv.conf", resolv), ("hosts", hosts), ("nsswitch.conf", nsswitch)):
            (tmp_path / name).write_text(text)
            paths.append(str(tmp_path / name))
        return paths
    return write


def _resolve(server, paths, host="goproxy.lab.test", timeout=3.0):
    resolv, hosts, nsswitch = paths
    return probe_dns.resolve(host, 80, timeout, resolv_conf=resolv, hosts=hosts, nsswitch=nsswitch,
                             dns_port=server.port)


@pytest.fixture
def responder():
    servers = []

    def make(*args, **kwargs):
        server = DnsResponder(*args, **kwargs)
        servers.append(server)
        return server
    yield make
    for server in servers:
        server.close()


def test_ip_literal_needs_no_lookup():
    result = probe_dns.resolve("127.0.0.1", 80, 1)
    assert result["ok"] and result["addresses"] == ["127.0.0.1"] and result["source"] == "literal"


def test_hosts_file_answers_without_any_dns_query(files, responder):
    server = responder(by_type={A: ["10.9.9.9"]})
    paths = files(hosts="10.0.0.7 goproxy.lab.test goproxy # the proxy\n")
    result = _resolve(server, paths, host="GOPROXY.lab.test.")
    assert result["ok"] and result["addresses"] == ["10.0.0.7"] and result["source"] == "files"
    assert server.queries == []


def test_nsswitch_dns_before_files(files, responder):
    server = responder(by_type={A: ["10.9.9.9"], AAAA: []})
    paths = files(hosts="10.0.0.7 goproxy.lab.test\n", nsswitch="hosts: dns files\n")
    result = _resolve(server, paths)
    assert result["ok"] and result["addresses"] == ["10.9.9.9"] and result["source"] == "dns"


def test_a_and_aaaa_are_asked_apart_and_both_used(files, responder):
    server = responder(by_type={A: ["10.0.0.5"], AAAA: ["fd00::5"]})
    result = _resolve(server, files())
    assert result["ok"] and result["addresses"] == ["10.0.0.5", "fd00::5"]
    assert sorted(server.qtypes()) == [A, AAAA]
    assert [f["outcome"] for f in result["families"]] == ["ok", "ok"] and result["stall"] is None


def test_nodata_for_aaaa_is_no_stall(files, responder):
    server = responder(by_type={A: ["10.0.0.5"], AAAA: []})
    result = _resolve(server, files())
    assert result["ok"] and result["stall"] is None and result["seconds"] < 0.5


def test_silent_aaaa_is_a_stall_that_costs_go_the_whole_schedule(files, responder):
    # A resolver that answers A from its own data and forwards AAAA to a dead upstream.
    server = responder(by_type={A: ["10.0.0.5"], AAAA: None})
    paths = files(resolv="nameserver 127.0.0.1\noptions timeout:1 attempts:2\n")
    start = time.monotonic()
    result = _resolve(server, paths, timeout=5)
    assert result["ok"] and result["addresses"] == ["10.0.0.5"]
    stall = result["stall"]
    assert stall["family"] == "AAAA" and stall["answered"] == "A" and stall["measured"]
    # Go waits for both families: 2 attempts x 1 s, then uses the A address
    assert 1.9 <= stall["seconds"] <= 2.5 and 1.9 <= time.monotonic() - start <= 3
    assert server.qtypes().count(AAAA) == 2 and server.qtypes().count(A) == 1


def test_stall_longer_than_the_probe_is_computed_from_resolv_conf(files, responder):
    server = responder(by_type={A: ["10.0.0.5"], AAAA: None})
    paths = files(resolv="nameserver 127.0.0.1\noptions timeout:2 attempts:3\n")
    result = _resolve(server, paths, timeout=0.5)
    assert result["ok"] and result["seconds"] < 1.0
    assert result["stall"]["seconds"] == 6.0 and not result["stall"]["measured"]


def test_go_never_waits_longer_than_its_dial_timeout():
    conf = probe_dns.ResolverConfig(servers=["a", "b", "c"], timeout=30, attempts=5)
    assert conf.go_wait() == probe_dns.GO_DIAL_TIMEOUT


def test_single_request_asks_in_turn(files, responder):
    server = responder(by_type={A: ["10.0.0.5"], AAAA: []})
    result = _resolve(server, files(resolv="nameserver 127.0.0.1\noptions single-request\n"))
    assert result["ok"] and server.qtypes() == [A, AAAA]


@pytest.mark.parametrize("rcode,expected", [(3, "nxdomain"), (2, "servfail"), (5, "refused"), (None, "timeout")])
def test_failure_classes_from_a_real_responder(files, responder, rcode, expected):
    server = responder(rcode)
    paths = files(resolv="nameserver 127.0.0.1\nsearch lab.example\noptions timeout:1 attempts:1\n")
    result = _resolve(server, paths, host="athens.corp.example", timeout=1.5)
    assert not result["ok"] and result["error_class"] == expected and result["resolver"] == "127.0.0.1"
    assert server.queries, "the responder was really asked"


def test_nodata_for_both_families(files, responder):
    server = responder(by_type={A: [], AAAA: []})
    result = _resolve(server, files(resolv="nameserver 127.0.0.1\n"))
    assert not result["ok"] and result["error_class"] == "nodata"


def test_timeout_of_both_families_names_go_s_limit(files, responder):
    server = responder(None)
    result = _resolve(server, files(resolv="nameserver 127.0.0.1\noptions timeout:1 attempts:2\n"), timeout=0.6)
    assert result["error_class"] == "timeout" and "Go gives up after 2s" in result["error"]


def test_search_list_is_tried_in_go_s_order(files, responder):
    server = responder(by_type={A: ["10.0.0.9"], AAAA: []})
    result = _resolve(server, files(resolv="nameserver 127.0.0.1\nsearch lab.example\n"), host="athens")
    assert result["ok"] and result["families"][0]["name"] == "athens.lab.example."


def test_candidate_names_follow_ndots():
    assert probe_dns.candidate_names("athens", ["lab"], 1) == ["athens.lab.", "athens."]
    assert probe_dns.candidate_names("a.b", ["lab"], 1) == ["a.b.", "a.b.lab."]
    assert probe_dns.candidate_names("a.b.", ["lab"], 1) == ["a.b."]


def test_read_resolv_conf(tmp_path):
    conf = tmp_path / "resolv.conf"
    conf.write_text("# c\nnameserver 10.0.0.2\nnameserver fe80::1%eth0\nsearch a b.\n"
                    "options ndots:5 timeout:1 attempts:9 rotate\n")
    parsed = probe_dns.read_resolv_conf(str(conf))
    assert (parsed.servers, parsed.search, parsed.ndots, parsed.timeout, parsed.attempts, parsed.rotate) == \
        (["10.0.0.2", "fe80::1"], ["a", "b"], 5, 1.0, 5, True)
    missing = probe_dns.read_resolv_conf(str(tmp_path / "missing"))
    assert (missing.servers, missing.timeout, missing.attempts) == (["127.0.0.1", "::1"], 5.0, 2)


def test_lookup_order(tmp_path):
    conf = tmp_path / "nsswitch.conf"
    conf.write_text("passwd: files\nhosts: files mdns4_minimal [NOTFOUND=return] dns myhostname\n")
    assert probe_dns.lookup_order(str(conf)) == ("files", "dns")
    conf.write_text("hosts: dns files\n")
    assert probe_dns.lookup_order(str(conf)) == ("dns", "files")
    assert probe_dns.lookup_order(str(tmp_path / "missing")) == ("files", "dns")


def test_parse_response_ignores_other_ids_and_garbage():
    query = probe_dns.encode_query(7, "a.example", A)
    assert probe_dns.parse_response(query, 7) is None  # a query, not an answer
    assert probe_dns.parse_response(b"\x00\x07", 7) is None
    reply = b"\x00\x07\x81\x80" + query[4:]
    assert probe_dns.parse_response(reply, 8) is None
    assert probe_dns.parse_response(reply, 7) == (0, [])
