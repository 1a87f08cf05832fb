"""invitation-state: portal invitation state of the contact."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from portaldoctor.checks.contact_portal_user import ContactPortalUser
from portaldoctor.checks.invitation_state import InvitationState

from portaldoctor.check import Status
from tests import factories as f
from tests.checks.helpers import Case, problems, remedy_text

CHECK = "invitation-state"

CASES = [
    Case("signed up", "contacts: [{id: p1, customer: c1, portal_status: enabled}]", []),
    Case(
        "pending",
        """
        contacts: [{id: p1, customer: c1, portal_status: pending}]
        links: [{id: i1, kind: invitation, customer: c1, contact: p1, sent_at: 2026-11-17T12:00:00Z}]
        """,
        ["invitation-pending"],
    ),
    Case(
        "accepted, then invited again",
        """
        contacts: [{id: p1, customer: c1, portal_status: enabled}]
        links:
          - {id: i1, kind: invitation, customer: c1, contact: p1, sent_at: 2026-10-01T00:00:00Z,
             accepted_at: 2026-10-02T00:00:00Z}
          - {id: i2, kind: invitation, customer: c1, contact: p1, sent_at: 2026-11-20T00:00:00Z}
        """,
        ["invitation-already-accepted"],
    ),
    Case(
        "two invitations outstanding",
        """
        contacts: [{id: p1, customer: c1, portal_status: pending}]
        links:
          - {id: i1, kind: invitation, customer: c1, contact: p1, sent_at: 2026-11-10T00:00:00Z}
          - {id: i2, kind: invitation, customer: c1, contact: p1, sent_at: 2026-11-18T00:00:00Z}
        """,
        ["invitation-pending", "invitation-several-outstanding"],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_table(case: Case) -> None:
    assert case.codes(CHECK) == case.expected


def _invites(*rows: tuple[str, str | None]) -> list[dict[str, Any]]:
    return [
        {
            "id": f"i{n}",
            "kind": "invitation",
            "customer": "c1",
            "contact": "p1",
            "sent_at": sent,
            "accepted_at": accepted,
        }
        for n, (sent, accepted) in enumerate(rows)
    ]


def test_invitation_pending_counts_days() -> None:
    t = f.tenant(
        contacts=[f.contact(portal_status="pending", name="Sam")], links=_invites(("2026-11-17T12:00:00Z", None))
    )
    [finding] = problems(f.run(InvitationState(), t))
    assert finding.code == "invitation-pending" and finding.status is Status.WARN
    assert finding.evidence["days"] == 5
    assert "Sam's invitation is still pending after 5 days" in remedy_text(finding)


def test_invitation_already_accepted_then_reinvited() -> None:
    links = _invites(("2026-10-01T00:00:00Z", "2026-10-02T00:00:00Z"), ("2026-11-20T00:00:00Z", None))
    t = f.tenant(contacts=[f.contact(portal_status="enabled", name="Tara")], links=links)
    [finding] = problems(f.run(InvitationState(), t))
    assert finding.code == "invitation-already-accepted"
    text = remedy_text(finding, "ar-automation")
    assert "re-inviting is the wrong fix" in text and "Forgot your password" in text
    t = f.tenant(contacts=[f.contact(portal_status="enabled")], links=links[:1])
    assert problems(f.run(InvitationState(), t)) == []


def test_several_invitations_outstanding() -> None:
    links = _invites(("2026-11-10T00:00:00Z", None), ("2026-11-18T00:00:00Z", None))
    t = f.tenant(contacts=[f.contact(portal_status="pending")], links=links)
    assert f.codes(f.run(InvitationState(), t)) == ["invitation-pending", "invitation-several-outstanding"]


def test_invitation_state_respects_the_replayed_clock() -> None:
    t = f.tenant(contacts=[f.contact(portal_status="pending")], links=_invites(("2026-11-17T12:00:00Z", None)))
    [finding] = problems(f.run(InvitationState(), t, now=dt.datetime(2026, 11, 19, 12, tzinfo=dt.UTC)))
    assert finding.evidence["days"] == 2


def test_several_invitations_remedy_counts_them_and_names_the_newest() -> None:
    links = _invites(("2026-11-09T11:00:00Z", None), ("2026-11-19T11:00:00Z", None))
    t = f.tenant(contacts=[f.contact(portal_status="pending", name="Yara")], links=links)
    [several] = [x for x in problems(f.run(InvitationState(), t)) if x.code == "invitation-several-outstanding"]
    text = remedy_text(several, "ar-automation")
    assert "2 invitations were sent to Yara" in text and "2026-11-19" in text
    assert "Send Invitation" in text


def test_invitation_state_is_blocked_when_the_contact_is_not_a_portal_user() -> None:
    links = _invites(("2026-11-12T10:00:00Z", None))
    t = f.tenant(contacts=[f.contact(portal_user=False, is_primary=True)], links=links)
    findings = f.run([ContactPortalUser(), InvitationState()], t)
    assert f.codes(findings) == ["contact-not-portal-user"]
    [state] = [x for x in findings if x.check_id == "invitation-state"]
    assert state.status is Status.SKIP and state.blocked_by == "contact-portal-user:contact-not-portal-user"
