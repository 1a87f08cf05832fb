"""SMS credits for portal PINs."""

from __future__ import annotations

from collections.abc import Iterator

from portaldoctor.check import CheckContext, CheckSpec, Outcome, Scope, Target, fail, skip, warn


class SmsCredits:
    """Sending a portal invitation needs SMS credits for the PIN.

    At or below the product's minimum (one credit) the invitation cannot be sent and the
    invitation icon disappears. Fewer credits than invitations still waiting to be sent is a
    warning: the later ones will fail.

    Passes::

        platform: salestrekker    # the portal PIN goes by SMS; invitations stop at 1 credit
        organisation: {sms: {enabled: true, credits: 250}}

    Fails (``sms-credits-exhausted``)::

        platform: salestrekker
        organisation: {sms: {enabled: true, credits: 1}}
    """

    spec = CheckSpec(
        id="sms-credits",
        title="Enough SMS credits to send portal PINs",
        scope=Scope.ORG,
        codes=("sms-credits-exhausted", "sms-credits-low"),
        depends_on=("sms-enabled",),
        tags=("sms", "invitation", "billing"),
        samples={
            "sms-credits-exhausted": {"credits": 1, "minimum": 1},
            "sms-credits-low": {"credits": 3, "pending": 5},
        },
    )

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        credits = ctx.org.sms.credits
        if not ctx.rules.sms_pin_login:
            yield skip(self.spec.id, "this platform does not send the portal PIN by SMS")
            return
        if credits is None:
            yield skip(self.spec.id, "the tenant does not say how many SMS credits are left")
            return
        minimum = ctx.rules.sms_credits_minimum
        if credits <= minimum:
            yield fail(
                "sms-credits-exhausted",
                observed=credits,
                expected=f"more than {minimum}",
                credits=credits,
                minimum=minimum,
            )
            return
        pending = sum(1 for c in ctx.tenant.contacts if c.portal_status == "pending")
        if credits < pending:
            yield warn(
                "sms-credits-low", observed=credits, expected=f"at least {pending}", credits=credits, pending=pending
            )
