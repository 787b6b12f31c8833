"""_probe.tls: real TLS handshakes on loopback with generated certificates, and the trust store
chosen the way Go chooses it (SSL_CERT_FILE / SSL_CERT_DIR of the user's environment)."""

import socket

import pytest

from ansible_collections.gomod.proxy.plugins.module_utils._probe import tls as probe_tls

from ansible_collections.gomod.proxy.tests.unit.plugins.module_utils.probe_servers import Origin, Pki, SilentPort


@pytest.fixture
def pki(tmp_path):
    return Pki(str(tmp_path))


def _handshake(port, server_name, env, timeout=3):
    sock = socket.create_connection(("127.0.0.1", port))
    tls, result = probe_tls.handshake(sock, server_name, probe_tls.client_context(env), timeout)
    if tls is not None:
        tls.close()
    return result


@pytest.mark.parametrize("kind,names,days,self_signed,server_name,expected", [
    ("good", ("127.0.0.1", "localhost"), (-1, 90), False, "localhost", None),
    ("selfsigned", ("localhost",), (-1, 90), True, "localhost", "untrusted"),
    ("expired", ("localhost",), (-30, -1), False, "localhost", "expired"),
    ("wrongname", ("other.example",), (-1, 90), False, "localhost", "hostname"),
])
def test_verification_classes(pki, kind, names, days, self_signed, server_name, expected):
    origin = Origin(tls=pki.server(kind, names=names, days=days, self_signed=self_signed))
    try:
        result = _handshake(origin.port, server_name, {"SSL_CERT_FILE": pki.ca_file})
        assert result["error_class"] == expected
        if expected is None:
            assert result["ok"] and result["version"] in ("1.2", "1.3")
            assert result["certificate"]["issuer"].startswith("CN=gomod test CA")
            assert 88 <= result["certificate"]["days_left"] <= 90
    finally:
        origin.close()


def test_untrusted_without_the_ca_in_the_users_store(pki, tmp_path):
    origin = Origin(tls=pki.server("good", names=("localhost",)))
    try:
        other = tmp_path / "empty-dir"
        other.mkdir()
        result = _handshake(origin.port, "localhost", {"SSL_CERT_FILE": str(tmp_path / "none.pem"), "SSL_CERT_DIR": str(other)})
        assert result["error_class"] == "untrusted"
    finally:
        origin.close()


def test_inspect_describes_a_rejected_certificate(pki):
    origin = Origin(tls=pki.server("expired", names=("localhost",), days=(-30, -1)))
    try:
        sock = socket.create_connection(("127.0.0.1", origin.port))
        seen = probe_tls.inspect(sock, "localhost", 3)
        assert seen["certificate"]["days_left"] < 0
        assert seen["certificate"]["subject"].startswith("CN=expired")
    finally:
        origin.close()


def test_silent_server_is_a_tls_timeout():
    server = SilentPort()
    try:
        result = _handshake(server.port, "localhost", {}, timeout=0.5)
        assert result["error_class"] == "timeout"
    finally:
        server.close()


def test_plain_http_server_is_a_handshake_error():
    origin = Origin()
    try:
        result = _handshake(origin.port, "localhost", {})
        assert result["error_class"] == "handshake"
    finally:
        origin.close()


def test_trust_sources_follow_go(tmp_path):
    bundle = tmp_path / "bundle.pem"
    bundle.write_text("")
    assert probe_tls.trust_sources({"SSL_CERT_FILE": str(bundle), "SSL_CERT_DIR": str(tmp_path)}) == (str(bundle), (str(tmp_path),))
    cafile, dirs = probe_tls.trust_sources({})
    assert cafile in probe_tls.GO_CERT_FILES + (None,)
    assert all(d in probe_tls.GO_CERT_DIRS for d in dirs)
