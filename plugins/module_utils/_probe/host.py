# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""One host's audit: every user's effective go env, every endpoint they depend on, the findings.

1. read each user's go env (_goenv.effective.gather_user_env, passed in by the module);
2. derive the URLs each would request (_probe.targets) and the route to each (_probe.proxyenv);
3. probe every distinct (URL, route, trust store) once, all in parallel, each phase with its own
   timeout, so the host costs about its slowest probe (the optional ``go mod download`` runs
   alongside the probes);
4. judge each result where Go meets it (_probe.chain) and turn it into findings (_probe.findings,
   _probe.envcheck).
"""

from __future__ import annotations

import time
import threading
from urllib.parse import urlsplit

from ansible_collections.gomod.proxy.plugins.module_utils._common.severity import SEVERITIES, worst
from ansible_collections.gomod.proxy.plugins.module_utils._probe import (
    chain as probe_chain, download as probe_download, endpoint as probe_endpoint, envcheck as probe_envcheck,
    envfiles as probe_envfiles, findings as probe_findings, gitfetch as probe_gitfetch, proxyenv as probe_proxyenv,
    targets as probe_targets, tls as probe_tls)
from ansible_collections.gomod.proxy.plugins.module_utils._goenv import gitcred
from ansible_collections.gomod.proxy.plugins.module_utils._goenv.user import lookup
from ansible_collections.gomod.proxy.plugins.module_utils._probe.findings import finding

RESULT_VERSION = 1
_OK_STATUSES = {"goproxy": (200,), "sumdb_proxy": (200,), "sumdb": (200,),
                "direct": tuple(range(200, 400)), "private": tuple(range(200, 400))}
_WHERE = {"goproxy": "GOPROXY", "direct": "GOPROXY", "sumdb_proxy": "GOPROXY", "sumdb": "GOSUMDB", "private": "GONOPROXY"}


class AuditOptions(object):
    """The knobs of one audit (module options, minus the users)."""

    def __init__(self, module, version, timeout=5.0, private_patterns=(), expected=None, check_sumdb=True,
                 probe_private=True, probe_direct=True, download=False, download_timeout=120.0,
                 tls_expiry_warn_days=14, env_file=None, go_binary=None, response_timeout=60.0, private_modules=(),
                 private_fetch="direct", environment_files=(), role_vars="go_client"):
        self.module = module
        self.version = version
        self.timeout = float(timeout)
        # Go waits for an HTTP answer as long as it takes; the probe waits this long to measure it.
        self.response_timeout = max(float(response_timeout), self.timeout)
        self.private_patterns = list(private_patterns or ())
        self.expected = dict(expected or {})
        self.targets = {"check_sumdb": check_sumdb, "probe_private": probe_private, "probe_direct": probe_direct}
        self.download = download
        self.download_timeout = float(download_timeout)
        self.tls_expiry_warn_days = tls_expiry_warn_days
        self.env_file = env_file
        self.go_binary = go_binary
        # private modules (path@version) fetched as each user; how the fleet fetches them (direct: GOPRIVATE
        # with the users' credentials, proxy: through the fleet's proxy); a service's environment files laid
        # over each user's env; whose variables the fixes name (go_client on builders, athens on proxy hosts)
        self.private_modules = list(private_modules or ())
        self.private_fetch = private_fetch
        self.environment_files = list(environment_files or ())
        self.role_vars = role_vars


def _env_values(user_env):
    return dict((k, v["value"]) for k, v in user_env["settings"].items())


def _network_env(user_env):
    return dict((k, v["value"]) for k, v in (user_env.get("network_env") or {}).items())


def _where(kind, user_env, failed_role):
    """The place an operator changes to fix an endpoint: the inventory variable, or the file that wins over it."""
    if failed_role == "proxy":
        origins = [v.get("origin") for k, v in (user_env.get("network_env") or {}).items() if k.lower().endswith("_proxy")]
        return "HTTPS_PROXY/NO_PROXY (%s)" % (", ".join(o for o in origins if o) or "OS environment")
    key = _WHERE[kind]
    setting = user_env["settings"].get(key, {})
    if setting.get("source") == "os_env":
        return "the %s export in %s" % (key, setting.get("origin"))
    return "%s (builders' group_vars)" % probe_findings.SETTING_VARS[key]


def _needs_tls(url, proxy_config):
    proxy = proxy_config.proxy_for_url(url)[0]
    return urlsplit(url).scheme == "https" or (proxy is not None and proxy.scheme == "https")


def in_parallel(calls):
    """Results of calls (no-argument callables), run at the same time in one thread each, in order.

    An exception in a call is re-raised here. Threads, not a pool: a host has a few dozen probes at most,
    each mostly waiting, and concurrent.futures would cost its import (logging) on every host.
    """
    results = [None] * len(calls)
    errors = []

    def work(index, call):
        try:
            results[index] = call()
        except Exception as e:  # pylint: disable=broad-except  # handed to the caller's thread below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.daemon = True
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


class _Probes(object):
    """Distinct probes (one per URL, route and trust store), who needs them, and their results."""

    def __init__(self, options):
        self.options = options
        self.specs = {}       # endpoint id -> (target, ProxyConfig, trust env)
        self.index = {}       # dedup key -> endpoint id
        self.users = {}       # endpoint id -> [user]
        self.results = {}     # endpoint id -> probe_endpoint.probe() result
        self.contexts = {}    # trust sources -> SSLContext

    def add(self, target, proxy_config, trust_env, user):
        route = proxy_config.proxy_for_url(target["url"])[0]
        sources = probe_tls.trust_sources(trust_env)
        key = (target["url"], route.geturl() if route is not None else None, sources, target["kind"])
        if key not in self.index:
            self.index[key] = "e%d" % (len(self.index) + 1)
            self.specs[self.index[key]] = (target, proxy_config, trust_env)
        endpoint_id = self.index[key]
        self.users.setdefault(endpoint_id, [])
        if user not in self.users[endpoint_id]:
            self.users[endpoint_id].append(user)
        return endpoint_id

    def run_pending(self):
        """Probe every added endpoint without a result, all at once, one thread each."""
        pending = [i for i in self.specs if i not in self.results]
        for endpoint_id in pending:
            # One SSLContext per trust store, built before the threads use it, and only when TLS is on the
            # route: loading a CA bundle costs ~20 ms of a host's CPU.
            target, proxy_config, trust_env = self.specs[endpoint_id]
            sources = probe_tls.trust_sources(trust_env)
            if sources not in self.contexts and _needs_tls(target["url"], proxy_config):
                self.contexts[sources] = probe_tls.client_context(trust_env)
        for endpoint_id, result in zip(pending, in_parallel([lambda i=i: self._probe(i) for i in pending])):
            self.results[endpoint_id] = result

    def _probe(self, endpoint_id):
        target, proxy_config, trust_env = self.specs[endpoint_id]
        context = self.contexts.get(probe_tls.trust_sources(trust_env))
        return probe_endpoint.probe(target["url"], proxy_config, context, self.options.timeout,
                                    wait=self.options.response_timeout)

    def code(self, endpoint_id):
        target = self.specs[endpoint_id][0]
        return probe_findings.endpoint_code(self.results[endpoint_id], _OK_STATUSES[target["kind"]])


class _Plan(object):
    """One user's view: chain entries, targets, and which targets are probed as which endpoint."""

    def __init__(self, user_env, options, probes):
        self.user_env = user_env
        self.entries, self.targets, self.sumdb = probe_targets.targets_for(
            _env_values(user_env), options.module, options.version, options.targets)
        self.invalid = probe_targets.goproxy_problem(_env_values(user_env).get("GOPROXY", "")) is not None
        network = _network_env(user_env)
        self.proxy_config = probe_proxyenv.ProxyConfig.from_env(network)
        self.network = network
        self.ids = {}
        for index, target in enumerate(self.targets):
            if not target.get("lazy"):
                self.ids[index] = probes.add(target, self.proxy_config, network, user_env["user"])

    def walks(self, probes):
        codes = dict((i, probes.code(e)) for i, e in self.ids.items() if e in probes.results)
        if self.invalid:  # Go refuses the whole list before any request (goproxy_invalid)
            return ({"outcome": "invalid", "resolved_by": None, "stopped_at": None, "reported_at": None, "roles": {}},
                    {"outcome": "off", "route": None, "roles": {}})
        walk = probe_chain.walk_goproxy(self.entries, codes)
        sumdb_walk = (probe_chain.walk_sumdb(self.entries, self.sumdb, codes) if self.sumdb["direct"] is not None
                      else {"outcome": "off", "route": None, "roles": {}})
        return walk, sumdb_walk

    def add_reached(self, probes):
        """Add the lazy targets Go's walks reach; True when there are any."""
        added = False
        for walk in self.walks(probes):
            for index, role in walk["roles"].items():
                if role == "pending" and index not in self.ids:
                    self.ids[index] = probes.add(self.targets[index], self.proxy_config, self.network, self.user_env["user"])
                    added = True
        return added


def _compact_phases(phases):
    keep = ("phase", "role", "host", "ok", "seconds", "error_class", "error", "addresses", "address", "port",
            "status", "reason", "version", "certificate", "presented", "resolver", "target", "verify_code",
            "source", "stall")
    out = []
    for phase in phases:
        entry = dict((k, phase[k]) for k in keep if phase.get(k) is not None)
        if phase.get("families"):
            entry["families"] = [dict((k, f[k]) for k in ("family", "name", "outcome", "seconds", "server"))
                                 for f in phase["families"]]
        out.append(entry)
    return out


def _endpoint_finding(endpoint, target, user_env, options, severity, suffix="", **extra):
    result = endpoint["result"]
    facts = probe_findings.endpoint_facts(result)
    failed = [p for p in result["phases"] if not p["ok"]]
    parts = urlsplit(result["url"])
    facts.setdefault("port", probe_proxyenv.url_port(parts))
    what = ("the checksum database (/sumdb/%s/supported)" % target["name"] if target["kind"] == "sumdb_proxy"
            else "the checksum database's signed tree head" if target["kind"] == "sumdb"
            else "%s@%s" % (options.module, options.version))
    facts.update(label=target["label"], module=options.module, version=options.version, timeout=options.timeout, what=what,
                 user=user_env["user"], endpoint=endpoint["id"], wait=options.response_timeout,
                 where=_where(target["kind"], user_env, failed[0].get("role") if failed else None))
    facts.update(extra)
    https_origin = [v.get("origin") for k, v in (user_env.get("network_env") or {}).items() if k.lower() == "https_proxy"]
    facts["proxy_origin_text"] = " (%s)" % https_origin[0] if https_origin and https_origin[0] else ""
    out = finding(endpoint["code"], severity=severity, **facts)
    if suffix:
        out["cause"] += " " + probe_findings.render(suffix, facts)
    return out


def _chain_verdict(walk, entries, position, code):
    """(severity, sentence) for a failing GOPROXY entry: what Go does with its answer (_probe.chain)."""
    role = walk["roles"].get(entries[position].get("target"), "not_reached")
    reported = walk.get("reported_at")
    not_exist = code in probe_chain.NOT_EXIST
    if role == "waits":
        return "error", ("Go puts no time limit on a proxy's answer: it keeps waiting here and never tries the next "
                         "entry, so the download of {module} hangs.")
    if role == "not_reached":
        return "info", ("Not reached for {module} (an earlier entry answers); it matters only for modules the earlier "
                        "entries lack.")
    if reported == position:
        return "error", "Go reports this error for {module}: the download fails."
    if reported is not None and entries[reported]["kind"] == "off" and not_exist and \
            position == max(p for p in range(reported) if walk["roles"].get(entries[p].get("target")) == "fell_through"):
        return "error", ("GOPROXY ends with 'off' after it, so go fails with \"module lookup disabled by GOPROXY=off\" "
                         "for {module}.")
    if walk["outcome"] == "ok":
        if not_exist:
            return "info", "Normal fall-through for a module this proxy lacks: Go tries the next entry."
        return "warning", "Go falls through to the next entry because '|' follows it, after waiting for this failure."
    if not_exist:
        return "info", "It lacks {module} as well; the download fails with the error Go reports for {reported_url}."
    return "warning", ("Go falls through because '|' follows it; the download still fails, with the error Go reports "
                       "for {reported_url}.")


def _goproxy_findings(user_env, entries, walk, ids, endpoints, targets, options):
    out = []
    for position, entry in enumerate(entries):
        if entry.get("target") not in ids:
            continue  # a direct entry Go never reaches is not probed
        endpoint = endpoints[ids[entry["target"]]]
        if endpoint["code"] == "ok":
            continue
        severity, suffix = _chain_verdict(walk, entries, position, endpoint["code"])
        reported = walk.get("reported_at")
        out.append(_endpoint_finding(endpoint, targets[entry["target"]], user_env, options, severity, suffix,
                                     reported_url=entries[reported]["url"] if reported is not None else "?"))
        later = entries[position + 1:]
        if (walk["stopped_at"] == position and later and entry["fallback"] == "not_found"
                and endpoint["code"] not in probe_chain.NOT_EXIST and endpoint["code"] not in probe_chain.WAITS):
            out.append(finding("comma_after_unreliable_entry", user=user_env["user"], endpoint=endpoint["id"],
                               key="GOPROXY", entry=entry["url"], entry_code=endpoint["code"],
                               next_entry=later[0]["url"]))
    return out


def go_error(entries, walk):
    """What Go prints for the probe module, as {position, url, kind}; None when Go does not fail (or hangs)."""
    reported = walk.get("reported_at")
    if reported is None:
        return None
    entry = entries[reported]
    return {"position": reported, "url": entry["url"], "kind": entry["kind"]}


def _goproxy_codes_by_base(ids, endpoints, targets):
    return dict((targets[i]["base"], endpoints[e]["code"]) for i, e in ids.items() if targets[i]["kind"] == "goproxy")


def _sumdb_findings(user_env, sumdb, walk, ids, endpoints, targets, options):
    out = []
    related = list(sumdb["proxies"]) + ([sumdb["direct"]] if sumdb["direct"] is not None else [])
    module_codes = _goproxy_codes_by_base(ids, endpoints, targets)
    for index in [i for i in related if i in ids]:
        endpoint = endpoints[ids[index]]
        if endpoint["code"] == "ok":
            continue
        if targets[index]["kind"] == "sumdb_proxy" and module_codes.get(targets[index]["base"]) == endpoint["code"] \
                and endpoint["code"] not in probe_chain.NOT_EXIST:
            continue  # the same fault of the same proxy is already a finding (with its fix); sumdb_unreachable follows
        role = walk["roles"].get(index, "not_reached")
        not_exist = endpoint["code"] in probe_chain.NOT_EXIST
        if role in ("stopped", "waits"):
            severity, suffix = "error", ("Go waits here for every checksum lookup (no time limit)." if role == "waits"
                                         else "")
        elif role == "fell_through":
            severity, suffix = (("info", "Normal: this proxy does not serve the checksum database, Go asks the next "
                                         "route.") if not_exist else ("warning", "Go falls through because '|' follows it."))
        else:
            severity, suffix = "info", "Not used: the checksum database is reached another way."
        out.append(_endpoint_finding(endpoint, targets[index], user_env, options, severity, suffix))
    if walk["outcome"] in ("failed", "hangs"):
        endpoint = endpoints[ids[walk["target"]]]
        detail = "%s answered %s (%s)" % (endpoint["url"], endpoint["code"],
                                          "via the module proxy" if walk["route"] != "direct" else "direct")
        out.append(finding("sumdb_unreachable", user=user_env["user"], endpoint=endpoint["id"], key="GOSUMDB",
                           name=sumdb["name"], detail=detail))
    return out


def _tls_expiry_findings(user_env, ids, endpoints, options):
    out = []
    for endpoint_id in sorted(set(ids.values())):
        for phase in endpoints[endpoint_id]["result"]["phases"]:
            cert = phase.get("certificate") if phase["phase"] == "tls" and phase["ok"] else None
            if cert and isinstance(cert.get("days_left"), int) and cert["days_left"] < options.tls_expiry_warn_days:
                out.append(finding("tls_expiring", user=user_env["user"], endpoint=endpoint_id, host=phase.get("host"),
                                   days_left=cert["days_left"], not_after=cert["not_after"]))
    return out


def _dns_stall_findings(user_env, ids, endpoints):
    """A resolver that answers one address family and leaves the other unanswered: Go's cost per connection."""
    out = []
    for endpoint_id in sorted(set(ids.values())):
        for phase in endpoints[endpoint_id]["result"]["phases"]:
            stall = phase.get("stall") if phase["phase"] == "dns" else None
            if not stall:
                continue
            schedule = "%d attempts x %gs per server, %d server%s" % (
                stall["attempts"], stall["timeout"], len(stall["servers"]), "" if len(stall["servers"]) == 1 else "s")
            out.append(finding("dns_family_stall", user=user_env["user"], endpoint=endpoint_id, host=stall["name"],
                               family=stall["family"], answered=stall["answered"], wait=stall["seconds"],
                               resolver=", ".join(stall["servers"]), schedule=schedule))
    return out


def _slow_findings(user_env, ids, endpoints, options):
    """An HTTP answer that took longer than the probe's phase timeout: Go waited that long too."""
    out = []
    for endpoint_id in sorted(set(ids.values())):
        endpoint = endpoints[endpoint_id]
        for phase in endpoint["result"]["phases"]:
            if phase["phase"] == "http" and phase["ok"] and (phase.get("seconds") or 0) > options.timeout:
                out.append(finding("http_slow", user=user_env["user"], endpoint=endpoint_id, url=endpoint["url"],
                                   host=phase.get("host"), status=phase.get("status"),
                                   seconds=round(phase["seconds"], 1)))
    return out


def _user_view(user_env, entries, walk, sumdb_walk, ids, download):
    keys = sorted(set(probe_envcheck.MANAGED_KEYS) | {"GOSUMDB", "GONOSUMDB", "GOMODCACHE", "GOENV", "GOTOOLCHAIN"})
    settings = dict((k, user_env["settings"][k]) for k in keys if k in user_env["settings"])
    return {
        "user": user_env["user"], "home": user_env["home"], "go": user_env.get("go"),
        "env_file": user_env.get("env_file"), "env_file_exists": user_env.get("env_file_exists"),
        "settings": settings, "os_env_conflicts": user_env.get("os_env_conflicts") or [],
        "proxy_env": probe_proxyenv.ProxyConfig.from_env(_network_env(user_env)).describe(),
        "goproxy_chain": [{"url": e["url"], "kind": e["kind"], "fallback": e["fallback"],
                           "endpoint": ids.get(e.get("target")), "role": walk["roles"].get(e.get("target"))}
                          for e in entries],
        "goproxy_outcome": walk["outcome"],
        "goproxy_error": go_error(entries, walk),
        "sumdb_outcome": sumdb_walk["outcome"], "sumdb_route": sumdb_walk.get("route"),
        "endpoints": sorted(set(ids.values()), key=lambda i: int(i[1:])),
        "download": download,
    }


def _merge(findings):
    """Collapse the same finding seen for several users into one with a users list."""
    merged, order = {}, []
    for f in findings:
        key = (f["code"], f["severity"], f["cause"], f["fix"], f.get("endpoint"))
        if key not in merged:
            merged[key] = dict(f, users=[])
            merged[key].pop("user", None)
            order.append(key)
        if f.get("user") and f["user"] not in merged[key]["users"]:
            merged[key]["users"].append(f["user"])
    ranked = sorted(order, key=lambda k: -SEVERITIES.index(merged[k]["severity"]))
    return [merged[k] for k in ranked]


def _summary(findings, endpoints, users, start):
    counts = dict((s, 0) for s in SEVERITIES)
    for f in findings:
        counts[f["severity"]] += 1
    highest = worst(f["severity"] for f in findings)
    return {"state": "ok" if highest in (None, "info") else highest, "worst": highest, "counts": counts,
            "endpoints": len(endpoints), "users": len(users), "seconds": round(time.monotonic() - start, 3)}


def _endpoints(probes):
    endpoints = {}
    for endpoint_id, (target, _proxy, _trust) in probes.specs.items():
        result = probes.results[endpoint_id]
        endpoints[endpoint_id] = {"id": endpoint_id, "kind": target["kind"], "label": target["label"],
                                  "url": result["url"], "via": result["via"], "seconds": result["seconds"],
                                  "code": probes.code(endpoint_id), "failed_phase": result["failed_phase"],
                                  "users": probes.users[endpoint_id], "result": result}
    return endpoints


def _user_findings(plan, walk, sumdb_walk, endpoints, download, options, private=None):
    user_env, ids, targets = plan.user_env, plan.ids, plan.targets
    out = probe_envcheck.check(user_env, options.private_patterns, options.expected, options.private_fetch)
    out += _goproxy_findings(user_env, plan.entries, walk, ids, endpoints, targets, options)
    if plan.sumdb["direct"] is not None:
        out += _sumdb_findings(user_env, plan.sumdb, sumdb_walk, ids, endpoints, targets, options)
    for index, target in enumerate(targets):
        if target["kind"] == "private" and endpoints[ids[index]]["code"] != "ok":
            out.append(_endpoint_finding(endpoints[ids[index]], target, user_env, options, "error"))
    out += _tls_expiry_findings(user_env, ids, endpoints, options)
    out += _dns_stall_findings(user_env, ids, endpoints)
    out += _slow_findings(user_env, ids, endpoints, options)
    if download is not None and not download["ok"] and not download.get("skipped"):
        out.append(finding("download_failed", user=user_env["user"], module=options.module, version=options.version,
                           seconds=download.get("seconds"), detail=download.get("error")))
    out += _egress_findings(user_env, ids, endpoints, options)
    out += _private_fetch_findings(user_env, private, options)
    return out


def _egress_findings(user_env, ids, endpoints, options):
    """One finding per user and HTTP proxy that cannot be reached (DNS, TCP or TLS to the proxy itself failed):
    the egress proxy is named, not only the endpoints behind it."""
    out, seen = [], set()
    egress_var = SETTINGS_EGRESS[options.role_vars] % _where("goproxy", user_env, "proxy")
    for endpoint_id in sorted(set(ids.values()), key=lambda i: int(i[1:])):
        endpoint = endpoints[endpoint_id]
        failed = [p for p in endpoint["result"]["phases"] if not p["ok"]]
        if not failed or failed[0].get("role") != "proxy" or failed[0]["phase"] not in ("dns", "tcp", "tls"):
            continue
        proxy = probe_proxyenv.redact_text(endpoint.get("via") or failed[0].get("host") or "?")
        if proxy in seen:
            continue
        seen.add(proxy)
        out.append(finding("egress_proxy_unreachable", user=user_env["user"], key="HTTPS_PROXY", proxy=proxy,
                           detail="%s: %s" % (failed[0]["phase"], failed[0].get("error") or failed[0].get("error_class")),
                           url=endpoint["url"], egress_var=egress_var))
    return out


# Where the egress proxy of a user is set, per role_vars; %s is the file the variables come from.
SETTINGS_EGRESS = {"go_client": "HTTPS_PROXY/NO_PROXY: %s",
                   "athens": "athens_egress_proxy (HTTPS_PROXY: %s)"}


def _private_fetch_findings(user_env, private, options):
    out = []
    failed = [(m, r) for m, r in sorted((private or {}).items()) if not r.get("ok") and not r.get("skipped")]
    netrc_hosts = gitcred.netrc_machines(lookup(user_env["user"]), (user_env.get("os_env") or {}).get("NETRC")) \
        if failed else []
    for module, result in failed:
        out.append(probe_gitfetch.fetch_finding(result.get("error") or "", user_env["user"], module,
                                                role=options.role_vars, netrc_hosts=netrc_hosts,
                                                gonosumdb=user_env["settings"].get("GONOSUMDB", {}).get("value", ""),
                                                sumdb=user_env["settings"].get("GOSUMDB", {}).get("value", "sum.golang.org"),
                                                pattern=module.split("/")[0], evidence="the go command asked it"))
    return out


def _redacted(value):
    """value with every password of a URL's userinfo masked (GOPROXY or proxy URLs may carry tokens)."""
    if isinstance(value, str):
        return probe_proxyenv.redact_text(value)
    if isinstance(value, list):
        return [_redacted(v) for v in value]
    if isinstance(value, dict):
        return dict((k, _redacted(v)) for k, v in value.items())
    return value


def _download_into(results, user_env, options, module=None):
    """One download as the user: the probe module, or a private module (path@version) into results[user][module]."""
    path, version = module.rsplit("@", 1) if module else (options.module, options.version)
    try:
        result = probe_download.download(user_env, path, version, options.download_timeout)
    except Exception as e:  # pylint: disable=broad-except  # a failed download is a finding, never a crash
        result = {"ok": False, "error": "%s: %s" % (type(e).__name__, e)}
    if module:
        results.setdefault(user_env["user"], {})[module] = result
    else:
        results[user_env["user"]] = result


def run(user_names, options, gather):
    """The whole audit of this host. gather(user, env_file, go_binary) -> gather_user_env() dict."""
    start = time.monotonic()
    findings, user_envs = [], []
    overlay = probe_envfiles.read(options.environment_files)
    for name in user_names:
        try:
            user_envs.append(probe_envfiles.overlay(gather(name, options.env_file, options.go_binary), overlay))
        except Exception as e:  # pylint: disable=broad-except  # one unreadable user must not hide the others
            findings.append(finding("user_unreadable", user=name or "(module user)", detail="%s: %s" % (type(e).__name__, e)))
    probes = _Probes(options)
    plans = [_Plan(user_env, options, probes) for user_env in user_envs]
    download_results = {}
    downloads = []
    private_results = {}
    if options.download:
        # the downloads run while the probes do (they take seconds); joined after the probes
        downloads = [threading.Thread(target=_download_into, args=(download_results, user_env, options))
                     for user_env in user_envs]
    # each private module as each user, as the user's own go and git reach it (credentials, insteadOf, proxy)
    downloads += [threading.Thread(target=_download_into, args=(private_results, user_env, options, module))
                  for user_env in user_envs for module in options.private_modules]
    for thread in downloads:
        thread.daemon = True
        thread.start()
    probes.run_pending()
    # Second round, only when a walk reaches a lazy target (direct, or the database itself).
    reached = [plan.add_reached(probes) for plan in plans]  # every plan, no short-circuit
    if any(reached):
        probes.run_pending()
    for thread in downloads:
        thread.join()
    endpoints = _endpoints(probes)
    users_out = []
    for plan in plans:
        walk, sumdb_walk = plan.walks(probes)
        download = download_results.get(plan.user_env["user"])
        findings += _user_findings(plan, walk, sumdb_walk, endpoints, download, options,
                                   private_results.get(plan.user_env["user"]))
        users_out.append(_user_view(plan.user_env, plan.entries, walk, sumdb_walk, plan.ids, download))
        users_out[-1]["private_fetch"] = private_results.get(plan.user_env["user"], {})
    findings = _merge(findings)
    for endpoint in endpoints.values():
        severities = [f["severity"] for f in findings if f.get("endpoint") == endpoint["id"]]
        # a failing endpoint whose fault is reported on its twin (same proxy) still must not look green
        endpoint["severity"] = worst(severities) or ("ok" if endpoint["code"] == "ok" else "info")
        endpoint["phases"] = _compact_phases(endpoint.pop("result")["phases"])
    return _redacted({
        "version": RESULT_VERSION,
        "probe": {"module": options.module, "version": options.version, "timeout": options.timeout,
                  "download": options.download},
        "users": users_out,
        "endpoints": [endpoints[k] for k in sorted(endpoints, key=lambda i: int(i[1:]))],
        "findings": findings,
        "summary": _summary(findings, endpoints, users_out, start),
    })
