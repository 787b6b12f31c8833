"""What `up` checks before it starts anything: podman's network backend, aardvark-dns, lab ownership, the gateway's resolver."""

import json
import os
import shutil
from pathlib import Path

import dnsquery  # lab/dnsquery.py, next to this file (the script's directory is on sys.path)
from .base import CHECKOUT_LABEL, DNS_CHECK_TIMEOUT, HOST_FIX, LABEL, LabError, PODMAN_HELPER_DIRS, REPO, podman_out
from .dns_upstream import silent_hosts


def backend_problem(backend):
    """Why podman's network backend cannot run the lab, or None. With CNI a network's gateway has no DNS
    server (dns_enabled false), so every lab resolver's upstream is dead: a fresh machine showed it only as the
    audit's dns_timeout, seven minutes into `make site`."""
    if backend == "netavark":
        return None
    return (f"podman's network backend is {backend or 'unknown'!r}, the lab needs 'netavark' (podman info "
            f"--format '{{{{.Host.NetworkBackend}}}}'): with another backend nothing answers DNS on a lab network's "
            f"gateway, the lab resolvers' upstream. Fix: {HOST_FIX}")


def find_aardvark(dirs=PODMAN_HELPER_DIRS):
    """aardvark-dns where netavark looks for it (podman's default helper_binaries_dir), or None."""
    for directory in dirs:
        path = Path(directory) / "aardvark-dns"
        if path.is_file() and os.access(path, os.X_OK):
            return path
    return None


def foreign_owner(labels, checkout=REPO):
    """The checkout that made a podman object with these labels when it is not `checkout`, else None."""
    owner = (labels or {}).get(CHECKOUT_LABEL)
    if owner == str(checkout):
        return None
    return owner or ""  # "": made before labctl recorded its checkout, so by an unknown one


def ownership_problem(spec, objects, checkout=REPO, unknown_ok=False):
    """Why this checkout must not take over (or remove) the lab's podman objects, or None.
    objects: [(kind and name, labels)] of the network and containers labelled with the lab id."""
    owners = {}
    for what, labels in objects:
        owner = foreign_owner(labels, checkout)
        if owner is not None and (owner or not unknown_ok):
            owners.setdefault(owner, []).append(what)
    if not owners:
        return None
    owner, things = sorted(owners.items())[0]
    listed = ", ".join(things[:3]) + (f" and {len(things) - 3} more" if len(things) > 3 else "")
    if owner:
        return (f"lab {spec['id']} ({listed}) belongs to the checkout {owner} (podman label {CHECKOUT_LABEL}), "
                f"not to this one ({checkout}); the static lab can exist once per machine. Take it down there "
                f"(cd {owner} && tools/lab.sh down) when its user is done, then run this again")
    return (f"lab {spec['id']} ({listed}) was made by a checkout that did not record itself (no podman label "
            f"{CHECKOUT_LABEL}: labctl before that label), so it may be another clone's lab in use. If it is "
            f"yours, `tools/lab.sh down` removes it; then run this again")


def lab_objects(spec):
    """[(description, labels)] of the podman network and containers carrying the lab's id label."""
    selector = f"label={LABEL}={spec['id']}"
    found = []
    for net in json.loads(podman_out("network", "ls", "--filter", selector, "--format", "json") or "[]"):
        found.append((f"network {net['name']}", net.get("labels") or {}))
    for ctr in json.loads(podman_out("ps", "-a", "--filter", selector, "--format", "json") or "[]"):
        found.append((f"container {ctr['Names'][0]}", ctr.get("Labels") or {}))
    return found


def preflight(spec):
    """What the machine must provide before the lab starts, checked in a second instead of surfacing as a
    timeout minutes later; and the lab must not be another checkout's."""
    problems = []
    backend = podman_out("info", "--format", "{{.Host.NetworkBackend}}")
    problems.append(backend_problem(backend))
    if not find_aardvark():
        problems.append(f"aardvark-dns is not installed (looked in {', '.join(PODMAN_HELPER_DIRS)}): netavark then "
                        f"starts no DNS server on a lab network's gateway. Fix: {HOST_FIX}")
    if silent_hosts(spec) and not shutil.which("nft"):
        problems.append("lab_dns_upstream silent is made by an nftables table on this machine, and nft is missing. "
                        "Fix: run `make setup` (tools/setup-host.sh), or apt-get install nftables")
    problems.append(ownership_problem(spec, lab_objects(spec)))
    problems = [p for p in problems if p]
    if problems:
        raise LabError("the lab cannot start:\n  - " + "\n  - ".join(problems))


def check_gateway_dns(gateway, name, timeout=DNS_CHECK_TIMEOUT, ask=dnsquery.query):
    """The lab gateway's resolver (aardvark-dns, started by netavark with the network's first container) must
    answer: a real query from the controller for a container's name, which aardvark answers from its own
    records. The controller's query comes from the gateway address itself, so a silent upstream (which drops
    the hosts' queries only) does not affect it."""
    try:
        reply = ask(gateway, name, "A", timeout=timeout)
    except OSError as exc:
        reply = {"timeout": True, "error": str(exc)}
    if reply["timeout"]:
        got = reply.get("error") or f"no answer in {timeout:g}s"
        raise LabError(f"the lab gateway {gateway} does not answer DNS (a query for {name} to {gateway}:53: {got}); "
                       f"it is the lab resolvers' upstream (aardvark-dns). Fix: {HOST_FIX}")
    return reply
