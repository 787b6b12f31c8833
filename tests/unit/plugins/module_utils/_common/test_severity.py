"""_common.severity: the one severity order, the worst of many, the gate's comparison."""

import pytest

from ansible_collections.gomod.proxy.plugins.module_utils._common.severity import SEVERITIES, at_or_above, worst


def test_order():
    assert SEVERITIES == ("info", "warning", "error", "critical")


def test_worst():
    assert worst(["info", "error", "warning"]) == "error"
    assert worst(iter(["warning", "critical"])) == "critical"
    assert worst([]) is None
    assert worst(["ok", "unreachable"]) is None  # states that are not severities do not rank


@pytest.mark.parametrize("severity,threshold,hit", [
    ("critical", "error", True), ("error", "error", True), ("warning", "error", False), ("info", "info", True),
    ("critical", "none", False),  # the gate's "none" never fails
])
def test_at_or_above(severity, threshold, hit):
    assert at_or_above(severity, threshold) is hit
