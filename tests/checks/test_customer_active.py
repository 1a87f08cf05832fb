"""customer-active: customer is active in the accounting system."""

from __future__ import annotations

import pytest
from portaldoctor.checks.customer_active import CustomerActive

from tests import factories as f
from tests.checks.helpers import Case, problems, remedy_text

CHECK = "customer-active"

CASES = [
    Case("active", "customers: [{id: c1, name: Acme, active: true}]", []),
    Case("not said", "customers: [{id: c1, name: Acme, active: null}]", []),
    Case("inactive", "customers: [{id: c1, name: Acme, active: false}]", ["customer-inactive"]),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_table(case: Case) -> None:
    assert case.codes(CHECK) == case.expected


def test_customer_active() -> None:
    assert f.codes(f.run(CustomerActive(), f.tenant())) == []
    t = f.tenant(
        organisation={"accounting": {"system": "NetSuite"}}, customers=[f.customer(name="Juniper", active=False)]
    )
    [finding] = problems(f.run(CustomerActive(), t))
    assert "Juniper is inactive in NetSuite" in remedy_text(finding, "upflow")
