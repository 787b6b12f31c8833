"""Check the PLAY RECAP of an ansible-playbook log: every host reached, none failed, and (with --changed N)
no host with more than N changed tasks. Used by `tools/test.sh site` on the rerun of site.yml.
Also fails on task names that did not template: ansible-core 2.19 prints an undefined variable in a task's
name as "<< error 1 - ... >>" instead of failing, so a role would otherwise show users broken names for good.

Usage: python tools/check_recap.py [--changed N] LOGFILE
Importable as ``check_recap`` (pytest.ini puts tools/ on sys.path): ``parse_recap`` is shared with
extensions/molecule/scenario_playbook.py.
"""

import argparse
import re
import sys

# "builder1 : ok=12 changed=0 unreachable=0 failed=0 skipped=3 rescued=0 ignored=0"
RECAP_LINE = re.compile(r"^(\S+)\s*:\s*((?:\w+=\d+\s*)+)$")
# "TASK [role : Compile the package - << error 1 - object of type 'dict' has no attribute 'goos' >>] ***"
BROKEN_NAME = re.compile(r"^(?:TASK|RUNNING HANDLER) \[.*<< error \d+ - ")


def parse_recap(text):
    """{host: {counter: int}} from the last PLAY RECAP of an ansible-playbook output."""
    sep, tail = text.rpartition("PLAY RECAP")[1:]
    if not sep:
        return {}
    hosts = {}
    for line in tail.splitlines()[1:]:
        match = RECAP_LINE.match(re.sub(r"\x1b\[[0-9;]*m", "", line).strip())
        if match:
            hosts[match.group(1)] = {k: int(v) for k, v in (kv.split("=") for kv in match.group(2).split())}
    return hosts


def broken_task_names(text):
    """Task and handler headers of the log whose name did not template, each once, in order."""
    names = []
    for line in text.splitlines():
        line = re.sub(r"\x1b\[[0-9;]*m", "", line).strip()
        if BROKEN_NAME.match(line) and line not in names:
            names.append(line)
    return names


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changed", type=int, default=None, help="most changed tasks allowed per host")
    parser.add_argument("log")
    args = parser.parse_args(argv)
    with open(args.log, encoding="utf-8", errors="replace") as f:
        text = f.read()
    hosts = parse_recap(text)
    if not hosts:
        print("%s: no PLAY RECAP" % args.log)
        return 1
    problems = []
    for host, counts in sorted(hosts.items()):
        for counter in ("failed", "unreachable"):
            if counts.get(counter, 0):
                problems.append("%s: %s=%d" % (host, counter, counts[counter]))
        if args.changed is not None and counts.get("changed", 0) > args.changed:
            problems.append("%s: changed=%d (at most %d allowed)" % (host, counts["changed"], args.changed))
    problems += ["task name did not template: %s" % name for name in broken_task_names(text)]
    for problem in problems:
        print(problem)
    print("recap: %d host(s), %d problem(s)" % (len(hosts), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
