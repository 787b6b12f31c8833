# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters goproxy_split and goproxy_join: GOPROXY strings to entry lists and back, as Go reads them.

Their documentation is in goproxy_split.yml and goproxy_join.yml next to this file (two filters share
this file, so ansible-doc needs one sidecar per filter).
"""

from __future__ import annotations

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.text.converters import to_text

from ansible_collections.gomod.proxy.plugins.module_utils._goproxy.goproxy import format_goproxy, parse_goproxy


def goproxy_split(value):
    """GOPROXY value -> list of {url, kind, fallback} in the order Go tries them."""
    if value is None:
        return []
    if not isinstance(value, str):
        raise AnsibleFilterError("goproxy_split: expected a GOPROXY string, got %s" % type(value).__name__)
    return [entry.as_dict() for entry in parse_goproxy(to_text(value))]


def goproxy_join(entries):
    """List of entries (dicts from goproxy_split, or plain URL strings) -> GOPROXY value."""
    if isinstance(entries, (str, bytes)) or not hasattr(entries, "__iter__"):
        raise AnsibleFilterError("goproxy_join: expected a list of entries, got %s" % type(entries).__name__)
    try:
        return format_goproxy(entries)
    except ValueError as e:
        raise AnsibleFilterError("goproxy_join: %s" % e) from e


class FilterModule(object):
    def filters(self):
        return {"goproxy_split": goproxy_split, "goproxy_join": goproxy_join}
