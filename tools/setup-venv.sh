#!/usr/bin/env bash
# Creates the pinned Python venv (keyed by the hash of requirements.txt) and the collection path
# .cache/collections: the collections of requirements.yml and tests/requirements.yml, and this repository as
# gomod.proxy.
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
# The collections of requirements.yml (run time) and tests/requirements.yml, installed by ansible-galaxy from
# tarballs made from the PyPI ansible bundle (no Galaxy server here), then this checkout as gomod.proxy: a
# relative link, so edits are live and the checkout can move.
"$VENV/bin/python" "$REPO/tools/collections-offline.py" install --path "$REPO/.cache/collections" \
  "$REPO/requirements.yml" "$REPO/tests/requirements.yml"
mkdir -p "$REPO/.cache/collections/ansible_collections/gomod"
ln -sfn ../../../.. "$REPO/.cache/collections/ansible_collections/gomod/proxy"
