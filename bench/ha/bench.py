"""Benchmark of the HA setup (make bench-ha): 10 builders download the lab's 43-module fleet project at once.

Per round, in a rotating order so a change of the machine's load hits every variant alike:
  static    straight from the lab's upstream host (python3 http.server over the same GOPROXY tree): the floor
  lb-N-cold through the load balancer with N Athens replicas in service (the others in MAINT through the
            runtime API), storage and redis emptied first: every module comes from upstream
  lb-N-warm the same right after, every module in storage
Measured: wall time from the start of the first download to the end of the last (median of the rounds),
its ratio to the floor of the same run, and what upstream served per module version (info/mod/zip GETs
from the replicas; checksum database requests counted apart). Every download must succeed.
Results go to the HA section of docs/benchmarks.md (between the bench-ha markers).
"""

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "lab" / "ha"))

from halab import HaLab  # noqa: E402  pylint: disable=wrong-import-position

DOC = REPO / "docs" / "benchmarks.md"
START, END = "<!-- bench-ha:start -->", "<!-- bench-ha:end -->"


def set_replicas(lab, count):
    """The first `count` replicas in service, the others in MAINT; wait until the LB agrees."""
    lb = lab.group("goproxy_lb")[0]
    replicas = lab.group("goproxy")
    commands = [f"set server athens/{name} state {'ready' if i < count else 'maint'}" for i, name in enumerate(replicas)]
    script = ("import socket, sys\n"
              "for cmd in sys.argv[1:]:\n"
              "    s = socket.socket(socket.AF_UNIX); s.connect('/run/haproxy/admin.sock')\n"
              "    s.sendall(cmd.encode() + b'\\n'); s.recv(65536); s.close()\n")
    lab.ssh(lb, "python3 - " + " ".join(f"'{c}'" for c in commands), stdin=script)
    wanted = set(replicas[:count])
    lab.wait_servers(lambda s: {n for n, v in s.items() if v["status"] == "UP"} == wanted
                     and all(v["status"] == "MAINT" for n, v in s.items() if n not in wanted), timeout=90)


def measure(lab, url, clients, sumdb="off"):
    start = time.monotonic()
    results = lab.downloads(lab.clients(clients), url, sumdb)
    wall = time.monotonic() - start
    bad = [r for r in results if r.rc != 0]
    if bad:
        raise SystemExit(f"{len(bad)} downloads failed through {url}:\n{bad[0].output[-2000:]}")
    return wall


def upstream_counts(lab, cursor):
    """(module file GETs per module version, module versions, checksum database GETs) since the cursor."""
    replicas = {lab.address(h) for h in lab.group("goproxy")}
    sumdb = 0
    for line in lab.upstream_log(cursor):
        if line.split(" ", 1)[0] not in replicas:
            continue
        if '"GET /mod/sumdb/' in line:
            sumdb += 1
    fetches = lab.upstream_fetches(cursor)
    fetches = {k: v for k, v in fetches.items() if sum(v.values())}
    files = sum(sum(v.values()) for v in fetches.values())
    return (files / len(fetches) if fetches else 0.0), len(fetches), sumdb


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--replicas", default="1,2,3")
    parser.add_argument("--no-doc", action="store_true", help="print the section instead of writing it")
    args = parser.parse_args()
    lab = HaLab()
    lab.prepare_builders()
    counts = [int(n) for n in args.replicas.split(",")]
    static_url = lab.vars["lab_upstream_goproxy"]
    times = {"static": []}
    upstream = {}
    for n in counts:
        times[f"lb-{n}-cold"], times[f"lb-{n}-warm"] = [], []
    variants = ["static"] + counts
    for rnd in range(args.rounds):
        order = variants[rnd % len(variants):] + variants[:rnd % len(variants)]
        for variant in order:
            if variant == "static":
                times["static"].append(measure(lab, static_url, args.clients))
                print(f"round {rnd + 1}: static {times['static'][-1]:.2f}s", flush=True)
                continue
            set_replicas(lab, variant)
            lab.cold()
            cursor = lab.upstream_cursor()
            times[f"lb-{variant}-cold"].append(measure(lab, lab.lb_url(), args.clients))
            per_module, modules, sumdb = upstream_counts(lab, cursor)
            cursor = lab.upstream_cursor()
            times[f"lb-{variant}-warm"].append(measure(lab, lab.lb_url(), args.clients))
            warm_files = upstream_counts(lab, cursor)
            upstream.setdefault(variant, []).append((per_module, modules, sumdb, warm_files[1]))
            print(f"round {rnd + 1}: {variant} replicas cold {times[f'lb-{variant}-cold'][-1]:.2f}s "
                  f"({per_module:.2f} GETs per module version, {modules} versions, {sumdb} sumdb) "
                  f"warm {times[f'lb-{variant}-warm'][-1]:.2f}s ({warm_files[1]} fetched)", flush=True)
    set_replicas(lab, len(lab.group("goproxy")))
    write(lab, args, times, upstream, counts)


def write(lab, args, times, upstream, counts):
    floor = statistics.median(times["static"])
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    rows = ["| what | median s | x static floor | upstream GETs per module version | module versions from upstream "
            "| sumdb GETs | runs (s) |", "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
            f"| static file server (upstream1, floor) | {floor:.2f} | 1.00 | – | – | – | "
            f"{' '.join(f'{t:.2f}' for t in times['static'])} |"]
    for temp in ("warm", "cold"):
        for n in counts:
            key = f"lb-{n}-{temp}"
            med = statistics.median(times[key])
            ups = upstream[n]
            if temp == "cold":
                per = f"{statistics.median(u[0] for u in ups):.2f}"
                mods = f"{statistics.median(u[1] for u in ups):.0f}"
                sumdb = f"{statistics.median(u[2] for u in ups):.0f}"
            else:
                per, mods, sumdb = "0", f"{max(u[3] for u in ups)}", "0"
            rows.append(f"| LB, {n} replica{'s' if n > 1 else ''}, {temp} | {med:.2f} | {med / floor:.2f} | {per} | "
                        f"{mods} | {sumdb} | {' '.join(f'{t:.2f}' for t in times[key])} |")
    warm = {n: statistics.median(times[f"lb-{n}-warm"]) / floor for n in counts}
    verdict = ", ".join(f"{n}: {r:.2f}x" for n, r in warm.items())
    met = all(r <= 1.5 for r in warm.values())
    text = "\n".join([
        START,
        "## HA: Athens replicas behind the load balancer (bench/ha)",
        "",
        f"`make bench-ha` (bench/ha/run.sh: `--rounds N --clients N --replicas 1,2,3`; `--no-setup --keep` on a "
        f"running HA lab). {args.clients} builders at once (over the lab's {len(lab.group('builders'))} builder hosts, "
        f"each download with its own empty module cache) run `go mod download` of the fleet project "
        f"(lab/upstream/ha: {len(lab.fleet_modules())} required modules, about 20 MB of zips); wall time from the "
        f"first start to the last end, median of {args.rounds} interleaved rounds. Replicas out of service are in "
        f"MAINT (HAProxy runtime API); cold runs start from an empty bucket and redis. Measured "
        f"{time.strftime('%Y-%m-%d')} on {platform.platform()} ({os.cpu_count()} cores shared by the controller "
        f"and every lab host; other labs may have been running: load average {load} at the end).",
        "",
        *rows,
        "",
        f"Goal: a warm download through the load balancer within 1.5x of the static file server. Warm, x floor: "
        f"{verdict} ({'met' if met else 'NOT met'}).",
        "Upstream GETs per module version counts `.info`, `.mod` and `.zip` requests from the replicas: 3 means each "
        "file of each module version once, however many builders asked (single flight across replicas); "
        "checksum database GETs are Athens' own go command verifying what it fetched.",
        "",
        END,
    ])
    if args.no_doc:
        print(text)
        return
    doc = DOC.read_text()
    if START in doc:
        doc = doc[:doc.index(START)] + text + doc[doc.index(END) + len(END):]
    else:
        doc = doc.rstrip("\n") + "\n\n" + text + "\n"
    DOC.write_text(doc)
    print(text)


if __name__ == "__main__":
    main()
