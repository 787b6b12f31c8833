"""ansible-playbook on the hosts of the molecule scenario under test, for tests that run a role again
(check mode, other settings, bad input) after converge. Tests import it by name: pytest puts this
directory on sys.path for conftest.py.
"""

import json
import os
import subprocess
from pathlib import Path

# The PLAY RECAP parser of `tools/test.sh site`'s gate, one for both (pytest.ini puts tools/ on sys.path).
import check_recap

EPHEMERAL = os.environ.get("MOLECULE_EPHEMERAL_DIRECTORY", "")


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
    return proc.returncode, out, check_recap.parse_recap(out)
