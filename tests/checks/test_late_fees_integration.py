"""late-fees-integration: late fees are only enabled with a supporting accounting integration."""

from __future__ import annotations

import pytest
from portaldoctor.checks.late_fees_integration import LateFeesIntegration

from tests import factories as f
from tests.checks.helpers import Case

CHECK = "late-fees-integration"

CASES = [
    Case(
        "NetSuite",
        """
        platform: upflow
        organisation: {accounting: {system: netsuite}}
        customers: [{id: c1, name: Acme, late_fees_enabled: true}]
        """,
        [],
    ),
    Case(
        "Xero",
        """
        platform: upflow
        organisation: {accounting: {system: xero}}
        customers: [{id: c1, name: Acme, late_fees_enabled: true}]
        """,
        ["late-fees-unsupported"],
    ),
    Case(
        "Xero, late fees off",
        """
        platform: upflow
        organisation: {accounting: {system: xero}}
        customers: [{id: c1, name: Acme, late_fees_enabled: false}]
        """,
        [],
    ),
    Case(
        "a profile that names no system",
        """
        organisation: {accounting: {system: xero}}
        customers: [{id: c1, name: Acme, late_fees_enabled: true}]
        """,
        [],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_table(case: Case) -> None:
    assert case.codes(CHECK) == case.expected


@pytest.mark.parametrize(
    ("system", "late", "expected"),
    [("netsuite", True, []), ("xero", True, ["late-fees-unsupported"]), ("xero", False, [])],
)
def test_late_fees(system: str, late: bool, expected: list[str]) -> None:
    t = f.tenant(organisation={"accounting": {"system": system}}, customers=[f.customer(late_fees_enabled=late)])
    assert f.codes(f.run(LateFeesIntegration(), t, rules={"late_fee_systems": ["netsuite"]})) == expected
