"""_goproxy.goproxy: GOPROXY parsed as cmd/go modfetch proxyList does it, and what Go rejects in it."""

import pytest

from ansible_collections.gomod.proxy.plugins.module_utils._goproxy.goproxy import (
    ProxyEntry, entry_problem, format_goproxy, host_problem, parse_goproxy, split_goproxy, url_parts, value_problem)


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


@pytest.mark.parametrize("value", [
    "", "https://proxy.golang.org,direct", "https://athens.internal|https://proxy.golang.org|direct", "off",
    "direct", "athens.internal:3000", "file:///srv/goproxy", "http://[::1]:3000/", " https://a.example , direct",
    "https://user:p%40ss@athens.internal/", "direct,", "off|",
])
def test_value_problem_accepts(value):
    assert value_problem(value) is None


@pytest.mark.parametrize("value,problem", [
    ("https://a.example,,direct", "entry 2 is empty (doubled or stray ',' or '|')"),
    ("direct,https://a.example", "entry 2 (https://a.example) comes after 'direct', which ends the list: Go never uses it"),
    ("off|https://a.example", "entry 2 (https://a.example) comes after 'off', which ends the list: Go never uses it"),
    ("proxy", "invalid proxy URL missing scheme: proxy"),
    ("ftp://a.example", "invalid proxy URL scheme (must be https, http, file): ftp://a.example"),
    ("file://host/srv", "invalid file:// proxy URL with non-path elements: file://host/srv"),
    ("file:x:/srv", "file:// proxy URL needs an absolute path: file:x:/srv"),
    ("https:/a.example", "proxy URL has no host: https:/a.example"),
    ("https://", "proxy URL https://: missing host"),
    ("https:x", "proxy URL https://https:x: invalid port \":x\" after host"),
    ("https://a.example:port", "proxy URL https://a.example:port: invalid port \":port\" after host"),
    ("https://a b.example", "proxy URL https://a b.example: invalid character in host name \"a b.example\""),
    ("https://[::1/", "proxy URL https://[::1/: missing ']' in host"),
    ("https://a.example/%zz", "entry \"https://a.example/%zz\": invalid URL escape in \"https://a.example/%zz\""),
    ("https://a.example/\x7f", "entry \"https://a.example/\\x7f\": net/url: invalid control character in URL"),
])
def test_value_problem_names_the_entry_as_go_does(value, problem):
    assert value_problem(value) == problem


def test_entry_problem_completes_the_scheme_first():
    assert entry_problem("athens.internal:3000") is None
    assert entry_problem("athens.internal:x") == "proxy URL https://athens.internal:x: invalid port \":x\" after host"


def test_url_parts():
    assert url_parts("HTTPS://user@a.example:3000/p?q#f") == ("https", "user@a.example:3000", "/p?q#f")
    assert url_parts("a.example/path") == (None, None, "a.example/path")
    assert url_parts("file:///srv") == ("file", "", "/srv")
    assert url_parts(":x") == "missing protocol scheme"


@pytest.mark.parametrize("authority,problem", [
    ("a.example", None), ("user:pw@a.example:3000", None), ("[::1]:3000", None), ("a.example:", None),
    ("", "missing host"), (":3000", "missing host"), ("[]", "missing host"),
    ("[::1]x", 'invalid port "x" after host'), ("a<b", 'invalid character in host name "a<b"'),
])
def test_host_problem(authority, problem):
    assert host_problem(authority) == problem
