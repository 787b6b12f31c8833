"""_probe.targets: the URLs `go mod download` would request for one user's effective settings."""

from ansible_collections.gomod.proxy.plugins.module_utils._probe import targets as probe_targets

OPTIONS = {"check_sumdb": True, "probe_private": True, "probe_direct": True}


def _plan(goproxy, gosumdb="sum.golang.org", gonoproxy="", **options):
    return probe_targets.targets_for({"GOPROXY": goproxy, "GOSUMDB": gosumdb, "GONOPROXY": gonoproxy},
                                     "golang.org/x/text", "v0.14.0", dict(OPTIONS, **options))


def test_targets_urls():
    _entries, targets, _sumdb = _plan("athens.corp:3000,direct", gonoproxy="git.corp.example/*,*.hidden.example")
    urls = [t["url"] for t in targets]
    assert "https://athens.corp:3000/golang.org/x/text/@v/v0.14.0.info" in urls
    assert "https://golang.org/x/text?go-get=1" in urls
    assert "https://git.corp.example?go-get=1" in urls
    assert not any("hidden" in u for u in urls)  # a wildcard host cannot be probed
    assert probe_targets.escape_path("github.com/Azure/SDK") == "github.com/!azure/!s!d!k"


def test_checksum_database_through_every_proxy_then_itself_lazily():
    entries, targets, sumdb = _plan("https://a.example|https://b.example/sub/,direct")
    assert [targets[i]["url"] for i in sumdb["proxies"]] == [
        "https://a.example/sumdb/sum.golang.org/supported", "https://b.example/sub/sumdb/sum.golang.org/supported"]
    database = targets[sumdb["direct"]]
    assert database["url"] == "https://sum.golang.org/latest" and database["lazy"] is True
    direct = targets[entries[2]["target"]]
    assert direct["kind"] == "direct" and direct["lazy"] is True


def test_nothing_to_download_from_asks_no_database():
    for goproxy in ("off", ""):
        entries, targets, sumdb = _plan(goproxy)
        assert sumdb == {"proxies": [], "direct": None, "name": "sum.golang.org"} and targets == []
    _entries, targets, sumdb = _plan("https://a.example", gosumdb="off")
    assert sumdb["name"] is None and [t["kind"] for t in targets] == ["goproxy"]


def test_options_leave_targets_out():
    entries, targets, sumdb = _plan("https://a.example,direct", gonoproxy="git.corp.example",
                                    check_sumdb=False, probe_private=False, probe_direct=False)
    assert [t["kind"] for t in targets] == ["goproxy"] and "target" not in entries[1]
    assert sumdb["direct"] is None


def test_pattern_host_url():
    assert probe_targets.pattern_host_url("git.corp.example/team/*") == "https://git.corp.example/team?go-get=1"
    assert probe_targets.pattern_host_url(" /git.corp.example/ ") == "https://git.corp.example?go-get=1"
    assert probe_targets.pattern_host_url("*.corp.example") is None
    assert probe_targets.pattern_host_url("localhost/x") is None  # not a host name Go would ask
