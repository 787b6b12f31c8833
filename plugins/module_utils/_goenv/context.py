# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""Everything Go would consult for one user, loaded once: OS environment, toolchain, rules, env file.

Call ``load`` with the user's credentials (inside ``_common.safe_file.run_as``) so every file is read with
the user's rights.
"""

from __future__ import annotations

import os

from ansible_collections.gomod.proxy.plugins.module_utils._common.errors import GoEnvError
from ansible_collections.gomod.proxy.plugins.module_utils._common.safe_file import read_bytes
from ansible_collections.gomod.proxy.plugins.module_utils._goenv import osenv as goenv_osenv
from ansible_collections.gomod.proxy.plugins.module_utils._goenv.rules import parse_go_version, rules_for
from ansible_collections.gomod.proxy.plugins.module_utils._goenv.toolchain import detect
from ansible_collections.gomod.proxy.plugins.module_utils._goenv.user import env_file_path


class UserContext(object):
    def __init__(self, osenv, toolchain, rules, env_file, data):
        self.osenv = osenv
        self.os_env = osenv.values()
        self.toolchain = toolchain
        self.rules = rules
        self.env_file = env_file
        self.data = data  # bytes of the env file, None when it does not exist

    @property
    def goroot(self):
        return self.toolchain.goroot if self.toolchain else None

    @property
    def goroot_env(self):
        return self.toolchain.goroot_env if self.toolchain else None

    @property
    def goroot_env_path(self):
        return os.path.join(self.goroot, "go.env") if self.goroot else None

    def go_dict(self):
        return self.toolchain.as_dict() if self.toolchain else {"binary": None, "goroot": None, "version": None}

    @property
    def rules_warning(self):
        """Why validation may not match the installed Go exactly; None when it does or Go is absent
        (without Go, the newest rules are the documented behaviour, not a surprise)."""
        return self.rules.warning if self.toolchain else None

    @property
    def rules_version(self):
        return "go%d.%d" % tuple(self.rules.version[:2])


def read_env_file(path):
    """Bytes of the env file or None when absent; errors name the path."""
    try:
        return read_bytes(path)[0]
    except IsADirectoryError:
        raise GoEnvError("env_file", path, "reading go env config: read %s: is a directory" % path)
    except EnvironmentError as e:
        raise GoEnvError("env_file", path, "reading go env config: %s: %s (with the rights of the user)"
                         % (e.filename or path, e.strerror or e))


def load(home, env_file=None, go_binary=None, scan_os_env=True):
    osenv = goenv_osenv.scan(home) if scan_os_env else goenv_osenv.OsEnv()
    os_env = osenv.values()
    try:
        toolchain = detect(go_binary, path=os_env.get("PATH"))
    except ValueError as e:
        raise GoEnvError("go_binary", go_binary, str(e))
    version = parse_go_version(toolchain.version) if toolchain and toolchain.version else None
    try:
        rules = rules_for(version, toolchain.goroot if toolchain else None)
    except ValueError as e:
        raise GoEnvError("go_binary", toolchain.binary, str(e))
    path = env_file or env_file_path(os_env, home)
    return UserContext(osenv, toolchain, rules, path, read_env_file(path))
