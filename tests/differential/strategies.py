"""Hypothesis strategies for go env files and `go env -w/-u` arguments.

Starting files never hold what makes the real go fail before `go env` runs (relative GOPATH entries,
a GOROOT that is not a directory, an invalid GOTOOLCHAIN with no OS override): those are the
documented divergences, tested one by one in test_diff_divergences.py.
"""

from hypothesis import strategies as st

# Keys that occur in files: real settings, lowercase and padded keys (writer keys the reader ignores),
# a key with "#" before "=" (no writer key, but a reader key from 1.21), and a file-only key.
FILE_KEYS = [
    b"GOBIN", b"GOPROXY", b"GOSUMDB", b"GOPRIVATE", b"GOFLAGS", b"GONOSUMDB", b"GOOS", b"GOARCH",
    b"GOEXPERIMENT", b"GO111MODULE", b"CGO_ENABLED", b"GOAMD64", b"GOENV", b"GOTOOLCHAIN",
    b"goflags", b"gobin", b" GOBIN", b"GOBIN ", b"A#B", b"Z9", b"ZZTOP", b"GOVERSION", b"X",
]
FILE_VALUES = [
    b"", b"/x", b"/y/z", b"https://proxy.example,direct", b"off", b"a b", b"#x", b"=x", b"\xff\xfe",
    b"\xc3\xa9", b"'q'", b"\"q\"", b"\t", b"on",
]
# Values that are valid where validity matters to the command (the build config keys).
SAFE_FILE_VALUES = {
    b"GOOS": [b"linux", b"windows", b"bogus", b""],
    b"GOARCH": [b"amd64", b"arm64", b"mips", b"bogus", b""],
    b"GOEXPERIMENT": [b"", b"fieldtrack", b"nosuch", b"none"],
    b"GOTOOLCHAIN": [b"local", b"auto", b"go1.21.0", b"bogus"],
}
OTHER_LINES = [
    b"", b"# comment", b"#GOSUMDB=x", b"=x", b"\r", b"noequals", b" ", b"\xff\xfe junk", b"# GOBIN=/c",
    b"lower=case", b"GOBIN", b"#",
]


@st.composite
def setting_lines(draw):
    key = draw(st.sampled_from(FILE_KEYS))
    values = SAFE_FILE_VALUES.get(key, FILE_VALUES)
    value = draw(st.sampled_from(values))
    return key + b"=" + value


@st.composite
def env_files(draw, max_lines=10):
    """File bytes: settings (often duplicated), comments, blanks, odd lines; LF or CRLF per line; final
    newline or not. Sometimes the empty file."""
    lines = draw(st.lists(st.one_of(setting_lines(), setting_lines(), st.sampled_from(OTHER_LINES)),
                          max_size=max_lines))
    endings = draw(st.lists(st.sampled_from([b"\n", b"\n", b"\r\n"]), min_size=len(lines), max_size=len(lines)))
    data = b"".join(line + ending for line, ending in zip(lines, endings))
    if data and draw(st.booleans()):
        data = data[:-1]  # missing final newline (it may leave a trailing "\r")
    return data


# Keys given to -w/-u. Writable keys are drawn seven times as often as the ones Go refuses (read-only,
# OS-only, unknown, case and space variants, the empty key, keys only the file can make known).
WRITABLE_KEYS = [
    "GOBIN", "GOPROXY", "GOSUMDB", "GOPRIVATE", "GOFLAGS", "GO111MODULE", "GOPATH", "GOMODCACHE", "CC", "CXX",
    "GOTMPDIR", "GOOS", "GOARCH", "GOEXPERIMENT", "GOINSECURE", "CGO_ENABLED", "GOAMD64", "GOCACHEPROG",
    "GOAUTH", "GOFIPS140", "GORISCV64", "GONOSUMDB",
]
REFUSED_KEYS = [
    "GOVERSION", "GOENV", "GODEBUG", "GOTELEMETRY", "GOEXE", "GOWORK", "NOPE", "gobin", "", "A#B", "Z9", "ZZTOP",
    "GOBIN ", " GOBIN",
]
ARG_KEYS = WRITABLE_KEYS + REFUSED_KEYS
ARG_VALUES = [
    "", "/abs", "/abs/dir", "rel", "~/go", "/a:rel", "on", "off", "auto", "bad", "a b", "\u00e9", "\udcff",
    "x\ry", "x\ny", "x\vy", "\t", "#", "=on", "'q'", "\"q\"", "gcc", "/usr/bin/gcc -O2", "\"/opt/my cc\" -x",
    "bin/gcc", "\"", "  ", "\"\" -O2", "cache", "https://p.example,direct",
]
# Values that make a key interesting (valid ones and the classic mistakes); mixed with ARG_VALUES.
KEY_VALUES = {
    "GOOS": ["linux", "windows", "darwin", "js", "wasip1", "bogus", "", "plan9", "android"],
    "GOARCH": ["amd64", "arm64", "arm", "wasm", "mips", "s390x", "bogus", "", "sparc64"],
    "GOEXPERIMENT": ["", "fieldtrack", "nosuch", "none", "noregabiwrappers", "regabi,nofieldtrack", ",,", "no",
                     "noregabi", "regabiargs"],
    "GO111MODULE": ["on", "off", "auto", "", "On", "bad"],
    "GOPATH": ["/home/u/go", "/a:/b", "/a:rel", "rel", "~/go", "", ":/a"],
    "GOMODCACHE": ["/cache", "cache", "", "./cache"],
    "CC": ["gcc", "/usr/bin/gcc", "/usr/bin/gcc -O2", "bin/gcc", "\"\" -O2", "'gcc", "  ", "\"/opt/my cc\" -x"],
    "CXX": ["g++", "/usr/bin/g++", "sub/g++", "\"g++", "\t"],
    "GOTMPDIR": ["/tmp", "tmp", ""],
}
KEY_VALUES["GOROOT"] = ["/usr/local/go"]


@st.composite
def key_value(draw):
    refused = draw(st.integers(0, 7)) == 0
    key = draw(st.sampled_from(REFUSED_KEYS if refused else WRITABLE_KEYS))
    pool = KEY_VALUES.get(key)
    if pool is None or draw(st.integers(0, 3)) == 0:
        pool = ARG_VALUES if key not in ("GOOS", "GOARCH") else KEY_VALUES[key]
    return key, draw(st.sampled_from(pool))


@st.composite
def write_arguments(draw, min_size=1, max_size=4):
    """Command-line arguments for `go env -w`: mostly KEY=VALUE, sometimes no "=" at all."""
    args = []
    # Mostly distinct keys, so that more calls get past the per-argument checks to the file update.
    unique = draw(st.integers(0, 4)) > 0
    pairs = draw(st.lists(key_value(), min_size=min_size, max_size=max_size,
                          unique_by=(lambda kv: kv[0]) if unique else None))
    for key, value in pairs:
        if draw(st.integers(0, 39)) == 0:
            args.append(key)  # no "=": "arguments must be KEY=VALUE"
        else:
            args.append(key + "=" + value)
    return args


@st.composite
def unset_key(draw):
    refused = draw(st.integers(0, 7)) == 0
    return draw(st.sampled_from(REFUSED_KEYS + ["GOBIN=/x"] if refused else WRITABLE_KEYS))


unset_keys = st.lists(unset_key(), min_size=1, max_size=4)

# OS environment additions: the warning on conflicting variables, and OS values of the build config.
os_env_additions = st.dictionaries(
    st.sampled_from(["GOBIN", "GOPROXY", "GOOS", "GOARCH", "GOEXPERIMENT", "GOFLAGS", "NOPE", "GO111MODULE",
                     "GOSUMDB", "GOPRIVATE", "CGO_ENABLED"]),
    st.sampled_from(["", "/abs", "https://p.example,direct", "linux", "windows", "arm64", "fieldtrack", "on", "off"]),
    max_size=3,
)


# Keys and values Go always accepts (no key-specific checks), for properties about the file bytes.
PLAIN_KEYS = ["GOBIN", "GOPROXY", "GOSUMDB", "GOPRIVATE", "GOFLAGS", "GONOSUMDB", "GOINSECURE", "CGO_ENABLED",
              "GOAMD64", "GOCACHEPROG", "GOAUTH", "GONOPROXY", "GOVCS", "PKG_CONFIG", "AR", "GCCGO", "GOWASM"]
PLAIN_VALUES = ["", "/x", "/y z", "https://p.example,direct", "off", "#", "=x", "\u00e9", "'q'", "a\tb", "1", "0"]


@st.composite
def accepted_writes(draw, max_size=5):
    pairs = draw(st.lists(st.tuples(st.sampled_from(PLAIN_KEYS), st.sampled_from(PLAIN_VALUES)),
                          min_size=1, max_size=max_size, unique_by=lambda kv: kv[0]))
    return [k + "=" + v for k, v in pairs]


@st.composite
def conflicting_os_env(draw, args):
    """OS values for some of the keys written: equal (no warning), different (warning) or empty."""
    env = {}
    for arg in args:
        key, _sep, value = arg.partition("=")
        choice = draw(st.integers(0, 3))
        if choice == 1:
            env[key] = value
        elif choice == 2:
            env[key] = value + "-os"
        elif choice == 3:
            env[key] = ""
    return env
