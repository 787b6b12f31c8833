#!/bin/sh
# Runs inside the debootstrapped root (chroot) after the overlay files are copied in: turns the tree into
# a host that boots systemd as PID 1 under podman and leaves every optional service to the roles.
set -eu
SUITE=$1

# Services the roles own: installed so a role's apt task is a no-op, but not running until a role says so.
systemctl disable dnsmasq.service named.service firewalld.service ufw.service 2>/dev/null || true
# Background apt and maintenance timers would take the dpkg lock in the middle of a test run.
systemctl mask apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer e2scrub_all.timer \
  fstrim.timer man-db.timer >/dev/null 2>&1 || true
# Nothing to do in a container: no consoles, no kernel modules, no hardware clock, no udev.
systemctl mask getty.target console-getty.service systemd-modules-load.service \
  systemd-udevd.service systemd-udev-trigger.service sys-kernel-config.mount sys-kernel-debug.mount \
  sys-kernel-tracing.mount systemd-remount-fs.service systemd-hwdb-update.service >/dev/null 2>&1
systemctl enable lab-upstream.service >/dev/null 2>&1

cat > /etc/apt/sources.list <<SOURCES
deb http://deb.debian.org/debian $SUITE main
deb http://deb.debian.org/debian $SUITE-updates main
deb http://deb.debian.org/debian-security $SUITE-security main
SOURCES

# Empty machine-id: systemd makes a fresh one at each boot from the container's id, so hosts differ.
: > /etc/machine-id
rm -f /var/lib/dbus/machine-id
# Hostname comes from podman; /etc/hosts and /etc/resolv.conf are written by lab/labctl.py before boot.
rm -f /etc/hostname
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' > /etc/hosts
rm -f /etc/resolv.conf
printf '# written by lab/labctl.py at start\n' > /etc/resolv.conf

# What the dpkg excludes keep out of later installs, removed from the base too.
find /usr/share/doc -mindepth 2 ! -name copyright ! -type d -delete 2>/dev/null || true
rm -rf /usr/share/man/* /usr/share/info/* 2>/dev/null || true
find /usr/share/locale -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} + 2>/dev/null || true
apt-get clean
rm -rf /var/log/*.log /var/log/apt/* /var/cache/debconf/*-old /tmp/* /var/tmp/*
