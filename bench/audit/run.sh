#!/usr/bin/env bash
# make bench-audit: the fleet audit and site.yml on 30- and 100-host labs against their ping floors.
# See bench.py. Needs root (rootful podman lab) and `make setup`; writes a section of docs/benchmarks.md.
# shellcheck source=tools/lib.sh
source "$(dirname "$0")/../../tools/lib.sh"
VENV=$(venv_dir)/bin
[[ -x $VENV/python ]] || die "no venv at $VENV: run make setup"
export PATH="$VENV:/usr/local/go/bin:$PATH"
cd "$REPO/bench/audit" || exit 1
exec "$VENV/python" bench.py "$@"
