"""Portal contacts within the plan's limit."""

from __future__ import annotations

from collections.abc import Iterator

from portaldoctor.check import CheckContext, CheckSpec, Outcome, Scope, Target, fail


class PortalContactLimit:
    """A plan allows a limited number of portal contacts; the ones beyond it cannot be enabled.

    When the organisation has more portal-enabled contacts than its plan allows, the newest
    ones are refused portal access and their customers report that they cannot log in. The
    limit is the tenant's ``portal_contact_limit``; failing that, a profile whose plans cap
    portal contacts per staff user (rule ``portal_contacts_per_user``) gives cap x users.

    Passes::

        organisation: {portal_contact_limit: 50}

    Fails (``portal-contacts-over-limit``)::

        organisation: {portal_contact_limit: 1}
        contacts: [{id: p1, customer: c1, portal_user: true}, {id: p2, customer: c2, portal_user: true}]
    """

    spec = CheckSpec(
        id="portal-contact-limit",
        title="Portal contacts stay within the plan's limit",
        scope=Scope.ORG,
        codes=("portal-contacts-over-limit",),
        tags=("plan", "access"),
        samples={
            "portal-contacts-over-limit": {
                "count": 53,
                "limit": 50,
                "plan": "Starter",
                "over": 3,
                "per_user": 50,
                "users": 1,
            }
        },
    )

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        limit = ctx.org.portal_contact_limit
        per_user: int | None = None
        if limit is None and ctx.org.plan is not None:
            caps = {k.casefold(): v for k, v in ctx.rules.portal_contacts_per_user.items()}
            per_user = caps.get(ctx.org.plan.casefold())
            if per_user is not None:
                # Products that cap per staff seat: a tenant that lists no users still has one.
                limit = per_user * max(1, len(ctx.tenant.users))
        if limit is None:
            return
        count = sum(1 for c in ctx.tenant.contacts if c.portal_user)
        if count > limit:
            yield fail(
                "portal-contacts-over-limit",
                observed=count,
                expected=f"at most {limit}",
                count=count,
                limit=limit,
                over=count - limit,
                plan=ctx.org.plan or "the current plan",
                per_user=per_user,
                users=max(1, len(ctx.tenant.users)),
            )
