"""_probe_chain: Go's walk of GOPROXY and of the checksum database routes over probe codes."""

import pytest

from ansible_collections.gomod.proxy.plugins.module_utils import _goproxy_chain, _probe_chain, _probe_targets

OPTIONS = {"check_sumdb": True, "probe_private": True, "probe_direct": True}


def _plan(goproxy, gosumdb="sum.golang.org", gonoproxy=""):
    return _probe_targets.targets_for({"GOPROXY": goproxy, "GOSUMDB": gosumdb, "GONOPROXY": gonoproxy},
                                      "golang.org/x/text", "v0.14.0", OPTIONS)


@pytest.mark.parametrize("goproxy,codes,outcome,roles", [
    ("https://a,https://b", ["ok", "ok"], "ok", ["used", "not_reached"]),
    ("https://a,https://b", ["http_404", "ok"], "ok", ["fell_through", "used"]),
    ("https://a,https://b", ["http_410", "http_404"], "failed", ["fell_through", "stopped"]),
    ("https://a,https://b", ["tcp_timeout", "ok"], "failed", ["stopped", "not_reached"]),
    ("https://a|https://b", ["tcp_timeout", "ok"], "ok", ["fell_through", "used"]),
    ("https://a|https://b,direct", ["http_5xx", "http_404", "ok"], "ok", ["fell_through", "fell_through", "used"]),
    ("https://a,direct", ["http_404", "dns_nxdomain"], "failed", ["fell_through", "stopped"]),
    # ",off" after the proxies: the last 404 is why the download fails
    ("https://a,https://b,off", ["http_404", "http_410"], "off", ["fell_through", "stopped"]),
    ("https://a,off", ["ok"], "ok", ["used"]),
])
def test_walk_goproxy(goproxy, codes, outcome, roles):
    entries, targets, _sumdb = _plan(goproxy)
    chain_targets = [e["target"] for e in entries if "target" in e]
    all_codes = dict((i, "ok") for i in range(len(targets)))
    all_codes.update(zip(chain_targets, codes))
    walk = _probe_chain.walk_goproxy(entries, all_codes)
    assert walk["outcome"] == outcome
    assert [walk["roles"][t] for t in chain_targets] == roles


def test_off_and_empty():
    entries, _targets, _sumdb = _plan("off")
    assert _probe_chain.walk_goproxy(entries, {})["outcome"] == "off"
    assert _probe_chain.walk_goproxy([], {})["outcome"] == "empty"
    entries, _targets, _sumdb = _plan("https://a,off")
    assert _probe_chain.walk_goproxy(entries, {entries[0]["target"]: "http_404"})["outcome"] == "off"


def _sumdb_walk(goproxy, proxy_codes, direct_code, gosumdb="sum.golang.org"):
    entries, targets, sumdb = _plan(goproxy, gosumdb)
    codes = dict((i, "ok") for i in range(len(targets)))
    codes.update(zip(sumdb["proxies"], proxy_codes))
    codes[sumdb["direct"]] = direct_code
    return _probe_chain.walk_sumdb(entries, sumdb, codes), targets, sumdb


def test_sumdb_through_proxy_that_supports_it():
    walk, targets, sumdb = _sumdb_walk("https://a,direct", ["ok"], "dns_nxdomain")
    assert walk["outcome"] == "ok" and walk["route"] == "https://a"
    assert walk["roles"][sumdb["direct"]] == "not_reached"
    assert targets[sumdb["proxies"][0]]["url"] == "https://a/sumdb/sum.golang.org/supported"


def test_sumdb_falls_back_to_direct_after_404():
    walk, _targets, _sumdb = _sumdb_walk("https://a,https://b", ["http_404", "http_410"], "ok")
    assert walk["outcome"] == "ok" and walk["route"] == "direct"
    walk, _targets, _sumdb = _sumdb_walk("https://a", ["http_404"], "tcp_timeout")
    assert walk["outcome"] == "failed" and walk["route"] == "direct"


def test_sumdb_proxy_error_is_unavailable_not_fallback():
    walk, _targets, _sumdb = _sumdb_walk("https://a,direct", ["http_5xx"], "ok")
    assert walk["outcome"] == "failed" and walk["route"] == "https://a"


def test_sumdb_explicit_url_bypasses_proxies():
    entries, targets, sumdb = _plan("https://a", "sum.golang.org+033de0ae+Ac4z https://sumdb.corp.example")
    assert sumdb["proxies"] == [] and targets[sumdb["direct"]]["url"] == "https://sumdb.corp.example/latest"
    assert _goproxy_chain.parse_gosumdb("sum.golang.google.cn").url == "https://sum.golang.google.cn"
    assert _goproxy_chain.parse_gosumdb("off") is None


def test_targets_urls():
    entries, targets, _sumdb = _plan("athens.corp:3000,direct", gonoproxy="git.corp.example/*,*.hidden.example")
    urls = [t["url"] for t in targets]
    assert "https://athens.corp:3000/golang.org/x/text/@v/v0.14.0.info" in urls
    assert "https://golang.org/x/text?go-get=1" in urls
    assert "https://git.corp.example?go-get=1" in urls
    assert not any("hidden" in u for u in urls)  # a wildcard host cannot be probed
    assert _probe_targets.escape_path("github.com/Azure/SDK") == "github.com/!azure/!s!d!k"
