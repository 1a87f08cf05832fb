"""The sender of portal notifications."""

from __future__ import annotations

from collections.abc import Iterator

from portaldoctor.check import CheckContext, CheckSpec, Outcome, Scope, Target, fail, warn
from portaldoctor.knowledge.email import email_domain


class SenderAlias:
    """Portal notifications should come from a confirmed address on your verified domain.

    By default products send portal notifications from their own no-reply address, which
    customers do not recognise and often filter. A branded alias only works when it sits on the
    domain verified for sending and has been confirmed from its confirmation email.

    Passes::

        organisation:
          deliverability: {domain: acme.example, aliases: [{email: ar@acme.example, verified: true, selected: true}]}

    Fails (``sender-alias-wrong-domain``)::

        organisation:
          deliverability:
            domain: acme.example
            aliases: [{email: ar@acme-mail.example, verified: true, selected: true}]
    """

    spec = CheckSpec(
        id="sender-alias",
        title="Portal notifications come from a confirmed alias on the verified domain",
        scope=Scope.ORG,
        codes=("sender-default-noreply", "sender-alias-wrong-domain", "sender-alias-unverified"),
        tags=("email", "deliverability", "branding"),
        samples={
            "sender-default-noreply": {"sender": "no-reply@upflow.io"},
            "sender-alias-wrong-domain": {"alias": "ar@acme-mail.example", "domain": "acme.example"},
            "sender-alias-unverified": {"alias": "ar@acme.example"},
        },
    )

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        settings = ctx.org.deliverability
        defaults = {s.lower() for s in ctx.rules.default_senders}
        selected = [a for a in settings.aliases if a.selected] or (
            settings.aliases if len(settings.aliases) == 1 else []
        )
        sender = (selected[0].email if selected else settings.sender_email) or None
        if sender is None and not settings.aliases:
            return
        if sender is None or sender.lower() in defaults or sender.lower().startswith(("no-reply@", "noreply@")):
            yield warn(
                "sender-default-noreply",
                observed=sender or "the platform's default sender",
                expected="an alias on your own domain",
                sender=sender or "the platform's default no-reply address",
            )
        for alias in selected:
            if settings.domain and email_domain(alias.email) != settings.domain.lower().rstrip("."):
                yield fail(
                    "sender-alias-wrong-domain",
                    observed=email_domain(alias.email),
                    expected=settings.domain,
                    alias=alias.email,
                    domain=settings.domain,
                )
            if alias.verified is False:
                yield fail("sender-alias-unverified", observed="unconfirmed", expected="confirmed", alias=alias.email)
