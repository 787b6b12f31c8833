#!/usr/bin/env bash
# make bench-go-env: see bench.py. Needs root (creates up to 200 local users), Go at /usr/local/go and `make setup`.
# shellcheck source=tools/lib.sh
source "$(dirname "$0")/../../tools/lib.sh"
VENV=$(venv_dir)/bin
[[ -x $VENV/python ]] || die "no venv at $VENV: run make setup"
export PATH="$VENV:/usr/local/go/bin:$PATH" ANSIBLE_CONFIG="$REPO/ansible.cfg"
cd "$REPO/bench/go_env" || exit 1
exec "$VENV/python" bench.py "$@"
