"""`go env -w` and `go env -u` against the collection's model: same bytes, same verdict, same words."""

import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st

from ansible_collections.gomod.proxy.plugins.module_utils._goenv import file as goenv_file
from gorun import model_unset, model_write, possible_write_outputs, startup_failure
from strategies import accepted_writes, conflicting_os_env, env_files, os_env_additions, unset_keys, write_arguments

pytestmark = pytest.mark.needs_go


def _verdict(outcome):
    """A label for hypothesis statistics (--hypothesis-show-statistics): which Go outcome was exercised."""
    if outcome.rc == 0:
        return "accepted" + (" with warning" if "warning:" in outcome.stderr else "")
    line = outcome.stderr.strip().splitlines()[-1]
    return "rejected: " + " ".join(line.split(": ", 1)[-1].split(" ")[:3])


def _assert_write_matches(go_runner, args, data, extra_env=None):
    real, env = go_runner.run(["-w"] + args, data, extra_env)
    rules = go_runner.rules
    predicted, pairs = model_write(args, data, rules, go_runner.goroot_env, env)
    event(_verdict(real))
    assert (real.rc, real.stderr) == (predicted.rc, predicted.stderr), (args, data)
    if real.rc == 0:
        assert real.data in possible_write_outputs(data, pairs), (args, data)
    else:
        assert real.data == data, "Go touched the file although it failed"
    return real


@given(data=env_files(), args=write_arguments())
@example(data=b"GOSUMDB=s\nGOBIN=/x\nGOPROXY=a", args=["GOFLAGS=-mod=mod"])
@example(data=b"GOBIN=/a\r\nGOBIN=/b\r\n# c\r\nZ=1", args=["GOBIN=/c"])
@example(data=b"A#B=1\n", args=["A#B=2", "GOBIN=/x"])
@example(data=b"", args=["GOTMPDIR=rel", "GOOS=bogus"])
@example(data=b"", args=["GOBIN=/b", "NOPE=1", "GO111MODULE=bad"])
@example(data=b"GOARCH=mips\n", args=["GOOS=windows"])
def test_write_matches_go(go_runner, data, args):
    _assert_write_matches(go_runner, args, data)


@given(data=st.one_of(st.none(), env_files(max_lines=4)), args=write_arguments(max_size=3), os_env=os_env_additions)
@example(data=None, args=["GOBIN=/x", "NOPE=1"], os_env={"GOBIN": "/abs"})
@example(data=None, args=["GOARCH=mips"], os_env={"GOOS": "windows"})
def test_write_with_os_environment_matches_go(go_runner, data, args, os_env):
    """OS variables: the warning for conflicting ones (printed even when a later argument fails) and the
    OS GOOS/GOARCH/GOEXPERIMENT taking part in the build configuration check."""
    _assert_write_matches(go_runner, args, data, os_env)


@given(data=st.one_of(st.none(), env_files(max_lines=12)), args=accepted_writes())
def test_accepted_write_bytes_match_go(go_runner, data, args):
    """Only writes Go accepts, so every example compares the file bytes (dedupe, in-place replace,
    append, run sorting, CRLF, final newline, odd lines)."""
    real = _assert_write_matches(go_runner, args, data)
    assert real.rc == 0, real.stderr


@given(data=st.data(), args=accepted_writes(max_size=4))
def test_os_env_warnings_match_go(go_runner, data, args):
    """One warning per argument whose OS variable is non-empty and different, in argument order."""
    os_env = data.draw(conflicting_os_env(args))
    real = _assert_write_matches(go_runner, args, None, os_env)
    assert real.stderr.count("warning:") == sum(1 for a in args if os_env.get(a.partition("=")[0]) not in (None, "", a.partition("=")[2]))


@given(data=env_files(), keys=unset_keys, os_env=os_env_additions)
@example(data=b"GOSUMDB=s\nGOBIN=/x\nGOPROXY=a\n", keys=["GOBIN"], os_env={})
@example(data=b"GOSUMDB=s\nGOBIN=/x\nGOPROXY=a\n", keys=["GOFLAGS"], os_env={})
@example(data=b"GOOS=windows\nGOARCH=bogus\n", keys=["GOOS"], os_env={})
@example(data=b"GOOS=windows\nGOARCH=bogus\n", keys=["GOOS", "GOARCH"], os_env={})
@example(data=b"GOBIN=/x\n", keys=[], os_env={})
def test_unset_matches_go(go_runner, data, keys, os_env):
    real, env = go_runner.run(["-u"] + keys, data, os_env)
    predicted = model_unset(keys, data, go_runner.rules, go_runner.goroot_env, env)
    event(_verdict(real))
    assert (real.rc, real.stderr) == (predicted.rc, predicted.stderr), (keys, data)
    assert real.data == predicted.data, (keys, data)


@given(data=st.one_of(st.none(), env_files(max_lines=6)), args=write_arguments(max_size=3), keys=unset_keys)
def test_write_then_unset_matches_go(go_runner, data, args, keys):
    """Two commands on one file: the second sees what the first wrote (or left)."""
    first, env = go_runner.run(["-w"] + args, data)
    predicted, pairs = model_write(args, data, go_runner.rules, go_runner.goroot_env, env)
    assert (first.rc, first.stderr) == (predicted.rc, predicted.stderr)
    if first.rc == 0:
        assert first.data in possible_write_outputs(data, pairs)
    if first.data is None:
        return  # -u on a missing file: a documented divergence (test_diff_divergences.py)
    second, env = go_runner.run(["-u"] + keys, first.data)
    expected = model_unset(keys, first.data, go_runner.rules, go_runner.goroot_env, env)
    broken = startup_failure(first.data, env, go_runner.goroot_env)
    if broken:
        # -w accepted a value that stops the next go command (documented divergence): Go fails,
        # the collection goes on (and its strict mode refuses such values).
        status, message = broken
        assert second.rc == status and message in second.stderr, second.stderr
        assert second.data == first.data
        return
    assert (second.rc, second.stderr, second.data) == (expected.rc, expected.stderr, expected.data)


READER_KEYS = ("GOBIN", "GOPROXY", "GOSUMDB", "GOPRIVATE", "GOFLAGS", "GONOSUMDB", "Z9", "ZZTOP", "X")


@given(data=env_files(max_lines=12))
@example(data=b"GOBIN=/a\r\nGOBIN=/b\ngobin=/c\n GOBIN=/d\n#GOBIN=/e\n")
def test_reader_matches_go_env(go_runner, data):
    """parse() reads what Go reads: plain `go env K...` prints each value raw on its own line. Keys with
    a non-empty value in the file are compared (no OS variable is set, so the file wins)."""
    settings = goenv_file.parse(data)
    keys = [k for k in READER_KEYS if settings.get(k)]
    if not keys:
        return
    real, _output = go_runner.run(keys, data)
    if real.rc != 0:
        # Only a setting plain `go env` validates (build configuration, GO111MODULE) may stop it.
        assert any(k in real.stderr for k in ("GOOS", "GOARCH", "GOEXPERIMENT", "GOAMD64", "GO111MODULE")), real.stderr
        return
    expected = b"".join(goenv_file.to_bytes(settings[k]) + b"\n" for k in keys)
    assert real.stdout == expected
