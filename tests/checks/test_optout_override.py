"""optout-override: portal emails reach contacts who opted out of marketing email."""

from __future__ import annotations

import pytest
from portaldoctor.checks.optout_override import OptoutOverride

from tests import factories as f
from tests.checks.helpers import Case, problems, remedy_text

CHECK = "optout-override"

CASES = [
    Case(
        "override on",
        """
        organisation: {deliverability: {email_optout_override: true}}
        contacts: [{id: p1, customer: c1, email_opt_out: true}]
        """,
        [],
    ),
    Case("override off, nobody opted out", "organisation: {deliverability: {email_optout_override: false}}", []),
    Case(
        "override off, a portal contact opted out",
        """
        organisation: {deliverability: {email_optout_override: false}}
        contacts: [{id: p1, customer: c1, portal_user: true, email_opt_out: true}]
        """,
        ["optout-override-off"],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_table(case: Case) -> None:
    assert case.codes(CHECK) == case.expected


def test_optout_override_only_matters_with_opted_out_portal_contacts() -> None:
    org = {"deliverability": {"email_optout_override": False}}
    assert f.codes(f.run(OptoutOverride(), f.tenant(organisation=org))) == []
    contacts = [f.contact("p1", email_opt_out=True), f.contact("p2", email_opt_out=True, portal_user=False)]
    [finding] = problems(f.run(OptoutOverride(), f.tenant(organisation=org, contacts=contacts)))
    assert finding.evidence["count"] == 1
    text = remedy_text(finding, "vtiger")
    assert "Required Opt-in for Email Delivery" in text and "p1@example.com" in text
