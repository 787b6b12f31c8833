# Copyright (c) 2026 gomod.proxy contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Private to the gomod.proxy collection: no compatibility promise outside it.
"""audit_report's whole job, on the controller: build the report, write its files when it changed, and say so.

The action plugin ``audit_report`` calls ``write_report`` in the controller's own process (no module is sent
anywhere: the report is the controller's output); the module of the same name, which documents the options,
calls it too.
"""

from __future__ import annotations

import json
import os
import tempfile

from ansible_collections.gomod.proxy.plugins.module_utils._report import html as report_html
from ansible_collections.gomod.proxy.plugins.module_utils._report import markdown as report_markdown
from ansible_collections.gomod.proxy.plugins.module_utils._report import model as report_model

EXTENSIONS = {"json": "json", "markdown": "md", "html": "html"}
FORMATS = ("json", "markdown", "html")

# The options of audit_report, as AnsibleModule and ActionBase.validate_argument_spec take them.
ARGUMENT_SPEC = dict(
    results=dict(type="dict"),
    results_var=dict(type="str"),
    dest=dict(type="path", required=True),
    basename=dict(type="str", default="goproxy-audit"),
    formats=dict(type="list", elements="str", choices=list(FORMATS), default=list(FORMATS)),
    fail_on=dict(type="str", choices=list(report_model.GATE_LEVELS), default="error"),
    title=dict(type="str", default="Go module download audit"),
    deprecated_variables=dict(type="dict", default={}),
)
# How results and results_var combine, for AnsibleModule and ActionBase.validate_argument_spec alike.
ARGUMENT_RULES = dict(mutually_exclusive=[("results", "results_var")], required_one_of=[("results", "results_var")])


def same_report(path, report):
    """True when the JSON at path holds this report apart from its generation time."""
    try:
        with open(path, encoding="utf-8") as f:
            old = json.load(f)
    except (EnvironmentError, ValueError):
        return False
    old.pop("generated", None)
    new = dict(report)
    new.pop("generated", None)
    return old == json.loads(json.dumps(new))


def _write(path, text):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".audit-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_report(params, check_mode=False):
    """audit_report's result for its validated ``params`` (see ARGUMENT_SPEC): ``changed``, ``files``,
    ``summary``, ``gate``, ``summary_lines``. Files are written (atomically) only when the report changed
    apart from its generation time, and never in check mode."""
    report = report_model.build(params["results"], fail_on=params["fail_on"], title=params["title"])
    dest, basename = params["dest"], params["basename"]
    files = dict((fmt, os.path.join(dest, "%s.%s" % (basename, EXTENSIONS[fmt]))) for fmt in params["formats"])
    changed = not (all(os.path.exists(path) for path in files.values())
                   and same_report(os.path.join(dest, basename + ".json"), report))
    if changed and not check_mode:
        if not os.path.isdir(dest):
            os.makedirs(dest)
        renderers = {"json": lambda r: json.dumps(r, indent=1, sort_keys=True) + "\n",
                     "markdown": report_markdown.render, "html": report_html.render}
        for fmt, path in files.items():
            _write(path, renderers[fmt](report))
    return {"changed": changed, "files": files, "summary": report["summary"], "gate": report["gate"],
            "summary_lines": report_model.summary_lines(report)}


def registered_results(hosts, vars_of, name):
    """{host: the variable ``name`` in the variables ``vars_of(host)`` returns, None where it is not set}: the
    results of ``results_var``, for the hosts of the play."""
    results = {}
    for host in hosts:
        host_vars = vars_of(host)
        results[host] = host_vars.get(name) if isinstance(host_vars, dict) else None
    return results


def deprecation_messages(deprecated_variables):
    """One message per deprecated variable still in use, with its replacement, sorted."""
    return ["The variable %s is deprecated; set %s instead." % (old, new) for old, new in sorted(deprecated_variables.items())]
