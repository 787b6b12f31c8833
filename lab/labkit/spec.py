"""What a lab is: its hosts, groups and variables, read from a static inventory or from a molecule scenario's platforms."""

import hashlib
import ipaddress
import os
from pathlib import Path

from .base import DEFAULT_SUITE, DNS_UPSTREAMS, DOMAIN, INVENTORY, LabError, REPO, STATE_DIR


def host_entry(name, groups, hvars, dns_upstream=None):
    """One host of the lab. dns_upstream, when given, wins over the host's lab_dns_upstream (the static lab's
    GOMOD_LAB_DNS_UPSTREAM)."""
    suite = hvars.get("lab_suite", DEFAULT_SUITE)
    mode = dns_upstream or hvars.get("lab_dns_upstream") or DNS_UPSTREAMS[0]
    if mode not in DNS_UPSTREAMS:
        raise LabError(f"{name}: lab_dns_upstream is {mode!r}; it must be one of {', '.join(DNS_UPSTREAMS)}")
    return {"name": name, "groups": list(groups), "address": hvars.get("ansible_host"),
            "go": bool(hvars.get("lab_go", False)), "upstream": bool(hvars.get("lab_upstream", False)),
            "suite": suite, "dns_upstream": mode}


def spec_from_inventory(inventory):
    """The static lab: hosts.yml (groups, ansible_host, lab_* flags) and group_vars/all.yml."""
    import yaml  # the project's venv has it; kept local so `labctl.py down` runs with any python3

    data = yaml.safe_load((inventory / "hosts.yml").read_text()) or {}
    gvars = yaml.safe_load((inventory / "group_vars" / "all.yml").read_text()) or {}
    hosts = {}

    def walk(group, node):
        node = node or {}
        for name, hvars in (node.get("hosts") or {}).items():
            entry = hosts.setdefault(name, {"groups": [], "vars": {}})
            if group != "all" and group not in entry["groups"]:
                entry["groups"].append(group)
            entry["vars"].update(hvars or {})
        for child, cnode in (node.get("children") or {}).items():
            walk(child, cnode)

    walk("all", data.get("all"))
    # lab_dns_upstream: group_vars/all.yml for every host, a host var in hosts.yml for one; the environment
    # variable overrides both for a run (tools/test.sh site starts the static lab with a silent upstream).
    forced = os.environ.get("GOMOD_LAB_DNS_UPSTREAM") or None
    for entry in hosts.values():
        entry["vars"].setdefault("lab_dns_upstream", gvars.get("lab_dns_upstream"))
        # GOMOD_LAB_SUITE: the Debian suite of every host that names none (tools/test.sh site on trixie)
        entry["vars"].setdefault("lab_suite", os.environ.get("GOMOD_LAB_SUITE") or DEFAULT_SUITE)
    spec = {"id": gvars["lab_network"], "network": gvars["lab_network"], "subnet": gvars["lab_subnet"],
            "domain": gvars.get("lab_domain", DOMAIN), "state": str(STATE_DIR / "state.json"),
            "control_dir": str(STATE_DIR / "cp"), "static_vars": gvars,
            "hosts": [host_entry(n, h["groups"], h["vars"], forced) for n, h in hosts.items()]}
    if inventory.resolve() != INVENTORY.resolve():
        # Another static lab (inventories/lab-ha) runs beside this one: its own state, ssh_config and ssh
        # sockets, so that neither's `down` closes the other's connections.
        spec["state"] = str(STATE_DIR / spec["id"] / "state.json")
        spec["control_dir"] = str(STATE_DIR / spec["id"] / "cp")
    missing = [h["name"] for h in spec["hosts"] if not h["address"]]
    if missing:
        raise LabError(f"{inventory}/hosts.yml: no ansible_host for {', '.join(missing)}")
    return spec


def molecule_id():
    """Unique per scenario and per run location: the scenario name plus a hash of molecule's ephemeral
    directory (different per clone, and per run with --parallel). Deterministic, so destroy finds what a
    failed create left. GOMOD_LAB_RUN_ID overrides the hash."""
    scenario = os.environ.get("MOLECULE_SCENARIO_NAME")
    ephemeral = os.environ.get("MOLECULE_EPHEMERAL_DIRECTORY")
    if not scenario or not ephemeral:
        raise LabError("--molecule needs MOLECULE_SCENARIO_NAME and MOLECULE_EPHEMERAL_DIRECTORY (run by molecule)")
    run_id = os.environ.get("GOMOD_LAB_RUN_ID") or hashlib.sha256(
        f"{REPO}\0{ephemeral}".encode()).hexdigest()[:6]
    safe = "".join(c if c.isalnum() or c in "_.-" else "-" for c in scenario)
    return f"gmlab-{safe}-{run_id}", Path(ephemeral)


def spec_from_molecule(platforms):
    lab_id, ephemeral = molecule_id()
    names = [p["name"] for p in platforms]
    if len(set(names)) != len(names):
        raise LabError(f"platform names must be unique: {names}")
    return {"id": lab_id, "network": lab_id, "subnet": None, "domain": DOMAIN,
            "state": str(ephemeral / "lab.json"), "control_dir": None, "ephemeral": str(ephemeral),
            "hosts": [host_entry(p["name"], p.get("groups", []), p) for p in platforms]}


def lab_vars(spec, gateway, subnet):
    """Variables every lab host gets (group_vars/all.yml for the static lab; written for scenarios)."""
    values = {
        "lab_network": spec["network"],
        "lab_subnet": subnet,
        "lab_controller_address": gateway,
        # aardvark-dns answers on the gateway and forwards to the machine's resolvers: the dns role's upstream
        "lab_resolver_forwarder": gateway,
        "lab_domain": spec["domain"],
    }
    upstream = [h for h in spec["hosts"] if h["upstream"]]
    if upstream:
        first = upstream[0]
        values.update({
            "lab_upstream_host": f"{first['name']}.{spec['domain']}",
            "lab_upstream_address": first["address"],
            "lab_upstream_goproxy": f"http://{first['name']}.{spec['domain']}/mod",
            "lab_upstream_gosumdb": "sum.golang.org",
            "lab_go_dl_url": f"http://{first['address']}/dl",
        })
    return values


def assign_addresses(spec, subnet, gateway):
    net = ipaddress.ip_network(subnet)
    used = {ipaddress.ip_address(gateway)}
    for host in spec["hosts"]:
        if host["address"]:
            addr = ipaddress.ip_address(host["address"])
            if addr not in net or addr in used or addr in (net.network_address, net.broadcast_address):
                raise LabError(f"{host['name']}: address {addr} is outside {subnet} or taken")
            used.add(addr)
    nxt = int(net.network_address) + 10  # scenario hosts get .10, .11, ... in platform order
    for host in spec["hosts"]:
        if not host["address"]:
            while ipaddress.ip_address(nxt) in used:
                nxt += 1
            host["address"] = str(ipaddress.ip_address(nxt))
            used.add(ipaddress.ip_address(nxt))
