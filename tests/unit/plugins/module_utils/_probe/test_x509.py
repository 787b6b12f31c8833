"""_probe_x509 on certificates made with the cryptography package (what openssl would print)."""

from ansible_collections.gomod.proxy.plugins.module_utils._probe import x509 as probe_x509

from ansible_collections.gomod.proxy.tests.unit.plugins.module_utils.probe_servers import Pki


def test_describe_ca_signed(tmp_path):
    pki = Pki(str(tmp_path))
    cert, _key = pki.server("athens.lab", names=("athens.lab", "127.0.0.1"), days=(-1, 30))
    info = probe_x509.describe(pki.der(cert))
    assert info["subject"] == "CN=athens.lab, O=gomod.proxy tests"
    assert info["issuer"] == "CN=gomod test CA, O=gomod.proxy tests"
    assert info["names"] == ["DNS:athens.lab", "IP:127.0.0.1"]
    assert 28 <= info["days_left"] <= 30
    assert not info["self_signed"]


def test_describe_expired_self_signed(tmp_path):
    pki = Pki(str(tmp_path))
    cert, _key = pki.server("old.lab", names=("old.lab",), days=(-30, -2), self_signed=True)
    info = probe_x509.describe(pki.der(cert))
    assert info["self_signed"] and info["days_left"] < 0
    assert info["not_after"].endswith("Z")
