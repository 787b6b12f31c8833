"""_probe.gitfetch: a failed private fetch's output (go's errors quoting git's and ssh's) as a finding with the
host, the user and the variable to fix. The texts are what go 1.26, git 2.39 and OpenSSH 9.2 print."""

import pytest

from ansible_collections.gomod.proxy.plugins.module_utils._probe import gitfetch

MOD = "git.private.lab.test/team/lib/v2@v2.1.0"
GIT = ("go: git.private.lab.test/team/lib/v2@v2.1.0: git ls-remote -q origin in /tmp/x/cache/vcs/abc: "
       "exit status 128:\n\t%s\nConfirm the import path was typed correctly.\n"
       "If this is a private repository, see https://golang.org/doc/faq#git_https for additional information.")

CASES = [
    ("git_https_auth", GIT % "fatal: Authentication failed for 'https://git.private.lab.test/team/lib.git/'",
     "git.private.lab.test"),
    ("git_https_no_credentials",
     GIT % "fatal: could not read Username for 'https://git.private.lab.test': terminal prompts disabled",
     "git.private.lab.test"),
    ("git_https_forbidden",
     GIT % "fatal: unable to access 'https://git.private.lab.test/team/lib.git/': The requested URL returned error: 403",
     "git.private.lab.test"),
    ("git_ssh_auth", GIT % "git@git.private.lab.test: Permission denied (publickey).\n\tfatal: Could not read from "
                           "remote repository.", "git.private.lab.test"),
    ("git_ssh_host_key_unknown",
     GIT % "No ED25519 host key is known for git1.lab.test and you have requested strict checking.\n\t"
           "Host key verification failed.", "git1.lab.test"),
    ("git_ssh_host_key_changed",
     GIT % "@@@@@@@\n\t@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n\tHost key verification failed.",
     "git.private.lab.test"),
    ("git_ssh_unreachable", GIT % "ssh: connect to host git.private.lab.test port 22: Connection refused",
     "git.private.lab.test"),
    ("private_sumdb_leak",
     "go: git.private.lab.test/team/lib/v2@v2.1.0: verifying module: git.private.lab.test/team/lib/v2@v2.1.0: "
     "reading http://proxy1.lab.test:3000/sumdb/sum.golang.org/lookup/git.private.lab.test/team/lib/v2@v2.1.0: "
     "403 Forbidden", "git.private.lab.test"),
    ("egress_proxy_unreachable",
     GIT % "fatal: unable to access 'https://git.private.lab.test/team/lib.git/': Failed to connect to "
           "egress1.lab.test port 3128 after 2 ms: Couldn't connect to server", "git.private.lab.test"),
    ("egress_proxy_auth",
     GIT % "fatal: unable to access 'https://git.private.lab.test/team/lib.git/': CONNECT tunnel failed, response 407",
     "git.private.lab.test"),
    ("private_fetch_failed", "go: git.private.lab.test/team/lib/v2@v2.1.0: invalid version: unknown revision v2.1.0",
     "git.private.lab.test"),
]


@pytest.mark.parametrize("code,text,host", CASES, ids=[c[0] for c in CASES])
def test_each_failure_is_classified_with_its_host(code, text, host):
    got, facts = gitfetch.classify(text)
    assert got == code
    assert facts["host"] == host


@pytest.mark.parametrize("role,var", [("go_client", "go_client_git_credentials"), ("athens", "athens_git_credentials")])
def test_the_finding_names_host_user_and_the_variable(role, var):
    f = gitfetch.fetch_finding(CASES[0][1], "ci", MOD, role=role)
    assert (f["code"], f["severity"], f["user"]) == ("git_https_auth", "error", "ci")
    assert "git.private.lab.test" in f["cause"] and "ci" in f["cause"] and var in f["fix"]
    assert "Confirm the import path" not in f["cause"]


def test_a_refused_netrc_token_is_not_a_missing_one():
    text = GIT % "fatal: could not read Username for 'https://git.private.lab.test': terminal prompts disabled"
    assert gitfetch.classify(text)[0] == "git_https_no_credentials"
    assert gitfetch.classify(text, netrc_hosts=["git.private.lab.test"])[0] == "git_https_auth"
    assert gitfetch.classify(text, netrc_hosts=["other.example"])[0] == "git_https_no_credentials"


def test_a_leak_names_the_private_path_in_both_of_go_s_forms():
    for text in (CASES[7][1], "go: git.private.lab.test/team/lib/v2@v2.1.0: verifying go.mod: "
                 "git.private.lab.test/team/lib/v2@v2.1.0/go.mod: reading http://proxy1.lab.test:3000/sumdb/sum.golang.org/"
                 "lookup/git.private.lab.test/team/lib/v2@v2.1.0: 403 Forbidden"):
        code, facts = gitfetch.classify(text)
        assert (code, facts["path"]) == ("private_sumdb_leak", "git.private.lab.test/team/lib/v2")
        assert "/lookup/git.private.lab.test/team/lib/v2@v2.1.0" in facts["url"]


def test_a_leak_is_critical_and_names_gonosumdb():
    f = gitfetch.fetch_finding(CASES[7][1], "leaky", MOD, gonosumdb="", pattern="git.private.lab.test")
    assert (f["code"], f["severity"]) == ("private_sumdb_leak", "critical")
    assert "GONOSUMDB" in f["cause"] and "go_client_gonosumdb" in f["fix"]
