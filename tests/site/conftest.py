"""Fixtures for tests/site: checks on the static lab after `tools/test.sh site` ran site.yml on it twice.

`lab` is the fixture molecule scenarios use (extensions/molecule/conftest.py), reading the static lab's state
(.cache/lab/state.json) that `tools/lab.sh up` wrote; `site_report` is the audit report of the last site.yml
run (tools/test.sh site points audit_report_dir at GOMOD_SITE_REPORT_DIR).
"""

import importlib.util
import json
import os
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "extensions" / "molecule"))  # lab_dns, as the scenarios import it
_SPEC = importlib.util.spec_from_file_location("lab_fixture", REPO / "extensions" / "molecule" / "conftest.py")
lab_fixture = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(lab_fixture)


@pytest.fixture(scope="session")
def lab():
    path = lab_fixture.state_path()
    if not path.exists():
        pytest.fail(f"no lab state at {path}: tools/test.sh site starts the lab before these tests")
    return lab_fixture.Lab(json.loads(path.read_text()))


@pytest.fixture(scope="session")
def inventory_vars():
    """group_vars/all.yml of inventories/lab: the published name (athens_dns_name) among others."""
    return yaml.safe_load((REPO / "inventories" / "lab" / "group_vars" / "all.yml").read_text())


@pytest.fixture(scope="session")
def site_report():
    directory = Path(os.environ.get("GOMOD_SITE_REPORT_DIR") or REPO / "reports" / "audit")
    path = directory / "goproxy-audit.json"
    if not path.exists():
        pytest.fail(f"no audit report at {path}: site.yml's audit stage writes it (tools/test.sh site)")
    return json.loads(path.read_text())
