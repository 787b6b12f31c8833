"""Benchmark of the fleet audit (make bench-audit): a 30-builder lab, 8 endpoints per builder.

Compares, on the same hosts and the same warm ssh connections (ControlPersist), median of N runs:
  ping      ansible-playbook ping.yml (one ansible.builtin.ping per host): the floor
  probe     ansible-playbook probe.yml (gomod.proxy.goproxy_probe per host, with and without become)
  playbook  playbooks/audit.yml (the audit role: the probe plus the report written on the controller)
  builtin   builtin.yml: the same facts task by task (command go env, wait_for, uri)
and the cost of one blackholed endpoint (an nftables DROP) for audit and builtin.
The lab is started with lab/labctl.py (as a molecule scenario would) and removed at the end.
Results go to the audit section of docs/benchmarks.md.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
EPHEMERAL = REPO / ".cache" / "bench-audit"
INVENTORY = EPHEMERAL / "inventory"
DOC = REPO / "docs" / "benchmarks.md"
START, END = "<!-- bench-audit:start -->", "<!-- bench-audit:end -->"


def env():
    e = dict(os.environ, MOLECULE_SCENARIO_NAME="bench_audit", MOLECULE_EPHEMERAL_DIRECTORY=str(EPHEMERAL),
             MOLECULE_INSTANCE_CONFIG=str(EPHEMERAL / "instance_config.yml"),
             ANSIBLE_CONFIG=str(REPO / "ansible.cfg"), ANSIBLE_COLLECTIONS_PATH=str(REPO / ".cache" / "collections"),
             ANSIBLE_HOST_KEY_CHECKING="False")
    return e


def run(cmd, check=True, quiet=True):
    start = time.monotonic()
    proc = subprocess.run(cmd, cwd=str(REPO), env=env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    seconds = time.monotonic() - start
    if check and proc.returncode != 0:
        sys.stderr.write(proc.stdout.decode(errors="replace")[-4000:])
        raise SystemExit("failed: %s" % " ".join(cmd))
    return seconds, proc


def platforms(count):
    hosts = [{"name": "upstream1", "groups": ["upstream"], "lab_upstream": True},
             {"name": "fixture", "groups": ["diag_fixture"]}]
    hosts += [{"name": "b%02d" % i, "groups": ["builders"], "lab_go": True} for i in range(1, count + 1)]
    return hosts


def write_inventory(hosts):
    import yaml
    instances = yaml.safe_load((EPHEMERAL / "instance_config.yml").read_text())
    address = dict((i["instance"], i["address"]) for i in instances)
    key = instances[0]["identity_file"]
    groups = {}
    for host in hosts:
        for group in host["groups"]:
            groups.setdefault(group, {"hosts": {}})["hosts"][host["name"]] = {"ansible_host": address[host["name"]]}
    inventory = {"all": {"children": groups, "vars": {
        "ansible_user": "root", "ansible_ssh_private_key_file": key,
        "ansible_ssh_common_args": "-o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no -o LogLevel=ERROR "
                                   "-o IdentitiesOnly=yes -o ControlMaster=auto -o ControlPersist=600s"}}}
    (INVENTORY / "hosts.yml").write_text(yaml.safe_dump(inventory, sort_keys=False))


def goproxy(upstream, blackhole):
    fixture = ["http://fixture.lab.test:%d" % p for p in (8081, 8082, 8083)]
    value = ",".join([upstream] + fixture)
    return ("http://fixture.lab.test:8084|" + value) if blackhole else value


def measure_interleaved(variants, runs):
    """{key: (median, times)}: every round runs each variant once, in a rotating order, so a change of
    the machine's load during the benchmark hits all variants alike."""
    times = dict((key, []) for key, _label, _cmd in variants)
    for round_no in range(runs):
        shift = round_no % len(variants)
        for key, _label, cmd in variants[shift:] + variants[:shift]:
            times[key].append(run(cmd)[0])
    results = {}
    for key, label, _cmd in variants:
        results[key] = (statistics.median(times[key]), times[key])
        print("%-24s median %6.2fs  runs %s" % (label, results[key][0], " ".join("%.2f" % t for t in times[key])), flush=True)
    return results


def playbook(path, *extra):
    return ["ansible-playbook", "-i", str(INVENTORY), str(path)] + list(extra)


def update_doc(text):
    DOC.parent.mkdir(parents=True, exist_ok=True)
    old = DOC.read_text() if DOC.exists() else "# Benchmarks\n\nOn-demand measurements; each section says how to repeat it.\n"
    section = "%s\n%s%s" % (START, text, END)
    if START in old and END in old:
        new = old[:old.index(START)] + section + old[old.index(END) + len(END):]
    else:
        new = old.rstrip() + "\n\n" + section + "\n"
    DOC.write_text(new)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hosts", type=int, default=30)
    parser.add_argument("--runs", type=int, default=7, help="rounds of the fast variants (ping, probe, playbook)")
    parser.add_argument("--slow-runs", type=int, default=3, help="rounds of the builtin-module variants")
    parser.add_argument("--timeout", type=int, default=5, help="goproxy_probe timeout and builtin timeouts")
    parser.add_argument("--keep", action="store_true", help="leave the lab running")
    parser.add_argument("--no-doc", action="store_true", help="do not write docs/benchmarks.md")
    args = parser.parse_args()
    hosts = platforms(args.hosts)
    EPHEMERAL.mkdir(parents=True, exist_ok=True)
    labctl = [sys.executable, str(REPO / "lab" / "labctl.py")]
    try:
        seconds = run(labctl + ["up", "--molecule", json.dumps(hosts)])[0]
        print("lab of %d hosts up in %.1fs" % (len(hosts), seconds), flush=True)
        write_inventory(hosts)
        import yaml
        lab = yaml.safe_load((INVENTORY / "lab.yml").read_text())["all"]["vars"]
        upstream = lab["lab_upstream_goproxy"]
        timeout = ["-e", "bench_timeout=%d" % args.timeout]
        healthy = ["-e", "bench_goproxy=%s" % goproxy(upstream, False)] + timeout
        blackholed = ["-e", "bench_goproxy=%s" % goproxy(upstream, True), "-e", "bench_user=builderbh"] + timeout
        run(playbook(HERE / "setup.yml", "-e", "bench_goproxy=%s" % goproxy(upstream, False),
                     "-e", "bench_goproxy_blackholed=%s" % goproxy(upstream, True)))
        run(playbook(HERE / "ping.yml"))  # warm the ssh masters for everyone
        report = EPHEMERAL / "report"
        fast = [
            ("ping", "ping (playbook)", playbook(HERE / "ping.yml")),
            ("adhoc_ping", "ping (ansible -m ping)", ["ansible", "-i", str(INVENTORY), "builders", "-m", "ansible.builtin.ping"]),
            ("audit", "probe", playbook(HERE / "probe.yml", *healthy)),
            ("audit_nobecome", "probe, no become", playbook(HERE / "probe.yml", "-e", "bench_become=false", *healthy)),
            ("playbook", "playbook", playbook(REPO / "playbooks" / "audit.yml", "-e", "gomod_audit_hosts=builders",
                                              "-e", '{"audit_users": ["builder"]}', "-e", "audit_probe_version=v0.21.0",
                                              "-e", "audit_fail_on=error", "-e", "audit_probe_direct=false",
                                              "-e", "audit_timeout=%d" % args.timeout,
                                              "-e", "audit_report_dir=%s" % report)),
            ("audit_blackhole", "probe, 1 blackholed", playbook(HERE / "probe.yml", *blackholed)),
        ]
        results = measure_interleaved(fast, args.runs)
        audit = json.loads((report / "goproxy-audit.json").read_text())
        endpoints = min(len(row) - 1 for row in audit["matrix"].values())
        states = audit["summary"]["states"]
        slow = [("builtin", "builtin", playbook(HERE / "builtin.yml", *healthy)),
                ("builtin_blackhole", "builtin, 1 blackholed", playbook(HERE / "builtin.yml", *blackholed))]
        results.update(measure_interleaved(slow, args.slow_runs))
    finally:
        if not args.keep:
            run(labctl + ["down", "--molecule"], check=False)
    floor = results["ping"][0]
    load = "load average %s at the end" % " ".join(open("/proc/loadavg").read().split()[:3])
    rows = [("ping playbook (floor)", "ping"), ("`ansible -m ping`", "adhoc_ping"), ("probe.yml (goproxy_probe)", "audit"),
            ("probe.yml without become (the lab's ssh user is root)", "audit_nobecome"),
            ("playbooks/audit.yml (probe + report)", "playbook"), ("builtin.yml (command, wait_for, uri)", "builtin"),
            ("probe.yml, 1 blackholed endpoint", "audit_blackhole"), ("builtin.yml, 1 blackholed endpoint", "builtin_blackhole")]
    setting = (args.hosts, endpoints, states, args.timeout, args.runs, args.slow_runs, load)
    lines = ["## Fleet audit (goproxy_probe)", "",
             "`make bench-audit` (bench/audit/run.sh: `--hosts N --runs N --slow-runs N --timeout S`). %d builders, "
             "%d endpoints each (4 proxies in GOPROXY: module `.info` and `/sumdb/sum.golang.org/supported` of each), "
             "all healthy (report: %s); warm ssh masters; forks 32; timeout %ds; median of %d interleaved rounds (%d "
             "for the builtin variants) on this machine (2 cores shared by the controller and every lab host; other "
             "labs may have been running: %s)." % setting, "",
             "| what | median s | x ping floor | runs (s) |", "| --- | ---: | ---: | --- |"]
    for label, key in rows:
        median, times = results[key]
        lines.append("| %s | %.2f | %.2f | %s |" % (label, median, median / floor, " ".join("%.2f" % t for t in times)))
    ratio = results["audit"][0] / floor
    whole = results["playbook"][0] / floor
    lines += ["", "Goal: a healthy audit costs at most 1.5x the ping floor. The probe of every host (probe.yml) measured "
              "%.2fx (%s); the whole playbooks/audit.yml, which adds the report on the controller and the summary/gate task, "
              "measured %.2fx (%s)." % (ratio, "met" if ratio <= 1.5 else "NOT met", whole,
                                        "met" if whole <= 1.5 else "NOT met"),
              "One blackholed endpoint adds %.2fs to the audit (the probes run in parallel: about one timeout) and "
              "%.2fs to the builtin tasks (each task waits its own timeout)." %
              (results["audit_blackhole"][0] - results["audit"][0], results["builtin_blackhole"][0] - results["builtin"][0]),
              ""]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_doc:
        update_doc(text)


if __name__ == "__main__":
    main()
