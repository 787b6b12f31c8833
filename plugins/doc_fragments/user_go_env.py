# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment(object):
    """Options that say whose Go environment a module works on: which go env file and which Go (every module
    that reads a user's go env), and the user (the modules that take one user; goproxy_probe takes a list)."""

    DOCUMENTATION = r"""
options:
  env_file:
    description:
      - The go env file to use instead of the one Go would use for the user (for every user, where a module
        takes several).
      - By default it is found the way Go finds it, from the user's OS environment and account. That is
        C($GOENV) if set there (relative to the user's home directory when relative), else
        C($XDG_CONFIG_HOME/go/env), else C($HOME/.config/go/env) (C($HOME/Library/Application Support/go/env)
        on macOS).
    type: path
  go_binary:
    description:
      - The C(go) binary whose version selects the rules for the settings (which keys exist, how values are
        validated, their defaults) and whose C($GOROOT/go.env) supplies defaults.
      - By default it is looked for on the user's C(PATH), then in the usual install locations
        (C(/usr/local/go/bin/go), C(/usr/lib/go/bin/go), C(/usr/bin/go), ...). Without one, the rules of the
        newest Go release the collection knows apply.
      - The version is read from C($GOROOT/VERSION); Go itself is run (C(go version), in a scratch home) only
        when that file is missing.
    type: path
"""

    USER = r"""
options:
  user:
    description:
      - The user whose Go environment the module works on. Defaults to the user the module runs as (after
        C(become)).
      - Another user's files are only ever opened with that user's own uid and groups, which needs root
        (C(become=true)).
      - Mutually exclusive with O(users), which names several users for one execution.
    type: str
"""
