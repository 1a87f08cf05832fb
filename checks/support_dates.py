"""Support start and end dates that gate portal login."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from portaldoctor.check import CheckContext, CheckSpec, Outcome, Scope, Target, fail


class SupportDates:
    """Portal login works only between the contact's support start and end dates.

    Some CRMs email login details, and accept a login, only while today lies between the
    contact's support start date and support end date. Missing dates, an end before the
    start, a start in the future or an end in the past all stop the login details.

    Passes::

        contacts: [{id: p1, customer: c1, portal_user: true, support_start: 2026-01-01, support_end: 2027-12-31}]

    Fails (``support-ended``)::

        contacts: [{id: p1, customer: c1, portal_user: true, support_start: 2025-01-01, support_end: 2025-12-31}]
    """

    spec = CheckSpec(
        id="support-dates",
        title="Contact's support dates cover today",
        scope=Scope.CONTACT,
        codes=("support-dates-missing", "support-dates-inverted", "support-not-started", "support-ended"),
        depends_on=("customer-portal-enabled",),
        tags=("contact", "login", "invitation"),
        samples={
            "support-dates-missing": {"contact_name": "Dana Pierce", "missing": ["support end date"]},
            "support-dates-inverted": {"contact_name": "Dana Pierce", "start": "2026-12-01", "end": "2026-01-01"},
            "support-not-started": {"contact_name": "Dana Pierce", "start": "2026-12-01", "today": "2026-11-22"},
            "support-ended": {"contact_name": "Dana Pierce", "end": "2026-10-31", "today": "2026-11-22"},
        },
    )

    def run_all(self, ctx: CheckContext, targets: Iterable[Target]) -> Iterator[tuple[Target, list[Outcome]]]:
        """Contacts off the portal, or without dates where dates are optional, pass without ``run``."""
        required = ctx.rules.support_dates
        for target in targets:
            contact = target.contact
            assert contact is not None
            if contact.portal_user is False or (
                not required and contact.support_start is None and contact.support_end is None
            ):
                continue
            outcomes = list(self.run(ctx, target))
            if outcomes:
                yield target, outcomes

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        contact = target.contact
        assert contact is not None
        start, end = contact.support_start, contact.support_end
        if contact.portal_user is False or (not ctx.rules.support_dates and start is None and end is None):
            return
        name: dict[str, Any] = {"contact_name": contact.name or contact.email or contact.id}
        today = ctx.today
        missing = [
            label for label, value in (("support start date", start), ("support end date", end)) if value is None
        ]
        if missing:
            yield fail("support-dates-missing", observed=None, expected="both support dates", missing=missing, **name)
        elif start is not None and end is not None and end < start:
            yield fail(
                "support-dates-inverted",
                observed=f"{start} to {end}",
                expected="end on or after start",
                start=start.isoformat(),
                end=end.isoformat(),
                **name,
            )
        elif start is not None and start > today:
            yield fail(
                "support-not-started",
                observed=start.isoformat(),
                expected=f"on or before {today}",
                start=start.isoformat(),
                today=today.isoformat(),
                **name,
            )
        elif end is not None and end < today:
            yield fail(
                "support-ended",
                observed=end.isoformat(),
                expected=f"on or after {today}",
                end=end.isoformat(),
                today=today.isoformat(),
                **name,
            )
