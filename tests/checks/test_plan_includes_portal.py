"""plan-includes-portal: the subscription plan includes the customer portal."""

from __future__ import annotations

from typing import Any

import pytest
from portaldoctor.checks.plan_includes_portal import PlanIncludesPortal

from tests import factories as f
from tests.checks.helpers import Case, problems, remedy_text

CHECK = "plan-includes-portal"

CASES = [
    Case("a plan with the portal", "platform: ar-automation\norganisation: {plan: Pro}", []),
    Case("a plan without it", "platform: ar-automation\norganisation: {plan: Starter}", ["plan-without-portal"]),
    Case("the tenant says so", "organisation: {plan: starter, plan_includes_portal: false}", ["plan-without-portal"]),
    Case(
        "the tenant overrides the plan list",
        "platform: ar-automation\norganisation: {plan: Starter, plan_includes_portal: true}",
        [],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_table(case: Case) -> None:
    assert case.codes(CHECK) == case.expected


@pytest.mark.parametrize(
    ("org", "expected"),
    [
        ({"plan": "Pro"}, []),
        ({"plan": "Starter"}, ["plan-without-portal"]),
        ({"plan": "Starter", "plan_includes_portal": True}, []),
        ({"plan_includes_portal": False}, ["plan-without-portal"]),
    ],
)
def test_plan_includes_portal(org: dict[str, Any], expected: list[str]) -> None:
    findings = f.run(
        PlanIncludesPortal(), f.tenant(organisation=org), rules={"plans_with_portal": ["Enterprise", "Plus", "Pro"]}
    )
    assert f.codes(findings) == expected
    if expected:
        assert "Enterprise, Plus, Pro" in remedy_text(problems(findings)[0]) or "plan" in remedy_text(
            problems(findings)[0]
        )
