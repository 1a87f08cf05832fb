"""The same email on several customer accounts with portal access."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from portaldoctor.check import CheckContext, CheckSpec, Outcome, Scope, Target, fail, warn
from portaldoctor.snapshot.index import normalise_email

if TYPE_CHECKING:
    from portaldoctor.snapshot.index import SharedAddress


class DuplicatePortalEmail:
    """One email should reach the portal through one customer account only.

    Portals sign people in by email. When the same address (compared without regard to case)
    belongs to portal-enabled contacts of several customers, the sign-in is ambiguous: the
    login is refused as "invalid username or email" unless the product offers an account
    picker. Addresses that differ only in case count as the same, and the finding says so. A
    finding names up to ``duplicate_email_accounts_listed`` of the other accounts (a playbook
    rule, ten by default) and says how many more there are.

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
                "more_customers": 0,
                "case_only": False,
            },
            "duplicate-portal-email-allowed": {
                "email": "ap@acme.example",
                "customer_name": "Acme Ltd",
                "other_customers": ["Acme Holdings"],
                "more_customers": 0,
                "case_only": True,
            },
        },
    )

    def run_all(self, ctx: CheckContext, targets: Iterable[Target]) -> Iterator[tuple[Target, list[Outcome]]]:
        """Contacts whose address nobody else has (and contacts off the portal) pass without ``run``."""
        shared = ctx.index.shared_portal_spellings
        for target in targets:
            contact = target.contact
            assert contact is not None
            if not contact.email or contact.portal_user is False:
                continue
            address = shared.get(contact.email)
            if address is not None:
                outcomes = list(self._outcomes(ctx, target, address))
                if outcomes:
                    yield target, outcomes

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        contact = target.contact
        assert contact is not None
        if not contact.email or contact.portal_user is False:
            return
        address = ctx.index.shared_portal_emails.get(normalise_email(contact.email))
        if address is None:
            return  # the usual case: no other account has this address
        yield from self._outcomes(ctx, target, address)

    def _outcomes(self, ctx: CheckContext, target: Target, address: SharedAddress) -> Iterator[Outcome]:
        contact = target.contact
        assert contact is not None and target.customer is not None
        # The contact is on the portal and has this address, so its own account is one of the
        # address's accounts (two or more), and its spelling is one of the address's spellings.
        own = contact.customer
        others = len(address.accounts) - 1
        listed = ctx.rules.duplicate_email_accounts_listed
        own_name = target.customer.name
        named: list[str] = []  # one name per other account, so the count says how many are not named
        for name, count in address.names:
            named += [name] * min(count - (name == own_name), listed - len(named))
            if len(named) == listed:
                break
        evidence: dict[str, Any] = {
            "email": contact.email,
            "customer_name": own_name,
            "other_customers": named,
            "more_customers": others - len(named),
            "case_only": address.spellings[contact.email or ""] == {own},
        }
        observed = f"{others + 1} customer accounts"
        picker = ctx.org.portal.account_picker
        if picker if picker is not None else ctx.rules.account_picker:
            yield warn("duplicate-portal-email-allowed", observed=observed, expected="1", **evidence)
        else:
            yield fail("duplicate-portal-email", observed=observed, expected="1", **evidence)
