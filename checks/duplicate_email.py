"""The same email on several customer accounts with portal access."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from portaldoctor.check import CheckContext, CheckSpec, Outcome, Scope, Target, fail, warn
from portaldoctor.snapshot.index import normalise_email


class DuplicatePortalEmail:
    """One email should reach the portal through one customer account only.

    Portals sign people in by email. When the same address (compared without regard to case)
    belongs to portal-enabled contacts of several customers, the sign-in is ambiguous: the
    login is refused as "invalid username or email" unless the product offers an account
    picker. Addresses that differ only in case count as the same, and the finding says so.

    Passes::

        contacts: [{id: p1, customer: c1, email: ap@acme.example, portal_user: true}]

    Fails (``duplicate-portal-email``)::

        contacts:
          - {id: p1, customer: c1, email: ap@acme.example, portal_user: true}
          - {id: p2, customer: c2, email: AP@acme.example, portal_user: true}
    """

    spec = CheckSpec(
        id="duplicate-portal-email",
        title="Email is used by one portal-enabled customer account only",
        scope=Scope.CONTACT,
        codes=("duplicate-portal-email", "duplicate-portal-email-allowed"),
        depends_on=("contact-email-valid",),
        tags=("contact", "email", "login"),
        samples={
            "duplicate-portal-email": {
                "email": "ap@acme.example",
                "customer_name": "Acme Ltd",
                "other_customers": ["Acme Holdings", "Acme West"],
                "case_only": False,
            },
            "duplicate-portal-email-allowed": {
                "email": "ap@acme.example",
                "customer_name": "Acme Ltd",
                "other_customers": ["Acme Holdings"],
                "case_only": True,
            },
        },
    )

    def run_all(self, ctx: CheckContext, targets: Iterable[Target]) -> Iterator[tuple[Target, list[Outcome]]]:
        """Contacts whose address nobody else has (and contacts off the portal) pass without ``run``."""
        by_email = ctx.index.contacts_by_email
        for target in targets:
            contact = target.contact
            assert contact is not None
            if not contact.email or contact.portal_user is False:
                continue
            if len(by_email.get(normalise_email(contact.email), ())) < 2:
                continue
            outcomes = list(self.run(ctx, target))
            if outcomes:
                yield target, outcomes

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        contact = target.contact
        assert contact is not None and target.customer is not None
        if not contact.email or contact.portal_user is False:
            return
        same = ctx.index.contacts_by_email.get(normalise_email(contact.email), [])
        if len(same) < 2:
            return  # the usual case: nobody else has this address
        others = [
            c for c in same if c.customer != contact.customer and c.portal_user is not False and c.id != contact.id
        ]
        if not others:
            return
        other_names = sorted({ctx.index.customers[c.customer].name for c in others})
        case_only = all(c.email != contact.email for c in others)
        evidence: dict[str, Any] = {
            "email": contact.email,
            "customer_name": target.customer.name,
            "other_customers": other_names,
            "case_only": case_only,
        }
        observed = f"{len(other_names) + 1} customer accounts"
        picker = ctx.org.portal.account_picker
        if picker if picker is not None else ctx.rule("account_picker", False):
            yield warn("duplicate-portal-email-allowed", observed=observed, expected="1", **evidence)
        else:
            yield fail("duplicate-portal-email", observed=observed, expected="1", **evidence)
