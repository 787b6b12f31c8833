"""The HA lab (inventories/lab-ha) as the HA suite (tests/ha) and bench/ha drive it.

Reads the lab state that `tools/lab.sh up --inventory inventories/lab-ha` wrote and reaches every host over
ssh with the lab's ssh_config (one multiplexed connection per host). What the checks need:

  lab.ssh("builder1", "go version")                 run a command (CompletedProcess, text)
  lab.prepare_builders()                            /opt/fleet (the fleet project) + fleet-download on each
  lab.downloads(["builder1", ...], url)             concurrent fleet downloads, one per entry: Download rows
  lab.cold()                                        empty the S3 bucket and redis: every module is cold again
  cursor = lab.upstream_cursor(); lab.upstream_fetches(cursor)
                                                    what Athens asked upstream since: {module@version: {ext: n}}
  lab.servers()                                     the LB's view of the replicas (runtime API)
  lab.play("playbooks/rolling.yml", "--limit", "proxy1", extra={...})   (rc, output, recap)
"""

import collections
import concurrent.futures
import importlib.util
import json
import os
import re
import shlex
import subprocess
import time
import urllib.parse
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
_SPEC = importlib.util.spec_from_file_location("check_recap", REPO / "tools" / "check_recap.py")
check_recap = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(check_recap)
INVENTORY = REPO / "inventories" / "lab-ha"
STATE = REPO / ".cache" / "lab" / "gomod-lab-ha" / "state.json"
FLEET = REPO / "lab" / "upstream" / "ha"
# python3 -m http.server's access log line: '<client> - - [<date>] "GET <path> HTTP/1.1" <status> -'
ACCESS = re.compile(r'"GET /mod/(?P<path>\S+)/@v/(?P<version>[^/\s]+)\.(?P<ext>info|mod|zip) HTTP/[0-9.]+" (?P<status>\d+)')

Download = collections.namedtuple("Download", "host rc seconds output")


def unescape(path):
    """The module path of a GOPROXY URL path as the access log has it (%21 is !, !x is X)."""
    return re.sub(r"!([a-z])", lambda m: m.group(1).upper(), urllib.parse.unquote(path))


class HaLab:
    def __init__(self, state_path=None):
        path = Path(state_path or os.environ.get("GOMOD_LAB_HA_STATE") or STATE)
        if not path.exists():
            raise FileNotFoundError(f"no HA lab state at {path}: tools/lab.sh up --inventory inventories/lab-ha")
        self.state = json.loads(path.read_text())
        self.vars = dict(self.state["vars"])
        self.vars.update(yaml.safe_load((INVENTORY / "group_vars" / "all.yml").read_text()))
        self.ssh_config = self.state["ssh_config"]

    # --- hosts ------------------------------------------------------------------------------------------------

    def group(self, name):
        return [h for h, v in self.state["hosts"].items() if name in v["groups"]]

    def address(self, host):
        return self.state["hosts"][host]["address"]

    def ssh(self, host, command, check=True, timeout=600, stdin=None):
        proc = subprocess.run(["ssh", "-F", self.ssh_config, host, command], input=stdin, capture_output=True,
                              text=True, timeout=timeout, check=False)
        if check and proc.returncode != 0:
            raise AssertionError(f"{host}: {command!r} failed ({proc.returncode}): {proc.stderr}{proc.stdout}"[-3000:])
        return proc

    def scp(self, host, sources, dest):
        subprocess.run(["scp", "-q", "-F", self.ssh_config, *map(str, sources), f"{host}:{dest}"], check=True,
                       timeout=120)

    def parallel(self, calls):
        """Run (function, args) pairs at once; results in order."""
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, len(calls))) as pool:
            futures = [pool.submit(fn, *args) for fn, args in calls]
            return [f.result() for f in futures]

    # --- the fleet project, downloaded by several builders at once ---------------------------------------------

    def prepare_builders(self):
        def one(host):
            self.ssh(host, "mkdir -p /opt/fleet")
            self.scp(host, [FLEET / "go.mod", FLEET / "go.sum", FLEET / "main.go"], "/opt/fleet/")
            self.scp(host, [REPO / "lab" / "ha" / "fleet-download.sh"], "/usr/local/bin/fleet-download")
        self.parallel([(one, (h,)) for h in self.group("builders")])

    def fleet_modules(self):
        """module@version of every module the fleet project's go.mod requires: `go mod download` fetches each
        one's zip (the go.mod of the others in the module graph only)."""
        text = (FLEET / "go.mod").read_text()
        body = " ".join(re.findall(r"require \(([^)]*)\)", text))
        return sorted({f"{m}@{v}" for m, v in re.findall(r"^\s*(\S+) (v\S+)", body, re.M)})

    def download(self, host, url, sumdb="off"):
        proc = self.ssh(host, f"fleet-download {shlex.quote(url)} {shlex.quote(sumdb)}", check=False)
        last = proc.stdout.strip().splitlines()[-1:] or ["255 0"]
        try:
            rc, seconds = last[0].split()
            return Download(host, int(rc), float(seconds), proc.stdout + proc.stderr)
        except ValueError:
            return Download(host, 255, 0.0, proc.stdout + proc.stderr)

    def downloads(self, hosts, url, sumdb="off"):
        return self.parallel([(self.download, (h, url, sumdb)) for h in hosts])

    def clients(self, count):
        """`count` concurrent builders spread over the builder hosts (each download has its own caches)."""
        builders = self.group("builders")
        return [builders[i % len(builders)] for i in range(count)]

    # --- state: cold storage, upstream's log, the load balancer --------------------------------------------------

    def cold(self):
        """Every module cold: the bucket emptied through SeaweedFS' filer API, redis flushed (no lock left)."""
        bucket = self.vars["lab_s3_bucket"]
        script = (
            "import json, urllib.request\n"
            f"base = 'http://127.0.0.1:8888/buckets/{bucket}/'\n"
            "req = urllib.request.Request(base + '?limit=10000', headers={'Accept': 'application/json'})\n"
            "for e in json.load(urllib.request.urlopen(req)).get('Entries') or []:\n"
            "    urllib.request.urlopen(urllib.request.Request('http://127.0.0.1:8888' + e['FullPath']"
            " + '?recursive=true', method='DELETE'))\n")
        store = self.group("lab_storage")[0]
        self.ssh(store, "python3 -", stdin=script)
        self.ssh(store, f"REDISCLI_AUTH={shlex.quote(self.vars['lab_redis_password'])} redis-cli FLUSHALL")

    def upstream_cursor(self):
        out = self.ssh("upstream1", "journalctl -u lab-upstream.service -n 0 --show-cursor --no-pager").stdout
        return out.strip().split("cursor: ", 1)[1]

    def upstream_log(self, cursor):
        return self.ssh("upstream1", f"journalctl -u lab-upstream.service --after-cursor={shlex.quote(cursor)} "
                                     "--no-pager -o cat").stdout.splitlines()

    def upstream_fetches(self, cursor, client=None):
        """{module@version: Counter(info=, mod=, zip=)} of the GETs upstream answered since the cursor
        (from `client`'s address only, when given)."""
        fetches = collections.defaultdict(collections.Counter)
        for line in self.upstream_log(cursor):
            if client and not line.startswith(client + " "):
                continue
            match = ACCESS.search(line)
            if match:
                fetches[f"{unescape(match['path'])}@{match['version']}"][match["ext"]] += 1
        return fetches

    def servers(self, lb=None):
        lb = lb or self.group("goproxy_lb")[0]
        out = self.ssh(lb, "python3 /usr/local/libexec/gomod-proxy/goproxy-lb-servers /run/haproxy/admin.sock athens")
        return {s["name"]: s for s in json.loads(out.stdout)}

    def wait_servers(self, predicate, timeout=60, lb=None):
        deadline = time.monotonic() + timeout
        while True:
            current = self.servers(lb)
            if predicate(current):
                return current
            if time.monotonic() > deadline:
                raise AssertionError(f"load balancer state not reached in {timeout}s: {current}")
            time.sleep(0.5)

    def athens_pid(self, host):
        return int(self.ssh(host, "systemctl show -p MainPID --value athens.service").stdout.strip())

    def play(self, playbook, *args, extra=None, timeout=900):
        """ansible-playbook on the HA lab: (rc, output, {host: recap counters})."""
        env = dict(os.environ, ANSIBLE_CONFIG=str(REPO / "ansible.cfg"), ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0",
                   ANSIBLE_COLLECTIONS_PATH=str(REPO / ".cache" / "collections"))
        cmd = ["ansible-playbook", "-i", str(INVENTORY), str(REPO / playbook), *args]
        if extra:
            cmd += ["-e", json.dumps(extra)]
        proc = subprocess.run(cmd, cwd=str(REPO), env=env, capture_output=True, text=True, timeout=timeout, check=False)
        out = proc.stdout + proc.stderr
        return proc.returncode, out, check_recap.parse_recap(out)

    def lb_url(self):
        return f"http://{self.vars['athens_dns_name']}"
