"""SMS switched on where the portal login needs an SMS PIN."""

from __future__ import annotations

from collections.abc import Iterator

from portaldoctor.check import CheckContext, CheckSpec, Outcome, Scope, Target, fail, skip


class SmsEnabled:
    """Products that send the portal PIN by SMS need SMS switched on.

    The invitation carries the login link by email and the PIN by SMS. With SMS off, the
    product hides the portal invitation icon altogether.

    Passes::

        platform: salestrekker    # the portal PIN goes by SMS
        organisation: {sms: {enabled: true}}

    Fails (``sms-disabled``)::

        platform: salestrekker
        organisation: {sms: {enabled: false}}
    """

    spec = CheckSpec(
        id="sms-enabled",
        title="SMS is enabled for portal PINs",
        scope=Scope.ORG,
        codes=("sms-disabled",),
        tags=("sms", "invitation"),
        samples={"sms-disabled": {}},
    )

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        if not ctx.rules.sms_pin_login:
            yield skip(self.spec.id, "this platform does not send the portal PIN by SMS")
        elif ctx.org.sms.enabled is None:
            yield skip(self.spec.id, "the tenant does not say whether SMS is enabled")
        elif not ctx.org.sms.enabled:
            yield fail("sms-disabled", observed="off", expected="on")
