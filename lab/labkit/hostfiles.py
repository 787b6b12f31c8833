"""Files a host gets before it boots: the lab's ssh key, /etc/hosts, /etc/resolv.conf."""

import hashlib
import io
import tarfile
import time

from .base import GOROOT, KEY, STATE_DIR, file_lock, run


def ensure_key():
    """The per-clone throw-away ssh key root logs in with."""
    STATE_DIR.mkdir(parents=True, exist_ok=True)
    if KEY.exists() and KEY.with_suffix(".pub").exists():
        return KEY
    with file_lock(f"key-{hashlib.sha256(str(STATE_DIR).encode()).hexdigest()[:8]}"):
        if not KEY.exists():
            run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "gomod-proxy-lab", "-f", str(KEY)])
    return KEY


def hosts_file(spec, gateway):
    lines = ["127.0.0.1\tlocalhost", "::1\tlocalhost ip6-localhost ip6-loopback", "",
             "# lab hosts, written by lab/labctl.py at start like a fleet's base configuration"]
    lines += [f"{h['address']}\t{h['name']}.{spec['domain']} {h['name']}" for h in spec["hosts"]]
    lines += [f"{gateway}\tcontroller.{spec['domain']} controller"]
    return "\n".join(lines) + "\n"


def resolv_conf(spec, host, gateway):
    """Lab hosts ask the dns group's host (nothing answers until a role starts a resolver there); the dns
    host itself, and every host of a lab without one, asks the gateway (aardvark-dns)."""
    dns = [h for h in spec["hosts"] if "dns" in h["groups"]]
    server = gateway if not dns or host in dns else dns[0]["address"]
    return (f"# written by lab/labctl.py at start\nsearch {spec['domain']}\nnameserver {server}\n"
            "options timeout:2 attempts:2\n")


def host_files_tar(spec, host, gateway, pubkey):
    """Files copied into a created container before it boots (podman cp of a tar stream)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        def add(path, mode, data=None, link=None, kind=tarfile.REGTYPE):
            info = tarfile.TarInfo(path)
            info.mode, info.mtime = mode, int(time.time())
            if kind == tarfile.DIRTYPE:
                info.type = kind
                tar.addfile(info)
            elif link:
                info.type, info.linkname = tarfile.SYMTYPE, link
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))

        add("etc/hosts", 0o644, hosts_file(spec, gateway).encode())
        add("etc/resolv.conf", 0o644, resolv_conf(spec, host, gateway).encode())
        add("root/.ssh", 0o700, kind=tarfile.DIRTYPE)
        add("root/.ssh/authorized_keys", 0o600, pubkey.encode())
        if host["go"]:
            # /usr/local/bin is on every user's PATH, login shell or not; go finds GOROOT through the link.
            add("usr/local/bin/go", 0o777, link=str(GOROOT / "bin" / "go"))
            add("usr/local/bin/gofmt", 0o777, link=str(GOROOT / "bin" / "gofmt"))
    return buf.getvalue()
