#!/usr/bin/env bash
# make bench-go-env: see bench.py. Needs root (creates 20 local users) and Go at /usr/local/go.
set -euo pipefail
cd "$(dirname "$0")"
exec python3 bench.py "$@"
