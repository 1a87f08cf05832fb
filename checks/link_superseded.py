"""An invitation opened after a newer one replaced it."""

from __future__ import annotations

from collections.abc import Iterator

from portaldoctor.check import CheckContext, CheckSpec, Outcome, Scope, Target, fail
from portaldoctor.clock import when
from portaldoctor.knowledge import links as probe


class LinkSuperseded:
    """The link must be the newest invitation: sending a new one retires the older token.

    The tenant says so explicitly with ``superseded_by``; for invitations, a later invitation to
    the same contact counts too, because each resend replaces the stored token. The replacement
    only counts once it was sent, so replaying an earlier moment with ``--now`` is honest.

    Passes::

        links: [{id: I1, customer: c1, kind: invitation, sent_at: 2026-11-18T09:00:00Z}]

    Fails (``link-superseded``)::

        links:
          - {id: I1, customer: c1, kind: invitation, sent_at: 2026-11-10T09:00:00Z, superseded_by: I2}
          - {id: I2, customer: c1, kind: invitation, sent_at: 2026-11-18T09:00:00Z}
    """

    spec = CheckSpec(
        id="link-superseded",
        title="The link has not been replaced by a newer invitation",
        scope=Scope.LINK,
        codes=("link-superseded",),
        tags=("links", "invitations"),
        samples={
            "link-superseded": {
                "customer_name": "Acme Ltd",
                "link_kind": "invitation",
                "sent_at": "2026-11-10 09:00 UTC",
                "newer_link_id": "I2",
                "newer_sent_at": "2026-11-18 09:00 UTC",
                "inferred": False,
            }
        },
    )

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        link = target.link
        assert link is not None and target.customer is not None
        newer = None
        inferred = False
        if link.accepted_at is not None and link.accepted_at <= ctx.now:
            return  # it was used; a later invitation is the "already accepted" story, not this one
        if link.superseded_by:
            newer = ctx.index.links.get(link.superseded_by)
            if newer is None:
                yield self._fail(target, link.superseded_by, None, inferred=False)
                return
        else:
            later = probe.newer_invitations(link, ctx.index.links_by_customer.get(link.customer, ()))
            newer, inferred = (later[-1], True) if later else (None, False)
        if newer is None:
            return
        sent = newer.sent_at or newer.issued_at
        if sent is not None and sent > ctx.now:
            return  # the replacement did not exist yet at the moment being replayed
        yield self._fail(target, newer.id, when(sent), inferred=inferred)

    def _fail(self, target: Target, newer_id: str, newer_sent: str | None, *, inferred: bool) -> Outcome:
        link = target.link
        assert link is not None and target.customer is not None
        return fail(
            "link-superseded",
            observed=f"replaced by {newer_id}",
            expected="the newest invitation",
            customer_name=target.customer.name,
            link_kind=link.kind,
            sent_at=when(probe.issued_at(link)),
            newer_link_id=newer_id,
            newer_sent_at=newer_sent,
            inferred=inferred,
        )
