#!/usr/bin/env bash
# Builds the root filesystem of a lab host as a tarball: debootstrap (minbase) of Debian SUITE from
# deb.debian.org with the packages of packages.txt, the overlay/ files and customize.sh applied.
# usage: build.sh SUITE OUT.tar.zst   (lab/labctl.py calls it when the image key changed; run as root)
# The tarball is what `podman import` reads; zstd makes it ~3x smaller and imports faster than plain tar.
set -euo pipefail
suite=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
debs=${GOMOD_PROXY_CACHE:-$HOME/.cache/gomod-proxy}/lab/debs/$suite
mkdir -p "$debs" "$(dirname "$out")"
work=$(mktemp -d "$(dirname "$out")/build.XXXXXX")
cleanup() {
  # debootstrap mounts proc/sys in the target and may leave them after a failure: unmount before rm -rf.
  awk -v w="$work/" 'index($2, w) == 1 {print $2}' /proc/mounts | sort -r | xargs -r umount -l
  rm -rf "$work"
}
trap cleanup EXIT

packages=$(sed 's/#.*//' "$here/packages.txt" |
  awk -v s="$suite" 'NF == 1 { print $1 } NF > 1 { for (i = 2; i <= NF; i++) if ($i == s) print $1 }' | paste -sd, -)
# The downloaded .debs are kept (--cache-dir) so that changing only the overlay re-runs without downloads.
debootstrap --variant=minbase --include="$packages" --cache-dir="$debs" \
  "$suite" "$work/rootfs" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 || {
  tail -30 "$work/debootstrap.log" >&2
  [ -f "$work/rootfs/debootstrap/debootstrap.log" ] && tail -30 "$work/rootfs/debootstrap/debootstrap.log" >&2
  exit 1
}
cp -a "$here/overlay/." "$work/rootfs/"
chroot "$work/rootfs" /bin/sh -s "$suite" < "$here/customize.sh"
tar -C "$work/rootfs" --numeric-owner --xattrs -cf - . | zstd -T0 -3 -q -o "$out.tmp"
mv "$out.tmp" "$out"
