"""Contact opted out of email."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from portaldoctor.check import CheckContext, CheckSpec, Outcome, Scope, Target, fail


class ContactOptOut:
    """A portal contact who opted out of email gets no login details unless the override is on.

    Passes::

        contacts: [{id: p1, customer: c1, email_opt_out: false}]

    Fails (``contact-email-opted-out``)::

        organisation: {deliverability: {email_optout_override: false}}
        contacts: [{id: p1, customer: c1, email_opt_out: true}]
    """

    spec = CheckSpec(
        id="contact-opt-out",
        title="Portal contact can receive portal emails",
        scope=Scope.CONTACT,
        codes=("contact-email-opted-out",),
        depends_on=("customer-portal-enabled",),
        tags=("contact", "email", "invitation"),
        samples={"contact-email-opted-out": {"contact_name": "Dana Pierce", "customer_name": "Acme"}},
    )

    def run_all(self, ctx: CheckContext, targets: Iterable[Target]) -> Iterator[tuple[Target, list[Outcome]]]:
        """Contacts for which ``run`` returns at once pass without it."""
        for target in targets:
            contact = target.contact
            assert contact is not None
            if contact.portal_user is False or not contact.email_opt_out:
                continue
            outcomes = list(self.run(ctx, target))
            if outcomes:
                yield target, outcomes

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        contact, customer = target.contact, target.customer
        assert contact is not None and customer is not None
        if contact.portal_user is False or not contact.email_opt_out:
            return
        if ctx.org.deliverability.email_optout_override:
            return
        yield fail(
            "contact-email-opted-out",
            observed="opted out",
            expected="opted in, or the organisation's opt-out override on",
            contact_name=contact.name or contact.email or contact.id,
            customer_name=customer.name,
        )
