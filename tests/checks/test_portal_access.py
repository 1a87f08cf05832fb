"""customer-portal-enabled, contact-email-valid, duplicate-portal-email, https-links-enabled."""

from __future__ import annotations

import pytest
from portaldoctor.checks.contact_email import ContactEmailValid
from portaldoctor.checks.duplicate_email import DuplicatePortalEmail
from portaldoctor.checks.https_links import HttpsLinksEnabled
from portaldoctor.checks.portal_access import CustomerPortalEnabled

from portaldoctor.check import Status
from tests import factories as f


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"portal_enabled": True}, []),
        ({"portal_enabled": False}, ["customer-portal-disabled"]),
    ],
)
def test_customer_portal_enabled(fields: dict[str, object], expected: list[str]) -> None:
    t = f.tenant(customers=[f.customer(**fields)])
    assert f.codes(f.run(CustomerPortalEnabled(), t)) == expected


def test_customer_portal_unknown_is_skip_not_pass() -> None:
    t = f.tenant(customers=[f.customer(portal_enabled=None)])
    [finding] = f.run(CustomerPortalEnabled(), t)
    assert finding.status is Status.SKIP
    assert "does not say" in (finding.reason or "")


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("ap@acme.example.com", []),
        (None, ["contact-email-missing"]),
        ("ap@@acme.example.com", ["contact-email-invalid"]),
        ("ap acme.example.com", ["contact-email-invalid"]),
    ],
)
def test_contact_email_valid(email: str | None, expected: list[str]) -> None:
    t = f.tenant(contacts=[f.contact(email=email)])
    assert f.codes(f.run([CustomerPortalEnabled(), ContactEmailValid()], t)) == expected


def test_contact_email_evidence_names_the_problem() -> None:
    t = f.tenant(contacts=[f.contact(email="x@@y.com", name="Dana")])
    [finding] = [x for x in f.run(ContactEmailValid(), t) if x.status is Status.FAIL]
    assert finding.evidence["contact_name"] == "Dana"
    assert "@" in finding.evidence["problem"]


def test_contact_email_blocked_by_disabled_portal() -> None:
    t = f.tenant(customers=[f.customer(portal_enabled=False)], contacts=[f.contact(email="bad@@x")])
    findings = f.run([CustomerPortalEnabled(), ContactEmailValid()], t)
    [skipped] = [x for x in findings if x.check_id == "contact-email-valid"]
    assert skipped.status is Status.SKIP
    assert skipped.blocked_by == "customer-portal-enabled:customer-portal-disabled"


def _dupes(picker: bool | None = None, second_email: str = "AP@x.com") -> list[str]:
    t = f.tenant(
        organisation={"portal": {"account_picker": picker}},
        customers=[f.customer("c1"), f.customer("c2")],
        contacts=[
            f.contact("p1", "c1", email="ap@x.com"),
            f.contact("p2", "c2", email=second_email),
        ],
    )
    return f.codes(f.run(DuplicatePortalEmail(), t))


def test_duplicate_email_case_insensitive() -> None:
    assert _dupes() == ["duplicate-portal-email", "duplicate-portal-email"]


def test_duplicate_email_distinct_passes() -> None:
    assert _dupes(second_email="other@x.com") == []


def test_duplicate_email_allowed_with_account_picker() -> None:
    assert _dupes(picker=True) == ["duplicate-portal-email-allowed"] * 2


def test_duplicate_email_ignores_same_customer_and_disabled_contacts() -> None:
    t = f.tenant(
        customers=[f.customer("c1"), f.customer("c2")],
        contacts=[
            f.contact("p1", "c1", email="ap@x.com"),
            f.contact("p2", "c1", email="ap@x.com"),
            f.contact("p3", "c2", email="ap@x.com", portal_user=False),
        ],
    )
    assert f.codes(f.run(DuplicatePortalEmail(), t)) == []


@pytest.mark.parametrize(
    ("deliverability", "expected"),
    [
        ({"https_links": True}, []),
        ({"https_links": False, "dns_verified": True}, ["https-links-off"]),
        ({"https_links": False}, ["https-links-off"]),
        ({"https_links": False, "dns_verified": False}, ["https-links-blocked-by-dns"]),
    ],
)
def test_https_links(deliverability: dict[str, object], expected: list[str]) -> None:
    t = f.tenant(organisation={"deliverability": deliverability})
    assert f.codes(f.run(HttpsLinksEnabled(), t)) == expected
