"""customer-portal-enabled: portal access is enabled for the customer."""

from __future__ import annotations

import pytest
from portaldoctor.checks.customer_portal_enabled import CustomerPortalEnabled

from portaldoctor.check import Status
from tests import factories as f
from tests.checks.helpers import Case, problems, remedy_text

CHECK = "customer-portal-enabled"

CASES = [
    Case("on", "customers: [{id: c1, name: Acme, portal_enabled: true}]", []),
    Case("off", "customers: [{id: c1, name: Acme, portal_enabled: false}]", ["customer-portal-disabled"]),
    Case(
        "off since a date",
        "customers: [{id: c1, name: Acme, portal_enabled: false, portal_disabled_at: 2026-11-02T10:15:00Z}]",
        ["customer-portal-disabled"],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_table(case: Case) -> None:
    assert case.codes(CHECK) == case.expected


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"portal_enabled": True}, []),
        ({"portal_enabled": False}, ["customer-portal-disabled"]),
    ],
)
def test_customer_portal_enabled(fields: dict[str, object], expected: list[str]) -> None:
    t = f.tenant(customers=[f.customer(**fields)])
    assert f.codes(f.run(CustomerPortalEnabled(), t)) == expected


def test_customer_portal_unknown_is_skip_not_pass() -> None:
    t = f.tenant(customers=[f.customer(portal_enabled=None)])
    [finding] = f.run(CustomerPortalEnabled(), t)
    assert finding.status is Status.SKIP
    assert "does not say" in (finding.reason or "")


def test_customer_portal_disabled_names_the_date_and_each_products_path() -> None:
    from portaldoctor.checks.customer_portal_enabled import CustomerPortalEnabled

    t = f.tenant(
        customers=[f.customer(name="Bluebird", portal_enabled=False, portal_disabled_at="2026-11-02T10:15:00Z")]
    )
    [finding] = problems(f.run(CustomerPortalEnabled(), t))
    upflow = remedy_text(finding, "upflow")
    assert "Portal access is switched off for Bluebird" in upflow and "since 2026-11-02 10:15 UTC" in upflow
    assert "Payments > Options" in upflow
    assert "Enable Customer Portal" in remedy_text(finding, "ar-automation")
