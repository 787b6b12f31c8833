"""The diagnose scenario's audit runs, shared by its test files: the playbook with the scenario's inventory
and the options every run uses, and the report of the whole scenario (conftest.py's `report` fixture)."""

import os
import subprocess
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[4]
EPHEMERAL = Path(os.environ.get("MOLECULE_EPHEMERAL_DIRECTORY", REPO / ".cache" / "diagnose-scenario"))
INVENTORY = EPHEMERAL / "inventory"
TIMEOUT = 2
# Probes that would leave the lab (the public origin of a `direct` entry) are switched off here.
COMMON = ["-e", '{"diagnose_users": ["builder"]}', "-e", "diagnose_probe_version=v0.21.0",
          "-e", "diagnose_timeout=%d" % TIMEOUT, "-e", "diagnose_probe_direct=false"]


def diagnose(report_dir, *extra, playbook="playbooks/diagnose.yml"):
    """(rc, output, seconds) of one audit run writing its reports to report_dir."""
    cmd = ["ansible-playbook", playbook, "-i", str(INVENTORY), "-e", "diagnose_report_dir=%s" % report_dir] + COMMON + list(extra)
    start = time.monotonic()
    proc = subprocess.run(cmd, cwd=str(REPO), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600, check=False)
    return proc.returncode, proc.stdout.decode("utf-8", "replace"), time.monotonic() - start
