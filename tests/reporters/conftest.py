"""Reports for reporter tests: a hand-made one (stable goldens) and the demo tenant's audit."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest

from portaldoctor.check import Finding, Severity, Status, Subject
from portaldoctor.errors import SourceLocation
from portaldoctor.playbooks.model import PlaybookLink, Remedy
from portaldoctor.report import CheckInfo, Item, Report

DATA = Path(__file__).parent.parent / "data"
GOLDEN = DATA / "golden" / "reporters"
ROOT = "/srv/tenants/northwind"
TENANT_FILE = f"{ROOT}/tenant.yaml"
JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJzdWIiOiJQLTEiLCJleHAiOjE3OTk5OTk5OTl9."
    "c2lnbmF0dXJlLXRoYXQtbXVzdC1uZXZlci1sZWFr"
)
JWT_SIGNATURE = JWT.rsplit(".", 1)[1]


def remedy(code: str, title: str, severity: Severity, **fields: Any) -> Remedy:
    """A rendered remedy with short defaults."""
    return Remedy(
        code=code,
        profile="generic",
        title=title,
        severity=severity,
        why=fields.get("why", f"Why {code} happens."),
        steps=tuple(fields.get("steps", (f"First step for {code}.", f"Second step for {code}."))),
        customer_message=fields.get("customer_message", f"Customer message for {code}."),
        it_note=fields.get("it_note"),
        links=tuple(fields.get("links", ())),
    )


ORG = Subject("org", "org", "Northwind Supplies")
BLUEBIRD = Subject("customer", "C-2", "Bluebird Logistics", customer_id="C-2")
BEN = Subject("contact", "P-2", "ben@bluebird.example", customer_id="C-2", contact_id="P-2")
LINK = Subject("link", "L-9", "portal link L-9", customer_id="C-2", contact_id="P-2")
ANA = Subject("contact", "P-1", "ana@acme.example", customer_id="C-1", contact_id="P-1")


def loc(line: int) -> SourceLocation:
    """A location in the (fictional, absolute) tenant file."""
    return SourceLocation(TENANT_FILE, line)


def sample_items() -> tuple[Item, ...]:
    """Every status, a root cause, a suppression, a JWT in free text and under a secret key."""
    return (
        Item(
            Finding(
                "customer-portal-enabled", "customer-portal-disabled", Status.FAIL, BLUEBIRD,
                observed="disabled", expected="enabled", evidence={"disabled_at": "2026-11-02 10:15 UTC"},
                location=loc(39), duration_ms=1.5,
            ),
            remedy("customer-portal-disabled", "Portal access is switched off for Bluebird Logistics", Severity.HIGH,
                   links=[PlaybookLink("Portal settings", "https://help.example/portal")]),
            root_cause=True,
        ),
        Item(
            Finding(
                "https-links-enabled", "https-links-blocked-by-dns", Status.FAIL, ORG,
                observed="off", expected="on", evidence={"domain": "northwind.example"}, location=loc(5),
            ),
            remedy("https-links-blocked-by-dns", "HTTPS links wait for DNS | <verification>", Severity.MEDIUM,
                   it_note="Publish the CNAME record."),
        ),
        Item(
            Finding(
                "link-validity", "link-expired", Status.FAIL, LINK,
                observed=f"clicked https://pay.example/p?token={JWT}", expected="a live link",
                evidence={"token": JWT, "note": f"raw value {JWT} seen in the email"}, location=loc(70),
            ),
            remedy("link-expired", "The portal link has expired", Severity.HIGH,
                   why=f"The token {JWT} expired."),
        ),
        Item(
            Finding("contact-opt-out", "contact-opted-out", Status.WARN, ANA, observed=True, expected=False,
                    location=loc(61)),
            remedy("contact-opted-out", "Ana opted out of emails", Severity.LOW),
        ),
        Item(
            Finding("sms-credits", "sms-credits-low", Status.FAIL, ORG, observed=3, expected=">= 50", location=loc(12)),
            remedy("sms-credits-low", "SMS credits are running out", Severity.MEDIUM),
            suppressed="SMS is not used for the portal here",
        ),
        Item(
            Finding("dns-records", "dns-lookup-failed", Status.ERROR, ORG, reason="resolver timed out after 5 s",
                    location=loc(20)),
        ),
        Item(
            Finding("contact-email-valid", "contact-email-valid", Status.SKIP, BEN,
                    reason="blocked by customer-portal-enabled (customer-portal-disabled)",
                    blocked_by="customer-portal-enabled:customer-portal-disabled"),
        ),
        Item(Finding("contact-email-valid", "contact-email-valid", Status.PASS, ANA, duration_ms=0.25)),
    )  # fmt: skip


def sample_report(**overrides: Any) -> Report:
    """The hand-made report: fixed clock, fixed durations, no playbook or registry involved."""
    fields: dict[str, Any] = {
        "tenant": "Northwind Supplies",
        "platform": None,
        "profile": "generic",
        "product": "the portal",
        "command": "audit",
        "generated_at": dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC),
        "items": sample_items(),
        "extra_passes": 10,
        "duration_s": 0.5,
        "catalogue": CATALOGUE,
    }
    return Report(**(fields | overrides))


CATALOGUE = {
    "customer-portal-enabled": CheckInfo(
        "Customer portal enabled", "Portal access is on for the customer.", ("access",)
    ),
    "https-links-enabled": CheckInfo("HTTPS links enabled", "Links use https.", ("dns",)),
}
"""The checks the hand-made report was built with (SARIF's rule titles)."""


@pytest.fixture
def report() -> Report:
    """The hand-made report."""
    return sample_report()


@pytest.fixture(scope="session")
def demo_report() -> Report:
    """The demo tenant's offline audit at a fixed moment."""
    from tests.factories import offline_audit

    return offline_audit()


def check_golden(name: str, text: str) -> None:
    """Compare with tests/data/golden/reporters/NAME; UPDATE_GOLDEN=1 rewrites it."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") or not path.exists():
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} changed; review and regenerate with UPDATE_GOLDEN=1"
