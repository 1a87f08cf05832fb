"""portal-contact-details: portal shows a valid contact email and phone number."""

from __future__ import annotations

from typing import Any

import pytest
from portaldoctor.checks.portal_contact_details import PortalContactDetails

from tests import factories as f
from tests.checks.helpers import Case

CHECK = "portal-contact-details"

CASES = [
    Case(
        "email and phone",
        'organisation: {region: GB, portal: {contact_email: ar@acme.example, contact_phone: "+44 20 7946 0000"}}',
        [],
    ),
    Case("none, where the portal shows them", "platform: upflow", ["portal-contact-missing"]),
    Case("none, where the portal does not show them", "organisation: {}", []),
    Case("email without a domain", 'organisation: {portal: {contact_email: "ar@"}}', ["portal-contact-email-invalid"]),
    Case(
        "phone too short",
        'organisation: {region: GB, portal: {contact_phone: "020 7946"}}',
        ["portal-contact-phone-invalid"],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_table(case: Case) -> None:
    assert case.codes(CHECK) == case.expected


@pytest.mark.parametrize(
    ("portal", "rules", "expected"),
    [
        ({"contact_email": "ar@acme.example", "contact_phone": "+44 20 7946 0000"}, {}, []),
        ({}, {"portal_contact_details": True}, ["portal-contact-missing"]),
        ({}, {}, []),
        ({"contact_email": "ar@"}, {}, ["portal-contact-email-invalid"]),
        ({"contact_phone": "12"}, {}, ["portal-contact-phone-invalid"]),
    ],
)
def test_portal_contact_details(portal: dict[str, Any], rules: dict[str, Any], expected: list[str]) -> None:
    t = f.tenant(organisation={"region": "GB", "portal": portal})
    assert f.codes(f.run(PortalContactDetails(), t, rules=rules)) == expected
