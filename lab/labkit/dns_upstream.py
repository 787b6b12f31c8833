"""The silent DNS upstream: an nftables table per lab that drops the DNS packets of the hosts that ask for it."""

import re
import shutil

from .base import DNS_TABLE_PREFIX, LABEL, run


def silent_hosts(spec):
    return [h for h in spec["hosts"] if h.get("dns_upstream") == "silent"]


def dns_table(lab_id):
    """The nftables table (family inet, on the controller) of a lab's DNS upstream rules."""
    return DNS_TABLE_PREFIX + re.sub(r"[^A-Za-z0-9]", "_", lab_id)


def dns_upstream_ruleset(spec, gateway):
    """nft script that replaces the lab's table in one transaction: a drop of every DNS packet (udp and tcp 53)
    from the silent hosts to the gateway, with a counter tests read; no table when no host is silent.
    Dropped, not rejected: a firewalled resolver sends nothing back, so clients wait out their timeouts, which
    is what made every lookup of the proxy cost glibc 6-8 s. Hook input: the gateway's address is the
    controller's own, so queries to it are delivered locally, never forwarded."""
    table = dns_table(spec["id"])
    lines = [f"table inet {table}", f"delete table inet {table}"]  # create-then-delete: absent either way
    hosts = silent_hosts(spec)
    if hosts:
        sources = ", ".join(h["address"] for h in hosts)
        names = " ".join(h["name"] for h in hosts)
        lines += [f"table inet {table} {{",
                  f'  comment "{LABEL}={spec["id"]}: lab_dns_upstream silent, made by lab/labctl.py up";',
                  "  chain input {",
                  "    type filter hook input priority filter - 10; policy accept;",
                  f"    ip saddr {{ {sources} }} ip daddr {gateway} meta l4proto {{ tcp, udp }} th dport 53 "
                  f'counter drop comment "silent upstream for {names}"',
                  "  }",
                  "}"]
    return "\n".join(lines) + "\n"


def apply_dns_upstream(spec, gateway):
    if not silent_hosts(spec) and not shutil.which("nft"):
        return  # no nft: no table of ours can exist
    run(["nft", "-f", "-"], input=dns_upstream_ruleset(spec, gateway).encode())


def remove_dns_upstream(lab_id):
    if shutil.which("nft"):
        table = dns_table(lab_id)
        run(["nft", "-f", "-"], input=f"table inet {table}\ndelete table inet {table}\n".encode())


def dns_tables():
    """Every lab's DNS upstream table on this machine (prune)."""
    if not shutil.which("nft"):
        return []
    listed = run(["nft", "list", "tables"]).stdout.decode().split("\n")
    return [line.split()[2] for line in listed
            if line.startswith("table inet ") and line.split()[2].startswith(DNS_TABLE_PREFIX)]
