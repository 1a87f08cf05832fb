"""link-issued-before-portal-disabled: the link was not sent before the customer's portal was switched off."""

from __future__ import annotations

from typing import Any

import pytest
from portaldoctor.checks.link_issued_before_portal_disabled import LinkIssuedBeforePortalDisabled

from tests import factories as f
from tests.checks.helpers import Case, link
from tests.checks.helpers import run_links as _run

CHECK = "link-issued-before-portal-disabled"

CASES = [
    Case(
        "portal on",
        """
        customers: [{id: c1, name: Acme, portal_enabled: true}]
        links: [{id: L1, customer: c1, issued_at: 2026-10-28T09:00:00Z}]
        """,
        [],
    ),
    Case(
        "sent, then the portal switched off",
        """
        customers: [{id: c1, name: Acme, portal_enabled: false, portal_disabled_at: 2026-11-02T10:00:00Z}]
        links: [{id: L1, customer: c1, issued_at: 2026-10-28T09:00:00Z}]
        """,
        ["link-issued-before-portal-disabled"],
    ),
    Case(
        "sent after the portal was switched off",
        """
        customers: [{id: c1, name: Acme, portal_enabled: false, portal_disabled_at: 2026-11-02T10:00:00Z}]
        links: [{id: L1, customer: c1, issued_at: 2026-11-03T09:00:00Z}]
        """,
        [],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_table(case: Case) -> None:
    assert case.codes(CHECK) == case.expected


@pytest.mark.parametrize(
    ("customer", "issued", "expected"),
    [
        (
            {"portal_enabled": False, "portal_disabled_at": "2026-11-02T10:15:00Z"},
            "2026-10-28T09:00:00Z",
            ["link-issued-before-portal-disabled"],
        ),
        ({"portal_enabled": False, "portal_disabled_at": "2026-11-02T10:15:00Z"}, "2026-11-03T09:00:00Z", []),
        ({"portal_enabled": True}, "2026-10-28T09:00:00Z", []),
        ({"portal_enabled": False}, "2026-10-28T09:00:00Z", []),
    ],
)
def test_link_issued_before_portal_disabled(customer: dict[str, Any], issued: str, expected: list[str]) -> None:
    findings = _run(LinkIssuedBeforePortalDisabled(), [link(issued_at=issued)], customers=[f.customer(**customer)])
    assert f.codes(findings) == expected
