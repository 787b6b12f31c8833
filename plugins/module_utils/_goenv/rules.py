# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""What `go env -w/-u` accepts, per Go version (1.13 to 1.26), as data.

The embedded tables come from Go's sources and release history (docs/go-env-format-notes.md says
which rows were measured on a real toolchain). When the GOROOT of the toolchain in use still has its
sources (the go.dev tarball and distribution packages ship them), ``rules_for`` reads the platform
list, the GOEXPERIMENT names, KnownEnv, the read-only/OS-only keys and the regabi arch lists from
them, so validation matches that exact toolchain, including versions newer than these tables.
"""

from __future__ import annotations

import collections
import os
import platform
import re

# Oldest Go with `go env -w`; newest Go whose tables are embedded here.
OLDEST = (1, 13)
NEWEST = (1, 26)

# --- KnownEnv (internal/cfg/cfg.go) -----------------------------------------------------------------

_KNOWN_ENV_1_13 = frozenset("""
AR CC CGO_CFLAGS CGO_CFLAGS_ALLOW CGO_CFLAGS_DISALLOW CGO_CPPFLAGS CGO_CPPFLAGS_ALLOW
CGO_CPPFLAGS_DISALLOW CGO_CXXFLAGS CGO_CXXFLAGS_ALLOW CGO_CXXFLAGS_DISALLOW CGO_ENABLED CGO_FFLAGS
CGO_FFLAGS_ALLOW CGO_FFLAGS_DISALLOW CGO_LDFLAGS CGO_LDFLAGS_ALLOW CGO_LDFLAGS_DISALLOW CXX FC GCCGO
GO111MODULE GO386 GOARCH GOARM GOBIN GOCACHE GOENV GOEXE GOFLAGS GOGCCFLAGS GOHOSTARCH GOHOSTOS
GOMIPS GOMIPS64 GONOPROXY GONOSUMDB GOOS GOPATH GOPPC64 GOPRIVATE GOPROXY GOROOT GOSUMDB GOTMPDIR
GOTOOLDIR GOWASM GO_EXTLINK_ENABLED PKG_CONFIG
""".split())

# Keys added to KnownEnv by each release; none was ever removed.
_KNOWN_ENV_ADDED = {
    (1, 14): ("GOINSECURE",),
    (1, 15): ("GOMODCACHE",),
    (1, 16): ("GOVCS",),
    (1, 17): ("GOEXPERIMENT",),
    (1, 18): ("GOAMD64", "GOWORK"),
    (1, 21): ("GOTOOLCHAIN", "GOCACHEPROG"),
    (1, 23): ("GORISCV64", "GOARM64"),
    (1, 24): ("GOAUTH", "GOFIPS140"),
}

# checkEnvWrite: "K cannot be modified".
_READONLY_1_13 = frozenset(("GOEXE", "GOGCCFLAGS", "GOHOSTARCH", "GOHOSTOS", "GOMOD", "GOTOOLDIR"))
_READONLY_ADDED = {
    (1, 16): ("GOVERSION",),
    (1, 18): ("GOWORK",),
    (1, 24): ("GOTELEMETRY", "GOTELEMETRYDIR"),
}

# checkEnvWrite: "K can only be set using the OS environment".
_OS_ONLY_ADDED = {
    (1, 13): ("GOENV",),
    (1, 23): ("GODEBUG",),
}

# --- GOOS/GOARCH pairs accepted by checkBuildConfig (1.14+) -----------------------------------------
# 1.14-1.19: cmd/go/internal/cfg OSArchSupportsCgo (includes the broken linux/sparc64);
# 1.20+: internal/platform distInfo (includes broken ports).

_PLATFORMS_1_19 = frozenset(tuple(p.split("/")) for p in """
aix/ppc64 android/386 android/amd64 android/arm android/arm64 darwin/amd64 darwin/arm64
dragonfly/amd64 freebsd/386 freebsd/amd64 freebsd/arm freebsd/arm64 illumos/amd64 ios/amd64 ios/arm64
js/wasm linux/386 linux/amd64 linux/arm linux/arm64 linux/loong64 linux/mips linux/mips64
linux/mips64le linux/mipsle linux/ppc64 linux/ppc64le linux/riscv64 linux/s390x linux/sparc64
netbsd/386 netbsd/amd64 netbsd/arm netbsd/arm64 openbsd/386 openbsd/amd64 openbsd/arm openbsd/arm64
openbsd/mips64 plan9/386 plan9/amd64 plan9/arm solaris/amd64 windows/386 windows/amd64 windows/arm
windows/arm64
""".split())

# (version, added, removed) relative to the previous version, walking away from 1.19.
_PLATFORM_CHANGES_AFTER_1_19 = (
    ((1, 20), ("freebsd/riscv64",), ()),
    ((1, 21), ("openbsd/ppc64", "wasip1/wasm"), ()),
    ((1, 22), ("openbsd/riscv64",), ()),
    ((1, 26), (), ("windows/arm",)),
)
_PLATFORM_CHANGES_UP_TO_1_19 = (
    # (version, added in that version, removed in that version)
    ((1, 19), ("linux/loong64",), ()),
    ((1, 17), ("windows/arm64",), ()),
    ((1, 16), ("ios/amd64", "ios/arm64", "openbsd/mips64"), ()),
    ((1, 15), (), ("darwin/386", "darwin/arm")),
)

# --- GOEXPERIMENT (internal/goexperiment Flags, lowercased; 1.17+) -----------------------------------
# Only versions whose list was read from a release's source or measured are embedded; for the others
# the names are unknown (None) unless the toolchain's sources are present.
_EXPERIMENTS = {
    (1, 19): frozenset(("fieldtrack", "preemptibleloops", "staticlockranking", "boringcrypto", "unified",
                        "regabiwrappers", "regabiargs", "heapminimum512kib")),
    (1, 26): frozenset(("fieldtrack", "preemptibleloops", "staticlockranking", "boringcrypto",
                        "regabiwrappers", "regabiargs", "heapminimum512kib", "arenas", "cgocheck2",
                        "loopvar", "newinliner", "dwarf5", "jsonv2", "greenteagc", "randomizedheapbase64",
                        "runtimefreegc", "sizespecializedmalloc", "goroutineleakprofile", "simd",
                        "runtimesecret")),
}
# internal/buildcfg ParseGOEXPERIMENT: arches where register ABI is supported / forced on. Where
# supported but not forced, "noregabiwrappers" fails with "GOEXPERIMENT regabiargs requires regabiwrappers".
_REGABI = {
    (1, 26): (frozenset(("amd64", "arm64", "loong64", "ppc64le", "ppc64", "riscv64", "s390x")),
              frozenset(("amd64", "arm64", "loong64", "ppc64le", "ppc64", "riscv64"))),
}

# --- GOFLAGS (cmd/go/internal/base/goflags.go: every token must name a flag of some go command) ------
# Measured on go1.26.8 (each name accepted in GOFLAGS by `go version`; "needs a value" = some command
# fails with "flag needs an argument" when it is given without "="). Used by strict checks only.
GOFLAGS_KNOWN = frozenset("""
a artifacts asan asmflags bench benchmem benchtime blockprofile blockprofilerate buildmode buildvcs c
cache changed compat compiled compiler count cover covermode coverpkg coverprofile cpu cpuprofile d
debug-actiongraph debug-runtime-trace debug-trace deps diff dropexclude dropgodebug dropignore
dropreplace droprequire dropretract droptool dropuse e exclude exec export f failfast find fix fixtool
fmt fullpath fuzz fuzzcache fuzzminimizetime fuzztime gccgoflags gcflags go godebug i ignore insecure
installsuffix json ldflags linkshared list m memprofile memprofilerate mod modcache modcacherw modfile
module msan mutexprofile mutexprofilefraction n o outputdir overlay p parallel pgo pkgdir print r race
replace require retract retracted reuse run short shuffle skip t tags test testcache timeout tool
toolchain toolexec trace trimpath u use v vendor versions vet vettool w work x
test.artifacts test.bench test.benchmem test.benchtime test.blockprofile test.blockprofilerate
test.count test.coverprofile test.cpu test.cpuprofile test.failfast test.fullpath test.fuzz
test.fuzzminimizetime test.fuzztime test.list test.memprofile test.memprofilerate test.mutexprofile
test.mutexprofilefraction test.outputdir test.parallel test.run test.short test.shuffle test.skip
test.timeout test.trace test.v
""".split())
GOFLAGS_NEED_VALUE = frozenset("""
asmflags bench benchtime blockprofile blockprofilerate buildmode c compat compiler count covermode
coverpkg coverprofile cpu cpuprofile debug-actiongraph debug-runtime-trace debug-trace dropexclude
dropgodebug dropignore dropreplace droprequire dropretract droptool dropuse exclude exec f fix fixtool
fuzz fuzzminimizetime fuzztime gccgoflags gcflags go godebug ignore installsuffix ldflags list
memprofile memprofilerate mod modfile module mutexprofile mutexprofilefraction o outputdir overlay p
parallel pgo pkgdir replace require retract reuse run shuffle skip tags timeout tool toolchain toolexec
trace use vet vettool
test.bench test.benchtime test.blockprofile test.blockprofilerate test.count test.coverprofile test.cpu
test.cpuprofile test.fuzz test.fuzzminimizetime test.fuzztime test.list test.memprofile
test.memprofilerate test.mutexprofile test.mutexprofilefraction test.outputdir test.parallel test.run
test.shuffle test.skip test.timeout test.trace
""".split())

# platform.machine() -> GOARCH, for the build default of GOARCH (runtime.GOARCH of the go binary).
_MACHINE_TO_GOARCH = {
    "x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64", "i386": "386", "i686": "386",
    "armv6l": "arm", "armv7l": "arm", "ppc64le": "ppc64le", "ppc64": "ppc64", "s390x": "s390x",
    "riscv64": "riscv64", "loongarch64": "loong64", "mips64": "mips64",
}


class GoRules(collections.namedtuple("GoRules", (
        "version", "known_env", "readonly", "os_only", "platforms", "experiments", "default_goos",
        "default_goarch", "regabi_supported", "regabi_always_on", "sources", "warning"))):
    """Per-version facts (immutable).

    version: (major, minor, patch) of the toolchain the rules describe.
    known_env, readonly, os_only: frozensets of keys.
    platforms: frozenset of (goos, goarch), or None when the version does not check the pair (1.13).
    experiments: frozenset of GOEXPERIMENT names (without "regabi"/"none"), or None when unknown
        (then names are not checked) or not checked at all (before 1.17).
    regabi_supported, regabi_always_on: frozensets of GOARCH, or None when unknown.
    sources: names of the facts read from $GOROOT/src, e.g. ("platforms", "experiments").
    warning: a sentence for the caller to show, or None.
    """

    __slots__ = ()

    def at_least(self, minor):
        """True when these are the rules of go1.<minor> or later."""
        return tuple(self.version[:2]) >= (1, minor)


def parse_go_version(text):
    """(major, minor, patch) from "go1.26.8", "go1.21rc2", "go1.20", "devel go1.27-abc ..." or
    "go version go1.22.0 linux/amd64"; a pre-release counts as patch 0. None when there is no version.
    """
    if not text:
        return None
    match = re.search(r"go(\d+)\.(\d+)(?:\.(\d+))?", text)
    if not match:
        match = re.match(r"\s*(\d+)\.(\d+)(?:\.(\d+))?", text)
    if not match:
        return None
    return (int(match.group(1)), int(match.group(2)), int(match.group(3) or 0))


def host_goos():
    return platform.system().lower() or "linux"


def host_goarch():
    machine = platform.machine().lower()
    return _MACHINE_TO_GOARCH.get(machine, machine)


def _accumulate(base, added, minor):
    keys = set(base)
    for version, names in added.items():
        if version <= (1, minor):
            keys.update(names)
    return frozenset(keys)


def _platforms(minor):
    if minor < 14:
        return None
    pairs = set(_PLATFORMS_1_19)
    for version, added, removed in _PLATFORM_CHANGES_UP_TO_1_19:
        if (1, minor) < version:
            pairs.difference_update(tuple(p.split("/")) for p in added)
            pairs.update(tuple(p.split("/")) for p in removed)
    for version, added, removed in _PLATFORM_CHANGES_AFTER_1_19:
        if (1, minor) >= version:
            pairs.update(tuple(p.split("/")) for p in added)
            pairs.difference_update(tuple(p.split("/")) for p in removed)
    return frozenset(pairs)


def embedded_rules(minor):
    """The embedded table of go1.<minor> (OLDEST <= minor <= NEWEST), no sources consulted."""
    regabi = _REGABI.get((1, minor), (None, None))
    return GoRules(
        version=(1, minor, 0),
        known_env=_accumulate(_KNOWN_ENV_1_13, _KNOWN_ENV_ADDED, minor),
        readonly=_accumulate(_READONLY_1_13, _READONLY_ADDED, minor),
        os_only=_accumulate((), _OS_ONLY_ADDED, minor),
        platforms=_platforms(minor),
        experiments=_EXPERIMENTS.get((1, minor)),
        default_goos=host_goos(),
        default_goarch=host_goarch(),
        regabi_supported=regabi[0],
        regabi_always_on=regabi[1],
        sources=(),
        warning=None,
    )


# --- reading facts from a toolchain's own sources ----------------------------------------------------

def _read_source(goroot, relative):
    try:
        with open(os.path.join(goroot, "src", relative), "rb") as f:
            return f.read().decode("utf-8", "replace")
    except (IOError, OSError):
        return None


def source_platforms(goroot):
    """GOOS/GOARCH pairs from internal/platform/zosarch.go (1.20+) or cmd/go/internal/cfg/zosarch.go."""
    text = _read_source(goroot, "internal/platform/zosarch.go")
    if text is not None:
        block = re.search(r"var distInfo = map\[OSArch\]osArchInfo\{(.*?)\n\}", text, re.S)
        pairs = re.findall(r'\{"([a-z0-9]+)", "([a-z0-9]+)"\}', block.group(1) if block else "")
        return frozenset(pairs) or None
    text = _read_source(goroot, "cmd/go/internal/cfg/zosarch.go")
    if text is not None:
        return frozenset(re.findall(r'"([a-z0-9]+)/([a-z0-9]+)":', text)) or None
    return None


def source_experiments(goroot):
    """Lowercased field names of goexperiment.Flags from internal/goexperiment/flags.go."""
    text = _read_source(goroot, "internal/goexperiment/flags.go")
    block = re.search(r"type Flags struct \{(.*?)\n\}", text or "", re.S)
    if not block:
        return None
    return frozenset(name.lower() for name in re.findall(r"^\t([A-Z][A-Za-z0-9_]*)\s+bool\b", block.group(1), re.M))


def source_known_env(goroot):
    """KnownEnv from internal/cfg/cfg.go (or cmd/go/internal/cfg/cfg.go in older trees)."""
    for relative in ("internal/cfg/cfg.go", "cmd/go/internal/cfg/cfg.go"):
        text = _read_source(goroot, relative)
        block = re.search(r"const KnownEnv = `(.*?)`", text or "", re.S)
        if block:
            return frozenset(block.group(1).split())
    return None


def source_env_write_keys(goroot):
    """(readonly, os_only) from the switch at the top of checkEnvWrite in cmd/go/internal/envcmd/env.go."""
    text = _read_source(goroot, "cmd/go/internal/envcmd/env.go")
    func = re.search(r"func checkEnvWrite\(key, val string\) error \{\n\tswitch key \{(.*?)\n\t\}", text or "", re.S)
    if not func:
        return None, None
    readonly = os_only = None
    for case, body in re.findall(r"case ([^:]+):\n\t\treturn fmt\.Errorf\(\"([^\"]*)\"", func.group(1)):
        keys = frozenset(re.findall(r'"([A-Z0-9_]+)"', case))
        if "cannot be modified" in body:
            readonly = keys
        elif "only be set using the OS environment" in body:
            os_only = keys
    return readonly, os_only


def source_regabi(goroot):
    """(supported, always_on) GOARCH sets from the regabi switch of internal/buildcfg/exp.go."""
    text = _read_source(goroot, "internal/buildcfg/exp.go")
    switch = re.search(r"var regabiSupported, regabiAlwaysOn bool\n\tswitch goarch \{(.*?)\n\t\}", text or "", re.S)
    if not switch:
        return None, None
    supported, always_on = set(), set()
    for case, body in re.findall(r"case ([^:]+):\n(.*?)(?=\n\tcase |\Z)", switch.group(1), re.S):
        arches = re.findall(r'"([a-z0-9]+)"', case)
        if "regabiSupported = true" in body:
            supported.update(arches)
        if "regabiAlwaysOn = true" in body:
            always_on.update(arches)
    return frozenset(supported), frozenset(always_on)


def _refine_from_sources(rules, goroot):
    changes = {}
    platforms = source_platforms(goroot)
    if platforms and rules.platforms is not None:
        changes["platforms"] = platforms
    experiments = source_experiments(goroot)
    if experiments and rules.at_least(17):
        changes["experiments"] = experiments
    known = source_known_env(goroot)
    if known:
        changes["known_env"] = known
    readonly, os_only = source_env_write_keys(goroot)
    if readonly:
        changes["readonly"] = readonly
    if os_only:
        changes["os_only"] = os_only
    supported, always_on = source_regabi(goroot)
    if supported is not None and rules.at_least(17):
        changes["regabi_supported"] = supported
        changes["regabi_always_on"] = always_on
    if not changes:
        return rules
    return rules._replace(sources=tuple(sorted(changes)), **changes)


def rules_for(version, goroot=None):
    """Rules for a Go version tuple (None: unknown); ``goroot`` with sources refines them.

    A version newer than NEWEST gets NEWEST's rules, refined from its sources when present, and a
    warning. An unknown version gets NEWEST's rules and a warning.
    Versions before 1.13 have no `go env -w`: ValueError.
    """
    warning = None
    newer = False
    if version is None:
        minor = NEWEST[1]
        version = NEWEST + (0,)
        warning = "the Go version is unknown; validating with the rules of go%d.%d" % NEWEST
    else:
        version = tuple(version) + (0,) * (3 - len(version))
        if tuple(version[:2]) < OLDEST:
            raise ValueError("go%d.%d has no 'go env -w' (needs go%d.%d or later)" % (version[:2] + OLDEST))
        minor = version[1] if version[0] == 1 else NEWEST[1]
        if (version[0], minor) > NEWEST:
            newer = True
            minor = NEWEST[1]
    rules = embedded_rules(minor)._replace(version=version)
    if goroot and os.path.isdir(os.path.join(goroot, "src")):
        rules = _refine_from_sources(rules, goroot)
    if newer:
        warning = "go%d.%d is newer than the rules built into this collection (up to go%d.%d); using go%d.%d's rules" % (
            version[:2] + NEWEST + NEWEST)
        if rules.sources:
            warning += ", with %s read from %s/src" % (", ".join(rules.sources), goroot)
    return rules._replace(warning=warning)
