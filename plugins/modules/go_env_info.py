#!/usr/bin/python
# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: go_env_info
short_description: Show users' effective Go settings and where each one comes from
version_added: 0.1.0
description:
  - Reports, for one user, every Go setting that matters for module downloads (and every setting found in
    the user's env file, in C($GOROOT/go.env) or exported by the OS environment), with the effective value
    and its source, following Go's precedence. OS environment (when non-empty), then the user's go env
    file (when the key is present), then C($GOROOT/go.env) (Go 1.21 and later), then Go's built-in default.
  - Lists the conflicts, where an OS environment variable overrides a different value in the user's env
    file, so C(go env -w) has no effect for that key.
  - Reports the installed Go version, if any, and reads its C(go.env), both from C($GOROOT) (see O(go_binary)).
  - The OS environment is read statically from the same files as M(gomod.proxy.go_env) reads (see there).
  - Run as root for another user, every file is read with that user's rights.
  - With O(users), one execution reports on many users.
author:
  - gomod.proxy contributors (@gomod-proxy)
extends_documentation_fragment:
  - gomod.proxy.attributes.info_module
  - gomod.proxy.user_go_env
  - gomod.proxy.user_go_env.user
options:
  users:
    description:
      - Report on these users in one execution instead of O(user). Mutually exclusive with O(user).
      - Each entry is a user name, or a dict with C(name) (required) and C(env_file) (an absolute path) for
        that user. O(env_file) applies to the users whose entry does not set one.
      - Any user that fails (an unknown user, an unreadable env file) fails the task, naming every such user
        in RV(failed_users).
    type: list
    elements: raw
    version_added: 0.1.0
seealso:
  - module: gomod.proxy.go_env
  - module: gomod.proxy.goproxy_probe
"""

EXAMPLES = r"""
- name: Read the build user's Go settings
  gomod.proxy.go_env_info:
    user: builder
  become: true
  register: builder_goenv

- name: Read every CI runner's Go settings in one execution
  gomod.proxy.go_env_info:
    users: [runner01, runner02, {name: runner03, env_file: /srv/runner03/go.env}]
  become: true
  register: runners_goenv

- name: List the runners whose GOPROXY comes from the OS environment
  ansible.builtin.debug:
    msg: "{{ runners_goenv.users | selectattr('settings.GOPROXY.source', 'equalto', 'os_env') | map(attribute='user') | list }}"

- name: Fail when an OS variable defeats the managed GOPROXY
  ansible.builtin.assert:
    that: builder_goenv.settings.GOPROXY.source != 'os_env'
    fail_msg: >-
      GOPROXY for builder comes from {{ builder_goenv.settings.GOPROXY.origin }}
      ({{ builder_goenv.settings.GOPROXY.value }}), not from the go env file.
"""

RETURN = r"""
users:
  description:
    - With O(users), one result per user, in the order of O(users), each with the keys this module returns
      with O(user).
  returned: with O(users)
  type: list
  elements: dict
  sample:
    - {user: runner01, home: /home/runner01, env_file: /home/runner01/.config/go/env, env_file_exists: true}
failed_users:
  description: With O(users), when the task fails, every user that failed, with C(msg), C(key) and C(value).
  returned: failure
  type: list
  elements: dict
  sample:
    - {user: runner09, msg: "user: no such user 'runner09'", key: user, value: runner09}
user:
  description: The user reported on.
  returned: with O(user)
  type: str
  sample: builder
home:
  description: The user's home directory.
  returned: with O(user)
  type: str
  sample: /home/builder
env_file:
  description: The go env file Go uses for this user.
  returned: with O(user)
  type: str
  sample: /home/builder/.config/go/env
env_file_exists:
  description: Whether that file exists.
  returned: with O(user)
  type: bool
  sample: true
go:
  description: The installed Go (all fields null when none is found).
  returned: with O(user)
  type: dict
  contains:
    binary:
      description: Path of the go binary.
      type: str
      sample: /usr/local/go/bin/go
    goroot:
      description: Its GOROOT.
      type: str
      sample: /usr/local/go
    version:
      description: Its version.
      type: str
      sample: go1.26.8
rules_version:
  description: The Go release whose rules (defaults, known keys) were applied.
  returned: with O(user)
  type: str
  sample: go1.26
rules_warning:
  description: Why the rules applied may not match the installed Go exactly (a Go newer than the collection knows); null otherwise.
  returned: with O(user)
  type: str
  sample: null
settings:
  description: Each setting with its effective value and source.
  returned: with O(user)
  type: dict
  sample:
    GOPROXY:
      value: https://athens.corp.example,direct
      source: env_file
      origin: /home/builder/.config/go/env
      shadowed:
        - {value: "https://proxy.golang.org,direct", source: goroot_env, origin: /usr/local/go/go.env}
        - {value: "", source: default, origin: null}
  contains:
    value:
      description: The effective value.
      type: str
    source:
      description: Where it comes from, one of C(os_env), C(env_file), C(goroot_env), C(default).
      type: str
    origin:
      description: File (and line, for the OS environment) that set it; null for a default.
      type: str
    shadowed:
      description: Lower-priority values that exist but are not used, highest first.
      type: list
      elements: dict
os_env_conflicts:
  description: Keys set in the user's env file that an OS environment variable with a different value overrides.
  returned: with O(user)
  type: list
  elements: dict
  sample:
    - {key: GOPROXY, os_value: direct, os_origin: /etc/profile.d/goproxy.sh:1, file_value: "https://athens.corp.example,direct"}
network_env:
  description: Proxy and certificate variables of the user's OS environment that Go's HTTP client honours.
  returned: with O(user)
  type: dict
  sample: {HTTPS_PROXY: {value: "http://squid.corp.example:3128", origin: /etc/environment:4}}
os_env_unreadable:
  description: Environment files that exist but the user cannot read (their login cannot either).
  returned: with O(user)
  type: list
  elements: dict
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.gomod.proxy.plugins.module_utils._common.module_errors import fail_from
from ansible_collections.gomod.proxy.plugins.module_utils._goenv.effective import gather_user_env, gather_users_env


def main():
    module = AnsibleModule(
        argument_spec=dict(
            user=dict(type="str"),
            users=dict(type="list", elements="raw"),
            env_file=dict(type="path"),
            go_binary=dict(type="path"),
        ),
        mutually_exclusive=[("user", "users")],
        supports_check_mode=True,
    )
    p = module.params
    try:
        if p["users"] is not None:
            result = {"users": gather_users_env(p["users"], p["env_file"], p["go_binary"])}
            warnings = [r["rules_warning"] for r in result["users"] if r["rules_warning"]]
        else:
            result = gather_user_env(p["user"], p["env_file"], p["go_binary"])
            warnings = [result["rules_warning"]] if result["rules_warning"] else []
    except Exception as e:  # pylint: disable=broad-except  # every failure becomes fail_json naming field and value
        fail_from(module, e)
    for warning in dict.fromkeys(warnings):  # once each: many users share a rules warning
        module.warn(warning)
    module.exit_json(changed=False, **result)


if __name__ == "__main__":
    main()
