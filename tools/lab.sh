#!/usr/bin/env bash
# The lab: real Debian hosts (podman containers running systemd) for inventories/lab. See docs/lab.md.
#   tools/lab.sh up       build or load the cached image, start every host of inventories/lab/hosts.yml,
#                         wait until systemd runs and ssh answers (idempotent; cleans up if it fails)
#   tools/lab.sh down     remove the lab's containers and network (the cached image stays)
#   tools/lab.sh status   the hosts, their addresses and state (exit 0 all up, 3 none, 1 partial)
#   tools/lab.sh check    ansible -i inventories/lab all -m ping (proves ssh + python for Ansible)
#   tools/lab.sh prepare  only fill the caches (image, upstream module tree, Go archive)
#   tools/lab.sh prune    remove the containers and networks of every lab and scenario on this machine
# --inventory DIR (up, down, status, check) picks another static lab, e.g. inventories/lab-ha; `up` then also
# runs lab/services/<name of DIR>.yml when it exists: the services that lab's fleet already has (redis, S3).
# shellcheck source=tools/lib.sh
source "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || die "run as root: the lab uses rootful podman"
VENV=$(venv_dir)
[ -x "$VENV/bin/python" ] || die "no venv at $VENV: run make setup"
export PATH="$VENV/bin:$PATH" ANSIBLE_CONFIG="$REPO/ansible.cfg" ANSIBLE_COLLECTIONS_PATH="$REPO/.cache/collections"
cmd=${1:-}
inventory=inventories/lab
args=("${@:2}")
for i in "${!args[@]}"; do
  [ "${args[$i]}" = --inventory ] && inventory=${args[$((i + 1))]:-$inventory}
done
case "$cmd" in
  up)
    "$VENV/bin/python" "$REPO/lab/labctl.py" "$cmd" "${@:2}" || exit
    services="$REPO/lab/services/$(basename "$inventory").yml"
    if [ -f "$services" ]; then
      cd "$REPO" || exit
      log "lab/services/${services##*/}: the services this lab's fleet already has"
      exec ansible-playbook -i "$inventory" "$services"
    fi ;;
  down|status|prepare|prune) exec "$VENV/bin/python" "$REPO/lab/labctl.py" "$cmd" "${@:2}" ;;
  check)
    cd "$REPO" || exit
    exec ansible -i "$inventory" all -m ansible.builtin.ping ;;
  *) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
