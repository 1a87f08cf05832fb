"""A change of link validity only applies to links issued after it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from portaldoctor.check import CheckContext, CheckSpec, Outcome, Scope, Target, warn
from portaldoctor.clock import when


class LinkValidityChange:
    """Raising the link validity does not rescue links that were already sent.

    The new validity applies to links issued after the change; links issued before it keep the
    validity in force when they were issued. Customers holding such a link still see
    "Invalid link" although the setting now looks generous. The check counts the tenant's links
    that expired under the old validity but would still be open under the new one.

    Passes::

        organisation: {portal: {link_validity_days: 25}}

    Warns (``link-validity-change-not-retroactive``)::

        organisation:
          portal: {link_validity_days: 30, previous_link_validity_days: 10,
                   link_validity_changed_at: 2026-11-10T09:00:00Z}
        links: [{id: l1, customer: c1, issued_at: 2026-11-05T09:00:00Z}]
    """

    spec = CheckSpec(
        id="link-validity-change",
        title="Links issued before a link-validity change are still governed by the old value",
        scope=Scope.ORG,
        codes=("link-validity-change-not-retroactive",),
        depends_on=("link-validity-setting",),
        tags=("links", "settings"),
        samples={
            "link-validity-change-not-retroactive": {
                "changed_at": "2026-11-10 09:00 UTC",
                "old_days": 10,
                "new_days": 25,
                "affected": 3,
                "customers": ["Granite Builders", "Harbor Freight Co"],
            }
        },
    )

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        portal = ctx.org.portal
        changed, old, new = (
            portal.link_validity_changed_at,
            portal.previous_link_validity_days,
            portal.link_validity_days,
        )
        if changed is None or old is None or new is None or new <= old:
            return
        affected = []
        for link in ctx.tenant.links:
            issued = link.issued_at or link.sent_at
            if issued is None or issued >= changed or link.expires_at or link.expires_in_seconds:
                continue
            old_expiry = issued + dt.timedelta(days=old)
            new_expiry = issued + dt.timedelta(days=new)
            if old_expiry <= ctx.now < new_expiry:
                affected.append(link)
        if affected:
            names = sorted({ctx.index.customers[link.customer].name for link in affected})
            yield warn(
                "link-validity-change-not-retroactive",
                observed=f"{len(affected)} link(s) expired under the old {old}-day validity",
                expected=f"links re-sent after the change to {new} days",
                changed_at=when(changed),
                old_days=old,
                new_days=new,
                affected=len(affected),
                customers=names,
            )
