"""_probe.envcheck: static findings from an effective go env (gather_user_env's shape)."""

from ansible_collections.gomod.proxy.plugins.module_utils._probe import envcheck as probe_envcheck


def _env(**values):
    settings = {}
    for key, value in values.items():
        if isinstance(value, tuple):
            settings[key] = {"value": value[0], "source": "os_env", "origin": value[1], "shadowed": []}
        else:
            settings[key] = {"value": value, "source": "env_file", "origin": "/home/b/.config/go/env", "shadowed": []}
    base = {"GOPROXY": "https://athens:3000", "GOSUMDB": "sum.golang.org", "GO111MODULE": "", "GOPRIVATE": "",
            "GONOPROXY": "", "GONOSUMDB": ""}
    for key, value in base.items():
        settings.setdefault(key, {"value": value, "source": "default", "origin": None, "shadowed": []})
    return {"user": "b", "home": "/home/b", "settings": settings, "go": {"binary": "/usr/local/go/bin/go", "goroot": "/usr/local/go"},
            "os_env_conflicts": []}


def _codes(env, **kw):
    return sorted(f["code"] for f in probe_envcheck.check(env, **kw))


def test_healthy_env_has_no_findings():
    assert _codes(_env()) == []


def test_modes():
    assert _codes(_env(GO111MODULE="off")) == ["go111module_off"]
    assert _codes(_env(GOPROXY="off")) == ["goproxy_off"]
    assert _codes(_env(GOPROXY="direct")) == ["goproxy_direct_only"]
    assert _codes(_env(GOPROXY="")) == ["goproxy_empty"]
    assert _codes(_env(GOSUMDB="off")) == ["sumdb_off"]


def test_os_env_override_names_the_file_and_variable():
    env = _env(GOPROXY=("direct", "/etc/profile.d/goproxy.sh:2"))
    env["os_env_conflicts"] = [{"key": "GOPROXY", "os_value": "direct", "os_origin": "/etc/profile.d/goproxy.sh:2",
                                "file_value": "https://athens:3000"}]
    findings = dict((f["code"], f) for f in probe_envcheck.check(env))
    assert set(findings) == {"env_override", "goproxy_direct_only"}
    override = findings["env_override"]
    assert "/etc/profile.d/goproxy.sh:2" in override["cause"] and "https://athens:3000" in override["cause"]
    assert "/etc/profile.d/goproxy.sh" in override["fix"] and "go_client_goproxy" in override["fix"]
    assert "remove the export in /etc/profile.d/goproxy.sh:2" in findings["goproxy_direct_only"]["fix"]


def test_private_pattern_missing_from_gonosumdb():
    # GOPRIVATE covers it, but an explicit GONOSUMDB replaces GOPRIVATE's default
    env = _env(GOPRIVATE="git.corp.example", GONOSUMDB="other.example", GONOPROXY="git.corp.example")
    findings = probe_envcheck.check(env)
    assert [f["code"] for f in findings] == ["private_not_excluded"]
    assert "go_client_goprivate" in findings[0]["fix"] and "git.corp.example" in findings[0]["cause"]
    # the inventory's private list is checked even when GOPRIVATE lacks it: the fleet declared these paths
    # private, so one sent to the checksum database is a leak (critical), not only a failing lookup
    assert _codes(_env(), private_patterns=["*.corp.example"]) == ["private_sumdb_leak", "private_via_proxy"]
    leak = probe_envcheck.check(_env(GONOSUMDB="other.example"), private_patterns=["git.corp.example"])[0]
    assert (leak["code"], leak["severity"], leak["key"]) == ("private_sumdb_leak", "critical", "GONOSUMDB")
    assert "git.corp.example" in leak["cause"] and "other.example" in leak["cause"]
    assert "go_client_gonosumdb" in leak["fix"] and "athens_private_patterns" in leak["fix"]
    # way a: the fleet's proxy serves the private modules, so GONOPROXY must not name them
    assert _codes(_env(GONOSUMDB="git.corp.example"), private_patterns=["git.corp.example"], private_fetch="proxy") == []
    # effective GONOPROXY/GONOSUMDB default to GOPRIVATE (gather_user_env resolves that)
    covered = _env(GOPRIVATE="*.corp.example", GONOPROXY="*.corp.example", GONOSUMDB="*.corp.example")
    assert _codes(covered, private_patterns=["*.corp.example"]) == []


def test_expected_values_and_missing_go():
    env = _env(GOPROXY="https://old:3000")
    env["go"] = {"binary": None, "goroot": None}
    findings = dict((f["code"], f) for f in probe_envcheck.check(env, expected={"GOPROXY": "https://athens:3000"}))
    assert set(findings) == {"env_mismatch", "go_missing"}
    assert "go_client_goproxy" in findings["env_mismatch"]["fix"]
