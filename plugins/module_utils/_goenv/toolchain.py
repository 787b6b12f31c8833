# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""Finding an installed Go toolchain without running it.

Running ``go`` as root or as a managed user has side effects from go1.23 on (it creates a telemetry
directory in the user's config dir), and it may switch toolchains or fail on a broken environment.
Everything the collection needs (the version, GOROOT, ``$GOROOT/go.env``) can be read from files,
so this module only falls back to running ``go version`` when a GOROOT has no VERSION file, and then
in a scratch HOME with GOTOOLCHAIN=local.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

# Where Go usually lives when it is not on PATH: the go.dev tarball, Debian/Ubuntu golang-go, Fedora,
# Homebrew. The module's own PATH (Ansible's remote shell) rarely includes /usr/local/go/bin.
COMMON_GO_BINARIES = (
    "/usr/local/go/bin/go",
    "/usr/lib/go/bin/go",
    "/usr/bin/go",
    "/usr/local/bin/go",
    "/opt/homebrew/bin/go",
    "/snap/bin/go",
)


class Toolchain(object):
    """An installed Go: the binary asked for, its GOROOT, its version string and ``go.env`` bytes."""

    def __init__(self, binary, goroot, version, goroot_env):
        self.binary = binary
        self.goroot = goroot
        self.version = version  # e.g. "go1.26.8"; None when it could not be determined
        self.goroot_env = goroot_env  # bytes of $GOROOT/go.env, or None (Go < 1.21 has none)

    def as_dict(self):
        return {"binary": self.binary, "goroot": self.goroot, "version": self.version}


def find_go_binary(explicit=None, path=None):
    """Return the absolute path of the go binary to use, or None when Go is not installed.

    An explicit path must exist: a typo there is an error, not "Go is absent".
    """
    if explicit:
        if not (os.path.isfile(explicit) and os.access(explicit, os.X_OK)):
            raise ValueError("go_binary: %r is not an executable file" % explicit)
        return os.path.abspath(explicit)
    found = shutil.which("go", path=path)
    if found:
        return found
    for candidate in COMMON_GO_BINARIES:
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def goroot_of(binary):
    """GOROOT of a go binary as Go finds it by default: the directory above the binary's real ``bin``."""
    real = os.path.realpath(binary)
    bindir = os.path.dirname(real)
    if os.path.basename(bindir) == "bin":
        root = os.path.dirname(bindir)
        if os.path.isdir(os.path.join(root, "src")) or os.path.isfile(os.path.join(root, "VERSION")):
            return root
    return None


def read_version_file(goroot):
    """First line of $GOROOT/VERSION ("go1.26.8", "devel go1.27-abc..."), or None."""
    try:
        with open(os.path.join(goroot, "VERSION"), "rb") as f:
            first = f.readline().decode("utf-8", "replace").strip()
    except (IOError, OSError):
        return None
    return first or None


def version_from_command(binary):
    """`go version` in a scratch HOME so it cannot touch any real user's config dir."""
    scratch = tempfile.mkdtemp(prefix="gomod-proxy-go-version-")
    try:
        env = {"PATH": "/usr/bin:/bin", "HOME": scratch, "GOTOOLCHAIN": "local", "GOENV": "off", "GOFLAGS": ""}
        out = subprocess.run([binary, "version"], env=env, cwd=scratch, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    # "go version go1.26.8 linux/amd64"
    words = out.decode("utf-8", "replace").split()
    if len(words) >= 3 and words[0] == "go" and words[1] == "version":
        return words[2]
    return None


def read_goroot_env(goroot):
    if not goroot:
        return None
    try:
        with open(os.path.join(goroot, "go.env"), "rb") as f:
            return f.read()
    except (IOError, OSError):
        return None


def detect(explicit_binary=None, path=None):
    """The installed toolchain, or None when no go binary is found."""
    binary = find_go_binary(explicit_binary, path)
    if binary is None:
        return None
    goroot = goroot_of(binary)
    version = read_version_file(goroot) if goroot else None
    if version is None:
        version = version_from_command(binary)
    return Toolchain(binary, goroot, version, read_goroot_env(goroot))
