"""JSON report: the same document as report_dict, an indented envelope and one finding per line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portaldoctor.check import Status, Subject
from portaldoctor.errors import SourceLocation
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


def _items_lines(report: Report) -> tuple[list[str], list[str]]:
    line = json_report._Lines()
    fast = [line(i) for i in report.items]
    assert line.frames  # some lines did come from parts
    return fast, [json_report._ENCODE(json_report.item_dict(i)) for i in report.items]


def test_lines_from_encoded_parts_are_the_plain_encoding(report: Report, demo_report: Report) -> None:
    for each in (report, demo_report):
        fast, plain = _items_lines(each)
        assert fast == plain


def test_lines_of_a_large_audit_with_many_skips(tmp_path: Path) -> None:
    from benchmarks.generate import generate
    from tests.factories import offline_audit

    audit = offline_audit(str(generate(tmp_path, 900)), list_all=True)
    fast, plain = _items_lines(audit)
    assert fast == plain
    statuses = {i.finding.status for i in audit.items}
    assert {Status.SKIP, Status.FAIL, Status.PASS} <= statuses
    blocked = [i for i in audit.items if i.finding.blocked_by]
    assert len(blocked) > 50 and len({id(i.finding.subject) for i in blocked}) < len(blocked)


@pytest.mark.parametrize(
    "subject",
    [
        Subject("contact", "P1", "ana@example.com", "C1", "P1"),
        Subject("org", "Northwind", "Northwind"),
        Subject("contact", 'P"2\\', "Zoë \u2028 \x01 \ud83d\ude00 «»", "C\n1", None),
        Subject("record", 7, "seven", None, None),  # type: ignore[arg-type]  # not text: the plain encoder's way
    ],
)
def test_subject_json_is_the_plain_encoding(subject: Subject) -> None:
    assert json_report._subject_json(subject) == json_report._ENCODE(json_report._subject_dict(subject))


@pytest.mark.parametrize(
    "location",
    [None, SourceLocation("contacts.csv", 12), SourceLocation('C:\\t "x".yaml'), SourceLocation("é.csv", True)],
)
def test_location_json_is_the_plain_encoding(location: SourceLocation | None) -> None:
    assert json_report._location_json(location) == json_report._ENCODE(json_report._location_dict(location))
