"""_goenv.gitcred, the git_credentials module's logic: marked blocks, 0600 files written as the user, a link
to a file the user cannot write refused, check mode, redacted diffs."""

import os
import stat

import pytest

from ansible_collections.gomod.proxy.plugins.module_utils._common.errors import ChildError, GoEnvError
from ansible_collections.gomod.proxy.plugins.module_utils._goenv import gitcred
from ansible_collections.gomod.proxy.plugins.module_utils._goenv.user import lookup

KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n"
NETRC = [{"machine": "git.x.test", "login": "ci", "password": "s3cret"}]
SSH = [{"host": "git.x.test", "key": KEY, "known_hosts": "git.x.test ssh-ed25519 AAAA"}]
CREDS = [{"host": "git.x.test", "https": {"login": "ci", "password": "s3cret"},
          "ssh": {"key": KEY, "known_hosts": "git.x.test ssh-ed25519 AAAA"}}]
INSTEADOF = [{"url": "ssh://git@git.x.test/", "insteadof": "https://git.x.test/"}]


def test_a_block_replaces_the_old_one_and_keeps_the_rest():
    text = "machine a login b password c\n"
    once = gitcred.replace_block(text, ["machine x login y password z"], top=True)
    assert once.splitlines() == [gitcred.BEGIN, "machine x login y password z", gitcred.END, "machine a login b password c"]
    assert gitcred.replace_block(once, ["machine x login y password z"], top=True) == once
    assert gitcred.replace_block(once, [], top=True) == text
    assert gitcred.replace_block("", [], top=False) == ""


def test_the_ssh_block_ends_with_match_all_so_the_user_s_global_options_stay_global():
    lines = gitcred.ssh_lines(SSH, "/home/u")
    assert lines[0] == "Host git.x.test" and lines[-1] == "Match all"
    assert "  StrictHostKeyChecking yes" in lines and "  IdentitiesOnly yes" in lines


@pytest.mark.parametrize("netrc,ssh,insteadof,key", [
    ([{"machine": "h", "login": "a b", "password": "p"}], [], [], "netrc"),
    ([], [{"host": "h", "key": KEY, "known_hosts": ""}], [], "ssh"),
    ([], [{"host": "https://h", "key": KEY, "known_hosts": "h ssh-ed25519 A"}], [], "ssh"),
    ([], [{"host": "h", "key": "not a key", "known_hosts": "h ssh-ed25519 A"}], [], "ssh"),
    ([], [], [{"url": "ssh://h/"}], "insteadof"),
])
def test_bad_input_is_refused_naming_the_option(netrc, ssh, insteadof, key):
    with pytest.raises(GoEnvError) as e:
        gitcred.check_spec(netrc, ssh, insteadof)
    assert e.value.key == key


def test_redaction_masks_passwords_and_keys():
    assert "s3cret" not in gitcred.redact("/h/.netrc", "machine h login ci password s3cret\n")
    assert "abc" not in gitcred.redact("/h/.ssh/gomod-proxy/h.key", KEY)


def test_files_are_written_as_the_user_0600_and_idempotent(local_user):
    pw = local_user()
    account = lookup(pw.pw_name)
    netrc = os.path.join(pw.pw_dir, ".netrc")
    with open(netrc, "w") as f:
        f.write("machine other login a password b\n")
    os.chown(netrc, pw.pw_uid, pw.pw_gid)
    os.chmod(netrc, 0o644)
    checked = gitcred.manage(account, CREDS, INSTEADOF, check_mode=True)
    assert checked["changed"] and open(netrc).read() == "machine other login a password b\n"
    done = gitcred.manage(account, CREDS, INSTEADOF)
    assert done["files"] == checked["files"]
    assert all("s3cret" not in d["after"] and "abc" not in d["after"] for d in done["diff"])
    for name in (".netrc", ".ssh/config", ".ssh/gomod-proxy/git.x.test.key", ".ssh/gomod-proxy/known_hosts"):
        st = os.stat(os.path.join(pw.pw_dir, name))
        assert (stat.S_IMODE(st.st_mode), st.st_uid) == (0o600, pw.pw_uid), name
    assert open(netrc).read().endswith("machine other login a password b\n")
    assert not gitcred.manage(account, CREDS, INSTEADOF)["changed"]
    removed = gitcred.manage(account, [], [])
    assert removed["files"][os.path.join(pw.pw_dir, ".ssh/gomod-proxy/git.x.test.key")] == "removed"
    assert open(netrc).read() == "machine other login a password b\n"


def test_a_link_to_a_file_the_user_cannot_write_is_refused(local_user):
    pw = local_user()
    os.symlink("/etc/shadow", os.path.join(pw.pw_dir, ".gitconfig"))
    before = open("/etc/shadow", "rb").read()
    with pytest.raises(ChildError):
        gitcred.manage(lookup(pw.pw_name), [], INSTEADOF)
    assert open("/etc/shadow", "rb").read() == before


def test_a_credential_file_of_another_owner_is_refused(local_user):
    pw = local_user()
    path = os.path.join(pw.pw_dir, ".netrc")
    with open(path, "w") as f:
        f.write("")
    os.chmod(path, 0o666)  # root's, yet writable by the user
    with pytest.raises(GoEnvError) as e:
        gitcred.manage(lookup(pw.pw_name), CREDS[:1], [])
    assert "refusing" in e.value.message


def test_the_roles_shape_splits_into_netrc_and_ssh_entries():
    netrc, ssh = gitcred.split_credentials(CREDS)
    assert netrc == NETRC and ssh == SSH
    with pytest.raises(GoEnvError):
        gitcred.split_credentials([{"host": "h"}])
