"""DNS checks on lab hosts, shared by the athens scenario's tests and tests/site: timed queries run ON a
host, timed lookups through its C library, and the counter of the lab's silent-upstream drop rule.
Tests import it by name (pytest puts this directory on sys.path for conftest.py; tests/site adds it).

Timing happens on the host, not around ssh: a lookup that must take < 50 ms would otherwise measure the
connection. lab/dnsquery.py (stdlib only) is sent as `python3 -c`, so hosts need nothing installed.
"""

import json
import shlex
import subprocess
from pathlib import Path

DNSQUERY = (Path(__file__).resolve().parents[2] / "lab" / "dnsquery.py").read_text()
# Every type a client or a curious tool may ask for a name: the addresses, mail, text, service and the
# HTTPS/SVCB records browsers and newer resolvers ask first (type 65), and ANY.
ALL_TYPES = ("A", "AAAA", "MX", "TXT", "HTTPS", "SRV", "ANY", "CAA", "NS", "SOA")
FAST_MS = 50


def dns_query(host, name, types, server=None, port=53, tcp=False, timeout=1.0):
    """One timed query per type from `host` (a testinfra Host) to `server` (default: the host's resolver,
    the first nameserver of its /etc/resolv.conf): [{type, rcode, aa, answers, ms, timeout}]."""
    args = [f"--timeout={timeout}", f"--port={port}"] + ([f"--server={server}"] if server else [])
    args += (["--tcp"] if tcp else []) + [name, *types]
    result = host.run("python3 -c " + shlex.quote(DNSQUERY) + " " + " ".join(shlex.quote(a) for a in args))
    replies = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(replies) == len(types), (result.rc, result.stdout, result.stderr)
    return replies


def timed(host, command):
    """Run `command` on `host` and time it there: (milliseconds, stdout, exit status)."""
    script = (f"s=$(date +%s%N); out=$({command}); rc=$?; e=$(date +%s%N); "
              'printf "%s\\n@@ %s %s\\n" "$out" $(( (e - s) / 1000 )) "$rc"')
    result = host.run(script)
    body, _sep, tail = result.stdout.rpartition("@@ ")
    micros, status = tail.split()
    return int(micros) / 1000, body.rstrip("\n"), int(status)


def drop_counter(table):
    """Packets the lab's silent-upstream rule (labctl: nftables table inet <table> on this machine) dropped."""
    out = subprocess.run(["nft", "-j", "list", "table", "inet", table], capture_output=True, check=True, text=True)
    packets = [expr["counter"]["packets"] for item in json.loads(out.stdout)["nftables"] if "rule" in item
               for expr in item["rule"]["expr"] if "counter" in expr]
    assert packets, f"no counter in table inet {table}"
    return sum(packets)


def slow_or_wrong(replies, expect_rcode="NOERROR", limit_ms=FAST_MS):
    """The replies that timed out, came late or have another rcode, as short strings for an assert message."""
    return [f"{r['name']} {r['type']}: " + ("no answer" if r["timeout"] else f"{r['rcode']} in {r['ms']} ms")
            for r in replies if r["timeout"] or r["rcode"] != expect_rcode or r["ms"] >= limit_ms]


# Go's own resolver (what the go command and Athens use; CGO_ENABLED=0 builds never call glibc): every address
# family of a name, timed, as JSON lines. Built on the controller (its Go build cache is warm), copied to a host.
# Indented with spaces (pep8 of this file); the Go compiler does not mind.
GO_LOOKUP = """package main

import (
    "context"
    "encoding/json"
    "fmt"
    "net"
    "os"
    "time"
)

func main() {
    for _, network := range []string{"ip", "ip4", "ip6"} {
        start := time.Now()
        ips, err := net.DefaultResolver.LookupIP(context.Background(), network, os.Args[1])
        out := map[string]any{"network": network, "ms": float64(time.Since(start).Microseconds()) / 1000}
        addrs := []string{}
        for _, ip := range ips {
            addrs = append(addrs, ip.String())
        }
        out["addresses"] = addrs
        if err != nil {
            out["error"] = err.Error()
        }
        line, _ := json.Marshal(out)
        fmt.Println(string(line))
    }
}
"""


def build_go_lookup(directory):
    """The GO_LOOKUP program as a static binary in `directory` (a pathlib.Path); returns its path."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "main.go").write_text(GO_LOOKUP)
    (directory / "go.mod").write_text("module golookup\n\ngo 1.22\n")
    env = {"PATH": "/usr/local/go/bin:/usr/bin:/bin", "HOME": str(Path.home()), "CGO_ENABLED": "0",
           "GOTOOLCHAIN": "local", "GOFLAGS": "-mod=mod", "GOPROXY": "off"}
    subprocess.run(["go", "build", "-o", "golookup", "."], cwd=directory, env=env, check=True, capture_output=True)
    return directory / "golookup"
