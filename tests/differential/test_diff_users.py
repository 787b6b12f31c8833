"""go_env with ``users`` against the real `go env -w` / `go env -u`: three real local users in one call, each
with their own starting file and their own merged request (top-level settings, the user's own settings and
unset). Each user's file must hold exactly the bytes Go writes for that user's request."""

import os
import pwd
import shutil
import subprocess
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.gomod.proxy.plugins.module_utils._goenv.manage import manage_users
from strategies import PLAIN_KEYS, accepted_writes, env_files

pytestmark = [pytest.mark.needs_go, pytest.mark.needs_root]


@pytest.fixture(scope="module")
def accounts():
    if os.geteuid() != 0:
        pytest.skip("needs root to create local users")
    names = ["gmdiff%s%d" % (uuid.uuid4().hex[:7], number) for number in range(3)]
    for name in names:
        subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", "-K", "UMASK=022", name], check=True,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    yield [pwd.getpwnam(name) for name in names]
    for name in names:
        home = pwd.getpwnam(name).pw_dir
        subprocess.run(["userdel", "--force", "--remove", name], check=False, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        shutil.rmtree(home, ignore_errors=True)


def _place(account, data):
    config = os.path.join(account.pw_dir, ".config")
    shutil.rmtree(config, ignore_errors=True)
    if data is None:
        return
    os.makedirs(os.path.join(config, "go"))
    path = os.path.join(config, "go", "env")
    with open(path, "wb") as f:
        f.write(data)
    for p in (config, os.path.dirname(path), path):
        os.chown(p, account.pw_uid, account.pw_gid)


def _read(account):
    try:
        with open(os.path.join(account.pw_dir, ".config", "go", "env"), "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None


def _pairs(args):
    return [tuple(a.split("=", 1)) for a in args]


@st.composite
def user_requests(draw):
    """A user's own settings (maybe none) and own unset (keys not in the own settings)."""
    own = draw(st.one_of(st.just([]), accepted_writes(max_size=2)))
    own_keys = set(k for k, _v in _pairs(own))
    unset = draw(st.lists(st.sampled_from([k for k in PLAIN_KEYS if k not in own_keys]), max_size=2, unique=True))
    return own, unset


@settings(max_examples=40)
@given(starts=st.lists(st.one_of(st.none(), env_files(max_lines=6)), min_size=3, max_size=3),
       top=accepted_writes(max_size=4), requests=st.lists(user_requests(), min_size=3, max_size=3))
def test_each_users_bytes_match_go(go_runner, accounts, starts, top, requests):
    entries, expected = [], []
    for account, start, (own, own_unset) in zip(accounts, starts, requests):
        _place(account, start)
        entry = {"name": account.pw_name}
        if own:
            entry["settings"] = dict(_pairs(own))
        if own_unset:
            entry["unset"] = own_unset
        entries.append(entry if len(entry) > 1 else account.pw_name)
        # The documented merge: top-level keys in their order (a user's value replaces), the user's new keys
        # after them; a key the user unsets leaves the settings. Then go env -w, then go env -u.
        merged = dict(_pairs(top))
        merged.update(_pairs(own))
        for key in own_unset:
            merged.pop(key, None)
        data = start
        if merged:
            real, _env = go_runner.run(["-w"] + ["%s=%s" % kv for kv in merged.items()], data)
            assert real.rc == 0, real.stderr
            data = real.data
        if own_unset and data is not None:
            real, _env = go_runner.run(["-u"] + own_unset, data)
            assert real.rc == 0, real.stderr
            data = real.data
        expected.append(data)
    result = manage_users(entries, dict(_pairs(top)), [], False, None, False, None, False, False)
    assert [_read(a) for a in accounts] == expected, (entries, top, starts)
    assert [r["changed"] for r in result["users"]] == [e != s for e, s in zip(expected, starts)]
