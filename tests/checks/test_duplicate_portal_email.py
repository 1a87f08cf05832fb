"""duplicate-portal-email: email is used by one portal-enabled customer account only."""

from __future__ import annotations

from typing import Any

import pytest
from portaldoctor.checks.duplicate_portal_email import DuplicatePortalEmail

from portaldoctor.check import Finding, Status
from tests import factories as f
from tests.checks.helpers import Case, problems, remedy_text

CHECK = "duplicate-portal-email"

CASES = [
    Case(
        "one account per address",
        """
        contacts:
          - {id: p1, customer: c1, email: ap@acme.example}
          - {id: p2, customer: c2, email: ar@acme.example}
        """,
        [],
    ),
    Case(
        "two accounts, addresses differing in case",
        """
        contacts:
          - {id: p1, customer: c1, email: ap@acme.example}
          - {id: p2, customer: c2, email: AP@acme.example}
        """,
        ["duplicate-portal-email"] * 2,
    ),
    Case(
        "two accounts, with an account picker",
        """
        organisation: {portal: {account_picker: true}}
        contacts:
          - {id: p1, customer: c1, email: ap@acme.example}
          - {id: p2, customer: c2, email: ap@acme.example}
        """,
        ["duplicate-portal-email-allowed"] * 2,
    ),
    Case(
        "the same account twice, and a contact off the portal",
        """
        contacts:
          - {id: p1, customer: c1, email: ap@acme.example}
          - {id: p2, customer: c1, email: ap@acme.example}
          - {id: p3, customer: c2, email: ap@acme.example, portal_user: false}
        """,
        [],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_table(case: Case) -> None:
    assert case.codes(CHECK) == case.expected


def _dupes(picker: bool | None = None, second_email: str = "AP@x.com") -> list[str]:
    t = f.tenant(
        organisation={"portal": {"account_picker": picker}},
        customers=[f.customer("c1"), f.customer("c2")],
        contacts=[
            f.contact("p1", "c1", email="ap@x.com"),
            f.contact("p2", "c2", email=second_email),
        ],
    )
    return f.codes(f.run(DuplicatePortalEmail(), t))


def test_duplicate_email_case_insensitive() -> None:
    assert _dupes() == ["duplicate-portal-email", "duplicate-portal-email"]


def test_duplicate_email_distinct_passes() -> None:
    assert _dupes(second_email="other@x.com") == []


def test_duplicate_email_allowed_with_account_picker() -> None:
    assert _dupes(picker=True) == ["duplicate-portal-email-allowed"] * 2


def test_duplicate_email_ignores_same_customer_and_disabled_contacts() -> None:
    t = f.tenant(
        customers=[f.customer("c1"), f.customer("c2")],
        contacts=[
            f.contact("p1", "c1", email="ap@x.com"),
            f.contact("p2", "c1", email="ap@x.com"),
            f.contact("p3", "c2", email="ap@x.com", portal_user=False),
        ],
    )
    assert f.codes(f.run(DuplicatePortalEmail(), t)) == []


def _duplicates(org: dict[str, Any], rules: dict[str, Any], second: str = "Payables@Vista.example") -> list[Finding]:
    from portaldoctor.checks.duplicate_portal_email import DuplicatePortalEmail

    t = f.tenant(
        organisation=org,
        customers=[f.customer("c1", name="Vista North"), f.customer("c2", name="Vista South")],
        contacts=[f.contact("p1", "c1", email="payables@vista.example"), f.contact("p2", "c2", email=second)],
    )
    return problems(f.run(DuplicatePortalEmail(), t, rules=rules))


def test_duplicate_email_flags_case_only_differences_in_the_remedy() -> None:
    first, _ = _duplicates({}, {})
    assert first.code == "duplicate-portal-email" and first.evidence["case_only"] is True
    text = remedy_text(first, "ar-automation")
    assert "payables@vista.example is a portal contact for Vista North and also for Vista South" in text
    assert "differ only in upper and lower case" in text
    assert "Enable Customer Portal on for one customer account only" in text
    exact, _ = _duplicates({}, {}, second="payables@vista.example")
    assert exact.evidence["case_only"] is False
    assert "upper and lower case" not in remedy_text(exact)


def test_duplicate_email_follows_the_profile_rule_unless_the_tenant_says_otherwise() -> None:
    assert [x.code for x in _duplicates({}, {"account_picker": True})] == ["duplicate-portal-email-allowed"] * 2
    picker_off = {"portal": {"account_picker": False}}
    assert [x.code for x in _duplicates(picker_off, {"account_picker": True})] == ["duplicate-portal-email"] * 2
    [allowed, _] = _duplicates({"portal": {"account_picker": True}}, {})
    assert allowed.status is Status.WARN
    assert "Change Account" in remedy_text(allowed, "ar-automation")


def test_duplicate_email_names_ten_accounts_and_counts_the_rest() -> None:
    from portaldoctor.checks.duplicate_portal_email import DuplicatePortalEmail

    # 25 accounts share one address; two of them are both called "Vista 03".
    customers = [f.customer(f"c{i:02}", name=f"Vista {min(i, 24) if i != 4 else 3:02}") for i in range(25)]
    contacts = [f.contact(f"p{i:02}", f"c{i:02}", email="ap@vista.example") for i in range(25)]
    contacts.append(f.contact("px", "c00", email="AP@vista.example"))  # same account again: not another
    contacts.append(f.contact("off", "c01", email="ap@vista.example", portal_user=False))
    found = problems(f.run(DuplicatePortalEmail(), f.tenant(customers=customers, contacts=contacts)))
    assert len(found) == 26  # every portal-enabled contact, once
    first = next(x for x in found if x.subject.contact_id == "p03")
    assert first.evidence["more_customers"] == 14
    assert first.observed == "25 customer accounts"
    assert first.evidence["other_customers"] == [
        "Vista 00",
        "Vista 01",
        "Vista 02",
        "Vista 03",
        *(f"Vista {i:02}" for i in range(5, 11)),
    ]
    assert "Vista 00, Vista 01, Vista 02, Vista 03, Vista 05" in remedy_text(first)
    assert "Vista 10 and 14 more." in remedy_text(first)
    assert first.evidence["case_only"] is False
    px = next(x for x in found if x.subject.contact_id == "px")
    assert px.evidence["case_only"] is True and px.evidence["more_customers"] == 14
    branches = [f.customer(f"b{i}", name="Vista Branch") for i in range(30)]
    same_name = [f.contact(f"q{i}", f"b{i}", email="ap@vista.example") for i in range(30)]
    one = problems(f.run(DuplicatePortalEmail(), f.tenant(customers=branches, contacts=same_name)))[0]
    assert one.evidence["other_customers"] == ["Vista Branch"] * 10 and one.evidence["more_customers"] == 19
    few = problems(f.run(DuplicatePortalEmail(), f.tenant(customers=customers[:3], contacts=contacts[:3])))
    assert few[0].evidence["other_customers"] == ["Vista 01", "Vista 02"]
    assert "also for Vista 01, Vista 02. The portal" in remedy_text(few[0])


def test_duplicate_email_summarises_each_address_once_per_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hash-based, never pairwise: the engine hands contacts over in chunks of 4,096, and an
    address shared across chunks is still summarised once, not once per chunk or per contact."""
    from portaldoctor.checks.duplicate_portal_email import DuplicatePortalEmail

    from portaldoctor.snapshot import index

    built: list[int] = []
    original = index.SharedAddress.__init__

    def counting(self: index.SharedAddress, *args: Any) -> None:
        built.append(1)
        original(self, *args)

    monkeypatch.setattr(index.SharedAddress, "__init__", counting)
    customers = [f.customer(f"c{i}") for i in range(300)]
    contacts = [f.contact(f"p{i}", f"c{i % 300}", email=f"p{i}@x.example") for i in range(9000)]
    for i in range(0, 9000, 100):  # 90 contacts of 90 customers, spread over the chunks, share 3 addresses
        contacts[i] = f.contact(f"p{i}", f"c{i // 100}", email=f"shared{i // 100 % 3}@x.example")
    found = problems(f.run(DuplicatePortalEmail(), f.tenant(customers=customers, contacts=contacts)))
    assert len(found) == 90 and len(built) == 3
    assert {len(x.evidence["other_customers"]) + x.evidence["more_customers"] for x in found} == {29}
