#!/usr/bin/env bash
# make bench-ha: 1, 2 and 3 Athens replicas behind the load balancer, cold and warm, 10 builders at once,
# against the same download from a static file server (the lab's upstream host). See bench.py. Needs root
# (rootful podman lab) and `make setup`; brings up inventories/lab-ha (site.yml) unless --no-setup, removes
# it at the end unless --keep; writes the HA section of docs/benchmarks.md.
# shellcheck source=tools/lib.sh
source "$(dirname "$0")/../../tools/lib.sh"
VENV=$(venv_dir)/bin
[[ -x $VENV/python ]] || die "no venv at $VENV: run make setup"
export PATH="$VENV:/usr/local/go/bin:$PATH" ANSIBLE_CONFIG="$REPO/ansible.cfg" ANSIBLE_COLLECTIONS_PATH="$REPO/.cache/collections"
cd "$REPO" || exit 1
setup=1 keep=0 args=()
for a in "$@"; do
  case "$a" in --no-setup) setup=0 ;; --keep) keep=1 ;; *) args+=("$a") ;; esac
done
if [ "$setup" = 1 ]; then
  tools/lab.sh up --inventory inventories/lab-ha
  ansible-playbook site.yml -i inventories/lab-ha --tags proxy,lb,dns
fi
[ "$keep" = 1 ] || trap 'tools/lab.sh down --inventory inventories/lab-ha' EXIT
"$VENV/python" bench/ha/bench.py "${args[@]}"
