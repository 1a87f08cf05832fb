"""Contact mobile number for the SMS PIN."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from portaldoctor.check import CheckContext, CheckSpec, Outcome, Scope, Target, fail, warn
from portaldoctor.knowledge.phone import phone_facts


class ContactMobileValid:
    """Where the portal PIN goes by SMS, the contact needs a valid mobile number.

    Numbers are read in the customer's region, else the organisation's (phonenumbers). A
    number that is valid but a landline cannot receive the PIN; one whose type cannot be told
    apart (fixed line or mobile, as in the US) is a warning.

    Passes::

        platform: salestrekker    # the portal PIN goes by SMS
        organisation: {region: GB}
        contacts: [{id: p1, customer: c1, mobile: "07911 123456"}]

    Fails (``contact-mobile-not-mobile``)::

        platform: salestrekker
        organisation: {region: GB}
        contacts: [{id: p1, customer: c1, mobile: "020 7946 0000"}]
    """

    spec = CheckSpec(
        id="contact-mobile-valid",
        title="Portal contact has a valid mobile number",
        scope=Scope.CONTACT,
        codes=(
            "contact-mobile-missing",
            "contact-mobile-invalid",
            "contact-mobile-not-mobile",
            "contact-mobile-type-unknown",
        ),
        depends_on=("customer-portal-enabled",),
        tags=("contact", "sms", "invitation"),
        samples={
            "contact-mobile-missing": {"contact_name": "Dana Pierce", "customer_name": "Acme"},
            "contact-mobile-invalid": {
                "contact_name": "Dana Pierce",
                "customer_name": "Acme",
                "mobile": "0412",
                "region": "AU",
            },
            "contact-mobile-not-mobile": {
                "contact_name": "Dana Pierce",
                "customer_name": "Acme",
                "mobile": "02 9374 4000",
                "region": "AU",
                "kind": "fixed line",
            },
            "contact-mobile-type-unknown": {
                "contact_name": "Dana Pierce",
                "customer_name": "Acme",
                "mobile": "+1 201 555 0123",
                "region": "US",
            },
        },
    )

    def run_all(self, ctx: CheckContext, targets: Iterable[Target]) -> Iterator[tuple[Target, list[Outcome]]]:
        """Plain valid mobiles (and contacts off the portal) pass without ``run``."""
        from phonenumbers import PhoneNumberType

        fine = (PhoneNumberType.MOBILE, PhoneNumberType.PAGER)
        sms = ctx.rules.sms_pin_login
        org_region = ctx.org.region
        for target in targets:
            contact, customer = target.contact, target.customer
            assert contact is not None and customer is not None
            if contact.portal_user is False:
                continue
            if contact.mobile:
                valid, kind, _ = phone_facts(contact.mobile, customer.region or org_region)
                if valid and kind in fine:
                    continue
            elif not sms:
                continue
            outcomes = list(self.run(ctx, target))
            if outcomes:
                yield target, outcomes

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        from phonenumbers import PhoneNumberType

        contact, customer = target.contact, target.customer
        assert contact is not None and customer is not None
        if contact.portal_user is False:
            return
        sms = ctx.rules.sms_pin_login
        names: dict[str, Any] = {"contact_name": contact.name or contact.id, "customer_name": customer.name}
        if not contact.mobile:
            if sms:
                yield fail("contact-mobile-missing", observed=None, expected="a mobile number", **names)
            return
        region = customer.region or ctx.org.region
        valid, kind, _ = phone_facts(contact.mobile, region)
        if not valid:
            yield fail(
                "contact-mobile-invalid",
                observed=contact.mobile,
                expected=f"a valid number{' in ' + region if region else ' with its country code'}",
                mobile=contact.mobile,
                region=region or "unknown",
                **names,
            )
            return
        if kind == PhoneNumberType.FIXED_LINE_OR_MOBILE:
            if sms:
                yield warn(
                    "contact-mobile-type-unknown",
                    observed=contact.mobile,
                    expected="a mobile number",
                    mobile=contact.mobile,
                    region=region or "unknown",
                    **names,
                )
        elif kind not in (PhoneNumberType.MOBILE, PhoneNumberType.PAGER) and sms:
            labels: dict[int | None, str] = {
                PhoneNumberType.FIXED_LINE: "fixed line",
                PhoneNumberType.VOIP: "VoIP",
                PhoneNumberType.TOLL_FREE: "toll-free",
            }
            label = labels.get(kind, "not a mobile")
            yield fail(
                "contact-mobile-not-mobile",
                observed=f"{contact.mobile} ({label})",
                expected="a mobile number",
                mobile=contact.mobile,
                region=region or "unknown",
                kind=label,
                **names,
            )
