"""The gomod.proxy lab: real Debian hosts as rootful podman containers with systemd as PID 1.

One implementation behind both ways of starting hosts, so they behave the same:
  tools/lab.sh up|down|status    the static lab of inventories/lab (hosts.yml + group_vars/all.yml)
  lab/molecule/create.yml        a molecule scenario's platforms (destroy.yml calls `down --molecule`)

Commands:
  up [--molecule PLATFORMS_JSON]   prepare the caches, start the hosts, wait until systemd runs and ssh answers
  down [--molecule]                remove the lab's containers and network (the cached image stays)
  status                           list the lab's containers (exit 0 all running, 3 none, 1 partial)
  prepare [--suite S]              only fill the caches: host image, upstream module tree, Go archive
  prune                            remove every container and network any lab or scenario left behind

Everything made carries the podman label gomod.proxy.lab=<lab id>; `down` removes by that label, so it
also cleans up after a failed or interrupted `up`. It also carries gomod.proxy.lab.checkout=<this checkout>:
`up` and `down` refuse a lab another checkout made (the static lab's names and subnet exist once per machine).

`up` first checks what the machine must provide (podman's netavark backend, aardvark-dns, nft for a silent
upstream) and, once the hosts run, that the gateway's resolver answers; each failure names its fix.
Host variable lab_dns_upstream: silent (GOMOD_LAB_DNS_UPSTREAM for the static lab) makes the lab's upstream
resolver drop that host's DNS packets: an nftables table gomod_lab_<lab id> on this machine, made by `up`,
removed by `down`. See docs/lab.md for the topology and the caches.

This file is the command line; the work is in the package lab/labkit, one module per concern:
  base          paths, names, LabError, running commands and podman, locks, content hashes
  image         the cached host image per Debian suite
  upstream      the lab's module upstream tree and the Go archive the hosts get
  spec          what a lab is: hosts, groups, variables (static inventory or molecule platforms)
  hostfiles     the ssh key, /etc/hosts and /etc/resolv.conf a host boots with
  preflight     what `up` checks first: network backend, aardvark-dns, ownership, the gateway's resolver
  dns_upstream  the silent DNS upstream (an nftables table per lab)
  containers    the network and the hosts: containers with systemd, ssh readiness and masters
  lifecycle     prepare, up, down, status, prune
"""

import argparse
import json
import os
import sys
from pathlib import Path

from labkit.base import DEFAULT_SUITE, INVENTORY, SUITES, LabError
from labkit.lifecycle import down, prepare, prune, status, up
from labkit.spec import spec_from_inventory, spec_from_molecule


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["up", "down", "status", "prepare", "prune"])
    parser.add_argument("--inventory", type=Path, default=INVENTORY, help="static lab inventory directory")
    parser.add_argument("--molecule", nargs="?", const="[]", metavar="PLATFORMS_JSON",
                        help="a molecule scenario (ids from MOLECULE_* variables); up takes its platforms")
    parser.add_argument("--suite", action="append", choices=SUITES, help="prepare: image suites (default bookworm)")
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        raise LabError("run as root: the lab uses rootful podman")
    if args.command == "prepare":
        prepare(set(args.suite or [DEFAULT_SUITE]), upstream=True)
        return 0
    if args.command == "prune":
        prune()
        return 0
    spec = spec_from_molecule(json.loads(args.molecule)) if args.molecule else spec_from_inventory(args.inventory)
    if args.command == "up":
        up(spec)
        return 0
    if args.command == "down":
        down(spec)
        if args.molecule and os.environ.get("MOLECULE_INSTANCE_CONFIG"):
            Path(os.environ["MOLECULE_INSTANCE_CONFIG"]).write_text("[]\n")  # molecule: no instances left
        return 0
    return status(spec)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except LabError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
