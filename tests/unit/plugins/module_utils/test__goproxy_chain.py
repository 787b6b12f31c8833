"""GOPROXY parsing as cmd/go modfetch proxyList does it, and GOPRIVATE-style matching."""

import pytest

from ansible_collections.gomod.proxy.plugins.module_utils import _goproxy_chain
from ansible_collections.gomod.proxy.plugins.module_utils._goproxy_chain import (
    PatternError, ProxyEntry, check_pattern, format_goproxy, match_patterns, parse_goproxy, parse_patterns,
    path_match, split_goproxy)


def test_default_chain():
    assert parse_goproxy("https://proxy.golang.org,direct") == [
        ProxyEntry("https://proxy.golang.org", "url", "not_found"),
        ProxyEntry("direct", "direct", None),
    ]


def test_pipe_falls_back_on_any_error_and_last_has_no_fallback():
    entries = parse_goproxy("https://a.example|https://b.example,https://c.example")
    assert [e.fallback for e in entries] == ["any_error", "not_found", None]


def test_entries_are_trimmed_and_empty_ones_skipped():
    assert parse_goproxy(" https://a.example ,, |direct") == [
        ProxyEntry("https://a.example", "url", "not_found"), ProxyEntry("direct", "direct", None)]


def test_direct_and_off_end_the_list():
    assert parse_goproxy("off,https://a.example") == [ProxyEntry("off", "off", None)]
    assert parse_goproxy("https://a.example|direct|https://b.example") == [
        ProxyEntry("https://a.example", "url", "any_error"), ProxyEntry("direct", "direct", None)]


def test_the_last_entry_before_trailing_separators_has_no_fallback():
    assert parse_goproxy("https://a.example|") == [ProxyEntry("https://a.example", "url", None)]


@pytest.mark.parametrize("entry,url", [
    ("athens.internal:3000", "https://athens.internal:3000"),
    ("proxy.example/sub", "https://proxy.example/sub"),
    ("http://plain.example", "http://plain.example"),
    ("file:///srv/proxy", "file:///srv/proxy"),
    ("/srv/proxy", "/srv/proxy"),      # absolute paths are left alone (and then rejected as URLs)
    ("localhost", "localhost"),        # single words are reserved
])
def test_scheme_less_entries_get_https(entry, url):
    assert parse_goproxy(entry)[0].url == url


def test_empty_and_none():
    assert parse_goproxy("") == [] and parse_goproxy(None) == [] and parse_goproxy(" , |") == []


def test_split_is_lossless():
    value = " a ,,b|direct,c"
    pieces = split_goproxy(value)
    assert "".join(p.text + p.separator for p in pieces) == value
    assert [p.separator for p in pieces] == [",", ",", "|", ",", ""]


def test_format_round_trips_a_parsed_chain():
    value = "https://a.example|https://proxy.golang.org,direct"
    assert format_goproxy(parse_goproxy(value)) == value
    assert format_goproxy([e.as_dict() for e in parse_goproxy(value)]) == value


def test_format_accepts_strings_and_kinds():
    assert format_goproxy(["https://a.example", {"kind": "direct"}]) == "https://a.example,direct"
    assert format_goproxy([{"url": "https://a.example", "fallback": "any_error"}, "off"]) == "https://a.example|off"
    assert format_goproxy([]) == ""


@pytest.mark.parametrize("entries", [
    [{"url": "https://a.example,https://b.example"}],
    [{"fallback": "any_error"}],
    [{"url": "https://a.example", "fallback": "sometimes"}],
])
def test_format_refuses_bad_entries(entries):
    with pytest.raises(ValueError):
        format_goproxy(entries)


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


@pytest.mark.parametrize("value,expected", [
    ("off", None),
    ("", None),
    ("sum.golang.org", ("sum.golang.org", "https://sum.golang.org", False)),
    ("sum.golang.google.cn", ("sum.golang.org", "https://sum.golang.google.cn", True)),
    ("sum.golang.org http://mirror.lab/sumdb/sum.golang.org", ("sum.golang.org", "http://mirror.lab/sumdb/sum.golang.org", True)),
    ("sumdb.corp.example+1234abcd+AbCd https://sumdb.corp.example", ("sumdb.corp.example", "https://sumdb.corp.example", True)),
])
def test_parse_gosumdb_as_go_reads_it(value, expected):
    db = _goproxy_chain.parse_gosumdb(value)
    assert (db if db is None else (db.name, db.url, db.explicit)) == expected


def test_parse_gosumdb_expands_the_known_key():
    assert _goproxy_chain.parse_gosumdb("sum.golang.org").key.startswith("sum.golang.org+033de0ae+")
