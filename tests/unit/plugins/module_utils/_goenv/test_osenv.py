"""_goenv.osenv: static reading of a user's OS environment files."""

import os

import pytest

from ansible_collections.gomod.proxy.plugins.module_utils._goenv import osenv


def shell(text, home="/home/u", env=None):
    env = env or osenv.OsEnv()
    osenv.scan_shell(env, "/f.sh", text, home)
    return env


@pytest.mark.parametrize("line,expected", [
    ("export GOPROXY=https://a,direct", "https://a,direct"),
    ("export GOPROXY='https://a|direct'", "https://a|direct"),
    ('export GOPROXY="https://a"', "https://a"),
    ("  export   GOFLAGS=-mod=mod  # comment", "-mod=mod"),
    ("declare -x GOPROXY=off", "off"),
    ("typeset -x GOPROXY=direct", "direct"),
    ("export A=1 GOPROXY=x B=2", "x"),
    ('export GOPROXY="a b"', "a b"),
    ("export GOPROXY=a\\ b", "a b"),
    ("GOPROXY=direct; export GOPROXY", "direct"),
    ("GOPROXY=direct && export GOPROXY", "direct"),
])
def test_exported_forms_set_the_value(line, expected):
    env = shell(line)
    assert env.values()["GOPROXY" if "GOPROXY" in line else "GOFLAGS"] == expected


def test_unexported_assignment_is_not_environment():
    env = shell("GOPROXY=direct\n")
    assert "GOPROXY" not in env.values() and env.origin("GOPROXY") is None
    assert env.lookup("GOPROXY") == "direct"  # a shell variable, still seen by later expansions


def test_later_export_of_earlier_assignment_exports_it():
    env = shell("GOPROXY=direct\nfoo\nexport GOPROXY\n")
    assert env.values() == {"GOPROXY": "direct"}
    assert env.origin("GOPROXY").origin == "/f.sh:1"


def test_assignment_prefixing_a_command_is_not_session_state():
    env = shell("export GOFLAGS=-mod=mod\nGOFLAGS=-x go build ./...\n")
    assert env.values()["GOFLAGS"] == "-mod=mod"


def test_reassigning_an_exported_variable_keeps_it_exported():
    env = shell("export GOPROXY=a\nGOPROXY=b\n")
    assert env.values()["GOPROXY"] == "b"
    assert env.origin("GOPROXY").line == 2


def test_declare_without_x_is_a_shell_variable():
    assert "GOPROXY" not in shell("declare GOPROXY=a\n").values()


def test_expansion_of_home_and_earlier_variables():
    env = shell('export GOPATH=$HOME/go\nexport GOMODCACHE="${GOPATH}/pkg/mod"\nexport GOBIN=~/bin\n', home="/home/x")
    assert env.values()["GOPATH"] == "/home/x/go"
    assert env.values()["GOMODCACHE"] == "/home/x/go/pkg/mod"
    assert env.values()["GOBIN"] == "/home/x/bin"


def test_single_quotes_do_not_expand():
    env = shell("export GOPATH='$HOME/go'\n", home="/home/x")
    assert env.values()["GOPATH"] == "$HOME/go"


def test_command_substitution_is_kept_verbatim():
    assert shell("export GOPATH=$(go env GOPATH)\n").values()["GOPATH"] == "$(go env GOPATH)"
    assert shell("export GOPATH=`go env GOPATH`/x\n").values()["GOPATH"] == "`go env GOPATH`/x"
    assert shell("export GOPATH=${GOPATH:-/go}\n").values()["GOPATH"] == "${GOPATH:-/go}"


def test_unknown_variable_expands_empty():
    assert shell("export GOPATH=$NOPE/go\n").values()["GOPATH"] == "/go"


def test_continuation_lines_join_and_keep_first_line_number():
    env = shell("# x\nexport GOPROXY=a,\\\nb\n")
    a = env.origin("GOPROXY")
    assert (a.value, a.line) == ("a,b", 2)
    assert a.text == "export GOPROXY=a,\\\nb"


def test_comment_and_hash_inside_words():
    env = shell("export GOPROXY=a#b # trailing\n# export GOFLAGS=x\n")
    assert env.values() == {"GOPROXY": "a#b"}


def test_pam_environment_format():
    env = osenv.OsEnv()
    osenv.scan_pam(env, "/etc/environment", 'GOPROXY="https://a,direct"\n# GOFLAGS=x\nPATH=/usr/bin\nGOSUMDB=off\n')
    assert env.values() == {"GOPROXY": "https://a,direct", "PATH": "/usr/bin", "GOSUMDB": "off"}
    assert env.origin("GOSUMDB").origin == "/etc/environment:4"


def test_systemd_environment_d_expands():
    env = osenv.OsEnv()
    osenv.scan_systemd(env, "/e.conf", "GOPATH=${HOME}/go\nGOBIN=$GOPATH/bin\n", "/home/s")
    assert env.values() == {"GOPATH": "/home/s/go", "GOBIN": "/home/s/go/bin"}


def test_scan_reads_files_in_login_order_last_wins(tmp_path):
    etc_env = tmp_path / "environment"
    etc_env.write_text("GOPROXY=from-etc-environment\nGOFLAGS=-mod=mod\n")
    profile_d = tmp_path / "goproxy.sh"
    profile_d.write_text('export GOPROXY="$GOPROXY|from-profile-d"\n')
    user_profile = tmp_path / ".profile"
    user_profile.write_text("export GOPROXY=$GOPROXY,from-user\n")
    files = [(str(etc_env), "pam"), (str(profile_d), "shell"), (str(user_profile), "shell")]
    env = osenv.scan("/home/u", files)
    # each file sees what the files before it set: /etc/environment, then profile.d, then the user's
    assert env.values()["GOPROXY"] == "from-etc-environment|from-profile-d,from-user"
    assert env.values()["GOFLAGS"] == "-mod=mod"
    assert env.origin("GOPROXY").path == str(user_profile)


def test_missing_files_are_skipped_silently(tmp_path):
    env = osenv.scan("/home/u", [(str(tmp_path / "nope"), "shell")])
    assert env.values() == {} and env.unreadable == []


def test_source_files_cover_system_and_user_files(tmp_path):
    (tmp_path / ".config" / "environment.d").mkdir(parents=True)
    (tmp_path / ".config" / "environment.d" / "10-go.conf").write_text("GOFLAGS=-x\n")
    paths = [p for p, _kind in osenv.source_files(str(tmp_path))]
    assert paths[0] == "/etc/environment"
    assert str(tmp_path / ".config" / "environment.d" / "10-go.conf") in paths
    assert str(tmp_path / ".profile") in paths and str(tmp_path / ".bashrc") in paths
    assert paths.index("/etc/profile") < paths.index(str(tmp_path / ".profile"))


@pytest.mark.needs_root
def test_unreadable_file_is_reported_when_read_as_the_user(local_user, tmp_path):
    from ansible_collections.gomod.proxy.plugins.module_utils._common.safe_file import run_as
    from ansible_collections.gomod.proxy.plugins.module_utils._goenv.user import lookup
    user = local_user()
    secret = os.path.join(user.pw_dir, ".bashrc")
    with open(secret, "w") as f:
        f.write("export GOPROXY=secret\n")
    os.chown(secret, 0, 0)
    os.chmod(secret, 0o600)
    account = lookup(user.pw_name)

    def scan_as_user(home):
        env = osenv.scan(home, [(os.path.join(home, ".bashrc"), "shell")])
        return {"values": env.values(), "unreadable": env.unreadable}

    out = run_as(account, scan_as_user, user.pw_dir)
    assert out["values"] == {}
    assert out["unreadable"] == [{"path": secret, "error": "Permission denied"}]
