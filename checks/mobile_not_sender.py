"""The client's mobile must differ from the sender's."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from portaldoctor.check import CheckContext, CheckSpec, Outcome, Scope, Target, fail
from portaldoctor.knowledge.phone import e164, plain_e164


class MobileNotSender:
    """The SMS PIN never arrives when the client's mobile is the sender's own number.

    Carriers do not deliver an SMS to the number that sends it, so staff testing the portal
    with their own mobile, or a client record holding the deal owner's number, never receive
    the PIN. Numbers are compared after normalising to E.164.

    Passes::

        organisation: {region: GB}
        users: [{id: u1, name: Priya, mobile: "+44 7911 123456"}]
        contacts: [{id: p1, customer: c1, deal_owner: u1, mobile: "07911 123999"}]

    Fails (``contact-mobile-is-sender``)::

        organisation: {region: GB}
        users: [{id: u1, name: Priya, mobile: "+44 7911 123456"}]
        contacts: [{id: p1, customer: c1, deal_owner: u1, mobile: "07911 123456"}]
    """

    spec = CheckSpec(
        id="mobile-not-sender",
        title="Client mobile is not the sender's (deal owner's) mobile",
        scope=Scope.CONTACT,
        codes=("contact-mobile-is-sender",),
        depends_on=("contact-mobile-valid",),
        tags=("contact", "sms", "invitation"),
        samples={
            "contact-mobile-is-sender": {
                "contact_name": "Dana Pierce",
                "user_name": "Priya Shah",
                "mobile": "+447700900123",
            }
        },
    )

    def run_all(self, ctx: CheckContext, targets: Iterable[Target]) -> Iterator[tuple[Target, list[Outcome]]]:
        """Contacts whose number is no user's number pass without ``run``."""
        staff = {e164(user.mobile, ctx.org.region) for user in ctx.tenant.users} - {None}
        if not staff:
            return
        org_region = ctx.org.region
        for target in targets:
            contact, customer = target.contact, target.customer
            assert contact is not None and customer is not None
            mobile = contact.mobile
            if not mobile:
                continue
            # A number written +CC… is compared as written: it can only be a staff number if its
            # digits are. Other forms are parsed in the customer's region.
            mine = plain_e164(mobile) or e164(mobile, customer.region or org_region)
            if mine not in staff:
                continue
            outcomes = list(self.run(ctx, target))
            if outcomes:
                yield target, outcomes

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        contact, customer = target.contact, target.customer
        assert contact is not None and customer is not None
        region = customer.region or ctx.org.region
        mine = e164(contact.mobile, region)
        if mine is None:
            return
        owners = [ctx.index.users[contact.deal_owner]] if contact.deal_owner else list(ctx.tenant.users)
        for user in owners:
            if e164(user.mobile, ctx.org.region) == mine:
                yield fail(
                    "contact-mobile-is-sender",
                    observed=mine,
                    expected="the client's own mobile",
                    contact_name=contact.name or contact.id,
                    user_name=user.name or user.id,
                    mobile=mine,
                )
                return
