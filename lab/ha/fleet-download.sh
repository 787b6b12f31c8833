#!/bin/sh
# One "builder" of the HA suite and bench/ha: `go mod download` of the lab's fleet project (lab/upstream/ha,
# copied to /opt/fleet on the builder) through GOPROXY into a fresh module cache, so nothing comes from a
# cache of an earlier run. Prints "<exit status> <seconds>" on the last line; go's output before it when
# it failed. The checksum database is the lab's mirror of sum.golang.org (go.sum covers every module, so
# go asks it nothing).
#   fleet-download.sh GOPROXY [GOSUMDB]
set -u
proxy=$1
sumdb=${2:-off}
tmp=$(mktemp -d /tmp/fleet.XXXXXX)
cp /opt/fleet/go.mod /opt/fleet/go.sum /opt/fleet/main.go "$tmp/"
start=$(date +%s.%N)
(cd "$tmp" && env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$tmp" GOPROXY="$proxy" GOSUMDB="$sumdb" \
  GOMODCACHE="$tmp/mod" GOPATH="$tmp/gopath" GOCACHE="$tmp/cache" GOFLAGS=-modcacherw GOTOOLCHAIN=local \
  go mod download) > "$tmp/out" 2>&1
rc=$?
end=$(date +%s.%N)
[ "$rc" = 0 ] || tail -n 20 "$tmp/out"
rm -rf "$tmp"
echo "$rc $(awk "BEGIN{printf \"%.3f\", $end - $start}")"
