"""_report.write, audit_report's whole job: the files are written when the report changed (apart from its
generation time), never in check mode, atomically; the result is the module's RETURN."""

import json
import os

import yaml

from ansible_collections.gomod.proxy.plugins.module_utils._report.write import (
    ARGUMENT_SPEC, deprecation_messages, write_report)
from ansible_collections.gomod.proxy.plugins.modules import audit_report


def _params(results, dest, **extra):
    params = dict((k, v.get("default")) for k, v in ARGUMENT_SPEC.items())
    params.update(results=results, dest=str(dest), **extra)
    return params


def test_writes_every_format_then_nothing_until_the_report_changes(results, tmp_path):
    dest = tmp_path / "reports"
    first = write_report(_params(results, dest))
    assert first["changed"]
    assert sorted(os.listdir(str(dest))) == ["goproxy-audit.html", "goproxy-audit.json", "goproxy-audit.md"]
    assert set(first) == set(yaml.safe_load(audit_report.RETURN)) | {"changed"}
    assert first["files"]["json"] == str(dest / "goproxy-audit.json")
    stamps = dict((name, (dest / name).stat().st_mtime_ns) for name in os.listdir(str(dest)))
    again = write_report(_params(results, dest))
    assert not again["changed"]  # only the generation time would differ
    assert stamps == dict((name, (dest / name).stat().st_mtime_ns) for name in os.listdir(str(dest)))
    del results["b05"]  # a host fewer: another report
    assert write_report(_params(results, dest))["changed"]


def test_check_mode_says_whether_files_would_change_and_writes_nothing(results, tmp_path):
    dest = tmp_path / "reports"
    assert write_report(_params(results, dest), check_mode=True)["changed"]
    assert not dest.exists()
    write_report(_params(results, dest))
    assert not write_report(_params(results, dest), check_mode=True)["changed"]


def test_formats_basename_and_gate(results, tmp_path):
    out = write_report(_params(results, tmp_path, formats=["json"], basename="fleet", fail_on="none"))
    assert os.listdir(str(tmp_path)) == ["fleet.json"] and out["files"] == {"json": str(tmp_path / "fleet.json")}
    assert out["gate"]["failed"] is False
    with open(str(tmp_path / "fleet.json")) as f:
        assert json.load(f)["gate"]["fail_on"] == "none"


def test_one_deprecation_message_per_old_name():
    assert deprecation_messages({"diagnose_users": "audit_users", "diagnose_fail_on": "audit_fail_on"}) == [
        "The variable diagnose_fail_on is deprecated; set audit_fail_on instead.",
        "The variable diagnose_users is deprecated; set audit_users instead."]
