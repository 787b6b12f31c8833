"""Benchmark of the fleet audit and of site.yml at fleet size (make bench-audit): labs of 30 and 100 builders.

For each host count, one lab (lab/labctl.py, as a molecule scenario starts it, with its own unique names) of
N builders, the lab's upstream module proxy, a fixture host answering like healthy module proxies, and the
proxy and DNS hosts site.yml deploys. On the same hosts and the same warm ssh connections (ControlPersist),
every variant runs once per round, in a rotating order (so a change of the machine's load hits all alike),
and each figure is the median of the rounds:
  ping        ansible-playbook ping.yml (one ansible.builtin.ping per builder): the floor
  probe       probe.yml: goproxy_probe on every builder (8 endpoints each), nothing else
  audit       playbooks/audit.yml: the audit role (argument check, probe, report and gate on the controller)
  audit_before  the same playbook from the commit before issue 14 (the report as a module run on the controller)
and, at --detail-hosts only, what the whole audit is made of and what builtin modules cost for the same facts:
  adhoc_ping, probe_nobecome, validate_probe (the role's argument check + probe: --tags audit_probe),
  audit_argspec (audit_roles.yml: the same play with the role under `roles:`, so Ansible's own argument check
  runs on every host),
  probe_blackhole, builtin, builtin_blackhole (--slow-runs rounds).
Then site.yml: a first run (timed once) converges the lab (Athens, DNS, go_client for 2 users on every builder,
the audit); then --site-runs rounds of [ping of every host, site.yml rerun], the rerun checked changed=0.
Before each lab the machine's inotify instances and memory are checked; a count that does not fit is reported
and skipped, not forced. With --merge, the host counts of an earlier bench/results/audit.json that this run does not measure are kept
(so a count can be measured on its own, with fewer rounds). Results: bench/results/audit.json, the audit section of
docs/benchmarks.md and the plot
docs/images/benchmarks-hosts.png (bench/plot.sh).
"""

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
# BENCH_AUDIT_WORKDIR: another directory, hence another lab (its id hashes this path), e.g. to run a second host
# count next to a running bench.
EPHEMERAL = Path(os.environ.get("BENCH_AUDIT_WORKDIR") or REPO / ".cache" / "bench-audit").resolve()
INVENTORY = EPHEMERAL / "inventory"
SITE_INVENTORY = EPHEMERAL / "site-inventory"
BEFORE = REPO / ".cache" / "bench-before"  # the collection at BEFORE_COMMIT, for audit_before
BEFORE_COMMIT = "6ee1a95f3a93b6535b2eebcc18fb79034afabc88"
RESULTS = REPO / "bench" / "results" / "audit.json"
DOC = REPO / "docs" / "benchmarks.md"
START, END = "<!-- bench-audit:start -->", "<!-- bench-audit:end -->"
# What one lab host takes, measured on this machine (systemd, journald, logind, dbus, sshd in a container).
INOTIFY_PER_HOST = 9
MEMORY_PER_HOST = 64 * 1024 * 1024


def env(collections=None):
    return dict(os.environ, MOLECULE_SCENARIO_NAME="bench_audit", MOLECULE_EPHEMERAL_DIRECTORY=str(EPHEMERAL),
                MOLECULE_INSTANCE_CONFIG=str(EPHEMERAL / "instance_config.yml"),
                ANSIBLE_CONFIG=str(REPO / "ansible.cfg"),
                ANSIBLE_COLLECTIONS_PATH=collections or str(REPO / ".cache" / "collections"),
                ANSIBLE_HOST_KEY_CHECKING="False")


def run(cmd, check=True, collections=None):
    start = time.monotonic()
    proc = subprocess.run(cmd, cwd=str(REPO), env=env(collections), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          check=False)
    seconds = time.monotonic() - start
    if check and proc.returncode != 0:
        sys.stderr.write(proc.stdout.decode(errors="replace")[-6000:])
        raise SystemExit("failed: %s" % " ".join(str(c) for c in cmd))
    return seconds, proc


def controller_cpu():
    """CPU seconds (user + system) of every finished child process of this one: ansible-playbook, its workers,
    its ssh clients (the ControlPersist masters outlive the run and are not counted)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class HostsCpu(object):
    """CPU seconds the lab's containers used, from their cgroups (cpuacct.usage)."""

    def __init__(self):
        lab = json.loads((EPHEMERAL / "lab.json").read_text())["id"]  # this lab's containers only
        ids = subprocess.run(["podman", "ps", "--no-trunc", "--filter", "name=^%s-" % lab, "--format",
                              "{{.ID}}"], stdout=subprocess.PIPE, text=True, check=True).stdout.split()
        paths = []
        for cid in ids:
            cgroup = subprocess.run(["podman", "inspect", "--format", "{{.State.CgroupPath}}", cid],
                                    stdout=subprocess.PIPE, text=True, check=True).stdout.strip()
            path = "/sys/fs/cgroup/cpuacct%s/cpuacct.usage" % cgroup
            if os.path.exists(path):
                paths.append(path)
        self.paths = paths

    def seconds(self):
        total = 0
        for path in self.paths:
            try:
                with open(path) as f:
                    total += int(f.read())
            except (OSError, ValueError):
                pass
        return total / 1e9


def load():
    return float(open("/proc/loadavg").read().split()[0])


def platforms(count, site):
    hosts = [{"name": "upstream1", "groups": ["upstream"], "lab_upstream": True},
             {"name": "fixture", "groups": ["diag_fixture"]}]
    if site:
        hosts += [{"name": "proxy1", "groups": ["goproxy"]}, {"name": "dns1", "groups": ["dns"]}]
    hosts += [{"name": "b%03d" % i, "groups": ["builders"], "lab_go": True} for i in range(1, count + 1)]
    return hosts


def inotify_in_use():
    count = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            for fd in os.listdir("/proc/%s/fd" % pid):
                if os.readlink("/proc/%s/fd/%s" % (pid, fd)) == "anon_inode:inotify":
                    count += 1
        except OSError:
            continue
    return count


def room_for(hosts):
    """None when the machine can start this many more lab hosts, else why not (the limit that stops it)."""
    limit = int(open("/proc/sys/fs/inotify/max_user_instances").read())
    used = inotify_in_use()
    if used + hosts * INOTIFY_PER_HOST > limit:
        return ("fs.inotify.max_user_instances: %d in use of %d, %d hosts need about %d more (systemd, journald, "
                "logind, dbus and sshd in each container)" % (used, limit, hosts, hosts * INOTIFY_PER_HOST))
    available = next(int(line.split()[1]) * 1024 for line in open("/proc/meminfo") if line.startswith("MemAvailable:"))
    if hosts * MEMORY_PER_HOST > available - 2 * 1024 ** 3:
        return "memory: %d MiB available, %d hosts need about %d MiB" % (
            available >> 20, hosts, hosts * MEMORY_PER_HOST >> 20)
    return None


def write_inventories(hosts):
    """The bench inventory (groups, warm ssh masters) and the site inventory: the same hosts with the static lab's
    group_vars (what site.yml deploys), minus what describes the static lab itself."""
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
    if SITE_INVENTORY.exists():
        shutil.rmtree(str(SITE_INVENTORY))
    (SITE_INVENTORY / "group_vars").mkdir(parents=True)
    shutil.copy(str(INVENTORY / "hosts.yml"), str(SITE_INVENTORY / "hosts.yml"))
    shutil.copy(str(INVENTORY / "lab.yml"), str(SITE_INVENTORY / "lab.yml"))
    static = REPO / "inventories" / "lab" / "group_vars"
    common = yaml.safe_load((static / "all.yml").read_text())
    keep = dict((k, v) for k, v in common.items()
                if not k.startswith(("ansible_", "lab_")) or k in ("lab_go_version", "lab_go_archive_url"))
    (SITE_INVENTORY / "group_vars" / "all.yml").write_text(yaml.safe_dump(keep, sort_keys=False))
    for name in ("builders.yml", "goproxy.yml"):
        shutil.copy(str(static / name), str(SITE_INVENTORY / "group_vars" / name))


def before_collection():
    """The collection at BEFORE_COMMIT, extracted once, as a collections path to put first."""
    target = BEFORE / "ansible_collections" / "gomod" / "proxy"
    stamp = BEFORE / "commit"
    if not (stamp.exists() and stamp.read_text() == BEFORE_COMMIT):
        shutil.rmtree(str(BEFORE), ignore_errors=True)
        target.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(REPO), "archive", BEFORE_COMMIT], stdout=subprocess.PIPE,
                                 check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
        stamp.write_text(BEFORE_COMMIT)
    return "%s:%s" % (BEFORE, REPO / ".cache" / "collections")


def goproxy(upstream, blackhole):
    fixture = ["http://fixture.lab.test:%d" % p for p in (8081, 8082, 8083)]
    value = ",".join([upstream] + fixture)
    return ("http://fixture.lab.test:8084|" + value) if blackhole else value


def measure_interleaved(variants, runs, loads, cpu, hosts_cpu, controller):
    """{key: [seconds per round]}: every round runs each variant once, in a rotating order. ``cpu`` gets
    {key: [CPU seconds of the controller and of the lab hosts per round]}, ``controller`` {key: [the controller's
    share]}."""
    times = dict((v[0], []) for v in variants)
    for round_no in range(runs):
        shift = round_no % len(variants)
        for key, label, cmd, collections, check_changed in variants[shift:] + variants[:shift]:
            before = (controller_cpu(), hosts_cpu.seconds())
            seconds, proc = run(cmd, collections=collections)
            cpu.setdefault(key, []).append(round(controller_cpu() - before[0] + hosts_cpu.seconds() - before[1], 3))
            controller.setdefault(key, []).append(round(controller_cpu() - before[0], 3))
            if check_changed:
                recap = proc.stdout.decode(errors="replace").rpartition("PLAY RECAP")[2]
                changed = sum(int(n) for n in re.findall(r"changed=(\d+)", recap))
                if changed:
                    raise SystemExit("%s: the rerun reported %d changes, expected none" % (label, changed))
            times[key].append(seconds)
        loads.append(load())
    for key, label, _cmd, _c, _x in variants:
        print("%-28s median %6.2fs  cpu %6.2fs  runs %s" % (
            label, statistics.median(times[key]), statistics.median(cpu[key]), " ".join("%.2f" % t for t in times[key])),
            flush=True)
    return times


def playbook(path, *extra, inventory=INVENTORY):
    return ["ansible-playbook", "-i", str(inventory), str(path)] + list(extra)


def audit_args(timeout, report):
    # audit_hosts: the name the playbook at BEFORE_COMMIT reads (gomod_audit_hosts since issue 12)
    return ["-e", "gomod_audit_hosts=builders", "-e", "audit_hosts=builders", "-e", '{"audit_users": ["builder"]}', "-e", "audit_probe_version=v0.21.0",
            "-e", "audit_fail_on=error", "-e", "audit_probe_direct=false", "-e", "audit_timeout=%d" % timeout,
            "-e", "audit_report_dir=%s" % report]


def bench_lab(count, args, loads):
    """Every variant on a lab of ``count`` builders: {variant: [seconds]} plus facts about the run."""
    hosts = platforms(count, args.site)
    EPHEMERAL.mkdir(parents=True, exist_ok=True)
    labctl = [sys.executable, str(REPO / "lab" / "labctl.py")]
    detail = count in args.detail_hosts
    times, facts, cpu, controller = {}, {}, {}, {}
    try:
        # A lab kept by --keep with other hosts (--no-site has no proxy and DNS hosts) would collide on addresses.
        run(labctl + ["down", "--molecule"], check=False)
        seconds = run(labctl + ["up", "--molecule", json.dumps(hosts)])[0]
        print("lab of %d hosts up in %.1fs (load %.1f)" % (len(hosts), seconds, load()), flush=True)
        write_inventories(hosts)
        import yaml
        lab = yaml.safe_load((INVENTORY / "lab.yml").read_text())["all"]["vars"]
        upstream = lab["lab_upstream_goproxy"]
        timeout = ["-e", "bench_timeout=%d" % args.timeout]
        healthy = ["-e", "bench_goproxy=%s" % goproxy(upstream, False)] + timeout
        blackholed = ["-e", "bench_goproxy=%s" % goproxy(upstream, True), "-e", "bench_user=builderbh"] + timeout
        run(playbook(HERE / "setup.yml", "-e", "bench_goproxy=%s" % goproxy(upstream, False),
                     "-e", "bench_goproxy_blackholed=%s" % goproxy(upstream, True)))
        run(playbook(HERE / "ping.yml"))  # warm the ssh masters for everyone
        hosts_cpu = HostsCpu()
        report = EPHEMERAL / "report"
        before = before_collection()
        fast = [
            ("ping", "ping (playbook)", playbook(HERE / "ping.yml"), None, False),
            ("probe", "probe.yml", playbook(HERE / "probe.yml", *healthy), None, False),
            ("audit", "playbooks/audit.yml", playbook(REPO / "playbooks" / "audit.yml", *audit_args(args.timeout, report)),
             None, False),
            ("audit_before", "audit.yml before issue 14",
             playbook(BEFORE / "ansible_collections/gomod/proxy/playbooks/audit.yml",
                      *audit_args(args.timeout, EPHEMERAL / "report-before")), before, False),
        ]
        if detail:
            fast += [
                ("adhoc_ping", "ansible -m ping", ["ansible", "-i", str(INVENTORY), "builders", "-m", "ansible.builtin.ping"],
                 None, False),
                ("probe_nobecome", "probe.yml, no become", playbook(HERE / "probe.yml", "-e", "bench_become=false", *healthy),
                 None, False),
                ("audit_argspec", "audit.yml, Ansible's own check",
                 playbook(HERE / "audit_roles.yml", *audit_args(args.timeout, EPHEMERAL / "report-argspec")), None, False),
                ("validate_probe", "audit.yml --tags audit_probe",
                 playbook(REPO / "playbooks" / "audit.yml", "--tags", "audit_probe", *audit_args(args.timeout, report)),
                 None, False),
                ("probe_blackhole", "probe.yml, 1 blackholed", playbook(HERE / "probe.yml", *blackholed), None, False),
            ]
        times.update(measure_interleaved(fast, args.runs, loads, cpu, hosts_cpu, controller))
        audit = json.loads((report / "goproxy-audit.json").read_text())
        facts["endpoints"] = min(len(row) - 1 for row in audit["matrix"].values())
        facts["states"] = audit["summary"]["states"]
        if detail and args.slow_runs:
            slow = [("builtin", "builtin.yml", playbook(HERE / "builtin.yml", *healthy), None, False),
                    ("builtin_blackhole", "builtin.yml, 1 blackholed", playbook(HERE / "builtin.yml", *blackholed),
                     None, False)]
            times.update(measure_interleaved(slow, args.slow_runs, loads, cpu, hosts_cpu, controller))
        if args.site:
            site = playbook(REPO / "site.yml", "-e", "audit_report_dir=%s" % (EPHEMERAL / "report-site"),
                            inventory=SITE_INVENTORY)
            seconds, _proc = run(site)
            times["site_first"] = [seconds]
            print("site.yml first run (converges the lab) %.1fs" % seconds, flush=True)
            run(playbook(HERE / "ping.yml", "-e", "bench_hosts=all", inventory=SITE_INVENTORY))
            rounds = [("ping_all", "ping of every host", playbook(HERE / "ping.yml", "-e", "bench_hosts=all",
                                                                  inventory=SITE_INVENTORY), None, False),
                      ("site", "site.yml rerun (changed=0)", site, None, True)]
            times.update(measure_interleaved(rounds, args.site_runs, loads, cpu, hosts_cpu, controller))
    finally:
        if not args.keep:
            run(labctl + ["down", "--molecule"], check=False)
    return times, facts, cpu, controller


ROWS = [  # (variant, label, floor variant)
    ("ping", "ping playbook (floor)", "ping"),
    ("adhoc_ping", "`ansible -m ping`", "ping"),
    ("probe", "probe.yml (goproxy_probe alone)", "ping"),
    ("probe_nobecome", "probe.yml without become (the lab's ssh user is root)", "ping"),
    ("validate_probe", "audit.yml --tags audit_probe (the role's argument check of every host at once + the probe)",
     "ping"),
    ("audit", "**playbooks/audit.yml** (argument check once, probe, report and gate)", "ping"),
    ("audit_argspec", "playbooks/audit.yml with Ansible's own argument check on every host (the role under `roles:`)",
     "ping"),
    ("audit_before", "playbooks/audit.yml before issue 14 (the report a module run)", "ping"),
    ("probe_blackhole", "probe.yml, 1 blackholed endpoint", "ping"),
    ("builtin", "builtin.yml (command, wait_for, uri)", "ping"),
    ("builtin_blackhole", "builtin.yml, 1 blackholed endpoint", "ping"),
    ("ping_all", "ping of every lab host (floor of site.yml)", "ping_all"),
    ("site", "**site.yml**, converged rerun (changed=0)", "ping_all"),
    ("site_first", "site.yml, first run on the fresh lab (once)", "ping_all"),
]


def summary_rows(results):
    rows = []
    for count, data in sorted(results.items()):
        times, cpu = data["times"], data["cpu"]
        for variant, label, floor in ROWS:
            if variant in times and floor in times:
                median = statistics.median(times[variant])
                row = {"hosts": count, "variant": variant, "label": label, "median": median,
                       "ratio": median / statistics.median(times[floor]), "runs": times[variant]}
                if variant in cpu and floor in cpu:
                    row["cpu"] = statistics.median(cpu[variant])
                    row["cpu_ratio"] = row["cpu"] / statistics.median(cpu[floor])
                controller = data.get("controller_cpu") or {}  # measured since 2026-12-01 (afternoon)
                if variant in controller and floor in controller:
                    row["controller_cpu"] = statistics.median(controller[variant])
                    row["controller_cpu_ratio"] = row["controller_cpu"] / statistics.median(controller[floor])
                rows.append(row)
    return rows


def doc_text(results, rows, args, skipped, loads):
    lines = ["## Fleet audit and site.yml at %s hosts" % " and ".join(str(c) for c in sorted(results) or args.hosts), "",
             "Each host count is its own lab (unique names, started by lab/labctl.py like a molecule"
             " scenario): N builders, the lab's upstream module proxy, a fixture host answering like three healthy"
             " module proxies, and the proxy and DNS hosts site.yml deploys. Each builder's build user has 4 proxies"
             " in GOPROXY: 8 endpoints (module `.info` and `/sumdb/sum.golang.org/supported` of each). Warm ssh"
             " masters, forks 32. Every figure is the median of interleaved rounds (every variant"
             " once per round, rotating order) and its ratio to the floor measured in the same rounds. The machine:"
             " 2 cores shared by the controller and every lab host, and by other work (load average %.1f to %.1f during"
             " the runs). Raw times: bench/results/audit.json. `make bench-audit` runs `--hosts 30,100` with the"
             " defaults; the figures below come from:" % (min(loads), max(loads)), ""]
    for count, data in sorted(results.items()):
        params = data.get("params")
        if params:
            lines.append("- %d hosts, %s, load average %.1f to %.1f: `bench/audit/run.sh --hosts %d --runs %d"
                         " --slow-runs %d --site-runs %d --timeout %d%s`%s" % (
                             count, data["date"], data["loads"][0], data["loads"][1], count, params["runs"],
                             params["slow_runs"], params["site_runs"], params["timeout"],
                             "" if params["site_runs"] else " --no-site",
                             (". " + data["note"]) if data.get("note") else ""))
    lines.append("")
    for reason in skipped:
        lines += ["**Not measured:** %s" % reason, ""]
    lines += ["Wall time is what the goals are about. CPU is the CPU seconds the run used on the controller and in"
              " the lab's containers (their cgroups): the work itself, which the load of other jobs does not change;"
              " on an idle machine with 2 cores the wall time cannot be lower than about half of it."
              " Controller CPU is the controller's share alone (ansible-playbook, its workers, its ssh clients). Here the"
              " lab hosts run their modules on the controller's 2 cores; on a fleet each host runs its module on its"
              " own CPU, in parallel, and the controller's CPU is what bounds the wall time of a large audit.", "",
              "| hosts | what | median s | x floor | CPU s | CPU x floor | controller CPU s | controller CPU x floor"
              " | runs (s) |",
              "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for row in rows:
        cpu = ("%.2f | %.2f" % (row["cpu"], row["cpu_ratio"])) if "cpu" in row else "- | -"
        ctl = ("%.2f | %.2f" % (row["controller_cpu"], row["controller_cpu_ratio"])) if "controller_cpu" in row else "- | -"
        lines.append("| %d | %s | %.2f | %.2f | %s | %s | %s |" % (
            row["hosts"], row["label"], row["median"], row["ratio"], cpu, ctl, " ".join("%.2f" % t for t in row["runs"])))
    lines += ["", "Goals (issue 14):", ""]
    for row in rows:
        if row["variant"] == "audit" and row["hosts"] == 30:
            lines.append("- the whole playbooks/audit.yml at 30 hosts within 1.3x the ping floor: %.2fx, %s"
                         % (row["ratio"], "met" if row["ratio"] <= 1.3 else "**NOT met**"))
            if "controller_cpu" in row:
                lines.append("- the same on the controller alone (what bounds the audit of a fleet whose hosts have"
                             " their own CPUs): %.2fx the ping's controller CPU" % row["controller_cpu_ratio"])
    for row in rows:
        if row["variant"] in ("audit", "site") and row["hosts"] != 30:
            lines.append("- %d hosts: %s %.2fx its floor (measured and published)" % (row["hosts"], row["label"], row["ratio"]))
    for count, data in sorted(results.items()):
        if data["facts"].get("states"):
            lines.append("- %d hosts: every builder audited (report states %s, %d endpoints each)"
                         % (count, data["facts"]["states"], data["facts"]["endpoints"]))
    lines += ["", "![Seconds per whole playbook against hosts](images/benchmarks-hosts.png)", ""]
    return "\n".join(lines) + "\n"


def update_doc(text):
    old = DOC.read_text() if DOC.exists() else "# Benchmarks\n\nOn-demand measurements; each section says how to repeat it.\n"
    section = "%s\n%s%s" % (START, text, END)
    if START in old and END in old:
        new = old[:old.index(START)] + section + old[old.index(END) + len(END):]
    else:
        new = old.rstrip() + "\n\n" + section + "\n"
    DOC.write_text(new)


def keep_variants(new, old):
    """--merge for a host count measured again: the variants of the earlier run ``old`` that this run ``new`` did not
    measure (for example site.yml, with --no-site) are kept, and the doc says from which run they come."""
    kept = sorted(k for k in old["times"] if k not in new["times"])
    for key in kept:
        for field in ("times", "cpu", "controller_cpu"):
            if key in (old.get(field) or {}):
                new.setdefault(field, {})[key] = old[field][key]
    if kept:
        params = old.get("params") or {}
        new["note"] = "%s: from the run of %s (`--runs %s --slow-runs %s --site-runs %s`)" % (
            ", ".join(kept), old.get("date", "?"), params.get("runs", "?"), params.get("slow_runs", "?"),
            params.get("site_runs", "?"))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hosts", default="30,100", help="builder counts, one lab each (default 30,100)")
    parser.add_argument("--runs", type=int, default=7, help="rounds of the fast variants")
    parser.add_argument("--slow-runs", type=int, default=3, help="rounds of the builtin-module variants (0: skip)")
    parser.add_argument("--detail-hosts", default="30", help="host counts that also run the detail variants")
    parser.add_argument("--site-runs", type=int, default=3, help="rounds of site.yml reruns")
    parser.add_argument("--no-site", dest="site", action="store_false", help="skip site.yml")
    parser.add_argument("--timeout", type=int, default=5, help="goproxy_probe timeout and builtin timeouts")
    parser.add_argument("--keep", action="store_true", help="leave the last lab running")
    parser.add_argument("--merge", action="store_true",
                        help="keep the other host counts of bench/results/audit.json, and the variants of a host count"
                             " this run does not measure (with --hosts '': only rewrite the doc and the plot)")
    parser.add_argument("--no-doc", action="store_true", help="write no docs, results or plot")
    args = parser.parse_args()
    args.hosts = [int(h) for h in args.hosts.split(",") if h]  # none with --merge: redraw docs from the results
    args.detail_hosts = [int(h) for h in args.detail_hosts.split(",") if h]
    results, skipped, loads = {}, [], ([load()] if args.hosts else [])  # redrawing: only the measured loads
    for count in args.hosts:
        reason = room_for(count + (4 if args.site else 2))
        if reason:
            skipped.append("%d hosts: %s" % (count, reason))
            print("skipping %d hosts: %s" % (count, reason), flush=True)
            continue
        times, facts, cpu, controller = bench_lab(count, args, loads)
        results[count] = {"times": times, "facts": facts, "cpu": cpu, "controller_cpu": controller, "date": time.strftime("%Y-%m-%d %H:%M"),
                          "loads": [min(loads), max(loads)],
                          "params": {"runs": args.runs, "slow_runs": args.slow_runs if count in args.detail_hosts else 0,
                                     "site_runs": args.site_runs if args.site else 0, "timeout": args.timeout}}
    if args.merge and RESULTS.exists():
        earlier = json.loads(RESULTS.read_text())
        for count, data in earlier["raw"].items():
            if int(count) not in results:
                results[int(count)] = data
            else:
                keep_variants(results[int(count)], data)
        skipped += [reason for reason in earlier.get("skipped", []) if int(reason.split()[0]) not in results]
        loads += earlier.get("loads", [])
    rows = summary_rows(results)
    text = doc_text(results, rows, args, skipped, loads)
    print(text)
    if args.no_doc:
        return
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"date": time.strftime("%Y-%m-%d"), "loads": loads, "skipped": skipped,
                                   "raw": results, "summary": {"rows": rows}}, indent=1, sort_keys=True))
    update_doc(text)
    subprocess.run([str(REPO / "bench" / "plot.sh")], check=True)


if __name__ == "__main__":
    main()
