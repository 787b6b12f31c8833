"""The audit scenario's audit runs, shared by its test files: the playbook with the scenario's inventory
and the options every run uses, and the report of the whole scenario (conftest.py's `report` fixture)."""

import os
import subprocess
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[4]
EPHEMERAL = Path(os.environ.get("MOLECULE_EPHEMERAL_DIRECTORY", REPO / ".cache" / "audit-scenario"))
INVENTORY = EPHEMERAL / "inventory"
TIMEOUT = 2
# Probes that would leave the lab (the public origin of a `direct` entry) are switched off here.
COMMON = ["-e", '{"audit_users": ["builder"]}', "-e", "audit_probe_version=v0.21.0",
          "-e", "audit_timeout=%d" % TIMEOUT, "-e", "audit_probe_direct=false"]


def audit(report_dir, *extra, playbook="playbooks/audit.yml", common=True):
    """(rc, output, seconds) of one audit run writing its reports to report_dir."""
    cmd = ["ansible-playbook", playbook, "-i", str(INVENTORY), "-e", "audit_report_dir=%s" % report_dir]
    cmd += (COMMON if common else []) + list(extra)
    start = time.monotonic()
    proc = subprocess.run(cmd, cwd=str(REPO), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600, check=False)
    return proc.returncode, proc.stdout.decode("utf-8", "replace"), time.monotonic() - start
