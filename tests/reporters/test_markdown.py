"""Markdown for tickets: summary table, groups by customer and contact, remedies, evidence, escaping."""

from __future__ import annotations

from portaldoctor.report import Report
from portaldoctor.reporters import markdown
from tests.reporters.conftest import ROOT, check_golden


def test_golden(report: Report) -> None:
    check_golden("sample.md", markdown.render(report, root=ROOT))


def test_summary_groups_and_order(report: Report) -> None:
    text = markdown.render(report, root=ROOT)
    assert "**3 failed, 1 warning, 1 could not check, 1 skipped, 11 passed, 1 suppressed**" in text
    assert "| 3 | 1 | 1 | 1 | 11 | 1 |" in text
    org, bluebird, acme = (
        text.index("## Organisation"),
        text.index("## Customer Bluebird"),
        text.index("## Customer C-1"),
    )
    assert org < bluebird < acme
    assert text.index("### Contact ben@bluebird.example") > bluebird
    assert "Portal access is switched off for Bluebird Logistics **(root cause)**" in text
    assert "    1. First step for customer-portal-disabled." in text
    assert "  - Location: `tenant.yaml:39`" in text
    assert "## Suppressed" in text and "SMS is not used for the portal here" in text


def test_escapes_markdown_in_titles(report: Report) -> None:
    text = markdown.render(report, root=ROOT)
    assert r"HTTPS links wait for DNS \| \<verification>" in text
    assert markdown.code("a`b") == "`` a`b ``"
