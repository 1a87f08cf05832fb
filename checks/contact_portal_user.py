"""Portal enabled at contact level."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from portaldoctor.check import CheckContext, CheckSpec, Outcome, Scope, Target, fail


class ContactPortalUser:
    """A contact who is meant to use the portal must be enabled as a portal user.

    Products enable the portal per contact as well as per customer. A contact who was sent an
    invitation or link, or who is the customer's primary contact, but is not enabled, is refused
    at sign-in as an invalid user name or email, and is sent no login details.

    Passes::

        contacts: [{id: p1, customer: c1, portal_user: true}]

    Fails (``contact-not-portal-user``)::

        contacts: [{id: p1, customer: c1, portal_user: false, is_primary: true}]
    """

    spec = CheckSpec(
        id="contact-portal-user",
        title="Contact is enabled as a portal user",
        scope=Scope.CONTACT,
        codes=("contact-not-portal-user",),
        depends_on=("customer-portal-enabled",),
        tags=("contact", "access", "login"),
        samples={
            "contact-not-portal-user": {
                "contact_name": "Dana Pierce",
                "customer_name": "Acme",
                "reason": "was sent an invitation",
            }
        },
    )

    def run_all(self, ctx: CheckContext, targets: Iterable[Target]) -> Iterator[tuple[Target, list[Outcome]]]:
        """Contacts for which ``run`` returns at once pass without it."""
        for target in targets:
            contact = target.contact
            assert contact is not None
            if contact.portal_user is not False:
                continue
            outcomes = list(self.run(ctx, target))
            if outcomes:
                yield target, outcomes

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        contact, customer = target.contact, target.customer
        assert contact is not None and customer is not None
        if contact.portal_user is not False:
            return
        links = ctx.index.links_by_contact.get(contact.id, [])
        if links:
            reason = "was sent an invitation or portal link"
        elif contact.is_primary:
            reason = "is the customer's primary contact"
        else:
            return
        yield fail(
            "contact-not-portal-user",
            observed="not enabled",
            expected="enabled",
            contact_name=contact.name or contact.email or contact.id,
            customer_name=customer.name,
            reason=reason,
        )
