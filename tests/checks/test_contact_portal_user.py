"""contact-portal-user: contact is enabled as a portal user."""

from __future__ import annotations

import pytest
from portaldoctor.checks.contact_portal_user import ContactPortalUser

from tests import factories as f
from tests.checks.helpers import Case, problems, remedy_text

CHECK = "contact-portal-user"

CASES = [
    Case("enabled", "contacts: [{id: p1, customer: c1, portal_user: true}]", []),
    Case("not enabled, not meant to use the portal", "contacts: [{id: p1, customer: c1, portal_user: false}]", []),
    Case(
        "not enabled, primary contact",
        "contacts: [{id: p1, customer: c1, portal_user: false, is_primary: true}]",
        ["contact-not-portal-user"],
    ),
    Case(
        "not enabled, sent an invitation",
        """
        contacts: [{id: p1, customer: c1, portal_user: false}]
        links: [{id: i1, kind: invitation, customer: c1, contact: p1, sent_at: 2026-11-01T00:00:00Z}]
        """,
        ["contact-not-portal-user"],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_table(case: Case) -> None:
    assert case.codes(CHECK) == case.expected


def test_contact_not_portal_user_only_when_meant_to_use_it() -> None:
    assert f.codes(f.run(ContactPortalUser(), f.tenant(contacts=[f.contact(portal_user=False)]))) == []
    t = f.tenant(contacts=[f.contact(portal_user=False, is_primary=True, name="Uma")])
    [finding] = problems(f.run(ContactPortalUser(), t))
    assert "Enable Customer Portal" in remedy_text(finding, "ar-automation")
    links = [{"id": "i1", "kind": "invitation", "customer": "c1", "contact": "p1", "sent_at": "2026-11-01T00:00:00Z"}]
    t = f.tenant(contacts=[f.contact(portal_user=False)], links=links)
    assert f.codes(f.run(ContactPortalUser(), t)) == ["contact-not-portal-user"]
