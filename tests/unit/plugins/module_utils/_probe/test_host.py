"""_probe.host.run end to end on loopback: real GOPROXY-like servers, real faults, real timing.

The users' go env comes either from a dict in gather_user_env's shape (the contract), or from the
real gather_user_env on a throw-away local user (root only)."""

import os
import re
import time

import pytest

from ansible_collections.gomod.proxy.plugins.module_utils._goenv.effective import gather_user_env
from ansible_collections.gomod.proxy.plugins.module_utils._probe import dns as probe_dns, host as probe_host
from ansible_collections.gomod.proxy.tests.unit.plugins.module_utils.probe_servers import DnsResponder, DroppingPort, Origin, closed_port

INFO = "/golang.org/x/text/@v/v0.14.0.info"
SUPPORTED = "/sumdb/sum.golang.org/supported"


def _user_env(user="builder", network=None, **values):
    settings = {}
    defaults = {"GOPROXY": "off", "GOSUMDB": "sum.golang.org", "GO111MODULE": "", "GOPRIVATE": "", "GONOPROXY": "", "GONOSUMDB": "",
                "GOFLAGS": "", "GOINSECURE": ""}
    defaults.update(values)
    for key, value in defaults.items():
        source = "env_file" if key in values else "default"
        settings[key] = {"value": value, "source": source, "origin": "/home/%s/.config/go/env" % user if source == "env_file" else None,
                         "shadowed": []}
    return {"user": user, "home": "/home/" + user, "env_file": "/home/%s/.config/go/env" % user, "env_file_exists": True,
            "go": {"binary": "/usr/local/go/bin/go", "goroot": "/usr/local/go", "version": "go1.26.8"},
            "settings": settings, "os_env_conflicts": [],
            "network_env": dict((k, {"value": v, "origin": "/etc/environment:1"}) for k, v in (network or {}).items())}


def _run(envs, timeout=2.0, **kw):
    by_user = dict((e["user"], e) for e in envs)
    options = probe_host.AuditOptions("golang.org/x/text", "v0.14.0", timeout=timeout, **kw)
    return probe_host.run(list(by_user), options, lambda user, env_file, go_binary: by_user[user])


def _codes(audit, minimum="info"):
    levels = ("info", "warning", "error", "critical")
    return sorted((f["code"], f["severity"]) for f in audit["findings"] if levels.index(f["severity"]) >= levels.index(minimum))


@pytest.fixture
def athens():
    origin = Origin(routes={INFO: (200, '{"Version":"v0.14.0"}'), SUPPORTED: (200, "")})
    yield origin
    origin.close()


def test_healthy_host_is_ok(athens):
    audit = _run([_user_env(GOPROXY=athens.url() + ",off", GOSUMDB="sum.golang.org")], probe_direct=False)
    assert audit["summary"]["state"] == "ok", audit["findings"]
    assert [e["code"] for e in audit["endpoints"]][:2] == ["ok", "ok"]  # module info, sumdb via the proxy
    user = audit["users"][0]
    assert user["goproxy_outcome"] == "ok" and user["sumdb_outcome"] == "ok" and user["sumdb_route"] == athens.url()
    assert athens.requests[0][1] in (INFO, SUPPORTED)


def test_404_before_comma_is_fall_through(athens):
    lacking = Origin(default=(404, "not found"))
    try:
        audit = _run([_user_env(GOPROXY="%s,%s" % (lacking.url(), athens.url()))], check_sumdb=False)
        assert _codes(audit) == [("http_404", "info")]
        assert "fall-through" in audit["findings"][0]["cause"]
        assert audit["summary"]["state"] == "ok"
        # the same 404 from the last entry is the module being unavailable, with or without ",off" after it
        audit = _run([_user_env(GOPROXY=lacking.url())], check_sumdb=False)
        assert _codes(audit) == [("http_404", "error")]
        audit = _run([_user_env(GOPROXY=lacking.url() + ",off")], check_sumdb=False)
        assert _codes(audit) == [("http_404", "error")]
    finally:
        lacking.close()


def test_timeout_before_comma_stops_go_and_pipe_falls_through(athens):
    drop = DroppingPort()
    try:
        dead = "http://127.0.0.1:%d" % drop.port
        audit = _run([_user_env(GOPROXY="%s,%s" % (dead, athens.url()))], timeout=1.0, check_sumdb=False)
        assert _codes(audit) == [("comma_after_unreliable_entry", "error"), ("tcp_timeout", "error")]
        comma = [f for f in audit["findings"] if f["code"] == "comma_after_unreliable_entry"][0]
        assert "'|'" in comma["fix"] and "go_client_goproxy" in comma["fix"]
        audit = _run([_user_env(GOPROXY="%s|%s" % (dead, athens.url()))], timeout=1.0, check_sumdb=False)
        assert _codes(audit) == [("tcp_timeout", "warning")]
    finally:
        drop.close()


def _finding(audit, code):
    return [f for f in audit["findings"] if f["code"] == code][0]


def test_go_reports_the_most_important_error_not_the_last():
    """A|B with A 502 and B 404: go 1.26 prints A's 502 (TryProxies ranking); B lacking it is not the cause."""
    bad_gateway, lacking = Origin(default=(502, "")), Origin(default=(404, ""))
    try:
        audit = _run([_user_env(GOPROXY="%s|%s" % (bad_gateway.url(), lacking.url()))], check_sumdb=False)
        assert _codes(audit) == [("http_404", "info"), ("http_502", "error")]
        assert "Go reports this error" in _finding(audit, "http_502")["cause"]
        assert "lacks golang.org/x/text as well" in _finding(audit, "http_404")["cause"]
        assert audit["users"][0]["goproxy_error"]["url"] == bad_gateway.url()
        # the same ranking where the walk ends with off: A's 502 is still what Go prints
        audit = _run([_user_env(GOPROXY="%s|off" % bad_gateway.url())], check_sumdb=False)
        assert _codes(audit) == [("http_502", "error")]
        assert audit["users"][0]["goproxy_error"]["kind"] == "url"
        # 404 then off: Go prints "module lookup disabled by GOPROXY=off"; the 404 is why
        audit = _run([_user_env(GOPROXY="%s,off" % lacking.url())], check_sumdb=False)
        assert "module lookup disabled by GOPROXY=off" in _finding(audit, "http_404")["cause"]
        assert audit["users"][0]["goproxy_error"]["kind"] == "off"
    finally:
        bad_gateway.close()
        lacking.close()


def _before_athens_with_each_separator(first, athens, response_timeout):
    """(separator, audit) of GOPROXY=<first><separator><athens> for ',' and '|'."""
    for separator in ",|":
        yield separator, _run([_user_env(GOPROXY=first.url() + separator + athens.url())], timeout=0.5,
                              check_sumdb=False, response_timeout=response_timeout)


def test_slow_answer_is_a_wait_not_a_stop_or_a_fall_through(athens):
    slow = Origin(routes={INFO: (200, '{"Version":"v0.14.0"}', 1.2)})
    try:
        for separator, audit in _before_athens_with_each_separator(slow, athens, response_timeout=5):
            assert _codes(audit) == [("http_slow", "warning")], separator
            waited = float(re.search(r"only after ([0-9.]+)s", _finding(audit, "http_slow")["cause"]).group(1))
            assert 1.2 <= waited < 2.5  # the server's delay, plus what a loaded machine adds
            user = audit["users"][0]
            assert user["goproxy_outcome"] == "ok" and user["goproxy_chain"][0]["role"] == "used"
    finally:
        slow.close()


def test_silent_server_hangs_go_whatever_the_separator(athens):
    silent = Origin(routes={INFO: ("hang", "")}, hang_seconds=3)
    try:
        for separator, audit in _before_athens_with_each_separator(silent, athens, response_timeout=1):
            assert _codes(audit) == [("http_timeout", "error")], separator
            assert "keeps waiting here" in _finding(audit, "http_timeout")["cause"]
            assert audit["users"][0]["goproxy_outcome"] == "hangs"
            assert audit["users"][0]["goproxy_chain"][1]["role"] == "not_reached"
    finally:
        silent.close()


def test_a_silent_aaaa_is_a_stall_with_its_cost_not_a_dead_dns(athens, tmp_path, monkeypatch):
    resolver = DnsResponder(by_type={1: ["127.0.0.1"], 28: None})
    try:
        (tmp_path / "resolv.conf").write_text("nameserver 127.0.0.1\noptions timeout:1 attempts:1\n")
        (tmp_path / "hosts").write_text("")
        monkeypatch.setattr(probe_dns, "RESOLV_CONF", str(tmp_path / "resolv.conf"))
        monkeypatch.setattr(probe_dns, "HOSTS", str(tmp_path / "hosts"))
        monkeypatch.setattr(probe_dns, "DNS_PORT", resolver.port)
        url = athens.url(host="goproxy.lab.test")
        audit = _run([_user_env(GOPROXY=url)], timeout=3, check_sumdb=False)
        assert _codes(audit) == [("dns_family_stall", "warning")]
        stall = _finding(audit, "dns_family_stall")
        assert "AAAA queries for goproxy.lab.test" in stall["cause"] and "Go waits 1" in stall["cause"]
        assert audit["users"][0]["goproxy_outcome"] == "ok"
    finally:
        resolver.close()


def test_sumdb_unreachable_names_the_route(athens):
    no_sumdb = Origin(routes={INFO: (200, "{}")}, default=(404, ""))
    try:
        closed = closed_port()
        audit = _run([_user_env(GOPROXY=no_sumdb.url(), GOSUMDB="sum.golang.org+033de0ae+Ac4z http://127.0.0.1:%d" % closed)])
        assert ("sumdb_unreachable", "error") in _codes(audit)
        assert ("tcp_refused", "error") in _codes(audit)
        # without an explicit URL the proxy's 404 on /supported is the normal way to direct
        audit = _run([_user_env(GOPROXY=no_sumdb.url(), GOSUMDB="sum.golang.org")])
        sumdb_proxy = [e for e in audit["endpoints"] if e["kind"] == "sumdb_proxy"][0]
        assert sumdb_proxy["code"] == "http_404" and sumdb_proxy["severity"] == "info"
    finally:
        no_sumdb.close()


def test_probes_run_in_parallel_and_users_share_them(athens):
    drops = [DroppingPort() for _port in range(4)]
    try:
        dead = "|".join("http://127.0.0.1:%d" % d.port for d in drops)
        envs = [_user_env(u, GOPROXY="%s|%s" % (dead, athens.url())) for u in ("a", "b", "c")]
        start = time.monotonic()
        audit = _run(envs, timeout=1.0, check_sumdb=False)
        elapsed = time.monotonic() - start
        assert elapsed < 1.9, "4 blackholed endpoints cost %.2fs: not parallel" % elapsed
        assert len(audit["endpoints"]) == 5 and audit["endpoints"][0]["users"] == ["a", "b", "c"]
        warning = [f for f in audit["findings"] if f["code"] == "tcp_timeout"][0]
        assert warning["users"] == ["a", "b", "c"]
    finally:
        for d in drops:
            d.close()


def test_proxy_env_route_and_users_with_different_routes(athens):
    closed = closed_port()
    audit = _run([_user_env("direct", GOPROXY=athens.url().replace("127.0.0.1", "localhost") + "/"),
                  _user_env("proxied", GOPROXY="http://athens.lab.invalid:3000",
                            network={"HTTP_PROXY": "http://127.0.0.1:%d" % closed})], check_sumdb=False)
    codes = dict((tuple(e["users"]), e["code"]) for e in audit["endpoints"])
    assert codes[("direct",)] == "ok" and codes[("proxied",)] == "tcp_refused"
    refused = [f for f in audit["findings"] if f["code"] == "tcp_refused"][0]
    assert "HTTPS_PROXY/NO_PROXY (/etc/environment:1)" in refused["fix"]


@pytest.mark.parametrize("goproxy", ["ftp://127.0.0.1", "https://athens.corp:3000,ftp://127.0.0.1,direct",
                                     "http://athens:30x0", "http://[::1"])
def test_a_goproxy_go_refuses_is_one_critical_finding_and_no_probe(goproxy):
    """Go checks every entry before the first request (proxyList): nothing is sent, every download fails."""
    audit = _run([_user_env(GOPROXY=goproxy)])
    assert _codes(audit) == [("goproxy_invalid", "critical")]
    assert audit["endpoints"] == [] and audit["users"][0]["goproxy_outcome"] == "invalid"
    assert "go_client_goproxy" in audit["findings"][0]["fix"]


def test_env_findings_need_no_network():
    audit = _run([_user_env(GOPROXY="off", GO111MODULE="off")])
    assert _codes(audit) == [("go111module_off", "critical"), ("goproxy_off", "critical")]
    assert audit["summary"]["state"] == "critical" and audit["endpoints"] == []


def test_unreadable_user_is_a_finding_not_a_crash():
    options = probe_host.AuditOptions("golang.org/x/text", "v0.14.0")

    def gather(user, env_file, go_binary):
        raise KeyError(user)
    audit = probe_host.run(["ghost"], options, gather)
    assert _codes(audit) == [("user_unreadable", "error")]


@pytest.mark.needs_root
def test_real_user_env_file_and_profile_override(local_user, athens, tmp_path):
    """gather_user_env on a real account: the env file says athens, an OS export says otherwise."""
    account = local_user()
    env_dir = os.path.join(account.pw_dir, ".config", "go")
    os.makedirs(env_dir)
    with open(os.path.join(env_dir, "env"), "w") as f:
        f.write("GOPROXY=%s\nGOSUMDB=off\nGOFLAGS=-mod=mod\n" % athens.url())
    os.chown(os.path.join(env_dir, "env"), account.pw_uid, account.pw_gid)
    options = probe_host.AuditOptions("golang.org/x/text", "v0.14.0", timeout=2.0)
    audit = probe_host.run([account.pw_name], options, gather_user_env)
    user = audit["users"][0]
    assert user["settings"]["GOPROXY"]["source"] == "env_file"
    assert user["goproxy_outcome"] == "ok"
    assert _codes(audit, "warning") == [("sumdb_off", "warning")]


def test_passwords_in_urls_never_reach_the_result(athens):
    goproxy = athens.url().replace("http://", "http://ci:t0ken@")
    audit = _run([_user_env(GOPROXY=goproxy, network={"HTTPS_PROXY": "http://bob:s3cret@127.0.0.1:9"})], check_sumdb=False)
    text = str(audit)
    assert "t0ken" not in text and "s3cret" not in text
    assert audit["endpoints"][0]["code"] == "ok" and "ci:xxxxx@" in audit["endpoints"][0]["url"]


def test_an_unreachable_egress_proxy_is_named_once_per_user():
    port = closed_port()
    proxy = "http://user:s3cret@127.0.0.1:%d" % port
    # Go never proxies loopback targets: a name, which only the (dead) proxy would resolve
    env = _user_env(GOPROXY="http://goproxy.lab.invalid,off", network={"HTTP_PROXY": proxy, "NO_PROXY": ""})
    audit = _run([env], probe_direct=False, role_vars="athens")
    egress = [f for f in audit["findings"] if f["code"] == "egress_proxy_unreachable"]
    assert len(egress) == 1, audit["findings"]
    assert "127.0.0.1:%d" % port in egress[0]["cause"] and "athens_egress_proxy" in egress[0]["fix"]
    assert "s3cret" not in str(audit)


def test_environment_files_are_laid_over_the_users(athens, tmp_path):
    env_file = tmp_path / "go.env"
    env_file.write_text("GOPROXY=%s,off\n" % athens.url())
    audit = _run([_user_env(GOPROXY="http://127.0.0.1:%d,off" % closed_port())], probe_direct=False,
                 environment_files=[str(env_file)])
    assert audit["summary"]["state"] == "ok", audit["findings"]
    assert audit["users"][0]["settings"]["GOPROXY"]["origin"] == "%s:1" % env_file


def test_private_modules_are_fetched_as_the_user_and_classified(monkeypatch, athens):
    calls = []

    def fake_download(user_env, module, version, timeout):
        calls.append((user_env["user"], module, version))
        return {"ok": False, "error": "go: git.corp.example/lib@v1.0.0: git ls-remote -q origin: exit status 128:\n\t"
                                      "git@git.corp.example: Permission denied (publickey)."}
    monkeypatch.setattr(probe_host.probe_download, "download", fake_download)
    monkeypatch.setattr(probe_host.gitcred, "netrc_machines", lambda account, netrc=None: [])
    monkeypatch.setattr(probe_host, "lookup", lambda name: None)
    audit = _run([_user_env(GOPROXY=athens.url() + ",off", GOPRIVATE="git.corp.example")], probe_direct=False,
                 check_sumdb=False, private_modules=["git.corp.example/lib@v1.0.0"], private_patterns=["git.corp.example"])
    assert calls == [("builder", "git.corp.example/lib", "v1.0.0")]
    finding = [f for f in audit["findings"] if f["code"] == "git_ssh_auth"][0]
    assert "git.corp.example" in finding["cause"] and "go_client_git_credentials" in finding["fix"]
    assert audit["users"][0]["private_fetch"]["git.corp.example/lib@v1.0.0"]["ok"] is False
