"""Late fees need the one ERP integration that supports them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from portaldoctor.check import CheckContext, CheckSpec, Outcome, Scope, Target, fail


class LateFeesIntegration:
    """Late fees on the portal only work with the accounting integration that supports them.

    A customer-level late-fee switch does nothing, or misbehaves, when the organisation syncs
    from an accounting system the product does not support for late fees.

    Passes::

        platform: upflow    # late fees work with NetSuite only
        organisation: {accounting: {system: netsuite}}
        customers: [{id: c1, name: Acme, late_fees_enabled: true}]

    Fails (``late-fees-unsupported``)::

        platform: upflow
        organisation: {accounting: {system: xero}}
        customers: [{id: c1, name: Acme, late_fees_enabled: true}]
    """

    spec = CheckSpec(
        id="late-fees-integration",
        title="Late fees are only enabled with a supporting accounting integration",
        scope=Scope.CUSTOMER,
        codes=("late-fees-unsupported",),
        tags=("accounting", "portal"),
        samples={"late-fees-unsupported": {"customer_name": "Acme", "system": "xero", "supported": ["netsuite"]}},
    )

    def run_all(self, ctx: CheckContext, targets: Iterable[Target]) -> Iterator[tuple[Target, list[Outcome]]]:
        """With a supporting integration (or no list of them), every customer passes at once."""
        if _unsupported(ctx) is None:
            return
        for target in targets:
            if target.customer is not None and target.customer.late_fees_enabled:
                yield target, list(self.run(ctx, target))

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        customer = target.customer
        assert customer is not None
        found = _unsupported(ctx)
        if customer.late_fees_enabled and found is not None:
            system, supported = found
            yield fail(
                "late-fees-unsupported",
                observed=system or "no accounting integration",
                expected=" or ".join(supported),
                customer_name=customer.name,
                system=system or "none",
                supported=supported,
            )


def _unsupported(ctx: CheckContext) -> tuple[str, list[str]] | None:
    """The organisation's accounting system (lower case, "" for none) and the systems that
    support late fees, when the product lists them and the system is not among them."""
    supported = [s.lower() for s in ctx.rules.late_fee_systems]
    system = (ctx.org.accounting.system or "").lower()
    return (system, supported) if supported and system not in supported else None
