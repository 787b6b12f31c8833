# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""A user's account and the go env file Go would use for them (cmd/go's cfg.EnvFile)."""

from __future__ import annotations

import grp
import os
import platform
import pwd

from ansible_collections.gomod.proxy.plugins.module_utils._common.errors import GoEnvError


class Account(object):
    def __init__(self, name, uid, gid, home, groups):
        self.name = name
        self.uid = uid
        self.gid = gid
        self.home = home
        self.groups = groups  # supplementary group ids, as a login would get them


def lookup(name=None):
    """The account of ``name``, or of the effective user when name is None."""
    try:
        pw = pwd.getpwnam(name) if name else pwd.getpwuid(os.geteuid())
    except KeyError:
        raise GoEnvError("user", name, "user: no such user %r" % (name,))
    try:
        groups = os.getgrouplist(pw.pw_name, pw.pw_gid)
    except (OSError, AttributeError):
        groups = [pw.pw_gid] + [g.gr_gid for g in grp.getgrall() if pw.pw_name in g.gr_mem]
    return Account(pw.pw_name, pw.pw_uid, pw.pw_gid, pw.pw_dir, sorted(set(groups)))


def user_config_dir(os_env, home, system=None):
    """os.UserConfigDir for the target OS, from the user's OS environment. Raises GoEnvError."""
    system = system or platform.system()
    home = os_env.get("HOME") or home
    if system == "Darwin":
        if not home:
            raise GoEnvError("HOME", "", "cannot find go env config: $HOME is not defined")
        return os.path.join(home, "Library", "Application Support")
    xdg = os_env.get("XDG_CONFIG_HOME", "")
    if xdg:
        # Go 1.24+ rejects a relative XDG_CONFIG_HOME; earlier versions resolved it against the cwd,
        # which for a login is unknowable here. Refusing is the only answer that is right for both.
        if not os.path.isabs(xdg):
            raise GoEnvError("XDG_CONFIG_HOME", xdg,
                             "cannot find go env config: path in $XDG_CONFIG_HOME is relative: %r" % xdg)
        return xdg
    if not home:
        raise GoEnvError("HOME", "", "cannot find go env config: neither $XDG_CONFIG_HOME nor $HOME are defined")
    return os.path.join(home, ".config")


def env_file_path(os_env, home, system=None):
    """The go env file path: $GOENV, else <UserConfigDir>/go/env. Raises GoEnvError.

    GOENV=off is an error here on purpose: `go env -w` with GOENV=off silently writes the default
    file (a Go bug, see docs), and a configuration tool must not guess which file was meant.
    A relative GOENV is taken relative to the user's home, where a login shell starts.
    """
    goenv = os_env.get("GOENV", "")
    if goenv:
        if goenv == "off":
            raise GoEnvError("GOENV", goenv, "cannot find go env config: GOENV=off in the user's OS environment;"
                             " set env_file to manage a file explicitly")
        if not os.path.isabs(goenv):
            goenv = os.path.join(os_env.get("HOME") or home or "/", goenv)
        return goenv
    return os.path.join(user_config_dir(os_env, home, system), "go", "env")
