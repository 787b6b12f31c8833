# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""Go's walk of the GOPROXY list over the probe results, so a failure is judged where Go meets it.

cmd/go/internal/modfetch/proxy.go, TryProxies:
- a 404/410 ("not exist") moves to the next entry after ',' or '|'; any other error moves on only
  after '|', otherwise the walk ends there; ``direct`` and ``off`` end the list;
- the error Go REPORTS is not simply the last one: it keeps the most important error of the walk.
  An error of ``direct`` beats everything, then a proxy error other than "not exist" (a later one
  replaces an earlier one), then "not exist" (the last one; ``off`` counts as one and fails with
  "module lookup disabled by GOPROXY=off"). So for ``A|B`` where A answers 502 and B 404, Go
  reports A's 502: B lacking the module is not why the download fails.
- Go puts no time limit on a proxy's answer: a proxy that accepted the request and stays silent is
  waited for (``waits``); Go neither falls through nor stops there, the download hangs.

The checksum database is found the same way (sumdb.go, dbClient.initBase) over
``<proxy>/sumdb/<name>/supported``: when the walk's reported error is "not exist" (every proxy lacks
it, or ``direct``/``off`` was reached) Go connects to the database itself; any other reported error
makes every checksum lookup fail with that error, even when a later proxy only answered 404.

A target without a code yet (``direct`` and the database's own URL are probed only when the walk
reaches them) gets the role ``pending`` and ends the walk with outcome ``pending``.
"""

from __future__ import annotations

NOT_EXIST = ("http_404", "http_410")
# Codes of an endpoint that took the request and never answered within the probe's wait: Go waits on.
WAITS = ("http_timeout",)

# TryProxies' error ranks
_NOT_EXIST_RANK, _PROXY_RANK, _DIRECT_RANK = 0, 1, 2


def _result_class(entry, codes):
    """ok | not_exist | error | waits | pending | unknown for one entry of the list."""
    if entry["kind"] == "off":
        return "not_exist"  # errProxyOff
    if "target" not in entry:
        return "unknown"  # a direct entry the audit was told not to probe
    code = codes.get(entry["target"])
    if code is None:
        return "pending"
    if code == "ok":
        return "ok"
    if code in WAITS:
        return "waits"
    return "not_exist" if code in NOT_EXIST else "error"


def try_proxies(entries, classify):
    """TryProxies over entries; classify(entry) -> ok|not_exist|error|waits|pending|unknown.

    Returns {outcome, resolved_by, stopped_at, reported_at, roles: {position: role}}:
    outcome ok | failed | off | hangs | pending | unknown | empty; ``reported_at`` is the position of
    the entry whose error Go reports (an ``off`` entry for "module lookup disabled by GOPROXY=off");
    roles are ``used``, ``fell_through``, ``stopped`` (the walk ended after its error), ``waits``,
    ``pending``, ``not_reached``.
    """
    if not entries:
        return {"outcome": "empty", "resolved_by": None, "stopped_at": None, "reported_at": None, "roles": {}}
    roles = {}
    outcome, resolved_by, stopped_at = "failed", None, None
    best, best_rank = None, _NOT_EXIST_RANK
    for position, entry in enumerate(entries):
        if stopped_at is not None or resolved_by is not None:
            roles[position] = "not_reached"
            continue
        cls = classify(entry)
        if cls in ("ok", "waits", "pending", "unknown"):
            roles[position] = {"ok": "used"}.get(cls, cls)
            outcome = {"ok": "ok", "waits": "hangs"}.get(cls, cls)
            if cls == "ok":
                resolved_by = position
            else:
                stopped_at = position
            continue
        if entry["kind"] == "direct":
            best, best_rank = position, _DIRECT_RANK
        elif best_rank <= _PROXY_RANK and cls == "error":
            best, best_rank = position, _PROXY_RANK
        elif best_rank == _NOT_EXIST_RANK:
            best = position
        last = position == len(entries) - 1
        if last or (cls == "error" and entry["fallback"] != "any_error"):
            roles[position] = "stopped"
            stopped_at = position
            outcome = "off" if entry["kind"] == "off" else "failed"
        else:
            roles[position] = "fell_through"
    reported = best if outcome in ("failed", "off") else None
    return {"outcome": outcome, "resolved_by": resolved_by, "stopped_at": stopped_at, "reported_at": reported,
            "roles": roles}


def walk_goproxy(entries, codes):
    """Go's walk of GOPROXY for one module. entries: proxy_entries() with 'target' indexes; codes: target -> code.

    Returns try_proxies()' fields, with roles keyed by target index (entries without a target have none).
    """
    walk = try_proxies(entries, lambda entry: _result_class(entry, codes))
    walk["roles"] = dict((entries[p]["target"], role) for p, role in walk["roles"].items() if "target" in entries[p])
    return walk


def walk_sumdb(entries, sumdb_targets, codes):
    """dbClient.initBase: {outcome: ok|failed|off|hangs|pending, route: proxy url or 'direct', target, roles}."""
    proxy_of = dict(zip([p for p, e in enumerate(entries) if e["kind"] == "url"], sumdb_targets["proxies"]))

    def classify(entry_at):
        position, entry = entry_at
        if entry["kind"] in ("direct", "off"):
            return "not_exist"  # errProxyOff: "connect to the database itself"
        if position not in proxy_of:
            return "not_exist"  # an explicit database URL: no proxy is asked
        return _result_class({"kind": "url", "target": proxy_of[position]}, codes)

    indexed = [dict(e, _at=(p, e)) for p, e in enumerate(entries)]
    walk = try_proxies(indexed, lambda entry: classify(entry["_at"]))
    roles = dict((proxy_of[p], role) for p, role in walk["roles"].items() if p in proxy_of)
    direct = sumdb_targets["direct"]
    if walk["outcome"] in ("ok", "hangs", "pending"):
        at = walk["resolved_by"] if walk["outcome"] == "ok" else walk["stopped_at"]
        if direct is not None:
            roles[direct] = "not_reached"
        return {"outcome": walk["outcome"], "route": entries[at]["url"], "target": proxy_of[at], "roles": roles}
    reported = walk["reported_at"]
    if reported is not None and reported in proxy_of and codes.get(proxy_of[reported]) not in NOT_EXIST:
        # A proxy's real error is the walk's error: Go never asks the database itself.
        if direct is not None:
            roles[direct] = "not_reached"
        roles[proxy_of[reported]] = "stopped"
        return {"outcome": "failed", "route": entries[reported]["url"], "target": proxy_of[reported], "roles": roles}
    for target in roles:
        if roles[target] == "stopped":
            roles[target] = "fell_through"  # "not exist" here only sends Go to the database itself
    if direct is None:
        return {"outcome": "off", "route": None, "target": None, "roles": roles}
    code = codes.get(direct)
    if code is None:
        roles[direct] = "pending"
        return {"outcome": "pending", "route": "direct", "target": direct, "roles": roles}
    roles[direct] = "used" if code == "ok" else ("waits" if code in WAITS else "stopped")
    outcome = "ok" if code == "ok" else ("hangs" if code in WAITS else "failed")
    return {"outcome": outcome, "route": "direct", "target": direct, "roles": roles}
