"""Where the collection deliberately differs from the real `go env -w/-u`, asserted case by case.

Each test shows what Go does, then what the collection's functions do instead, so a change on either
side is noticed. The module (plugins/modules/go_env.py) documents the same list.
"""

import os

import pytest

from ansible_collections.gomod.proxy.plugins.module_utils._common.errors import GoEnvError
from ansible_collections.gomod.proxy.plugins.module_utils._goenv import file as goenv_file, user as goenv_user
from ansible_collections.gomod.proxy.plugins.module_utils._goenv.strict import check_strict
from ansible_collections.gomod.proxy.plugins.module_utils._goenv.validate import check_unset
from gorun import model_write, startup_failure

pytestmark = pytest.mark.needs_go

BROKEN_FILES = [
    # (file, Go's exit status, part of Go's message, the strict check that would have refused it)
    (b"GOPATH=/a:rel\n", 2, "GOPATH entry is relative; must be absolute path: \"rel\"", "GOPATH"),
    (b"GOPATH=/a:~/go\n", 2, "GOPATH entry cannot start with shell metacharacter '~': \"~/go\"", "GOPATH"),
    (b"GOROOT=/nonexistent/goroot\n", 2, "cannot find GOROOT directory: /nonexistent/goroot", None),
    (b"GOFLAGS=\"\" -mod=mod\n", 2, "panic: runtime error", "GOFLAGS"),
    (b"GOFLAGS=-json\n", 1, "cannot use -json with -", "GOFLAGS"),
    (b"GOFLAGS=-u\n", 1, "cannot use -u with -w", "GOFLAGS"),
]


@pytest.mark.parametrize("data,status,message,strict_key", BROKEN_FILES)
def test_go_cannot_run_on_a_broken_file_but_the_module_repairs_it(go_runner, data, status, message, strict_key):
    real, env = go_runner.run(["-w", "GOBIN=/x"], data)
    assert real.rc == status and message in real.stderr, real.stderr
    assert real.data == data
    assert startup_failure(data, env, go_runner.goroot_env)[0] == status
    # The collection validates only the requested change, so it can rewrite the broken file.
    predicted, _warnings = model_write(["GOBIN=/x"], data, go_runner.rules, go_runner.goroot_env, env)
    assert predicted.rc == 0 and predicted.data == goenv_file.write(data, [("GOBIN", "/x")])
    if strict_key:
        value = goenv_file.parse(data)[strict_key]
        with pytest.raises(GoEnvError):
            check_strict(strict_key, value, go_runner.rules)


def test_go_writes_values_that_break_it_afterwards(go_runner):
    """`go env -w` accepts GOPATH=/a:rel and GOFLAGS='"" x' (the next go command fails); strict refuses."""
    for arg, key in (("GOPATH=/a:rel", "GOPATH"), ("GOFLAGS=\"\" -x", "GOFLAGS"), ("GOFLAGS=-json", "GOFLAGS")):
        real, env = go_runner.run(["-w", arg], None)
        assert real.rc == 0, real.stderr
        after, _output = go_runner.run(["-w", "GOBIN=/x"], real.data)
        assert after.rc != 0
        with pytest.raises(GoEnvError):
            check_strict(key, arg.partition("=")[2], go_runner.rules)


def test_invalid_gotoolchain_in_the_file(go_runner):
    """Without GOTOOLCHAIN in the OS env, a bogus file value stops every go env -w/-u but exactly
    `go env -w GOTOOLCHAIN=<x>` (one argument); the module accepts any repair."""
    data = b"GOTOOLCHAIN=bogus\n"
    real, _output = go_runner.run(["-u", "GOTOOLCHAIN"], data, drop_env=("GOTOOLCHAIN",))
    assert real.rc == 1 and 'invalid GOTOOLCHAIN "bogus"' in real.stderr
    real, _output = go_runner.run(["-w", "GOBIN=/x"], data, drop_env=("GOTOOLCHAIN",))
    assert real.rc == 1 and real.data == data
    real, env = go_runner.run(["-w", "GOTOOLCHAIN=local"], data, drop_env=("GOTOOLCHAIN",))
    assert real.rc == 0 and real.data == b"GOTOOLCHAIN=local\n"
    check_unset(["GOTOOLCHAIN"], go_runner.rules, data, go_runner.goroot_env, env)
    assert goenv_file.unset(data, ["GOTOOLCHAIN"]) == b""
    with pytest.raises(GoEnvError):
        check_strict("GOTOOLCHAIN", "bogus", go_runner.rules)


def test_unset_on_a_missing_file(go_runner):
    """Go: error. The collection: validation passes, and unset() needs existing bytes; go_env treats a
    missing file as nothing to do."""
    real, env = go_runner.run(["-u", "GOBIN"], None)
    assert real.rc == 1
    assert "reading go env config: open " in real.stderr and "no such file or directory" in real.stderr
    assert real.data is None
    check_unset(["GOBIN"], go_runner.rules, None, go_runner.goroot_env, env)
    with pytest.raises(TypeError):
        goenv_file.unset(None, ["GOBIN"])


def test_goenv_off_writes_the_default_file(go_runner):
    """Go: GOENV=off does not stop -w; the default file under $HOME/.config is written. The collection
    refuses GOENV=off instead of writing a file Go would then never read."""
    home = os.path.join(go_runner.root, "goenv-off-home")
    os.makedirs(home)
    real, _output = go_runner.run(["-w", "GOBIN=/x"], None, extra_env={"GOENV": "off", "HOME": home})
    assert real.rc == 0, real.stderr
    with open(os.path.join(home, ".config", "go", "env"), "rb") as f:
        assert f.read() == b"GOBIN=/x\n"
    with pytest.raises(GoEnvError) as refused:
        goenv_user.env_file_path({"GOENV": "off"}, home)
    assert refused.value.key == "GOENV"
