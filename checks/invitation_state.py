"""Portal invitation state of a contact: pending, accepted, or several outstanding."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from portaldoctor.check import CheckContext, CheckSpec, Outcome, Scope, Target, fail, warn
from portaldoctor.clock import when


class InvitationState:
    """Where a contact's portal invitation stands decides the right fix.

    *Pending* means the invitation went out and was not accepted: the customer should look in
    spam or use the newest email. *Accepted* (portal status enabled) means the person already
    has an account, so sending another invitation is the wrong fix: they sign in or reset the
    password. Several invitations sent one after another leave older emails whose links no
    longer work ("Invalid invitation token", or a 404).

    Passes::

        contacts: [{id: p1, customer: c1, portal_status: enabled}]

    Warns (``invitation-pending``)::

        contacts: [{id: p1, customer: c1, portal_status: pending}]
        links: [{id: i1, kind: invitation, customer: c1, contact: p1, sent_at: 2026-11-01T09:00:00Z}]
    """

    spec = CheckSpec(
        id="invitation-state",
        title="Portal invitation state of the contact",
        scope=Scope.CONTACT,
        codes=("invitation-pending", "invitation-already-accepted", "invitation-several-outstanding"),
        # A contact not enabled for the portal cannot accept anything: that is the root cause.
        depends_on=("customer-portal-enabled", "contact-portal-user"),
        tags=("contact", "invitation", "login"),
        samples={
            "invitation-pending": {
                "contact_name": "Dana Pierce",
                "sent": "2026-11-01 09:00 UTC",
                "days": 21,
                "sender": "ar@acme.example",
            },
            "invitation-already-accepted": {
                "contact_name": "Dana Pierce",
                "accepted": "2026-10-01 09:00 UTC",
                "resent": "2026-11-01 09:00 UTC",
            },
            "invitation-several-outstanding": {
                "contact_name": "Dana Pierce",
                "count": 3,
                "latest": "2026-11-20 09:00 UTC",
            },
        },
    )

    def run_all(self, ctx: CheckContext, targets: Iterable[Target]) -> Iterator[tuple[Target, list[Outcome]]]:
        """Contacts never invited and not waiting for an invitation pass without ``run``."""
        links = ctx.index.links_by_contact
        for target in targets:
            contact = target.contact
            assert contact is not None
            if contact.portal_status != "pending" and contact.id not in links:
                continue
            outcomes = list(self.run(ctx, target))
            if outcomes:
                yield target, outcomes

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        contact = target.contact
        assert contact is not None
        links = ctx.index.links_by_contact.get(contact.id)
        if not links and contact.portal_status != "pending":
            return  # never invited and not waiting for an invitation: nothing to say
        invites = sorted(
            (link for link in links or () if link.kind == "invitation" and (link.sent_at or link.issued_at)),
            key=lambda link: link.sent_at or link.issued_at,  # type: ignore[arg-type,return-value]
        )
        name = contact.name or contact.email or contact.id
        accepted = [i for i in invites if i.accepted_at]
        if contact.portal_status == "enabled" or accepted:
            accepted_at = max((i.accepted_at for i in accepted if i.accepted_at), default=None)
            later = [i for i in invites if accepted_at and (i.sent_at or i.issued_at) > accepted_at]  # type: ignore[operator]
            if later:
                resent = later[-1].sent_at or later[-1].issued_at
                yield fail(
                    "invitation-already-accepted",
                    observed=f"invited again on {when(resent)}",
                    expected="sign in or reset the password",
                    contact_name=name,
                    accepted=when(accepted_at),
                    resent=when(resent),
                )
            return
        if contact.portal_status != "pending" and not invites:
            return
        outstanding = [i for i in invites if not i.accepted_at]
        if len(outstanding) > 1:
            latest = outstanding[-1].sent_at or outstanding[-1].issued_at
            yield warn(
                "invitation-several-outstanding",
                observed=f"{len(outstanding)} invitations sent",
                expected="one invitation, opened from the newest email",
                contact_name=name,
                count=len(outstanding),
                latest=when(latest),
            )
        if contact.portal_status == "pending" or outstanding:
            sent = (outstanding[-1].sent_at or outstanding[-1].issued_at) if outstanding else None
            days = (ctx.now - sent).days if sent else None
            yield warn(
                "invitation-pending",
                observed="pending" + (f" for {days} days" if days is not None else ""),
                expected="accepted",
                contact_name=name,
                sent=when(sent),
                days=days,
                sender=ctx.org.deliverability.sender_email or "the connected mailbox",
            )
