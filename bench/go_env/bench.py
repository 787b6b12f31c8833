"""go_env at fleet size: one execution for all users against a loop of go_env, lineinfile loops and `go env -w`
as each user, for 1, 20 and 200 users x 6 keys; and the go_client role for 20 users, as it is and as it was
before go_env took ``users``. Whole ansible-playbook runs on the local connection.

Every figure is a ratio to a floor measured in the same run: a playbook with one trivial task
(ansible.builtin.ping). Each round runs the floor and every method once, in a rotating order, so a change in the
machine's load hits all of them alike; a method's figure is the median of its rounds. A method run is: remove
every bench user's go config, time a first run, then time a rerun (which must report changed=0, except for
`go env -w`, which cannot tell). Methods whose single run takes over a minute (lineinfile at 200 users) run
only in the first --slow-reps rounds. At the end every method must have left the same settings for every user.

Results: bench/results/go_env.json (raw times), the go_env section of docs/benchmarks.md, and the plot
docs/images/benchmarks-users.png (bench/plot.sh).

Usage (root, from `make bench-go-env`): bench.py [--users 1,20,200] [--reps 5] [--slow-reps 1]
[--skip METHOD:USERS,...] [--no-doc]
"""

import argparse
import json
import os
import platform
import pwd
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
RESULTS = os.path.join(REPO, "bench", "results", "go_env.json")
DOC = os.path.join(REPO, "docs", "benchmarks.md")
MARK_START = "<!-- bench:go_env:start -->"
MARK_END = "<!-- bench:go_env:end -->"
# The go_client role before go_env took users (the commit this work started from): one go_env run per user.
ROLE_BEFORE_COMMIT = "6ee1a95f3a93b6535b2eebcc18fb79034afabc88"
SLOW = 60.0  # seconds: a method run slower than this only repeats in the first --slow-reps rounds

# key: (label, playbook, extra vars, what it runs, sizes it runs at (None: all), reruns report changes)
METHODS = {
    "go_env_users": ("go_env, users (one execution)", "go_env_users.yml", {}, "1 task, 1 execution", None, False),
    "go_env_loop": ("go_env, loop of user", "go_env.yml", {}, "1 task x N users", None, False),
    "lineinfile": ("lineinfile", "lineinfile.yml", {}, "N dirs + 6N lineinfile", None, False),
    "go_env_w": ("go env -w as each user", "go_env_w.yml", {}, "1 command x N users (su)", None, True),
    "go_client": ("go_client role", "go_client.yml", {"bench_role": "gomod.proxy.go_client"},
                  "the role: go_env once for all users", (20,), False),
    "go_client_before": ("go_client role, before", "go_client.yml", {"bench_role": "go_client_before"},
                         "the role as it was: go_env per user", (20,), False),
}


def user_names(count):
    return ["gmbench%03d" % i for i in range(1, count + 1)]


def ensure_users(names):
    for name in names:
        try:
            pwd.getpwnam(name)
        except KeyError:
            subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", name], check=True)


def remove_users(names):
    for name in names:
        subprocess.run(["userdel", "--force", "--remove", name], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=False)


def reset_state(names):
    for name in names:
        shutil.rmtree(os.path.join("/home", name, ".config"), ignore_errors=True)


def load():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def run_playbook(playbook, extra_vars, env):
    """(seconds, total changed in the PLAY RECAP) of one ansible-playbook run; exits on failure."""
    cmd = ["ansible-playbook", "-i", "localhost,", "-c", "local", os.path.join(HERE, playbook)]
    for item in extra_vars:
        cmd += ["-e", item]
    start = time.monotonic()
    proc = subprocess.run(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          check=False)
    elapsed = time.monotonic() - start
    if proc.returncode != 0:
        sys.exit("%s failed:\n%s" % (playbook, proc.stdout[-4000:]))
    recap = proc.stdout.rpartition("PLAY RECAP")[2]
    changed = sum(int(n) for n in re.findall(r"changed=(\d+)", recap))
    return elapsed, changed


def settings_of(names):
    sys.path.insert(0, os.path.join(REPO, ".cache", "collections"))
    from ansible_collections.gomod.proxy.plugins.module_utils._goenv.file import parse  # noqa: E402
    out = {}
    for name in names:
        with open(os.path.join("/home", name, ".config", "go", "env"), "rb") as f:
            out[name] = parse(f.read())
    return out


def role_before(workdir):
    """roles/go_client at ROLE_BEFORE_COMMIT as the role go_client_before, in a roles directory of workdir."""
    roles = os.path.join(workdir, "roles")
    os.makedirs(roles)
    archive = subprocess.run(["git", "-C", REPO, "archive", ROLE_BEFORE_COMMIT, "roles/go_client"],
                             stdout=subprocess.PIPE, check=True).stdout
    subprocess.run(["tar", "-x", "-C", workdir], input=archive, check=True)
    os.rename(os.path.join(workdir, "roles", "go_client"), os.path.join(roles, "go_client_before"))
    return roles


def measure(sizes, reps, slow_reps, env, workdir, skip=()):
    """{"floor": [s...], "sizes": {N: {method: {"first": [...], "rerun": [...], "changed": [...]}}}, "load": [...]}"""
    data = {"floor": [], "load": [load()], "sizes": dict((n, {}) for n in sizes), "settings": {}}
    for round_no in range(reps):
        jobs = [("floor", None)] + [(m, n) for n in sizes for m, spec in METHODS.items()
                                    if (spec[4] is None or n in spec[4]) and (m, n) not in skip]
        shift = round_no % len(jobs)
        for method, n in jobs[shift:] + jobs[:shift]:
            if method == "floor":
                data["floor"].append(run_playbook("floor.yml", [], env)[0])
                continue
            label, playbook, extra, _what, _sizes, _changes = METHODS[method]
            runs = data["sizes"][n].setdefault(method, {"first": [], "rerun": [], "changed": []})
            if round_no >= slow_reps and runs["first"] and max(runs["first"]) > SLOW:
                continue
            names = user_names(n)
            users_file = os.path.join(workdir, "users-%d.json" % n)
            extra_vars = ["@" + users_file] + ["%s=%s" % kv for kv in extra.items()]
            reset_state(names)
            first = run_playbook(playbook, extra_vars, env)[0]
            again, changed = run_playbook(playbook, extra_vars, env)
            runs["first"].append(first)
            runs["rerun"].append(again)
            runs["changed"].append(changed)
            data["settings"].setdefault(str(n), {})[method] = settings_of(names)
            print("round %d  %3d users  %-32s first %6.2fs  rerun %6.2fs  changed %d  (load %.1f)"
                  % (round_no + 1, n, label, first, again, changed, load()), flush=True)
        data["load"].append(load())
    return data


def check_same_settings(data):
    for n, by_method in data.pop("settings").items():
        reference = by_method["go_env_users"]
        for method, got in by_method.items():
            if got != reference:
                sys.exit("%s left other settings than go_env with users for %s users" % (method, n))


def summarize(data):
    """Medians and ratios: {"floor": s, "rows": [{n, method, first, rerun, ...}], "load": [min, max]}."""
    floor = statistics.median(data["floor"])
    rows = []
    for n, by_method in sorted(data["sizes"].items()):
        for method, runs in by_method.items():
            rows.append({"users": n, "method": method, "first": statistics.median(runs["first"]),
                         "rerun": statistics.median(runs["rerun"]), "changed": max(runs["changed"]),
                         "runs": len(runs["first"])})
    return {"floor": floor, "rows": rows, "load": [min(data["load"]), max(data["load"])]}


def _row(summary, n, method):
    return next((r for r in summary["rows"] if r["users"] == n and r["method"] == method), None)


def verdicts(summary):
    """The issue's goals, each (text, met)."""
    floor = summary["floor"]
    out = []
    one, lines = _row(summary, 20, "go_env_users"), _row(summary, 20, "lineinfile")
    if one:
        out.append(("20 users x 6 keys, one go_env execution: whole playbook %.2fx the floor (goal <= 2x)"
                    % (one["first"] / floor), one["first"] / floor <= 2.0))
        out.append(("rerun reports changed=%d (goal 0)" % one["changed"], one["changed"] == 0))
    if one and lines:
        out.append(("%.1fx faster than lineinfile (goal >= 15x)" % (lines["first"] / one["first"]),
                    lines["first"] / one["first"] >= 15))
    big = _row(summary, 200, "go_env_users")
    if one and big:
        per20 = (one["first"] - floor) / 20
        per200 = (big["first"] - floor) / 200
        out.append(("200 users: %.1f ms per user above the floor, %.1f ms at 20 users (goal: linear or better, "
                    "i.e. not more per user)" % (per200 * 1000, per20 * 1000), per200 <= per20 * 1.1))
    return out


def per_execution(summary):
    """', %.2f s in this run (the loop of go_env at 20 users, less the floor, per user)' or ''."""
    loop = _row(summary, 20, "go_env_loop")
    if not loop:
        return ""
    return ", %.2f s in this run (the loop of go_env at 20 users, less the floor, per user)" % (
        (loop["first"] - summary["floor"]) / 20)


def per_user(summary, n):
    """' (%.0f ms in this run at n users)' or ''."""
    row = _row(summary, n, "go_env_users")
    return " (%.0f ms in this run at %d users)" % ((row["first"] - summary["floor"]) / n * 1000, n) if row else ""


def write_docs(summary, reps, slow_reps, sizes, skip=()):
    floor = summary["floor"]
    lines = [
        MARK_START,
        "## go_env at fleet size: 1, 20 and 200 users x 6 keys",
        "",
        "`bench/go_env/run.sh --users %s --reps %d --slow-reps %d%s` (`make bench-go-env` runs it without options)."
        " Whole `ansible-playbook`"
        " runs on the local connection, measured %s on %s (%d cores, shared), load average %.1f to %.1f during the"
        " run. Each figure is the median of %d interleaved rounds (the floor and every method once per round, in a"
        " rotating order); a method whose run takes over a minute ran in the first %d round(s) only (the runs"
        " column). Floor: a playbook with one `ansible.builtin.ping` task, **%.2f s**. A method run removes every"
        " user's go config, times the first run, then the rerun. All methods end with the same settings for every"
        " user (checked). Raw times: bench/results/go_env.json."
        % (",".join(str(n) for n in sizes), reps, slow_reps,
           (" --skip " + ",".join("%s:%d" % k for k in sorted(skip))) if skip else "", time.strftime("%Y-%m-%d"),
           platform.platform(terse=True), os.cpu_count(),
           summary["load"][0], summary["load"][1], reps, slow_reps, floor),
        "",
        "| users | method | what runs | first run s | x floor | rerun s | x floor | changed on rerun | runs |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        for row in (r for r in summary["rows"] if r["users"] == n):
            label, _pb, _extra, what, _sizes, _changes = METHODS[row["method"]]
            lines.append("| %d | %s | %s | %.2f | %.2f | %.2f | %.2f | %d | %d |" % (
                row["users"], label, what, row["first"], row["first"] / floor, row["rerun"], row["rerun"] / floor,
                row["changed"], row["runs"]))
        for method in sorted(m for m, count in skip if count == n):
            lines.append("| %d | %s | not measured (`--skip %s:%d`) | | | | | | 0 |" % (n, METHODS[method][0], method, n))
    for method, n in sorted(skip):
        small = _row(summary, 20, method)
        if small:
            lines += ["", "Not measured: %s at %d users. At this run's cost at 20 users (%.1f s above the floor) it"
                      " would take about %.0f minutes per run, a first run and a rerun per round."
                      % (METHODS[method][0], n, small["first"] - floor, (small["first"] - floor) * n / 20 / 60)]
    lines += ["", "Goals (issue 14):", ""]
    lines += ["- %s: %s" % (text, "met" if met else "**NOT met**") for text, met in verdicts(summary)]
    lines += [
        "",
        "![Seconds per whole playbook against users](images/benchmarks-users.png)",
        "",
        "Why: on the local connection every module execution costs about 0.2 s on an idle machine (a Python process,",
        "the module and its module_utils compiled from the AnsiballZ zip), whatever the module does%s. A loop pays"
        " that per user," % per_execution(summary),
        "lineinfile per key and per directory; go_env with `users` pays it once and then a few ms per user%s" % (
            per_user(summary, max(sizes))),
        "(a child process per user with that user's rights to plan, and one more to write when the file changes).",
        "`go env -w` cannot report whether it changed anything, so its rerun rewrites every file and reports N",
        "changes; it also needs Go on the host and cannot run in check mode. The go_client rows run the whole role",
        "(argument check, preflight, users, settings, conflicts; the proof download off).",
        "",
        "Repeat: `make bench-go-env` (root; creates and removes users gmbench001..%03d)." % max(sizes),
        MARK_END,
    ]
    text = open(DOC).read() if os.path.exists(DOC) else "# Benchmarks\n\nOn-demand measurements; each section says how to repeat it.\n"
    block = "\n".join(lines)
    if MARK_START in text:
        before, rest = text.split(MARK_START, 1)
        text = before + block + rest.split(MARK_END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    with open(DOC, "w") as f:
        f.write(text)
    print("wrote", DOC)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--users", default="1,20,200", help="comma-separated user counts")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--slow-reps", type=int, default=1)
    ap.add_argument("--skip", default="", help="METHOD:USERS,... not to run, e.g. lineinfile:200 (1400 module executions "
                    "of about 0.2 s each on an idle machine: minutes per run, far more under load)")
    ap.add_argument("--no-doc", action="store_true", help="do not write docs/benchmarks.md, the results or the plot")
    args = ap.parse_args()
    sizes = sorted(int(n) for n in args.users.split(","))
    skip = set()
    for item in filter(None, args.skip.split(",")):
        method, _sep, count = item.partition(":")
        if method not in METHODS or not count.isdigit():
            ap.error("--skip wants METHOD:USERS with METHOD one of %s" % ", ".join(METHODS))
        skip.add((method, int(count)))
    workdir = tempfile.mkdtemp(prefix="gomod-bench-go-env-")
    env = dict(os.environ, ANSIBLE_ROLES_PATH=role_before(workdir))
    names = user_names(max(sizes))
    ensure_users(names)
    try:
        for n in sizes:
            with open(os.path.join(workdir, "users-%d.json" % n), "w") as f:
                json.dump({"bench_users": user_names(n)}, f)
        data = measure(sizes, args.reps, args.slow_reps, env, workdir, skip)
    finally:
        reset_state(names)
        remove_users(names)
        shutil.rmtree(workdir, ignore_errors=True)
    check_same_settings(data)
    summary = summarize(data)
    for text, met in verdicts(summary):
        print("%s: %s" % (text, "met" if met else "NOT met"))
    if args.no_doc:
        return
    os.makedirs(os.path.dirname(RESULTS), exist_ok=True)
    with open(RESULTS, "w") as f:
        json.dump({"date": time.strftime("%Y-%m-%d"), "reps": args.reps, "slow_reps": args.slow_reps,
                   "skipped": sorted("%s:%d" % k for k in skip), "raw": data,
                   "summary": summary}, f, indent=1, sort_keys=True)
    write_docs(summary, args.reps, args.slow_reps, sizes, skip)
    subprocess.run([os.path.join(REPO, "bench", "plot.sh")], check=True)


if __name__ == "__main__":
    main()
