"""The gomod.proxy lab: real Debian hosts as rootful podman containers with systemd as PID 1.

One implementation behind both ways of starting hosts, so they behave the same:
  tools/lab.sh up|down|status    the static lab of inventories/lab (hosts.yml + group_vars/all.yml)
  lab/molecule/create.yml        a molecule scenario's platforms (destroy.yml calls `down --molecule`)

Commands:
  up [--molecule PLATFORMS_JSON]   prepare the caches, start the hosts, wait until systemd runs and ssh answers
  down [--molecule]                remove the lab's containers and network (the cached image stays)
  status                           list the lab's containers (exit 0 all running, 3 none, 1 partial)
  prepare [--suite S]              only fill the caches: host image, upstream module tree, Go archive
  prune                            remove every container and network any lab or scenario left behind

Everything made carries the podman label gomod.proxy.lab=<lab id>; `down` removes by that label, so it
also cleans up after a failed or interrupted `up`. It also carries gomod.proxy.lab.checkout=<this checkout>:
`up` and `down` refuse a lab another checkout made (the static lab's names and subnet exist once per machine).

`up` first checks what the machine must provide (podman's netavark backend, aardvark-dns, nft for a silent
upstream) and, once the hosts run, that the gateway's resolver answers; each failure names its fix.
Host variable lab_dns_upstream: silent (GOMOD_LAB_DNS_UPSTREAM for the static lab) makes the lab's upstream
resolver drop that host's DNS packets: an nftables table gomod_lab_<lab id> on this machine, made by `up`,
removed by `down`. See docs/lab.md for the topology and the caches.
"""

import argparse
import concurrent.futures
import contextlib
import fcntl
import hashlib
import io
import ipaddress
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import time
import urllib.request
from pathlib import Path

import dnsquery  # lab/dnsquery.py, next to this file (the script's directory is on sys.path)

LAB_DIR = Path(__file__).resolve().parent
REPO = LAB_DIR.parent
CACHE = Path(os.environ.get("GOMOD_PROXY_CACHE") or Path.home() / ".cache" / "gomod-proxy") / "lab"
STATE_DIR = REPO / ".cache" / "lab"  # per clone: throw-away ssh key, state of the static lab, ssh sockets
KEY = STATE_DIR / "id_ed25519"
INVENTORY = REPO / "inventories" / "lab"
GOROOT = Path("/usr/local/go")

LABEL = "gomod.proxy.lab"
# The checkout that made a lab's network and containers: the static lab's names and subnet are fixed, so a
# second clone's `up` would otherwise take over (and its `down` remove) the first one's hosts.
CHECKOUT_LABEL = f"{LABEL}.checkout"
# lab_dns_upstream: what the lab's upstream resolver (aardvark-dns on the gateway) does with a host's queries.
DNS_UPSTREAMS = ("aardvark", "silent")
DNS_TABLE_PREFIX = "gomod_lab_"
DNS_CHECK_TIMEOUT = 2.0
# podman's default helper_binaries_dir, where netavark looks for aardvark-dns
PODMAN_HELPER_DIRS = ("/usr/local/libexec/podman", "/usr/local/lib/podman", "/usr/libexec/podman", "/usr/lib/podman")
HOST_FIX = ("run `make setup` (tools/setup-host.sh), or by hand: apt-get install netavark aardvark-dns and set "
            "[network] network_backend = \"netavark\" in /etc/containers/containers.conf")
IMAGE_REPO = "localhost/gomod-proxy-lab"
DEFAULT_SUITE = "bookworm"
SUITES = ("bookworm", "trixie")
CAPS = "NET_ADMIN,NET_RAW,SYS_ADMIN"  # firewalls, ping, systemd sandboxing (Protect*/Private*/DynamicUser)
DOMAIN = "lab.test"
READY_TIMEOUT = 90
MOLECULE_CONTROL_DIR = Path.home() / ".ansible" / "cp"  # set as control_path_dir in .config/molecule


class LabError(Exception):
    pass


def log(msg):
    print(f"\033[1m==> {msg}\033[0m", file=sys.stderr, flush=True)


def run(cmd, *, input=None, check=True, timeout=None, env=None, cwd=None):
    """Run a command, capturing output; raise LabError with its stderr when it fails and check is set."""
    try:
        proc = subprocess.run(cmd, input=input, capture_output=True, timeout=timeout, env=env, cwd=cwd,
                              check=False)
    except subprocess.TimeoutExpired as exc:
        raise LabError(f"timed out after {timeout}s: {' '.join(map(str, cmd))}") from exc
    if check and proc.returncode != 0:
        err = proc.stderr.decode(errors="replace").strip() or proc.stdout.decode(errors="replace").strip()
        raise LabError(f"{' '.join(map(str, cmd))} failed (rc={proc.returncode}): {err}")
    return proc


def podman(*args, **kwargs):
    return run(["podman", *map(str, args)], **kwargs)


def podman_out(*args, **kwargs):
    return podman(*args, **kwargs).stdout.decode().strip()


@contextlib.contextmanager
def file_lock(name):
    """Serialise cache builds between concurrent runs (two scenarios starting at once share one image)."""
    path = CACHE / "locks" / f"{name}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def tree_hash(root, names=None, extra=""):
    """Content hash of the files under root (paths and bytes), the key of a cache built from them."""
    digest = hashlib.sha256(extra.encode())
    for path in sorted(p for p in Path(root).rglob("*") if p.is_file() or p.is_symlink()):
        if names and path.name not in names:
            continue
        rel = path.relative_to(root).as_posix()
        digest.update(rel.encode() + b"\0")
        digest.update(os.readlink(path).encode() if path.is_symlink() else path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:12]


# --- caches: host image, upstream module tree, Go toolchain archive --------------------------------------


def image_ref(suite):
    return f"{IMAGE_REPO}:{suite}-{tree_hash(LAB_DIR / 'image', extra=suite)}"


def ensure_image(suite):
    """The host image of a Debian suite: in the podman store, else imported from the cached tarball,
    else built with debootstrap (lab/image/build.sh). Keyed by a hash of lab/image/ and the suite."""
    if suite not in SUITES:
        raise LabError(f"unknown suite {suite!r}; known: {', '.join(SUITES)}")
    ref = image_ref(suite)
    if podman("image", "exists", ref, check=False).returncode == 0:
        return ref
    with file_lock(f"image-{suite}"):
        if podman("image", "exists", ref, check=False).returncode == 0:
            return ref
        tarball = CACHE / "images" / f"{ref.rsplit(':', 1)[1]}.tar.zst"
        start = time.monotonic()
        if not tarball.exists():
            log(f"building lab image {ref} with debootstrap (once per recipe change; ~1-2 min)")
            logfile = CACHE / "logs" / f"build-{tarball.stem}.log"
            logfile.parent.mkdir(parents=True, exist_ok=True)
            with open(logfile, "wb") as out:
                proc = subprocess.run([str(LAB_DIR / "image" / "build.sh"), suite, str(tarball)],
                                      stdout=out, stderr=subprocess.STDOUT, check=False)
            if proc.returncode != 0:
                tail = logfile.read_text(errors="replace").splitlines()[-25:]
                raise LabError(f"image build failed, log: {logfile}\n" + "\n".join(tail))
            log(f"built {tarball.name} in {time.monotonic() - start:.0f}s")
        podman("import", "--change", 'CMD ["/sbin/init"]', "--change", "STOPSIGNAL=SIGRTMIN+3",
               tarball, ref)
        log(f"imported {ref} in {time.monotonic() - start:.1f}s")
        # Older keys of this suite are dead weight: a recipe change made them unreachable.
        for old in sorted((CACHE / "images").glob(f"{suite}-*.tar.zst")):
            if old != tarball:
                old.unlink()
        prune_images()
    return ref


def prune_images():
    """Remove lab images of older recipes; one still used by a container stays (and goes next time)."""
    current = {image_ref(suite) for suite in SUITES}
    for old in podman_out("images", "--format", "{{.Repository}}:{{.Tag}}", IMAGE_REPO).split():
        if old not in current:
            podman("rmi", old, check=False)


def go_env():
    """Environment for the machine's go command, isolated from the caller's Go settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GO")}
    env["PATH"] = f"{GOROOT / 'bin'}:{env.get('PATH', '/usr/bin:/bin')}"
    env.update(GOTOOLCHAIN="local", GOWORK="off", GOFLAGS="-mod=mod -modcacherw",
               GOPROXY="https://proxy.golang.org", GOSUMDB="sum.golang.org")
    return env


HASH_SIZE = 32


def derive_partial_tiles(tiles):
    """Add every narrower partial hash tile that a cached wider one (or the full tile) contains.

    proxy.golang.org answers some lookups from its own cache, signed at older tree sizes, so a fresh
    client proves them with partial tiles of widths the fill never fetched (e.g. tile/8/2/003.p/24 when
    only 003.p/244 is cached). The go command falls back from a missing partial tile to the full tile
    only, which may not exist yet either. A partial hash tile of width w is exactly the first w hashes of
    any wider copy of that tile (tlog tiles are append-only), so the narrower ones are derived here.
    Data tiles (tile/H/data/...) hold records, not fixed-size hashes, and are left alone."""
    for height in tiles.iterdir():
        for level in height.iterdir():
            if not level.name.isdigit():
                continue
            widest = {}  # tile path without .p -> bytes of its widest cached copy
            for path in level.rglob("*"):
                if not path.is_file():
                    continue
                if path.parent.name.endswith(".p"):
                    base = path.parent.with_name(path.parent.name[:-2])
                else:
                    base = path
                data = path.read_bytes()
                if len(data) > len(widest.get(base, b"")):
                    widest[base] = data
            for base, data in widest.items():
                partial = base.with_name(base.name + ".p")
                for width in range(1, len(data) // HASH_SIZE):
                    target = partial / str(width)
                    if not target.exists():
                        partial.mkdir(exist_ok=True)
                        target.write_bytes(data[:width * HASH_SIZE])


def ensure_upstream():
    """The upstream module tree: a module cache filled by `go mod download all` in each module under
    lab/upstream, whose cache/download directory is the GOPROXY layout. The checksum database's signed
    tree head is added next to the tiles and lookups the go command cached, so clients keep the default
    GOSUMDB=sum.golang.org and verify through this proxy. Keyed by a hash of the go.mod/go.sum files."""
    src = LAB_DIR / "upstream"
    # `extra` versions the tree's layout: bump it when the fill below changes what it produces.
    key = tree_hash(src, names={"go.mod", "go.sum"}, extra="layout-2: derived partial tiles")
    root = CACHE / f"upstream-{key}"
    served = root / "modcache" / "cache" / "download"
    if (root / ".complete").exists():
        return served
    with file_lock("upstream"):
        if (root / ".complete").exists():
            return served
        if not (GOROOT / "bin" / "go").exists():
            raise LabError(f"{GOROOT}/bin/go is needed to fill the upstream module cache")
        start = time.monotonic()
        log(f"filling the upstream module cache {root.name} from proxy.golang.org (once per go.mod change)")
        tmp = CACHE / f"upstream-{key}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        env = go_env()
        env.update(GOMODCACHE=str(tmp / "modcache"), GOPATH=str(tmp / "gopath"), HOME=str(tmp))
        for gomod in sorted(src.rglob("go.mod")):
            # A copy without go.sum: the go command then checks every module against the checksum database
            # (through proxy.golang.org), which caches the lookups and tiles that upstream serves next to the
            # modules. `all` = every module of the graph, what a client's `go mod tidy` may ask for.
            work = tmp / "src" / gomod.parent.relative_to(src)
            work.mkdir(parents=True)
            shutil.copy(gomod, work / "go.mod")
            run([str(GOROOT / "bin" / "go"), "mod", "download", "all"], env=env, cwd=work, timeout=600)
            pinned = gomod.parent / "go.sum"
            got = set((work / "go.sum").read_text().splitlines()) if (work / "go.sum").exists() else set()
            differ = set(pinned.read_text().splitlines()) - got if pinned.exists() else set()
            if differ:
                raise LabError(f"{pinned} does not match the checksum database: {sorted(differ)}")
        sumdb = tmp / "modcache" / "cache" / "download" / "sumdb" / "sum.golang.org"
        latest = tmp / "gopath" / "pkg" / "sumdb" / "sum.golang.org" / "latest"
        if sumdb.is_dir() and latest.exists():
            shutil.copy(latest, sumdb / "latest")
            (sumdb / "supported").write_text("")
            derive_partial_tiles(sumdb / "tile")
        shutil.rmtree(tmp / "src")
        shutil.rmtree(root, ignore_errors=True)
        tmp.rename(root)
        (root / ".complete").write_text(key + "\n")
        for old in CACHE.glob("upstream-*"):
            if old != root and not old.name.endswith(".tmp"):
                shutil.rmtree(old, ignore_errors=True)
        log(f"upstream module cache ready in {time.monotonic() - start:.0f}s")
    return served


def go_version():
    return (GOROOT / "VERSION").read_text().splitlines()[0].strip()


def go_arch():
    return {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())


def ensure_go_archive():
    """A Go toolchain archive made from the machine's /usr/local/go, laid out like https://go.dev/dl/:
    goX.linux-ARCH.tar.gz (top directory go/), its .sha256 (hex only, like dl.google.com) and index.json
    (the ?mode=json format). Keyed by Go version; served by upstream hosts at /dl/."""
    art = CACHE / "artifacts"
    version, arch = go_version(), go_arch()
    name = f"{version}.linux-{arch}.tar.gz"
    if (art / f"{name}.sha256").exists():
        return art
    with file_lock("go-archive"):
        if (art / f"{name}.sha256").exists():
            return art
        start = time.monotonic()
        art.mkdir(parents=True, exist_ok=True)
        tmp = art / f".{name}.tmp"
        run(["tar", "-C", str(GOROOT.parent), "--owner=0", "--group=0", "--numeric-owner", "-czf", str(tmp),
             GOROOT.name], timeout=600)
        digest = hashlib.sha256()
        with open(tmp, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        size = tmp.stat().st_size
        tmp.rename(art / name)
        index = [{"version": version, "stable": True, "files": [{
            "filename": name, "os": "linux", "arch": arch, "version": version,
            "sha256": digest.hexdigest(), "size": size, "kind": "archive"}]}]
        (art / "index.json").write_text(json.dumps(index, indent=1) + "\n")
        (art / f"{name}.sha256").write_text(digest.hexdigest() + "\n")
        log(f"made {art / name} in {time.monotonic() - start:.0f}s")
    return art


def prepare(suites, upstream):
    """Fill the caches the hosts need; on a cold machine the three builds run side by side."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        images = {s: pool.submit(ensure_image, s) for s in sorted(suites)}
        served = pool.submit(ensure_upstream) if upstream else None
        archive = pool.submit(ensure_go_archive) if upstream else None
        return ({s: f.result() for s, f in images.items()},
                served.result() if served else None, archive.result() if archive else None)


def ensure_key():
    """The per-clone throw-away ssh key root logs in with."""
    STATE_DIR.mkdir(parents=True, exist_ok=True)
    if KEY.exists() and KEY.with_suffix(".pub").exists():
        return KEY
    with file_lock(f"key-{hashlib.sha256(str(STATE_DIR).encode()).hexdigest()[:8]}"):
        if not KEY.exists():
            run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "gomod-proxy-lab", "-f", str(KEY)])
    return KEY


# --- the lab description: hosts, addresses, variables -----------------------------------------------------


def host_entry(name, groups, hvars, dns_upstream=None):
    """One host of the lab. dns_upstream, when given, wins over the host's lab_dns_upstream (the static lab's
    GOMOD_LAB_DNS_UPSTREAM)."""
    suite = hvars.get("lab_suite", DEFAULT_SUITE)
    mode = dns_upstream or hvars.get("lab_dns_upstream") or DNS_UPSTREAMS[0]
    if mode not in DNS_UPSTREAMS:
        raise LabError(f"{name}: lab_dns_upstream is {mode!r}; it must be one of {', '.join(DNS_UPSTREAMS)}")
    return {"name": name, "groups": list(groups), "address": hvars.get("ansible_host"),
            "go": bool(hvars.get("lab_go", False)), "upstream": bool(hvars.get("lab_upstream", False)),
            "suite": suite, "dns_upstream": mode}


def spec_from_inventory(inventory):
    """The static lab: hosts.yml (groups, ansible_host, lab_* flags) and group_vars/all.yml."""
    import yaml  # the project's venv has it; kept local so `labctl.py down` runs with any python3

    data = yaml.safe_load((inventory / "hosts.yml").read_text()) or {}
    gvars = yaml.safe_load((inventory / "group_vars" / "all.yml").read_text()) or {}
    hosts = {}

    def walk(group, node):
        node = node or {}
        for name, hvars in (node.get("hosts") or {}).items():
            entry = hosts.setdefault(name, {"groups": [], "vars": {}})
            if group != "all" and group not in entry["groups"]:
                entry["groups"].append(group)
            entry["vars"].update(hvars or {})
        for child, cnode in (node.get("children") or {}).items():
            walk(child, cnode)

    walk("all", data.get("all"))
    # lab_dns_upstream: group_vars/all.yml for every host, a host var in hosts.yml for one; the environment
    # variable overrides both for a run (tools/test.sh site starts the static lab with a silent upstream).
    forced = os.environ.get("GOMOD_LAB_DNS_UPSTREAM") or None
    for entry in hosts.values():
        entry["vars"].setdefault("lab_dns_upstream", gvars.get("lab_dns_upstream"))
    spec = {"id": gvars["lab_network"], "network": gvars["lab_network"], "subnet": gvars["lab_subnet"],
            "domain": gvars.get("lab_domain", DOMAIN), "state": str(STATE_DIR / "state.json"),
            "control_dir": str(STATE_DIR / "cp"), "static_vars": gvars,
            "hosts": [host_entry(n, h["groups"], h["vars"], forced) for n, h in hosts.items()]}
    missing = [h["name"] for h in spec["hosts"] if not h["address"]]
    if missing:
        raise LabError(f"{inventory}/hosts.yml: no ansible_host for {', '.join(missing)}")
    return spec


def molecule_id():
    """Unique per scenario and per run location: the scenario name plus a hash of molecule's ephemeral
    directory (different per clone, and per run with --parallel). Deterministic, so destroy finds what a
    failed create left. GOMOD_LAB_RUN_ID overrides the hash."""
    scenario = os.environ.get("MOLECULE_SCENARIO_NAME")
    ephemeral = os.environ.get("MOLECULE_EPHEMERAL_DIRECTORY")
    if not scenario or not ephemeral:
        raise LabError("--molecule needs MOLECULE_SCENARIO_NAME and MOLECULE_EPHEMERAL_DIRECTORY (run by molecule)")
    run_id = os.environ.get("GOMOD_LAB_RUN_ID") or hashlib.sha256(
        f"{REPO}\0{ephemeral}".encode()).hexdigest()[:6]
    safe = "".join(c if c.isalnum() or c in "_.-" else "-" for c in scenario)
    return f"gmlab-{safe}-{run_id}", Path(ephemeral)


def spec_from_molecule(platforms):
    lab_id, ephemeral = molecule_id()
    names = [p["name"] for p in platforms]
    if len(set(names)) != len(names):
        raise LabError(f"platform names must be unique: {names}")
    return {"id": lab_id, "network": lab_id, "subnet": None, "domain": DOMAIN,
            "state": str(ephemeral / "lab.json"), "control_dir": None, "ephemeral": str(ephemeral),
            "hosts": [host_entry(p["name"], p.get("groups", []), p) for p in platforms]}


def lab_vars(spec, gateway, subnet):
    """Variables every lab host gets (group_vars/all.yml for the static lab; written for scenarios)."""
    values = {
        "lab_network": spec["network"],
        "lab_subnet": subnet,
        "lab_controller_address": gateway,
        # aardvark-dns answers on the gateway and forwards to the machine's resolvers: the dns role's upstream
        "lab_resolver_forwarder": gateway,
        "lab_domain": spec["domain"],
    }
    upstream = [h for h in spec["hosts"] if h["upstream"]]
    if upstream:
        first = upstream[0]
        values.update({
            "lab_upstream_host": f"{first['name']}.{spec['domain']}",
            "lab_upstream_address": first["address"],
            "lab_upstream_goproxy": f"http://{first['name']}.{spec['domain']}/mod",
            "lab_upstream_gosumdb": "sum.golang.org",
            "lab_go_dl_url": f"http://{first['address']}/dl",
        })
    return values


def assign_addresses(spec, subnet, gateway):
    net = ipaddress.ip_network(subnet)
    used = {ipaddress.ip_address(gateway)}
    for host in spec["hosts"]:
        if host["address"]:
            addr = ipaddress.ip_address(host["address"])
            if addr not in net or addr in used or addr in (net.network_address, net.broadcast_address):
                raise LabError(f"{host['name']}: address {addr} is outside {subnet} or taken")
            used.add(addr)
    nxt = int(net.network_address) + 10  # scenario hosts get .10, .11, ... in platform order
    for host in spec["hosts"]:
        if not host["address"]:
            while ipaddress.ip_address(nxt) in used:
                nxt += 1
            host["address"] = str(ipaddress.ip_address(nxt))
            used.add(ipaddress.ip_address(nxt))


def hosts_file(spec, gateway):
    lines = ["127.0.0.1\tlocalhost", "::1\tlocalhost ip6-localhost ip6-loopback", "",
             "# lab hosts, written by lab/labctl.py at start like a fleet's base configuration"]
    lines += [f"{h['address']}\t{h['name']}.{spec['domain']} {h['name']}" for h in spec["hosts"]]
    lines += [f"{gateway}\tcontroller.{spec['domain']} controller"]
    return "\n".join(lines) + "\n"


def resolv_conf(spec, host, gateway):
    """Lab hosts ask the dns group's host (nothing answers until a role starts a resolver there); the dns
    host itself, and every host of a lab without one, asks the gateway (aardvark-dns)."""
    dns = [h for h in spec["hosts"] if "dns" in h["groups"]]
    server = gateway if not dns or host in dns else dns[0]["address"]
    return (f"# written by lab/labctl.py at start\nsearch {spec['domain']}\nnameserver {server}\n"
            "options timeout:2 attempts:2\n")


def host_files_tar(spec, host, gateway, pubkey):
    """Files copied into a created container before it boots (podman cp of a tar stream)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        def add(path, mode, data=None, link=None, kind=tarfile.REGTYPE):
            info = tarfile.TarInfo(path)
            info.mode, info.mtime = mode, int(time.time())
            if kind == tarfile.DIRTYPE:
                info.type = kind
                tar.addfile(info)
            elif link:
                info.type, info.linkname = tarfile.SYMTYPE, link
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))

        add("etc/hosts", 0o644, hosts_file(spec, gateway).encode())
        add("etc/resolv.conf", 0o644, resolv_conf(spec, host, gateway).encode())
        add("root/.ssh", 0o700, kind=tarfile.DIRTYPE)
        add("root/.ssh/authorized_keys", 0o600, pubkey.encode())
        if host["go"]:
            # /usr/local/bin is on every user's PATH, login shell or not; go finds GOROOT through the link.
            add("usr/local/bin/go", 0o777, link=str(GOROOT / "bin" / "go"))
            add("usr/local/bin/gofmt", 0o777, link=str(GOROOT / "bin" / "gofmt"))
    return buf.getvalue()


# --- podman: network, containers, readiness ---------------------------------------------------------------


def ensure_network(spec):
    name = spec["network"]
    if podman("network", "exists", name, check=False).returncode == 0:
        info = json.loads(podman_out("network", "inspect", name))[0]
        if (info.get("labels") or {}).get(LABEL) != spec["id"]:
            raise LabError(f"podman network {name} exists but was not made by this lab; remove it or rename the lab")
        subnets = info.get("subnets") or []
        if spec["subnet"] and (not subnets or subnets[0]["subnet"] != spec["subnet"]):
            log(f"network {name} has another subnet; recreating it")
            remove_containers(spec["id"])
            podman("network", "rm", "-f", name)
        else:
            return subnets[0]["subnet"], subnets[0]["gateway"]
    args = ["network", "create", "--label", f"{LABEL}={spec['id']}", "--label", f"{CHECKOUT_LABEL}={REPO}"]
    if spec["subnet"]:
        net = ipaddress.ip_network(spec["subnet"])
        args += ["--subnet", spec["subnet"], "--gateway", str(net.network_address + 1)]
    podman(*args, name)
    info = json.loads(podman_out("network", "inspect", name))[0]
    return info["subnets"][0]["subnet"], info["subnets"][0]["gateway"]


def container_name(spec, host):
    return f"{spec['id']}-{host['name']}"


def run_args(spec, host, images, served, artifacts):
    args = ["--hostname", host["name"], "--network", spec["network"], "--ip", host["address"],
            # roles own /etc/hosts and /etc/resolv.conf: podman must not bind-mount its own over them
            "--no-hosts", "--dns=none", "--systemd=always", "--cap-add", CAPS]
    if host["go"]:
        args += ["-v", f"{GOROOT}:{GOROOT}:ro"]
    if host["upstream"]:
        args += ["-v", f"{served}:/srv/upstream/mod:ro", "-v", f"{artifacts}:/srv/upstream/dl:ro"]
    return args + [images[host["suite"]]]


# --- preconditions and ownership: fail before anything starts, naming the fix ------------------------------


def backend_problem(backend):
    """Why podman's network backend cannot run the lab, or None. With CNI a network's gateway has no DNS
    server (dns_enabled false), so every lab resolver's upstream is dead: a fresh machine showed it only as the
    audit's dns_timeout, seven minutes into `make site`."""
    if backend == "netavark":
        return None
    return (f"podman's network backend is {backend or 'unknown'!r}, the lab needs 'netavark' (podman info "
            f"--format '{{{{.Host.NetworkBackend}}}}'): with another backend nothing answers DNS on a lab network's "
            f"gateway, the lab resolvers' upstream. Fix: {HOST_FIX}")


def find_aardvark(dirs=PODMAN_HELPER_DIRS):
    """aardvark-dns where netavark looks for it (podman's default helper_binaries_dir), or None."""
    for directory in dirs:
        path = Path(directory) / "aardvark-dns"
        if path.is_file() and os.access(path, os.X_OK):
            return path
    return None


def foreign_owner(labels, checkout=REPO):
    """The checkout that made a podman object with these labels when it is not `checkout`, else None."""
    owner = (labels or {}).get(CHECKOUT_LABEL)
    if owner == str(checkout):
        return None
    return owner or ""  # "": made before labctl recorded its checkout, so by an unknown one


def ownership_problem(spec, objects, checkout=REPO, unknown_ok=False):
    """Why this checkout must not take over (or remove) the lab's podman objects, or None.
    objects: [(kind and name, labels)] of the network and containers labelled with the lab id."""
    owners = {}
    for what, labels in objects:
        owner = foreign_owner(labels, checkout)
        if owner is not None and (owner or not unknown_ok):
            owners.setdefault(owner, []).append(what)
    if not owners:
        return None
    owner, things = sorted(owners.items())[0]
    listed = ", ".join(things[:3]) + (f" and {len(things) - 3} more" if len(things) > 3 else "")
    if owner:
        return (f"lab {spec['id']} ({listed}) belongs to the checkout {owner} (podman label {CHECKOUT_LABEL}), "
                f"not to this one ({checkout}); the static lab can exist once per machine. Take it down there "
                f"(cd {owner} && tools/lab.sh down) when its user is done, then run this again")
    return (f"lab {spec['id']} ({listed}) was made by a checkout that did not record itself (no podman label "
            f"{CHECKOUT_LABEL}: labctl before that label), so it may be another clone's lab in use. If it is "
            f"yours, `tools/lab.sh down` removes it; then run this again")


def lab_objects(spec):
    """[(description, labels)] of the podman network and containers carrying the lab's id label."""
    selector = f"label={LABEL}={spec['id']}"
    found = []
    for net in json.loads(podman_out("network", "ls", "--filter", selector, "--format", "json") or "[]"):
        found.append((f"network {net['name']}", net.get("labels") or {}))
    for ctr in json.loads(podman_out("ps", "-a", "--filter", selector, "--format", "json") or "[]"):
        found.append((f"container {ctr['Names'][0]}", ctr.get("Labels") or {}))
    return found


def preflight(spec):
    """What the machine must provide before the lab starts, checked in a second instead of surfacing as a
    timeout minutes later; and the lab must not be another checkout's."""
    problems = []
    backend = podman_out("info", "--format", "{{.Host.NetworkBackend}}")
    problems.append(backend_problem(backend))
    if not find_aardvark():
        problems.append(f"aardvark-dns is not installed (looked in {', '.join(PODMAN_HELPER_DIRS)}): netavark then "
                        f"starts no DNS server on a lab network's gateway. Fix: {HOST_FIX}")
    if silent_hosts(spec) and not shutil.which("nft"):
        problems.append("lab_dns_upstream silent is made by an nftables table on this machine, and nft is missing. "
                        "Fix: run `make setup` (tools/setup-host.sh), or apt-get install nftables")
    problems.append(ownership_problem(spec, lab_objects(spec)))
    problems = [p for p in problems if p]
    if problems:
        raise LabError("the lab cannot start:\n  - " + "\n  - ".join(problems))


def check_gateway_dns(gateway, name, timeout=DNS_CHECK_TIMEOUT, ask=dnsquery.query):
    """The lab gateway's resolver (aardvark-dns, started by netavark with the network's first container) must
    answer: a real query from the controller for a container's name, which aardvark answers from its own
    records. The controller's query comes from the gateway address itself, so a silent upstream (which drops
    the hosts' queries only) does not affect it."""
    try:
        reply = ask(gateway, name, "A", timeout=timeout)
    except OSError as exc:
        reply = {"timeout": True, "error": str(exc)}
    if reply["timeout"]:
        got = reply.get("error") or f"no answer in {timeout:g}s"
        raise LabError(f"the lab gateway {gateway} does not answer DNS (a query for {name} to {gateway}:53: {got}); "
                       f"it is the lab resolvers' upstream (aardvark-dns). Fix: {HOST_FIX}")
    return reply


# --- lab_dns_upstream: silent -- the upstream resolver drops every packet, like a firewalled one -----------


def silent_hosts(spec):
    return [h for h in spec["hosts"] if h.get("dns_upstream") == "silent"]


def dns_table(lab_id):
    """The nftables table (family inet, on the controller) of a lab's DNS upstream rules."""
    return DNS_TABLE_PREFIX + re.sub(r"[^A-Za-z0-9]", "_", lab_id)


def dns_upstream_ruleset(spec, gateway):
    """nft script that replaces the lab's table in one transaction: a drop of every DNS packet (udp and tcp 53)
    from the silent hosts to the gateway, with a counter tests read; no table when no host is silent.
    Dropped, not rejected: a firewalled resolver sends nothing back, so clients wait out their timeouts, which
    is what made every lookup of the proxy cost glibc 6-8 s. Hook input: the gateway's address is the
    controller's own, so queries to it are delivered locally, never forwarded."""
    table = dns_table(spec["id"])
    lines = [f"table inet {table}", f"delete table inet {table}"]  # create-then-delete: absent either way
    hosts = silent_hosts(spec)
    if hosts:
        sources = ", ".join(h["address"] for h in hosts)
        names = " ".join(h["name"] for h in hosts)
        lines += [f"table inet {table} {{",
                  f'  comment "{LABEL}={spec["id"]}: lab_dns_upstream silent, made by lab/labctl.py up";',
                  "  chain input {",
                  "    type filter hook input priority filter - 10; policy accept;",
                  f"    ip saddr {{ {sources} }} ip daddr {gateway} meta l4proto {{ tcp, udp }} th dport 53 "
                  f'counter drop comment "silent upstream for {names}"',
                  "  }",
                  "}"]
    return "\n".join(lines) + "\n"


def apply_dns_upstream(spec, gateway):
    if not silent_hosts(spec) and not shutil.which("nft"):
        return  # no nft: no table of ours can exist
    run(["nft", "-f", "-"], input=dns_upstream_ruleset(spec, gateway).encode())


def remove_dns_upstream(lab_id):
    if shutil.which("nft"):
        table = dns_table(lab_id)
        run(["nft", "-f", "-"], input=f"table inet {table}\ndelete table inet {table}\n".encode())


def dns_tables():
    """Every lab's DNS upstream table on this machine (prune)."""
    if not shutil.which("nft"):
        return []
    listed = run(["nft", "list", "tables"]).stdout.decode().split("\n")
    return [line.split()[2] for line in listed
            if line.startswith("table inet ") and line.split()[2].startswith(DNS_TABLE_PREFIX)]


def remove_containers(lab_id, label=None):
    """Remove the containers carrying the label, killing them at once (-t 0): hosts are throw-away and a
    graceful systemd shutdown only costs time. podman can fail on a container that stops while it
    removes it ("container state improper"), more so on a loaded machine: retry what is left."""
    selector = f"label={label or f'{LABEL}={lab_id}'}"
    removed, error = set(), None
    for attempt in range(5):
        names = podman_out("ps", "-a", "--filter", selector, "--format", "{{.Names}}").split()
        if not names:
            return sorted(removed)
        removed.update(names)
        proc = podman("rm", "-f", "-t", "0", *names, check=False, timeout=300)
        if proc.returncode != 0:
            error = proc.stderr.decode(errors="replace").strip()
            time.sleep(1 + attempt)
    left = podman_out("ps", "-a", "--filter", selector, "--format", "{{.Names}}").split()
    if left:
        raise LabError(f"could not remove {' '.join(left)}: {error}")
    return sorted(removed)


def start_host(spec, host, gateway, images, served, artifacts, pubkey):
    """Create and boot one host unless an identical one already runs. Returns 'kept' or 'started'."""
    name = container_name(spec, host)
    args = run_args(spec, host, images, served, artifacts)
    files = host_files_tar(spec, host, gateway, pubkey)
    config = hashlib.sha256(json.dumps([args, hosts_file(spec, gateway), resolv_conf(spec, host, gateway), pubkey])
                            .encode()).hexdigest()[:12]
    existing = podman("inspect", "--type", "container", name, check=False)
    if existing.returncode == 0:
        info = json.loads(existing.stdout)[0]
        labels = info["Config"].get("Labels") or {}
        if labels.get(f"{LABEL}.config") == config and info["State"]["Running"]:
            return "kept"
        podman("rm", "-f", "-t", "0", name)
    podman("create", "--name", name, "--label", f"{LABEL}={spec['id']}", "--label", f"{LABEL}.host={host['name']}",
           "--label", f"{LABEL}.config={config}", "--label", f"{CHECKOUT_LABEL}={REPO}", *args)
    podman("cp", "-", f"{name}:/", input=files)
    podman("start", name)
    return "started"


def ssh_base(address):
    return ["ssh", "-i", str(KEY), "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
            "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=3",
            "-o", "ControlMaster=no", "-o", "ControlPath=none", f"root@{address}"]


def wait_ready(spec, host, deadline):
    """systemd finished booting with no failed unit, root logs in over ssh, an upstream host serves."""
    name = container_name(spec, host)
    left = max(1, int(deadline - time.monotonic()))
    while True:
        state = podman("exec", name, "systemctl", "is-system-running", "--wait", check=False, timeout=left)
        status = state.stdout.decode().strip()
        # Right after start, systemd may not have its bus up yet: systemctl then prints nothing.
        if status or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    if status != "running":
        failed = podman("exec", name, "systemctl", "--failed", "--no-legend", "--plain", check=False)
        raise LabError(f"{name}: systemd is {status!r} ({state.stderr.decode().strip()}); failed units:\n"
                       f"{failed.stdout.decode().strip()}")
    while True:
        proc = run([*ssh_base(host["address"]), "true"], check=False, timeout=15)
        if proc.returncode == 0:
            break
        if time.monotonic() > deadline:
            raise LabError(f"{name}: ssh root@{host['address']} fails: {proc.stderr.decode().strip()}")
        time.sleep(0.2)
    if host["upstream"]:
        url = f"http://{host['address']}/mod/sumdb/sum.golang.org/supported"
        while True:
            try:
                with urllib.request.urlopen(url, timeout=3) as resp:  # noqa: S310 - lab address
                    if resp.status == 200:
                        break
            except OSError as exc:
                if time.monotonic() > deadline:
                    raise LabError(f"{name}: upstream does not serve {url}: {exc}") from exc
            time.sleep(0.2)


def close_ssh_masters(sockets):
    """End ControlPersist masters left for these addresses: a master outliving its container would hand
    the next lab on the same address a dead connection."""
    for sock in sockets:
        if os.path.exists(sock):
            run(["ssh", "-o", f"ControlPath={sock}", "-O", "exit", "lab-host"], check=False, timeout=10)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(sock)


def control_sockets(spec):
    if spec.get("control_dir"):
        return [str(p) for p in Path(spec["control_dir"]).glob("*")]
    # molecule's ansible.cfg: control_path = %(directory)s/%%h-%%p-%%r, control_path_dir ~/.ansible/cp;
    # ssh_config (tests, humans): ControlPath ~/.ansible/cp/lab-%h-%p-%r
    return [str(MOLECULE_CONTROL_DIR / f"{prefix}{h['address']}-22-root")
            for h in spec["hosts"] if h.get("address") for prefix in ("", "lab-")]


def ssh_config(spec):
    """An ssh client configuration naming every host: `ssh -F <file> builder1`; testinfra's ssh backend
    uses it too (one multiplexed connection per host: ~10 ms a command, podman exec takes ~200 ms)."""
    control = Path(spec["control_dir"]) if spec.get("control_dir") else MOLECULE_CONTROL_DIR
    lines = [f"# written by lab/labctl.py up for {spec['id']}"]
    for host in spec["hosts"]:
        lines += [f"Host {host['name']} {host['name']}.{spec['domain']}", f"  HostName {host['address']}"]
    lines += ["Host *", "  User root", f"  IdentityFile {KEY}", "  IdentitiesOnly yes",
              "  StrictHostKeyChecking no", "  UserKnownHostsFile /dev/null", "  LogLevel ERROR",
              "  ControlMaster auto", "  ControlPersist 60s", f"  ControlPath {control}/lab-%h-%p-%r", ""]
    control.mkdir(parents=True, exist_ok=True)
    return "\n".join(lines)


def write_json(path, data):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    tmp.rename(path)


def write_molecule_files(spec, state):
    """instance_config.yml (how molecule reaches each instance) and inventory/lab.yml (the lab variables
    and the hosts' lab_* flags, like host vars of inventories/lab)."""
    import yaml

    instances = [{"instance": h["name"], "address": h["address"], "user": "root", "port": 22,
                  "identity_file": str(KEY)} for h in spec["hosts"]]
    Path(os.environ["MOLECULE_INSTANCE_CONFIG"]).write_text(yaml.safe_dump(instances, sort_keys=False))
    inv = Path(spec["ephemeral"]) / "inventory"
    inv.mkdir(parents=True, exist_ok=True)
    hosts = {h["name"]: {"lab_go": h["go"], "lab_upstream": h["upstream"], "lab_suite": h["suite"],
                         "lab_dns_upstream": h["dns_upstream"],
                         "lab_container": state["hosts"][h["name"]]["container"]} for h in spec["hosts"]}
    all_vars = dict(state["vars"], ansible_python_interpreter="/usr/bin/python3")
    (inv / "lab.yml").write_text("# written by lab/labctl.py up --molecule\n" +
                                 yaml.safe_dump({"all": {"hosts": hosts, "vars": all_vars}}, sort_keys=False))


def up(spec):
    start = time.monotonic()
    preflight(spec)
    suites = {h["suite"] for h in spec["hosts"]}
    upstream = any(h["upstream"] for h in spec["hosts"])
    pubkey = ensure_key().with_suffix(".pub").read_text()
    images, served, artifacts = prepare(suites, upstream)
    static = spec.get("static_vars")
    if static is not None:
        # Checked before anything changes, so a mistake in the inventory never takes a running lab down.
        gateway = str(ipaddress.ip_network(spec["subnet"]).network_address + 1)
        assign_addresses(spec, spec["subnet"], gateway)
        drift = {k: (static.get(k), v) for k, v in lab_vars(spec, gateway, spec["subnet"]).items()
                 if static.get(k) != v}
        if drift:
            raise LabError("inventories/lab/group_vars/all.yml disagrees with hosts.yml: " +
                           "; ".join(f"{k} is {a!r}, expected {b!r}" for k, (a, b) in drift.items()))
    log(f"caches ready ({time.monotonic() - start:.1f}s); starting {len(spec['hosts'])} hosts of {spec['id']}")
    try:
        subnet, gateway = ensure_network(spec)
        assign_addresses(spec, subnet, gateway)
        values = lab_vars(spec, gateway, subnet)
        # Before any host starts, so no query of a silent host ever gets an answer.
        apply_dns_upstream(spec, gateway)
        wanted = {container_name(spec, h) for h in spec["hosts"]}
        stale = [n for n in podman_out("ps", "-a", "--filter", f"label={LABEL}={spec['id']}",
                                       "--format", "{{.Names}}").split() if n not in wanted]
        if stale:
            podman("rm", "-f", "-t", "0", *stale)
        sockets = control_sockets(spec)
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(lambda h: start_host(spec, h, gateway, images, served, artifacts, pubkey),
                                    spec["hosts"]))
            if "started" in results:
                close_ssh_masters(sockets)
            check_gateway_dns(gateway, container_name(spec, spec["hosts"][0]))
            # the hosts boot at once on the same few cores: a big lab (the 100-host bench) needs longer
            deadline = time.monotonic() + READY_TIMEOUT + 2 * len(spec["hosts"])
            list(pool.map(lambda h: wait_ready(spec, h, deadline), spec["hosts"]))
        state = {"id": spec["id"], "network": spec["network"], "subnet": subnet, "gateway": gateway,
                 "domain": spec["domain"], "key": str(KEY), "control_sockets": control_sockets(spec),
                 "checkout": str(REPO), "vars": values,
                 # tests read the drop rule's counter: nft -j list table inet <table>
                 "dns_upstream": {"table": dns_table(spec["id"]) if silent_hosts(spec) else None,
                                  "silent": [h["name"] for h in silent_hosts(spec)]},
                 "hosts": {h["name"]: {"container": container_name(spec, h), "address": h["address"],
                                       "groups": h["groups"], "go": h["go"], "upstream": h["upstream"],
                                       "suite": h["suite"], "image": images[h["suite"]],
                                       "dns_upstream": h["dns_upstream"]}
                           for h in spec["hosts"]}}
        config = Path(spec["state"]).with_name("ssh_config")
        config.write_text(ssh_config(spec))
        state["ssh_config"] = str(config)
        write_json(spec["state"], state)
        if spec.get("ephemeral"):
            write_molecule_files(spec, state)
    except BaseException:
        if os.environ.get("GOMOD_LAB_KEEP_FAILED"):
            log(f"up failed; GOMOD_LAB_KEEP_FAILED is set, leaving {spec['id']} for inspection")
        else:
            log(f"up failed; removing what it made of {spec['id']}")
            with contextlib.suppress(Exception):
                down(spec)
        raise
    kept = results.count("kept")
    log(f"{spec['id']}: {len(spec['hosts'])} hosts ready on {spec['network']} ({subnet}, controller {gateway})"
        f"{f', {kept} kept' if kept else ''} in {time.monotonic() - start:.1f}s")
    return state


def down(spec):
    start = time.monotonic()
    # A lab recorded as another checkout's stays (its user may be mid-run); an unlabelled one (older labctl)
    # is removed as before, since nothing says whose it is.
    problem = ownership_problem(spec, lab_objects(spec), unknown_ok=True)
    if problem:
        raise LabError(problem)
    sockets = set(control_sockets(spec))
    state_file = Path(spec["state"])
    if state_file.exists():
        with contextlib.suppress(ValueError, OSError):
            sockets.update(json.loads(state_file.read_text()).get("control_sockets", []))
    networks = podman_out("network", "ls", "--filter", f"label={LABEL}={spec['id']}", "--format", "{{.Name}}").split()
    # The addresses are ours only while our network exists: once it is gone, podman may have given them to
    # another lab, whose live masters must not be closed (a scenario destroyed twice did that to a running
    # one). Masters of addresses we no longer hold are closed by the lab that takes them (up).
    if networks:
        close_ssh_masters(sorted(sockets))
    names = remove_containers(spec["id"])
    if networks:
        podman("network", "rm", "-f", *networks)
    remove_dns_upstream(spec["id"])
    for stale in (state_file, state_file.with_name("ssh_config")):
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()
    prune_images()
    log(f"{spec['id']}: removed {len(names)} containers, {len(networks)} networks in {time.monotonic() - start:.1f}s")


def status(spec):
    listed = json.loads(podman_out("ps", "-a", "--filter", f"label={LABEL}={spec['id']}", "--format", "json")
                        or "[]")
    rows = [(c["Names"][0], c["State"]) for c in listed]
    wanted = {container_name(spec, h): h for h in spec["hosts"]}
    running = 0
    silent = [h["name"] for h in silent_hosts(spec)]
    print(f"lab {spec['id']} (network {spec['network']}, subnet {spec['subnet'] or 'auto'}"
          f"{', DNS upstream silent for ' + ' '.join(silent) if silent else ''})")
    for name, host in wanted.items():
        state = dict(rows).get(name, "absent")
        systemd = ""
        if state == "running":
            running += 1
            systemd = podman("exec", name, "systemctl", "is-system-running", check=False).stdout.decode().strip()
        print(f"  {host['name']:<12} {host['address'] or '-':<15} {state:<9} {systemd:<9} "
              f"{','.join(host['groups'])}{' +go' if host['go'] else ''}{' +upstream' if host['upstream'] else ''}")
    for name in sorted(set(dict(rows)) - set(wanted)):
        print(f"  {name} (not in the inventory)")
    return 0 if running == len(wanted) else 3 if running == 0 else 1


def prune():
    names = remove_containers(None, label=LABEL)
    networks = podman_out("network", "ls", "--filter", f"label={LABEL}", "--format", "{{.Name}}").split()
    if networks:
        podman("network", "rm", "-f", *networks)
    tables = dns_tables()
    for table in tables:
        run(["nft", "delete", "table", "inet", table])
    prune_images()
    log(f"removed {len(names)} containers, {len(networks)} networks labelled {LABEL} and {len(tables)} nftables tables")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["up", "down", "status", "prepare", "prune"])
    parser.add_argument("--inventory", type=Path, default=INVENTORY, help="static lab inventory directory")
    parser.add_argument("--molecule", nargs="?", const="[]", metavar="PLATFORMS_JSON",
                        help="a molecule scenario (ids from MOLECULE_* variables); up takes its platforms")
    parser.add_argument("--suite", action="append", choices=SUITES, help="prepare: image suites (default bookworm)")
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        raise LabError("run as root: the lab uses rootful podman")
    if args.command == "prepare":
        prepare(set(args.suite or [DEFAULT_SUITE]), upstream=True)
        return 0
    if args.command == "prune":
        prune()
        return 0
    spec = spec_from_molecule(json.loads(args.molecule)) if args.molecule else spec_from_inventory(args.inventory)
    if args.command == "up":
        up(spec)
        return 0
    if args.command == "down":
        down(spec)
        if args.molecule and os.environ.get("MOLECULE_INSTANCE_CONFIG"):
            Path(os.environ["MOLECULE_INSTANCE_CONFIG"]).write_text("[]\n")  # molecule: no instances left
        return 0
    return status(spec)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except LabError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
