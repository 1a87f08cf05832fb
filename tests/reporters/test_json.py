"""JSON report: the same document as report_dict, an indented envelope and one finding per line."""

from __future__ import annotations

import json

from portaldoctor.report import Report
from portaldoctor.reporters import json_report


def test_text_is_the_report_dict(report: Report) -> None:
    text = json_report.render(report)
    assert json.loads(text) == json_report.report_dict(report)
    assert text.endswith("  ]\n}\n")


def test_one_finding_per_line(report: Report) -> None:
    lines = json_report.render(report).splitlines()
    start = lines.index('  "findings": [')
    rows = lines[start + 1 : lines.index("  ]", start)]
    assert len(rows) == len(report.items) > 1
    for row, item in zip(rows, report.items, strict=True):
        assert json.loads(row.strip().rstrip(",")) == json_report.item_dict(item)
    assert lines[1].startswith('  "report_version"')  # the envelope stays indented


def test_no_findings(report: Report) -> None:
    from dataclasses import replace

    empty = replace(report, items=())
    assert json.loads(json_report.render(empty))["findings"] == []


def test_pieces_join_to_the_document_whatever_the_batch(report: Report) -> None:
    text = json_report.render(report)
    for batch in (1, 2, len(report.items) + 5):
        assert "".join(json_report.pieces(report, batch=batch)) == text
