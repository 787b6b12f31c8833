#!/usr/bin/env bash
# Test driver behind `make test` and its parts. Usage: tools/test.sh all|unit|differential|integration|sanity|lint|molecule|site
# |ha|user|ee. site runs on Debian 12 lab hosts, or those of GOMOD_LAB_SUITE (trixie: Debian 13); ha on the HA lab
# (inventories/lab-ha); user and ee are tools/dist.sh's (the installed tarball's path, the execution environment).
# Each suite prints its wall time; `all` runs the fast, local suites first so a broken module fails
# before the lab is started.
# shellcheck source=tools/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$REPO" || exit 1
VENV=$(venv_dir)
export PATH="$VENV/bin:/usr/local/go/bin:$PATH"
export ANSIBLE_CONFIG="$REPO/ansible.cfg"
export ANSIBLE_COLLECTIONS_PATH="$REPO/.cache/collections"
export PYTHONDONTWRITEBYTECODE=1

timed() {
  local name=$1; shift
  local start=$SECONDS
  log "$name"
  "$@"
  printf '%s passed in %ds\n' "$name" $((SECONDS - start)) | tee -a "$REPO/.cache/test-times.txt" >&2
}

unit() { python -m pytest -q tests/unit; }

differential() { python -m pytest -q -p no:cacheprovider tests/differential; }

integration() {
  # Targets are roles in tests/integration/targets, run on this machine against real local users.
  local targets=("$@")
  [ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(ls tests/integration/targets)
  for t in "${targets[@]}"; do
    ANSIBLE_ROLES_PATH="$REPO/tests/integration/targets" \
      ansible-playbook -i localhost, -c local tests/integration/run.yml -e "integration_target=$t"
  done
}

# ansible-test must run from inside ansible_collections/<ns>/<name> (a real path, not a link), so
# sanity works on a copy of the files git would ship.
# The copy lives outside the checkout: inside it, ansible-test would list files with the checkout's
# git, which ignores .cache, and find nothing to test.
sanity_tree() {
  local dest
  dest="$CACHE/sanity/$(echo "$REPO" | sha256sum | cut -c1-12)/ansible_collections/gomod/proxy"
  mkdir -p "$dest"
  git ls-files -z --cached --others --exclude-standard | rsync -a --delete --from0 --files-from=- ./ "$dest/"
  echo "$dest"
}

# ansible-test bootstraps pip in its venvs from a script on ci-files.testing.ansible.com, which is
# unreachable here; our stand-in (tools/ansible-test-get-pip.py) uses ensurepip + PyPI instead.
seed_ansible_test_pip() {
  local version
  version=$(python - <<'PY'
import re, ansible_test, os
src = open(os.path.join(os.path.dirname(ansible_test.__file__), "_internal", "python_requirements.py")).read()
print(re.search(r"pip='([0-9.]+)'", src).group(1))
PY
)
  mkdir -p "$HOME/.ansible/test/cache"
  cp "$REPO/tools/ansible-test-get-pip.py" "$HOME/.ansible/test/cache/get_pip_${version//./_}.py"
}

sanity() {
  local tree
  seed_ansible_test_pip
  tree=$(sanity_tree)
  (cd "$tree" && ansible-test sanity --venv --requirements --python 3.11 --color no "$@")
}

lint() {
  ansible-lint --profile production --offline
  python tools/check-argument-specs.py roles/*/
  python tools/check-inventories.py inventories/*/
}

molecule_all() { tools/molecule.sh "$@"; }

# The main job as `make site` runs it, twice on a fresh lab: the first run converges the whole fleet and
# ends with a clean audit, the second must change nothing; then tests/site checks the fleet on that same lab.
# The lab's upstream resolver is silent (every DNS packet of the hosts dropped, as behind a private network's
# firewall), so nothing may depend on names the lab does not publish itself, and the proxy's name must be
# answered without the upstream. The lab is removed afterwards, also on failure (GOMOD_LAB_KEEP_FAILED=1
# keeps it for a look).
site() {
  local log="$REPO/.cache/site-rerun.log" report="$REPO/.cache/site-report"
  rm -rf "$report"
  GOMOD_LAB_DNS_UPSTREAM=silent tools/lab.sh up
  # set -e ends the script at a failure without running RETURN traps; EXIT runs then.
  trap '[ -n "${GOMOD_LAB_KEEP_FAILED:-}" ] || tools/lab.sh down' EXIT
  ansible-playbook site.yml -i inventories/lab -e "audit_report_dir=$report"
  ansible-playbook site.yml -i inventories/lab -e "audit_report_dir=$report" | tee "$log"
  python tools/check_recap.py --changed 0 "$log"
  GOMOD_SITE_REPORT_DIR="$report" python -m pytest -q -p no:cacheprovider tests/site
  trap - EXIT
  tools/lab.sh down
}

# The HA lab (inventories/lab-ha: replicas on one S3 bucket and a redis lock behind HAProxy), brought up once
# beside the static lab and converged by the whole site.yml, as `make site INVENTORY=inventories/lab-ha` does
# (its audit gate included); the rerun must change nothing. tests/ha then runs every HA check on it in order.
# The lab is removed afterwards, also on failure.
ha() {
  local rc=0 log="$REPO/.cache/ha-rerun.log" report="$REPO/.cache/ha-report"
  rm -rf "$report"
  tools/lab.sh up --inventory inventories/lab-ha || rc=$?
  log "lab up at ${SECONDS}s"
  if [ "$rc" = 0 ]; then
    { ansible-playbook site.yml -i inventories/lab-ha -e "audit_report_dir=$report" &&
      log "site.yml done at ${SECONDS}s" &&
      ansible-playbook site.yml -i inventories/lab-ha -e "audit_report_dir=$report" | tee "$log" &&
      python tools/check_recap.py --changed 0 "$log" && log "rerun changed=0 at ${SECONDS}s" &&
      python -m pytest -q -p no:cacheprovider --durations=0 tests/ha; } || rc=$?
  fi
  tools/lab.sh down --inventory inventories/lab-ha
  return "$rc"
}

what=${1:-all}
shift || true
: > "$REPO/.cache/test-times.txt"
case "$what" in
  unit) timed unit unit ;;
  differential) timed differential differential ;;
  integration) timed integration integration "$@" ;;
  sanity) timed sanity sanity "$@" ;;
  lint) timed lint lint ;;
  molecule) timed molecule molecule_all "$@" ;;
  site) timed "site${GOMOD_LAB_SUITE:+-$GOMOD_LAB_SUITE}" site ;;
  ha) timed ha ha ;;
  user) timed user tools/dist.sh user ;;
  ee) timed ee tools/dist.sh ee ;;
  all)
    timed unit unit
    timed differential differential
    timed integration integration
    timed sanity sanity
    timed lint lint
    timed molecule molecule_all
    timed site site
    GOMOD_LAB_SUITE=trixie timed site-trixie site
    timed ha ha
    timed user tools/dist.sh user
    timed ee tools/dist.sh ee
    cat "$REPO/.cache/test-times.txt" >&2
    ;;
  *) die "unknown suite '$what' (all|unit|differential|integration|sanity|lint|molecule|site|ha|user|ee)" ;;
esac
