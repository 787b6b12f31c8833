"""_goenv.validate: what `go env -w/-u` rejects, per version, in Go's order and words."""

import pytest

from ansible_collections.gomod.proxy.plugins.module_utils._common.errors import GoEnvError
from ansible_collections.gomod.proxy.plugins.module_utils._goenv import rules as goenv_rules
from ansible_collections.gomod.proxy.plugins.module_utils._goenv.validate import check_unset, check_write, os_env_conflicts, quoted_split

GO126 = goenv_rules.rules_for((1, 26, 8))._replace(default_goos="linux", default_goarch="amd64")
GO_ENV = b"GOPROXY=https://proxy.golang.org,direct\nGOSUMDB=sum.golang.org\nGOTOOLCHAIN=auto\n"


def rules(minor):
    return goenv_rules.rules_for((1, minor, 0))._replace(default_goos="linux", default_goarch="amd64")


def write_error(settings, version=GO126, data=b"", goroot_env=GO_ENV, os_env=None):
    with pytest.raises(GoEnvError) as raised:
        check_write(settings, version, data, goroot_env, os_env or {})
    return raised.value


def unset_error(keys, version=GO126, data=b"", goroot_env=GO_ENV, os_env=None):
    with pytest.raises(GoEnvError) as raised:
        check_unset(keys, version, data, goroot_env, os_env or {})
    return raised.value


@pytest.mark.parametrize("settings,message", [
    ([], "no KEY=VALUE arguments given"),
    ([("GOVERSION", "x")], "GOVERSION cannot be modified"),
    ([("GOENV", "/x")], "GOENV can only be set using the OS environment"),
    ([("GODEBUG", "x=1")], "GODEBUG can only be set using the OS environment"),
    ([("gobin", "/x")], "unknown go command variable gobin"),
    ([("", "x")], "unknown go command variable "),
    ([("GO111MODULE", "On")], 'invalid GO111MODULE value "On"'),
    ([("GOPATH", "~/go")], "GOPATH entry cannot start with shell metacharacter '~': \"~/go\""),
    ([("GOPATH", ":/a")], 'GOPATH entry is relative; must be absolute path: ":/a"'),
    ([("GOMODCACHE", "cache")], 'GOMODCACHE entry is relative; must be absolute path: "cache"'),
    ([("CC", '"gcc')], 'invalid CC: unterminated " string'),
    ([("CXX", " \t")], "CXX entry cannot contain only space"),
    ([("CC", '"" -O2')], 'CC entry is relative; must be absolute path: ""'),
    ([("CC", "bin/gcc -O2")], 'CC entry is relative; must be absolute path: "bin/gcc"'),
    ([("GOBIN", "/x\udcff")], "invalid UTF-8 in GOBIN=... value"),
    ([("GOBIN", "/x\x00")], "invalid NUL in GOBIN=... value"),
    ([("GOFLAGS", "a\vb")], "invalid newline in GOFLAGS=... value"),
    ([("GOBIN", "/a"), ("GOBIN", "/a")], "multiple values for key: GOBIN"),
    ([("GOOS", "bogus")], "unsupported GOOS/GOARCH pair bogus/amd64"),
    ([("GOEXPERIMENT", "nosuchexp")], "unknown GOEXPERIMENT suchexp"),
    ([("GOARCH", "s390x"), ("GOEXPERIMENT", "noregabiwrappers")], "GOEXPERIMENT regabiargs requires regabiwrappers"),
    ([("GOTMPDIR", "tmp")], "GOTMPDIR must be an absolute path"),
])
def test_go_1_26_messages(settings, message):
    assert write_error(settings).message == message


@pytest.mark.parametrize("settings", [
    [("CC", "gcc -O2")], [("CC", "'/opt/my cc' -x")], [("GOPATH", "/a:rel")], [("GOPATH", "/x/~y")],
    [("GOBIN", "")], [("GOFLAGS", "#\t'x'=\u00e9")], [("GOARCH", "s390x"), ("GOEXPERIMENT", "noregabi")],
    [("GOARCH", "amd64"), ("GOEXPERIMENT", "noregabiwrappers")], [("GOOS", "linux"), ("GOARCH", "sparc64")],
    [("GOEXPERIMENT", ",none,,nofieldtrack")], [("GOTOOLCHAIN", "bogus")], [("GOFIPS140", "bogus")],
])
def test_go_1_26_accepts(settings):
    check_write(settings, GO126, b"", GO_ENV, {})


def test_errors_come_in_go_order():
    assert write_error([("GOTMPDIR", "rel"), ("GOOS", "bogus")]).message.startswith("unsupported GOOS/GOARCH")
    error = write_error([("GOBIN", "/b"), ("NOPE", "1"), ("GO111MODULE", "bad")])
    assert (error.key, error.index, error.message) == ("NOPE", 1, "unknown go command variable NOPE")
    # The GOOS/GOARCH pair is checked before GOEXPERIMENT.
    assert "GOOS/GOARCH" in write_error([("GOEXPERIMENT", "nosuch"), ("GOARCH", "bogus")]).message


def test_build_config_uses_os_env_then_file_then_default():
    assert write_error([("GOARCH", "mips")], os_env={"GOOS": "windows"}).message == \
        "unsupported GOOS/GOARCH pair windows/mips"
    assert write_error([("GOARCH", "mips")], data=b"GOOS=windows\n").message == \
        "unsupported GOOS/GOARCH pair windows/mips"
    # An empty file value falls back to the default (envOr).
    check_write([("GOARCH", "mips")], GO126, b"GOOS=\n", GO_ENV, {})


def test_unset_takes_the_os_value_or_the_default_never_the_file():
    check_unset(["GOOS"], GO126, b"GOOS=windows\nGOARCH=amd64\n", GO_ENV, {})
    assert unset_error(["GOOS"], data=b"GOARCH=bogus\n").message == "unsupported GOOS/GOARCH pair linux/bogus"
    assert unset_error(["GOOS"], data=b"GOARCH=mips\n", os_env={"GOOS": "windows"}).message == \
        "unsupported GOOS/GOARCH pair windows/mips"
    check_unset(["GOOS", "GOARCH"], GO126, b"GOOS=bogus\nGOARCH=bogus\n", GO_ENV, {})
    check_unset(["GOEXPERIMENT"], GO126, b"GOEXPERIMENT=nosuch\n", GO_ENV, {})


def test_unset_checks_keys_like_go():
    assert unset_error([]).message == "'go env -u' requires an argument"
    assert unset_error([], version=rules(17)).message == "no arguments given"
    assert unset_error(["GOBIN=/x"]).message == "unknown go command variable GOBIN=/x"
    check_unset(["GOBIN", "GOBIN"], GO126, b"", GO_ENV, {})


def test_keys_in_the_file_or_go_env_are_known_from_1_21():
    data = b"ZZTOP=1\nA#B=2\nlower=3\n"
    check_write([("ZZTOP", "x"), ("A#B", "y")], GO126, data, GO_ENV, {})
    check_write([("ZZTOP", "x")], rules(21), data, GO_ENV, {})
    assert write_error([("ZZTOP", "x")], version=rules(20), data=data).message == "unknown go command variable ZZTOP"
    assert write_error([("lower", "x")], data=data).message == "unknown go command variable lower"
    # Read-only and OS-only checks come first.
    assert write_error([("GOVERSION", "x")], data=b"GOVERSION=1\n").message == "GOVERSION cannot be modified"
    check_unset(["ZZTOP"], GO126, data, None, {})
    go_env_only = b"GONEWTHING=1\n"
    check_unset(["GONEWTHING"], GO126, b"", go_env_only, {})


@pytest.mark.parametrize("minor,settings,message", [
    (13, [("GO111MODULE", "bad")], None),
    (14, [("GO111MODULE", "bad")], 'invalid GO111MODULE value "bad"'),
    (13, [("GOOS", "bogus")], None),
    (14, [("GOOS", "bogus")], "unsupported GOOS/GOARCH pair bogus/amd64"),
    (15, [("GOTMPDIR", "rel")], None),
    (16, [("GOTMPDIR", "rel")], "GOTMPDIR must be an absolute path"),
    (15, [("CC", "bin/gcc")], None),
    (16, [("CC", "bin/gcc")], 'CC entry is relative; must be absolute path: "bin/gcc"'),
    (16, [("CC", "gcc -O2")], None),
    (17, [("CC", "gcc -O2")], None),
    (17, [("CC", "bin/gcc -O2")], 'CC entry is relative; must be absolute path: "bin/gcc -O2"'),
    (16, [("GOMODCACHE", "rel/x")], None),
    (17, [("GOMODCACHE", "cache")], None),
    (17, [("GOMODCACHE", "rel/x")], 'GOMODCACHE entry is relative; must be absolute path: "rel/x"'),
    (18, [("GOMODCACHE", "cache")], 'GOMODCACHE entry is relative; must be absolute path: "cache"'),
    (15, [("GOVERSION", "x")], "unknown go command variable GOVERSION"),
    (16, [("GOVERSION", "x")], "GOVERSION cannot be modified"),
    (16, [("GOEXPERIMENT", "x")], "unknown go command variable GOEXPERIMENT"),
    (19, [("GOEXPERIMENT", "nosuch")], "unknown GOEXPERIMENT such"),
    (19, [("GOEXPERIMENT", "unified")], None),
    (22, [("GODEBUG", "x")], "unknown go command variable GODEBUG"),
    (23, [("GODEBUG", "x")], "GODEBUG can only be set using the OS environment"),
    (23, [("GOTELEMETRY", "off")], "unknown go command variable GOTELEMETRY"),
    (24, [("GOTELEMETRY", "off")], "GOTELEMETRY cannot be modified"),
    (20, [("GOOS", "wasip1"), ("GOARCH", "wasm")], "unsupported GOOS/GOARCH pair wasip1/wasm"),
    (21, [("GOOS", "wasip1"), ("GOARCH", "wasm")], None),
    (25, [("GOOS", "windows"), ("GOARCH", "arm")], None),
    (26, [("GOOS", "windows"), ("GOARCH", "arm")], "unsupported GOOS/GOARCH pair windows/arm"),
])
def test_rules_by_version(minor, settings, message):
    version = rules(minor)
    if message is None:
        check_write(settings, version, b"", GO_ENV if minor >= 21 else None, {})
    else:
        assert write_error(settings, version=version, goroot_env=GO_ENV if minor >= 21 else None).message == message


def test_os_env_conflicts():
    pairs = [("GOBIN", "/x"), ("GOPROXY", "off"), ("GOFLAGS", "-x"), ("GOSUMDB", "off")]
    os_env = {"GOBIN": "/y", "GOPROXY": "off", "GOFLAGS": "", "GOSUMDB": "sum.golang.org"}
    assert os_env_conflicts(pairs, os_env) == ["GOBIN", "GOSUMDB"]
    assert os_env_conflicts({"GOBIN": "/x"}, None) == []


@pytest.mark.parametrize("text,fields", [
    ("", []), ("  ", []), ("gcc -O2", ["gcc", "-O2"]), ("'/my cc' \"-x y\"", ["/my cc", "-x y"]),
    ("a\"b c\"", ["a\"b", "c\""]), ("\"\" x", ["", "x"]), ("\tgcc\r\n", ["gcc"]),
])
def test_quoted_split(text, fields):
    assert quoted_split(text) == fields


def test_quoted_split_unterminated():
    with pytest.raises(ValueError, match="unterminated ' string"):
        quoted_split("a 'b")
