"""The hosts themselves: the lab network, one container per host (systemd as PID 1), ssh readiness and masters."""

import contextlib
import hashlib
import ipaddress
import json
import os
import time
import urllib.request
from pathlib import Path

from .base import CAPS, CHECKOUT_LABEL, GOROOT, KEY, LABEL, LabError, MOLECULE_CONTROL_DIR, REPO, log, podman, podman_out, run
from .hostfiles import host_files_tar, hosts_file, resolv_conf


def ensure_network(spec):
    name = spec["network"]
    if podman("network", "exists", name, check=False).returncode == 0:
        info = json.loads(podman_out("network", "inspect", name))[0]
        if (info.get("labels") or {}).get(LABEL) != spec["id"]:
            raise LabError(f"podman network {name} exists but was not made by this lab; remove it or rename the lab")
        subnets = info.get("subnets") or []
        if spec["subnet"] and (not subnets or subnets[0]["subnet"] != spec["subnet"]):
            log(f"network {name} has another subnet; recreating it")
            remove_containers(spec["id"])
            podman("network", "rm", "-f", name)
        else:
            return subnets[0]["subnet"], subnets[0]["gateway"]
    args = ["network", "create", "--label", f"{LABEL}={spec['id']}", "--label", f"{CHECKOUT_LABEL}={REPO}"]
    if spec["subnet"]:
        net = ipaddress.ip_network(spec["subnet"])
        args += ["--subnet", spec["subnet"], "--gateway", str(net.network_address + 1)]
    podman(*args, name)
    info = json.loads(podman_out("network", "inspect", name))[0]
    return info["subnets"][0]["subnet"], info["subnets"][0]["gateway"]


def container_name(spec, host):
    return f"{spec['id']}-{host['name']}"


def run_args(spec, host, images, served, artifacts):
    args = ["--hostname", host["name"], "--network", spec["network"], "--ip", host["address"],
            # roles own /etc/hosts and /etc/resolv.conf: podman must not bind-mount its own over them
            "--no-hosts", "--dns=none", "--systemd=always", "--cap-add", CAPS]
    if host["go"]:
        args += ["-v", f"{GOROOT}:{GOROOT}:ro"]
    if host["upstream"]:
        args += ["-v", f"{served}:/srv/upstream/mod:ro", "-v", f"{artifacts}:/srv/upstream/dl:ro"]
    return args + [images[host["suite"]]]


def remove_containers(lab_id, label=None):
    """Remove the containers carrying the label, killing them at once (-t 0): hosts are throw-away and a
    graceful systemd shutdown only costs time. podman can fail on a container that stops while it
    removes it ("container state improper"), more so on a loaded machine: retry what is left."""
    selector = f"label={label or f'{LABEL}={lab_id}'}"
    removed, error = set(), None
    for attempt in range(5):
        names = podman_out("ps", "-a", "--filter", selector, "--format", "{{.Names}}").split()
        if not names:
            return sorted(removed)
        removed.update(names)
        proc = podman("rm", "-f", "-t", "0", *names, check=False, timeout=300)
        if proc.returncode != 0:
            error = proc.stderr.decode(errors="replace").strip()
            time.sleep(1 + attempt)
    left = podman_out("ps", "-a", "--filter", selector, "--format", "{{.Names}}").split()
    if left:
        raise LabError(f"could not remove {' '.join(left)}: {error}")
    return sorted(removed)


def start_host(spec, host, gateway, images, served, artifacts, pubkey):
    """Create and boot one host unless an identical one already runs. Returns 'kept' or 'started'."""
    name = container_name(spec, host)
    args = run_args(spec, host, images, served, artifacts)
    files = host_files_tar(spec, host, gateway, pubkey)
    config = hashlib.sha256(json.dumps([args, hosts_file(spec, gateway), resolv_conf(spec, host, gateway), pubkey])
                            .encode()).hexdigest()[:12]
    existing = podman("inspect", "--type", "container", name, check=False)
    if existing.returncode == 0:
        info = json.loads(existing.stdout)[0]
        labels = info["Config"].get("Labels") or {}
        if labels.get(f"{LABEL}.config") == config and info["State"]["Running"]:
            return "kept"
        podman("rm", "-f", "-t", "0", name)
    podman("create", "--name", name, "--label", f"{LABEL}={spec['id']}", "--label", f"{LABEL}.host={host['name']}",
           "--label", f"{LABEL}.config={config}", "--label", f"{CHECKOUT_LABEL}={REPO}", *args)
    podman("cp", "-", f"{name}:/", input=files)
    podman("start", name)
    return "started"


def ssh_base(address):
    return ["ssh", "-i", str(KEY), "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
            "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=3",
            "-o", "ControlMaster=no", "-o", "ControlPath=none", f"root@{address}"]


def wait_ready(spec, host, deadline):
    """systemd finished booting with no failed unit, root logs in over ssh, an upstream host serves."""
    name = container_name(spec, host)
    left = max(1, int(deadline - time.monotonic()))
    while True:
        state = podman("exec", name, "systemctl", "is-system-running", "--wait", check=False, timeout=left)
        status = state.stdout.decode().strip()
        # Right after start, systemd may not have its bus up yet: systemctl then prints nothing.
        if status or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    if status != "running":
        failed = podman("exec", name, "systemctl", "--failed", "--no-legend", "--plain", check=False)
        raise LabError(f"{name}: systemd is {status!r} ({state.stderr.decode().strip()}); failed units:\n"
                       f"{failed.stdout.decode().strip()}")
    while True:
        proc = run([*ssh_base(host["address"]), "true"], check=False, timeout=15)
        if proc.returncode == 0:
            break
        if time.monotonic() > deadline:
            raise LabError(f"{name}: ssh root@{host['address']} fails: {proc.stderr.decode().strip()}")
        time.sleep(0.2)
    if host["upstream"]:
        url = f"http://{host['address']}/mod/sumdb/sum.golang.org/supported"
        while True:
            try:
                with urllib.request.urlopen(url, timeout=3) as resp:  # noqa: S310 - lab address
                    if resp.status == 200:
                        break
            except OSError as exc:
                if time.monotonic() > deadline:
                    raise LabError(f"{name}: upstream does not serve {url}: {exc}") from exc
            time.sleep(0.2)


def close_ssh_masters(sockets):
    """End ControlPersist masters left for these addresses: a master outliving its container would hand
    the next lab on the same address a dead connection."""
    for sock in sockets:
        if os.path.exists(sock):
            run(["ssh", "-o", f"ControlPath={sock}", "-O", "exit", "lab-host"], check=False, timeout=10)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(sock)


def control_sockets(spec):
    if spec.get("control_dir"):
        return [str(p) for p in Path(spec["control_dir"]).glob("*")]
    # molecule's ansible.cfg: control_path = %(directory)s/%%h-%%p-%%r, control_path_dir ~/.ansible/cp;
    # ssh_config (tests, humans): ControlPath ~/.ansible/cp/lab-%h-%p-%r
    return [str(MOLECULE_CONTROL_DIR / f"{prefix}{h['address']}-22-root")
            for h in spec["hosts"] if h.get("address") for prefix in ("", "lab-")]


def ssh_config(spec):
    """An ssh client configuration naming every host: `ssh -F <file> builder1`; testinfra's ssh backend
    uses it too (one multiplexed connection per host: ~10 ms a command, podman exec takes ~200 ms)."""
    control = Path(spec["control_dir"]) if spec.get("control_dir") else MOLECULE_CONTROL_DIR
    lines = [f"# written by lab/labctl.py up for {spec['id']}"]
    for host in spec["hosts"]:
        lines += [f"Host {host['name']} {host['name']}.{spec['domain']}", f"  HostName {host['address']}"]
    lines += ["Host *", "  User root", f"  IdentityFile {KEY}", "  IdentitiesOnly yes",
              "  StrictHostKeyChecking no", "  UserKnownHostsFile /dev/null", "  LogLevel ERROR",
              "  ControlMaster auto", "  ControlPersist 60s", f"  ControlPath {control}/lab-%h-%p-%r", ""]
    control.mkdir(parents=True, exist_ok=True)
    return "\n".join(lines)
