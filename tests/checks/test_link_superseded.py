"""link-superseded: the link has not been replaced by a newer invitation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from portaldoctor.checks.link_superseded import LinkSuperseded

from portaldoctor.check import Status
from tests import factories as f
from tests.checks.helpers import Case, link
from tests.checks.helpers import run_links as _run

CHECK = "link-superseded"
NOW = f.NOW  # 2026-11-22 12:00 UTC

TWO_INVITATIONS = """
links:
  - {id: I1, customer: c1, contact: p1, kind: invitation, sent_at: 2026-11-10T09:00:00Z}
  - {id: I2, customer: c1, contact: p1, kind: invitation, sent_at: 2026-11-18T09:00:00Z}
"""

CASES = [
    Case("the only invitation", "links: [{id: I1, customer: c1, kind: invitation, sent_at: 2026-11-18T09:00:00Z}]", []),
    Case(
        "superseded_by a newer one",
        """
        links:
          - {id: I1, customer: c1, kind: invitation, sent_at: 2026-11-10T09:00:00Z, superseded_by: I2}
          - {id: I2, customer: c1, kind: invitation, sent_at: 2026-11-18T09:00:00Z}
        """,
        ["link-superseded"],
    ),
    Case("a later invitation to the same contact", TWO_INVITATIONS, ["link-superseded"]),
    Case("before the later one was sent", TWO_INVITATIONS, [], args="--now 2026-11-15T00:00Z"),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_table(case: Case) -> None:
    assert case.codes(CHECK) == case.expected


SUPERSEDED = [
    link("I1", kind="invitation", sent_at="2026-11-10T09:00:00Z", superseded_by="I2"),
    link("I2", kind="invitation", sent_at="2026-11-18T09:00:00Z"),
]


@pytest.mark.parametrize(
    ("links", "now", "expected"),
    [
        (SUPERSEDED, NOW, ["link-superseded"]),
        # replaying a moment before the newer invitation was sent
        (SUPERSEDED, dt.datetime(2026, 11, 15, tzinfo=dt.UTC), []),
        # inferred: a later invitation to the same contact, no superseded_by
        ([{**SUPERSEDED[0], "superseded_by": None}, SUPERSEDED[1]], NOW, ["link-superseded"]),
        # portal links (reminders) are not retired by newer ones
        ([link("L1", sent_at="2026-11-10T09:00:00Z"), link("L2", sent_at="2026-11-18T09:00:00Z")], NOW, []),
        ([SUPERSEDED[1]], NOW, []),
    ],
)
def test_link_superseded(links: list[dict[str, Any]], now: dt.datetime, expected: list[str]) -> None:
    assert f.codes(_run(LinkSuperseded(), links, now=now)) == expected


def test_superseded_names_the_newer_invitation() -> None:
    [finding] = [x for x in _run(LinkSuperseded(), SUPERSEDED) if x.status is Status.FAIL]
    assert finding.subject.id == "I1"
    assert finding.evidence["newer_link_id"] == "I2"
    assert finding.evidence["newer_sent_at"] == "2026-11-18 09:00 UTC"
