"""_probe_dns: the system resolver for real names, and the failure classes from a real UDP DNS
responder on loopback (NXDOMAIN, SERVFAIL, REFUSED, silence)."""

import socket

import pytest

from ansible_collections.gomod.proxy.plugins.module_utils import _probe_dns

from probe_servers import DnsResponder


def test_ip_literal_needs_no_lookup():
    result = _probe_dns.resolve("127.0.0.1", 80, 1)
    assert result["ok"] and result["addresses"] == ["127.0.0.1"] and result["seconds"] == 0.0


def test_localhost_resolves_with_timing():
    result = _probe_dns.resolve("localhost", 80, 2)
    assert result["ok"] and "127.0.0.1" in result["addresses"]
    assert result["seconds"] >= 0


def test_reserved_invalid_tld_is_nxdomain():
    result = _probe_dns.resolve("no-such-host.invalid", 443, 3)
    assert not result["ok"]
    assert result["error_class"] == "nxdomain"


@pytest.mark.parametrize("rcode,expected", [(3, "nxdomain"), (2, "servfail"), (5, "refused"), (None, "timeout")])
def test_classify_failure_from_real_responder(tmp_path, rcode, expected):
    server = DnsResponder(rcode)
    try:
        conf = tmp_path / "resolv.conf"
        conf.write_text("nameserver 127.0.0.1\nsearch lab.example\noptions ndots:1\n")
        cls, resolver = _probe_dns.classify_failure("athens.corp.example", 0.5, str(conf), port=server.port)
        assert cls == expected and resolver == "127.0.0.1"
        assert server.queries, "the responder was really asked"
    finally:
        server.close()


def test_query_rcode_raises_timeout_on_silence():
    server = DnsResponder(None)
    try:
        with pytest.raises(socket.timeout):
            _probe_dns.query_rcode("127.0.0.1", "a.example", 0.3, port=server.port)
    finally:
        server.close()


def test_candidate_names_follow_ndots():
    assert _probe_dns.candidate_names("athens", ["lab"], 1) == ["athens.lab", "athens."]
    assert _probe_dns.candidate_names("a.b", ["lab"], 1) == ["a.b.", "a.b.lab"]
    assert _probe_dns.candidate_names("a.b.", ["lab"], 1) == ["a.b."]


def test_read_resolv_conf(tmp_path):
    conf = tmp_path / "resolv.conf"
    conf.write_text("# c\nnameserver 10.0.0.2\nnameserver fe80::1%eth0\nsearch a b\noptions ndots:5 timeout:1\n")
    assert _probe_dns.read_resolv_conf(str(conf)) == (["10.0.0.2", "fe80::1"], ["a", "b"], 5)
    assert _probe_dns.read_resolv_conf(str(tmp_path / "missing")) == (["127.0.0.1"], [], 1)
