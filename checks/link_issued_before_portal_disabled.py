"""A link sent while the customer's portal was on, opened after it was switched off."""

from __future__ import annotations

from collections.abc import Iterator

from portaldoctor.check import CheckContext, CheckSpec, Outcome, Scope, Target, fail
from portaldoctor.clock import when
from portaldoctor.knowledge import links as probe


class LinkIssuedBeforePortalDisabled:
    """A link stops working when the customer's portal access is switched off after it was sent.

    The email still looks valid to the customer, but it now leads to a "portal not found" page.

    Passes::

        customers: [{id: c1, name: Acme, portal_enabled: true}]
        links: [{id: L1, customer: c1, issued_at: 2026-10-28T09:00:00Z}]

    Fails (``link-issued-before-portal-disabled``)::

        customers: [{id: c1, name: Acme, portal_enabled: false, portal_disabled_at: 2026-11-02T10:00:00Z}]
        links: [{id: L1, customer: c1, issued_at: 2026-10-28T09:00:00Z}]
    """

    spec = CheckSpec(
        id="link-issued-before-portal-disabled",
        title="The link was not sent before the customer's portal was switched off",
        scope=Scope.LINK,
        codes=("link-issued-before-portal-disabled",),
        tags=("links", "portal", "access"),
        samples={
            "link-issued-before-portal-disabled": {
                "customer_name": "Acme Ltd",
                "link_kind": "portal",
                "issued_at": "2026-10-28 09:00 UTC",
                "disabled_at": "2026-11-02 10:15 UTC",
            }
        },
    )

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        link, customer = target.link, target.customer
        assert link is not None and customer is not None
        issued = probe.issued_at(link)
        disabled = customer.portal_disabled_at
        if customer.portal_enabled is not False or disabled is None or issued is None:
            return
        if issued < disabled <= ctx.now:
            yield fail(
                "link-issued-before-portal-disabled",
                observed=f"portal switched off {when(disabled)}",
                expected="portal on when the link is opened",
                customer_name=customer.name,
                link_kind=link.kind,
                issued_at=when(issued),
                disabled_at=when(disabled),
            )
