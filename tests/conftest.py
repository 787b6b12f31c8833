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
