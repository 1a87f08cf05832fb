"""The subscription plan includes the customer portal."""

from __future__ import annotations

from collections.abc import Iterator

from portaldoctor.check import CheckContext, CheckSpec, Outcome, Scope, Target, fail, skip


class PlanIncludesPortal:
    """The organisation's plan must include the customer portal feature.

    On plans without the portal, customers can be invited but every sign-in is refused as
    invalid credentials.

    Passes::

        organisation: {plan: pro, plan_includes_portal: true}

    Fails (``plan-without-portal``)::

        organisation: {plan: starter, plan_includes_portal: false}
    """

    spec = CheckSpec(
        id="plan-includes-portal",
        title="The subscription plan includes the customer portal",
        scope=Scope.ORG,
        codes=("plan-without-portal",),
        tags=("plan", "login"),
        samples={"plan-without-portal": {"plan": "Starter", "plans": ["Enterprise", "Plus", "Pro"]}},
    )

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        org = ctx.org
        plans = list(ctx.rules.plans_with_portal)
        included = org.plan_includes_portal
        if included is None and org.plan is not None and plans:
            included = org.plan.casefold() in {p.casefold() for p in plans}
        if included is None:
            yield skip(self.spec.id, "the tenant does not say whether the plan includes the portal")
        elif not included:
            yield fail(
                "plan-without-portal",
                observed=org.plan or "current plan",
                expected=" / ".join(plans) if plans else "a plan with the customer portal",
                plan=org.plan or "the current plan",
                plans=plans,
            )
