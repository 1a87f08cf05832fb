"""Link expiry and not-yet-valid links, under the validity in force when the link was issued."""

from __future__ import annotations

from collections.abc import Iterator

from portaldoctor.check import CheckContext, CheckSpec, Outcome, Scope, Target, fail, skip
from portaldoctor.clock import when
from portaldoctor.knowledge import links as probe
from portaldoctor.knowledge.tokens import ExpirySource, TimeState, human_delta, timeline


class LinkValidity:
    """A link must be opened between its start and its expiry.

    Expiry comes from the token when it carries one (a JWT ``exp``, a Rails ``_rails.exp``, a
    signed URL's ``expires``). Otherwise it is the issue date plus a lifetime: the link record's
    own expiry, an API link's ``expires_in_seconds``, or the organisation's link validity *as it
    was when the link was issued* (a changed validity applies only to newer links: two clocks).

    Passes (issued 10 days before the click, 25-day validity)::

        organisation: {portal: {link_validity_days: 25}}
        links: [{id: L1, customer: c1, issued_at: 2026-11-12T09:00:00Z}]

    Fails (``link-expired``: issued before the validity was raised from 10 to 25 days)::

        organisation: {portal: {link_validity_days: 25, previous_link_validity_days: 10,
                                link_validity_changed_at: 2026-11-10T00:00:00Z}}
        links: [{id: L1, customer: c1, issued_at: 2026-11-05T09:00:00Z}]
    """

    spec = CheckSpec(
        id="link-validity",
        title="The link is within its validity period",
        scope=Scope.LINK,
        codes=("link-expired", "link-not-yet-valid"),
        tags=("links", "tokens", "expiry"),
        samples={
            "link-expired": {
                "customer_name": "Acme Ltd",
                "link_kind": "portal",
                "issued_at": "2026-11-01 09:00 UTC",
                "expires_at": "2026-11-11 09:00 UTC",
                "expired_ago": "11 days 3 hours",
                "expiry_source": "tenant link validity",
                "expiry_detail": "tenant link validity of 10 days in force when the link was issued",
                "validity_days": 10,
                "current_validity_days": 25,
                "issued_before_validity_change": True,
                "api_link": False,
            },
            "link-not-yet-valid": {
                "customer_name": "Acme Ltd",
                "link_kind": "portal",
                "valid_from": "2026-11-23 09:00 UTC",
                "starts_in": "21 hours",
                "from_token": True,
            },
        },
    )

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        link = target.link
        assert link is not None and target.customer is not None
        token = probe.link_token(ctx.inputs.clicked, link)
        rule = probe.lifetime(link, ctx.org)
        line = timeline(token, ctx.now, rule)
        if line.state is TimeState.UNKNOWN:
            yield skip(self.spec.id, f"cannot date this link: {line.detail}")
            return
        if line.state is TimeState.NOT_YET_VALID:
            start = max(t for t in (line.not_before, line.issued_at) if t is not None)
            yield fail(
                "link-not-yet-valid",
                observed=f"opened {when(ctx.now)}",
                expected=f"not before {when(start)}",
                customer_name=target.customer.name,
                link_kind=link.kind,
                valid_from=when(start),
                starts_in=human_delta(start - ctx.now),
                from_token=line.issued_from == "token" or line.not_before is not None,
            )
            return
        if line.state is TimeState.EXPIRED:
            assert line.expires_at is not None
            portal = ctx.org.portal
            two_clocks = rule.source is ExpirySource.TENANT_VALIDITY and bool(
                portal.link_validity_changed_at and line.issued_at and line.issued_at < portal.link_validity_changed_at
            )
            days = (
                (portal.previous_link_validity_days if two_clocks else portal.link_validity_days)
                if line.source is ExpirySource.TENANT_VALIDITY
                else None
            )
            yield fail(
                "link-expired",
                observed=f"expired {when(line.expires_at)}",
                expected=f"opened before {when(line.expires_at)}",
                customer_name=target.customer.name,
                link_kind=link.kind,
                issued_at=when(line.issued_at),
                expires_at=when(line.expires_at),
                expired_ago=human_delta(ctx.now - line.expires_at),
                expiry_source=line.source.value,
                expiry_detail=line.detail,
                validity_days=days,
                current_validity_days=portal.link_validity_days,
                issued_before_validity_change=two_clocks,
                api_link=line.source is ExpirySource.API_LIFETIME,
            )
