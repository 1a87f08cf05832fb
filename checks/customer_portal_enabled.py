"""Customer-level portal access."""

from __future__ import annotations

from collections.abc import Iterator

from portaldoctor.check import CheckContext, CheckSpec, Outcome, Scope, Target, fail, skip


class CustomerPortalEnabled:
    """Portal access must be switched on for the customer.

    When a customer's portal access is off, every link to their portal leads to a
    "Customer portal not found" page, including links that were sent while it was still on.

    Passes::

        customers: [{id: c1, name: Acme, portal_enabled: true}]

    Fails (``customer-portal-disabled``)::

        customers: [{id: c1, name: Acme, portal_enabled: false}]
    """

    spec = CheckSpec(
        id="customer-portal-enabled",
        title="Portal access is enabled for the customer",
        scope=Scope.CUSTOMER,
        codes=("customer-portal-disabled",),
        tags=("portal", "access"),
        samples={
            "customer-portal-disabled": {
                "customer_name": "Acme Ltd",
                "disabled_at": "2026-10-01 09:00 UTC",
            }
        },
    )

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        customer = target.customer
        assert customer is not None
        if customer.portal_enabled is None:
            yield skip(self.spec.id, "the tenant does not say whether portal access is enabled")
        elif not customer.portal_enabled:
            disabled = customer.portal_disabled_at
            yield fail(
                "customer-portal-disabled",
                observed="disabled",
                expected="enabled",
                customer_name=customer.name,
                disabled_at=disabled.strftime("%Y-%m-%d %H:%M UTC") if disabled else None,
            )
