"""link-validity-setting: portal link validity is set, in range, and outlasts the reminder cadence."""

from __future__ import annotations

from typing import Any

import pytest
from portaldoctor.checks.link_validity_setting import LinkValiditySetting

from tests import factories as f
from tests.checks.helpers import Case, problems, remedy_text

CHECK = "link-validity-setting"

CASES = [
    Case("25 days, reminders weekly", "organisation: {portal: {link_validity_days: 25, reminder_cadence_days: 7}}", []),
    Case("not set, where it is configurable", "platform: upflow", ["link-validity-missing"]),
    Case("out of range", "organisation: {portal: {link_validity_days: 2000}}", ["link-validity-out-of-range"]),
    Case(
        "shorter than the reminder cadence",
        "organisation: {portal: {link_validity_days: 3, reminder_cadence_days: 7}}",
        ["link-validity-shorter-than-cadence"],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_table(case: Case) -> None:
    assert case.codes(CHECK) == case.expected


@pytest.mark.parametrize(
    ("portal", "rules", "expected"),
    [
        ({"link_validity_days": 25, "reminder_cadence_days": 7}, {}, []),
        ({"link_validity_days": 2000}, {"link_validity_range_days": [1, 1000]}, ["link-validity-out-of-range"]),
        ({"link_validity_days": 0}, {}, ["link-validity-out-of-range"]),
        ({"link_validity_days": 3, "reminder_cadence_days": 7}, {}, ["link-validity-shorter-than-cadence"]),
        ({}, {"link_validity_configurable": True}, ["link-validity-missing"]),
        ({}, {}, []),
    ],
)
def test_link_validity_setting(portal: dict[str, Any], rules: dict[str, Any], expected: list[str]) -> None:
    t = f.tenant(organisation={"portal": portal})
    assert f.codes(f.run(LinkValiditySetting(), t, rules=rules)) == expected


def test_link_validity_shorter_than_cadence_remedy_names_numbers_and_upflow_menu() -> None:
    t = f.tenant(organisation={"portal": {"link_validity_days": 3, "reminder_cadence_days": 7}})
    [finding] = problems(f.run(LinkValiditySetting(), t))
    text = remedy_text(finding, "upflow")
    assert "expire after 3 days but reminders go out every 7 days" in text
    assert "Settings > Customer portal" in text and "Preview the customer portal" in text
