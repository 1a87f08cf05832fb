"""access-requests: customers who request portal access can be found."""

from __future__ import annotations

import pytest
from portaldoctor.checks.access_requests import AccessRequests

from tests import factories as f
from tests.checks.helpers import Case, remedy_text

CHECK = "access-requests"

CASES = [
    Case(
        "request from a known customer's contact",
        """
        contacts: [{id: p1, customer: c1, email: ap@acme.example}]
        access_requests: [{email: ap@acme.example}]
        """,
        [],
    ),
    Case(
        "inactive customer, but every customer is imported",
        """
        organisation: {accounting: {import_inactive_customers: true}}
        customers: [{id: c1, name: Acme, active: false}]
        contacts: [{id: p1, customer: c1, email: ap@acme.example}]
        access_requests: [{email: AP@acme.example}]
        """,
        [],
    ),
    Case(
        "inactive customer, not imported",
        """
        organisation: {accounting: {import_inactive_customers: false}}
        customers: [{id: c1, name: Acme, active: false}]
        contacts: [{id: p1, customer: c1, email: ap@acme.example}]
        access_requests: [{email: ap@acme.example}]
        """,
        ["inactive-customer-not-imported"],
    ),
    Case(
        "email nobody has",
        """
        contacts: [{id: p1, customer: c1, email: ap@acme.example}]
        access_requests: [{email: nobody@else.example}]
        """,
        ["access-request-unknown-email"],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_table(case: Case) -> None:
    assert case.codes(CHECK) == case.expected


def test_access_requests() -> None:
    org = {"accounting": {"system": "QuickBooks", "import_inactive_customers": False}}
    customers = [f.customer("c1", name="Willow", active=False)]
    contacts = [f.contact("p1", email="wes@willow.example")]
    requests = [{"email": "WES@willow.example"}, {"email": "nobody@else.example"}]
    findings = f.run(
        AccessRequests(), f.tenant(organisation=org, customers=customers, contacts=contacts, access_requests=requests)
    )
    assert f.codes(findings) == ["access-request-unknown-email", "inactive-customer-not-imported"]
    inactive = next(x for x in findings if x.code == "inactive-customer-not-imported")
    assert "Willow is inactive in QuickBooks" in remedy_text(inactive)
    org["accounting"]["import_inactive_customers"] = True  # type: ignore[index]
    assert (
        f.codes(
            f.run(
                AccessRequests(),
                f.tenant(organisation=org, customers=customers, contacts=contacts, access_requests=requests[:1]),
            )
        )
        == []
    )
