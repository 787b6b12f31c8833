"""_probe.chain: Go's walk of GOPROXY and of the checksum database routes over probe codes."""

import pytest

from ansible_collections.gomod.proxy.plugins.module_utils._probe import chain as probe_chain, targets as probe_targets

OPTIONS = {"check_sumdb": True, "probe_private": True, "probe_direct": True}


def _plan(goproxy, gosumdb="sum.golang.org", gonoproxy=""):
    return probe_targets.targets_for({"GOPROXY": goproxy, "GOSUMDB": gosumdb, "GONOPROXY": gonoproxy},
                                     "golang.org/x/text", "v0.14.0", OPTIONS)


# reported: the position in the list whose error Go prints (TryProxies' ranking), None when it does not fail
@pytest.mark.parametrize("goproxy,codes,outcome,roles,reported", [
    ("https://a,https://b", ["ok", "ok"], "ok", ["used", "not_reached"], None),
    ("https://a,https://b", ["http_404", "ok"], "ok", ["fell_through", "used"], None),
    ("https://a,https://b", ["http_410", "http_404"], "failed", ["fell_through", "stopped"], 1),
    ("https://a,https://b", ["tcp_timeout", "ok"], "failed", ["stopped", "not_reached"], 0),
    ("https://a|https://b", ["tcp_timeout", "ok"], "ok", ["fell_through", "used"], None),
    ("https://a|https://b,direct", ["http_502", "http_404", "ok"], "ok", ["fell_through", "fell_through", "used"], None),
    ("https://a,direct", ["http_404", "dns_nxdomain"], "failed", ["fell_through", "stopped"], 1),
    # Go keeps the most important error: A's 502 beats B's later 404 (checked against go 1.26)
    ("https://a|https://b", ["http_502", "http_404"], "failed", ["fell_through", "stopped"], 0),
    # a later proxy error replaces an earlier one
    ("https://a|https://b", ["http_502", "http_503"], "failed", ["fell_through", "stopped"], 1),
    ("https://a|https://b,https://c", ["http_404", "http_502", "http_410"], "failed",
     ["fell_through", "stopped", "not_reached"], 1),
    # ",off" after 404s: off's "module lookup disabled" is what Go prints
    ("https://a,https://b,off", ["http_404", "http_410"], "off", ["fell_through", "fell_through"], 2),
    ("https://a|off", ["http_502"], "off", ["fell_through"], 0),
    ("https://a,off", ["ok"], "ok", ["used"], None),
    # direct's error always wins
    ("https://a|direct", ["http_502", "tcp_refused"], "failed", ["fell_through", "stopped"], 1),
    # no time limit on a proxy's answer: Go waits there, it neither stops nor falls through
    ("https://a|https://b", ["http_timeout", "ok"], "hangs", ["waits", "not_reached"], None),
    ("https://a,https://b", ["http_timeout", "ok"], "hangs", ["waits", "not_reached"], None),
])
def test_walk_goproxy(goproxy, codes, outcome, roles, reported):
    entries, targets, _sumdb = _plan(goproxy)
    chain_targets = [e["target"] for e in entries if "target" in e]
    all_codes = dict((i, "ok") for i in range(len(targets)))
    all_codes.update(zip(chain_targets, codes))
    walk = probe_chain.walk_goproxy(entries, all_codes)
    assert walk["outcome"] == outcome
    assert [walk["roles"][t] for t in chain_targets] == roles
    assert walk["reported_at"] == reported


def test_off_and_empty():
    entries, _targets, _sumdb = _plan("off")
    assert probe_chain.walk_goproxy(entries, {})["outcome"] == "off"
    assert probe_chain.walk_goproxy([], {})["outcome"] == "empty"
    entries, _targets, _sumdb = _plan("https://a,off")
    assert probe_chain.walk_goproxy(entries, {entries[0]["target"]: "http_404"})["outcome"] == "off"


def _sumdb_walk(goproxy, proxy_codes, direct_code, gosumdb="sum.golang.org"):
    entries, targets, sumdb = _plan(goproxy, gosumdb)
    codes = dict((i, "ok") for i in range(len(targets)))
    codes.update(zip(sumdb["proxies"], proxy_codes))
    codes[sumdb["direct"]] = direct_code
    return probe_chain.walk_sumdb(entries, sumdb, codes), targets, sumdb


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


def test_sumdb_proxy_error_before_pipe_beats_a_later_404():
    # initBase: TryProxies reports A's 502 (not "not exist"), so Go never asks the database itself
    walk, _targets, sumdb = _sumdb_walk("https://a|https://b", ["http_502", "http_404"], "ok")
    assert walk["outcome"] == "failed" and walk["route"] == "https://a"
    assert walk["roles"][sumdb["direct"]] == "not_reached"
    # ... unless direct follows: its errProxyOff ranks first and sends Go to the database
    walk, _targets, _sumdb = _sumdb_walk("https://a|direct", ["http_502"], "ok")
    assert walk["outcome"] == "ok" and walk["route"] == "direct"


def test_sumdb_silent_proxy_hangs():
    walk, _targets, _sumdb = _sumdb_walk("https://a|https://b", ["http_timeout", "ok"], "ok")
    assert walk["outcome"] == "hangs" and walk["route"] == "https://a"


def test_sumdb_explicit_url_bypasses_proxies():
    entries, targets, sumdb = _plan("https://a", "sum.golang.org+033de0ae+Ac4z https://sumdb.corp.example")
    assert sumdb["proxies"] == [] and targets[sumdb["direct"]]["url"] == "https://sumdb.corp.example/latest"
    walk = probe_chain.walk_sumdb(entries, sumdb, {entries[0]["target"]: "http_502", sumdb["direct"]: "ok"})
    assert walk["outcome"] == "ok" and walk["route"] == "direct"
