"""Private modules end to end on real hosts (molecule.yml has the topology). In file order:

1. a program importing git.private.lab.test/team/lib/v2 and its nested module builds on builder1 in both ways:
   through Athens (ci-proxy) and directly with the user's own HTTPS token (ci-direct) or SSH key (ci-ssh);
2. Athens reached the forge and upstream only through the egress proxy; secrets sit in 0600/0640 files and not
   in the unit, `systemctl show` or the journal;
3. a wrong token, a wrong key, an unknown host key and a private path missing from GONOSUMDB each fail with a
   message naming the code, the host, the user and the variable, and the audit reports the same codes;
4. Athens switched to ssh (deploy key, pinned host key) fetches a version cold through the egress proxy;
5. with the egress proxy down, the audit of the proxy host names it;
6. last: nothing private reached upstream1, neither its module proxy nor its checksum database.
"""

import json
import os
import shlex
from pathlib import Path

import pytest
from scenario_playbook import run_playbook as playbook

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[3]
EPHEMERAL = Path(os.environ.get("MOLECULE_EPHEMERAL_DIRECTORY", ""))
PRIVATE = "git.private.lab.test"
MODULE = PRIVATE + "/team/lib/v2@v2.1.0"

pytestmark = pytest.mark.skipif(not os.environ.get("MOLECULE_EPHEMERAL_DIRECTORY"),
                                reason="runs ansible-playbook with molecule's inventory")


def secret(name):
    return (EPHEMERAL / "secrets" / name).read_text().strip()


def as_user(host, user, script, timeout=300):
    return host.run("timeout %d su - %s -c %s" % (timeout, user, shlex.quote(script)))


def build(host, user):
    """go mod tidy (adds the private modules' hashes) and go build of /opt/privateapp as user, then run it."""
    return as_user(host, user, "set -e; rm -rf ~/app; cp -r /opt/privateapp ~/app; cd ~/app; go mod tidy; "
                               "go build -o app .; ./app; grep -c '^%s/' go.sum" % PRIVATE)


@pytest.mark.parametrize("user", ["ci-proxy", "ci-direct", "ci-ssh"])
def test_the_program_builds_in_both_ways(lab, user):
    result = build(lab.host("builder1"), user)
    assert result.rc == 0, result.stdout + result.stderr
    assert "privateapp ok: private lib v2.1.0 / private auth v0.1.0 / Hello, world." in result.stdout
    assert int(result.stdout.split()[-1]) >= 4  # h1 and go.mod lines of lib/v2 and lib/auth


def test_way_a_users_have_no_credentials_and_way_b_users_only_theirs(lab):
    builder = lab.host("builder1")
    assert not builder.file("/home/ci-proxy/.netrc").exists
    assert not builder.file("/home/ci-proxy/.ssh/gomod-proxy").exists
    netrc = builder.file("/home/ci-direct/.netrc")
    assert (netrc.user, netrc.mode) == ("ci-direct", 0o600)
    assert "machine %s login ci-direct password " % PRIVATE in netrc.content_string
    key = builder.file("/home/ci-ssh/.ssh/gomod-proxy/%s.key" % PRIVATE)
    assert (key.user, key.mode) == ("ci-ssh", 0o600)
    config = builder.file("/home/ci-ssh/.ssh/config").content_string
    assert "StrictHostKeyChecking yes" in config and "StrictHostKeyChecking no" not in config
    assert 'insteadOf = https://%s/' % PRIVATE in builder.file("/home/ci-ssh/.gitconfig").content_string


def test_athens_secrets_are_in_0600_0640_files_only(lab):
    proxy = lab.host("proxy1")
    for path, owner, mode in [("/var/lib/athens/.netrc", "athens", 0o600),
                              ("/var/lib/athens/.ssh/%s.key" % PRIVATE, "athens", 0o600),
                              ("/var/lib/athens/.ssh/known_hosts", "root", 0o640),
                              ("/var/lib/athens/.ssh/config", "root", 0o640),
                              ("/etc/athens/egress.env", "root", 0o600),
                              ("/etc/athens/go.env", "root", 0o640)]:
        f = proxy.file(path)
        assert (f.user, f.mode) == (owner, mode), path
    ssh_config = proxy.file("/var/lib/athens/.ssh/config").content_string
    assert "StrictHostKeyChecking yes" in ssh_config and "corkscrew egress1.lab.test 3128" in ssh_config
    go_env = proxy.file("/etc/athens/go.env").content_string
    assert "GOPRIVATE=%s" % PRIVATE in go_env
    toml = proxy.check_output("cat /etc/athens/athens.toml")
    assert 'NoSumPatterns = ["%s", "%s@*"]' % (PRIVATE, PRIVATE) in toml
    for value in (secret("egress-password"), secret("athens-token"), secret("ci-token")):
        for where in ("cat /etc/systemd/system/athens.service", "systemctl show athens.service",
                      "journalctl --no-pager -o cat"):
            assert value not in proxy.check_output(where), where
    # Where the proxy password is, on purpose: the environment of Athens and its children (0400, athens).
    pid = proxy.check_output("systemctl show -p MainPID --value athens.service")
    environ = proxy.file("/proc/%s/environ" % pid)
    assert (environ.user, environ.mode) == ("athens", 0o400)
    assert secret("egress-password") in proxy.check_output("tr '\\0' '\\n' < /proc/%s/environ" % pid)


def test_athens_left_only_through_the_egress_proxy(lab):
    squid = lab.host("egress1").check_output("cat /var/log/squid/access.log")
    assert "CONNECT %s:443" % PRIVATE in squid
    assert "upstream1.lab.test/mod/" in squid
    assert "CONNECT sum.golang.org:443" in squid
    forge = lab.host("git1").check_output("cat /var/log/nginx/git.access.log")
    clients = {line.split()[0] for line in forge.splitlines() if " athens " in line}
    assert clients == {lab.address("egress1")}, clients
    assert lab.address("proxy1") not in forge


def test_proxy1_reaches_nothing_but_the_egress_proxy(lab):
    """The route the test above saw is the only one: direct connections from proxy1 time out (dropped)."""
    proxy = lab.host("proxy1")
    for target in ("http://%s/mod/" % lab.address("upstream1"), "https://%s/" % lab.address("git1"),
                   "http://%s:22/" % lab.address("git1")):
        result = proxy.run("curl --noproxy '*' -sS --connect-timeout 5 -o /dev/null %s" % target)
        assert result.rc == 28, (target, result.rc, result.stderr)  # 28: connecting timed out (not refused)
    assert "lab_egress: not through egress1" in proxy.check_output("nft list table inet lab_egress")


def _wrong_results():
    rc, out, _recap = playbook(HERE / "playbooks" / "wrong.yml")
    assert rc == 0, out[-4000:]
    return json.loads((EPHEMERAL / "wrong-results.json").read_text())


@pytest.fixture(scope="module")
def wrong():
    return _wrong_results()


@pytest.mark.parametrize("user,code,names", [
    ("bad-token", "git_https_auth", [PRIVATE, "go_client_git_credentials", "401"]),
    ("bad-key", "git_ssh_auth", [PRIVATE, "go_client_git_credentials", "Permission denied (publickey)"]),
    ("bad-hostkey", "git_ssh_host_key_unknown", ["git1.lab.test", "known_hosts", "go_client_git_credentials"]),
    ("leaky", "private_sumdb_leak", [PRIVATE, "GONOSUMDB", "go_client_gonosumdb"]),
])
def test_each_wrong_setting_fails_naming_host_user_and_fix(wrong, user, code, names):
    msg = wrong[user]
    assert "user %s on builder1" % user in msg and "[%s]" % code in msg, msg
    for name in names:
        assert name in msg, (name, msg)
    assert "Fix:" in msg


def test_the_audit_reports_the_same_codes(lab, tmp_path):
    rc, out, _recap = playbook(REPO / "playbooks" / "audit.yml", "-e", json.dumps({
        "gomod_audit_hosts": "builders", "audit_users": ["bad-token", "bad-key", "bad-hostkey", "leaky", "ci-direct"],
        "audit_private_modules": [MODULE], "audit_private_patterns": [PRIVATE], "audit_fail_on": "none",
        "audit_probe_module": "rsc.io/quote", "audit_probe_version": "v1.5.2", "audit_probe_direct": False,
        "audit_report_dir": str(tmp_path)}))
    assert rc == 0, out[-4000:]
    report = json.loads((tmp_path / "goproxy-audit.json").read_text())
    findings = [f for f in report["findings"] if f["host"] == "builder1"]
    by_user = {}
    for f in findings:
        for u in f.get("users", []):
            by_user.setdefault(u, set()).add(f["code"])
    # each wrong case: its code, and a cause and fix naming the host, the user and the setting
    for user, code, host, setting in [("bad-token", "git_https_auth", PRIVATE, "go_client_git_credentials"),
                                      ("bad-key", "git_ssh_auth", PRIVATE, "go_client_git_credentials"),
                                      ("bad-hostkey", "git_ssh_host_key_unknown", "git1.lab.test", "known_hosts"),
                                      ("leaky", "private_sumdb_leak", PRIVATE, "GONOSUMDB")]:
        assert code in by_user[user], (user, by_user[user])
        found = [f for f in findings if f["code"] == code and user in f.get("users", [])][0]
        text = found["cause"] + " Fix: " + found["fix"]
        for name in (host, user, setting):
            assert name in text, (name, text)
    leak = [f for f in findings if f["code"] == "private_sumdb_leak"][0]
    assert leak["severity"] == "critical"
    assert not {c for c in by_user.get("ci-direct", set()) if c.startswith(("git_", "private_"))}


def test_athens_over_ssh_fetches_a_cold_version_through_the_egress_proxy(lab):
    rc, out, _recap = playbook(HERE / "playbooks" / "athens_ssh.yml")
    assert rc == 0, out[-4000:]
    result = as_user(lab.host("builder1"), "ci-proxy",
                     "cd $(mktemp -d) && GOMODCACHE=$PWD/m GOFLAGS=-modcacherw go mod download -json %s/team/lib/v2@v2.0.0"
                     % PRIVATE)
    assert result.rc == 0, result.stdout + result.stderr
    assert "CONNECT %s:22" % PRIVATE in lab.host("egress1").check_output("cat /var/log/squid/access.log")


def test_with_the_egress_proxy_down_the_audit_of_the_proxy_host_names_it(lab, tmp_path):
    egress = lab.host("egress1")
    egress.run("systemctl stop squid")
    try:
        rc, out, _recap = playbook(REPO / "playbooks" / "audit.yml", "-e", json.dumps({
            "gomod_audit_hosts": "goproxy", "audit_users": ["athens"], "audit_role_vars": "athens",
            "audit_environment_files": ["/etc/athens/go.env", "/etc/athens/egress.env"],
            "audit_private_patterns": [PRIVATE], "audit_private_fetch": "direct", "audit_fail_on": "error",
            "audit_probe_module": "rsc.io/quote", "audit_probe_version": "v1.5.2", "audit_timeout": 3,
            "audit_report_dir": str(tmp_path)}))
    finally:
        egress.run("systemctl start squid")
    assert rc != 0, "the gate must fail with the egress proxy down"
    report = json.loads((tmp_path / "goproxy-audit.json").read_text())
    egress_findings = [f for f in report["findings"] if f["host"] == "proxy1" and f["code"] == "egress_proxy_unreachable"]
    assert egress_findings, report["findings"]
    text = egress_findings[0]["cause"] + " " + egress_findings[0]["fix"]
    assert "egress1.lab.test:3128" in text and "athens_egress_proxy" in text and "athens" in egress_findings[0]["users"]
    assert secret("egress-password") not in (tmp_path / "goproxy-audit.json").read_text()


def test_the_egress_proxy_back_up_the_proxy_host_audit_is_clean(lab, tmp_path):
    rc, out, _recap = playbook(REPO / "playbooks" / "audit.yml", "-e", json.dumps({
        "gomod_audit_hosts": "goproxy", "audit_users": ["athens"], "audit_role_vars": "athens",
        "audit_environment_files": ["/etc/athens/go.env", "/etc/athens/egress.env"],
        "audit_private_patterns": [PRIVATE], "audit_fail_on": "error",
        "audit_probe_module": "rsc.io/quote", "audit_probe_version": "v1.5.2", "audit_report_dir": str(tmp_path)}))
    assert rc == 0, out[-4000:]


def test_nothing_private_reached_upstream(lab):
    upstream = lab.host("upstream1")
    proxy_log = upstream.check_output("journalctl -u lab-upstream --no-pager -o cat")
    sumdb_log = upstream.check_output("cat /var/log/nginx/sumdb.access.log")
    assert "/mod/rsc.io/quote/" in proxy_log  # the log is real: Athens fetched a public module there
    assert "/lookup/rsc.io/quote@v1.5.2" in sumdb_log
    assert "private" not in proxy_log
    assert "private" not in sumdb_log
