#!/usr/bin/env bash
# make bench-audit: the fleet audit on a 30-host lab against builtin-module tasks and the ping floor.
# See bench.py. Needs root (rootful podman lab) and `make setup`; writes a section of docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")"
VENV=$(ls -d "${GOMOD_PROXY_CACHE:-$HOME/.cache/gomod-proxy}"/venv-*/bin | head -1)
export PATH="$VENV:/usr/local/go/bin:$PATH"
exec "$VENV/python" bench.py "$@"
