"""Per-version facts of `go env -w/-u`, and reading them from a toolchain's sources."""

import os

import pytest

from ansible_collections.gomod.proxy.plugins.module_utils._goenv import rules as r

LOCAL_GOROOT = "/usr/local/go"


@pytest.mark.parametrize("text,version", [
    ("go1.26.8", (1, 26, 8)),
    ("go1.21rc2", (1, 21, 0)),
    ("go1.22.0", (1, 22, 0)),
    ("go1.20", (1, 20, 0)),
    ("devel go1.27-abcdef Mon Jan 5 2026", (1, 27, 0)),
    ("go version go1.19.8 linux/amd64", (1, 19, 8)),
    ("go1.22.5 X:boringcrypto", (1, 22, 5)),
    ("1.23.4", (1, 23, 4)),
    ("", None),
    (None, None),
    ("gccgo (GCC) 13", None),
])
def test_parse_go_version(text, version):
    assert r.parse_go_version(text) == version


def test_known_env_grows_by_release():
    assert "GOINSECURE" not in r.rules_for((1, 13)).known_env
    assert "GOINSECURE" in r.rules_for((1, 14)).known_env
    assert "GOWORK" in r.rules_for((1, 18)).known_env and "GOAMD64" in r.rules_for((1, 18)).known_env
    assert "GOTOOLCHAIN" not in r.rules_for((1, 20, 14)).known_env
    assert {"GOTOOLCHAIN", "GOCACHEPROG"} <= r.rules_for((1, 21, 0)).known_env
    assert {"GOAUTH", "GOFIPS140"} <= r.rules_for((1, 24, 0)).known_env
    assert not {"GODEBUG", "GOTELEMETRY", "GOVERSION"} & r.rules_for((1, 26, 0)).known_env


def test_read_only_and_os_only_keys_by_release():
    assert "GOVERSION" not in r.rules_for((1, 15)).readonly and "GOVERSION" in r.rules_for((1, 16)).readonly
    assert "GOWORK" in r.rules_for((1, 18)).readonly
    assert "GOTELEMETRY" not in r.rules_for((1, 23)).readonly
    assert {"GOTELEMETRY", "GOTELEMETRYDIR"} <= r.rules_for((1, 24)).readonly
    assert r.rules_for((1, 22)).os_only == {"GOENV"}
    assert r.rules_for((1, 23)).os_only == {"GOENV", "GODEBUG"}


def test_platforms_by_release():
    assert r.rules_for((1, 13)).platforms is None  # 1.13 does not check the pair
    p119 = r.rules_for((1, 19)).platforms
    assert len(p119) == 47 and ("linux", "sparc64") in p119 and ("linux", "loong64") in p119
    assert ("linux", "loong64") not in r.rules_for((1, 18)).platforms
    assert ("darwin", "386") in r.rules_for((1, 14)).platforms and ("darwin", "386") not in r.rules_for((1, 15)).platforms
    assert ("freebsd", "riscv64") in r.rules_for((1, 20)).platforms
    assert ("wasip1", "wasm") in r.rules_for((1, 21)).platforms and ("wasip1", "wasm") not in r.rules_for((1, 20)).platforms
    assert ("windows", "arm") in r.rules_for((1, 25)).platforms
    assert ("windows", "arm") not in r.rules_for((1, 26)).platforms


def test_experiments_only_where_known():
    assert r.rules_for((1, 16)).experiments is None
    assert "unified" in r.rules_for((1, 19)).experiments
    assert r.rules_for((1, 22)).experiments is None  # not embedded: names are not checked without sources
    assert {"greenteagc", "jsonv2"} <= r.rules_for((1, 26)).experiments


def test_before_1_13_there_is_no_go_env_w():
    with pytest.raises(ValueError):
        r.rules_for((1, 12, 17))


def test_unknown_version_uses_the_newest_table_and_says_so():
    rules = r.rules_for(None)
    assert rules.version[:2] == r.NEWEST
    assert rules.warning == "the Go version is unknown; validating with the rules of go1.26"


def test_newer_version_uses_the_newest_table_and_says_so(tmp_path):
    rules = r.rules_for((1, 27, 1), str(tmp_path))
    assert rules.version == (1, 27, 1)
    assert rules.warning == ("go1.27 is newer than the rules built into this collection (up to go1.26); "
                             "using go1.26's rules")
    assert rules.known_env == r.embedded_rules(26).known_env


def _fake_goroot(tmp_path):
    src = tmp_path / "src"
    (src / "internal" / "platform").mkdir(parents=True)
    (src / "internal" / "platform" / "zosarch.go").write_text(
        'package platform\n\nvar List = []OSArch{\n\t{"linux", "amd64"},\n}\n\n'
        'var distInfo = map[OSArch]osArchInfo{\n\t{"linux", "amd64"}: {CgoSupported: true},\n'
        '\t{"newos", "newarch"}: {},\n}\n')
    (src / "internal" / "goexperiment").mkdir(parents=True)
    (src / "internal" / "goexperiment" / "flags.go").write_text(
        "package goexperiment\n\ntype Flags struct {\n\tFieldTrack bool\n\t// A comment.\n\tBrandNew   bool\n}\n")
    (src / "internal" / "cfg").mkdir(parents=True)
    (src / "internal" / "cfg" / "cfg.go").write_text("package cfg\n\nconst KnownEnv = `\n\tGOBIN\n\tGONEW\n`\n")
    (src / "cmd" / "go" / "internal" / "envcmd").mkdir(parents=True)
    (src / "cmd" / "go" / "internal" / "envcmd" / "env.go").write_text(
        'func checkEnvWrite(key, val string) error {\n\tswitch key {\n\tcase "GOEXE", "GONEWRO":\n'
        '\t\treturn fmt.Errorf("%s cannot be modified", key)\n\tcase "GOENV":\n'
        '\t\treturn fmt.Errorf("%s can only be set using the OS environment", key)\n\t}\n')
    (src / "internal" / "buildcfg").mkdir(parents=True)
    (src / "internal" / "buildcfg" / "exp.go").write_text(
        '\tvar regabiSupported, regabiAlwaysOn bool\n\tswitch goarch {\n\tcase "amd64":\n'
        '\t\tregabiAlwaysOn = true\n\t\tregabiSupported = true\n\tcase "newarch":\n'
        '\t\tregabiSupported = true\n\t}\n')
    return str(tmp_path)


def test_sources_refine_every_table(tmp_path):
    rules = r.rules_for((1, 28, 0), _fake_goroot(tmp_path))
    assert rules.platforms == {("linux", "amd64"), ("newos", "newarch")}
    assert rules.experiments == {"fieldtrack", "brandnew"}
    assert rules.known_env == {"GOBIN", "GONEW"}
    assert rules.readonly == {"GOEXE", "GONEWRO"} and rules.os_only == {"GOENV"}
    assert rules.regabi_supported == {"amd64", "newarch"} and rules.regabi_always_on == {"amd64"}
    assert set(rules.sources) == {"platforms", "experiments", "known_env", "readonly", "os_only",
                                  "regabi_supported", "regabi_always_on"}
    assert "read from" in rules.warning


def test_goroot_without_sources_keeps_the_tables(tmp_path):
    rules = r.rules_for((1, 26, 8), str(tmp_path))
    assert rules.sources == () and rules.warning is None and rules == r.rules_for((1, 26, 8))


@pytest.mark.skipif(not os.path.isdir(os.path.join(LOCAL_GOROOT, "src")), reason="no Go sources in /usr/local/go")
def test_embedded_newest_table_equals_the_installed_sources():
    """Drift check: when Go in /usr/local/go is the newest embedded release, its sources and the
    embedded table must agree on every fact."""
    from_sources = r.rules_for(None, LOCAL_GOROOT)
    version = r.parse_go_version(open(os.path.join(LOCAL_GOROOT, "VERSION")).readline())
    if version[:2] != r.NEWEST:
        pytest.skip("/usr/local/go is go%d.%d, the newest table is go%d.%d" % (version[:2] + r.NEWEST))
    embedded = r.embedded_rules(r.NEWEST[1])
    for field in ("known_env", "readonly", "os_only", "platforms", "experiments", "regabi_supported", "regabi_always_on"):
        assert getattr(from_sources, field) == getattr(embedded, field), field
        assert field in from_sources.sources
