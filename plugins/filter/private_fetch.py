# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter private_fetch_finding: why a private module fetch failed, from the go command's output, as the
audit's finding (code, severity, cause, fix). Its documentation is in private_fetch_finding.yml."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.text.converters import to_text

from ansible_collections.gomod.proxy.plugins.module_utils._probe.gitfetch import SETTINGS, fetch_finding


def private_fetch_finding(output, user, module, role="go_client", netrc_hosts=None, **facts):
    """go/git output of a failed fetch -> {code, severity, cause, fix, ...}."""
    if role not in SETTINGS:
        raise AnsibleFilterError("private_fetch_finding: role must be one of %s, got %r" % (sorted(SETTINGS), role))
    return fetch_finding(to_text(output or ""), to_text(user), to_text(module), role=role,
                         netrc_hosts=[to_text(h) for h in netrc_hosts or []],
                         **dict((k, to_text(v)) for k, v in facts.items()))


class FilterModule(object):
    def filters(self):
        return {"private_fetch_finding": private_fetch_finding}
