"""mobile-not-sender: client mobile is not the sender's (deal owner's) mobile."""

from __future__ import annotations

import pytest
from portaldoctor.checks.mobile_not_sender import MobileNotSender

from tests import factories as f
from tests.checks.helpers import Case, problems, remedy_text

CHECK = "mobile-not-sender"

CASES = [
    Case(
        "the client's own mobile",
        """
        organisation: {region: GB}
        users: [{id: u1, name: Priya, mobile: "+44 7911 123456"}]
        contacts: [{id: p1, customer: c1, deal_owner: u1, mobile: "07911 123999"}]
        """,
        [],
    ),
    Case(
        "the deal owner's mobile, written nationally",
        """
        organisation: {region: GB}
        users: [{id: u1, name: Priya, mobile: "+44 7911 123456"}]
        contacts: [{id: p1, customer: c1, deal_owner: u1, mobile: "07911 123456"}]
        """,
        ["contact-mobile-is-sender"],
    ),
    Case(
        "no deal owner: any staff user's mobile",
        """
        organisation: {region: GB}
        users: [{id: u1, mobile: "+44 7911 123999"}, {id: u2, mobile: "+44 7911 123456"}]
        contacts: [{id: p1, customer: c1, mobile: "+44 7911 123456"}]
        """,
        ["contact-mobile-is-sender"],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_table(case: Case) -> None:
    assert case.codes(CHECK) == case.expected


@pytest.mark.parametrize(
    ("mobile", "expected"), [("+44 7911 123999", []), ("07911 123456", ["contact-mobile-is-sender"])]
)
def test_mobile_same_as_sender_after_normalisation(mobile: str, expected: list[str]) -> None:
    t = f.tenant(
        organisation={"region": "GB"},
        users=[{"id": "u1", "name": "Priya", "mobile": "+44 (0)7911-123456".replace("(0)", "")}],
        contacts=[f.contact(mobile=mobile, deal_owner="u1", name="Dana")],
    )
    findings = f.run(MobileNotSender(), t)
    assert f.codes(findings) == expected
    if expected:
        assert "Dana's mobile is Priya's own number" in remedy_text(problems(findings)[0])
