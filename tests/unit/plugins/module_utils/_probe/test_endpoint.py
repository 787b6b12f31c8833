"""_probe.endpoint + _probe.findings end to end on loopback: a real GOPROXY-like HTTP(S) server,
a real HTTP CONNECT proxy (with and without credentials), and ports that refuse or drop."""

import time

import pytest

from ansible_collections.gomod.proxy.plugins.module_utils._probe import endpoint as probe_endpoint, findings as probe_findings, tls as probe_tls
from ansible_collections.gomod.proxy.plugins.module_utils._probe.proxyenv import ProxyConfig

from ansible_collections.gomod.proxy.tests.unit.plugins.module_utils.probe_servers import ConnectProxy, DroppingPort, Origin, Pki, SilentPort, closed_port

INFO = "/golang.org/x/text/@v/v0.14.0.info"


@pytest.fixture
def pki(tmp_path):
    return Pki(str(tmp_path))


def _code(url, env=None, timeout=2.0, ca_env=None):
    env = env or {}
    result = probe_endpoint.probe(url, ProxyConfig.from_env(env), probe_tls.client_context(ca_env or env), timeout)
    return probe_findings.endpoint_code(result), result


@pytest.mark.parametrize("status,code", [(200, "ok"), (404, "http_404"), (410, "http_410"), (502, "http_502"),
                                         (503, "http_503"), (504, "http_504"), (500, "http_5xx"), (403, "http_403"),
                                         (401, "http_401"), (407, "http_407_origin"), (418, "http_error")])
def test_http_status_codes(status, code):
    origin = Origin(routes={INFO: (status, '{"Version":"v0.14.0"}')})
    try:
        got, result = _code(origin.url(INFO))
        assert got == code
        http = result["phases"][-1]
        assert http["phase"] == "http" and http["status"] == status and http["seconds"] < 1
        assert [p["phase"] for p in result["phases"]] == ["dns", "tcp", "http"]
    finally:
        origin.close()


def test_https_ok_with_users_ca(pki):
    origin = Origin(routes={INFO: (200, "{}")}, tls=pki.server("athens", names=("localhost",)))
    try:
        got, result = _code(origin.url(INFO, host="localhost"), ca_env={"SSL_CERT_FILE": pki.ca_file})
        assert got == "ok"
        assert [p["phase"] for p in result["phases"]] == ["dns", "tcp", "tls", "http"]
    finally:
        origin.close()


@pytest.mark.parametrize("kind,code", [("selfsigned", "tls_untrusted"), ("expired", "tls_expired"), ("wrongname", "tls_hostname")])
def test_tls_failures_carry_the_presented_certificate(pki, kind, code):
    names = ("other.example",) if kind == "wrongname" else ("localhost",)
    days = (-30, -1) if kind == "expired" else (-1, 90)
    origin = Origin(tls=pki.server(kind, names=names, days=days, self_signed=kind == "selfsigned"))
    try:
        got, result = _code(origin.url(INFO, host="localhost"), ca_env={"SSL_CERT_FILE": pki.ca_file})
        assert got == code
        tls = result["phases"][-1]
        assert tls["presented"]["certificate"]["subject"].startswith("CN=" + kind)
        facts = probe_findings.endpoint_facts(result)
        finding = probe_findings.finding(code, where="go_client_goproxy", **facts)
        if kind == "expired":
            assert facts["not_after"] in finding["cause"]
        if kind == "wrongname":
            assert "DNS:other.example" in finding["cause"]
    finally:
        origin.close()


def test_refused_and_dropped_ports():
    assert _code("http://127.0.0.1:%d%s" % (closed_port(), INFO))[0] == "tcp_refused"
    drop = DroppingPort()
    try:
        start = time.monotonic()
        assert _code("http://127.0.0.1:%d%s" % (drop.port, INFO), timeout=1.0)[0] == "tcp_timeout"
        assert time.monotonic() - start < 1.6
    finally:
        drop.close()


def test_silent_server_is_http_timeout():
    server = SilentPort()
    try:
        assert _code("http://127.0.0.1:%d%s" % (server.port, INFO), timeout=0.5)[0] == "http_timeout"
    finally:
        server.close()


def test_nxdomain():
    assert _code("https://athens.invalid" + INFO)[0] == "dns_nxdomain"


def test_https_through_connect_proxy_with_credentials(pki):
    origin = Origin(routes={INFO: (200, "{}")}, tls=pki.server("athens", names=("athens.lab.invalid",)))
    # a name only the proxy resolves: the client must not look it up itself
    proxy = ConnectProxy(credentials="Basic Ym9iOnMzY3JldA==", hosts={"athens.lab.invalid": "127.0.0.1"})  # bob:s3cret
    try:
        env = {"HTTPS_PROXY": "http://bob:s3cret@127.0.0.1:%d" % proxy.port, "SSL_CERT_FILE": pki.ca_file}
        got, result = _code(origin.url(INFO, host="athens.lab.invalid"), env=env)
        assert got == "ok", result
        assert [p["phase"] for p in result["phases"]] == ["dns", "tcp", "connect", "tls", "http"]
        assert result["phases"][0]["host"] == "127.0.0.1"
        assert proxy.seen[0][0] == "CONNECT" and proxy.seen[0][1] == "athens.lab.invalid:%d" % origin.port
        assert result["via"] == "http://bob:xxxxx@127.0.0.1:%d" % proxy.port
    finally:
        proxy.close()
        origin.close()


def test_proxy_without_credentials_is_407(pki):
    origin = Origin(routes={INFO: (200, "{}")}, tls=pki.server("athens", names=("athens.lab.invalid",)))
    proxy = ConnectProxy(credentials="Basic Ym9iOnMzY3JldA==", hosts={"athens.lab.invalid": "127.0.0.1"})
    try:
        env = {"HTTPS_PROXY": "127.0.0.1:%d" % proxy.port, "SSL_CERT_FILE": pki.ca_file}
        got, result = _code(origin.url(INFO, host="athens.lab.invalid"), env=env)
        assert got == "http_407"
        facts = probe_findings.endpoint_facts(result)
        assert 'Basic realm="lab"' in probe_findings.finding(got, **facts)["cause"]
        assert result["failed_phase"] == "connect"
    finally:
        proxy.close()
        origin.close()


def test_localhost_is_never_proxied():
    origin = Origin(routes={INFO: (200, "{}")})
    proxy = ConnectProxy()
    try:
        env = {"HTTP_PROXY": "127.0.0.1:%d" % proxy.port, "NO_PROXY": "localhost"}
        got, result = _code(origin.url(INFO, host="localhost"), env=env)
        assert got == "ok" and result["via"] is None and proxy.seen == []
    finally:
        proxy.close()
        origin.close()


def test_http_url_through_proxy_uses_absolute_form():
    origin = Origin(routes={INFO: (404, "not found")})
    proxy = ConnectProxy(hosts={"athens.lab.invalid": "127.0.0.1"})
    try:
        env = {"HTTP_PROXY": "127.0.0.1:%d" % proxy.port}
        got, result = _code(origin.url(INFO, host="athens.lab.invalid"), env=env)
        assert got == "http_404"
        assert proxy.seen[0][0] == "GET" and proxy.seen[0][1].startswith("http://athens.lab.invalid:")
    finally:
        proxy.close()
        origin.close()


def test_dead_proxy_is_reported_as_the_proxys_failure():
    got, result = _code("https://athens.invalid" + INFO, env={"HTTPS_PROXY": "127.0.0.1:%d" % closed_port()})
    assert got == "tcp_refused"  # the target name is the proxy's business; its own port refuses
    assert result["phases"][-1]["role"] == "proxy"


def test_socks_proxy_is_not_probed():
    got, _result = _code("https://athens.invalid" + INFO, env={"HTTPS_PROXY": "socks5://127.0.0.1:1080"})
    assert got == "proxy_unsupported"


def test_file_url(tmp_path):
    info = tmp_path / "golang.org" / "x" / "text" / "@v"
    info.mkdir(parents=True)
    (info / "v0.14.0.info").write_text("{}")
    assert _code("file://%s%s" % (tmp_path, INFO))[0] == "ok"
    assert _code("file://%s/golang.org/x/net/@v/v1.info" % tmp_path)[0] == "http_404"


def test_goproxy_credentials_are_sent_and_never_reported():
    origin = Origin(routes={INFO: (200, "{}")})
    try:
        url = origin.url(INFO).replace("http://", "http://ci:t0ken@")
        got, _result = _code(url)
        assert got == "ok"
        assert origin.requests[0][2]["Authorization"] == "Basic Y2k6dDBrZW4="  # ci:t0ken, as Go sends it
    finally:
        origin.close()
