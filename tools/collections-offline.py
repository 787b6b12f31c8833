"""Collections for the clone, the tests and the execution environment without a Galaxy server.

Galaxy is unreachable from the build machines, but PyPI is, and the PyPI ``ansible`` bundle wheel carries
every community collection as installed trees (MANIFEST.json and FILES.json included). This tool turns the
collections that requirements files name into ordinary collection tarballs, so that everything else is
plain ``ansible-galaxy collection install``:

  tarballs REQUIREMENTS.yml...
      download the bundle wheel once (cached), pack each named collection as
      $CACHE/collections-<bundle>/tarballs/<ns>-<name>-<version>.tar.gz (checking its version against the
      requirement's range), write $CACHE/collections-<bundle>/requirements.yml listing them as
      ``type: file`` and print that file's path
  install --path DIR REQUIREMENTS.yml...
      the same, then ``ansible-galaxy collection install --offline -r <that file> -p DIR`` unless DIR
      already holds exactly those versions (FILES.json checksums are verified by ansible-galaxy)

The bundle version is BUNDLE below (GOMOD_ANSIBLE_BUNDLE overrides it). Users with a Galaxy server or
Automation Hub need none of this: ``ansible-galaxy collection install -r requirements.yml``.
"""

import argparse
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile

import yaml

BUNDLE = os.environ.get("GOMOD_ANSIBLE_BUNDLE", "ansible==12.3.0")
CACHE = os.environ.get("GOMOD_PROXY_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "gomod-proxy")


def wanted(paths):
    """{namespace.name: version range} of the requirements files (later files add to earlier ones)."""
    out = {}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            data = yaml.safe_load(f) or {}
        for item in data.get("collections") or []:
            item = {"name": item} if isinstance(item, str) else item
            if item.get("type", "galaxy") != "galaxy":
                sys.exit(f"{path}: {item['name']}: only Galaxy names can come from the bundle")
            out[item["name"]] = item.get("version", "*")
    return out


def ensure_wheel(root):
    version = BUNDLE.split("==", 1)[1]
    wheels = os.path.join(CACHE, "wheels")
    path = os.path.join(wheels, f"ansible-{version}-py3-none-any.whl")
    if not os.path.exists(path):
        os.makedirs(wheels, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check", "--no-deps",
                        "--only-binary=:all:", "-d", wheels, BUNDLE], check=True)
    if not os.path.exists(path):
        sys.exit(f"pip download {BUNDLE} did not produce {path}")
    os.makedirs(root, exist_ok=True)
    return path


def pack(wheel, name, version_range, tarballs):
    """The collection's tarball from the wheel's tree: the same files, MANIFEST.json and FILES.json at the top."""
    ns, coll = name.split(".")
    from ansible.galaxy.dependency_resolution.versioning import meets_requirements  # only when packing

    prefix = f"ansible_collections/{ns}/{coll}/"
    with zipfile.ZipFile(wheel) as zf:
        try:
            manifest = json.loads(zf.read(prefix + "MANIFEST.json"))
        except KeyError:
            sys.exit(f"{os.path.basename(wheel)} has no collection {name}")
        version = manifest["collection_info"]["version"]
        if not meets_requirements(version, version_range):
            sys.exit(f"{BUNDLE} has {name} {version}, which does not meet '{version_range}'")
        dest = os.path.join(tarballs, f"{ns}-{coll}-{version}.tar.gz")
        if os.path.exists(dest):
            return dest, version
        os.makedirs(tarballs, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=tarballs, suffix=".partial")
        os.close(fd)
        # The wheel leaves out some files FILES.json lists (CI configuration): FILES.json is narrowed to what the
        # wheel has, and MANIFEST.json's checksum of it follows. Written in FILES.json's order, directories
        # included: ansible-galaxy extracts exactly what FILES.json lists and checks each file's sha256.
        present = set(zf.namelist())
        entries = [e for e in json.loads(zf.read(prefix + "FILES.json"))["files"]
                   if e["ftype"] == "dir" or prefix + e["name"] in present]
        kept = [e["name"] for e in entries if e["ftype"] == "file"]
        entries = [e for e in entries if e["ftype"] == "file" or e["name"] == "."
                   or any(f.startswith(e["name"] + "/") for f in kept)]
        files_json = json.dumps({"files": entries, "format": 1}, indent=4).encode()
        manifest["file_manifest_file"]["chksum_sha256"] = hashlib.sha256(files_json).hexdigest()
        with tarfile.open(tmp, "w:gz") as tar:
            add(tar, "MANIFEST.json", json.dumps(manifest, indent=4).encode())
            add(tar, "FILES.json", files_json)
            for entry in entries:
                if entry["name"] == ".":
                    continue
                if entry["ftype"] == "dir":
                    member = tarfile.TarInfo(entry["name"])
                    member.type, member.mode, member.mtime = tarfile.DIRTYPE, 0o755, 0
                    tar.addfile(member)
                else:
                    info = zf.getinfo(prefix + entry["name"])
                    add(tar, entry["name"], zf.read(info), 0o755 if (info.external_attr >> 16) & 0o111 else 0o644)
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    return dest, version


def add(tar, name, data, mode=0o644):
    member = tarfile.TarInfo(name)
    member.size, member.mode, member.mtime = len(data), mode, 0
    tar.addfile(member, io.BytesIO(data))


def tarballs(requirements):
    root = os.path.join(CACHE, "collections-" + BUNDLE.split("==", 1)[1])
    wheel = ensure_wheel(root)
    packed = {name: pack(wheel, name, rng, os.path.join(root, "tarballs")) for name, rng in wanted(requirements).items()}
    local = os.path.join(root, "requirements-" + "-".join(sorted(packed)).replace(".", "_") + ".yml")
    content = yaml.safe_dump({"collections": [{"name": path, "type": "file"} for path, _version in packed.values()]})
    if not os.path.exists(local) or open(local, encoding="utf-8").read() != content:
        with open(local + ".partial", "w", encoding="utf-8") as f:
            f.write(content)
        os.replace(local + ".partial", local)
    return local, {name: version for name, (_path, version) in packed.items()}


def installed_version(path, name):
    manifest = os.path.join(path, "ansible_collections", *name.split("."), "MANIFEST.json")
    if os.path.islink(os.path.dirname(manifest)):
        return None  # a link left by the earlier layout: replaced by a real install
    try:
        with open(manifest, encoding="utf-8") as f:
            return json.load(f)["collection_info"]["version"]
    except OSError:
        return None


def install(path, requirements):
    # Fast path (every `make` target runs this): nothing to do while the requirements and the bundle are the
    # ones of the last install and the installed trees are there.
    stamp = os.path.join(path, ".collections-offline")
    key = json.dumps([BUNDLE, wanted(requirements)], sort_keys=True)
    if os.path.exists(stamp) and open(stamp, encoding="utf-8").read() == key and all(
            installed_version(path, n) for n in wanted(requirements)):
        return
    local, versions = tarballs(requirements)
    stale = [n for n, v in versions.items() if installed_version(path, n) != v]
    for name in stale:
        link = os.path.join(path, "ansible_collections", *name.split("."))
        if os.path.islink(link):
            os.remove(link)
    if stale:
        galaxy = os.path.join(os.path.dirname(sys.executable), "ansible-galaxy")  # the venv's, next to this python
        subprocess.run([galaxy if os.path.exists(galaxy) else "ansible-galaxy", "collection", "install", "--offline",
                        "--force", "-r", local, "-p", path], check=True, stdout=subprocess.DEVNULL)
    with open(stamp, "w", encoding="utf-8") as f:
        f.write(key)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["tarballs", "install"])
    parser.add_argument("requirements", nargs="+", help="requirements.yml files naming the collections")
    parser.add_argument("--path", help="install: the collections path")
    args = parser.parse_args()
    if args.command == "tarballs":
        print(tarballs(args.requirements)[0])
    else:
        if not args.path:
            parser.error("install needs --path")
        install(args.path, args.requirements)


if __name__ == "__main__":
    main()
