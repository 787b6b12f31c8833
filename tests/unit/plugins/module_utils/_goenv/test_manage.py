"""_goenv.manage, go_env's plan/apply: go env -w then -u semantics, check mode, diff, exclusive, errors that
touch nothing, and a result that is exactly the module's RETURN; many users in one call (merge, plan all,
then apply)."""

import os
import shutil
import stat

import pytest
import yaml

from ansible_collections.gomod.proxy.plugins.module_utils._common.errors import GoEnvError, UsersError
from ansible_collections.gomod.proxy.plugins.module_utils._goenv import toolchain
from ansible_collections.gomod.proxy.plugins.module_utils._goenv.manage import (
    apply, manage, manage_users, merge_user, normalize_settings, plan, warnings_of)
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


def _returned_with_user():
    """The RETURN keys of go_env with ``user`` (the others come with ``users`` or on failure only)."""
    return set(k for k, v in yaml.safe_load(go_env.RETURN).items() if v["returned"] not in ("with O(users)", "failure"))


def test_result_is_the_module_return_and_diff_shows_the_whole_file(tmp_path):
    documented = _returned_with_user()
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


# --- many users in one execution: merge, plan all, then apply -----------------------------------------------

TOP = {"GOPROXY": "https://athens.example,direct", "GOFLAGS": "-mod=readonly"}


@pytest.mark.parametrize("entry,unset,exclusive,env_file,expected", [
    ("ci1", [], False, None, ("ci1", list(TOP.items()), [], False, None)),
    # a value replaces the top-level one in place; a new key follows the top-level keys
    ({"name": "ci1", "settings": {"GOFLAGS": "-mod=mod", "GOBIN": "/b"}}, [], False, None,
     ("ci1", [("GOPROXY", "https://athens.example,direct"), ("GOFLAGS", "-mod=mod"), ("GOBIN", "/b")], [], False, None)),
    # null: this user's key is not managed (neither written nor unset)
    ({"name": "ci1", "settings": {"GOFLAGS": None, "GOINSECURE": None}}, ["GOINSECURE", "GOBIN"], False, None,
     ("ci1", [("GOPROXY", "https://athens.example,direct")], ["GOBIN"], False, None)),
    # the user's unset removes the inherited setting and adds to the inherited unset
    ({"name": "ci1", "unset": ["GOFLAGS", "GONOSUMDB"]}, ["GOBIN"], False, None,
     ("ci1", [("GOPROXY", "https://athens.example,direct")], ["GOBIN", "GOFLAGS", "GONOSUMDB"], False, None)),
    # the user's setting removes the key from the inherited unset
    ({"name": "ci1", "settings": {"GOBIN": "/b"}}, ["GOBIN"], False, None,
     ("ci1", list(TOP.items()) + [("GOBIN", "/b")], [], False, None)),
    # exclusive and env_file replace the top-level values; strings Ansible reads as booleans are booleans
    ({"name": "ci1", "exclusive": "no", "env_file": "/srv/ci1/go.env"}, [], True, "/srv/all/go.env",
     ("ci1", list(TOP.items()), [], False, "/srv/ci1/go.env")),
    ({"name": "ci1", "exclusive": True}, [], False, "/srv/all/go.env",
     ("ci1", list(TOP.items()), [], True, "/srv/all/go.env")),
])
def test_merge_user_combines_an_entry_with_the_top_level_options(entry, unset, exclusive, env_file, expected):
    assert merge_user(entry, dict(TOP), unset, exclusive, env_file) == expected


@pytest.mark.parametrize("entry,needle", [
    ({"settings": {"GOPROXY": "direct"}}, "every entry needs a name"),
    ({"name": ""}, "every entry needs a name"),
    (["ci1"], "a user name or a dict with name, got list"),
    ({"name": "ci1", "setings": {}}, "unknown key(s) setings"),
    ({"name": "ci1", "settings": "GOPROXY=direct"}, "settings: must be a dict"),
    ({"name": "ci1", "unset": "GOFLAGS"}, "unset: must be a list"),
    ({"name": "ci1", "settings": {"GOBIN": "/b"}, "unset": ["GOBIN"]}, "GOBIN is both in settings and in unset"),
    ({"name": "ci1", "settings": {"GOBIN": None}, "unset": ["GOBIN"]}, "GOBIN is both in settings and in unset"),
    ({"name": "ci1", "settings": {"GO111MODULE": True}}, "YAML boolean"),
    ({"name": "ci1", "exclusive": "sometimes"}, "is not a boolean"),
    ({"name": "ci1", "env_file": "go.env"}, "must be an absolute path"),
])
def test_merge_user_refuses_bad_entries(entry, needle):
    with pytest.raises(GoEnvError) as e:
        merge_user(entry, dict(TOP), [], False, None)
    assert needle in e.value.message


def _snap(path):
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    with open(path, "rb") as f:
        return f.read(), st.st_ino, st.st_mtime_ns, stat.S_IMODE(st.st_mode), st.st_uid


def _env(u):
    return os.path.join(u.pw_dir, ".config", "go", "env")


def many(users, settings=None, unset=None, exclusive=False, env_file=None, check_mode=False, diff=False):
    return manage_users(users, TOP if settings is None else settings, unset or [], exclusive, env_file, True, None,
                        True, check_mode, diff)


@pytest.mark.needs_root
def test_many_users_in_one_call_each_with_their_own_rights_bytes_and_result(local_user):
    a, b, c = local_user(), local_user(), local_user()
    os.makedirs(os.path.dirname(_env(b)))
    with open(_env(b), "wb") as f:
        f.write(b"GOSUMDB=off\r\n# mine\nGOPROXY=direct")
    os.chown(_env(b), b.pw_uid, b.pw_gid)
    users = [a.pw_name, {"name": b.pw_name, "settings": {"GOFLAGS": None}}, {"name": c.pw_name, "unset": ["GOFLAGS"]}]
    planned = many(users, check_mode=True, diff=True)
    assert [_snap(_env(u)) for u in (a, c)] == [None, None] and _snap(_env(b))[0].endswith(b"GOPROXY=direct")
    done = many(users, diff=True)
    assert [(r["user"], r["changed"]) for r in done["users"]] == [(a.pw_name, True), (b.pw_name, True), (c.pw_name, True)]
    for key in ("changed", "after", "created", "removed", "diff"):
        assert [r[key] for r in done["users"]] == [r[key] for r in planned["users"]]
    # every user's bytes are what the one-user path writes from the same start
    assert open(_env(a), "rb").read() == b"GOFLAGS=-mod=readonly\nGOPROXY=https://athens.example,direct\n"
    assert open(_env(b), "rb").read() == b"GOSUMDB=off\r\n# mine\nGOPROXY=https://athens.example,direct\n"
    assert open(_env(c), "rb").read() == b"GOPROXY=https://athens.example,direct\n"
    for u in (a, b, c):
        st = os.stat(_env(u))
        assert (st.st_uid, st.st_gid) == (u.pw_uid, u.pw_gid)
    documented = _returned_with_user()
    assert set(done["users"][0]) == documented | {"changed", "warnings"}
    assert done["diff"] == [r["diff"] for r in done["users"]]
    assert done["diff"][1]["before_header"] == _env(b) and done["diff"][0]["before_header"] == _env(a) + " (absent)"
    again = many(users, diff=True)
    assert not again["changed"] and again["diff"] == [] and not any(r["changed"] for r in again["users"])


@pytest.mark.needs_root
def test_one_users_bad_input_writes_nothing_for_anyone(local_user):
    a, b, c = local_user(), local_user(), local_user()
    before = [_snap(_env(u)) for u in (a, b, c)]
    with pytest.raises(UsersError) as e:
        many([a.pw_name, {"name": b.pw_name, "settings": {"GO111MODULE": "maybe"}}, c.pw_name, "gomod-no-such-user",
              {"settings": {}}, a.pw_name])
    assert [(user, getattr(err, "key", None)) for user, err in e.value.failures] == [
        (b.pw_name, "GO111MODULE"), ("gomod-no-such-user", "user"), ("users[4]", "users"), (a.pw_name, "users")]
    assert "nothing was written for any user; 4 of 6 users failed" == e.value.summary
    assert [_snap(_env(u)) for u in (a, b, c)] == before  # a and c were planned fine, and still not written


@pytest.mark.needs_root
def test_a_planted_link_fails_every_user_before_any_write(local_user, tmp_path):
    a, attacker = local_user(), local_user()
    victim = "/etc/gomod-proxy-unit-victim-%s" % attacker.pw_name
    with open(victim, "wb") as f:
        f.write(b"root data\n")
    os.chmod(victim, 0o644)
    try:
        from ansible_collections.gomod.proxy.plugins.module_utils._common.safe_file import run_as
        from ansible_collections.gomod.proxy.plugins.module_utils._goenv.user import lookup
        account = lookup(attacker.pw_name)
        run_as(account, os.makedirs, os.path.dirname(_env(attacker)))
        run_as(account, os.symlink, victim, _env(attacker))
        before = (_snap(victim), _snap(_env(a)))
        for check_mode in (True, False):
            with pytest.raises(UsersError) as e:
                many([a.pw_name, attacker.pw_name], check_mode=check_mode)
            assert [u for u, err in e.value.failures] == [attacker.pw_name]
            assert "Permission denied" in e.value.failures[0][1].message
            assert (_snap(victim), _snap(_env(a))) == before
    finally:
        os.unlink(victim)


@pytest.mark.needs_root
def test_two_users_cannot_share_one_env_file(local_user, tmp_path):
    a, b = local_user(), local_user()
    shared = "/tmp/gomod-proxy-unit-shared-%s" % a.pw_name
    os.makedirs(shared, 0o777)
    os.chmod(shared, 0o1777)
    try:
        with pytest.raises(UsersError) as e:
            many([a.pw_name, b.pw_name], env_file=os.path.join(shared, "env"))
        assert e.value.failures[0][0] == b.pw_name and "also the go env file of user %s" % a.pw_name in \
            e.value.failures[0][1].message
        assert os.listdir(shared) == []
    finally:
        shutil.rmtree(shared)


def test_top_level_errors_concern_everyone_and_are_raised_once(tmp_path):
    with pytest.raises(GoEnvError) as e:
        many(["root"], settings={"GOPROXY": "direct"}, unset=["GOPROXY"])
    assert "both in settings and in unset" in e.value.message
    with pytest.raises(GoEnvError):
        many(["root"], settings={"GO111MODULE": True})


def test_no_users_is_no_change():
    assert many([]) == {"changed": False, "users": []}


def test_warnings_name_the_user_and_the_origin():
    result = {"user": "ci1", "rules_warning": "go1.99 is newer", "os_env_overrides": [
        {"key": "GOPROXY", "os_value": "direct", "origin": "/etc/profile.d/x.sh:1"}]}
    assert warnings_of(result) == [
        "go env -w GOPROXY=... does not override conflicting OS environment variable GOPROXY=direct"
        " (user ci1, set in /etc/profile.d/x.sh:1)", "go1.99 is newer"]


def test_apply_refuses_a_file_that_changed_since_the_plan(tmp_path):
    f = tmp_path / "env"
    f.write_bytes(b"GOPROXY=off\n")
    request = {"home": str(tmp_path), "env_file": str(f), "settings": [("GOPROXY", "direct")], "unset": [],
               "exclusive": False, "strict": True, "go_binary": None, "scan_os_env": False, "diff": False}
    planned = plan(request)
    assert planned["result"]["changed"] and f.read_bytes() == b"GOPROXY=off\n"
    f.write_bytes(b"GOPROXY=somebody-else\n")
    with pytest.raises(GoEnvError) as e:
        apply(planned["write"])
    assert "changed after go_env read it" in e.value.message and f.read_bytes() == b"GOPROXY=somebody-else\n"
    f.write_bytes(b"GOPROXY=off\n")
    apply(planned["write"])
    assert f.read_bytes() == b"GOPROXY=direct\n"
