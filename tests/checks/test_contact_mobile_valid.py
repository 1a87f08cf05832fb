"""contact-mobile-valid: portal contact has a valid mobile number."""

from __future__ import annotations

import pytest
from portaldoctor.checks.contact_mobile_valid import ContactMobileValid

from portaldoctor.check import Status
from tests import factories as f
from tests.checks.helpers import SMS, Case, problems, remedy_text

CHECK = "contact-mobile-valid"

CASES = [
    Case(
        "a UK mobile, PIN by SMS",
        """
        platform: salestrekker
        organisation: {region: GB}
        contacts: [{id: p1, customer: c1, mobile: "07911 123456"}]
        """,
        [],
    ),
    Case(
        "no mobile, PIN by SMS",
        """
        platform: salestrekker
        contacts: [{id: p1, customer: c1}]
        """,
        ["contact-mobile-missing"],
    ),
    Case("no mobile, no SMS PIN", "contacts: [{id: p1, customer: c1}]", []),
    Case(
        "too short",
        """
        organisation: {region: GB}
        contacts: [{id: p1, customer: c1, mobile: "07911 12"}]
        """,
        ["contact-mobile-invalid"],
    ),
    Case(
        "a landline, PIN by SMS",
        """
        platform: salestrekker
        organisation: {region: GB}
        contacts: [{id: p1, customer: c1, mobile: "020 7946 0000"}]
        """,
        ["contact-mobile-not-mobile"],
    ),
    Case(
        "a US number, fixed line or mobile",
        """
        platform: salestrekker
        organisation: {region: US}
        contacts: [{id: p1, customer: c1, mobile: "+1 201 555 0123"}]
        """,
        ["contact-mobile-type-unknown"],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_table(case: Case) -> None:
    assert case.codes(CHECK) == case.expected


@pytest.mark.parametrize(
    ("mobile", "region", "expected"),
    [
        ("+44 7911 123456", "GB", []),
        ("07911 123456", "GB", []),
        (None, "GB", ["contact-mobile-missing"]),
        ("07911 12", "GB", ["contact-mobile-invalid"]),
        ("020 7946 0000", "GB", ["contact-mobile-not-mobile"]),
        ("0412 345 678", "AU", []),
        ("02 9374 4000", "AU", ["contact-mobile-not-mobile"]),
        ("+1 201 555 0123", "US", ["contact-mobile-type-unknown"]),
    ],
)
def test_contact_mobile(mobile: str | None, region: str, expected: list[str]) -> None:
    t = f.tenant(organisation={"region": region}, contacts=[f.contact(mobile=mobile)])
    assert f.codes(f.run(ContactMobileValid(), t, rules=SMS)) == expected


def test_mobile_type_unknown_is_a_warning_and_customer_region_wins() -> None:
    t = f.tenant(organisation={"region": "US"}, contacts=[f.contact(mobile="+1 201 555 0123")])
    [finding] = problems(f.run(ContactMobileValid(), t, rules=SMS))
    assert finding.status is Status.WARN
    t = f.tenant(
        organisation={"region": "US"}, customers=[f.customer(region="GB")], contacts=[f.contact(mobile="07911 123456")]
    )
    assert f.codes(f.run(ContactMobileValid(), t, rules=SMS)) == []


def test_missing_mobile_only_fails_where_the_pin_goes_by_sms() -> None:
    t = f.tenant(contacts=[f.contact(mobile=None)])
    assert f.codes(f.run(ContactMobileValid(), t)) == []
    [finding] = problems(f.run(ContactMobileValid(), t, rules=SMS))
    assert "blank, without the client's name" in remedy_text(finding, "salestrekker")


def test_invalid_mobile_names_number_and_region() -> None:
    t = f.tenant(organisation={"region": "AU"}, contacts=[f.contact(mobile="0412 34", name="Aria")])
    [finding] = problems(f.run(ContactMobileValid(), t, rules=SMS))
    text = remedy_text(finding, "salestrekker")
    assert 'Aria\'s mobile "0412 34" is not a valid number' in text and "region AU" in text
    assert "Deal View" in text
