#!/usr/bin/env bash
# Draws docs/images/benchmarks-{users,hosts}.png from bench/results/*.json (bench/plot.py).
# matplotlib lives in a bench-only venv, made here on first use from PyPI (it is not a test or run dependency).
# shellcheck source=tools/lib.sh
source "$(dirname "$0")/../tools/lib.sh"
PLOT_VENV="$CACHE/bench-plot-venv-matplotlib-3.11.2"
if [ ! -x "$PLOT_VENV/.complete" ]; then
  log "creating the bench plot venv $PLOT_VENV (matplotlib from PyPI)"
  rm -rf "$PLOT_VENV"
  python3 -m venv "$PLOT_VENV"
  PIP_CACHE_DIR="$CACHE/pip" "$PLOT_VENV/bin/pip" install -q --disable-pip-version-check matplotlib==3.11.2
  printf '#!/bin/sh\n' > "$PLOT_VENV/.complete" && chmod +x "$PLOT_VENV/.complete"
fi
exec "$PLOT_VENV/bin/python" "$REPO/bench/plot.py" "$@"
