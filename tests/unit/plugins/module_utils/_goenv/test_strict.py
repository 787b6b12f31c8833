"""_goenv.strict: values `go env -w` accepts but that break builds or downloads later."""

import pytest

from ansible_collections.gomod.proxy.plugins.module_utils._common.errors import GoEnvError
from ansible_collections.gomod.proxy.plugins.module_utils._goenv import rules as goenv_rules
from ansible_collections.gomod.proxy.plugins.module_utils._goenv.strict import check_strict, go_version_valid, toolchain_version

GO126 = goenv_rules.rules_for((1, 26, 8))._replace(default_goos="linux", default_goarch="amd64")


def rules(minor):
    return goenv_rules.rules_for((1, minor, 0))._replace(default_goos="linux", default_goarch="amd64")


def strict_message(key, value, version=GO126):
    with pytest.raises(GoEnvError) as raised:
        check_strict(key, value, version)
    error = raised.value
    assert error.key == key and error.value == value and error.message.startswith(key + ": ")
    return error.message


@pytest.mark.parametrize("key", ["GOPROXY", "GOSUMDB"])
def test_empty_goproxy_or_gosumdb_in_the_file_hides_go_env_from_1_21(key):
    assert "hides the $GOROOT/go.env default" in strict_message(key, "")
    check_strict(key, "", rules(20))  # before 1.21 an empty value is Go's built-in default


def test_goproxy_gosumdb_and_patterns_are_checked_by_their_owners():
    assert strict_message("GOPROXY", "ftp://a.example") == (
        'GOPROXY: "ftp://a.example": invalid proxy URL scheme (must be https, http, file): ftp://a.example')
    assert strict_message("GOSUMDB", "a b c") == 'GOSUMDB: "a b c": invalid GOSUMDB: too many fields'
    check_strict("GOPROXY", "https://athens.internal|direct", GO126)
    check_strict("GOSUMDB", "sum.golang.google.cn", GO126)


ACCEPTED = [("GOFLAGS", v) for v in (
    "", "-mod=mod", "-mod=readonly -trimpath", "--modcacherw", "-buildvcs=auto", "-tags=a,b -count=1",
    "'-ldflags=-s -w'", "-race=false", "-json=false", "-changed", "-test.v",
)] + [("GOTOOLCHAIN", v) for v in (
    "", "auto", "path", "local", "local+auto", "go1.22.3", "go1.21.0+auto", "go1.20+path", "go1.20", "go1.23rc1",
    "go1.22.1-custom+path",
)]

REFUSED = [
    ("GOFLAGS", "mod=mod", 'non-flag "mod=mod"'),
    ("GOFLAGS", "-", 'non-flag "-"'),
    ("GOFLAGS", "---x", 'non-flag "---x"'),
    ("GOFLAGS", "-nosuch", "unknown flag -nosuch"),
    ("GOFLAGS", "-mod", "flag needs an argument: -mod"),
    ("GOFLAGS", "-mod=bogus", 'invalid value "bogus" for flag -mod'),
    ("GOFLAGS", "-trimpath=maybe", 'invalid boolean value "maybe" for flag -trimpath'),
    ("GOFLAGS", "'-ldflags=-s", "unterminated ' string"),
    ("GOFLAGS", '"" -x', "panic"),
    ("GOFLAGS", "-json", "cannot use -json with -w"),
    ("GOFLAGS", "-w", "go env"),
    ("GOFLAGS", "-u=patch", "every go env command fails"),
    ("GOFLAGS", "-json=Dir", "every go env command fails"),
    ("GOTOOLCHAIN", "bogus", 'invalid GOTOOLCHAIN "bogus"'),
    ("GOTOOLCHAIN", "go1.22.3+bogus", "only version suffixes are +auto and +path"),
    ("GOTOOLCHAIN", "1.22.3+auto", 'invalid minimum toolchain "1.22.3"'),
    ("GOTOOLCHAIN", "go1.22", "is a language version but not a toolchain version (go1.22.x)"),
    ("GOTOOLCHAIN", "go1.22+auto", "is a language version but not a toolchain version (go1.22.x)"),
    ("GOTOOLCHAIN", "go1.022.0", 'invalid GOTOOLCHAIN "go1.022.0"'),
    ("GOTOOLCHAIN", "go1.21.3rc1", 'invalid GOTOOLCHAIN'),
    ("GOTOOLCHAIN", "go/1.21.0", 'invalid GOTOOLCHAIN'),
]


@pytest.mark.parametrize("key,value", ACCEPTED)
def test_strict_accepts(key, value):
    check_strict(key, value, GO126)


@pytest.mark.parametrize("key,value,fragment", REFUSED)
def test_strict_refuses(key, value, fragment):
    assert fragment in strict_message(key, value)


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
