"""portal-contact-limit: portal contacts stay within the plan's limit."""

from __future__ import annotations

import pytest
from portaldoctor.checks.portal_contact_limit import PortalContactLimit

from tests import factories as f
from tests.checks.helpers import Case, problems, remedy_text

CHECK = "portal-contact-limit"

TWO_CONTACTS = "contacts: [{id: p1, customer: c1, portal_user: true}, {id: p2, customer: c2, portal_user: true}]"

CASES = [
    Case("within the limit", "organisation: {portal_contact_limit: 2}\n" + TWO_CONTACTS, []),
    Case("over the limit", "organisation: {portal_contact_limit: 1}\n" + TWO_CONTACTS, ["portal-contacts-over-limit"]),
    Case(
        "over a per-user cap",
        "platform: vtiger\norganisation: {plan: Help Desk Starter}\n"
        + "contacts: ["
        + ", ".join(f"{{id: p{i}, customer: c1, portal_user: true}}" for i in range(51))
        + "]",
        ["portal-contacts-over-limit"],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_table(case: Case) -> None:
    assert case.codes(CHECK) == case.expected


def test_portal_contact_limit() -> None:
    contacts = [f.contact(f"p{i}") for i in range(3)]
    assert (
        f.codes(f.run(PortalContactLimit(), f.tenant(organisation={"portal_contact_limit": 3}, contacts=contacts)))
        == []
    )
    [finding] = problems(
        f.run(PortalContactLimit(), f.tenant(organisation={"portal_contact_limit": 2}, contacts=contacts))
    )
    assert finding.evidence["over"] == 1
    assert "3 portal contacts exceed the plan's limit of 2" in remedy_text(finding)


def test_portal_contact_limit_from_the_profile_rule_per_user() -> None:
    rules = {"portal_contacts_per_user": {"Help Desk Starter": 2}}
    users = [{"id": "u1", "name": "Ola"}]
    contacts = [f.contact(f"p{i}") for i in range(3)]
    org = {"plan": "help desk starter"}
    [finding] = problems(
        f.run(PortalContactLimit(), f.tenant(organisation=org, contacts=contacts, users=users), rules=rules)
    )
    assert finding.evidence["limit"] == 2 and finding.evidence["over"] == 1
    text = remedy_text(finding, "vtiger")
    assert "help desk starter allows 2 portal contacts (2 per user, 1 user); 1 more is enabled" in text
    assert "Essentials > Contacts" in text
    two_users = [*users, {"id": "u2", "name": "Pat"}]
    t = f.tenant(organisation=org, contacts=contacts, users=two_users)
    assert f.codes(f.run(PortalContactLimit(), t, rules=rules)) == []
    assert f.codes(f.run(PortalContactLimit(), f.tenant(organisation={"plan": "Enterprise"}, contacts=contacts))) == []
