"""_goproxy.patterns: GOPRIVATE-style patterns, Go's path.Match and MatchPrefixPatterns, and their problems."""

import pytest

from ansible_collections.gomod.proxy.plugins.module_utils._common.errors import PatternError
from ansible_collections.gomod.proxy.plugins.module_utils._goproxy.patterns import (
    check_pattern, literal_prefix, match_patterns, parse_patterns, path_match, representative_path, value_problem)


def test_parse_patterns_keeps_spaces_and_drops_one_trailing_slash():
    assert parse_patterns("a.example/,,b.example//, c.example") == ["a.example", "b.example/", " c.example"]
    assert parse_patterns("") == [] and parse_patterns(None) == []


@pytest.mark.parametrize("patterns,path,matched", [
    ("golang.org", "golang.org/x/mod", True),
    ("golang.org/x", "golang.org/x/mod", True),
    ("golang.org/x/mod", "golang.org/x/mod", True),
    ("golang.org/x/mod/sumdb", "golang.org/x/mod", False),
    ("golang.org/x/mo", "golang.org/x/mod", False),
    ("*/x", "golang.org/x/mod", True),
    ("*.org", "golang.org/x/mod", True),
    ("gol*", "golang.org/x/mod", True),
    ("golang.org/x/mod/", "golang.org/x/mod", True),
    (",,golang.org", "golang.org/x/mod", True),
    ("rsc.io,golang.org/x", "golang.org/x/mod", True),
    ("*.corp.example", "git.corp.example/team/repo", True),
    ("*.corp.example", "corp.example/team/repo", False),
    ("github.com/org/*", "github.com/org/repo/v2", True),
    ("github.com/org/*", "github.com/other/repo", False),
    (" golang.org", "golang.org/x/mod", False),
    ("golang.org/[", "golang.org/x/mod", False),
    ("", "golang.org/x/mod", False),
    (["golang.org"], "golang.org/x/mod", True),
])
def test_match_patterns_is_match_prefix_patterns(patterns, path, matched):
    assert match_patterns(patterns, path) is matched


@pytest.mark.parametrize("pattern,name,matched", [
    ("abc", "abc", True), ("*", "abc", True), ("*c", "abc", True), ("a*", "a", True), ("a*", "ab/c", False),
    ("a*/b", "abc/b", True), ("a*b*c*d*e*/f", "axbxcxdxe/f", True), ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", False),
    ("ab[c]", "abc", True), ("ab[b-d]", "abc", True), ("ab[^c]", "abc", False), ("ab[^e-g]", "abc", True),
    ("a\\*b", "a*b", True), ("a\\*b", "ab", False), ("a?b", "a\u2603b", True), ("a?b", "a/b", False),
    ("[\\-]", "-", True), ("[x\\-]", "z", False), ("*x", "xxx", True),
])
def test_path_match(pattern, name, matched):
    assert path_match(pattern, name) is matched


@pytest.mark.parametrize("pattern", ["[", "[^", "[^bc", "a[", "[-]", "[x-]", "[]a]", "[a-", "a\\", "*[", "a*[b"])
def test_malformed_patterns(pattern):
    with pytest.raises(PatternError):
        check_pattern(pattern)


def test_value_problem():
    assert value_problem("*.corp.example,github.com/org/*,,example.com/") is None
    assert value_problem("") is None
    assert value_problem("example.com/[a") == (
        'pattern "example.com/[a" is malformed (path.Match syntax error); Go silently never matches it')
    assert value_problem("a.example, b.example") == (
        'pattern " b.example" has surrounding spaces; Go does not trim them, so it never matches')
    assert value_problem("https://git.corp.example") == (
        'pattern "https://git.corp.example" has a URL scheme; patterns match module paths (example.com/org), never URLs')


@pytest.mark.parametrize("pattern,path", [
    ("git.corp.example", "git.corp.example"), ("*.corp.example", "x.corp.example"),
    ("/github.com/org/?o*/", "github.com/org/xox"), ("git[a-c].example/[\\-]y", "gita.example/-y"),
    # a negated class never gets a character it excludes (it used to become "gitx", which it does not match)
    ("git[^x].corp.example", "gita.corp.example"), ("git[^a-z].corp", "git0.corp"),
    ("git?.corp/[a-c]x/*", "gitx.corp/ax/x"), ("a.example/b\\*c", "a.example/b*c"),
])
def test_representative_path_is_matched_by_its_pattern(pattern, path):
    assert representative_path(pattern) == path
    assert match_patterns(pattern.strip("/"), path)


def test_representative_path_of_a_pattern_nothing_matches_is_none():
    assert representative_path("[]a].example") is None  # Go: a ']' cannot open a class's ranges
    # only characters module paths cannot hold ('+', '!'...) would match
    assert representative_path("a.example/x[^a-zA-Z0-9._~-]y") is None


def test_literal_prefix_stops_at_the_first_glob():
    assert literal_prefix("git.corp.example/team/*/x") == ["git.corp.example", "team"]
    assert literal_prefix(" /git.corp.example/ ") == ["git.corp.example"]
    assert literal_prefix("*.corp.example") == [] and literal_prefix("a.example/b\\c") == ["a.example"]
