# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""What to probe for one user: the URLs ``go mod download`` would request, from the effective go env.

- every GOPROXY proxy: ``<proxy>/<module>/@v/<version>.info`` (module path escaped as Go does);
- a ``direct`` entry: the probe module's origin, ``https://<module>?go-get=1``;
- the checksum database (unless GOSUMDB=off): ``<proxy>/sumdb/<name>/supported`` for every proxy, and
  the database itself, ``https://<name>/latest`` or the URL GOSUMDB names;
- every GONOPROXY pattern whose first element is a plain host (Go fetches those directly):
  ``https://<pattern>?go-get=1``. Patterns with wildcards in the host cannot be probed.
Targets are plain dicts. ``lazy`` ones (a ``direct`` entry, and the database's own URL when proxies come
first) are probed only when Go's walk reaches them: an air-gapped fleet's healthy hosts then never
wait on the public internet.
"""

from __future__ import annotations

from ansible_collections.gomod.proxy.plugins.module_utils._goproxy.goproxy import entry_problem, parse_goproxy
from ansible_collections.gomod.proxy.plugins.module_utils._goproxy.gosumdb import parse_gosumdb
from ansible_collections.gomod.proxy.plugins.module_utils._goproxy.patterns import literal_prefix, parse_patterns


def escape_path(path):
    """golang.org/x/mod/module.EscapePath: each upper-case letter becomes '!' and its lower case."""
    return "".join("!" + c.lower() if "A" <= c <= "Z" else c for c in path)


def join_url(base, path):
    return base.rstrip("/") + "/" + path.lstrip("/")


def pattern_host_url(pattern):
    """``https://<plain leading elements of pattern>?go-get=1``, or None when the host has wildcards."""
    plain = literal_prefix(pattern)
    if not plain or "." not in plain[0]:
        return None
    return "https://%s?go-get=1" % "/".join(plain)


def _target(kind, label, url, **extra):
    target = {"kind": kind, "label": label, "url": url}
    target.update(extra)
    return target


def proxy_entries(goproxy):
    """The GOPROXY entries Go uses, as dicts (the walk adds a 'target' index to each probed one)."""
    return [entry.as_dict() for entry in parse_goproxy(goproxy)]


def goproxy_problem(goproxy):
    """Go's error for a GOPROXY list it refuses to use at all (proxyList checks every entry before the first
    request: an invalid one fails every download), or None."""
    for entry in parse_goproxy(goproxy):
        problem = entry_problem(entry.url) if entry.kind == "url" else None
        if problem:
            return problem
    return None


def targets_for(settings, module, version, options):
    """(chain entries, targets, sumdb target indexes) for one user's effective settings ({KEY: value}).

    A GOPROXY Go refuses (goproxy_problem) gets no chain or checksum database targets: Go sends nothing."""
    entries = proxy_entries(settings.get("GOPROXY", ""))
    targets = []
    info_path = "%s/@v/%s.info" % (escape_path(module), escape_path(version))
    usable = goproxy_problem(settings.get("GOPROXY", "")) is None
    for entry in entries if usable else ():
        if entry["kind"] == "url":
            entry["target"] = len(targets)
            targets.append(_target("goproxy", "goproxy " + entry["url"], join_url(entry["url"], info_path),
                                   base=entry["url"]))
        elif entry["kind"] == "direct" and options.get("probe_direct", True):
            entry["target"] = len(targets)
            targets.append(_target("direct", "direct " + module.split("/")[0], "https://%s?go-get=1" % module, lazy=True))
    sumdb = parse_gosumdb(settings.get("GOSUMDB", ""))
    sumdb_targets = {"proxies": [], "direct": None, "name": sumdb.name if sumdb else None}
    # With nothing to download from (GOPROXY=off or empty) the database is never asked.
    downloads = usable and any(entry["kind"] != "off" for entry in entries)
    if sumdb and downloads and options.get("check_sumdb", True):
        if not sumdb.explicit:
            for entry in entries:
                if entry["kind"] == "url":
                    sumdb_targets["proxies"].append(len(targets))
                    targets.append(_target("sumdb_proxy", "sumdb %s via %s" % (sumdb.name, entry["url"]),
                                           join_url(entry["url"], "sumdb/%s/supported" % sumdb.name), base=entry["url"],
                                           name=sumdb.name))
        sumdb_targets["direct"] = len(targets)
        targets.append(_target("sumdb", "sumdb " + sumdb.url, join_url(sumdb.url, "latest"), name=sumdb.name,
                               lazy=bool(sumdb_targets["proxies"])))
    if options.get("probe_private", True):
        for pattern in parse_patterns(settings.get("GONOPROXY", "")):
            url = pattern_host_url(pattern)
            if url:
                targets.append(_target("private", "private " + url.split("?", 1)[0][len("https://"):], url, pattern=pattern))
    return entries, targets, sumdb_targets
