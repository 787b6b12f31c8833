"""_probe.download with the real go command: the throw-away cache is used and removed, the user's
own settings reach go, and a failure carries go's own message."""

import glob
import os
import shutil
import tempfile

import pytest

from ansible_collections.gomod.proxy.plugins.module_utils._goenv.effective import gather_user_env
from ansible_collections.gomod.proxy.plugins.module_utils._probe import download as probe_download

GO = shutil.which("go") or ("/usr/local/go/bin/go" if os.path.exists("/usr/local/go/bin/go") else None)
pytestmark = [pytest.mark.needs_go, pytest.mark.skipif(GO is None, reason="no go binary")]


def _user_env(goproxy):
    env = gather_user_env(None, go_binary=GO)
    env["settings"]["GOPROXY"] = {"value": goproxy, "source": "os_env", "origin": "test", "shadowed": []}
    env["settings"]["GOFLAGS"] = {"value": "-mod=mod", "source": "os_env", "origin": "test", "shadowed": []}
    return env


def test_failure_carries_gos_message_and_leaves_nothing():
    before = set(glob.glob(os.path.join(tempfile.gettempdir(), "goproxy-probe-*")))
    result = probe_download.download(_user_env("off"), "golang.org/x/text", "v0.21.0", 60)
    assert not result["ok"] and result["rc"] != 0
    assert "GOPROXY=off" in result["error"]  # go's own words: "module lookup disabled by GOPROXY=off"
    assert result["command"] == "go mod download -json golang.org/x/text@v0.21.0"
    assert set(glob.glob(os.path.join(tempfile.gettempdir(), "goproxy-probe-*"))) == before


def test_login_env_takes_os_settings_and_proxy_variables():
    env = {"user": "b", "home": "/home/b", "env_file": "/home/b/.config/go/env", "go": {"binary": "/usr/local/go/bin/go"},
           "settings": {"GOPROXY": {"value": "direct", "source": "os_env"}, "GOSUMDB": {"value": "x", "source": "env_file"}},
           "network_env": {"HTTPS_PROXY": {"value": "http://squid:3128", "origin": "/etc/environment:1"}}}
    login = probe_download.login_env(env)
    assert login["GOPROXY"] == "direct" and "GOSUMDB" not in login  # go reads the file itself
    assert login["HTTPS_PROXY"] == "http://squid:3128" and login["HOME"] == "/home/b"
    assert login["PATH"].startswith("/usr/local/go/bin:") and login["GOENV"] == "/home/b/.config/go/env"


def test_no_go_binary_is_skipped():
    env = {"user": "b", "home": "/home/b", "go": {"binary": None}, "settings": {}}
    assert probe_download.download(env, "golang.org/x/text", "v0.21.0", 5)["skipped"]
