"""The lab's module upstream (lab/upstream: a GOPROXY tree with checksum database data) and the cached Go archive the hosts get."""

import hashlib
import json
import os
import platform
import shutil
import time

from .base import CACHE, GOROOT, LAB_DIR, LabError, file_lock, log, run, tree_hash


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
    key = tree_hash(src, names={"go.mod", "go.sum"}, extra="layout-3: every graph version whole")
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
            # Every version the module graph names, whole: clients read the go.mod of versions MVS did not
            # select, and a proxy like Athens answers such a go.mod request by fetching the whole module.
            graph = run([str(GOROOT / "bin" / "go"), "mod", "graph"], env=env, cwd=work, timeout=600)
            named = sorted({v for v in graph.stdout.decode().split()
                            if "@" in v and not v.startswith(("go@", "toolchain@"))})
            if named:
                run([str(GOROOT / "bin" / "go"), "mod", "download", *named], env=env, cwd=work, timeout=600)
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
