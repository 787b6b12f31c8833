"""What every part of the lab shares: paths, names and limits, the error type, running commands and podman, locks, content hashes."""

import contextlib
import fcntl
import hashlib
import os
import subprocess
import sys
from pathlib import Path


LAB_DIR = Path(__file__).resolve().parents[1]  # lab/, this package's parent


REPO = LAB_DIR.parent


CACHE = Path(os.environ.get("GOMOD_PROXY_CACHE") or Path.home() / ".cache" / "gomod-proxy") / "lab"


STATE_DIR = REPO / ".cache" / "lab"  # per clone: throw-away ssh key, state of the static lab, ssh sockets


KEY = STATE_DIR / "id_ed25519"


INVENTORY = REPO / "inventories" / "lab"


GOROOT = Path("/usr/local/go")


LABEL = "gomod.proxy.lab"


# The checkout that made a lab's network and containers: the static lab's names and subnet are fixed, so a
# second clone's `up` would otherwise take over (and its `down` remove) the first one's hosts.
CHECKOUT_LABEL = f"{LABEL}.checkout"


# lab_dns_upstream: what the lab's upstream resolver (aardvark-dns on the gateway) does with a host's queries.
DNS_UPSTREAMS = ("aardvark", "silent")


DNS_TABLE_PREFIX = "gomod_lab_"


DNS_CHECK_TIMEOUT = 2.0


# podman's default helper_binaries_dir, where netavark looks for aardvark-dns
PODMAN_HELPER_DIRS = ("/usr/local/libexec/podman", "/usr/local/lib/podman", "/usr/libexec/podman", "/usr/lib/podman")


HOST_FIX = ("run `make setup` (tools/setup-host.sh), or by hand: apt-get install netavark aardvark-dns and set "
            "[network] network_backend = \"netavark\" in /etc/containers/containers.conf")


IMAGE_REPO = "localhost/gomod-proxy-lab"


DEFAULT_SUITE = "bookworm"


SUITES = ("bookworm", "trixie")


CAPS = "NET_ADMIN,NET_RAW,SYS_ADMIN"  # firewalls, ping, systemd sandboxing (Protect*/Private*/DynamicUser)


DOMAIN = "lab.test"


READY_TIMEOUT = 90


MOLECULE_CONTROL_DIR = Path.home() / ".ansible" / "cp"  # set as control_path_dir in .config/molecule


class LabError(Exception):
    pass


def log(msg):
    print(f"\033[1m==> {msg}\033[0m", file=sys.stderr, flush=True)


def run(cmd, *, input=None, check=True, timeout=None, env=None, cwd=None):
    """Run a command, capturing output; raise LabError with its stderr when it fails and check is set."""
    try:
        proc = subprocess.run(cmd, input=input, capture_output=True, timeout=timeout, env=env, cwd=cwd,
                              check=False)
    except subprocess.TimeoutExpired as exc:
        raise LabError(f"timed out after {timeout}s: {' '.join(map(str, cmd))}") from exc
    if check and proc.returncode != 0:
        err = proc.stderr.decode(errors="replace").strip() or proc.stdout.decode(errors="replace").strip()
        raise LabError(f"{' '.join(map(str, cmd))} failed (rc={proc.returncode}): {err}")
    return proc


def podman(*args, **kwargs):
    return run(["podman", *map(str, args)], **kwargs)


def podman_out(*args, **kwargs):
    return podman(*args, **kwargs).stdout.decode().strip()


@contextlib.contextmanager
def file_lock(name):
    """Serialise cache builds between concurrent runs (two scenarios starting at once share one image)."""
    path = CACHE / "locks" / f"{name}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def tree_hash(root, names=None, extra=""):
    """Content hash of the files under root (paths and bytes), the key of a cache built from them."""
    digest = hashlib.sha256(extra.encode())
    for path in sorted(p for p in Path(root).rglob("*") if p.is_file() or p.is_symlink()):
        if names and path.name not in names:
            continue
        rel = path.relative_to(root).as_posix()
        digest.update(rel.encode() + b"\0")
        digest.update(os.readlink(path).encode() if path.is_symlink() else path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:12]
