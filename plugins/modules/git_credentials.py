#!/usr/bin/python
# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: git_credentials
short_description: Give a build user the git credentials for private Go modules, root-safely
version_added: 0.1.0
description:
  - Writes what the C(go) command and C(git) need to fetch private modules directly (C(GOPRIVATE)) as the user
    O(user), a C(~/.netrc) entry per HTTPS host (both read it), an SSH key per host under
    C(~/.ssh/gomod-proxy/) with its pinned host keys and a C(~/.ssh/config) block (C(IdentitiesOnly),
    C(StrictHostKeyChecking yes)), and C(url.<base>.insteadOf) rewrites in C(~/.gitconfig).
  - The collection owns one marked block in each shared file (C(# BEGIN gomod.proxy git credentials) ...
    C(# END ...)), at the top of C(~/.netrc) and C(~/.ssh/config) (the first match wins there) and at the end
    of C(~/.gitconfig); the user's own lines stay. Empty lists remove the blocks and the keys.
  - Run as root for another user, every read and write happens in a process with that user's uid and groups
    (as M(gomod.proxy.go_env) does), so a link in the user's home is followed with the user's rights only.
    Credential files are created C(0600) and an existing one is set to C(0600) before new content is written;
    a file owned by someone else is refused.
author:
  - gomod.proxy contributors (@gomod-proxy)
extends_documentation_fragment:
  - gomod.proxy.attributes
attributes:
  check_mode:
    support: full
    details:
      - Reports the files that would change, with the same C(changed) as a real run.
  diff_mode:
    support: full
    details:
      - Whole files before and after, with netrc passwords and private keys masked.
  idempotent:
    support: full
options:
  user:
    description:
      - The user whose home receives the credentials.
    type: str
    required: true
  credentials:
    description:
      - One item per private git host, C(host) and at least one of C(https) and C(ssh).
      - C(https) is C({login, password}) (a token), a C(~/.netrc) entry which the go command and git both read.
        No whitespace (netrc cannot quote it).
      - C(ssh) is C({key, known_hosts, user, port}), the private key (C(~/.ssh/gomod-proxy/<host>.key)), the host
        key lines to pin (a string or a list, required, no trust on first use), the ssh user (default V(git)) and
        the port.
    type: list
    elements: dict
    default: []
  insteadof:
    description:
      - Git URL rewrites, C(url) and C(insteadof) each (for example V(git@git.corp.example:) instead of
        V(https://git.corp.example/), so the go command's HTTPS repository URLs go over SSH).
    type: list
    elements: dict
    default: []
notes:
  - The go command runs git with C(GIT_TERMINAL_PROMPT=0) and ssh with C(BatchMode=yes); a wrong credential then
    fails at once instead of waiting for a password.
seealso:
  - module: gomod.proxy.go_env
"""

EXAMPLES = r"""
- name: A token for HTTPS and a deploy key for SSH
  gomod.proxy.git_credentials:
    user: ci
    credentials:
      - host: git.corp.example
        https: {login: ci-bot, password: "{{ vault_forge_token }}"}
        ssh:
          key: "{{ vault_ci_deploy_key }}"
          known_hosts: "git.corp.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA..."
    insteadof:
      - {url: "git@git.corp.example:", insteadof: "https://git.corp.example/"}
  become: true
  no_log: true
"""

RETURN = r"""
files:
  description: Each file the module manages and what happened to it (V(unchanged), V(created), V(replaced), V(removed), V(mode)).
  returned: always
  type: dict
  sample: {/home/ci/.netrc: created, /home/ci/.gitconfig: unchanged}
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.gomod.proxy.plugins.module_utils._common.module_errors import fail_from
from ansible_collections.gomod.proxy.plugins.module_utils._goenv import gitcred
from ansible_collections.gomod.proxy.plugins.module_utils._goenv.user import lookup


def main():
    module = AnsibleModule(
        argument_spec=dict(
            user=dict(type="str", required=True),
            credentials=dict(type="list", elements="dict", default=[], no_log=True),
            insteadof=dict(type="list", elements="dict", default=[]),
        ),
        supports_check_mode=True,
    )
    p = module.params
    try:
        result = gitcred.manage(lookup(p["user"]), p["credentials"], p["insteadof"], module.check_mode)
    except Exception as e:  # pylint: disable=broad-except  # every failure becomes fail_json naming field and value
        fail_from(module, e)
    if not module._diff:
        result.pop("diff")
    module.exit_json(user=p["user"], **result)


if __name__ == "__main__":
    main()
