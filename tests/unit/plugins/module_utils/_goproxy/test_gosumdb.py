"""_goproxy.gosumdb: GOSUMDB as Go reads it, and the verifier key check of golang.org/x/mod/sumdb/note."""

import base64
import hashlib
import struct

import pytest

from ansible_collections.gomod.proxy.plugins.module_utils._goproxy.gosumdb import parse_gosumdb, value_problem, verifier_key_error


@pytest.mark.parametrize("value,expected", [
    ("off", None),
    ("", None),
    ("sum.golang.org", ("sum.golang.org", "https://sum.golang.org", False)),
    ("sum.golang.google.cn", ("sum.golang.org", "https://sum.golang.google.cn", True)),
    ("sum.golang.org http://mirror.lab/sumdb/sum.golang.org", ("sum.golang.org", "http://mirror.lab/sumdb/sum.golang.org", True)),
    ("sumdb.corp.example+1234abcd+AbCd https://sumdb.corp.example", ("sumdb.corp.example", "https://sumdb.corp.example", True)),
])
def test_parse_gosumdb_as_go_reads_it(value, expected):
    db = parse_gosumdb(value)
    assert (db if db is None else (db.name, db.url, db.explicit)) == expected


def test_parse_gosumdb_expands_the_known_key():
    assert parse_gosumdb("sum.golang.org").key.startswith("sum.golang.org+033de0ae+")


def _verifier_key(name, public=b"k" * 32, algorithm=1):
    key = bytes([algorithm]) + public
    digest = hashlib.sha256(name.encode() + b"\n" + key).digest()
    return "%s+%08x+%s" % (name, struct.unpack(">I", digest[:4])[0], base64.b64encode(key).decode())


def test_verifier_keys():
    assert verifier_key_error("sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8") is None
    assert verifier_key_error(_verifier_key("sumdb.internal")) is None
    assert verifier_key_error(_verifier_key("sumdb.internal", algorithm=2)) == "unknown verifier algorithm"
    assert verifier_key_error(_verifier_key("sumdb.internal", public=b"short")) == "malformed verifier id"
    good = _verifier_key("sumdb.internal")
    assert verifier_key_error(good.replace("sumdb.internal", "other.internal", 1)) == "invalid verifier hash"
    assert verifier_key_error("sumdb.internal") == "malformed verifier id"
    assert verifier_key_error("sumdb.internal+0000zzzz+AQ==") == "malformed verifier id"


@pytest.mark.parametrize("value", [
    "", "off", "sum.golang.org", "sum.golang.google.cn", "sum.golang.org https://sum.golang.google.cn",
    _verifier_key("sumdb.internal"), _verifier_key("sumdb.internal") + " https://sumdb.internal/proxy",
    _verifier_key("example.com/sumdb"),
])
def test_value_problem_accepts(value):
    assert value_problem(value) is None


@pytest.mark.parametrize("value,problem", [
    (" ", "missing GOSUMDB"),
    ("sumdb.internal", "invalid GOSUMDB: malformed verifier id (a name alone is only known for sum.golang.org; "
                       "use name+hash+key)"),
    ("a b c", "invalid GOSUMDB: too many fields"),
    (_verifier_key("sumdb.internal", algorithm=7), "invalid GOSUMDB: unknown verifier algorithm"),
    (_verifier_key("sumdb.internal/"), "invalid sumdb name (must be host[/path]): sumdb.internal/"),
    (_verifier_key("sumdb.internal") + " ftp://x", 'invalid GOSUMDB URL "ftp://x": needs http(s)://host[/path]'),
    (_verifier_key("sumdb.internal") + " https://x/%zz", 'invalid GOSUMDB URL: invalid URL escape in "https://x/%zz"'),
])
def test_value_problem_refuses(value, problem):
    assert value_problem(value) == problem
