"""Email opt-out override for portal emails."""

from __future__ import annotations

from collections.abc import Iterator

from portaldoctor.check import CheckContext, CheckSpec, Outcome, Scope, Target, fail


class OptoutOverride:
    """Opted-out portal contacts get no login emails unless the override is on.

    When the organisation requires opt-in for email delivery, contacts who opted out of email
    are skipped, including for portal login details. The organisation-wide setting that allows
    workflow emails to opted-out contacts fixes this for all of them at once.

    Passes::

        organisation: {deliverability: {email_optout_override: true}}

    Fails (``optout-override-off``)::

        organisation: {deliverability: {email_optout_override: false}}
        contacts: [{id: p1, customer: c1, portal_user: true, email_opt_out: true}]
    """

    spec = CheckSpec(
        id="optout-override",
        title="Portal emails reach contacts who opted out of marketing email",
        scope=Scope.ORG,
        codes=("optout-override-off",),
        tags=("email", "invitation"),
        samples={"optout-override-off": {"count": 2, "contacts": ["dana@acme.example", "li@acme.example"]}},
    )

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        if ctx.org.deliverability.email_optout_override is not False:
            return
        opted = [c for c in ctx.tenant.contacts if c.email_opt_out and c.portal_user is not False]
        if opted:
            names = [c.email or c.name or c.id for c in opted]
            yield fail(
                "optout-override-off",
                observed=f"override off; {len(opted)} opted-out portal contact(s)",
                expected="override on",
                count=len(opted),
                contacts=names[:10],
            )
