"""Make the collections this project needs importable without a Galaxy server.

Galaxy is unreachable from the build machines, but PyPI is, and the PyPI ``ansible`` bundle wheel
carries every community collection. This script downloads that wheel once (cached), extracts only
the collections listed in collections.txt, and builds a collection path:

    <repo>/.cache/collections/ansible_collections/
        gomod/proxy        -> <repo>            (this checkout, so edits are live)
        <ns>/<name>        -> <cache>/collections-<bundle>/ansible_collections/<ns>/<name>

Usage: install-collections.py COLLECTIONS_TXT CACHE_DIR COLLECTION_PATH
"""

import os
import subprocess
import sys
import zipfile


def read_wanted(path):
    lines = [ln.split("#", 1)[0].strip() for ln in open(path, encoding="utf-8")]
    lines = [ln for ln in lines if ln]
    if not lines or not lines[0].startswith("ansible=="):
        sys.exit(f"{path}: first entry must be 'ansible==<version>', got {lines[:1]!r}")
    return lines[0], lines[1:]


def ensure_wheel(requirement, cache):
    wheels = os.path.join(cache, "wheels")
    version = requirement.split("==", 1)[1]
    name = f"ansible-{version}-py3-none-any.whl"
    path = os.path.join(wheels, name)
    if not os.path.exists(path):
        os.makedirs(wheels, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check",
             "--no-deps", "--only-binary=:all:", "-d", wheels, requirement],
            check=True,
        )
    if not os.path.exists(path):
        sys.exit(f"pip download {requirement} did not produce {path}")
    return path, version


def extract(wheel, version, wanted, cache):
    root = os.path.join(cache, f"collections-{version}")
    todo = [c for c in wanted
            if not os.path.exists(os.path.join(root, "ansible_collections", *c.split("."), "MANIFEST.json"))]
    if todo:
        prefixes = tuple("ansible_collections/" + c.replace(".", "/") + "/" for c in todo)
        with zipfile.ZipFile(wheel) as zf:
            members = [m for m in zf.namelist() if m.startswith(prefixes)]
            found = {c for c in todo if any(m.startswith("ansible_collections/" + c.replace(".", "/") + "/")
                                            for m in members)}
            missing = sorted(set(todo) - found)
            if missing:
                sys.exit(f"{os.path.basename(wheel)} has no collection {', '.join(missing)}")
            # Extract to a temporary sibling and rename, so an interrupted run never leaves half a tree
            # that a later run would take for complete.
            tmp = root + ".partial"
            zf.extractall(tmp, members)
        for c in todo:
            ns, name = c.split(".")
            dest = os.path.join(root, "ansible_collections", ns, name)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            if os.path.exists(dest):
                subprocess.run(["rm", "-rf", dest], check=True)
            os.rename(os.path.join(tmp, "ansible_collections", ns, name), dest)
        subprocess.run(["rm", "-rf", tmp], check=True)
    return os.path.join(root, "ansible_collections")


def link(target, link_path):
    os.makedirs(os.path.dirname(link_path), exist_ok=True)
    if os.path.islink(link_path) and os.readlink(link_path) == target:
        return
    if os.path.lexists(link_path):
        os.remove(link_path)
    os.symlink(target, link_path)


def main():
    collections_txt, cache, collection_path = sys.argv[1:4]
    repo = os.path.dirname(os.path.abspath(collections_txt))
    requirement, wanted = read_wanted(collections_txt)
    wheel, version = ensure_wheel(requirement, cache)
    source = extract(wheel, version, wanted, cache)
    base = os.path.join(collection_path, "ansible_collections")
    for c in wanted:
        ns, name = c.split(".")
        link(os.path.join(source, ns, name), os.path.join(base, ns, name))
    # Relative link: the checkout can move without breaking it.
    own = os.path.join(base, "gomod", "proxy")
    link(os.path.relpath(repo, os.path.dirname(own)), own)


if __name__ == "__main__":
    main()
