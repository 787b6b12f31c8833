"""_report.html: the fleet report as one self-contained HTML page, rendered by a real headless Chromium: the
DOM's matrix must match the JSON report cell by cell, and the page sorts in the browser."""

import html.parser
import json
import shutil
import subprocess

import pytest

from ansible_collections.gomod.proxy.plugins.module_utils._report import html as report_html


class _Cells(html.parser.HTMLParser):
    """Matrix cells and finding rows of a DOM dump."""

    def __init__(self):
        html.parser.HTMLParser.__init__(self)
        self.cells, self.finding_codes, self.scripts_src, self.links = [], [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "td" and "data-endpoint" in a:
            self.cells.append((a["data-host"], a["data-endpoint"], a["data-code"], a["data-severity"]))
        if tag == "tr" and "data-code" in a:
            self.finding_codes.append(a["data-code"])
        if tag == "script" and a.get("src"):
            self.scripts_src.append(a["src"])
        if tag in ("link", "img") and (a.get("href") or a.get("src")):
            self.links.append(a.get("href") or a.get("src"))


def _chromium():
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if not binary:
        pytest.skip("chromium not installed (tools/setup-host.sh installs it)")
    return binary


def _dump_dom(binary, page, tmp_path, fragment=""):
    out = subprocess.run([binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                          "--disable-component-update", "--disable-sync", "--no-first-run",
                          "--user-data-dir=%s" % (tmp_path / "profile"), "--dump-dom", "file://%s%s" % (page, fragment)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120, check=True)
    parser = _Cells()
    parser.feed(out.stdout.decode("utf-8"))
    return parser


def test_html_rendered_by_chromium_matches_json(tmp_path, report):
    binary = _chromium()
    report = json.loads(json.dumps(report))  # exactly what the JSON file holds
    page = tmp_path / "report.html"
    page.write_text(report_html.render(report))
    dom = _dump_dom(binary, page, tmp_path)
    assert dom.scripts_src == [] and dom.links == []  # self-contained
    rendered = dict(((h, e), (c, s)) for h, e, c, s in dom.cells)
    assert len(rendered) == len(report["hosts"]) * len(report["columns"])
    for host in report["hosts"]:
        for column in report["columns"]:
            cell = report["matrix"][host["name"]].get(column)
            want = (cell["code"], cell["severity"]) if cell else ("", "none")
            assert rendered[(host["name"], column)] == want
    assert "cause of tcp_timeout &lt;b&gt;" in page.read_text()  # finding text is escaped


def test_html_sorts_in_the_browser(tmp_path, report):
    binary = _chromium()
    page = tmp_path / "report.html"
    page.write_text(report_html.render(report))
    # severity column ascending: info first, critical last
    dom = _dump_dom(binary, page, tmp_path, "#sort=findings:0")
    assert dom.finding_codes[0] == "http_404" and dom.finding_codes[-1] == "host_unreachable"
    dom = _dump_dom(binary, page, tmp_path, "#sort=findings:0:desc")
    assert dom.finding_codes[0] == "host_unreachable"
