"""ansible-playbook on the hosts of the molecule scenario under test, for tests that run a role again
(check mode, other settings, bad input) after converge. Tests import it by name: pytest puts this
directory on sys.path for conftest.py.
"""

import json
import os
import re
import subprocess
from pathlib import Path

EPHEMERAL = os.environ.get("MOLECULE_EPHEMERAL_DIRECTORY", "")
# "proxy1 : ok=12 changed=0 unreachable=0 failed=0 skipped=3 rescued=0 ignored=0"
RECAP_LINE = re.compile(r"^(\S+)\s+:\s+(ok=.*)$", re.M)


def run_playbook(path, *args, extra=None, check=False):
    """Run a playbook with the scenario's inventory and ansible.cfg; returns (rc, output, recap), recap being
    {host: {ok, changed, unreachable, failed, ...}} of the run."""
    env = dict(os.environ)
    cfg = Path(EPHEMERAL) / "ansible.cfg"
    if cfg.exists():
        env["ANSIBLE_CONFIG"] = str(cfg)
    env["ANSIBLE_NOCOLOR"] = "1"
    env["ANSIBLE_FORCE_COLOR"] = "0"
    cmd = ["ansible-playbook", "-i", str(Path(EPHEMERAL) / "inventory"), str(path), *args]
    if extra:
        cmd += ["-e", json.dumps(extra)]
    if check:
        cmd.append("--check")
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900, check=False)
    out = proc.stdout + proc.stderr
    recap = {m.group(1): {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", m.group(2))}
             for m in RECAP_LINE.finditer(out)}
    return proc.returncode, out, recap
