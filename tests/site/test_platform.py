"""The site suite ran on the Debian suite it was asked for: GOMOD_LAB_SUITE (bookworm: Debian 12, trixie: Debian
13), the platform table of README.md states what these runs cover."""

import os

import pytest

CODENAMES = {"bookworm": "12", "trixie": "13"}
SUITE = os.environ.get("GOMOD_LAB_SUITE") or "bookworm"


@pytest.mark.parametrize("name", ["proxy1", "dns1", "builder1", "builder2"])
def test_the_hosts_run_the_asked_debian_release(lab, name):
    release = dict(line.split("=", 1) for line in lab.host(name).file("/etc/os-release").content_string.splitlines()
                   if "=" in line)
    assert release["VERSION_CODENAME"] == SUITE, release
    assert release["VERSION_ID"].strip('"') == CODENAMES[SUITE], release
