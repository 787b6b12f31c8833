#!/usr/bin/env bash
# Installs the Debian packages the project needs on the controller machine and applies the podman
# host fixes measured on these machines (see docs/lab.md). Idempotent; quick when already done.
# shellcheck source=tools/lib.sh
source "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || die "run as root: the lab uses rootful podman"

PACKAGES=(
  podman runc iptables nftables debootstrap    # lab hosts (netavark shells out to iptables)
  netavark aardvark-dns                        # podman's network backend and the DNS on each lab gateway
  zstd                                         # the cached lab image tarball (lab/image/build.sh)
  rsync git make curl ca-certificates openssl  # build and test plumbing
  openssh-client                               # ssh to the lab hosts, ssh-keygen for the lab key
  shellcheck                                   # ansible-test sanity skips its shellcheck test without it
  dnsutils                                     # dig, for humans debugging the lab
  chromium                                     # renders the audit report in tests
  graphviz                                     # dot: docs/architecture.svg from the code (tools/import_graph.py)
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# crun fails on this kernel's hybrid cgroups ("cgroups in hybrid mode not supported"), and the machine
# lacks CAP_SYS_RESOURCE so podman's default nofile/nproc limits fail with "setrlimit ... not permitted".
conf=/etc/containers/containers.conf
want='# managed by gomod.proxy tools/setup-host.sh
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[engine]
runtime = "runc"

[network]
network_backend = "netavark"
'
if [ "$(cat "$conf" 2>/dev/null)" != "$(printf '%s' "$want")" ]; then
  if [ -s "$conf" ] && ! grep -q 'managed by gomod.proxy' "$conf"; then
    cp -a "$conf" "$conf.before-gomod-proxy"
  fi
  mkdir -p /etc/containers
  printf '%s' "$want" > "$conf"
  log "wrote $conf"
fi

# Every systemd host of the lab takes inotify instances (systemd, journald, udev...); the kernel default of
# 128 per user runs out at about a dozen hosts (a 30-host benchmark lab, or a scenario beside the lab),
# and systemd in a container then fails to start units. Raised for the running kernel only.
if [ "$(cat /proc/sys/fs/inotify/max_user_instances)" -lt 1024 ]; then
  sysctl -q -w fs.inotify.max_user_instances=1024 || log "could not raise fs.inotify.max_user_instances"
fi
if [ "$(cat /proc/sys/fs/inotify/max_user_watches)" -lt 524288 ]; then
  sysctl -q -w fs.inotify.max_user_watches=524288 || log "could not raise fs.inotify.max_user_watches"
fi
