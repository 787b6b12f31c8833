"""The truth of Go: whatever the audit says go does on an endpoint (fails with whose error, falls through,
waits, hangs, connects late), the real go command does on the same endpoint.

Each user on `chains` has one GOPROXY chain over the fixture's fault listeners (converge.yml). The audit
runs once for all of them; then, as each user, `go mod download -json` of the probe module runs in a
throw-away module cache, and its outcome is compared with the audit's verdict for that user:
  ok       go succeeded                     (audit: goproxy_outcome ok)
  hangs    go was still waiting when killed (audit: goproxy_outcome hangs)
  <url>    go failed naming that proxy      (audit: goproxy_error.url)
  off      go failed with "GOPROXY=off"     (audit: goproxy_error.kind off)
"""

import json
import re
import shlex
import time

import pytest

from audit_run import audit

MODULE, VERSION = "golang.org/x/text", "v0.21.0"
RESPONSE_TIMEOUT, GO_PATIENCE = 6, 15
SLOW_DELAY = 3  # the fixture's slow_proxy listener, per request
F = "http://fixture.lab.test"
# user: (what go does, the findings the audit must give as (code, severity))
CHAINS = {
    "c502pipe404": (F + ":8502", {("http_502", "error"), ("http_404", "info")}),
    "c502pipe503": (F + ":8503", {("http_503", "error"), ("http_502", "warning")}),
    "c404comma410": (F + ":8410", {("http_410", "error"), ("http_404", "info")}),
    "c404pipe502comma410": (F + ":8502", {("http_502", "error"), ("http_404", "info"), ("http_410", "info"),
                                          ("comma_after_unreliable_entry", "error")}),
    "c404commaoff": ("off", {("http_404", "error")}),
    "c502pipeoff": (F + ":8502", {("http_502", "error")}),
    "c504comma": (F + ":8504", {("http_504", "error"), ("comma_after_unreliable_entry", "error")}),
    "c407origin": (F + ":3128", {("http_407_origin", "error")}),
    "cslowcomma": ("ok", {("http_slow", "warning")}),
    "cslowpipe": ("ok", {("http_slow", "warning"), ("http_404", "info")}),  # the 404 after it is never reached
    "changpipe": ("hangs", {("http_timeout", "error")}),
}


def go_download(host, user):
    """(outcome, seconds, output) of `go mod download` as user: ok, hangs, off, or the proxy URL go names."""
    script = ("cache=$(mktemp -d) && trap 'chmod -R u+w $cache; rm -rf $cache' EXIT && cd $cache && "
              "GOMODCACHE=$cache/mod GOFLAGS=-modcacherw timeout %d go mod download -json %s@%s"
              % (GO_PATIENCE, MODULE, VERSION))
    start = time.monotonic()
    result = host.run("runuser -l %s -c %s" % (user, shlex.quote(script)))
    seconds = time.monotonic() - start
    output = result.stdout + result.stderr
    if result.rc == 124:
        return "hangs", seconds, output
    if result.rc == 0 and '"Error"' not in result.stdout:
        return "ok", seconds, output
    error = json.loads(result.stdout).get("Error", "") if result.stdout.strip().startswith("{") else output
    if "disabled by GOPROXY=off" in error:
        return "off", seconds, error
    named = re.search(r"(https?://[^/\s]+)/", error)
    return (named.group(1) if named else "error: " + error), seconds, error


def audit_says(user):
    """The audit's verdict on what go does, in go_download's terms."""
    if user["goproxy_outcome"] in ("ok", "hangs"):
        return user["goproxy_outcome"]
    error = user["goproxy_error"]
    return "off" if error["kind"] == "off" else error["url"]


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory):
    out = tmp_path_factory.mktemp("truth")
    rc, text, seconds = audit(out, "-e", "audit_fail_on=none", "-e", "gomod_audit_hosts=chains",
                              "-e", json.dumps({"audit_users": sorted(CHAINS)}),
                              "-e", "audit_response_timeout=%d" % RESPONSE_TIMEOUT)
    assert rc == 0, text
    with open(out / "goproxy-audit.json") as f:
        report = json.load(f)
    host = [h for h in report["hosts"] if h["name"] == "chains"][0]
    # the silent listener costs the audit one response timeout, not one per user
    assert seconds < 60, "the audit of the chains took %.0fs" % seconds
    return {"users": dict((u["user"], u) for u in host["users"]),
            "findings": [f for f in report["findings"] if f["host"] == "chains"]}


@pytest.fixture(scope="module")
def go_runs(lab):
    """Every user's go download, run at the same time (the slow and hanging ones take their time)."""
    import concurrent.futures
    chains = lab.host("chains")
    with concurrent.futures.ThreadPoolExecutor(len(CHAINS)) as pool:
        futures = dict((user, pool.submit(go_download, chains, user)) for user in CHAINS)
        return dict((user, future.result()) for user, future in futures.items())


@pytest.mark.parametrize("user", sorted(CHAINS))
def test_audit_says_what_go_does(verdicts, go_runs, user):
    expected, _findings = CHAINS[user]
    went, seconds, output = go_runs[user]
    assert went == expected, "go: %s after %.1fs\n%s" % (went, seconds, output)
    assert audit_says(verdicts["users"][user]) == went, verdicts["users"][user]


@pytest.mark.parametrize("user", sorted(CHAINS))
def test_findings_and_severities(verdicts, user):
    _expected, findings = CHAINS[user]
    got = set((f["code"], f["severity"]) for f in verdicts["findings"] if user in f["users"] and f["code"] != "sumdb_off")
    assert got == findings


def test_the_reported_error_is_named_as_go_s(verdicts):
    ours = [f for f in verdicts["findings"] if "c502pipe404" in f["users"]]
    assert "Go reports this error" in [f for f in ours if f["code"] == "http_502"][0]["cause"]
    assert "lacks golang.org/x/text as well" in [f for f in ours if f["code"] == "http_404"][0]["cause"]
    off = [f for f in verdicts["findings"] if "c404commaoff" in f["users"]][0]
    assert "module lookup disabled by GOPROXY=off" in off["cause"]


def test_slow_proxy_is_a_wait_that_go_makes(verdicts, go_runs):
    for user in ("cslowcomma", "cslowpipe"):
        slow = [f for f in verdicts["findings"] if user in f["users"] and f["code"] == "http_slow"][0]
        waited = float(re.search(r"only after ([0-9.]+)s", slow["cause"]).group(1))
        assert SLOW_DELAY <= waited < SLOW_DELAY + 1.5
        assert not any(w in slow["cause"] for w in ("stops", "falls through"))
        # go waited for the slow proxy on each request (.info, .mod, .zip) instead of moving on
        assert go_runs[user][1] >= 3 * SLOW_DELAY
        assert verdicts["users"][user]["goproxy_chain"][0]["role"] == "used"


def test_dns_family_stall_costs_go_the_wait_the_audit_names(lab, report):
    stall = [f for f in report["findings"] if f["host"] == "stall" and f["code"] == "dns_family_stall"][0]
    wait = float(re.search(r"Go waits ([0-9.]+)s", stall["cause"]).group(1))
    assert 1.9 <= wait <= 2.5  # options timeout:1 attempts:2 on that host
    user = [h for h in report["hosts"] if h["name"] == "stall"][0]["users"][0]
    assert user["goproxy_outcome"] == "ok"
    went, seconds, output = go_download(lab.host("stall"), "builder")
    assert went == "ok", output
    assert seconds >= wait, "go connected after %.1fs without waiting for AAAA" % seconds
