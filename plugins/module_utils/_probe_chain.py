# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""Go's walk of the GOPROXY list over the probe results, so a failure is judged where Go meets it.

cmd/go/internal/modfetch TryProxies: a 404/410 ("not exist") moves to the next entry after ',' or '|';
any other error moves on only after '|', otherwise the walk stops with it. ``direct`` and ``off`` end
the list. The checksum database (dbClient.initBase) is found the same way over
``<proxy>/sumdb/<name>/supported``, falling back to the database's own URL when no proxy serves it.

So a 404 from an entry followed by ',' is the normal fall-through for a module that proxy lacks
(info), the same 404 from the last entry is the module being unavailable (error), and a timeout
before ',' stops the walk (error, plus ``comma_after_unreliable_entry`` when entries follow).
Failures of entries the walk never reaches for the probe module are reported as info: they only
matter for modules the earlier entries lack.

A target without a code yet (``direct`` and the database's own URL are probed only when the walk
reaches them) gets the role ``pending`` and ends the walk with outcome ``pending``.
"""

from __future__ import annotations

NOT_EXIST = ("http_404", "http_410")


def _last_fall_through_stops(entries, roles):
    """At ``off`` after 404/410s, the last of those answers is why the download fails (Go's error)."""
    for entry in reversed(entries):
        if roles.get(entry.get("target")) == "fell_through":
            roles[entry["target"]] = "stopped"
            return


def walk_goproxy(entries, codes):
    """Go's walk. entries: proxy_entries() with 'target' indexes; codes: target index -> code.

    Returns {outcome: ok|failed|off|empty|unknown, resolved_by, stopped_at, roles: {target: role}}
    where role is ``used`` (answered the module), ``fell_through`` (404/410 or error before '|'),
    ``stopped`` (its error ended the walk), ``not_reached``.
    """
    roles = {}
    outcome, resolved_by, stopped_at = "failed", None, None
    if not entries:
        return {"outcome": "empty", "resolved_by": None, "stopped_at": None, "roles": roles}
    for position, entry in enumerate(entries):
        if outcome != "failed" or stopped_at is not None:
            if "target" in entry:
                roles[entry["target"]] = "not_reached"
            continue
        if entry["kind"] == "off":
            outcome, stopped_at = "off", position
            _last_fall_through_stops(entries[:position], roles)
            continue
        if "target" not in entry:  # direct entry not probed
            outcome, stopped_at = "unknown", position
            continue
        code = codes.get(entry["target"])
        if code is None:
            roles[entry["target"]] = "pending"
            outcome, stopped_at = "pending", position
        elif code == "ok":
            roles[entry["target"]] = "used"
            outcome, resolved_by = "ok", position
        elif entry["kind"] == "direct":
            roles[entry["target"]] = "stopped"
            stopped_at = position
        elif code in NOT_EXIST or entry["fallback"] == "any_error":
            roles[entry["target"]] = "fell_through"
        else:
            roles[entry["target"]] = "stopped"
            stopped_at = position
    if outcome == "failed" and stopped_at is None:
        stopped_at = len(entries) - 1  # every entry fell through: the last one's answer is Go's error
        last = entries[stopped_at]
        if "target" in last:
            roles[last["target"]] = "stopped"
    return {"outcome": outcome, "resolved_by": resolved_by, "stopped_at": stopped_at, "roles": roles}


def walk_sumdb(entries, sumdb_targets, codes):
    """dbClient.initBase: {outcome: ok|failed|off, route: proxy url or 'direct', target, roles}."""
    roles = {}
    proxy_targets = list(sumdb_targets["proxies"])
    route_target, route = None, None
    for entry in entries:
        if route_target is not None:
            break
        if entry["kind"] != "url":
            break  # direct / off: connect to the database itself
        target = proxy_targets.pop(0) if proxy_targets else None
        if target is None:
            break
        code = codes[target]
        if code == "ok":
            roles[target] = "used"
            route_target, route = target, entry["url"]
        elif code in NOT_EXIST or entry["fallback"] == "any_error":
            roles[target] = "fell_through"
        else:
            roles[target] = "stopped"
            return {"outcome": "failed", "route": entry["url"], "target": target, "roles": roles}
    direct = sumdb_targets["direct"]
    if route_target is None:
        if direct is None:
            return {"outcome": "off", "route": None, "target": None, "roles": roles}
        if codes.get(direct) is None:
            roles[direct] = "pending"
            return {"outcome": "pending", "route": "direct", "target": direct, "roles": roles}
        roles[direct] = "used" if codes[direct] == "ok" else "stopped"
        route_target, route = direct, "direct"
    elif direct is not None:
        roles[direct] = "not_reached"
    for target in proxy_targets:
        roles.setdefault(target, "not_reached")
    return {"outcome": "ok" if codes[route_target] == "ok" else "failed", "route": route, "target": route_target,
            "roles": roles}
