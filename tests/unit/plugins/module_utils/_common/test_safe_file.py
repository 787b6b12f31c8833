"""Root-safe, atomic file work (real files; real users where root is needed)."""

import os
import shutil
import stat
import tempfile

import pytest

from ansible_collections.gomod.proxy.plugins.module_utils._common import safe_file
from ansible_collections.gomod.proxy.plugins.module_utils._common.errors import ChildError, GoEnvError
from ansible_collections.gomod.proxy.plugins.module_utils._goenv.user import lookup


def test_new_file_and_directories_get_gos_modes_under_umask(tmp_path):
    old = os.umask(0o022)
    try:
        target = tmp_path / "a" / "b" / "env"
        assert safe_file.write_bytes(str(target), b"GOPROXY=off\n") == "created"
    finally:
        os.umask(old)
    assert target.read_bytes() == b"GOPROXY=off\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "a").stat().st_mode) == 0o755
    assert stat.S_IMODE((tmp_path / "a" / "b").stat().st_mode) == 0o755


def test_umask_077_gives_private_file(tmp_path):
    old = os.umask(0o077)
    try:
        safe_file.write_bytes(str(tmp_path / "d" / "env"), b"x\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "d" / "env").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "d").stat().st_mode) == 0o700


def test_replace_is_atomic_and_keeps_mode(tmp_path):
    target = tmp_path / "env"
    target.write_bytes(b"OLD=1\n")
    os.chmod(str(target), 0o640)
    inode = target.stat().st_ino
    assert safe_file.write_bytes(str(target), b"NEW=1\n") == "replaced"
    assert target.read_bytes() == b"NEW=1\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.stat().st_ino != inode  # a new inode: readers never see a half-written file
    assert sorted(os.listdir(str(tmp_path))) == ["env"]  # no temp file left behind


def test_link_to_own_file_is_followed_and_kept(tmp_path):
    real = tmp_path / "dotfiles" / "go-env"
    real.parent.mkdir()
    real.write_bytes(b"A=1\n")
    link = tmp_path / "env"
    link.symlink_to(real)
    safe_file.write_bytes(str(link), b"A=2\n")
    assert link.is_symlink() and real.read_bytes() == b"A=2\n"


def test_directory_at_path_is_refused(tmp_path):
    (tmp_path / "env").mkdir()
    with pytest.raises(IsADirectoryError):
        safe_file.write_bytes(str(tmp_path / "env"), b"A=1\n")
    with pytest.raises(IsADirectoryError):
        safe_file.read_bytes(str(tmp_path / "env"))


def test_read_missing_is_none(tmp_path):
    assert safe_file.read_bytes(str(tmp_path / "nope")) == (None, None)


def test_run_as_self_runs_in_process():
    me = lookup()
    assert safe_file.run_as(me, os.getpid) == os.getpid()


@pytest.mark.needs_root
def test_run_as_other_user_switches_uid_and_groups(local_user):
    u = local_user()
    account = lookup(u.pw_name)
    ids = safe_file.run_as(account, lambda: [os.getuid(), os.geteuid(), os.getgid(), sorted(os.getgroups())])
    assert ids == [u.pw_uid, u.pw_uid, u.pw_gid, account.groups]


@pytest.mark.needs_root
def test_run_as_reports_unserialisable_results(local_user):
    account = lookup(local_user().pw_name)
    with pytest.raises(ChildError) as e:
        safe_file.run_as(account, object)
    assert "not JSON-serialisable" in str(e.value)


@pytest.mark.needs_root
def test_run_as_carries_goenv_error_and_unexpected_errors(local_user):
    account = lookup(local_user().pw_name)

    def bad():
        raise GoEnvError("GOPROXY", "x", "nope")

    with pytest.raises(GoEnvError) as e:
        safe_file.run_as(account, bad)
    assert (e.value.key, e.value.value, e.value.message) == ("GOPROXY", "x", "nope")
    with pytest.raises(ChildError) as c:
        safe_file.run_as(account, lambda: 1 / 0)
    assert "ZeroDivisionError" in str(c.value)


@pytest.mark.needs_root
def test_non_root_cannot_act_for_another_user(local_user):
    alice = lookup(local_user().pw_name)
    bob = lookup(local_user().pw_name)
    with pytest.raises(GoEnvError) as e:
        safe_file.run_as(alice, safe_file.run_as, bob, os.getpid)
    assert "needs root" in e.value.message


@pytest.fixture
def open_dir():
    """A root-owned 0755 directory every user can traverse (pytest's tmp_path is 0700), so the
    only thing protecting files in it is their own permission bits, as for /etc/sudoers."""
    d = tempfile.mkdtemp(prefix="gomod-proxy-test-", dir="/tmp")
    os.chmod(d, 0o755)
    yield d
    shutil.rmtree(d, ignore_errors=True)


def _snapshot(path):
    st = os.lstat(path)
    with open(path, "rb") as f:
        return f.read(), st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode), st.st_ino


@pytest.mark.needs_root
def test_planted_file_link_cannot_make_root_write_outside(local_user, open_dir):
    u = local_user()
    account = lookup(u.pw_name)
    victim = os.path.join(open_dir, "victim")  # root-owned and world-readable, like /etc/sudoers.d files
    with open(victim, "wb") as f:
        f.write(b"root only\n")
    os.chmod(victim, 0o644)
    before = _snapshot(victim)
    # The user can read it, so only the write permission stands between them and it.
    assert safe_file.run_as(account, lambda: open(victim).read()) == "root only\n"
    cfg = os.path.join(u.pw_dir, ".config", "go")
    safe_file.run_as(account, os.makedirs, cfg)
    safe_file.run_as(account, os.symlink, victim, os.path.join(cfg, "env"))
    with pytest.raises(ChildError) as e:
        safe_file.run_as(account, safe_file.write_bytes, os.path.join(cfg, "env"), b"GOPROXY=evil\n")
    assert "Permission denied" in str(e.value)
    assert _snapshot(victim) == before
    assert os.listdir(open_dir) == ["victim"]


@pytest.mark.needs_root
def test_planted_directory_link_cannot_make_root_create_files(local_user, open_dir):
    u = local_user()
    account = lookup(u.pw_name)
    safe_file.run_as(account, os.symlink, open_dir, os.path.join(u.pw_dir, ".config"))
    with pytest.raises(ChildError) as e:
        safe_file.run_as(account, safe_file.write_bytes, os.path.join(u.pw_dir, ".config", "go", "env"), b"A=1\n")
    assert "Permission denied" in str(e.value)
    assert os.listdir(open_dir) == []


@pytest.mark.needs_root
def test_new_file_as_user_belongs_to_user(local_user):
    u = local_user()
    account = lookup(u.pw_name)
    path = os.path.join(u.pw_dir, ".config", "go", "env")
    old = os.umask(0o022)
    try:
        safe_file.run_as(account, safe_file.write_bytes, path, b"A=1\n")
    finally:
        os.umask(old)
    for p, mode in ((path, 0o644), (os.path.dirname(path), 0o755), (os.path.dirname(os.path.dirname(path)), 0o755)):
        st = os.stat(p)
        assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (u.pw_uid, u.pw_gid, mode), p


@pytest.mark.needs_root
def test_group_writable_file_of_another_owner_is_written_in_place(local_user, open_dir):
    owner = local_user()
    writer = local_user()
    shared_gid = owner.pw_gid
    os.system("usermod -a -G %s %s" % (owner.pw_name, writer.pw_name))
    account = lookup(writer.pw_name)
    assert shared_gid in account.groups
    import pathlib
    d = pathlib.Path(open_dir) / "shared"
    d.mkdir()
    os.chown(str(d), owner.pw_uid, shared_gid)
    os.chmod(str(d), 0o755)  # the writer cannot create a temp file here
    f = d / "env"
    f.write_bytes(b"A=1\n")
    os.chown(str(f), owner.pw_uid, shared_gid)
    os.chmod(str(f), 0o664)
    inode = f.stat().st_ino
    assert safe_file.run_as(account, safe_file.write_bytes, str(f), b"A=2\n") == "in_place"
    st = f.stat()
    assert (f.read_bytes(), st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode), st.st_ino) == \
        (b"A=2\n", owner.pw_uid, shared_gid, 0o664, inode)


def test_check_writable_passes_what_write_bytes_can_write(tmp_path):
    safe_file.check_writable(str(tmp_path / "a" / "b" / "env"))  # missing directories: created by the write
    f = tmp_path / "env"
    f.write_bytes(b"A=1\n")
    os.chmod(str(f), 0o444)  # our own read-only file in our own directory: replaced atomically
    safe_file.check_writable(str(f))
    assert safe_file.write_bytes(str(f), b"A=2\n") == "replaced"


def test_check_writable_refuses_a_directory(tmp_path):
    with pytest.raises(IsADirectoryError):
        safe_file.check_writable(str(tmp_path))


def test_check_writable_refuses_a_file_where_a_directory_must_be(tmp_path):
    (tmp_path / "config").write_bytes(b"")
    with pytest.raises(NotADirectoryError):
        safe_file.check_writable(str(tmp_path / "config" / "go" / "env"))


@pytest.mark.needs_root
def test_check_writable_refuses_planted_links_before_anything_is_written(local_user, open_dir):
    u = local_user()
    account = lookup(u.pw_name)
    victim = os.path.join(open_dir, "victim")
    with open(victim, "wb") as f:
        f.write(b"root only\n")
    os.chmod(victim, 0o644)
    before = _snapshot(victim)
    cfg = os.path.join(u.pw_dir, ".config", "go")
    safe_file.run_as(account, os.makedirs, cfg)
    safe_file.run_as(account, os.symlink, victim, os.path.join(cfg, "env"))
    with pytest.raises(ChildError) as e:
        safe_file.run_as(account, safe_file.check_writable, os.path.join(cfg, "env"))
    assert "Permission denied" in str(e.value)
    assert _snapshot(victim) == before
    other = local_user()
    other_account = lookup(other.pw_name)
    safe_file.run_as(other_account, os.symlink, open_dir, os.path.join(other.pw_dir, ".config"))
    with pytest.raises(ChildError) as e:
        safe_file.run_as(other_account, safe_file.check_writable, os.path.join(other.pw_dir, ".config", "go", "env"))
    assert "Permission denied" in str(e.value) and os.listdir(open_dir) == ["victim"]


@pytest.mark.needs_root
def test_check_writable_accepts_a_group_writable_file_of_another_owner(local_user, open_dir):
    owner = local_user()
    writer = local_user()
    os.system("usermod -a -G %s %s" % (owner.pw_name, writer.pw_name))
    f = os.path.join(open_dir, "env")
    with open(f, "wb") as out:
        out.write(b"A=1\n")
    os.chown(f, owner.pw_uid, owner.pw_gid)
    os.chmod(f, 0o664)
    before = _snapshot(f)
    safe_file.run_as(lookup(writer.pw_name), safe_file.check_writable, f)
    assert _snapshot(f) == before
