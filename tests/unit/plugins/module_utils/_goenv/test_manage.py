"""_goenv.manage, go_env's plan/apply: go env -w then -u semantics, check mode, diff, exclusive, errors that
touch nothing, and a result that is exactly the module's RETURN."""

import os
import stat

import pytest
import yaml

from ansible_collections.gomod.proxy.plugins.module_utils._common.errors import GoEnvError
from ansible_collections.gomod.proxy.plugins.module_utils._goenv import toolchain
from ansible_collections.gomod.proxy.plugins.module_utils._goenv.manage import manage, normalize_settings
from ansible_collections.gomod.proxy.plugins.modules import go_env


def run(env_file, settings=None, unset=None, exclusive=False, strict=True, check_mode=False, go_binary=None, diff=False):
    # The current user, an explicit file, no OS-env scan: the pure file logic plus validation.
    return manage(None, str(env_file), settings or {}, unset or [], exclusive, strict, go_binary, False, check_mode,
                  diff)


@pytest.mark.parametrize("value,message", [
    (True, "YAML boolean; quote it (for example 'on')"),
    (False, "YAML boolean; quote it (for example 'off')"),
    (None, "use unset"),
    (["a"], "must be a string, got list"),
])
def test_non_string_values_are_refused_with_a_hint(value, message):
    with pytest.raises(GoEnvError) as e:
        normalize_settings({"GO111MODULE": value})
    assert message in e.value.message and "GO111MODULE" in e.value.message


def test_numbers_become_their_text():
    assert normalize_settings({"CGO_ENABLED": 0}) == [("CGO_ENABLED", "0")]


def test_check_mode_predicts_and_writes_nothing(tmp_path):
    f = tmp_path / "go" / "env"
    planned = run(f, {"GOPROXY": "direct"}, check_mode=True)
    assert planned["changed"] and planned["created"] and not f.exists()
    done = run(f, {"GOPROXY": "direct"})
    assert (done["changed"], done["after"]) == (True, planned["after"])
    assert f.read_bytes() == b"GOPROXY=direct\n"
    before = os.stat(f)
    again = run(f, {"GOPROXY": "direct"})
    assert not again["changed"] and os.stat(f).st_ino == before.st_ino and os.stat(f).st_mtime_ns == before.st_mtime_ns


def test_result_is_the_module_return_and_diff_shows_the_whole_file(tmp_path):
    documented = set(yaml.safe_load(go_env.RETURN))
    f = tmp_path / "env"
    result = run(f, {"GOPROXY": "direct"}, check_mode=True, diff=True)
    assert set(result) == documented | {"changed"}
    assert result["diff"] == {"before": "", "after": "GOPROXY=direct\n", "before_header": str(f) + " (absent)",
                              "after_header": str(f)}
    f.write_bytes(b"GOBIN=/\xff\n")
    result = run(f, {"GOPROXY": "direct"})
    assert set(result) == documented - {"diff"} | {"changed"}
    assert run(f, unset=["GOPROXY"], diff=True)["diff"]["before"] == "GOBIN=/\\xff\nGOPROXY=direct\n"


def test_same_value_still_normalises_like_go(tmp_path):
    f = tmp_path / "env"
    f.write_bytes(b"GOSUMDB=off\nGOPROXY=direct")  # unsorted run, no final newline
    r = run(f, {"GOPROXY": "direct"})
    assert r["changed"] and f.read_bytes() == b"GOPROXY=direct\nGOSUMDB=off\n"


def test_settings_then_unset_equals_w_then_u(tmp_path):
    f = tmp_path / "env"
    f.write_bytes(b"GOSUMDB=s\nGOBIN=/x\nGOPROXY=a\n")
    r = run(f, {"GOFLAGS": "-mod=mod"}, unset=["GOBIN"])
    # -w sorts the run (appending GOFLAGS), then -u blanks GOBIN, which splits nothing left unsorted.
    assert f.read_bytes() == b"GOFLAGS=-mod=mod\nGOPROXY=a\nGOSUMDB=s\n"
    assert r["removed"] == ["GOBIN"]


def test_exclusive_removes_every_setting_go_reads_but_keeps_other_lines(tmp_path):
    f = tmp_path / "env"
    f.write_bytes(b"# c\nGOVERSION=junk\nGOPROXY=a\nlower=x\nGOFLAGS=-x\n")
    r = run(f, {"GOPROXY": "direct"}, exclusive=True)
    assert r["after"] == {"GOPROXY": "direct"}
    assert r["removed"] == ["GOFLAGS", "GOVERSION"]
    assert f.read_bytes() == b"# c\nGOPROXY=direct\nlower=x\n"


def test_unset_on_missing_file_is_no_change(tmp_path):
    r = run(tmp_path / "env", unset=["GOPROXY"])
    assert not r["changed"] and not (tmp_path / "env").exists()


def test_key_in_settings_and_unset_is_refused(tmp_path):
    with pytest.raises(GoEnvError) as e:
        run(tmp_path / "env", {"GOPROXY": "direct"}, unset=["GOPROXY"])
    assert "both in settings and in unset" in e.value.message


@pytest.mark.parametrize("settings,unset,strict,needle", [
    ({"GO111MODULE": "maybe"}, [], True, 'invalid GO111MODULE value "maybe"'),
    ({"NOPE": "1"}, [], True, "unknown go command variable NOPE"),
    ({"GOPROXY": "direct,https://a.example"}, [], True, "GOPROXY"),
    ({"GOPROXY": "https://ok.example"}, ["GOVERSION"], True, "GOVERSION cannot be modified"),
])
def test_errors_leave_the_file_untouched(tmp_path, settings, unset, strict, needle):
    f = tmp_path / "env"
    f.write_bytes(b"GOPROXY=off\r\n# keep\n")
    os.chmod(str(f), 0o600)
    before = (f.read_bytes(), f.stat().st_ino, stat.S_IMODE(f.stat().st_mode), f.stat().st_mtime_ns)
    with pytest.raises(GoEnvError) as e:
        run(f, settings, unset=unset, strict=strict)
    assert needle in e.value.message
    assert (f.read_bytes(), f.stat().st_ino, stat.S_IMODE(f.stat().st_mode), f.stat().st_mtime_ns) == before


def test_strict_off_accepts_what_go_accepts(tmp_path):
    r = run(tmp_path / "env", {"GOPROXY": "direct,https://a.example"}, strict=False)
    assert r["after"] == {"GOPROXY": "direct,https://a.example"}


def test_directory_at_the_env_file_path_is_an_error_naming_it(tmp_path):
    (tmp_path / "env").mkdir()
    with pytest.raises(GoEnvError) as e:
        run(tmp_path / "env", {"GOPROXY": "direct"})
    assert e.value.key == "env_file" and "is a directory" in e.value.message


def test_works_without_go_installed(tmp_path, monkeypatch):
    monkeypatch.setattr(toolchain, "COMMON_GO_BINARIES", ())
    monkeypatch.setenv("PATH", str(tmp_path))  # no go on PATH either
    r = run(tmp_path / "env", {"GOTOOLCHAIN": "go1.26.8"})
    assert r["go"] == {"binary": None, "goroot": None, "version": None}
    assert r["rules_version"] == "go1.26" and r["rules_warning"] is None
    with pytest.raises(GoEnvError):
        run(tmp_path / "env", {"GOOS": "plan9", "GOARCH": "riscv64"})


def test_installed_go_selects_the_rules(tmp_path):
    if not os.path.exists("/usr/local/go/bin/go"):
        pytest.skip("no Go at /usr/local/go")
    r = run(tmp_path / "env", {"GOPROXY": "direct"}, go_binary="/usr/local/go/bin/go")
    assert r["go"]["goroot"] == "/usr/local/go" and r["go"]["version"].startswith("go1.")
    assert r["rules_version"] == "go%s.%s" % tuple(r["go"]["version"][2:].split(".")[:2])


def test_explicit_go_binary_must_exist(tmp_path):
    with pytest.raises(GoEnvError) as e:
        run(tmp_path / "env", {"GOPROXY": "direct"}, go_binary=str(tmp_path / "nope"))
    assert e.value.key == "go_binary" and "is not an executable file" in e.value.message
