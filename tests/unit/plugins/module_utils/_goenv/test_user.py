"""Where Go keeps a user's env file (cmd/go cfg.EnvFile + os.UserConfigDir)."""

import os

import pytest

from ansible_collections.gomod.proxy.plugins.module_utils._common.errors import GoEnvError
from ansible_collections.gomod.proxy.plugins.module_utils._goenv import user


def test_default_is_home_dot_config():
    assert user.env_file_path({}, "/home/a", "Linux") == "/home/a/.config/go/env"


def test_home_from_os_env_wins_over_passwd():
    assert user.env_file_path({"HOME": "/srv/a"}, "/home/a", "Linux") == "/srv/a/.config/go/env"


def test_xdg_config_home():
    assert user.env_file_path({"XDG_CONFIG_HOME": "/x/cfg"}, "/home/a", "Linux") == "/x/cfg/go/env"


def test_relative_xdg_config_home_is_refused():
    with pytest.raises(GoEnvError) as e:
        user.env_file_path({"XDG_CONFIG_HOME": "cfg"}, "/home/a", "Linux")
    assert e.value.key == "XDG_CONFIG_HOME" and "relative" in e.value.message


def test_goenv_absolute_and_relative():
    assert user.env_file_path({"GOENV": "/etc/go/env"}, "/home/a", "Linux") == "/etc/go/env"
    assert user.env_file_path({"GOENV": "conf/go.env"}, "/home/a", "Linux") == "/home/a/conf/go.env"


def test_goenv_off_is_an_error_naming_it():
    with pytest.raises(GoEnvError) as e:
        user.env_file_path({"GOENV": "off"}, "/home/a", "Linux")
    assert (e.value.key, e.value.value) == ("GOENV", "off")


def test_no_home_no_xdg():
    with pytest.raises(GoEnvError) as e:
        user.env_file_path({}, "", "Linux")
    assert "neither $XDG_CONFIG_HOME nor $HOME" in e.value.message


def test_macos_location():
    assert user.env_file_path({}, "/Users/a", "Darwin") == "/Users/a/Library/Application Support/go/env"


def test_lookup_current_user_and_unknown_user():
    me = user.lookup()
    assert me.uid == os.geteuid() and me.gid in me.groups
    with pytest.raises(GoEnvError) as e:
        user.lookup("no-such-user-gomod-proxy")
    assert e.value.key == "user" and "no-such-user-gomod-proxy" in e.value.message
