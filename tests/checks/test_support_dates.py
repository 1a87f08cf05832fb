"""support-dates: contact's support dates cover today."""

from __future__ import annotations

import pytest
from portaldoctor.checks.support_dates import SupportDates

from tests import factories as f
from tests.checks.helpers import Case, problems, remedy_text

CHECK = "support-dates"

CASES = [
    Case(
        "covering today", "contacts: [{id: p1, customer: c1, support_start: 2026-01-01, support_end: 2027-12-31}]", []
    ),
    Case("none, where they are optional", "contacts: [{id: p1, customer: c1}]", []),
    Case(
        "none, where they are required",
        "platform: vtiger\ncontacts: [{id: p1, customer: c1}]",
        ["support-dates-missing"],
    ),
    Case(
        "end before start",
        "contacts: [{id: p1, customer: c1, support_start: 2026-12-31, support_end: 2026-01-01}]",
        ["support-dates-inverted"],
    ),
    Case(
        "starting next month",
        "contacts: [{id: p1, customer: c1, support_start: 2026-12-01, support_end: 2027-12-31}]",
        ["support-not-started"],
    ),
    Case(
        "ended last month",
        "contacts: [{id: p1, customer: c1, support_start: 2025-01-01, support_end: 2026-10-31}]",
        ["support-ended"],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_table(case: Case) -> None:
    assert case.codes(CHECK) == case.expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-01-01", "2026-12-31", []),
        ("2026-01-01", "2026-11-22", []),  # ending today is still fine
        (None, "2026-12-31", ["support-dates-missing"]),
        ("2026-12-31", "2026-01-01", ["support-dates-inverted"]),
        ("2026-12-01", "2027-12-31", ["support-not-started"]),
        ("2025-01-01", "2026-10-31", ["support-ended"]),
    ],
)
def test_support_dates(start: str | None, end: str | None, expected: list[str]) -> None:
    t = f.tenant(contacts=[f.contact(support_start=start, support_end=end)])
    assert f.codes(f.run(SupportDates(), t, rules={"support_dates": True})) == expected


def test_support_ended_remedy_names_dates_and_vtiger_path() -> None:
    t = f.tenant(contacts=[f.contact(name="Mona", support_start="2025-01-01", support_end="2026-10-31")])
    [finding] = problems(f.run(SupportDates(), t, rules={"support_dates": True}))
    text = remedy_text(finding, "vtiger")
    assert "Mona's support ended on 2026-10-31" in text and "Essentials > Contacts" in text
