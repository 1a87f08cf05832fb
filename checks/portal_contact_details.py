"""The organisation's contact details shown on the portal."""

from __future__ import annotations

from collections.abc import Iterator

from portaldoctor.check import CheckContext, CheckSpec, Outcome, Scope, Target, fail, warn
from portaldoctor.knowledge.email import email_problem
from portaldoctor.knowledge.phone import phone_facts


class PortalContactDetails:
    """The portal should show customers a working email and phone number to reach you.

    Customers who cannot open an invoice or pay look for a way to contact the team on the
    portal itself. A missing or malformed address or number sends them nowhere.

    Passes::

        organisation: {region: GB, portal: {contact_email: ar@acme.example, contact_phone: "+44 20 7946 0000"}}

    Fails (``portal-contact-email-invalid``)::

        organisation: {portal: {contact_email: "ar@"}}
    """

    spec = CheckSpec(
        id="portal-contact-details",
        title="Portal shows a valid contact email and phone number",
        scope=Scope.ORG,
        codes=("portal-contact-missing", "portal-contact-email-invalid", "portal-contact-phone-invalid"),
        tags=("portal", "settings"),
        samples={
            "portal-contact-missing": {},
            "portal-contact-email-invalid": {"email": "ar@", "problem": "There must be something after the @-sign."},
            "portal-contact-phone-invalid": {"phone": "020 7946", "region": "GB"},
        },
    )

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        portal = ctx.org.portal
        if portal.contact_email is None and portal.contact_phone is None:
            if not ctx.rules.portal_contact_details:
                return
            yield warn("portal-contact-missing", observed=None, expected="an email and/or phone number")
            return
        if portal.contact_email is not None:
            problem = email_problem(portal.contact_email)
            if problem is not None:
                yield fail(
                    "portal-contact-email-invalid",
                    observed=portal.contact_email,
                    expected="a valid email address",
                    email=portal.contact_email,
                    problem=problem,
                )
        if portal.contact_phone is not None and not phone_facts(portal.contact_phone, ctx.org.region)[0]:
            yield fail(
                "portal-contact-phone-invalid",
                observed=portal.contact_phone,
                expected="a valid phone number",
                phone=portal.contact_phone,
                region=ctx.org.region,
            )
