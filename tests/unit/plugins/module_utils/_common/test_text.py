"""_common.text: bytes and str as Go sees them, Go's %q, UTF-8 validity, Unix paths, the display form."""

import json

import pytest

from ansible_collections.gomod.proxy.plugins.module_utils._common.text import base, display, go_quote, is_abs, to_bytes, to_text, valid_utf8


def test_to_bytes_round_trips_every_byte():
    every = bytes(range(256))
    assert to_bytes(to_text(every)) == every
    assert to_bytes("\ud800") == b"\xed\xa0\x80"


def test_display_is_json_safe_and_escapes_undecodable_bytes():
    shown = display({"after_text": b"GOBIN=\xff\n", "keys": ("a", "\udcfe"), to_text(b"k\xff"): [1, None, True],
                     "lone": "\ud800", "path": "C:\\go"})
    json.dumps(shown, ensure_ascii=False).encode("utf-8")
    assert shown == {"after_text": "GOBIN=\\xff\n", "keys": ["a", "\\xfe"], "k\\xff": [1, None, True],
                     "lone": "\\ud800", "path": "C:\\go"}


@pytest.mark.parametrize("text,quoted", [
    ("abc", '"abc"'), ("a\"b\\c", '"a\\"b\\\\c"'), ("\t\n\x01\x7f", '"\\t\\n\\x01\\x7f"'),
    ("caf\u00e9", '"caf\u00e9"'), ("\udcff", '"\\xff"'), ("\u200b", '"\\u200b"'), ("\U000e0001", '"\\U000e0001"'),
])
def test_go_quote(text, quoted):
    assert go_quote(text) == quoted


def test_valid_utf8_sees_the_bytes_go_sees():
    assert valid_utf8("caf\u00e9") and valid_utf8("")
    assert not valid_utf8("\udcff") and not valid_utf8("\ud800")


@pytest.mark.parametrize("path,absolute,name", [
    ("/usr/bin/gcc", True, "gcc"), ("gcc", False, "gcc"), ("bin/gcc", False, "gcc"), ("/x/", True, "x"),
    ("", False, "."), ("/", True, "/"), ("//", True, "/"),
])
def test_unix_paths_as_filepath_does(path, absolute, name):
    assert is_abs(path) is absolute and base(path) == name
