"""Every demo story: ``diagnose`` names the documented cause first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portaldoctor import clock
from portaldoctor.engine import Limits
from portaldoctor.outputs import Outputs
from portaldoctor.session import Network
from portaldoctor.snapshot.sources import open_source

NOW = "2026-11-22T12:00:00Z"

STORIES = [
    # tenant, customer, documented cause (first problem code)
    ("demo", "Bluebird Logistics", "customer-portal-disabled"),
    ("demo", "Copperleaf Foods", "contact-email-invalid"),
    ("demo", "Delta Fabrication", "duplicate-portal-email"),
    ("demo", "Acme Manufacturing", "https-links-blocked-by-dns"),
    ("demo", "Evergreen Dental", "link-superseded"),
    ("demo", "Fjord Analytics", "link-already-accepted"),
    ("demo", "Granite Builders", "link-expired"),
    ("demo:upflow-https-off", "Kestrel Tools", "https-links-off"),
    ("demo:salestrekker", "Aria Brooks", "contact-mobile-missing"),
    ("demo:salestrekker", "Ben Cole", "contact-mobile-is-sender"),
    ("demo:salestrekker", "Cara Diaz", "stage-read-only"),
    ("demo:salestrekker", "Dan Evans", "link-superseded"),
    ("demo:salestrekker", "Eve Fox", "sms-credits-exhausted"),
    ("demo:salestrekker-no-sms", "Finn Grey", "sms-disabled"),
    ("demo:salestrekker-no-privacy", "Gia Hart", "privacy-link-missing"),
    ("demo:vtiger", "Maple Street Clinic", "support-ended"),
    ("demo:vtiger", "Northgate Schools", "contact-email-opted-out"),
    ("demo:vtiger", "Oakridge Dental", "contact-not-portal-user"),
    ("demo:vtiger", "Pinecrest Labs", "duplicate-portal-email"),
    ("demo:vtiger", "Quarry Hill Farms", "support-dates-missing"),
    ("demo:ar-automation", "Summit Outfitters", "invitation-pending"),
    ("demo:ar-automation", "Tidewater Marine", "invitation-already-accepted"),
    ("demo:ar-automation", "Upland Grocers", "contact-not-portal-user"),
    ("demo:ar-automation", "Vista Hotels North", "duplicate-portal-email"),
    ("demo:ar-automation", "Willow Creek Farms", "inactive-customer-not-imported"),
    ("demo:ar-automation", "Yarrow Books", "link-superseded"),
    ("demo:ar-automation-starter", "Zephyr Cafe", "plan-without-portal"),
]


def diagnose(tenant: str, customer: str, symptom: str | None = None) -> list[str]:
    """The codes of the problems ``diagnose CUSTOMER --offline`` reports, in report order."""
    import tempfile

    from portaldoctor.commands.diagnose import diagnose as command

    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        command(
            customer=customer,
            source=open_source(tenant),
            outputs=Outputs.plan(outputs=[f"json:{report}"], quiet=True),
            now=clock.now(NOW),
            network=Network(offline=True),
            limits=Limits(),
            symptom=symptom,
        )
        findings = json.loads(report.read_text())["findings"]
    return [f["code"] for f in findings if f["status"] in ("fail", "error", "warn")]


@pytest.mark.parametrize(("tenant", "customer", "cause"), STORIES, ids=[f"{t}-{c}" for t, c, _ in STORIES])
def test_diagnose_names_the_documented_cause_first(tenant: str, customer: str, cause: str) -> None:
    codes = diagnose(tenant, customer)
    assert codes and codes[0] == cause, codes


def test_every_demo_tenant_tells_at_least_one_story() -> None:
    from portaldoctor.snapshot.sources.demo import PROFILES

    told = {tenant for tenant, _, _ in STORIES}
    assert told == {"demo", *(f"demo:{name}" for name in PROFILES)}


@pytest.mark.parametrize(
    ("tenant", "customer", "symptom", "cause"),
    [
        ("demo", "Bluebird Logistics", "Customer portal not found", "customer-portal-disabled"),
        (
            "demo",
            "Acme Manufacturing",
            "my browser says YOUR CONNECTION IS NOT PRIVATE!!",
            "https-links-blocked-by-dns",
        ),
        ("demo:salestrekker", "Eve Fox", "the invitation icon is missing", "sms-credits-exhausted"),
        ("demo:salestrekker", "Eve Fox", "page keeps loading in Safari", "browser-incompatible"),
        ("demo:salestrekker", "Aria Brooks", "blank invitation box", "contact-mobile-missing"),
        ("demo:ar-automation", "Tidewater Marine", "invalid invitation token", "invitation-already-accepted"),
        ("demo:vtiger", "Maple Street Clinic", "login details not delivered", "support-ended"),
        ("demo:salestrekker-no-privacy", "Gia Hart", "Missing privacy link.", "privacy-link-missing"),
        ("demo:salestrekker-no-sms", "Finn Grey", "invite icon missing", "sms-disabled"),
        ("demo:ar-automation-starter", "Zephyr Cafe", "invalid username or email", "plan-without-portal"),
        ("demo:ar-automation", "Yarrow Books", "Invalid invitation token", "link-superseded"),
        ("demo:upflow-https-off", "Kestrel Tools", "connection not private", "https-links-off"),
    ],
)
def test_symptom_runs_the_checks_that_explain_it(tenant: str, customer: str, symptom: str, cause: str) -> None:
    codes = diagnose(tenant, customer, symptom)
    assert codes and codes[0] == cause, codes
