# shellcheck shell=bash
# Shared shell settings for tools/*.sh. Sourced, never run.
# Heavy caches (venv, bundle wheel, lab image, Go module caches, Athens build) live outside the clone so
# that a fresh clone on the same machine reuses them; nothing depends on them being there.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${GOMOD_PROXY_CACHE:-$HOME/.cache/gomod-proxy}
mkdir -p "$CACHE"
log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
# Content hash of files, used to key caches so a changed recipe rebuilds and an unchanged one does not.
content_hash() { cat "$@" | sha256sum | cut -c1-12; }
venv_dir() { echo "$CACHE/venv-$(content_hash "$REPO/requirements.txt")"; }
