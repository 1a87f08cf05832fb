"""contact-email-valid: portal contact has a valid email address."""

from __future__ import annotations

import pytest
from portaldoctor.checks.contact_email_valid import ContactEmailValid
from portaldoctor.checks.customer_portal_enabled import CustomerPortalEnabled

from portaldoctor.check import Status
from tests import factories as f
from tests.checks.helpers import Case, problems, remedy_text

CHECK = "contact-email-valid"

CASES = [
    Case("valid", "contacts: [{id: p1, customer: c1, email: ap@acme.example}]", []),
    Case("missing", "contacts: [{id: p1, customer: c1}]", ["contact-email-missing"]),
    Case("two @", 'contacts: [{id: p1, customer: c1, email: "ap@@acme.example"}]', ["contact-email-invalid"]),
    Case(
        "a character the product rejects",
        """
        platform: upflow
        contacts: [{id: p1, customer: c1, email: "ap&co@acme.example"}]
        """,
        ["contact-email-chars-rejected"],
    ),
    Case(
        "the same character where the product accepts it",
        'contacts: [{id: p1, customer: c1, email: "ap&co@acme.example"}]',
        [],
    ),
    Case("contact off the portal", 'contacts: [{id: p1, customer: c1, portal_user: false, email: "x@@y"}]', []),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_table(case: Case) -> None:
    assert case.codes(CHECK) == case.expected


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


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("ap.team+inv@acme.example", []),
        ("o'neil@acme.example", []),
        ("ap&co@acme.example", ["contact-email-chars-rejected"]),
    ],
)
def test_email_characters_the_product_rejects(email: str, expected: list[str]) -> None:
    rules = {
        "email_local_part_allowed": "A-Za-z0-9+_'.-",
        "email_local_part_allowed_text": "letters, digits and + _ ' . -",
    }
    findings = f.run(ContactEmailValid(), f.tenant(contacts=[f.contact(email=email)]), rules=rules)
    assert f.codes(findings) == expected
    if expected:
        assert "rejects the character(s) &" in remedy_text(problems(findings)[0], "upflow")
