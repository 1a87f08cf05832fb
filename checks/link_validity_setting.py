"""Organisation link-validity setting."""

from __future__ import annotations

from collections.abc import Iterator

from portaldoctor.check import CheckContext, CheckSpec, Outcome, Scope, Target, fail, skip, warn


class LinkValiditySetting:
    """Portal links must stay valid long enough for customers to open them.

    Each reminder carries a freshly issued link whose token lives for the organisation's link
    validity. A validity missing or outside the product's allowed range is a configuration
    error; a validity shorter than the reminder cadence leaves customers holding dead links
    between reminders, which they report as "Invalid link".

    Passes::

        organisation: {portal: {link_validity_days: 25, reminder_cadence_days: 7}}

    Fails (``link-validity-shorter-than-cadence``)::

        organisation: {portal: {link_validity_days: 3, reminder_cadence_days: 7}}
    """

    spec = CheckSpec(
        id="link-validity-setting",
        title="Portal link validity is set, in range, and outlasts the reminder cadence",
        scope=Scope.ORG,
        codes=("link-validity-missing", "link-validity-out-of-range", "link-validity-shorter-than-cadence"),
        tags=("links", "settings"),
        samples={
            "link-validity-missing": {"default_days": 25},
            "link-validity-out-of-range": {"days": 2000, "minimum": 1, "maximum": 1000},
            "link-validity-shorter-than-cadence": {"days": 3, "cadence_days": 7},
        },
    )

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        portal = ctx.org.portal
        days = portal.link_validity_days
        if days is None:
            if ctx.rules.link_validity_configurable:
                yield warn(
                    "link-validity-missing",
                    observed=None,
                    expected="a link validity in days",
                    default_days=ctx.rules.link_validity_default_days,
                )
            else:
                yield skip(self.spec.id, "the tenant does not say how long portal links stay valid")
            return
        low, high = ctx.rules.link_validity_range_days
        if not low <= days <= high:
            yield fail(
                "link-validity-out-of-range",
                observed=f"{days} days",
                expected=f"{low}-{high} days",
                days=days,
                minimum=low,
                maximum=high,
            )
            return
        cadence = portal.reminder_cadence_days
        if cadence is not None and days < cadence:
            yield fail(
                "link-validity-shorter-than-cadence",
                observed=f"links valid {days} days",
                expected=f"at least {cadence} days (the reminder cadence)",
                days=days,
                cadence_days=cadence,
            )
