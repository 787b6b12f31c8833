"""The commands: prepare the caches, up, down, status, prune; the state files molecule and the tests read."""

import concurrent.futures
import contextlib
import ipaddress
import json
import os
import time
from pathlib import Path

from .base import KEY, LABEL, LabError, READY_TIMEOUT, REPO, log, podman, podman_out, run
from .containers import close_ssh_masters, container_name, control_sockets, ensure_network, remove_containers, ssh_config, start_host, wait_ready
from .dns_upstream import apply_dns_upstream, dns_table, dns_tables, remove_dns_upstream, silent_hosts
from .hostfiles import ensure_key
from .image import ensure_image, prune_images
from .preflight import check_gateway_dns, lab_objects, ownership_problem, preflight
from .spec import assign_addresses, lab_vars
from .upstream import ensure_go_archive, ensure_upstream


def prepare(suites, upstream):
    """Fill the caches the hosts need; on a cold machine the three builds run side by side."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        images = {s: pool.submit(ensure_image, s) for s in sorted(suites)}
        served = pool.submit(ensure_upstream) if upstream else None
        archive = pool.submit(ensure_go_archive) if upstream else None
        return ({s: f.result() for s, f in images.items()},
                served.result() if served else None, archive.result() if archive else None)


def write_json(path, data):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    tmp.rename(path)


def write_molecule_files(spec, state):
    """instance_config.yml (how molecule reaches each instance) and inventory/lab.yml (the lab variables
    and the hosts' lab_* flags, like host vars of inventories/lab)."""
    import yaml

    instances = [{"instance": h["name"], "address": h["address"], "user": "root", "port": 22,
                  "identity_file": str(KEY)} for h in spec["hosts"]]
    Path(os.environ["MOLECULE_INSTANCE_CONFIG"]).write_text(yaml.safe_dump(instances, sort_keys=False))
    inv = Path(spec["ephemeral"]) / "inventory"
    inv.mkdir(parents=True, exist_ok=True)
    hosts = {h["name"]: {"lab_go": h["go"], "lab_upstream": h["upstream"], "lab_suite": h["suite"],
                         "lab_dns_upstream": h["dns_upstream"],
                         "lab_container": state["hosts"][h["name"]]["container"]} for h in spec["hosts"]}
    all_vars = dict(state["vars"], ansible_python_interpreter="/usr/bin/python3")
    (inv / "lab.yml").write_text("# written by lab/labctl.py up --molecule\n" +
                                 yaml.safe_dump({"all": {"hosts": hosts, "vars": all_vars}}, sort_keys=False))


def up(spec):
    start = time.monotonic()
    preflight(spec)
    suites = {h["suite"] for h in spec["hosts"]}
    upstream = any(h["upstream"] for h in spec["hosts"])
    pubkey = ensure_key().with_suffix(".pub").read_text()
    images, served, artifacts = prepare(suites, upstream)
    static = spec.get("static_vars")
    if static is not None:
        # Checked before anything changes, so a mistake in the inventory never takes a running lab down.
        gateway = str(ipaddress.ip_network(spec["subnet"]).network_address + 1)
        assign_addresses(spec, spec["subnet"], gateway)
        drift = {k: (static.get(k), v) for k, v in lab_vars(spec, gateway, spec["subnet"]).items()
                 if static.get(k) != v}
        if drift:
            raise LabError("inventories/lab/group_vars/all.yml disagrees with hosts.yml: " +
                           "; ".join(f"{k} is {a!r}, expected {b!r}" for k, (a, b) in drift.items()))
    log(f"caches ready ({time.monotonic() - start:.1f}s); starting {len(spec['hosts'])} hosts of {spec['id']}")
    try:
        subnet, gateway = ensure_network(spec)
        assign_addresses(spec, subnet, gateway)
        values = lab_vars(spec, gateway, subnet)
        # Before any host starts, so no query of a silent host ever gets an answer.
        apply_dns_upstream(spec, gateway)
        wanted = {container_name(spec, h) for h in spec["hosts"]}
        stale = [n for n in podman_out("ps", "-a", "--filter", f"label={LABEL}={spec['id']}",
                                       "--format", "{{.Names}}").split() if n not in wanted]
        if stale:
            podman("rm", "-f", "-t", "0", *stale)
        sockets = control_sockets(spec)
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(lambda h: start_host(spec, h, gateway, images, served, artifacts, pubkey),
                                    spec["hosts"]))
            if "started" in results:
                close_ssh_masters(sockets)
            check_gateway_dns(gateway, container_name(spec, spec["hosts"][0]))
            # the hosts boot at once on the same few cores: a big lab (the 100-host bench) needs longer
            deadline = time.monotonic() + READY_TIMEOUT + 2 * len(spec["hosts"])
            list(pool.map(lambda h: wait_ready(spec, h, deadline), spec["hosts"]))
        state = {"id": spec["id"], "network": spec["network"], "subnet": subnet, "gateway": gateway,
                 "domain": spec["domain"], "key": str(KEY), "control_sockets": control_sockets(spec),
                 "checkout": str(REPO), "vars": values,
                 # tests read the drop rule's counter: nft -j list table inet <table>
                 "dns_upstream": {"table": dns_table(spec["id"]) if silent_hosts(spec) else None,
                                  "silent": [h["name"] for h in silent_hosts(spec)]},
                 "hosts": {h["name"]: {"container": container_name(spec, h), "address": h["address"],
                                       "groups": h["groups"], "go": h["go"], "upstream": h["upstream"],
                                       "suite": h["suite"], "image": images[h["suite"]],
                                       "dns_upstream": h["dns_upstream"]}
                           for h in spec["hosts"]}}
        config = Path(spec["state"]).with_name("ssh_config")
        config.write_text(ssh_config(spec))
        state["ssh_config"] = str(config)
        write_json(spec["state"], state)
        if spec.get("ephemeral"):
            write_molecule_files(spec, state)
    except BaseException:
        if os.environ.get("GOMOD_LAB_KEEP_FAILED"):
            log(f"up failed; GOMOD_LAB_KEEP_FAILED is set, leaving {spec['id']} for inspection")
        else:
            log(f"up failed; removing what it made of {spec['id']}")
            with contextlib.suppress(Exception):
                down(spec)
        raise
    kept = results.count("kept")
    log(f"{spec['id']}: {len(spec['hosts'])} hosts ready on {spec['network']} ({subnet}, controller {gateway})"
        f"{f', {kept} kept' if kept else ''} in {time.monotonic() - start:.1f}s")
    return state


def down(spec):
    start = time.monotonic()
    # A lab recorded as another checkout's stays (its user may be mid-run); an unlabelled one (older labctl)
    # is removed as before, since nothing says whose it is.
    problem = ownership_problem(spec, lab_objects(spec), unknown_ok=True)
    if problem:
        raise LabError(problem)
    sockets = set(control_sockets(spec))
    state_file = Path(spec["state"])
    if state_file.exists():
        with contextlib.suppress(ValueError, OSError):
            sockets.update(json.loads(state_file.read_text()).get("control_sockets", []))
    networks = podman_out("network", "ls", "--filter", f"label={LABEL}={spec['id']}", "--format", "{{.Name}}").split()
    # The addresses are ours only while our network exists: once it is gone, podman may have given them to
    # another lab, whose live masters must not be closed (a scenario destroyed twice did that to a running
    # one). Masters of addresses we no longer hold are closed by the lab that takes them (up).
    if networks:
        close_ssh_masters(sorted(sockets))
    names = remove_containers(spec["id"])
    if networks:
        podman("network", "rm", "-f", *networks)
    remove_dns_upstream(spec["id"])
    for stale in (state_file, state_file.with_name("ssh_config")):
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()
    prune_images()
    log(f"{spec['id']}: removed {len(names)} containers, {len(networks)} networks in {time.monotonic() - start:.1f}s")


def status(spec):
    listed = json.loads(podman_out("ps", "-a", "--filter", f"label={LABEL}={spec['id']}", "--format", "json")
                        or "[]")
    rows = [(c["Names"][0], c["State"]) for c in listed]
    wanted = {container_name(spec, h): h for h in spec["hosts"]}
    running = 0
    silent = [h["name"] for h in silent_hosts(spec)]
    print(f"lab {spec['id']} (network {spec['network']}, subnet {spec['subnet'] or 'auto'}"
          f"{', DNS upstream silent for ' + ' '.join(silent) if silent else ''})")
    for name, host in wanted.items():
        state = dict(rows).get(name, "absent")
        systemd = ""
        if state == "running":
            running += 1
            systemd = podman("exec", name, "systemctl", "is-system-running", check=False).stdout.decode().strip()
        print(f"  {host['name']:<12} {host['address'] or '-':<15} {state:<9} {systemd:<9} "
              f"{','.join(host['groups'])}{' +go' if host['go'] else ''}{' +upstream' if host['upstream'] else ''}")
    for name in sorted(set(dict(rows)) - set(wanted)):
        print(f"  {name} (not in the inventory)")
    return 0 if running == len(wanted) else 3 if running == 0 else 1


def prune():
    names = remove_containers(None, label=LABEL)
    networks = podman_out("network", "ls", "--filter", f"label={LABEL}", "--format", "{{.Name}}").split()
    if networks:
        podman("network", "rm", "-f", *networks)
    tables = dns_tables()
    for table in tables:
        run(["nft", "delete", "table", "inet", table])
    prune_images()
    log(f"removed {len(names)} containers, {len(networks)} networks labelled {LABEL} and {len(tables)} nftables tables")
