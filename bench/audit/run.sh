#!/usr/bin/env bash
# make bench-audit: the fleet audit and site.yml on 30- and 100-host labs against their ping floors.
# See bench.py. Needs root (rootful podman lab) and `make setup`; writes a section of docs/benchmarks.md.
# shellcheck source=tools/lib.sh
source "$(dirname "$0")/../../tools/lib.sh"
VENV=$(venv_dir)/bin
[[ -x $VENV/python ]] || die "no venv at $VENV: run make setup"
export PATH="$VENV:/usr/local/go/bin:$PATH"
# tools/setup-host.sh raises fs.inotify.max_user_instances to 1024, enough for the test labs; every lab host
# takes about 9 (systemd, journald, logind, dbus, sshd), so a 100-host lab next to other jobs' labs needs more.
# bench.py still checks what is free and skips (and reports) a count that does not fit.
if [ "$(cat /proc/sys/fs/inotify/max_user_instances)" -lt 2048 ]; then
  sysctl -q -w fs.inotify.max_user_instances=2048 || log "could not raise fs.inotify.max_user_instances"
fi
cd "$REPO/bench/audit" || exit 1
exec "$VENV/python" bench.py "$@"
