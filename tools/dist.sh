#!/usr/bin/env bash
# The collection as people who install it get it: the built tarball in a project of its own, and the
# execution environment. Usage:
#   tools/dist.sh tarball     build gomod-proxy-<version>.tar.gz (ansible-galaxy collection build) and the
#                             tarballs of its dependencies; prints the directory that holds them
#   tools/dist.sh user        the user's path on a fresh static lab: a new project with only the tarball installed
#                             (ansible-galaxy collection install, dependencies included), `gomod.proxy.site --check`
#                             must predict without failing, then a run, then a rerun with changed=0
#   tools/dist.sh ee-build    build the execution environment (ansible-builder, podman), cached by content;
#                             prints the image
#   tools/dist.sh ee          the EE on a fresh static lab: ansible-navigator runs gomod.proxy.site, then its rerun
#                             (changed=0), then gomod.proxy.audit of the builders, inside the image; the report and the
#                             controller cache land on volumes that outlive the jobs
# user and ee start and remove the static lab of inventories/lab: one at a time per machine (tools/test.sh's
# callers hold /work/locks/static-lab.lock where several clones share the machine).
# shellcheck source=tools/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$REPO" || exit 1
VENV=$(venv_dir)
export PATH="$VENV/bin:/usr/local/go/bin:$PATH"
DIST="$REPO/.cache/dist"
# The PLAY RECAP checker (tools/check_recap.py, before that tools/check-recap.py).
RECAP=tools/check_recap.py
[ -f "$RECAP" ] || RECAP=tools/check-recap.py

# A check run's recap: no host failed or unreachable, and changes predicted on every host.
predicted_changes() {
  python - "$RECAP" "$1" <<'PY'
import importlib.util, sys
spec = importlib.util.spec_from_file_location("recap", sys.argv[1])
recap = importlib.util.module_from_spec(spec)
spec.loader.exec_module(recap)
hosts = recap.parse_recap(open(sys.argv[2], encoding="utf-8", errors="replace").read())
bad = [h for h, c in hosts.items() if c.get("failed") or c.get("unreachable") or not c.get("changed")]
print("check recap: %d host(s); predicted changes: %s" % (len(hosts), ", ".join("%s=%d" % (h, c.get("changed", 0)) for h, c in sorted(hosts.items()))))
sys.exit(1 if bad or not hosts else 0)
PY
}

# The collection tarball and its dependencies' tarballs (from the PyPI bundle: no Galaxy server here).
tarball() {
  rm -rf "$DIST/tarballs" && mkdir -p "$DIST/tarballs"
  ansible-galaxy collection build --output-path "$DIST/tarballs" "$REPO" >/dev/null
  local deps
  deps=$("$VENV/bin/python" tools/collections-offline.py tarballs requirements.yml)
  "$VENV/bin/python" - "$deps" "$DIST/tarballs" <<'PY'
import shutil, sys, yaml
for item in yaml.safe_load(open(sys.argv[1]))["collections"]:
    shutil.copy(item["name"], sys.argv[2])
PY
  echo "$DIST/tarballs"
}

# A project directory as a user makes one: ansible.cfg, the collections installed from the tarballs, and the
# lab's inventory (a copy, with the lab's ssh key where its group_vars expect it).
project() {
  local dir=$1 tarballs=$2
  rm -rf "$dir" && mkdir -p "$dir/inventories" "$dir/.cache/lab/cp"
  cp -r inventories/lab "$dir/inventories/lab"
  cp .cache/lab/id_ed25519 .cache/lab/id_ed25519.pub "$dir/.cache/lab/"
  cat > "$dir/ansible.cfg" <<'CFG'
[defaults]
collections_path = ./collections
interpreter_python = auto_silent
forks = 10

[ssh_connection]
pipelining = True
CFG
  # What README.md tells users: the tarball, whose galaxy.yml dependencies ansible-galaxy resolves (here
  # against the dependencies' tarballs given with it, --offline, instead of a Galaxy server).
  [ -n "$tarballs" ] || return 0
  in_project "$dir" ansible-galaxy collection install --offline -p collections "$tarballs"/*.tar.gz
}

# ansible-playbook as a user runs it: in the project, with its ansible.cfg and nothing of this clone's.
in_project() {
  local dir=$1; shift
  (cd "$dir" && env -u ANSIBLE_CONFIG -u ANSIBLE_COLLECTIONS_PATH -u ANSIBLE_ROLES_PATH ANSIBLE_NOCOLOR=1 "$@")
}

lab_up() {
  tools/lab.sh up
  # set -e ends the script at a failure without running RETURN traps; EXIT runs then.
  trap '[ -n "${GOMOD_LAB_KEEP_FAILED:-}" ] || tools/lab.sh down' EXIT
}

lab_down() {
  trap - EXIT
  tools/lab.sh down
}

user() {
  local dir="$DIST/project-user" tarballs logs="$DIST/logs"
  tarballs=$(tarball)
  project "$dir" "$tarballs"
  mkdir -p "$logs"
  in_project "$dir" ansible-galaxy collection list gomod.proxy | grep -F "$dir/collections" \
    || die "gomod.proxy is not the project's installed copy"
  lab_up
  log "gomod.proxy.site --check --diff on the fresh lab"
  in_project "$dir" ansible-playbook gomod.proxy.site -i inventories/lab --check --diff > "$logs/user-check.log" 2>&1 \
    || { tail -50 "$logs/user-check.log"; die "--check failed on a fresh lab ($logs/user-check.log)"; }
  predicted_changes "$logs/user-check.log"
  log "gomod.proxy.site"
  in_project "$dir" ansible-playbook gomod.proxy.site -i inventories/lab > "$logs/user-run.log" 2>&1 \
    || { tail -50 "$logs/user-run.log"; die "gomod.proxy.site failed ($logs/user-run.log)"; }
  log "gomod.proxy.site again: changed=0"
  in_project "$dir" ansible-playbook gomod.proxy.site -i inventories/lab > "$logs/user-rerun.log" 2>&1 \
    || { tail -50 "$logs/user-rerun.log"; die "the rerun failed ($logs/user-rerun.log)"; }
  python "$RECAP" --changed 0 "$logs/user-rerun.log"
  [ -s "$dir/reports/audit/goproxy-audit.json" ] || die "no audit report in the project's reports/audit"
  lab_down
}

# ---- execution environment
EE_TOOLS="$CACHE/ee-tools-$(content_hash ee/tools-requirements.txt)"

ee_tools() {
  if [ ! -x "$EE_TOOLS/.complete" ]; then
    log "creating $EE_TOOLS (ansible-builder, ansible-navigator)"
    rm -rf "$EE_TOOLS"
    python3 -m venv "$EE_TOOLS"
    PIP_CACHE_DIR="$CACHE/pip" "$EE_TOOLS/bin/pip" install -q --disable-pip-version-check -r ee/tools-requirements.txt
    printf '#!/bin/sh\n' > "$EE_TOOLS/.complete" && chmod +x "$EE_TOOLS/.complete"
  fi
}

# The base image: the lab's Debian image plus pip, ansible-core and ansible-runner, keyed by the lab image and
# ee/Containerfile.base. Then the EE, keyed by the base, the EE definition and the files of every collection
# in it (their FILES.json: the sha256 of each file, so a rebuilt but identical tarball keeps the key).
ee_build() {
  ee_tools
  local lab_image base key ctx image tarballs
  lab_image=$("$VENV/bin/python" -c 'import sys; sys.path.insert(0, "lab"); from labkit.image import ensure_image; print(ensure_image("bookworm"))')
  # (a command substitution does not inherit set -e: a failure here would otherwise build FROM nothing)
  [ -n "$lab_image" ] || die "no lab image: lab/labkit could not build or load the bookworm image"
  ctx="$CACHE/ee/base-context"
  rm -rf "$ctx" && mkdir -p "$ctx/local-ca"
  cp ee/Containerfile.base ee/ee-apt "$ctx/"
  # the machine's own certificate authorities, trusted in the image as on the machine
  find /usr/local/share/ca-certificates -maxdepth 1 -name '*.crt' -exec cp {} "$ctx/local-ca/" \; 2>/dev/null || true
  base="localhost/gomod-proxy-ee-base:$( { echo "$lab_image"; cat "$ctx"/Containerfile.base "$ctx"/ee-apt; \
      find "$ctx/local-ca" -type f | sort | xargs -r cat; } | sha256sum | cut -c1-12)"
  if ! podman image exists "$base"; then
    log "building $base"
    podman build -q --build-arg "LAB_IMAGE=$lab_image" -t "$base" -f "$ctx/Containerfile.base" "$ctx" >&2
  fi
  tarballs=$(tarball)
  key=$( { echo "$base"; cat ee/execution-environment.yml; for t in "$tarballs"/*.tar.gz; do
           tar -xzOf "$t" MANIFEST.json FILES.json; done; } | sha256sum | cut -c1-12)
  image="localhost/gomod-proxy-ee:$key"
  if ! podman image exists "$image"; then
    ctx="$CACHE/ee/build-$key"
    rm -rf "$ctx" && mkdir -p "$ctx/collections"
    cp ee/execution-environment.yml "$ctx/"
    cp "$tarballs"/*.tar.gz "$ctx/collections/"
    { echo "collections:"
      for t in "$tarballs"/*.tar.gz; do echo "  - {name: collections/$(basename "$t"), type: file}"; done
    } > "$ctx/requirements.yml"
    log "building $image (ansible-builder, podman)"
    (cd "$ctx" && "$EE_TOOLS/bin/ansible-builder" build --container-runtime podman -f execution-environment.yml \
       --build-arg "EE_BASE_IMAGE=$base" -t "$image" -v 2 >&2)
    # older keys are dead weight
    podman images --format '{{.Repository}}:{{.Tag}}' | grep '^localhost/gomod-proxy-ee:' | grep -vF "$image" \
      | xargs -r podman rmi >/dev/null 2>&1 || true
    rm -rf "$ctx"
  fi
  echo "$image"
}

# ansible-navigator in the project, inside the EE: no pull, stdout mode. Volumes as AWX would mount them: the
# audit reports and the controller cache on directories that outlive the job; Go for the controller-side
# Athens build of the lab inventory (athens_install_method: build). The volumes and the project belong to
# uid 1000, the user of ansible-builder's images, as AWX runs them.
navigator() {
  local dir=$1 image=$2; shift 2
  in_project "$dir" "$EE_TOOLS/bin/ansible-navigator" run "$@" -i inventories/lab \
    --mode stdout --pull-policy never --container-engine podman --execution-environment-image "$image" \
    --execution-environment-volume-mounts "$EE_JOBS/reports:/var/lib/gomod-proxy/reports:Z" \
    --execution-environment-volume-mounts "$EE_JOBS/cache:/var/cache/gomod-proxy:Z" \
    --execution-environment-volume-mounts "/usr/local/go:/usr/local/go:ro" \
    --set-environment-variable GOMOD_PROXY_CACHE=/var/cache/gomod-proxy \
    --set-environment-variable ANSIBLE_NOCOLOR=1 \
    --playbook-artifact-enable false \
    -e audit_report_dir=/var/lib/gomod-proxy/reports -e athens_build_go=/usr/local/go/bin/go
}

ee() {
  local image dir="$DIST/project-ee" logs="$DIST/logs"
  image=$(ee_build)
  # The image holds the collection's run-time Python needs (meta/ee-requirements.txt) and none of the
  # development tools of requirements.txt.
  podman run --rm --entrypoint /usr/bin/python3 "$image" -c 'import importlib.util as u, sys
missing = [m for m in ("dns", "ansible_runner") if not u.find_spec(m)]
dev = [m for m in ("molecule", "pytest", "testinfra", "hypothesis", "antsibull_changelog") if u.find_spec(m)]
print("EE python: missing %s, development tools %s" % (missing, dev))
sys.exit(1 if missing or dev else 0)' || die "$image: wrong Python packages"
  # ansible-navigator refuses podman without /dev/mqueue (POSIX message queues), which a machine without
  # systemd as PID 1 may lack.
  [ -d /dev/mqueue ] || mkdir /dev/mqueue
  EE_JOBS="$CACHE/ee/jobs"
  mkdir -p "$EE_JOBS/reports" "$EE_JOBS/cache/artifacts/build" "$logs"
  rm -f "$EE_JOBS/reports"/goproxy-audit.*
  # The controller cache outlives jobs: seeded once with this machine's Athens build, if there is one.
  if [ -d "$CACHE/artifacts/build" ]; then
    cp -rn "$CACHE/artifacts/build/." "$EE_JOBS/cache/artifacts/build/"
  fi
  # No collections in the project: the EE's own run (/usr/share/ansible/collections).
  project "$dir" ""
  sed -i '/^collections_path/d' "$dir/ansible.cfg"
  chown -R 1000:0 "$EE_JOBS" "$dir"
  lab_up
  log "ansible-navigator run gomod.proxy.site in $image"
  navigator "$dir" "$image" gomod.proxy.site > "$logs/ee-site.log" 2>&1 \
    || { tail -50 "$logs/ee-site.log"; die "gomod.proxy.site failed in the EE ($logs/ee-site.log)"; }
  log "again: changed=0"
  navigator "$dir" "$image" gomod.proxy.site > "$logs/ee-rerun.log" 2>&1 \
    || { tail -50 "$logs/ee-rerun.log"; die "the rerun failed in the EE ($logs/ee-rerun.log)"; }
  python "$RECAP" --changed 0 "$logs/ee-rerun.log"
  log "ansible-navigator run gomod.proxy.audit in $image"
  rm -f "$EE_JOBS/reports"/goproxy-audit.*
  navigator "$dir" "$image" gomod.proxy.audit -e gomod_audit_hosts=builders > "$logs/ee-audit.log" 2>&1 \
    || { tail -50 "$logs/ee-audit.log"; die "gomod.proxy.audit failed in the EE ($logs/ee-audit.log)"; }
  [ -s "$EE_JOBS/reports/goproxy-audit.json" ] || die "no report on the reports volume ($EE_JOBS/reports)"
  lab_down
}

case "${1:-}" in
  tarball) tarball ;;
  user) user ;;
  ee-build) ee_build ;;
  ee) ee ;;
  *) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
