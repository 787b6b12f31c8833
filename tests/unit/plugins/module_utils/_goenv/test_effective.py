"""Effective values and their sources, following cmd/go's precedence."""

from ansible_collections.gomod.proxy.plugins.module_utils._goenv.effective import effective_settings

GO_ENV = {"GOPROXY": "https://proxy.golang.org,direct", "GOSUMDB": "sum.golang.org", "GOTOOLCHAIN": "auto"}


def settings(keys, os_env=None, file_settings=None, version=(1, 26, 0), goroot_env=None, home="/home/u"):
    os_env = os_env or {}
    return effective_settings(
        set(keys), os_env, dict((k, "/etc/profile.d/x.sh:1") for k in os_env), file_settings or {},
        "/home/u/.config/go/env", GO_ENV if goroot_env is None else goroot_env, "/usr/local/go/go.env",
        version, home, "/usr/local/go", goroot_env_applies=version >= (1, 21))


def test_go_env_file_default_when_nothing_else():
    s = settings(["GOPROXY"])["GOPROXY"]
    assert (s["value"], s["source"], s["origin"]) == ("https://proxy.golang.org,direct", "goroot_env", "/usr/local/go/go.env")


def test_user_file_beats_go_env_and_lists_it_as_shadowed():
    s = settings(["GOPROXY"], file_settings={"GOPROXY": "direct"})["GOPROXY"]
    assert (s["value"], s["source"]) == ("direct", "env_file")
    assert [x["source"] for x in s["shadowed"]] == ["goroot_env", "default"]


def test_non_empty_os_env_beats_everything():
    s = settings(["GOPROXY"], os_env={"GOPROXY": "off"}, file_settings={"GOPROXY": "direct"})["GOPROXY"]
    assert (s["value"], s["source"], s["origin"]) == ("off", "os_env", "/etc/profile.d/x.sh:1")
    assert [x["source"] for x in s["shadowed"]] == ["env_file", "goroot_env", "default"]


def test_empty_os_env_counts_as_unset():
    s = settings(["GOPROXY"], os_env={"GOPROXY": ""}, file_settings={"GOPROXY": "direct"})["GOPROXY"]
    assert s["source"] == "env_file"


def test_empty_file_value_masks_go_env_from_121():
    s = settings(["GOPROXY"], file_settings={"GOPROXY": ""})["GOPROXY"]
    assert (s["value"], s["source"]) == ("", "env_file")


def test_empty_file_value_falls_back_to_builtin_default_before_121():
    s = settings(["GOPROXY"], file_settings={"GOPROXY": ""}, version=(1, 20, 3), goroot_env={})["GOPROXY"]
    assert s["value"] == "https://proxy.golang.org,direct"


def test_go_env_file_is_ignored_before_121():
    s = settings(["GOSUMDB"], version=(1, 19, 8))["GOSUMDB"]
    assert (s["value"], s["source"]) == ("sum.golang.org", "default")


def test_gonoproxy_and_gonosumdb_default_to_effective_goprivate():
    s = settings(["GONOPROXY", "GONOSUMDB", "GOPRIVATE"], os_env={"GOPRIVATE": "corp.example"})
    assert s["GONOPROXY"]["value"] == s["GONOSUMDB"]["value"] == "corp.example"
    assert s["GONOSUMDB"]["source"] == "default"


def test_gomodcache_follows_first_gopath_entry():
    s = settings(["GOMODCACHE", "GOPATH"], file_settings={"GOPATH": "/srv/go:/opt/go"})
    assert s["GOMODCACHE"]["value"] == "/srv/go/pkg/mod"
    assert settings(["GOMODCACHE", "GOPATH"])["GOMODCACHE"]["value"] == "/home/u/go/pkg/mod"


def test_goenv_reports_the_file_go_uses():
    assert settings(["GOENV"])["GOENV"]["value"] == "/home/u/.config/go/env"
    s = settings(["GOENV"], os_env={"GOENV": "/etc/go.env"})["GOENV"]
    assert (s["value"], s["source"]) == ("/etc/go.env", "os_env")


def test_goauth_default_from_124():
    assert settings(["GOAUTH"])["GOAUTH"]["value"] == "netrc"
    assert settings(["GOAUTH"], version=(1, 23, 0))["GOAUTH"]["value"] == ""


# --- go_env_info with users -----------------------------------------------------------------------------------

import os  # noqa: E402

import pytest  # noqa: E402

from ansible_collections.gomod.proxy.plugins.module_utils._common.errors import UsersError  # noqa: E402
from ansible_collections.gomod.proxy.plugins.module_utils._goenv.effective import (  # noqa: E402
    gather_user_env, gather_users_env)


@pytest.mark.needs_root
def test_many_users_each_read_with_their_own_file(local_user):
    a, b = local_user(), local_user()
    os.makedirs(os.path.join(a.pw_dir, ".config", "go"))
    with open(os.path.join(a.pw_dir, ".config", "go", "env"), "wb") as f:
        f.write(b"GOPROXY=https://a.example\n")
    own = os.path.join(b.pw_dir, "ci.env")  # where the user can read it
    with open(own, "wb") as f:
        f.write(b"GOPROXY=https://b.example\n")
    results = gather_users_env([a.pw_name, {"name": b.pw_name, "env_file": own}])
    assert [(r["user"], r["settings"]["GOPROXY"]["value"], r["env_file"]) for r in results] == [
        (a.pw_name, "https://a.example", os.path.join(a.pw_dir, ".config", "go", "env")),
        (b.pw_name, "https://b.example", own)]
    assert results[0] == gather_user_env(a.pw_name)


def test_every_failing_user_is_named():
    with pytest.raises(UsersError) as e:
        gather_users_env(["root", "gomod-no-such-user", {"name": "root", "env_file": "rel"}, {"name": "root", "x": 1}, 7])
    assert [(u, err.key) for u, err in e.value.failures] == [
        ("gomod-no-such-user", "user"), ("root", "env_file"), ("root", "users"), ("users[4]", "users")]
    assert e.value.summary == "4 of 5 users failed"
