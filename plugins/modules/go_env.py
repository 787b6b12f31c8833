#!/usr/bin/python
# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: go_env
short_description: Manage users' C(go env) settings exactly as C(go env -w) and C(go env -u) would
version_added: 0.1.0
description:
  - Sets and removes settings in a user's Go environment file, the file C(go env -w) writes (usually
    C(~/.config/go/env)). GOPROXY, GONOPROXY, GOSUMDB, GONOSUMDB, GOPRIVATE, GO111MODULE, GOFLAGS,
    GOINSECURE, GOTOOLCHAIN and every other key Go accepts.
  - The bytes written are the bytes C(go env -w) followed by C(go env -u) would write from the same
    starting file, for every Go version from 1.13 on. The file keeps Go's layout rules (in-place
    replacement, appended keys, sorted runs, duplicates dropped, comments and blank lines kept, CRLF
    kept on untouched lines, final newline added). The module reports C(changed) only when the bytes
    change.
  - Input is validated as the host's Go would validate it (read-only keys, GOENV and GODEBUG, unknown
    keys for that Go version, GO111MODULE values, absolute GOPATH/GOMODCACHE/GOTMPDIR, CC/CXX, control
    characters, GOOS/GOARCH pairs, GOEXPERIMENT names). With O(strict=true), it also rejects values Go
    accepts but that break builds later (see O(strict)). Nothing is written when any check fails.
  - When Go is installed on the host, its version (read from C($GOROOT/VERSION), without running Go)
    selects the validation rules; without Go, the rules of the newest Go release the collection knows
    are used. Go does not need to be installed.
  - Run as root for another user, all file work happens in a process running with that user's uid and
    groups, so a symlink or directory the user controls can never make root write a file the user could
    not write. A user's own link to their own file (for example a dotfiles checkout) keeps working.
  - Warns, as Go does, when an OS environment variable of the user overrides a setting being written.
    The user's OS environment is read from C(/etc/environment), C(/etc/environment.d), the user's
    C(~/.config/environment.d), C(/etc/profile), C(/etc/profile.d/*.sh), C(/etc/bash.bashrc) and the
    user's shell start-up files. Those files are parsed, not executed.
  - With O(users), one execution manages many users (a build host's CI runner accounts). Every user is
    planned first, each with that user's rights (validation, the new bytes, and whether the user may write
    them); only when every user's plan succeeded is anything written. One user's bad input, or a file that
    user cannot write, fails the task before any file of any user is written.
author:
  - gomod.proxy contributors (@gomod-proxy)
extends_documentation_fragment:
  - gomod.proxy.attributes
  - gomod.proxy.user_go_env
  - gomod.proxy.user_go_env.user
attributes:
  check_mode:
    support: full
    details:
      - Computes the exact bytes that would be written and reports the same C(changed) and diff.
  diff_mode:
    support: full
    details:
      - The diff shows the whole file before and after.
      - With O(users), one diff per user whose file changes (a list of diffs), headed by that user's file.
  idempotent:
    support: full
options:
  users:
    description:
      - Manage these users in one execution instead of O(user). Mutually exclusive with O(user).
      - Each entry is a user name, or a dict with C(name) (required) and any of C(settings), C(unset),
        C(exclusive) and C(env_file) for that user. A name alone gets O(settings), O(unset), O(exclusive)
        and O(env_file) as they are.
      - "A dict's C(settings) are merged key by key over O(settings): a value replaces the top-level one or
        adds the key; V(null) removes the key from that user's settings, so the user's own value is left
        alone (unless exclusive removes it). The top-level keys keep their order, the user's new keys follow."
      - "A dict's C(unset) is added to O(unset): a key the user unsets is removed from the settings the user
        inherits, and a key in the user's C(settings) (a value or V(null)) is removed from the unset the user
        inherits. A key in both the user's own C(settings) and own C(unset) is an error."
      - A dict's C(exclusive) and C(env_file) replace O(exclusive) and O(env_file) for that user; a user's
        C(env_file) must be an absolute path. Two users whose env files are the same file are an error.
      - Every user is planned before anything is written; any user's error (bad input, unknown user, a file
        the user cannot write) fails the task with RV(failed_users) and writes nothing for anyone.
      - An empty list manages nobody and changes nothing.
    type: list
    elements: raw
    version_added: 0.1.0
  settings:
    description:
      - Settings to write, as with C(go env -w KEY=VALUE ...).
      - With O(users), the settings of every user, unless a user's entry changes them (see O(users)).
      - Values are written verbatim. Quote values that YAML would read as booleans (V(on), V(off)); the
        module rejects booleans rather than writing C(True).
      - Numbers are written as their decimal text (V(0) for C(CGO_ENABLED=0)).
      - A key present here must not also be in O(unset).
    type: dict
    default: {}
  unset:
    description:
      - Keys to remove, as with C(go env -u KEY ...), applied after O(settings).
      - Removing from a file that does not exist is not a change (C(go env -u) would fail instead).
    type: list
    elements: str
    default: []
  exclusive:
    description:
      - Also remove every setting in the file that O(settings) does not name, so the file holds exactly
        O(settings).
      - Only lines that Go reads as settings (first byte C(A)-C(Z), containing C(=)) are removed;
        comments, blank lines and lines Go ignores are kept.
    type: bool
    default: false
  strict:
    description:
      - Also reject values that C(go env -w) accepts but that break downloads or builds later.
      - GOPROXY entries (URL with a scheme and host, V(direct), V(off), separators V(,) and V(|), no entries
        after V(direct) or V(off)), GOSUMDB forms, GOFLAGS tokens Go does not know, GOTOOLCHAIN values Go
        cannot select, malformed GOPRIVATE/GONOPROXY/GONOSUMDB/GOINSECURE patterns, relative or C(~)
        GOPATH list entries.
    type: bool
    default: true
  scan_os_env:
    description:
      - Read the user's OS environment files to find the env file location (C(GOENV), C(XDG_CONFIG_HOME))
        and to warn about OS variables that override managed settings.
      - Turn off to ignore those files entirely.
    type: bool
    default: true
notes:
  - "Deliberate differences from Go: O(unset) on a missing file is no change (Go errors); C(GOENV=off) in
    the user's OS environment is an error unless O(env_file) is given (Go silently writes the default file);
    Go's start-up checks on an already broken environment (relative GOPATH entry, missing GOROOT, invalid
    GOTOOLCHAIN) are not applied, so the module can repair a file Go refuses to touch; writes are atomic
    and skipped when nothing changes (Go rewrites the file in place every time)."
  - An existing file keeps its mode and group (and owner). A new file and its directories belong to the user,
    with Go's modes (0666 and 0777 minus the umask).
seealso:
  - module: gomod.proxy.go_env_info
  - name: go env documentation
    description: C(go help environment) lists every setting.
    link: https://pkg.go.dev/cmd/go#hdr-Environment_variables
"""

EXAMPLES = r"""
- name: Send every download of the build user through the internal proxy, falling back to the public mirror
  gomod.proxy.go_env:
    user: builder
    settings:
      GOPROXY: https://athens.corp.example|https://proxy.golang.org,direct
      GOPRIVATE: git.corp.example,*.internal.corp.example
      GO111MODULE: "on"
  become: true

- name: Remove a stale GOFLAGS and GOINSECURE
  gomod.proxy.go_env:
    user: builder
    unset:
      - GOFLAGS
      - GOINSECURE
  become: true

- name: Make the file hold exactly these settings, nothing else
  gomod.proxy.go_env:
    settings:
      GOPROXY: https://goproxy.cn,https://proxy.golang.org,direct
      GOSUMDB: sum.golang.google.cn
    exclusive: true

- name: One execution for every CI runner account; runner07 keeps its own GOFLAGS and also drops GOINSECURE
  gomod.proxy.go_env:
    users:
      - runner01
      - runner02
      - name: runner07
        settings:
          GOFLAGS: null
        unset: [GOINSECURE]
    settings:
      GOPROXY: https://athens.corp.example,direct
      GOFLAGS: -mod=readonly
  become: true
  register: runners_goenv

- name: Show which runners changed
  ansible.builtin.debug:
    msg: "{{ runners_goenv.users | selectattr('changed') | map(attribute='user') | list }}"

- name: Manage a file outside the default location (for example a CI runner's GOENV)
  gomod.proxy.go_env:
    user: runner
    env_file: /srv/runner/go.env
    settings:
      GOFLAGS: -mod=readonly
  become: true
"""

RETURN = r"""
env_file:
  description: Path of the file managed (as configured, before following links).
  returned: with O(user)
  type: str
  sample: /home/builder/.config/go/env
user:
  description: The user whose settings were managed.
  returned: with O(user)
  type: str
  sample: builder
users:
  description:
    - With O(users), one result per user, in the order of O(users).
    - Each one has the keys this module returns with O(user) (RV(user), RV(env_file), RV(created), RV(before),
      RV(after), RV(removed), RV(go), RV(rules_version), RV(rules_warning), RV(os_env_overrides), and RV(diff)
      in diff mode), plus C(changed) and C(warnings) (that user's warnings, which the task also shows).
    - A user whose file could not be written, after every user's plan succeeded (a race or a full disk), has
      C(failed=true) and C(msg); the task then fails too.
  returned: with O(users)
  type: list
  elements: dict
  sample:
    - {user: runner01, changed: true, env_file: /home/runner01/.config/go/env, created: true, before: {},
       after: {GOPROXY: "https://athens.corp.example,direct"}, removed: [], warnings: []}
failed_users:
  description: With O(users), when the task fails before writing, every user whose entry or plan failed.
  returned: failure
  type: list
  elements: dict
  sample:
    - {user: runner07, msg: "GO111MODULE='maybe': invalid GO111MODULE value 'maybe'", key: GO111MODULE, value: maybe}
created:
  description: Whether the file did not exist before (and was, or in check mode would be, created).
  returned: with O(user)
  type: bool
  sample: false
before:
  description: Settings Go read from the file before the change (key to value).
  returned: with O(user)
  type: dict
  sample: {"GOPROXY": "direct"}
after:
  description: Settings Go reads from the file after the change (key to value).
  returned: with O(user)
  type: dict
  sample: {"GOPROXY": "https://proxy.golang.org,direct", "GO111MODULE": "on"}
removed:
  description: Keys that were in the file and were removed by O(unset) or O(exclusive).
  returned: with O(user)
  type: list
  elements: str
  sample: ["GOFLAGS"]
go:
  description: The Go installation found on the host, whose version selected the validation rules.
  returned: with O(user)
  type: dict
  contains:
    binary:
      description: Path of the go binary, or null when Go is not installed.
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
  description: The Go release whose validation rules were applied.
  returned: with O(user)
  type: str
  sample: go1.26
rules_warning:
  description: Why the rules applied may not match the installed Go exactly (a Go newer than the collection knows); null otherwise.
  returned: with O(user)
  type: str
  sample: null
os_env_overrides:
  description:
    - Managed settings that an OS environment variable of the user overrides, so Go will not use the value written.
    - Each one is also reported as a warning, like Go's own.
  returned: with O(user)
  type: list
  elements: dict
  contains:
    key:
      description: The setting.
      type: str
      sample: GOPROXY
    os_value:
      description: The value in the user's OS environment.
      type: str
      sample: direct
    origin:
      description: File and line that set it.
      type: str
      sample: /etc/profile.d/goproxy.sh:3
    path:
      description: The file that set it.
      type: str
      sample: /etc/profile.d/goproxy.sh
    line:
      description: The line number (first line of a continued line).
      type: int
      sample: 3
    text:
      description: The line as written, to find or remove it.
      type: str
      sample: export GOPROXY=direct
    value:
      description: The value written to the env file.
      type: str
      sample: https://athens.corp.example,direct
diff:
  description:
    - The whole file before and after, when run with C(--diff).
    - With O(users), a list of such diffs, one per user whose file changes.
  returned: when diff mode is on
  type: raw
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.gomod.proxy.plugins.module_utils._common.module_errors import fail_from
from ansible_collections.gomod.proxy.plugins.module_utils._goenv.manage import manage, manage_users, warnings_of


def main():
    module = AnsibleModule(
        argument_spec=dict(
            user=dict(type="str"),
            users=dict(type="list", elements="raw"),
            env_file=dict(type="path"),
            settings=dict(type="dict", default={}),
            unset=dict(type="list", elements="str", default=[]),
            exclusive=dict(type="bool", default=False),
            strict=dict(type="bool", default=True),
            go_binary=dict(type="path"),
            scan_os_env=dict(type="bool", default=True),
        ),
        mutually_exclusive=[("user", "users")],
        supports_check_mode=True,
    )
    p = module.params
    try:
        if p["users"] is not None:
            result = manage_users(p["users"], p["settings"], p["unset"], p["exclusive"], p["env_file"], p["strict"],
                                  p["go_binary"], p["scan_os_env"], module.check_mode, module._diff)
            warnings = [w for r in result["users"] for w in r["warnings"]]
        else:
            result = manage(p["user"], p["env_file"], p["settings"], p["unset"], p["exclusive"], p["strict"],
                            p["go_binary"], p["scan_os_env"], module.check_mode, module._diff)
            warnings = warnings_of(result)
    except Exception as e:  # pylint: disable=broad-except  # every failure becomes fail_json naming field and value
        fail_from(module, e)
    for warning in dict.fromkeys(warnings):  # once each: many users share a rules warning
        module.warn(warning)
    failed = [r for r in result.get("users", []) if r.get("failed")]
    if failed:
        module.fail_json(msg="writing failed for %d user(s), after every user's plan succeeded: %s"
                         % (len(failed), "; ".join("user %s: %s" % (r["user"], r["msg"]) for r in failed)), **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
