"""Athens for a fleet that outgrows one proxy: replicas sharing one S3 bucket and a redis single-flight lock
behind HAProxy (gomod.proxy.goproxy_lb), on the HA lab. The tests run in this order on one lab and leave it
serving after each: load balancer setup, single flight across replicas, kill -9 of a replica mid-download,
a rolling change under load, storage lost, wrong credentials.

How each fails if the feature breaks:
  - single flight: a module fetched twice from upstream (redis lock not shared, or replicas not on one
    bucket) fails test_single_flight_across_replicas, naming the modules and their counts;
  - failover: a download failing while a replica is killed (no retry on another replica, no health check)
    fails test_kill_9_mid_download with go's error;
  - rolling: a download failing while replicas restart (no drain, a replica put back before it is ready)
    fails test_rolling_change_under_load;
  - storage: a replica that lost its storage still getting requests, or an unclear error, fails
    test_storage_lost_*; a wrong secret reaching athens.toml fails test_wrong_*.
"""

import hashlib
import re
import shlex
import subprocess
import threading
import time

import pytest
import yaml

CLIENTS = 10  # builders downloading at once, over the lab's 5 builder hosts (own module cache each)


def failed(results):
    return [f"{r.host}: rc={r.rc} {r.output[-600:]}" for r in results if r.rc != 0]


def statuses(ha):
    return {name: s["status"] for name, s in ha.servers().items()}


def all_up(servers):
    return all(s["status"] == "UP" and s["check_status"] == "L7OK" for s in servers.values())


def toml_sha(ha, host):
    return hashlib.sha256(ha.ssh(host, "cat /etc/athens/athens.toml").stdout.encode()).hexdigest()


def master_cli(ha, lb, command):
    """A command on HAProxy's master CLI (the master socket of the drop-in)."""
    script = ("import socket, sys\n"
              "s = socket.socket(socket.AF_UNIX); s.settimeout(5); s.connect('/run/haproxy/master.sock')\n"
              "s.sendall(sys.argv[1].encode() + b'; quit\\n'); out = b''\n"
              "while True:\n"
              "    data = s.recv(65536)\n"
              "    if not data:\n"
              "        break\n"
              "    out += data\n"
              "print(out.decode())\n")
    return ha.ssh(lb, f"python3 - {shlex.quote(command)}", stdin=script).stdout


def retried(servers):
    """Requests the load balancer retried (wretr) or sent to another replica (wredis), over all replicas."""
    return sum(int(s["wretr"] or 0) + int(s["wredis"] or 0) for s in servers.values())


# --- the load balancer ---------------------------------------------------------------------------------------


def test_replicas_serve_behind_the_load_balancer(ha):
    servers = ha.servers()
    assert sorted(servers) == sorted(ha.group("goproxy")) and all_up(servers), servers
    builder, lb = ha.group("builders")[0], ha.group("goproxy_lb")[0]
    # The clients' name is the load balancer (athens_dns_address through the hosts backend).
    resolved = ha.ssh(builder, f"getent hosts {ha.vars['athens_dns_name']}").stdout.split()[0]
    assert resolved == ha.address(lb)
    assert ha.ssh(builder, f"curl -sf -o /dev/null -w '%{{http_code}}' {ha.lb_url()}/goproxy-lb/health").stdout == "200"
    # Builders reach the replicas only through it: the replicas' firewall drops them (curl times out).
    direct = ha.ssh(builder, f"curl -s --max-time 3 http://{ha.address('proxy1')}:3000/readyz", check=False)
    assert direct.returncode == 28, direct


def test_metrics_and_stats_for_prometheus(ha):
    lb = ha.address(ha.group("goproxy_lb")[0])
    metrics = ha.ssh("upstream1", f"curl -s --max-time 3 http://{lb}:8404/metrics", check=False)
    assert metrics.returncode == 28, "the stats port is open to the controller only"
    import urllib.request  # the controller is the lab's Prometheus
    with urllib.request.urlopen(f"http://{lb}:8404/metrics", timeout=10) as resp:  # noqa: S310 - lab address
        text = resp.read().decode()
    for name in ha.group("goproxy"):
        assert re.search(r'haproxy_server_status\{proxy="athens",server="%s",state="UP"\} 1' % name, text), name
    assert "haproxy_backend_retry_warnings_total" in text


def test_hardened_unit_and_validated_config(ha):
    lb = ha.group("goproxy_lb")[0]
    props = ha.ssh(lb, "systemctl show haproxy.service -p NoNewPrivileges -p ProtectSystem -p PrivateDevices "
                       "-p CapabilityBoundingSet -p RestrictNamespaces -p MemoryDenyWriteExecute").stdout
    assert "NoNewPrivileges=yes" in props and "ProtectSystem=strict" in props and "PrivateDevices=yes" in props
    assert "MemoryDenyWriteExecute=yes" in props and "cap_sys_admin" not in props.lower()
    exposure = ha.ssh(lb, "systemd-analyze security haproxy.service --no-pager | tail -1").stdout
    assert float(re.search(r"level for haproxy.service: ([0-9.]+)", exposure).group(1)) <= 3.0, exposure
    assert ha.ssh(lb, "haproxy -c -q -f /etc/haproxy/haproxy.cfg").returncode == 0
    # A reload leaves no old worker behind: the master may signal its workers (else the runtime API answers
    # from two processes with two states, and drain/undrain act on either).
    # The master re-executes itself on reload and opens its socket again: refused for a moment (seen right after
    # the reload on a quiet machine), so the question is asked again until the deadline.
    ha.ssh(lb, "systemctl reload haproxy.service")
    deadline = time.monotonic() + 30
    while True:
        try:
            procs = master_cli(ha, lb, "show proc")
        except AssertionError as e:
            if "ConnectionRefusedError" not in str(e) or time.monotonic() > deadline:
                raise
        else:
            if "# old workers" not in procs or time.monotonic() > deadline:
                break
        time.sleep(1)
    assert "# old workers" not in procs, procs


@pytest.fixture(scope="module")
def tls(tmp_path_factory):
    """A self-signed certificate for the clients' name, and the load balancer's variables terminating TLS
    with it (in a vars file: no key on a command line). TLS stays on for the rest of the suite, beside :80."""
    tmp = tmp_path_factory.mktemp("tls")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-days", "2", "-subj", "/CN=goproxy.lab.test", "-addext", "subjectAltName=DNS:goproxy.lab.test",
                    "-keyout", str(tmp / "key.pem"), "-out", str(tmp / "cert.pem")], check=True, capture_output=True)
    (tmp / "vars.yml").write_text(yaml.safe_dump({
        "goproxy_lb_tls_cert_file": "/etc/haproxy/goproxy-lb/goproxy.pem",
        "goproxy_lb_tls_cert": (tmp / "cert.pem").read_text(), "goproxy_lb_tls_key": (tmp / "key.pem").read_text()}))
    return tmp


def test_tls_termination(ha, tls):
    rc, out, recap = ha.play("playbooks/lb.yml", "-e", f"@{tls / 'vars.yml'}")
    assert rc == 0 and recap["lb1"]["changed"] > 0, out[-3000:]
    assert "BEGIN" not in out, "the key reached the output"
    builder = ha.group("builders")[0]
    ha.scp(builder, [tls / "cert.pem"], "/tmp/goproxy-ca.pem")
    url = f"https://{ha.vars['athens_dns_name']}"
    assert ha.ssh(builder, f"curl -sf --cacert /tmp/goproxy-ca.pem -o /dev/null -w '%{{http_code}}' "
                           f"{url}/goproxy-lb/health").stdout == "200"
    probe = ha.ssh(builder, f"cd $(mktemp -d) && HOME=$PWD GOPATH=$PWD/gopath GOMODCACHE=$PWD/mod GOFLAGS=-modcacherw "
                            f"GOSUMDB=off GOPROXY={url} SSL_CERT_FILE=/tmp/goproxy-ca.pem go mod download -json "
                            "rsc.io/quote@v1.5.2", check=False)
    assert probe.returncode == 0 and '"Zip"' in probe.stdout, probe.stdout + probe.stderr
    # 443 is open to the builders only, like 80 (upstream1 is no builder: its packets are dropped).
    assert ha.ssh("upstream1", f"curl -sk --max-time 3 https://{ha.address('lb1')}/", check=False).returncode == 28


def test_lb_check_mode_and_rerun_change_nothing(ha, tls):
    rc, out, recap = ha.play("playbooks/lb.yml", "-e", f"@{tls / 'vars.yml'}", "--check", "--diff")
    assert rc == 0 and all(c["changed"] == 0 for c in recap.values()), out[-3000:]
    rc, out, recap = ha.play("playbooks/lb.yml", "-e", f"@{tls / 'vars.yml'}")
    assert rc == 0 and all(c["changed"] == 0 for c in recap.values()), out[-3000:]


def fresh_host_state(ha, host):
    return ha.ssh(host, "dpkg-query -W -f '${Package} ${Status}\\n' | sha256sum; ls -d /etc/haproxy /usr/local/libexec/gomod-proxy "
                        "/etc/systemd/system/haproxy.service.d 2>/dev/null; nft list tables; "
                        "find /etc/systemd/system | sort | sha256sum").stdout


def test_lb_check_mode_on_a_fresh_host(ha):
    """Check mode where HAProxy was never installed: it predicts the changes and makes none."""
    host = ha.group("builders")[-1]
    before = fresh_host_state(ha, host)
    rc, out, recap = ha.play("tests/ha/playbooks/lb-fresh.yml", "--check", "-e", f"lb_fresh_host={host}")
    assert rc == 0 and recap[host]["changed"] > 0, out[-3000:]
    assert fresh_host_state(ha, host) == before


# --- single flight across replicas -----------------------------------------------------------------------------


def test_single_flight_across_replicas(ha):
    """Cold storage, 10 builders download the 43-module project at once through the load balancer: every
    module version reaches upstream exactly once, although the replicas that fetch them differ."""
    ha.cold()
    cursor = ha.upstream_cursor()
    results = ha.downloads(ha.clients(CLIENTS), ha.lb_url())
    assert not failed(results), failed(results)
    fetches = ha.upstream_fetches(cursor)
    modules = ha.fleet_modules()
    assert len(modules) >= 30
    not_once = {m: dict(fetches.get(m, {})) for m in modules if fetches.get(m, {}).get("zip", 0) != 1}
    assert not not_once, f"zip not fetched exactly once: {not_once}"
    repeated = {m: dict(c) for m, c in fetches.items() if max(c.values()) > 1}
    assert not repeated, f"fetched more than once from upstream: {repeated}"
    # The fetches were shared out: more than one replica fetched modules (the lock is across replicas).
    fetchers = {ha.address(p): p for p in ha.group("goproxy")}
    by = {p: len(ha.upstream_fetches(cursor, client=a)) for a, p in fetchers.items()}
    assert sum(1 for n in by.values() if n) >= 2, by


# --- a replica killed ------------------------------------------------------------------------------------------


def test_kill_9_mid_download(ha):
    """10 builders download cold modules; a replica is killed (SIGKILL of Athens) while it fetches one.
    Every download succeeds: its requests are retried on other replicas, which take over the dead replica's
    single-flight lock once its TTL ends; systemd restarts it and the load balancer takes it back."""
    ha.cold()
    replicas = ha.group("goproxy")
    killed = {}

    def kill_one_mid_fetch():
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not killed:
            for host in replicas:
                out = ha.ssh(host, "pgrep -u athens -f 'go mod download' >/dev/null && "
                                   "systemctl show -p MainPID --value athens.service", check=False).stdout.strip()
                if out and out != "0":
                    ha.ssh(host, f"kill -9 {out}")
                    killed.update(host=host, pid=int(out), at=time.time())
                    return
            time.sleep(0.1)

    retries = retried(ha.servers())
    killer = threading.Thread(target=kill_one_mid_fetch)
    killer.start()
    results = ha.downloads(ha.clients(CLIENTS), ha.lb_url())
    killer.join()
    assert killed, "no replica was fetching a module during the downloads"
    assert not failed(results), (killed, failed(results))
    # The load balancer retried the dead replica's requests on the others.
    assert retried(ha.servers()) > retries
    # systemd restarted Athens; the replica serves again.
    ha.wait_servers(all_up, timeout=90)
    assert ha.athens_pid(killed["host"]) not in (0, killed["pid"])


# --- rolling change --------------------------------------------------------------------------------------------


def test_rolling_change_under_load(ha):
    """playbooks/rolling.yml changes Athens' configuration replica by replica while every builder downloads
    the project in a loop through the load balancer: no download fails, every replica restarted with the
    change, each was drained first and is back in service."""
    replicas = ha.group("goproxy")
    pids = {h: ha.athens_pid(h) for h in replicas}
    workers_now = int(re.search(r"GoGetWorkers = (\d+)", ha.ssh(replicas[0], "cat /etc/athens/athens.toml").stdout)[1])
    stop, results = threading.Event(), []

    def loop(host):
        while not stop.is_set():
            results.append(ha.download(host, ha.lb_url()))

    workers = [threading.Thread(target=loop, args=(h,)) for h in ha.group("builders")[:2]]
    for w in workers:
        w.start()
    try:
        rc, out, recap = ha.play("playbooks/rolling.yml", "--tags", "athens_configure,athens_service,athens_verify",
                                 extra={"athens_goget_workers": workers_now + 1})
    finally:
        stop.set()
        for w in workers:
            w.join()
    assert rc == 0, out[-4000:]
    assert len(results) >= len(workers) * 2, len(results)
    assert not failed(results), failed(results)
    for host in replicas:
        assert ha.athens_pid(host) != pids[host], f"{host} was not restarted"
        assert f"GoGetWorkers = {workers_now + 1}" in ha.ssh(host, "cat /etc/athens/athens.toml").stdout
    lb = ha.group("goproxy_lb")[0]
    for host in replicas:  # each was drained (DRAIN, then MAINT once idle) before its restart
        drained = rf"Drain the replica on the load balancers - {host}\][^\n]*\n(?:[^\n]*\n)*?changed: \[{host} -> {lb}[(\]]"
        assert re.search(drained, out), out[-4000:]
    assert all_up(ha.servers())


# --- storage lost ----------------------------------------------------------------------------------------------


def test_storage_lost_by_one_replica(ha):
    """One replica loses its way to S3: its /readyz fails, the load balancer takes it out, downloads go on."""
    victim, store = ha.group("goproxy")[-1], ha.address(ha.group("lab_storage")[0])
    ha.ssh(victim, "nft add table inet lab_cut; nft add chain inet lab_cut out '{ type filter hook output priority 0; }'; "
                   f"nft add rule inet lab_cut out ip daddr {store} tcp dport 8333 reject with tcp reset")
    try:
        ready = ha.ssh(victim, "curl -s -o /dev/null -w '%{http_code}' --max-time 10 http://127.0.0.1:3000/readyz",
                       check=False).stdout
        assert ready == "500", ready
        servers = ha.wait_servers(lambda s: s[victim]["status"] == "DOWN", timeout=60)
        # 500, or a timeout while the S3 client retries: either way its check fails.
        assert servers[victim]["check_status"].strip("* ") in ("L7STS", "L7TOUT"), servers[victim]
        before = int(servers[victim]["lbtot"])
        results = ha.downloads(ha.clients(4), ha.lb_url())
        assert not failed(results), failed(results)
        assert int(ha.servers()[victim]["lbtot"]) == before, "the load balancer sent requests to it"
    finally:
        ha.ssh(victim, "nft delete table inet lab_cut", check=False)
    ha.wait_servers(all_up, timeout=60)


def test_storage_down_for_every_replica(ha):
    """The store itself stops: every /readyz fails, the load balancer sends nobody to them and answers
    clients with a 503 that says why, which go prints; everything serves again once the store is back."""
    store, builder = ha.group("lab_storage")[0], ha.group("builders")[0]
    ha.ssh(store, "systemctl stop lab-seaweedfs.service")
    try:
        for host in ha.group("goproxy"):
            assert ha.ssh(host, "curl -s -o /dev/null -w '%{http_code}' --max-time 10 http://127.0.0.1:3000/readyz",
                          check=False).stdout == "500", host
        ha.wait_servers(lambda s: all(v["status"] == "DOWN" for v in s.values()), timeout=30)
        health = ha.ssh(builder, f"curl -s -o /dev/null -w '%{{http_code}}' {ha.lb_url()}/goproxy-lb/health").stdout
        assert health == "503"
        result = ha.download(builder, ha.lb_url())
        assert result.rc != 0 and "no Athens replica is ready" in result.output, result.output
    finally:
        ha.ssh(store, "systemctl start lab-seaweedfs.service")
    ha.wait_servers(all_up, timeout=90)
    assert not failed(ha.downloads(ha.clients(2), ha.lb_url()))


# --- wrong credentials -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("setting, extra, named", [
    ("S3 secret", {"athens_storage_s3": {"Region": "us-east-1", "Bucket": "goproxy-modules", "Key": "gomod-athens",
                                         "Secret": "not-the-secret", "Endpoint": "http://store1.lab.test:8333",
                                         "ForcePathStyle": True}},
     "athens_storage_s3.Secret: the secret does not match the access key gomod-athens"),
    ("redis password", {"athens_redis_password": "not-the-password"},
     "athens_redis_password: redis at store1.lab.test:6379 refused it (WRONGPASS"),
])
def test_wrong_credentials_stop_the_rollout_before_the_switch(ha, setting, extra, named):
    """A rollout with a wrong secret fails on the first replica, naming the setting, before athens.toml
    changes: that replica stays drained with its old configuration running, the others serve untouched."""
    first, rest = ha.group("goproxy")[0], ha.group("goproxy")[1:]
    shas = {h: toml_sha(ha, h) for h in ha.group("goproxy")}
    pids = {h: ha.athens_pid(h) for h in ha.group("goproxy")}
    rc, out, recap = ha.play("playbooks/rolling.yml", "--tags", "athens_configure,athens_service,athens_verify",
                             extra=extra)
    assert rc != 0, setting
    assert named in out, out[-3000:]
    assert "not-the-" not in out, "a secret reached the output"
    assert set(recap) == {first}, f"the rollout went on after {first}: {recap}"
    assert {h: toml_sha(ha, h) for h in shas} == shas and {h: ha.athens_pid(h) for h in pids} == pids
    state = statuses(ha)
    assert state[first] == "MAINT" and all(state[h] == "UP" for h in rest), state
    assert not failed(ha.downloads(ha.clients(2), ha.lb_url()))
    rc, out, _recap = ha.play("tests/ha/playbooks/undrain.yml", "--limit", first)
    assert rc == 0, out[-3000:]
    assert all_up(ha.servers())
