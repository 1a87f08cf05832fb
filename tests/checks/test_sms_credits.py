"""sms-credits: enough SMS credits to send portal PINs."""

from __future__ import annotations

from typing import Any

import pytest
from portaldoctor.checks.sms_credits import SmsCredits
from portaldoctor.checks.sms_enabled import SmsEnabled

from portaldoctor.check import Status
from tests import factories as f
from tests.checks.helpers import SMS, Case, problems, remedy_text

CHECK = "sms-credits"

CASES = [
    Case("plenty", "platform: salestrekker\norganisation: {sms: {enabled: true, credits: 250}}", []),
    Case(
        "at the minimum",
        "platform: salestrekker\norganisation: {sms: {enabled: true, credits: 1}}",
        ["sms-credits-exhausted"],
    ),
    Case(
        "fewer than the invitations waiting",
        """
        platform: salestrekker
        organisation: {sms: {enabled: true, credits: 2}}
        contacts:
          - {id: p1, customer: c1, portal_status: pending}
          - {id: p2, customer: c1, portal_status: pending}
          - {id: p3, customer: c1, portal_status: pending}
        """,
        ["sms-credits-low"],
    ),
    Case("a platform without SMS PINs", "organisation: {sms: {enabled: true, credits: 0}}", []),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_table(case: Case) -> None:
    assert case.codes(CHECK) == case.expected


@pytest.mark.parametrize(
    ("sms", "rules", "expected"),
    [
        ({"enabled": True, "credits": 250}, SMS, []),
        ({"enabled": False, "credits": 250}, SMS, ["sms-disabled"]),
        ({"enabled": True, "credits": 1}, SMS, ["sms-credits-exhausted"]),
        ({"enabled": True, "credits": 0}, SMS, ["sms-credits-exhausted"]),
        ({"enabled": False, "credits": 0}, {}, []),  # platform without SMS PINs
    ],
)
def test_sms_enabled_and_credits(sms: dict[str, Any], rules: dict[str, Any], expected: list[str]) -> None:
    t = f.tenant(organisation={"sms": sms})
    assert f.codes(f.run([SmsEnabled(), SmsCredits()], t, rules=rules)) == expected


def test_sms_credits_fewer_than_pending_invitations_warns() -> None:
    contacts = [f.contact(f"p{i}", portal_status="pending") for i in range(4)]
    t = f.tenant(organisation={"sms": {"enabled": True, "credits": 3}}, contacts=contacts)
    [finding] = problems(f.run(SmsCredits(), t, rules=SMS))
    assert finding.status is Status.WARN and finding.code == "sms-credits-low"
    assert "3 SMS credits left for 4 pending invitations" in remedy_text(finding)


def test_sms_credits_blocked_when_sms_is_off() -> None:
    t = f.tenant(organisation={"sms": {"enabled": False, "credits": 0}})
    findings = f.run([SmsEnabled(), SmsCredits()], t, rules=SMS)
    credits = next(x for x in findings if x.check_id == "sms-credits")
    assert credits.status is Status.SKIP and credits.blocked_by == "sms-enabled:sms-disabled"
    sms = next(x for x in findings if x.code == "sms-disabled")
    assert "Settings and open the Connect tab" in remedy_text(sms, "salestrekker")


def test_sms_credit_wording_follows_the_count() -> None:
    t = f.tenant(organisation={"sms": {"enabled": True, "credits": 1}})
    [finding] = problems(f.run(SmsCredits(), t, rules=SMS))
    text = remedy_text(finding, "salestrekker")
    assert "Only 1 SMS credit left" in text and "Settings > Billing details" in text
