"""gomod.proxy.athens run again by the tests: Athens moved to a unix socket and back, a wrong redis password,
and every storage, single-flight and index pass-through rendered with the role's template, then checked by
the role's athens-config-check, loaded by Athens' own configuration package and started with the Athens
binary. Each test leaves proxy1 as converge made it.

The runs use tests/playbooks/athens.yml (converge's Athens play) and tests/playbooks/render.yml with the
scenario's inventory, so they need molecule's ephemeral directory: with plain pytest they are skipped.
"""

import base64
import json
import os
import re
import shutil
import subprocess
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from scenario_playbook import run_playbook as playbook

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[3]
EPHEMERAL = os.environ.get("MOLECULE_EPHEMERAL_DIRECTORY", "")
CONFIG = "/etc/athens/athens.toml"
SOCKET = "/run/athens/athens.sock"
PREFIX = "/goproxy"
CHECKER = "python3 /usr/local/libexec/gomod-proxy/athens-config-check --production-perms --base-dir /var/lib/athens"
RENDER_DIR = "/tmp/athens-render"

pytestmark = pytest.mark.skipif(not EPHEMERAL, reason="runs ansible-playbook with molecule's inventory")


def athens(*args, **kw):
    return playbook(HERE / "playbooks" / "athens.yml", *args, **kw)


@pytest.fixture(scope="module")
def secrets(lab):
    conf = tomllib.loads(lab.host("proxy1").file(CONFIG).content_string)
    return {"user": conf["BasicAuthUser"], "password": conf["BasicAuthPass"],
            "redis": conf["SingleFlight"]["Redis"]["Password"]}


def assert_no_secrets(out, secrets):
    for what in ("password", "redis"):
        assert secrets[what] not in out, f"the {what} password is in the ansible-playbook output"


def builder_status(lab, secrets):
    """HTTP status of an authenticated module list from builder1 over HTTPS, and curl's exit status."""
    result = lab.host("builder1").run(
        f"curl -s --max-time 5 -o /dev/null -w '%{{http_code}}' --cacert /opt/athens-ca.pem "
        f"-u '{secrets['user']}:{secrets['password']}' https://proxy1.lab.test{PREFIX}/github.com/google/uuid/@v/list")
    return result.stdout, result.rc


# ---------------------------------------------------------------------------------------------- unix socket


def socket_status(proxy, secrets, *, as_group="athens", auth=True):
    """Status of a request over Athens' unix socket (it still speaks TLS there), as user nobody with the
    given primary group; '000' when the socket refused the connection."""
    creds = f"-u '{secrets['user']}:{secrets['password']}'" if auth else ""
    result = proxy.run(
        f"setpriv --reuid=nobody --regid={as_group} --clear-groups curl -sk --max-time 5 -o /dev/null "
        f"-w '%{{http_code}}' --unix-socket {SOCKET} {creds} https://localhost{PREFIX}/github.com/google/uuid/@v/list")
    return result.stdout, result.rc


def test_move_to_a_unix_socket_and_back(lab, secrets):
    proxy = lab.podman("proxy1")  # the firewall changes on the way
    # The role's proof downloads through athens_verify_url, which a front proxy would serve: there is none here.
    rc, out, recap = athens(extra={"athens_unix_socket": SOCKET, "athens_verify": False})
    assert rc == 0, out[-3000:]
    assert_no_secrets(out, secrets)
    try:
        sock = proxy.file(SOCKET)
        assert sock.is_socket and (sock.user, sock.group, sock.mode) == ("athens", "athens", 0o770)
        assert (proxy.file("/run/athens").group, proxy.file("/run/athens").mode) == ("athens", 0o750)
        assert proxy.check_output("ss -Htln 'sport = :443'").strip() == ""
        assert builder_status(lab, secrets)[1] == 7  # nothing listens on the address any more
        # a front proxy in group athens gets in (with the credentials; TLS and the prefix stay), others do not
        assert socket_status(proxy, secrets) == ("200", 0)
        assert socket_status(proxy, secrets, auth=False) == ("401", 0)
        assert socket_status(proxy, secrets, as_group="nogroup")[1] == 7
        props = dict(line.split("=", 1) for line in proxy.check_output(
            "systemctl show athens.service -p CapabilityBoundingSet -p AmbientCapabilities -p UMask "
            "-p RuntimeDirectory").splitlines())
        assert props == {"CapabilityBoundingSet": "", "AmbientCapabilities": "", "UMask": "0007",
                         "RuntimeDirectory": "athens"}
        conf = tomllib.loads(proxy.file(CONFIG).content_string)
        assert conf["UnixSocket"] == SOCKET
        # no port, so no firewall: the role removed its chain and unit
        assert proxy.run("iptables -w -n -L GOMOD-ATHENS").rc != 0
        assert proxy.run("systemctl is-active athens-firewall.service").rc != 0
        assert json.loads(proxy.file("/etc/athens/firewall.json").content_string)["backend"] == "none"
    finally:
        rc, out, recap = athens()
    assert rc == 0 and recap["proxy1"]["changed"] > 0, out[-3000:]
    assert_no_secrets(out, secrets)
    assert proxy.check_output("ss -Htln 'sport = :443'").split()[3] == f"{lab.address('proxy1')}:443"
    assert not proxy.file(SOCKET).exists
    assert builder_status(lab, secrets) == ("200", 0)
    assert proxy.run("iptables -w -C INPUT -j GOMOD-ATHENS").rc == 0
    assert proxy.check_output("systemctl is-active athens-firewall.service").strip() == "active"
    caps = proxy.check_output("systemctl show athens.service -p AmbientCapabilities --value").strip()
    assert caps == "cap_net_bind_service"
    rc, out, recap = athens()  # back where converge left it: nothing more to change
    assert rc == 0 and recap["proxy1"]["changed"] == 0, out[-3000:]


# ---------------------------------------------------------------------------------------------- redis


def test_wrong_redis_password_fails_before_athens_toml_changes(lab, secrets):
    # The role asks redis with the configured password first (athens_check_backends): the run fails naming the
    # setting, and the running configuration stays as it was.
    proxy = lab.host("proxy1")
    before = proxy.check_output(f"sha256sum {CONFIG}; systemctl show -p MainPID --value athens.service")
    rc, out, recap = athens("--tags", "athens_configure,athens_service",
                            extra={"athens_redis_password": "not-the-redis-password"})
    assert rc != 0 and recap["proxy1"]["failed"] == 1, out[-3000:]
    assert "athens_redis_password: redis at" in out and "WRONGPASS" in out, out[-3000:]
    assert recap["proxy1"]["changed"] == 0, out[-3000:]
    assert proxy.check_output(f"sha256sum {CONFIG}; systemctl show -p MainPID --value athens.service") == before
    assert_no_secrets(out, secrets)
    assert "not-the-redis-password" not in out
    assert builder_status(lab, secrets) == ("200", 0)


def test_wrong_redis_password_without_the_check_fails_the_run_with_athens_reason(lab, secrets):
    rc, out, recap = athens("--tags", "athens_configure,athens_service",
                            extra={"athens_redis_password": "not-the-redis-password", "athens_readyz_timeout": 10,
                                   "athens_check_backends": False})
    try:
        assert rc != 0 and recap["proxy1"]["failed"] == 1, out[-3000:]
        assert "Athens did not answer" in out, out[-3000:]
        # Athens pings redis when it starts, and the role shows why it exited
        assert re.search(r"Could not create App: .*WRONGPASS", out), out[-3000:]
        assert_no_secrets(out, secrets)
        assert "not-the-redis-password" not in out
    finally:
        rc, out, recap = athens("--tags", "athens_configure,athens_service")
    assert rc == 0 and recap["proxy1"]["changed"] >= 2, out[-3000:]  # the file, the restart
    assert builder_status(lab, secrets) == ("200", 0)


# ---------------------------------------------------------------------------------------------- pass-throughs

# One case per pass-through of athens.toml.j2: the role's variables, where Athens' Config holds the table and
# what it must hold there, and what Athens' own output names when it starts with the file (None: nothing
# quick and certain; minio retries for minutes, azureblob and etcd wait for hosts that never answer).
# Endpoints are closed local ports, one per case, so that Athens' error names the one it read.
S3 = {"Region": "eu-west-1", "Bucket": "athens", "Key": "AKIAEXAMPLE", "Secret": "s3-secret", "ForcePathStyle": True,
      "Endpoint": "http://127.0.0.1:39101"}
MINIO = {"Endpoint": "127.0.0.1:39102", "Key": "minio", "Secret": "minio-secret", "Bucket": "athens", "Region": "lab",
         "EnableSSL": False}
GCP = {"ProjectID": "lab-project", "Bucket": "athens-modules", "JSONKey": "bm90LWEta2V5"}
AZURE = {"AccountName": "athenslab", "AccountKey": "bm90LWEta2V5", "ContainerName": "modules"}
# (DefaultDBName and DefaultCollectionName: see test_misspelled_mistyped_or_ignored_pass_through_is_refused)
MONGO = {"URL": "mongodb://127.0.0.1:39105/?serverSelectionTimeoutMS=1500&connectTimeoutMS=1500",
         "InsecureConn": True}
SENTINEL = {"Endpoints": ["127.0.0.1:39108"], "MasterName": "athens-master", "SentinelPassword": "sentinel-secret",
            "RedisUsername": "athens", "RedisPassword": "redis-secret", "DB": 2,
            "LockConfig": {"TTL": 300, "Timeout": 10, "MaxRetries": 3}}
MYSQL = {"Protocol": "tcp", "Host": "127.0.0.1", "Port": 39109, "User": "athens", "Password": "mysql-secret",
         "Database": "athens", "Params": {"parseTime": "true", "timeout": "2s"}}
POSTGRES = {"Host": "127.0.0.1", "Port": 39110, "User": "athens", "Password": "pg-secret", "Database": "athens",
            "Params": {"sslmode": "disable", "connect_timeout": "2"}}
PASS_THROUGH = {
    "s3": ({"athens_storage_type": "s3", "athens_storage_s3": S3}, ("Storage", "S3"), S3, r"127\.0\.0\.1:39101"),
    "minio": ({"athens_storage_type": "minio", "athens_storage_minio": MINIO}, ("Storage", "Minio"), MINIO, None),
    "gcp": ({"athens_storage_type": "gcp", "athens_storage_gcp": GCP}, ("Storage", "GCP"), GCP,
            r"failed to parse JSON key"),  # Athens decodes JSONKey (not a real key here) before anything else
    "azureblob": ({"athens_storage_type": "azureblob", "athens_storage_azureblob": AZURE}, ("Storage", "AzureBlob"),
                  AZURE, None),
    "mongo": ({"athens_storage_type": "mongo", "athens_storage_mongo": MONGO}, ("Storage", "Mongo"), MONGO,
              r"127\.0\.0\.1:39105"),
    "external": ({"athens_storage_type": "external", "athens_storage_external_url": "http://127.0.0.1:39106"},
                 ("Storage", "External"), {"URL": "http://127.0.0.1:39106"}, r"127\.0\.0\.1:39106"),
    "etcd": ({"athens_single_flight_type": "etcd", "athens_single_flight_etcd_endpoints": [
        "127.0.0.1:39107", "127.0.0.1:39117"]}, ("SingleFlight", "Etcd"),
        {"Endpoints": "127.0.0.1:39107,127.0.0.1:39117"}, None),
    "redis-sentinel": ({"athens_single_flight_type": "redis-sentinel", "athens_single_flight_redis_sentinel": SENTINEL},
                       ("SingleFlight", "RedisSentinel"), SENTINEL, r"127\.0\.0\.1:39108"),
    "mysql": ({"athens_index_type": "mysql", "athens_index_mysql": MYSQL}, ("Index", "MySQL"), MYSQL,
              r"127\.0\.0\.1:39109"),
    "postgres": ({"athens_index_type": "postgres", "athens_index_postgres": POSTGRES}, ("Index", "Postgres"), POSTGRES,
                 r"127\.0\.0\.1:39110"),
}

# Loads a configuration file with Athens' own config package (ParseConfigFile: defaults, TOML decoding,
# GoEnv production's permission check, validation) and prints the result as JSON.
LOADER = """package main

import (
    "encoding/json"
    "fmt"
    "os"

    "github.com/gomods/athens/pkg/config"
)

func main() {
    conf, err := config.ParseConfigFile(os.Args[1])
    if err != nil {
        fmt.Fprintln(os.Stderr, err)
        os.Exit(1)
    }
    _ = json.NewEncoder(os.Stdout).Encode(conf)
}
"""

# Starts the Athens binary with each rendered file (as the athens user, all at once) and keeps its output in
# RENDER_DIR/<case>/athens.log: it either exits at once (a backend it cannot reach) or listens, and then a
# module request makes it use its storage. Arguments: user:password, then case:port pairs.
START_ATHENS = r"""
creds=$1; shift
cd /var/lib/athens
start() {
  dir=RENDER_DIR/$1 port=$2
  runuser -u athens -- timeout 15 /usr/local/bin/athens -config_file $dir/athens.toml > $dir/athens.log 2>&1 &
  pid=$!
  for _ in $(seq 40); do
    kill -0 $pid 2>/dev/null || break
    curl -s -o /dev/null http://127.0.0.1:$port/ && break
    sleep 0.25
  done
  if kill -0 $pid 2>/dev/null; then
    curl -s -o /dev/null --max-time 8 -u "$creds" http://127.0.0.1:${port}PREFIX/rsc.io/quote/@v/v1.5.2.info
    kill $pid 2>/dev/null
  fi
  wait $pid
  echo "$1 exit=$?" >> $dir/athens.log
}
for c in "$@"; do start "${c%:*}" "${c##*:}" & done
wait
""".replace("RENDER_DIR", RENDER_DIR).replace("PREFIX", PREFIX)


@pytest.fixture(scope="session")
def athens_loader(tmp_path_factory):
    """Athens' config package as a command, built on the controller from the module cache."""
    go = shutil.which("go") or "/usr/local/go/bin/go"
    version = re.search(r"^athens_version: (\S+)$", (REPO / "roles/athens/defaults/main.yml").read_text(), re.M).group(1)
    work = tmp_path_factory.mktemp("athens-loader")
    env = dict(os.environ, GOFLAGS="-mod=mod", GOTOOLCHAIN="local", CGO_ENABLED="0")
    source = json.loads(subprocess.run([go, "mod", "download", "-json", f"github.com/gomods/athens@{version}"],
                                       cwd=work, env=env, capture_output=True, text=True, check=True).stdout)
    gomod = Path(source["GoMod"]).read_text()
    (work / "go.mod").write_text(re.sub(r"^module .*$", "module lab.test/athensloader", gomod, count=1, flags=re.M)
                                 + f"\nrequire github.com/gomods/athens {version}\n")
    shutil.copy(Path(source["Dir"]) / "go.sum", work / "go.sum")
    (work / "main.go").write_text(LOADER)
    # Athens' own go.mod lists its whole module graph, so nothing is looked up: every module is in the cache
    # since Athens was built from it (and was checked against the checksum database when it was downloaded).
    build = subprocess.run([go, "build", "-o", "athens-loader", "."], cwd=work, capture_output=True, text=True,
                           env=dict(env, GOPROXY="off", GOSUMDB="off"), check=False)
    assert build.returncode == 0, build.stderr
    return work / "athens-loader"


def athens_load(loader, text, tmp_path, name):
    """(rc, Config as JSON or the error) of Athens' config package for the file contents `text`."""
    path = tmp_path / f"{name}.toml"
    path.write_text(text)
    path.chmod(0o640)  # GoEnv production refuses group/other write bits
    proc = subprocess.run([str(loader), str(path)], capture_output=True, text=True, check=False,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})  # no ATHENS_* overrides
    return proc.returncode, json.loads(proc.stdout) if proc.returncode == 0 else proc.stderr


def render(cases):
    """Render athens.toml.j2 on proxy1 for each case {name: extra vars}, in parallel; {name: (rc, out, port)}.
    Plain HTTP on a free loopback port, no pprof: the tests start Athens next to the real one."""
    def one(item):
        index, (name, extra) = item
        port = 3410 + index
        settings = {"athens_test_render_dir": f"{RENDER_DIR}/{name}", "athens_listen_address": "127.0.0.1",
                    "athens_port": port, "athens_enable_pprof": False, "athens_timeout": 5, "athens_tls_cert_file": "",
                    "athens_tls_key_file": "", "athens_tls_cert": "", "athens_tls_key": "", **extra}
        rc, out, dummy = playbook(HERE / "playbooks" / "render.yml", extra=settings)
        return name, (rc, out, port)
    with ThreadPoolExecutor(max_workers=len(cases)) as pool:
        return dict(pool.map(one, enumerate(cases.items())))


def subset(expected, actual):
    """Whether every key of `expected` has its value in `actual` (recursively for tables)."""
    return all(subset(v, actual.get(k) or {}) if isinstance(v, dict) else actual.get(k) == v
               for k, v in expected.items())


def test_every_pass_through_passes_the_checker_and_is_read_by_athens(lab, secrets, athens_loader, tmp_path):
    proxy = lab.host("proxy1")
    try:
        rendered = render({name: case[0] for name, case in PASS_THROUGH.items()})
        for name, (rc, out, dummy) in rendered.items():
            assert rc == 0, (name, out[-3000:])
            assert_no_secrets(out, secrets)
        for name, (extra, (section, table), expected, dummy) in PASS_THROUGH.items():
            path = f"{RENDER_DIR}/{name}/athens.toml"
            check = proxy.run(f"{CHECKER} {path}")
            assert check.rc == 0, (name, check.stderr)
            rc, conf = athens_load(athens_loader, proxy.file(path).content_string, tmp_path, name)
            assert rc == 0, (name, conf)
            assert conf["StorageType"] == extra.get("athens_storage_type", "disk"), name
            assert conf["SingleFlightType"] == extra.get("athens_single_flight_type", "redis"), name
            assert conf["IndexType"] == extra.get("athens_index_type", "memory"), name
            # every value the role was given, under Athens' own names (a name Athens does not know is dropped)
            assert subset(expected, conf[section][table]), (name, conf[section][table])

        # The Athens binary with each file: past its configuration, on to the backend the file names.
        pairs = " ".join(f"{name}:{port}" for name, (dummy1, dummy2, port) in rendered.items())
        script = f"{RENDER_DIR}/start-athens.sh"
        proxy.check_output(f"echo {base64.b64encode(START_ATHENS.encode()).decode()} | base64 -d > {script}")
        proxy.run(f"bash {script} '{secrets['user']}:{secrets['password']}' {pairs}")
        for name, (dummy1, dummy2, dummy3, evidence) in PASS_THROUGH.items():
            log = proxy.file(f"{RENDER_DIR}/{name}/athens.log").content_string
            assert f"{name} exit=" in log, (name, log[-2000:])
            assert "Could not load config file" not in log, (name, log[-2000:])
            if evidence:
                assert re.search(evidence, log), (name, log[-2000:])
    finally:
        proxy.run(f"rm -rf {RENDER_DIR}")


def test_misspelled_mistyped_or_ignored_pass_through_is_refused(lab, athens_loader, tmp_path):
    proxy = lab.host("proxy1")
    typo = {"athens_storage_type": "s3", "athens_storage_s3": {
        "Region": "eu-west-1", "Bucket": "athens", "Endpiont": "http://127.0.0.1:39101"}}
    mistyped = {"athens_storage_type": "minio", "athens_storage_minio": dict(MINIO, EnableSSL="no")}
    ignored = {"athens_storage_type": "mongo", "athens_storage_mongo": dict(MONGO, DefaultDBName="goproxy")}
    try:
        rendered = render({"typo": typo, "mistyped": mistyped, "ignored": ignored})
        assert all(result[0] == 0 for result in rendered.values()), rendered
        # Athens drops the unknown key without a word and would talk to AWS itself; the checker names it
        text = proxy.file(f"{RENDER_DIR}/typo/athens.toml").content_string
        rc, conf = athens_load(athens_loader, text, tmp_path, "typo")
        assert rc == 0 and conf["Storage"]["S3"]["Endpoint"] == "", conf
        check = proxy.run(f"{CHECKER} {RENDER_DIR}/typo/athens.toml")
        assert check.rc == 1 and "Storage.S3.Endpiont: unknown key" in check.stderr, check.stderr
        # a string for a boolean: both refuse it
        text = proxy.file(f"{RENDER_DIR}/mistyped/athens.toml").content_string
        rc, error = athens_load(athens_loader, text, tmp_path, "mistyped")
        assert rc == 1 and "EnableSSL" in error, error
        check = proxy.run(f"{CHECKER} {RENDER_DIR}/mistyped/athens.toml")
        assert check.rc == 1 and "Storage.Minio.EnableSSL: must be a boolean" in check.stderr, check.stderr
        # Athens v0.18 decodes the file, then envconfig gives DefaultDBName its default: the file's value is lost
        text = proxy.file(f"{RENDER_DIR}/ignored/athens.toml").content_string
        assert 'DefaultDBName = "goproxy"' in text
        rc, conf = athens_load(athens_loader, text, tmp_path, "ignored")
        assert rc == 0 and conf["Storage"]["Mongo"]["DefaultDBName"] == "athens", conf
        check = proxy.run(f"{CHECKER} {RENDER_DIR}/ignored/athens.toml")
        assert check.rc == 1 and "Storage.Mongo.DefaultDBName: Athens ignores it" in check.stderr, check.stderr
    finally:
        proxy.run(f"rm -rf {RENDER_DIR}")
    # and the role does not install such a file: its validate step runs the checker
    before = proxy.check_output(f"sha256sum {CONFIG}; systemctl show -p MainPID --value athens.service")
    # (the backend check off: it would refuse the bucket first, before the file is rendered and validated)
    rc, out, recap = athens("--tags", "athens_configure", extra=dict(typo, athens_check_backends=False))
    assert rc != 0 and "Storage.S3.Endpiont: unknown key" in out, out[-3000:]
    assert recap["proxy1"]["changed"] == 0, out[-3000:]
    assert proxy.check_output(f"sha256sum {CONFIG}; systemctl show -p MainPID --value athens.service") == before
