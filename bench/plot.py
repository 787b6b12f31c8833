"""Plots of the benchmarks: seconds per whole playbook against users (go_env, bench/results/go_env.json) and
against hosts (the audit and site.yml, bench/results/audit.json), each with its floor. Run by bench/plot.sh,
which provides matplotlib; each bench calls it at its end. Writes docs/images/benchmarks-users.png and
docs/images/benchmarks-hosts.png for the results that exist."""

import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the file backend)

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESULTS = os.path.join(REPO, "bench", "results")
DOCS = os.path.join(REPO, "docs", "images")
STYLE = {"linewidth": 1.6, "markersize": 6}


def _load(name):
    path = os.path.join(RESULTS, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def plot_users(data, path):
    summary = data["summary"]
    labels = {"go_env_users": "go_env, users (one execution)", "go_env_loop": "go_env, loop of user",
              "lineinfile": "lineinfile (dir + a task per key)", "go_env_w": "go env -w as each user (su)"}
    fig, ax = plt.subplots(figsize=(7.5, 4.8), dpi=110)
    for method, label in labels.items():
        rows = sorted((r for r in summary["rows"] if r["method"] == method), key=lambda r: r["users"])
        if rows:
            ax.plot([r["users"] for r in rows], [r["first"] for r in rows], marker="o", label=label, **STYLE)
    ax.axhline(summary["floor"], color="grey", linestyle="--", linewidth=1,
               label="floor: one trivial task (%.2f s)" % summary["floor"])
    ax.axhline(2 * summary["floor"], color="grey", linestyle=":", linewidth=1, label="2x floor")
    ax.set_xscale("log")
    ax.set_yscale("log")
    sizes = sorted(set(r["users"] for r in summary["rows"]))
    ax.set_xticks(sizes)
    ax.set_xticklabels([str(s) for s in sizes])
    ax.set_xlabel("users (6 go env keys each)")
    ax.set_ylabel("seconds, whole ansible-playbook (first run)")
    ax.set_title("go_env at fleet size (median of interleaved rounds, %s)" % data["date"])
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    print("wrote", path)


def plot_hosts(data, path):
    labels = {"ping": "ping playbook (floor)", "probe": "goproxy_probe alone (probe.yml)",
              "audit": "playbooks/audit.yml (whole)", "site": "site.yml, converged rerun"}
    fig, ax = plt.subplots(figsize=(7.5, 4.8), dpi=110)
    rows = data["summary"]["rows"]
    for variant, label in labels.items():
        points = sorted((r["hosts"], r["median"]) for r in rows if r["variant"] == variant)
        if points:
            ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=label, **STYLE)
    floors = sorted((r["hosts"], r["median"]) for r in rows if r["variant"] == "ping")
    if floors:
        ax.plot([p[0] for p in floors], [1.3 * p[1] for p in floors], color="grey", linestyle=":", linewidth=1,
                label="1.3x the ping floor")
    hosts = sorted(set(r["hosts"] for r in rows))
    ax.set_xticks(hosts)
    ax.set_xlabel("lab hosts (builders)")
    ax.set_ylabel("seconds, whole ansible-playbook")
    ax.set_title("Fleet audit and site.yml against hosts (median of interleaved rounds, %s)" % data["date"])
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    print("wrote", path)


def main():
    users, hosts = _load("go_env.json"), _load("audit.json")
    if users is None and hosts is None:
        sys.exit("no results in %s: run a benchmark first" % RESULTS)
    os.makedirs(DOCS, exist_ok=True)
    if users is not None:
        plot_users(users, os.path.join(DOCS, "benchmarks-users.png"))
    if hosts is not None:
        plot_hosts(hosts, os.path.join(DOCS, "benchmarks-hosts.png"))


if __name__ == "__main__":
    main()
