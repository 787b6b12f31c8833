"""Make this checkout importable as ``ansible_collections.gomod.proxy`` for every pytest suite.

`make setup` builds .cache/collections/ansible_collections/gomod/proxy as a link to the checkout;
without it (a bare `pytest` after a fresh clone) a temporary equivalent is made here.
"""

import os
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _collection_root():
    built = os.path.join(REPO, ".cache", "collections")
    if os.path.isdir(os.path.join(built, "ansible_collections", "gomod", "proxy", "plugins")):
        return built
    tmp = tempfile.mkdtemp(prefix="gomod-proxy-collections-")
    os.makedirs(os.path.join(tmp, "ansible_collections", "gomod"))
    os.symlink(REPO, os.path.join(tmp, "ansible_collections", "gomod", "proxy"))
    return tmp


sys.path.insert(0, _collection_root())


# --- real local users for tests of root-safe code (root only) -------------------------------------

import pwd  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import uuid  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture
def local_user():
    """Factory creating throw-away local users with a home (umask 022); all removed afterwards."""
    if os.geteuid() != 0:
        pytest.skip("needs root to create local users")
    made = []

    def make(prefix="gmpt"):
        name = "%s%s" % (prefix, uuid.uuid4().hex[:8])
        subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", "-K", "UMASK=022", name],
                       check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        made.append(name)
        return pwd.getpwnam(name)

    yield make
    for name in made:
        home = pwd.getpwnam(name).pw_dir
        subprocess.run(["userdel", "--force", "--remove", name], check=False,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        shutil.rmtree(home, ignore_errors=True)
