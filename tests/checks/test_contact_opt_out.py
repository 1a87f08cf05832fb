"""contact-opt-out: portal contact can receive portal emails."""

from __future__ import annotations

import pytest
from portaldoctor.checks.contact_opt_out import ContactOptOut

from tests import factories as f
from tests.checks.helpers import Case

CHECK = "contact-opt-out"

CASES = [
    Case("opted in", "contacts: [{id: p1, customer: c1, email_opt_out: false}]", []),
    Case("opted out", "contacts: [{id: p1, customer: c1, email_opt_out: true}]", ["contact-email-opted-out"]),
    Case(
        "opted out, override on",
        """
        organisation: {deliverability: {email_optout_override: true}}
        contacts: [{id: p1, customer: c1, email_opt_out: true}]
        """,
        [],
    ),
    Case(
        "opted out, off the portal", "contacts: [{id: p1, customer: c1, email_opt_out: true, portal_user: false}]", []
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_table(case: Case) -> None:
    assert case.codes(CHECK) == case.expected


def test_contact_opted_out() -> None:
    assert f.codes(f.run(ContactOptOut(), f.tenant(contacts=[f.contact(email_opt_out=False)]))) == []
    t = f.tenant(contacts=[f.contact(email_opt_out=True)])
    assert f.codes(f.run(ContactOptOut(), t)) == ["contact-email-opted-out"]
    t = f.tenant(
        organisation={"deliverability": {"email_optout_override": True}}, contacts=[f.contact(email_opt_out=True)]
    )
    assert f.codes(f.run(ContactOptOut(), t)) == []
