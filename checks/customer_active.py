"""Customer active in the accounting system."""

from __future__ import annotations

from collections.abc import Iterator

from portaldoctor.check import CheckContext, CheckSpec, Outcome, Scope, Target, fail


class CustomerActive:
    """Customers marked inactive in the accounting system drop out of the portal platform.

    Platforms sync customers from the accounting system and usually skip inactive ones, so an
    inactive customer gets no portal link, cannot request access, and may vanish from reminders.

    Passes::

        customers: [{id: c1, name: Acme, active: true}]

    Fails (``customer-inactive``)::

        customers: [{id: c1, name: Acme, active: false}]
    """

    spec = CheckSpec(
        id="customer-active",
        title="Customer is active in the accounting system",
        scope=Scope.CUSTOMER,
        codes=("customer-inactive",),
        tags=("accounting", "access"),
        samples={"customer-inactive": {"customer_name": "Acme", "system": "NetSuite", "imports_inactive": False}},
    )

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        customer = target.customer
        assert customer is not None
        if customer.active is False:
            yield fail(
                "customer-inactive",
                observed="inactive",
                expected="active",
                customer_name=customer.name,
                system=ctx.org.accounting.system or "the accounting system",
                imports_inactive=bool(ctx.org.accounting.import_inactive_customers),
            )
