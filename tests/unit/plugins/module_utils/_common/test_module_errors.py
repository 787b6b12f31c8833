"""_common.module_errors: every exception becomes one fail_json call whose message names field and value."""

import errno

import pytest

from ansible_collections.gomod.proxy.plugins.module_utils._common.errors import ChildError, GoEnvError, UsersError
from ansible_collections.gomod.proxy.plugins.module_utils._common.module_errors import describe, fail_from


class _Failed(Exception):
    pass


class _Module(object):
    """What fail_from needs of AnsibleModule: fail_json, which never returns."""

    def fail_json(self, **kwargs):
        raise _Failed(kwargs)


def _fail(exc):
    with pytest.raises(_Failed) as failed:
        fail_from(_Module(), exc)
    return failed.value.args[0]


@pytest.mark.parametrize("error,message", [
    (GoEnvError("GOBIN", "rel", "GOBIN must be absolute"), "GOBIN='rel': GOBIN must be absolute"),
    (GoEnvError("GOENV", None, "GOENV can only be set using the OS environment"),
     "GOENV: GOENV can only be set using the OS environment"),
    (GoEnvError("GOFLAGS", "x", 'GOFLAGS: "x": parsing $GOFLAGS: non-flag "x"'), 'GOFLAGS: "x": parsing $GOFLAGS: non-flag "x"'),
    (GoEnvError("on", True, "settings.on: value True is a YAML boolean"), "settings.on: value True is a YAML boolean"),
    (GoEnvError(None, None, "no KEY=VALUE arguments given"), "no KEY=VALUE arguments given"),
])
def test_describe_names_the_field_and_value_once(error, message):
    assert describe(error) == message


def test_go_env_error_carries_key_and_value():
    assert _fail(GoEnvError("GOPROXY", "ftp://x", "bad")) == {
        "msg": "GOPROXY='ftp://x': bad", "key": "GOPROXY", "value": "ftp://x"}
    assert _fail(GoEnvError("GO111MODULE", True, "boolean"))["value"] == "True"
    assert _fail(GoEnvError("GOOS/GOARCH", None, "unsupported"))["value"] is None


def test_child_error_keeps_the_traceback():
    assert _fail(ChildError("boom", "Traceback ...")) == {"msg": "boom", "exception": "Traceback ..."}
    assert _fail(ChildError("boom")) == {"msg": "boom", "exception": None}


def test_os_errors_name_the_file():
    assert _fail(OSError(errno.EACCES, "Permission denied", "/home/u/.config/go/env")) == {
        "msg": "/home/u/.config/go/env: Permission denied"}
    assert _fail(OSError("odd")) == {"msg": "I/O error: odd"}


def test_anything_else_names_its_type():
    assert _fail(KeyError("x")) == {"msg": "KeyError: 'x'"}


def test_users_error_names_every_user_and_the_whole_outcome():
    failed = _fail(UsersError([("ci1", GoEnvError("GO111MODULE", "maybe", 'invalid GO111MODULE value "maybe"')),
                               ("ci2", ChildError("the worker process for user ci2 exited", "tb")),
                               ("ci3", OSError(errno.EACCES, "Permission denied", "/home/ci3/.config"))],
                              "nothing was written for any user; 3 of 20 users failed"))
    assert failed["msg"] == ("nothing was written for any user; 3 of 20 users failed: "
                             "user ci1: GO111MODULE='maybe': invalid GO111MODULE value \"maybe\"; "
                             "user ci2: the worker process for user ci2 exited; "
                             "user ci3: /home/ci3/.config: Permission denied")
    assert failed["failed_users"] == [
        {"user": "ci1", "msg": "GO111MODULE='maybe': invalid GO111MODULE value \"maybe\"", "key": "GO111MODULE",
         "value": "maybe"},
        {"user": "ci2", "msg": "the worker process for user ci2 exited", "key": None, "value": None},
        {"user": "ci3", "msg": "/home/ci3/.config: Permission denied", "key": None, "value": None}]
