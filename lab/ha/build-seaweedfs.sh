#!/usr/bin/env bash
# Builds SeaweedFS' `weed` (Apache-2.0; the lab-ha S3 store) from the Go module proxy on the controller,
# like the athens role builds Athens: `go mod download` of the module at an exact version (checked against
# the checksum database), then `go build` of ./weed with CGO off. Prints the path of the binary.
# Cached outside the clone, keyed by the SeaweedFS version and the Go version:
#   $GOMOD_PROXY_CACHE/lab/seaweedfs/weed-<version>-<go version>      the binary
#   $GOMOD_PROXY_CACHE/lab/seaweedfs/modcache                         the module cache of the builds
# Usage: lab/ha/build-seaweedfs.sh VERSION
# SeaweedFS tags its releases "3.80", not v3.80.0, so the Go module proxy knows it only by pseudo-versions;
# the one pinned in inventories/lab-ha is one proxy.golang.org serves (most are answered 403 here).
set -euo pipefail
version=${1:?usage: $0 VERSION}
GOROOT=${GOROOT:-/usr/local/go}
cache="${GOMOD_PROXY_CACHE:-$HOME/.cache/gomod-proxy}/lab/seaweedfs"
gover=$("$GOROOT/bin/go" env GOVERSION)
out="$cache/weed-$version-$gover"
mkdir -p "$cache" "$cache/../locks"
exec 9>"$cache/../locks/seaweedfs.lock"
flock 9
if [ -x "$out" ]; then echo "$out"; exit 0; fi
start=$SECONDS
echo "==> building SeaweedFS weed $version with $gover (once per version and Go version; several minutes)" >&2
work=$(mktemp -d "$cache/build.XXXXXX")
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
export PATH="$GOROOT/bin:$PATH" GOTOOLCHAIN=local GOWORK=off GOFLAGS=-mod=mod GOPROXY=https://proxy.golang.org \
  GOSUMDB=sum.golang.org GOMODCACHE="$cache/modcache" GOPATH="$work/gopath" GOCACHE="$cache/gocache" \
  CGO_ENABLED=0 HOME="$work"
dir=$(go mod download -json "github.com/seaweedfs/seaweedfs@$version" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
cp -r "$dir" "$work/src" && chmod -R u+w "$work/src"
cd "$work/src"
# The module's own go.sum pins every dependency; -mod=mod lets go add what a newer toolchain needs.
go build -trimpath -ldflags "-s -w" -o "$work/weed" ./weed
mv "$work/weed" "$out.partial" && mv "$out.partial" "$out"
echo "==> built $out in $((SECONDS - start))s" >&2
echo "$out"
