"""go_client on the lab: policy files, conflicts, the chain switch of side_effect.yml."""

import pytest

SWITCHED = (
    "GO111MODULE=on\n"
    "GOFLAGS=-mod=readonly\n"
    "GOPRIVATE=git.corp.example\n"
    "GOPROXY=http://{addr}/mod|{upstream},off\n"
    "GOSUMDB=sum.golang.org\n"
)


@pytest.mark.parametrize("host", ["builder1", "builder2"])
@pytest.mark.parametrize("user", ["dev1", "dev2"])
def test_env_file_holds_the_switched_policy_byte_for_byte(lab, host, user):
    f = lab.host(host).file("/home/%s/.config/go/env" % user)
    assert f.user == user and f.group == user and f.mode == 0o644
    expected = SWITCHED.format(addr=lab.vars["lab_upstream_address"], upstream=lab.vars["lab_upstream_goproxy"])
    assert f.content_string == expected


@pytest.mark.parametrize("host", ["builder1", "builder2"])
@pytest.mark.parametrize("user", ["dev1", "dev2"])
def test_chain_switch_cleaned_the_module_cache_and_nothing_else(lab, host, user):
    h = lab.host(host)
    assert not h.file("/home/%s/go/pkg/mod/rsc.io" % user).exists
    assert not h.file("/home/%s/go/pkg/mod/cache/download/rsc.io" % user).exists
    assert h.file("/home/%s/keep-me" % user).exists


def test_system_wide_override_was_removed_and_go_now_uses_the_file(lab):
    h = lab.host("builder1")
    profile_d = h.file("/etc/profile.d/zz-legacy-goproxy.sh")
    assert profile_d.exists
    assert "GOPROXY" not in profile_d.content_string.replace("# left over from the 2019 proxy migration", "")
    out = h.check_output("su - dev1 -c 'go env GOPROXY'")
    assert out == "http://%s/mod|%s,off" % (lab.vars["lab_upstream_address"], lab.vars["lab_upstream_goproxy"])


def test_users_own_export_is_reported_not_removed(lab):
    h = lab.host("builder2")
    assert h.file("/home/dev2/.profile").content_string == "export GOFLAGS=-mod=mod\n"
    # Go still sees the user's own choice: the role reported it and left it alone.
    assert h.check_output("su - dev2 -c 'go env GOFLAGS'") == "-mod=mod"


@pytest.mark.parametrize("host", ["builder1", "builder2"])
def test_each_user_downloads_through_the_policy_in_a_fresh_cache(lab, host):
    h = lab.host(host)
    cmd = h.run("su - dev1 -c 'export GOMODCACHE=$(mktemp -d); go mod download -json github.com/google/uuid@v1.6.0;"
                " rc=$?; go clean -modcache; exit $rc'")
    assert cmd.rc == 0, cmd.stderr
    assert '"Version": "v1.6.0"' in cmd.stdout
