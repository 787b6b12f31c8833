"""_goenv.file: the go env file as cmd/go reads and writes it (readEnvFile, updateEnvFile, lineToKey)."""

import pytest

from ansible_collections.gomod.proxy.plugins.module_utils._common.text import to_bytes
from ansible_collections.gomod.proxy.plugins.module_utils._goenv import file as f


@pytest.mark.parametrize("line,key", [
    (b"GOBIN=/x\n", b"GOBIN"),
    (b"goflags=-x\n", b"goflags"),
    (b" GOBIN=/x\n", b" GOBIN"),
    (b"GOBIN =/x\n", b"GOBIN "),
    (b"=x\n", b""),
    (b"A#B=1\n", b""),
    (b"A=B#C=1\n", b"A"),
    (b"# GOBIN=/x\n", b""),
    (b"noequals\n", b""),
    (b"\r\n", b""),
    (b"", b""),
])
def test_writer_key_is_go_line_to_key(line, key):
    assert f.writer_key(line) == key


def test_reader_keeps_cr_and_hash_and_last_copy_wins():
    data = b"GOPROXY=a\r\nGOBIN=/x # not a comment\nGOBIN=/y\n"
    assert f.parse(data) == {"GOPROXY": "a\r", "GOBIN": "/y"}


def test_reader_ignores_what_go_ignores():
    data = b" GOBIN=/a\ngoflags=-x\n#GOSUMDB=off\nGOINSECURE\n=x\n\n\r\nA#B=1\nGOBIN =/b"
    # Only lines starting with A-Z and holding "=" count: "A#B" and "GOBIN " are reader keys.
    assert f.parse(data) == {"A#B": "1", "GOBIN ": "/b"}


def test_reader_values_are_verbatim_bytes():
    data = b"GOFLAGS=-ldflags='-s -w'\nGOPRIVATE=\xff\xfe\nGOBIN=\n"
    settings = f.parse(data)
    assert settings["GOFLAGS"] == "-ldflags='-s -w'"
    assert to_bytes(settings["GOPRIVATE"]) == b"\xff\xfe"
    assert settings["GOBIN"] == ""


def test_parse_none_is_empty():
    assert f.parse(None) == {} and f.parse(b"") == {}


def test_new_keys_join_the_last_run_which_is_sorted():
    assert f.write(b"GOSUMDB=s\nGOPROXY=a\n", [("GOBIN", "/x")]) == b"GOBIN=/x\nGOPROXY=a\nGOSUMDB=s\n"


def test_new_keys_after_a_comment_form_their_own_sorted_run():
    data = b"GOSUMDB=s\n# mine\n"
    assert f.write(data, [("GOPROXY", "p"), ("GOBIN", "/x")]) == b"GOSUMDB=s\n# mine\nGOBIN=/x\nGOPROXY=p\n"


def test_existing_key_is_replaced_in_place_and_every_run_sorted():
    data = b"GOPROXY=a\nGOBIN=/x\n\nZ=1\nA=2\n"
    assert f.write(data, [("GOPROXY", "b")]) == b"GOBIN=/x\nGOPROXY=b\n\nA=2\nZ=1\n"


def test_duplicates_keep_the_last_copy_and_leave_a_run_break():
    data = b"Z=1\nGOBIN=/a\nA=1\nGOBIN=/b\n"
    # The dropped first copy is an empty line in Go's slice: it splits the runs before sorting, so Z
    # stays in front of A (checked against go1.26.8).
    assert f.unset(data, ["GOPROXY"]) == b"Z=1\nA=1\nGOBIN=/b\n"


def test_crlf_lines_survive_except_the_replaced_one():
    data = b"GOBIN=/a\r\nGOPROXY=p\r\n"
    assert f.write(data, [("GOBIN", "/b")]) == b"GOBIN=/b\nGOPROXY=p\r\n"


def test_missing_final_newline_is_added():
    assert f.write(b"GOBIN=/x", [("GOBIN", "/x")]) == b"GOBIN=/x\n"
    assert f.unset(b"# only a comment", []) == b"# only a comment\n"


def test_sorting_is_bytewise_and_includes_odd_keys():
    data = b"foo=1\nGOPROXY=p\nGOBIN =2\nGOBIN=1\n GOBIN=0\n"
    assert f.unset(data, ["NOPE"]) == b" GOBIN=0\nGOBIN=1\nGOBIN =2\nGOPROXY=p\nfoo=1\n"


def test_lone_cr_line_and_eq_line_separate_runs():
    data = b"Z=1\n\r\nA=1\n=x\nC=1\nB=1\n"
    assert f.unset(data, []) == b"Z=1\n\r\nA=1\n=x\nB=1\nC=1\n"


def test_hash_key_is_appended_not_replaced():
    """`A#B=` has no writer key: writing A#B (accepted from 1.21 because the reader knows it) appends."""
    assert f.write(b"A#B=1\n", [("A#B", "2")]) == b"A#B=1\nA#B=2\n"


def test_values_are_written_verbatim():
    out = f.write(None, [("GOFLAGS", "-tags=a,b '-ldflags=-s -w'"), ("GOBIN", ""), ("GONOSUMDB", "\udcff")])
    assert out == b"GOBIN=\nGOFLAGS=-tags=a,b '-ldflags=-s -w'\nGONOSUMDB=\xff\n"


def test_write_accepts_a_mapping_and_creates_from_nothing():
    assert f.write(None, {"GOPROXY": "off"}) == b"GOPROXY=off\n"


def test_unset_blanks_the_line_which_splits_the_run():
    data = b"GOSUMDB=s\nGOBIN=/x\nGOPROXY=a\n"
    assert f.unset(data, ["GOBIN"]) == b"GOSUMDB=s\nGOPROXY=a\n"
    assert f.unset(data, ["GONOPROXY"]) == b"GOBIN=/x\nGOPROXY=a\nGOSUMDB=s\n"


def test_unset_of_the_last_key_leaves_an_empty_file():
    assert f.unset(b"GOBIN=/x\n", ["GOBIN"]) == b""


def test_unset_needs_an_existing_file():
    with pytest.raises(TypeError):
        f.unset(None, ["GOBIN"])


def test_invalid_utf8_lines_survive():
    data = b"# caf\xe9\nGOBIN=/x\n\xff\xfe=\n"
    assert f.write(data, [("GOBIN", "/y")]) == b"# caf\xe9\nGOBIN=/y\n\xff\xfe=\n"


def test_update_add_and_delete_together_mirror_go():
    # Go's updateEnvFile replaces first, then blanks deleted keys that had a line.
    assert f.update(b"GOBIN=/x\nGOPROXY=p\n", [("GOBIN", "/y")], ["GOBIN"]) == b"GOPROXY=p\n"
