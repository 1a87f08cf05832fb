"""link-validity-change: links issued before a link-validity change are still governed by the old value."""

from __future__ import annotations

import pytest
from portaldoctor.checks.link_validity_change import LinkValidityChange

from tests import factories as f
from tests.checks.helpers import Case, problems, remedy_text

CHECK = "link-validity-change"

RAISED = """
organisation:
  portal: {link_validity_days: 30, previous_link_validity_days: 10, link_validity_changed_at: 2026-11-10T09:00:00Z}
links: [{id: l1, customer: c1, issued_at: 2026-11-05T09:00:00Z}]
"""

CASES = [
    Case("never changed", "organisation: {portal: {link_validity_days: 25}}", []),
    Case("raised, a link expired under the old value", RAISED, ["link-validity-change-not-retroactive"]),
    Case("raised, at a moment the link was still open", RAISED, [], args="--now 2026-11-12T00:00Z"),
    Case(
        "lowered",
        """
        organisation:
          portal: {link_validity_days: 5, previous_link_validity_days: 10, link_validity_changed_at: 2026-11-10T09:00:00Z}
        links: [{id: l1, customer: c1, issued_at: 2026-11-05T09:00:00Z}]
        """,
        [],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_table(case: Case) -> None:
    assert case.codes(CHECK) == case.expected


def test_link_validity_change_counts_links_still_on_the_old_clock() -> None:
    org = {
        "portal": {
            "link_validity_days": 30,
            "previous_link_validity_days": 10,
            "link_validity_changed_at": "2026-11-10T09:00:00Z",
        }
    }
    links = [
        {"id": "old-dead", "customer": "c1", "issued_at": "2026-11-05T09:00:00Z"},  # 10 d -> died 11-15; 30 d -> alive
        {"id": "old-very", "customer": "c1", "issued_at": "2026-09-01T09:00:00Z"},  # dead under both
        {"id": "new", "customer": "c1", "issued_at": "2026-11-11T09:00:00Z"},  # after the change
    ]
    [finding] = problems(f.run(LinkValidityChange(), f.tenant(organisation=org, links=links)))
    assert finding.code == "link-validity-change-not-retroactive"
    assert finding.evidence["affected"] == 1
    assert "went from 10 to 30 days on 2026-11-10 09:00 UTC" in remedy_text(finding)
    assert (
        problems(
            f.run(LinkValidityChange(), f.tenant(organisation={"portal": {"link_validity_days": 30}}, links=links))
        )
        == []
    )
