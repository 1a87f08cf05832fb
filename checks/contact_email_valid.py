"""Contact email present and valid."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from portaldoctor.check import CheckContext, CheckSpec, Outcome, Scope, Target, fail
from portaldoctor.knowledge.email import email_problem


class ContactEmailValid:
    """A portal contact needs a syntactically valid email address.

    Invitations, login details and password resets go to the contact's email. A missing or
    malformed address means the email is never delivered. Validation follows the
    email-validator library (RFC 5322 syntax, internationalised domains), without DNS lookups.

    Passes::

        contacts: [{id: p1, customer: c1, email: ap@acme.example}]

    Fails (``contact-email-invalid``)::

        contacts: [{id: p1, customer: c1, email: "ap@@acme.example"}]
    """

    spec = CheckSpec(
        id="contact-email-valid",
        title="Portal contact has a valid email address",
        scope=Scope.CONTACT,
        codes=("contact-email-missing", "contact-email-invalid", "contact-email-chars-rejected"),
        depends_on=("customer-portal-enabled",),
        tags=("contact", "email", "invitation"),
        samples={
            "contact-email-missing": {"contact_name": "Dana Pierce", "customer_name": "Acme Ltd"},
            "contact-email-invalid": {
                "contact_name": "Dana Pierce",
                "customer_name": "Acme Ltd",
                "email": "dana@@acme.example",
                "problem": "An email address must have exactly one @-sign.",
            },
            "contact-email-chars-rejected": {
                "contact_name": "Dana Pierce",
                "customer_name": "Acme Ltd",
                "email": "dana&co@acme.example",
                "characters": "&",
                "allowed": "letters, digits and + _ ' . -",
            },
        },
    )

    def run_all(self, ctx: CheckContext, targets: Iterable[Target]) -> Iterator[tuple[Target, list[Outcome]]]:
        """Valid addresses made of allowed characters (and contacts off the portal) pass without ``run``."""
        allowed = ctx.rules.email_local_part_allowed
        local_ok = _local_part(allowed).fullmatch if allowed else None
        for target in targets:
            contact = target.contact
            assert contact is not None
            if contact.portal_user is False:
                continue
            email = contact.email
            if email and email_problem(email) is None and (local_ok is None or local_ok(email.rsplit("@", 1)[0])):
                continue
            outcomes = list(self.run(ctx, target))
            if outcomes:
                yield target, outcomes

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        contact = target.contact
        assert contact is not None and target.customer is not None
        if contact.portal_user is False:
            return
        names: dict[str, Any] = {"contact_name": contact.name or contact.id, "customer_name": target.customer.name}
        if not contact.email:
            yield fail("contact-email-missing", observed=None, expected="an email address", **names)
            return
        problem = email_problem(contact.email)
        if problem is not None:
            yield fail(
                "contact-email-invalid",
                observed=contact.email,
                expected="a valid email address",
                email=contact.email,
                problem=problem,
                **names,
            )
            return
        allowed = ctx.rules.email_local_part_allowed
        if allowed:
            local = contact.email.rsplit("@", 1)[0]
            bad = (
                []
                if _local_part(allowed).fullmatch(local)
                else sorted({ch for ch in local if not re.fullmatch(f"[{allowed}]", ch)})
            )
            if bad:
                yield fail(
                    "contact-email-chars-rejected",
                    observed=contact.email,
                    expected=f"only {ctx.rules.email_local_part_allowed_text} before the @",
                    email=contact.email,
                    characters=" ".join(bad),
                    allowed=ctx.rules.email_local_part_allowed_text,
                    **names,
                )


@lru_cache(maxsize=8)
def _local_part(allowed: str) -> re.Pattern[str]:
    """A local part made only of the allowed characters (a regex character-class body)."""
    return re.compile(f"[{allowed}]*")
