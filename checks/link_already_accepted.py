"""An invitation that was already accepted."""

from __future__ import annotations

from collections.abc import Iterator

from portaldoctor.check import CheckContext, CheckSpec, Outcome, Scope, Target, fail
from portaldoctor.clock import when


class LinkAlreadyAccepted:
    """An invitation or reset link works once: after it is accepted its token is used up.

    The person already has a portal account and should sign in (or reset the password) rather
    than open the invitation again.

    Passes::

        links: [{id: I1, customer: c1, kind: invitation, sent_at: 2026-11-18T09:00:00Z}]

    Fails (``link-already-accepted``)::

        links: [{id: I1, customer: c1, kind: invitation, accepted_at: 2026-11-05T10:00:00Z}]
    """

    spec = CheckSpec(
        id="link-already-accepted",
        title="The invitation has not been used already",
        scope=Scope.LINK,
        codes=("link-already-accepted",),
        tags=("links", "invitations"),
        samples={
            "link-already-accepted": {
                "customer_name": "Acme Ltd",
                "link_kind": "invitation",
                "accepted_at": "2026-11-05 10:00 UTC",
                "contact_email": "ap@acme.example",
            }
        },
    )

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        link = target.link
        assert link is not None and target.customer is not None
        if link.kind not in ("invitation", "reset") or link.accepted_at is None:
            return
        if link.accepted_at > ctx.now:
            return  # not yet accepted at the moment being replayed
        yield fail(
            "link-already-accepted",
            observed=f"accepted {when(link.accepted_at)}",
            expected="not yet accepted",
            customer_name=target.customer.name,
            link_kind=link.kind,
            accepted_at=when(link.accepted_at),
            contact_email=target.contact.email if target.contact else None,
        )
