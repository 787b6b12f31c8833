"""gomod.proxy.athens with the athens_options settings, after converge: HTTPS on port 443 on one address with
the scenario's certificate, basic auth under a path prefix, redis single-flight, download-mode rules, the
checksum-database proxy, the memory index, a GoGetDir, JSON logs, pprof on loopback, the iptables firewall.

Tests that run the role again (unix socket and back, a wrong redis password, every storage and single-flight
pass-through rendered and loaded by Athens itself) are in test_athens_options_runs.py.
"""

import base64
import json
import os
import re
import tomllib
from pathlib import Path
from urllib.parse import quote

import pytest

NAME = "proxy1.lab.test"
PREFIX = "/goproxy"
CONFIG = "/etc/athens/athens.toml"
STORAGE = "/var/lib/athens/storage"
GOGET_DIR = "/var/cache/athens-goget"
KEY = "/etc/athens/tls/key.pem"
CERT = "/etc/athens/tls/cert.pem"
CA = "/opt/athens-ca.pem"  # on builder1 (prepare)
EPHEMERAL = os.environ.get("MOLECULE_EPHEMERAL_DIRECTORY", "")
REPO = Path(__file__).resolve().parents[4]
# Modules of lab/upstream/go.mod that no rule of the scenario matches: Athens fetches them itself (sync)
FETCHED = ["rsc.io/quote@v1.5.2", "github.com/BurntSushi/toml@v1.4.0", "github.com/pkg/errors@v0.9.1"]
CLEAN_GO = (
    "export HOME=$(mktemp -d) && cd $HOME && export GOMODCACHE=$HOME/mod GOPATH=$HOME/gopath GOCACHE=$HOME/cache "
    f"GOFLAGS=-modcacherw GOTOOLCHAIN=local GOSUMDB=off GONOSUMDB= GOPRIVATE= GONOPROXY= SSL_CERT_FILE={CA} && "
)


def goproxy_url(user, password):
    """The GOPROXY entry with credentials, escaped as a URL's userinfo: a ',' or '|' in the password would
    otherwise split the GOPROXY list (the go command decodes the escapes before sending them)."""
    return f"https://{quote(user, safe='')}:{quote(password, safe='')}@{NAME}{PREFIX}"


@pytest.fixture(scope="module")
def conf(lab):
    """Athens' configuration as it is on proxy1."""
    return tomllib.loads(lab.host("proxy1").file(CONFIG).content_string)


@pytest.fixture(scope="module")
def auth(conf):
    return conf["BasicAuthUser"], conf["BasicAuthPass"]


def curl(host, target, *args):
    """HTTP status of a GET from `host` ('000' when nothing answered) and curl's exit status."""
    result = host.run(f"curl -sg --max-time 10 -o /dev/null -w '%{{http_code}}' {' '.join(args)} '{target}'")
    return result.stdout, result.rc


def url(path=""):
    return f"https://{NAME}{PREFIX}{path}"


def main_pid(proxy):
    return proxy.check_output("systemctl show -p MainPID --value athens.service").strip()


def download(builder, goproxy, *modules):
    """`go mod download -json` on builder1 in a throw-away Go environment; (rc, {path: json}, stderr)."""
    result = builder.run(CLEAN_GO + f"GOPROXY='{goproxy}' go mod download -json {' '.join(modules)}; "
                         "rc=$?; rm -rf $HOME; exit $rc")
    found = [json.loads(m) for m in re.findall(r"^\{.*?^\}", result.stdout, re.M | re.S)]
    return result.rc, {m["Path"]: m for m in found}, result.stderr


def pem_der(text):
    """The DER bytes of the first PEM certificate in text."""
    body = re.search(r"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", text, re.S).group(1)
    return base64.b64decode("".join(body.split()))


def go_sums():
    """h1: hashes of lab/upstream/go.sum (the module zips), {path@version: sum}."""
    sums = {}
    for line in (REPO / "lab" / "upstream" / "go.sum").read_text().splitlines():
        path, version, digest = line.split()
        if not version.endswith("/go.mod"):
            sums[f"{path}@{version}"] = digest
    return sums


# ---------------------------------------------------------------------------------------------- listener


def test_https_on_port_443_on_the_proxy_address_only(lab):
    proxy = lab.host("proxy1")
    address = lab.address("proxy1")
    listeners = proxy.check_output("ss -Htln 'sport = :443'").splitlines()
    assert len(listeners) == 1, listeners
    assert listeners[0].split()[3] == f"{address}:443"
    # the listening socket belongs to the athens user (not to a front proxy's; ss -p cannot see into
    # another user's process without CAP_SYS_PTRACE, which the lab containers lack)
    owner = proxy.check_output("ss -Htlne 'sport = :443'")
    assert re.search(rf"\buid:{proxy.check_output('id -u athens').strip()}\b", owner), owner
    # nothing on loopback or on the wildcard address
    for other in ("127.0.0.1", "[::1]"):
        assert curl(proxy, f"https://{other}/goproxy/readyz", "-k")[1] == 7, other  # connection refused
    assert curl(proxy, f"https://{address}{PREFIX}/readyz", "-k")[0] == "401"


def test_served_certificate_is_the_scenario_ca_signed_one(lab):
    builder = lab.host("builder1")
    served = builder.check_output(
        f"openssl s_client -connect {NAME}:443 -servername {NAME} -CAfile {CA} </dev/null 2>/dev/null")
    assert "Verify return code: 0 (ok)" in served, served
    der = pem_der(served)
    assert der == pem_der(lab.host("proxy1").file(CERT).content_string)
    if EPHEMERAL:  # the certificate prepare made and signed on the controller
        assert der == pem_der((Path(EPHEMERAL) / "tls" / "proxy1.crt").read_text())
        assert pem_der(builder.file(CA).content_string) == pem_der((Path(EPHEMERAL) / "tls" / "ca.crt").read_text())
    subject = builder.check_output(
        f"openssl s_client -connect {NAME}:443 -servername {NAME} </dev/null 2>/dev/null | "
        "openssl x509 -noout -subject -issuer -ext subjectAltName")
    assert "CN = athens lab CA" in subject and f"DNS:{NAME}" in subject and f"IP Address:{lab.address('proxy1')}" in subject
    # not a certificate the system trusts: without the CA, curl refuses it (60: certificate problem)
    assert curl(builder, url("/readyz"))[1] == 60


def test_athens_runs_unprivileged_with_only_cap_net_bind_service(lab):
    proxy = lab.host("proxy1")
    props = dict(line.split("=", 1) for line in proxy.check_output(
        "systemctl show athens.service -p ActiveState -p User -p Group -p CapabilityBoundingSet "
        "-p AmbientCapabilities -p NoNewPrivileges -p NRestarts -p TimeoutStopUSec").splitlines())
    assert props["ActiveState"] == "active" and props["NRestarts"] == "0"
    assert (props["User"], props["Group"]) == ("athens", "athens")
    assert props["CapabilityBoundingSet"] == "cap_net_bind_service"
    assert props["AmbientCapabilities"] == "cap_net_bind_service"
    assert props["NoNewPrivileges"] == "yes"
    assert props["TimeoutStopUSec"] == "40s"  # ShutdownTimeout 30 s + athens_stop_grace 10 s
    status = dict(line.split(":\t", 1) for line in
                  proxy.check_output(f"cat /proc/{main_pid(proxy)}/status").splitlines() if ":\t" in line)
    uid = proxy.check_output("id -u athens").strip()
    assert status["Uid"].split() == [uid] * 4 and status["Gid"].split()[0] == proxy.check_output("id -g athens").strip()
    bind_service = f"{1 << 10:016x}"  # CAP_NET_BIND_SERVICE is capability 10
    for kind in ("CapEff", "CapPrm", "CapAmb", "CapBnd"):
        assert status[kind] == bind_service, (kind, status[kind])
    assert status["NoNewPrivs"] == "1"


# ---------------------------------------------------------------------------------------------- secrets


def test_key_config_and_secret_files_are_protected(lab):
    proxy = lab.host("proxy1")
    key = proxy.file(KEY)
    assert (key.user, key.group) == ("root", "athens") and key.mode & ~0o640 == 0, oct(key.mode)
    conf = proxy.file(CONFIG)
    assert (conf.user, conf.group, conf.mode) == ("root", "athens", 0o640)
    assert (proxy.file("/etc/athens/tls").group, proxy.file("/etc/athens/tls").mode) == ("athens", 0o750)
    netrc = proxy.file("/var/lib/athens/.netrc")
    assert (netrc.user, netrc.mode) == ("athens", 0o600)
    assert "machine git.private.lab.test" in netrc.content_string
    hcl = proxy.file("/etc/athens/download.hcl")
    assert (hcl.user, hcl.group, hcl.mode) == ("root", "athens", 0o640)
    # Athens reads its key; another unprivileged user does not
    assert proxy.run(f"runuser -u athens -- head -c1 {KEY}").rc == 0
    assert proxy.run(f"runuser -u nobody -- head -c1 {KEY}").rc != 0
    assert proxy.run(f"runuser -u nobody -- head -c1 {CONFIG}").rc != 0


def test_secrets_are_only_in_protected_files(lab, conf):
    proxy = lab.host("proxy1")
    secrets = {
        "basic auth password": (conf["BasicAuthPass"], {CONFIG}),
        "redis password": (conf["SingleFlight"]["Redis"]["Password"], {CONFIG, "/etc/redis/conf.d-athens.conf"}),
        "netrc password": ("not-a-real-token", {"/var/lib/athens/.netrc"}),
    }
    pid = main_pid(proxy)
    for what, (secret, where) in secrets.items():
        assert len(secret) >= 16 or what == "netrc password", what
        found = proxy.run(f"grep -rlsF -D skip -- '{secret}' /etc /var/lib/athens {GOGET_DIR} /usr/local /var/log /run "
                          "/root /tmp").stdout.split()
        assert set(found) == where, (what, found)
        for path in found:
            assert proxy.file(path).mode & 0o004 == 0, (what, path)
        # not in the unit, its properties, Athens' command line or environment, nor in the journal
        exposed = proxy.run(f"(systemctl show athens.service; systemctl cat athens.service; cat /proc/{pid}/cmdline "
                            f"/proc/{pid}/environ; journalctl --no-pager -o cat) | grep -cF -- '{secret}'")
        assert exposed.stdout.strip() == "0", what


# ---------------------------------------------------------------------------------------------- auth


def test_basic_auth_under_the_path_prefix(lab, auth):
    builder = lab.host("builder1")
    user, password = auth
    assert user == "builder"
    list_url = url("/github.com/google/uuid/@v/list")
    ca = f"--cacert {CA}"
    assert curl(builder, list_url, ca) == ("401", 0)
    assert curl(builder, list_url, ca, f"-u '{user}:not-{password}'") == ("401", 0)
    assert curl(builder, list_url, ca, f"-u 'nobody:{password}'") == ("401", 0)
    assert curl(builder, list_url, ca, f"-u '{user}:{password}'") == ("200", 0)
    headers = builder.check_output(f"curl -s -D - -o /dev/null {ca} '{list_url}'")
    assert re.search(r"^www-authenticate: Basic", headers, re.I | re.M), headers
    body = builder.check_output(f"curl -sf {ca} -u '{user}:{password}' '{list_url}'")
    assert "v1.6.0" in body.split()
    # only under the prefix
    assert curl(builder, f"https://{NAME}/github.com/google/uuid/@v/list", ca, f"-u '{user}:{password}'")[0] == "404"
    # Athens exempts /readyz from auth only without a prefix: under one, it wants credentials too
    assert curl(builder, url("/readyz"), ca) == ("401", 0)
    assert curl(builder, url("/readyz"), ca, f"-u '{user}:{password}'") == ("200", 0)


# ---------------------------------------------------------------------------------------------- downloads


@pytest.fixture(scope="module")
def fetch(lab, conf, auth):
    """A real `go mod download` through Athens of modules it has to fetch (removed from its storage first),
    with what it leaves in redis, the GoGetDir, the index and the storage before and after."""
    proxy = lab.host("proxy1")
    builder = lab.host("builder1")
    redis = f"redis-cli --no-auth-warning -a '{conf['SingleFlight']['Redis']['Password']}'"

    def redis_calls():
        stats = proxy.check_output(f"{redis} info commandstats")
        return {m.group(1): int(m.group(2)) for m in re.finditer(r"^cmdstat_(\w+):calls=(\d+)", stats, re.M)}

    for module in FETCHED:
        path, version = module.split("@")
        proxy.check_output(f"rm -rf '{STORAGE}/{path}/{version}'")
    before = {"redis": redis_calls(), "goget": proxy.check_output(f"stat -c %.9Y {GOGET_DIR}")}
    user, password = auth
    rc, modules, stderr = download(builder, goproxy_url(user, password), *FETCHED)
    index = proxy.check_output(f"curl -sfk -u '{user}:{password}' https://{lab.address('proxy1')}{PREFIX}/index")
    after = {"redis": redis_calls(), "goget": proxy.check_output(f"stat -c %.9Y {GOGET_DIR}"),
             "clients": proxy.check_output(f"{redis} client list"), "index": index}
    return {"rc": rc, "modules": modules, "stderr": stderr, "before": before, "after": after}


def test_go_mod_download_over_https_with_basic_auth(lab, fetch):
    assert fetch["rc"] == 0, fetch["stderr"]
    sums = go_sums()
    proxy = lab.host("proxy1")
    for module in FETCHED:
        path, version = module.split("@")
        got = fetch["modules"][path]
        assert "Error" not in got, got
        assert (got["Version"], got["Sum"]) == (version, sums[module]), got
        stored = proxy.file(f"{STORAGE}/{path}/{version}/source.zip")
        assert stored.exists and stored.user == "athens", module


def test_redis_single_flight_locks_every_fetch(lab, conf, fetch):
    redis = conf["SingleFlight"]["Redis"]
    assert conf["SingleFlightType"] == "redis"
    assert (redis["Endpoint"], redis["Cluster"]) == ("127.0.0.1:6379", False)
    assert (redis["LockConfig"]["TTL"], redis["LockConfig"]["Timeout"]) == (600, 15)
    before, after = fetch["before"]["redis"], fetch["after"]["redis"]
    # bsm/redislock: SET key NX PX to take the lock of a module version, a script to release it
    assert after.get("set", 0) - before.get("set", 0) >= len(FETCHED), (before, after)
    released = sum(after.get(c, 0) - before.get(c, 0) for c in ("eval", "evalsha"))
    assert released >= len(FETCHED), (before, after)
    # Athens keeps its connection (redis-cli's own is the one running `client list`)
    others = [line for line in fetch["after"]["clients"].splitlines() if "cmd=client|list" not in line]
    assert others and all("addr=127.0.0.1:" in line for line in others), fetch["after"]["clients"]
    # the password is required: without it redis refuses
    out = lab.host("proxy1").run("redis-cli ping")
    assert "NOAUTH" in out.stdout + out.stderr


def test_goget_dir_is_where_athens_fetches(lab, fetch):
    proxy = lab.host("proxy1")
    goget = proxy.file(GOGET_DIR)
    assert goget.is_directory and (goget.user, goget.group, goget.mode) == ("athens", "athens", 0o750)
    paths = proxy.check_output("systemctl show -p ReadWritePaths --value athens.service").split()
    assert sorted(paths) == sorted([STORAGE, GOGET_DIR])
    # each fetch made and removed its GOPATH there (afero.TempDir(GoGetDir, "athens"))
    assert fetch["after"]["goget"] != fetch["before"]["goget"]
    assert proxy.check_output(f"ls -A {GOGET_DIR}").strip() == ""


def test_memory_index_lists_the_fetched_modules(fetch):
    lines = [json.loads(line) for line in fetch["after"]["index"].splitlines() if line.strip()]
    indexed = {f"{line['Path']}@{line['Version']}" for line in lines}
    assert set(FETCHED) <= indexed, indexed


def test_download_mode_none_for_spf13(lab, auth):
    builder = lab.host("builder1")
    proxy = lab.host("proxy1")
    user, password = auth
    for ext in ("info", "mod", "zip"):
        code = curl(builder, url(f"/github.com/spf13/pflag/@v/v1.0.6.{ext}"), f"--cacert {CA}", f"-u '{user}:{password}'")
        assert code == ("404", 0), ext
    rc, modules, dummy = download(builder, goproxy_url(user, password), "github.com/spf13/pflag@v1.0.6")
    assert rc != 0 and "404 Not Found" in modules["github.com/spf13/pflag"]["Error"]
    assert not proxy.file(f"{STORAGE}/github.com/spf13").exists


def test_download_mode_redirect_for_golang_org_x(lab, auth):
    builder = lab.host("builder1")
    user, password = auth
    upstream = lab.vars["lab_upstream_goproxy"]
    for ext in ("info", "mod", "zip"):
        headers = builder.check_output(
            f"curl -s -D - -o /dev/null --cacert {CA} -u '{user}:{password}' '{url(f'/golang.org/x/text/@v/v0.21.0.{ext}')}'")
        status = headers.split()[1]
        location = re.search(r"^location: (\S+)", headers, re.I | re.M).group(1)
        assert status in ("301", "302", "303", "307"), headers
        # Athens v0.18.0 appends the whole request path, the PathPrefix included, to the rule's downloadURL
        assert location.startswith(upstream + "/") and location.endswith(f"/golang.org/x/text/@v/v0.21.0.{ext}"), location
    assert not lab.host("proxy1").file(f"{STORAGE}/golang.org").exists  # redirected, never fetched


def test_checksum_database_proxy_and_nosum_patterns(lab, auth):
    builder = lab.host("builder1")
    user, password = auth
    creds = (f"--cacert {CA}", f"-u '{user}:{password}'")
    assert curl(builder, url("/sumdb/sum.golang.org/supported"), *creds)[0] == "200"
    # NoSumPatterns lab.test/*: Athens answers 403 so that the go command skips the database for them
    assert curl(builder, url("/sumdb/sum.golang.org/lookup/lab.test/probe@v1.0.0"), *creds)[0] == "403"
    assert curl(builder, url("/sumdb/sum.example.org/supported"), *creds)[0] == "404"


# ---------------------------------------------------------------------------------------------- settings


def test_configuration_is_what_the_scenario_asked(lab, conf):
    proxy = lab.host("proxy1")
    assert proxy.run("python3 /usr/local/libexec/gomod-proxy/athens-config-check --production-perms "
                     f"--base-dir /var/lib/athens {CONFIG}").rc == 0
    assert conf["Port"] == f"{lab.address('proxy1')}:443" and conf["UnixSocket"] == ""
    assert (conf["TLSCertFile"], conf["TLSKeyFile"], conf["PathPrefix"]) == (CERT, KEY, PREFIX)
    assert (conf["GoGetWorkers"], conf["ProtocolWorkers"], conf["GoGetDir"]) == (4, 20, GOGET_DIR)
    assert (conf["Timeout"], conf["StashTimeout"], conf["ShutdownTimeout"]) == (120, 300, 30)
    assert (conf["LogLevel"], conf["LogFormat"], conf["NetworkMode"]) == ("debug", "json", "strict")
    assert (conf["DownloadMode"], conf["IndexType"]) == ("file:/etc/athens/download.hcl", "memory")
    assert (conf["SumDBs"], conf["NoSumPatterns"]) == (["https://sum.golang.org"], ["lab.test/*"])
    assert (conf["EnablePprof"], conf["PprofPort"]) == (True, "127.0.0.1:3001")
    env = conf["GoBinaryEnvVars"]
    assert f"GOPROXY={lab.vars['lab_upstream_goproxy']}" in env and "GOPRIVATE=git.private.lab.test/*" in env
    assert {"GOSUMDB=sum.golang.org", "GOFLAGS=-mod=mod", "GODEBUG=netdns=go"} <= set(env)
    hcl = proxy.file("/etc/athens/download.hcl").content_string
    assert re.search(r'download "github.com/spf13/\*" \{\s*mode = "none"\s*\}', hcl)
    assert re.search(r'download "golang.org/x/\*" \{\s*mode = "redirect"\s*downloadURL = "'
                     + re.escape(lab.vars["lab_upstream_goproxy"]) + r'"\s*\}', hcl)


def test_logs_are_json_in_the_journal(lab):
    proxy = lab.host("proxy1")
    lines = proxy.check_output(
        f"journalctl --no-pager -o cat _SYSTEMD_UNIT=athens.service _PID={main_pid(proxy)}").splitlines()
    assert lines
    records = [json.loads(line) for line in lines]  # every line Athens wrote is a JSON object
    assert all({"time", "level", "msg"} <= set(r) for r in records)
    assert {"DEBUG", "INFO"} <= {r["level"] for r in records}  # LogLevel debug
    requests = [r for r in records if r["msg"] == "incoming request"]
    assert any(r["http-path"].startswith(PREFIX + "/") for r in requests)


def test_pprof_listens_on_loopback_only(lab, auth):
    proxy = lab.host("proxy1")
    listeners = proxy.check_output("ss -Htln 'sport = :3001'").splitlines()
    assert [line.split()[3] for line in listeners] == ["127.0.0.1:3001"]
    assert curl(proxy, "http://127.0.0.1:3001/debug/pprof/") == ("200", 0)
    assert curl(lab.host("builder1"), f"http://{lab.address('proxy1')}:3001/debug/pprof/")[1] == 7  # refused
    user, password = auth
    assert curl(proxy, f"https://{lab.address('proxy1')}{PREFIX}/debug/pprof/", "-k", f"-u '{user}:{password}'")[0] == "404"


# ---------------------------------------------------------------------------------------------- firewall


def test_iptables_firewall_lets_only_builder1_in(lab):
    proxy = lab.podman("proxy1")  # not ssh: a wrong rule must not hide behind a lost connection
    rules = proxy.check_output("iptables -w -S GOMOD-ATHENS").splitlines()
    builder = lab.address("builder1")
    assert rules == [
        "-N GOMOD-ATHENS",
        "-A GOMOD-ATHENS ! -p tcp -j RETURN",
        "-A GOMOD-ATHENS -p tcp -m tcp ! --dport 443 -j RETURN",
        "-A GOMOD-ATHENS -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
        "-A GOMOD-ATHENS -i lo -j ACCEPT",
        f"-A GOMOD-ATHENS -s {builder}/32 -j ACCEPT",
        "-A GOMOD-ATHENS -j DROP",
    ]
    assert proxy.check_output("iptables -w -S INPUT").splitlines()[1] == "-A INPUT -j GOMOD-ATHENS"
    assert proxy.run("ip6tables -w -C INPUT -j GOMOD-ATHENS").rc == 0
    assert proxy.run("nft list table inet gomod_athens").rc != 0
    assert proxy.check_output("systemctl is-active athens-firewall.service").strip() == "active"
    record = json.loads(proxy.file("/etc/athens/firewall.json").content_string)
    assert (record["backend"], record["port"], record["sources"]) == ("iptables", 443, [f"{builder}/32"])
    drops = int(proxy.check_output("iptables -w -nvx -L GOMOD-ATHENS | awk '$3 == \"DROP\" {print $1}'"))
    # upstream1 is a lab host too, but not an allowed source: its packets are dropped (curl times out)
    assert curl(lab.host("upstream1"), url("/readyz"), "-k", "--max-time 3")[1] == 28
    assert int(proxy.check_output("iptables -w -nvx -L GOMOD-ATHENS | awk '$3 == \"DROP\" {print $1}'")) > drops
    assert curl(lab.host("builder1"), url("/readyz"), f"--cacert {CA}")[0] == "401"
    for name in lab.names():  # ssh still works everywhere, the proxy included
        assert lab.host(name).run("true").rc == 0, name
