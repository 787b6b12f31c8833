"""Fixtures for the testinfra tests of every scenario under extensions/molecule/ (pytest loads this file
for them: the repository's pytest.ini makes the repository root the rootdir).

Tests reach lab hosts over ssh (testinfra's ssh backend with the lab's ssh_config: one multiplexed
connection per host, ~10 ms a command) or, where a test's firewall rules may cut ssh, through podman
(`podman exec` into the host's container, ~200 ms a command; docs/lab.md has the measurement). The hosts
are read from the lab state that lab/labctl.py writes at `up`:

  - in a molecule run, $MOLECULE_EPHEMERAL_DIRECTORY/lab.json (the scenario's hosts);
  - otherwise .cache/lab/state.json (the static lab of `make lab`), so the same tests run with plain
    pytest against it; GOMOD_LAB_STATE=<file> picks another state.

    def test_go(lab):
        builder = lab.host("builder1")              # a testinfra Host, over ssh
        lab.podman("builder1")                      # the same host through podman exec
        assert builder.run("go version").succeeded
        lab.address("upstream1")                    # its address on the lab network
        lab.group("builders")                       # host names of a group, inventory order
        lab.vars["lab_upstream_goproxy"]            # the lab_* variables the hosts' inventory has
"""

import json
import os
from pathlib import Path

import pytest
import testinfra

REPO = Path(__file__).resolve().parents[2]


def state_path():
    if os.environ.get("GOMOD_LAB_STATE"):
        return Path(os.environ["GOMOD_LAB_STATE"])
    if os.environ.get("MOLECULE_EPHEMERAL_DIRECTORY"):
        return Path(os.environ["MOLECULE_EPHEMERAL_DIRECTORY"]) / "lab.json"
    return REPO / ".cache" / "lab" / "state.json"


class Lab:
    """The hosts of one lab (a scenario's or the static one), from lab/labctl.py's state file."""

    def __init__(self, state):
        self.state = state
        self.vars = state["vars"]
        self.gateway = state["gateway"]

    def names(self):
        return list(self.state["hosts"])

    def group(self, group):
        return [name for name, host in self.state["hosts"].items() if group in host["groups"]]

    def address(self, name):
        return self.state["hosts"][name]["address"]

    def container(self, name):
        return self.state["hosts"][name]["container"]

    def host(self, name):
        """A testinfra Host for the lab host `name`, over ssh as root."""
        self.address(name)  # KeyError for a host the lab does not have
        return testinfra.get_host(f"ssh://{name}?ssh_config={self.state['ssh_config']}&controlpersist=0")

    def podman(self, name):
        """A testinfra Host for the lab host `name`, through `podman exec` (no network involved)."""
        return testinfra.get_host(f"podman://{self.container(name)}")


@pytest.fixture(scope="session")
def lab():
    path = state_path()
    if not path.exists():
        pytest.fail(f"no lab state at {path}: start the lab (make lab) or run through molecule")
    return Lab(json.loads(path.read_text()))
