"""_report.markdown: the fleet report as Markdown."""

from ansible_collections.gomod.proxy.plugins.module_utils._report import markdown as report_markdown


def test_markdown_lists_matrix_and_fixes(report):
    text = report_markdown.render(report)
    assert "| b02 | ERROR | WARN env_override | ERROR tcp_timeout | - |" in text
    assert "Gate: **FAIL**" in text and "  Fix: fix tcp_timeout" in text
