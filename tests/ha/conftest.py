"""The HA suite (`tools/test.sh ha`): checks on one bring-up of inventories/lab-ha, converged by site.yml.

`tools/test.sh ha` starts the lab (with its redis and S3 store), runs site.yml, then these tests in file
order, then removes the lab. By hand, on a running HA lab: `pytest tests/ha` (GOMOD_LAB_HA_STATE picks
another state file). lab/ha/halab.py has the helpers.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "lab" / "ha"))

from halab import HaLab  # noqa: E402  pylint: disable=wrong-import-position


@pytest.fixture(scope="session")
def ha():
    try:
        lab = HaLab()
    except FileNotFoundError as exc:
        pytest.fail(str(exc))
    lab.prepare_builders()
    return lab
