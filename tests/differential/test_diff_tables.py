"""Tables and helpers the strict checks rely on, against the installed go itself."""

import json
import os
import subprocess

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.gomod.proxy.plugins.module_utils._common.errors import PatternError
from ansible_collections.gomod.proxy.plugins.module_utils._goenv import rules as goenv_rules
from ansible_collections.gomod.proxy.plugins.module_utils._goproxy.patterns import path_match

pytestmark = pytest.mark.needs_go

# A tiny program (written for this suite) that prints Go's path.Match verdict for tab-separated
# pattern/name lines: "<matched> <malformed>".
PATH_MATCH_PROGRAM = """package main

import (
\t"bufio"
\t"fmt"
\t"os"
\t"path"
\t"strings"
)

func main() {
\tin := bufio.NewScanner(os.Stdin)
\tfor in.Scan() {
\t\tpattern, name, _ := strings.Cut(in.Text(), "\\t")
\t\tmatched, err := path.Match(pattern, name)
\t\tfmt.Println(matched, err != nil)
\t}
}
"""


def _go(go_runner, args, env=None, **kwargs):
    full_env = go_runner.base_env(os.path.join(go_runner.root, "unused-env"))
    full_env.update(env or {})
    return subprocess.run([go_runner.go] + args, env=full_env, cwd=go_runner.cwd, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=300, check=False, **kwargs)


@pytest.fixture(scope="module")
def path_match_binary(go_runner):
    source = os.path.join(go_runner.root, "pathmatch.go")
    with open(source, "w") as f:
        f.write(PATH_MATCH_PROGRAM)
    binary = os.path.join(go_runner.root, "pathmatch")
    built = _go(go_runner, ["build", "-o", binary, source])
    assert built.returncode == 0, built.stderr
    return binary


@given(st.lists(st.tuples(st.text("ab/*?[]^-\\c", max_size=8), st.text("abc/-", max_size=7)), min_size=50, max_size=50))
def test_path_match_equals_go(path_match_binary, cases):
    lines = "".join("%s\t%s\n" % case for case in cases)
    out = subprocess.run([path_match_binary], input=lines.encode(), stdout=subprocess.PIPE, check=True).stdout
    for (pattern, name), verdict in zip(cases, out.decode().splitlines()):
        matched, malformed = (word == "true" for word in verdict.split())
        try:
            mine = (path_match(pattern, name), False)
        except PatternError:
            mine = (False, True)
        assert mine == (matched, malformed), (pattern, name)


def test_goflags_table_names_the_flags_go_knows(go_runner):
    """Every name in GOFLAGS_KNOWN is accepted in GOFLAGS by the installed go, and near misses are not."""
    if go_runner.version[:2] != goenv_rules.NEWEST:
        pytest.skip("the GOFLAGS table was measured on go%d.%d" % goenv_rules.NEWEST)
    for name in sorted(goenv_rules.GOFLAGS_KNOWN):
        done = _go(go_runner, ["version"], {"GOFLAGS": "-" + name + ("=1" if name in goenv_rules.GOFLAGS_NEED_VALUE else "")})
        assert done.returncode == 0, (name, done.stderr)
    for name in ("nosuch", "modd", "test.nosuch", "Mod"):
        done = _go(go_runner, ["version"], {"GOFLAGS": "-" + name})
        assert b"unknown flag -" + name.encode() in done.stderr


def test_platform_table_is_what_dist_list_shows(go_runner):
    done = _go(go_runner, ["tool", "dist", "list", "-json", "-broken"])
    assert done.returncode == 0, done.stderr
    pairs = set((p["GOOS"], p["GOARCH"]) for p in json.loads(done.stdout))
    assert go_runner.rules.platforms == pairs
