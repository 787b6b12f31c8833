#!/usr/bin/env bash
# Creates the pinned Python venv (keyed by the hash of requirements.txt) and the collection path
# .cache/collections with this repository linked in as gomod.proxy plus the bundle collections.
# shellcheck source=tools/lib.sh
source "$(dirname "$0")/lib.sh"
VENV=$(venv_dir)
if [ ! -x "$VENV/.complete" ]; then
  log "creating venv $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check --upgrade pip
  PIP_CACHE_DIR="$CACHE/pip" "$VENV/bin/pip" install -q --disable-pip-version-check -r "$REPO/requirements.txt"
  printf '#!/bin/sh\n' > "$VENV/.complete" && chmod +x "$VENV/.complete"
fi
"$VENV/bin/python" "$REPO/tools/install-collections.py" "$REPO/collections.txt" "$CACHE" "$REPO/.cache/collections"
