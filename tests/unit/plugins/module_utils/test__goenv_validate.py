"""What `go env -w/-u` rejects, per version, in Go's order and words; and the strict checks."""

import base64
import hashlib
import struct

import pytest

from ansible_collections.gomod.proxy.plugins.module_utils import _goenv_rules
from ansible_collections.gomod.proxy.plugins.module_utils._goenv_validate import (
    GoEnvError, check_strict, check_unset, check_write, go_quote, go_version_valid, os_env_conflicts,
    quoted_split, split_argument, toolchain_version, verifier_key_error)

GO126 = _goenv_rules.rules_for((1, 26, 8))._replace(default_goos="linux", default_goarch="amd64")
GO_ENV = b"GOPROXY=https://proxy.golang.org,direct\nGOSUMDB=sum.golang.org\nGOTOOLCHAIN=auto\n"


def rules(minor):
    return _goenv_rules.rules_for((1, minor, 0))._replace(default_goos="linux", default_goarch="amd64")


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


def test_split_argument():
    assert split_argument("GO111MODULE==on") == ("GO111MODULE", "=on")
    with pytest.raises(GoEnvError) as e:
        split_argument("GOBIN")
    assert e.value.message == "arguments must be KEY=VALUE: invalid argument: GOBIN"


@pytest.mark.parametrize("text,quoted", [
    ("abc", '"abc"'), ("a\"b\\c", '"a\\"b\\\\c"'), ("\t\n\x01\x7f", '"\\t\\n\\x01\\x7f"'),
    ("caf\u00e9", '"caf\u00e9"'), ("\udcff", '"\\xff"'), ("\u200b", '"\\u200b"'), ("\U000e0001", '"\\U000e0001"'),
])
def test_go_quote(text, quoted):
    assert go_quote(text) == quoted


@pytest.mark.parametrize("text,fields", [
    ("", []), ("  ", []), ("gcc -O2", ["gcc", "-O2"]), ("'/my cc' \"-x y\"", ["/my cc", "-x y"]),
    ("a\"b c\"", ["a\"b", "c\""]), ("\"\" x", ["", "x"]), ("\tgcc\r\n", ["gcc"]),
])
def test_quoted_split(text, fields):
    assert quoted_split(text) == fields


def test_quoted_split_unterminated():
    with pytest.raises(ValueError, match="unterminated ' string"):
        quoted_split("a 'b")


# --- strict ------------------------------------------------------------------------------------------------

def strict_message(key, value, version=GO126):
    with pytest.raises(GoEnvError) as raised:
        check_strict(key, value, version)
    error = raised.value
    assert error.key == key and error.value == value and error.message.startswith(key + ": ")
    return error.message


@pytest.mark.parametrize("value", [
    "https://proxy.golang.org,direct", "https://athens.internal|https://proxy.golang.org|direct", "off",
    "direct", "athens.internal:3000", "file:///srv/goproxy", "http://[::1]:3000/", " https://a.example , direct",
])
def test_strict_goproxy_accepts(value):
    check_strict("GOPROXY", value, GO126)


@pytest.mark.parametrize("value,fragment", [
    ("", "hides the $GOROOT/go.env default"),
    ("https://a.example,,direct", "entry 2 is empty"),
    ("direct,https://a.example", "comes after 'direct'"),
    ("off|https://a.example", "comes after 'off'"),
    ("proxy", "invalid proxy URL missing scheme: proxy"),
    ("ftp://a.example", "invalid proxy URL scheme (must be https, http, file): ftp://a.example"),
    ("file://host/srv", "invalid file:// proxy URL with non-path elements"),
    ("https://", "missing host"),
    ("https:x", "https://https:x: invalid port \":x\" after host"),
    ("https://a.example:port", "invalid port"),
    ("https://a b.example", "invalid character in host name"),
    ("https://a.example/%zz", "invalid URL escape"),
])
def test_strict_goproxy_refuses(value, fragment):
    assert fragment in strict_message("GOPROXY", value)


def test_strict_goproxy_empty_is_the_default_before_1_21():
    check_strict("GOPROXY", "", rules(20))


def _verifier_key(name, public=b"k" * 32, algorithm=1):
    key = bytes([algorithm]) + public
    digest = hashlib.sha256(name.encode() + b"\n" + key).digest()
    return "%s+%08x+%s" % (name, struct.unpack(">I", digest[:4])[0], base64.b64encode(key).decode())


def test_verifier_keys():
    assert verifier_key_error("sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8") is None
    assert verifier_key_error(_verifier_key("sumdb.internal")) is None
    assert verifier_key_error(_verifier_key("sumdb.internal", algorithm=2)) == "unknown verifier algorithm"
    assert verifier_key_error(_verifier_key("sumdb.internal", public=b"short")) == "malformed verifier id"
    good = _verifier_key("sumdb.internal")
    assert verifier_key_error(good.replace("sumdb.internal", "other.internal", 1)) == "invalid verifier hash"
    assert verifier_key_error("sumdb.internal") == "malformed verifier id"


@pytest.mark.parametrize("value", [
    "off", "sum.golang.org", "sum.golang.google.cn", "sum.golang.org https://sum.golang.google.cn",
    _verifier_key("sumdb.internal"), _verifier_key("sumdb.internal") + " https://sumdb.internal/proxy",
    _verifier_key("example.com/sumdb"),
])
def test_strict_gosumdb_accepts(value):
    check_strict("GOSUMDB", value, GO126)


@pytest.mark.parametrize("value,fragment", [
    ("", "missing GOSUMDB"),
    ("sumdb.internal", "malformed verifier id"),
    ("a b c", "too many fields"),
    (_verifier_key("sumdb.internal", algorithm=7), "unknown verifier algorithm"),
    (_verifier_key("sumdb.internal/"), "invalid sumdb name"),
    (_verifier_key("sumdb.internal") + " ftp://x", "invalid GOSUMDB URL"),
])
def test_strict_gosumdb_refuses(value, fragment):
    assert fragment in strict_message("GOSUMDB", value)


@pytest.mark.parametrize("value", [
    "", "-mod=mod", "-mod=readonly -trimpath", "--modcacherw", "-buildvcs=auto", "-tags=a,b -count=1",
    "'-ldflags=-s -w'", "-race=false", "-json=false", "-changed", "-test.v",
])
def test_strict_goflags_accepts(value):
    check_strict("GOFLAGS", value, GO126)


@pytest.mark.parametrize("value,fragment", [
    ("mod=mod", 'non-flag "mod=mod"'),
    ("-", 'non-flag "-"'),
    ("---x", 'non-flag "---x"'),
    ("-nosuch", "unknown flag -nosuch"),
    ("-mod", "flag needs an argument: -mod"),
    ("-mod=bogus", 'invalid value "bogus" for flag -mod'),
    ("-trimpath=maybe", 'invalid boolean value "maybe" for flag -trimpath'),
    ("'-ldflags=-s", "unterminated ' string"),
    ('"" -x', "panic"),
    ("-json", "cannot use -json with -w"),
    ("-w", "go env"),
    ("-u=patch", "every go env command fails"),
    ("-json=Dir", "every go env command fails"),
])
def test_strict_goflags_refuses(value, fragment):
    assert fragment in strict_message("GOFLAGS", value)


@pytest.mark.parametrize("value", ["", "auto", "path", "local", "local+auto", "go1.22.3", "go1.21.0+auto",
                                   "go1.20+path", "go1.20", "go1.23rc1", "go1.22.1-custom+path"])
def test_strict_gotoolchain_accepts(value):
    check_strict("GOTOOLCHAIN", value, GO126)


@pytest.mark.parametrize("value,fragment", [
    ("bogus", 'invalid GOTOOLCHAIN "bogus"'),
    ("go1.22.3+bogus", "only version suffixes are +auto and +path"),
    ("1.22.3+auto", 'invalid minimum toolchain "1.22.3"'),
    ("go1.22", "is a language version but not a toolchain version (go1.22.x)"),
    ("go1.22+auto", "is a language version but not a toolchain version (go1.22.x)"),
    ("go1.022.0", 'invalid GOTOOLCHAIN "go1.022.0"'),
    ("go1.21.3rc1", 'invalid GOTOOLCHAIN'),
    ("go/1.21.0", 'invalid GOTOOLCHAIN'),
])
def test_strict_gotoolchain_refuses(value, fragment):
    assert fragment in strict_message("GOTOOLCHAIN", value)


def test_go_versions():
    assert all(go_version_valid(v) for v in ("1", "1.21", "1.21.0", "1.21rc1", "1.22beta", "2.0.1"))
    assert not any(go_version_valid(v) for v in ("", "1.", "01.2", "1.02", "1.21.0rc1", "1.21-x", "1.21RC1"))
    assert toolchain_version("go1.22.1 X:boring") == "1.22.1" and toolchain_version("gccgo1.2") == ""


@pytest.mark.parametrize("key", ["GOPRIVATE", "GONOPROXY", "GONOSUMDB", "GOINSECURE"])
def test_strict_patterns(key):
    check_strict(key, "*.corp.example,github.com/org/*,,example.com/", GO126)
    assert "malformed" in strict_message(key, "example.com/[a")
    assert "surrounding spaces" in strict_message(key, "a.example, b.example")
    assert "URL scheme" in strict_message(key, "https://git.corp.example")


def test_strict_gopath_and_go111module():
    check_strict("GOPATH", "/a::/b", GO126)
    assert '"rel"' in strict_message("GOPATH", "/a:rel")
    assert "'~'" in strict_message("GOPATH", "/a:~/go")
    assert 'invalid GO111MODULE value "yes"' in strict_message("GO111MODULE", "yes", rules(13))


def test_strict_ignores_keys_it_has_no_rule_for():
    check_strict("GOBIN", "rel", GO126)
