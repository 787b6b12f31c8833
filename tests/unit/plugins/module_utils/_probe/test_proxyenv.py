"""_probe.proxyenv against the cases of golang.org/x/net/http/httpproxy's proxy_test.go (same inputs,
same expected proxy), plus a real CONNECT through a loopback proxy chosen by that logic."""

import pytest

from ansible_collections.gomod.proxy.plugins.module_utils._probe.proxyenv import ProxyConfig, parse_proxy, redact, redact_text


def _proxy(cfg, url):
    proxy, error = cfg.proxy_for_url(url)
    assert error is None
    return proxy.geturl() if proxy is not None else None


# (config kwargs, request URL, wanted proxy) from httpproxy's proxyForURLTests
@pytest.mark.parametrize("kwargs,url,want", [
    ({"http_proxy": "127.0.0.1:8080"}, "http://example.com", "http://127.0.0.1:8080"),
    ({"http_proxy": "cache.corp.example.com:1234"}, "http://example.com", "http://cache.corp.example.com:1234"),
    ({"http_proxy": "cache.corp.example.com"}, "http://example.com", "http://cache.corp.example.com"),
    ({"http_proxy": "https://cache.corp.example.com"}, "http://example.com", "https://cache.corp.example.com"),
    ({"http_proxy": "http://127.0.0.1:8080"}, "http://example.com", "http://127.0.0.1:8080"),
    ({"http_proxy": "https://127.0.0.1:8080"}, "http://example.com", "https://127.0.0.1:8080"),
    ({"http_proxy": "socks5://127.0.0.1"}, "http://example.com", "socks5://127.0.0.1"),
    ({"http_proxy": "http.proxy.tld", "https_proxy": "secure.proxy.tld"}, "https://secure.tld/", "http://secure.proxy.tld"),
    ({"http_proxy": "http.proxy.tld", "https_proxy": "secure.proxy.tld"}, "http://insecure.tld/", "http://http.proxy.tld"),
    ({"https_proxy": "secure.proxy.tld"}, "http://insecure.tld/", None),
    ({"http_proxy": "http.proxy.tld"}, "https://secure.tld/", None),
    # loopback and localhost are never proxied
    ({"http_proxy": "proxy"}, "http://localhost/path", None),
    ({"http_proxy": "proxy"}, "http://127.0.0.1:8080/path", None),
    ({"http_proxy": "proxy"}, "http://[::1]/path", None),
    ({"http_proxy": "proxy", "no_proxy": "example.com"}, "http://example.com/", None),
    ({"http_proxy": "proxy", "no_proxy": "example.com"}, "http://sub.example.com/", None),
    ({"http_proxy": "proxy", "no_proxy": ".example.com"}, "http://example.com/", "http://proxy"),
    ({"http_proxy": "proxy", "no_proxy": ".example.com"}, "http://a.example.com/", None),
    ({"http_proxy": "proxy", "no_proxy": "*.example.com"}, "http://example.com/", "http://proxy"),
    ({"http_proxy": "proxy", "no_proxy": "*.example.com"}, "http://a.example.com/", None),
    ({"http_proxy": "proxy", "no_proxy": "example.com:80"}, "http://example.com/", None),
    ({"http_proxy": "proxy", "no_proxy": "example.com:80"}, "http://example.com:8080/", "http://proxy"),
    ({"http_proxy": "proxy", "no_proxy": "*"}, "http://anything.example/", None),
    ({"http_proxy": "proxy", "no_proxy": "10.0.0.0/8"}, "http://10.1.2.3/", None),
    ({"http_proxy": "proxy", "no_proxy": "10.0.0.0/8"}, "http://11.1.2.3/", "http://proxy"),
    ({"http_proxy": "proxy", "no_proxy": "192.168.0.1"}, "http://192.168.0.1/", None),
    ({"http_proxy": "proxy", "no_proxy": "192.168.0.1:80"}, "http://192.168.0.1:81/", "http://proxy"),
    ({"http_proxy": "proxy", "no_proxy": "[::2]:80"}, "http://[::2]/", None),
    ({"http_proxy": "proxy", "no_proxy": "example.com"}, "http://192.0.2.1/", "http://proxy"),  # names never match IPs
    ({"http_proxy": "proxy", "no_proxy": " EXAMPLE.com , foo.bar "}, "http://foo.bar/", None),
    ({"http_proxy": "proxy", "no_proxy": "example.com"}, "http://notexample.com/", "http://proxy"),
])
def test_proxy_for_url_matches_go(kwargs, url, want):
    assert _proxy(ProxyConfig(**kwargs), url) == want


def test_upper_case_wins_and_empty_counts_as_unset():
    cfg = ProxyConfig.from_env({"HTTPS_PROXY": "upper:1", "https_proxy": "lower:2", "NO_PROXY": "", "no_proxy": "x.example"})
    assert _proxy(cfg, "https://y.example/") == "http://upper:1"
    assert _proxy(cfg, "https://x.example/") is None
    assert _proxy(ProxyConfig.from_env({"HTTPS_PROXY": "", "https_proxy": "lower:2"}), "https://a.b/") == "http://lower:2"


def test_cgi_refuses_http_proxy_but_not_https():
    cfg = ProxyConfig.from_env({"HTTP_PROXY": "evil:1", "HTTPS_PROXY": "good:2", "REQUEST_METHOD": "GET"})
    proxy, error = cfg.proxy_for_url("http://a.example/")
    assert proxy is None and "CGI" in error
    assert _proxy(cfg, "https://a.example/") == "http://good:2"


def test_parse_and_redact():
    assert parse_proxy("") is None
    assert parse_proxy("squid:3128").geturl() == "http://squid:3128"
    assert redact("http://bob:s3cret@squid:3128") == "http://bob:xxxxx@squid:3128"
    assert redact("http://squid:3128") == "http://squid:3128"
    assert "s3cret" not in str(ProxyConfig(https_proxy="http://bob:s3cret@squid:3128").describe())


def test_redact_text_masks_every_password():
    value = "https://ci:t0ken@athens.corp:3000|https://proxy.golang.org,direct http://u:p@squid:3128"
    assert redact_text(value) == "https://ci:xxxxx@athens.corp:3000|https://proxy.golang.org,direct http://u:xxxxx@squid:3128"
    assert redact_text("no credentials here") == "no credentials here"
