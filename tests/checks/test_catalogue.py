"""The failure catalogue: each check's pass and fail cases, evidence, and the remedy it renders."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from portaldoctor.checks.access_requests import AccessRequests
from portaldoctor.checks.browser import BrowserCompatibility
from portaldoctor.checks.contact_email import ContactEmailValid
from portaldoctor.checks.contact_mobile import ContactMobileValid
from portaldoctor.checks.contact_opt_out import ContactOptOut
from portaldoctor.checks.contact_portal_user import ContactPortalUser
from portaldoctor.checks.customer_active import CustomerActive
from portaldoctor.checks.invitation_state import InvitationState
from portaldoctor.checks.late_fees import LateFeesIntegration
from portaldoctor.checks.link_validity_change import LinkValidityChange
from portaldoctor.checks.link_validity_setting import LinkValiditySetting
from portaldoctor.checks.mailbox_connected import MailboxConnected
from portaldoctor.checks.mobile_sender import MobileNotSender
from portaldoctor.checks.optout_override import OptoutOverride
from portaldoctor.checks.plan_portal import PlanIncludesPortal
from portaldoctor.checks.portal_contact_details import PortalContactDetails
from portaldoctor.checks.portal_contact_limit import PortalContactLimit
from portaldoctor.checks.privacy_link import PrivacyLink
from portaldoctor.checks.sender_alias import SenderAlias
from portaldoctor.checks.sms_credits import SmsCredits
from portaldoctor.checks.sms_enabled import SmsEnabled
from portaldoctor.checks.support_dates import SupportDates
from portaldoctor.checks.white_label import WhiteLabelColours
from portaldoctor.checks.workflow_stage import WorkflowStageEditable

from portaldoctor import report
from portaldoctor.check import Finding, Status
from portaldoctor.playbooks.load import load_builtin
from tests import factories as f

BOOKS = load_builtin()
SMS = {"sms_pin_login": True, "sms_credits_minimum": 1}


def problems(findings: list[Finding]) -> list[Finding]:
    return [x for x in findings if x.status in (Status.FAIL, Status.WARN)]


def remedy_text(finding: Finding, platform: str | None = None) -> str:
    """Render the finding's remedy for a platform and return all its text."""
    rep = report.build(
        [finding],
        BOOKS.profile(platform) if platform else BOOKS.generic,
        tenant="t",
        platform=platform,
        command="diagnose",
        now=f.NOW,
    )
    r = rep.items[0].remedy
    assert r is not None
    return " ".join([r.title, r.why, *r.steps, r.customer_message, r.it_note or ""])


# --- organisation -------------------------------------------------------------------------------


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


def test_link_validity_change_counts_links_still_on_the_old_clock() -> None:
    org = {
        "portal": {
            "link_validity_days": 30,
            "previous_link_validity_days": 10,
            "link_validity_changed_at": "2026-11-10T09:00:00Z",
        }
    }
    links = [
        {"id": "old-dead", "customer": "c1", "issued_at": "2026-11-05T09:00:00Z"},  # 10 d -> died 11-15; 30 d -> alive
        {"id": "old-very", "customer": "c1", "issued_at": "2026-09-01T09:00:00Z"},  # dead under both
        {"id": "new", "customer": "c1", "issued_at": "2026-11-11T09:00:00Z"},  # after the change
    ]
    [finding] = problems(f.run(LinkValidityChange(), f.tenant(organisation=org, links=links)))
    assert finding.code == "link-validity-change-not-retroactive"
    assert finding.evidence["affected"] == 1
    assert "went from 10 to 30 days on 2026-11-10 09:00 UTC" in remedy_text(finding)
    assert (
        problems(
            f.run(LinkValidityChange(), f.tenant(organisation={"portal": {"link_validity_days": 30}}, links=links))
        )
        == []
    )


@pytest.mark.parametrize(
    ("portal", "rules", "expected"),
    [
        ({"contact_email": "ar@acme.example", "contact_phone": "+44 20 7946 0000"}, {}, []),
        ({}, {"portal_contact_details": True}, ["portal-contact-missing"]),
        ({}, {}, []),
        ({"contact_email": "ar@"}, {}, ["portal-contact-email-invalid"]),
        ({"contact_phone": "12"}, {}, ["portal-contact-phone-invalid"]),
    ],
)
def test_portal_contact_details(portal: dict[str, Any], rules: dict[str, Any], expected: list[str]) -> None:
    t = f.tenant(organisation={"region": "GB", "portal": portal})
    assert f.codes(f.run(PortalContactDetails(), t, rules=rules)) == expected


@pytest.mark.parametrize(
    ("colours", "expected"),
    [
        ({"primary_color": "#1F6FEB", "banner_color": "#fff"}, []),
        ({"primary_color": "blue"}, ["white-label-colour-invalid"]),
        ({"primary_color": "#12345", "banner_color": "1F6FEB"}, ["white-label-colour-invalid"] * 2),
    ],
)
def test_white_label(colours: dict[str, str], expected: list[str]) -> None:
    assert f.codes(f.run(WhiteLabelColours(), f.tenant(organisation={"portal": {"white_label": colours}}))) == expected


@pytest.mark.parametrize(
    ("deliverability", "expected"),
    [
        ({"domain": "acme.example", "aliases": [{"email": "ar@acme.example", "verified": True, "selected": True}]}, []),
        ({"domain": "acme.example", "sender_email": "no-reply@upflow.io"}, ["sender-default-noreply"]),
        (
            {
                "domain": "acme.example",
                "aliases": [{"email": "ar@acme-mail.example", "verified": True, "selected": True}],
            },
            ["sender-alias-wrong-domain"],
        ),
        (
            {"domain": "acme.example", "aliases": [{"email": "ar@acme.example", "verified": False, "selected": True}]},
            ["sender-alias-unverified"],
        ),
    ],
)
def test_sender_alias(deliverability: dict[str, Any], expected: list[str]) -> None:
    t = f.tenant(organisation={"deliverability": deliverability})
    assert f.codes(f.run(SenderAlias(), t, rules={"default_senders": ["no-reply@upflow.io"]})) == expected


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


@pytest.mark.parametrize(
    ("portal", "expected"),
    [
        ({"privacy_disclosure_enabled": True, "privacy_link": "https://acme.example/privacy"}, []),
        ({}, ["privacy-link-missing"]),
        (
            {"privacy_disclosure_enabled": False, "privacy_link": "https://acme.example/privacy"},
            ["privacy-link-missing"],
        ),
        ({"privacy_disclosure_enabled": True, "privacy_link": "acme.example/privacy"}, ["privacy-link-not-https"]),
        (
            {"privacy_disclosure_enabled": True, "privacy_link": "http://acme.example/privacy"},
            ["privacy-link-not-https"],
        ),
    ],
)
def test_privacy_link(portal: dict[str, Any], expected: list[str]) -> None:
    t = f.tenant(organisation={"portal": portal})
    assert f.codes(f.run(PrivacyLink(), t, rules={"privacy_link_required": True})) == expected


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


def test_mailbox_connected() -> None:
    assert (
        f.codes(f.run(MailboxConnected(), f.tenant(organisation={"deliverability": {"mailbox_connected": True}}))) == []
    )
    [finding] = problems(
        f.run(MailboxConnected(), f.tenant(organisation={"deliverability": {"mailbox_connected": False}}))
    )
    assert "Sent folder" in remedy_text(finding, "ar-automation")


def test_optout_override_only_matters_with_opted_out_portal_contacts() -> None:
    org = {"deliverability": {"email_optout_override": False}}
    assert f.codes(f.run(OptoutOverride(), f.tenant(organisation=org))) == []
    contacts = [f.contact("p1", email_opt_out=True), f.contact("p2", email_opt_out=True, portal_user=False)]
    [finding] = problems(f.run(OptoutOverride(), f.tenant(organisation=org, contacts=contacts)))
    assert finding.evidence["count"] == 1
    text = remedy_text(finding, "vtiger")
    assert "Required Opt-in for Email Delivery" in text and "p1@example.com" in text


def test_access_requests() -> None:
    org = {"accounting": {"system": "QuickBooks", "import_inactive_customers": False}}
    customers = [f.customer("c1", name="Willow", active=False)]
    contacts = [f.contact("p1", email="wes@willow.example")]
    requests = [{"email": "WES@willow.example"}, {"email": "nobody@else.example"}]
    findings = f.run(
        AccessRequests(), f.tenant(organisation=org, customers=customers, contacts=contacts, access_requests=requests)
    )
    assert f.codes(findings) == ["access-request-unknown-email", "inactive-customer-not-imported"]
    inactive = next(x for x in findings if x.code == "inactive-customer-not-imported")
    assert "Willow is inactive in QuickBooks" in remedy_text(inactive)
    org["accounting"]["import_inactive_customers"] = True  # type: ignore[index]
    assert (
        f.codes(
            f.run(
                AccessRequests(),
                f.tenant(organisation=org, customers=customers, contacts=contacts, access_requests=requests[:1]),
            )
        )
        == []
    )


def test_browser_compatibility() -> None:
    rules = {"incompatible_browsers": {"safari": "the Liabilities page"}}
    t = f.tenant()
    assert f.run(BrowserCompatibility(), t, rules=rules)[0].status is Status.SKIP
    assert f.codes(f.run(BrowserCompatibility(), t, rules=rules, browser="chrome")) == []
    [finding] = problems(f.run(BrowserCompatibility(), t, rules=rules, browser="safari"))
    assert "Safari is not supported on the Liabilities page" in remedy_text(finding)


def test_portal_contact_limit() -> None:
    contacts = [f.contact(f"p{i}") for i in range(3)]
    assert (
        f.codes(f.run(PortalContactLimit(), f.tenant(organisation={"portal_contact_limit": 3}, contacts=contacts)))
        == []
    )
    [finding] = problems(
        f.run(PortalContactLimit(), f.tenant(organisation={"portal_contact_limit": 2}, contacts=contacts))
    )
    assert finding.evidence["over"] == 1
    assert "3 portal contacts exceed the plan's limit of 2" in remedy_text(finding)


# --- customer -------------------------------------------------------------------------------------


def test_customer_active() -> None:
    assert f.codes(f.run(CustomerActive(), f.tenant())) == []
    t = f.tenant(
        organisation={"accounting": {"system": "NetSuite"}}, customers=[f.customer(name="Juniper", active=False)]
    )
    [finding] = problems(f.run(CustomerActive(), t))
    assert "Juniper is inactive in NetSuite" in remedy_text(finding, "upflow")


@pytest.mark.parametrize(
    ("system", "late", "expected"),
    [("netsuite", True, []), ("xero", True, ["late-fees-unsupported"]), ("xero", False, [])],
)
def test_late_fees(system: str, late: bool, expected: list[str]) -> None:
    t = f.tenant(organisation={"accounting": {"system": system}}, customers=[f.customer(late_fees_enabled=late)])
    assert f.codes(f.run(LateFeesIntegration(), t, rules={"late_fee_systems": ["netsuite"]})) == expected


# --- contact --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("ap.team+inv@acme.example", []),
        ("o'neil@acme.example", []),
        ("ap&co@acme.example", ["contact-email-chars-rejected"]),
    ],
)
def test_email_characters_the_product_rejects(email: str, expected: list[str]) -> None:
    rules = {
        "email_local_part_allowed": "A-Za-z0-9+_'.-",
        "email_local_part_allowed_text": "letters, digits and + _ ' . -",
    }
    findings = f.run(ContactEmailValid(), f.tenant(contacts=[f.contact(email=email)]), rules=rules)
    assert f.codes(findings) == expected
    if expected:
        assert "rejects the character(s) &" in remedy_text(problems(findings)[0], "upflow")


@pytest.mark.parametrize(
    ("mobile", "region", "expected"),
    [
        ("+44 7911 123456", "GB", []),
        ("07911 123456", "GB", []),
        (None, "GB", ["contact-mobile-missing"]),
        ("07911 12", "GB", ["contact-mobile-invalid"]),
        ("020 7946 0000", "GB", ["contact-mobile-not-mobile"]),
        ("0412 345 678", "AU", []),
        ("02 9374 4000", "AU", ["contact-mobile-not-mobile"]),
        ("+1 201 555 0123", "US", ["contact-mobile-type-unknown"]),
    ],
)
def test_contact_mobile(mobile: str | None, region: str, expected: list[str]) -> None:
    t = f.tenant(organisation={"region": region}, contacts=[f.contact(mobile=mobile)])
    assert f.codes(f.run(ContactMobileValid(), t, rules=SMS)) == expected


def test_mobile_type_unknown_is_a_warning_and_customer_region_wins() -> None:
    t = f.tenant(organisation={"region": "US"}, contacts=[f.contact(mobile="+1 201 555 0123")])
    [finding] = problems(f.run(ContactMobileValid(), t, rules=SMS))
    assert finding.status is Status.WARN
    t = f.tenant(
        organisation={"region": "US"}, customers=[f.customer(region="GB")], contacts=[f.contact(mobile="07911 123456")]
    )
    assert f.codes(f.run(ContactMobileValid(), t, rules=SMS)) == []


def test_missing_mobile_only_fails_where_the_pin_goes_by_sms() -> None:
    t = f.tenant(contacts=[f.contact(mobile=None)])
    assert f.codes(f.run(ContactMobileValid(), t)) == []
    [finding] = problems(f.run(ContactMobileValid(), t, rules=SMS))
    assert "blank, without the client's name" in remedy_text(finding, "salestrekker")


@pytest.mark.parametrize(
    ("mobile", "expected"), [("+44 7911 123999", []), ("07911 123456", ["contact-mobile-is-sender"])]
)
def test_mobile_same_as_sender_after_normalisation(mobile: str, expected: list[str]) -> None:
    t = f.tenant(
        organisation={"region": "GB"},
        users=[{"id": "u1", "name": "Priya", "mobile": "+44 (0)7911-123456".replace("(0)", "")}],
        contacts=[f.contact(mobile=mobile, deal_owner="u1", name="Dana")],
    )
    findings = f.run(MobileNotSender(), t)
    assert f.codes(findings) == expected
    if expected:
        assert "Dana's mobile is Priya's own number" in remedy_text(problems(findings)[0])


def test_contact_not_portal_user_only_when_meant_to_use_it() -> None:
    assert f.codes(f.run(ContactPortalUser(), f.tenant(contacts=[f.contact(portal_user=False)]))) == []
    t = f.tenant(contacts=[f.contact(portal_user=False, is_primary=True, name="Uma")])
    [finding] = problems(f.run(ContactPortalUser(), t))
    assert "Enable Customer Portal" in remedy_text(finding, "ar-automation")
    links = [{"id": "i1", "kind": "invitation", "customer": "c1", "contact": "p1", "sent_at": "2026-11-01T00:00:00Z"}]
    t = f.tenant(contacts=[f.contact(portal_user=False)], links=links)
    assert f.codes(f.run(ContactPortalUser(), t)) == ["contact-not-portal-user"]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-01-01", "2026-12-31", []),
        ("2026-01-01", "2026-11-22", []),  # ending today is still fine
        (None, "2026-12-31", ["support-dates-missing"]),
        ("2026-12-31", "2026-01-01", ["support-dates-inverted"]),
        ("2026-12-01", "2027-12-31", ["support-not-started"]),
        ("2025-01-01", "2026-10-31", ["support-ended"]),
    ],
)
def test_support_dates(start: str | None, end: str | None, expected: list[str]) -> None:
    t = f.tenant(contacts=[f.contact(support_start=start, support_end=end)])
    assert f.codes(f.run(SupportDates(), t, rules={"support_dates": True})) == expected


def test_support_ended_remedy_names_dates_and_vtiger_path() -> None:
    t = f.tenant(contacts=[f.contact(name="Mona", support_start="2025-01-01", support_end="2026-10-31")])
    [finding] = problems(f.run(SupportDates(), t, rules={"support_dates": True}))
    text = remedy_text(finding, "vtiger")
    assert "Mona's support ended on 2026-10-31" in text and "Essentials > Contacts" in text


def test_contact_opted_out() -> None:
    assert f.codes(f.run(ContactOptOut(), f.tenant(contacts=[f.contact(email_opt_out=False)]))) == []
    t = f.tenant(contacts=[f.contact(email_opt_out=True)])
    assert f.codes(f.run(ContactOptOut(), t)) == ["contact-email-opted-out"]
    t = f.tenant(
        organisation={"deliverability": {"email_optout_override": True}}, contacts=[f.contact(email_opt_out=True)]
    )
    assert f.codes(f.run(ContactOptOut(), t)) == []


def _invites(*rows: tuple[str, str | None]) -> list[dict[str, Any]]:
    return [
        {
            "id": f"i{n}",
            "kind": "invitation",
            "customer": "c1",
            "contact": "p1",
            "sent_at": sent,
            "accepted_at": accepted,
        }
        for n, (sent, accepted) in enumerate(rows)
    ]


def test_invitation_pending_counts_days() -> None:
    t = f.tenant(
        contacts=[f.contact(portal_status="pending", name="Sam")], links=_invites(("2026-11-17T12:00:00Z", None))
    )
    [finding] = problems(f.run(InvitationState(), t))
    assert finding.code == "invitation-pending" and finding.status is Status.WARN
    assert finding.evidence["days"] == 5
    assert "Sam's invitation is still pending after 5 days" in remedy_text(finding)


def test_invitation_already_accepted_then_reinvited() -> None:
    links = _invites(("2026-10-01T00:00:00Z", "2026-10-02T00:00:00Z"), ("2026-11-20T00:00:00Z", None))
    t = f.tenant(contacts=[f.contact(portal_status="enabled", name="Tara")], links=links)
    [finding] = problems(f.run(InvitationState(), t))
    assert finding.code == "invitation-already-accepted"
    text = remedy_text(finding, "ar-automation")
    assert "re-inviting is the wrong fix" in text and "Forgot your password" in text
    t = f.tenant(contacts=[f.contact(portal_status="enabled")], links=links[:1])
    assert problems(f.run(InvitationState(), t)) == []


def test_several_invitations_outstanding() -> None:
    links = _invites(("2026-11-10T00:00:00Z", None), ("2026-11-18T00:00:00Z", None))
    t = f.tenant(contacts=[f.contact(portal_status="pending")], links=links)
    assert f.codes(f.run(InvitationState(), t)) == ["invitation-pending", "invitation-several-outstanding"]


def test_invitation_state_respects_the_replayed_clock() -> None:
    t = f.tenant(contacts=[f.contact(portal_status="pending")], links=_invites(("2026-11-17T12:00:00Z", None)))
    [finding] = problems(f.run(InvitationState(), t, now=dt.datetime(2026, 11, 19, 12, tzinfo=dt.UTC)))
    assert finding.evidence["days"] == 2


def test_workflow_stage_read_only() -> None:
    assert f.codes(f.run(WorkflowStageEditable(), f.tenant(contacts=[f.contact(stage_read_only=False)]))) == []
    t = f.tenant(contacts=[f.contact(workflow_stage="Lodged", stage_read_only=True)])
    [finding] = problems(f.run(WorkflowStageEditable(), t))
    assert "Settings > Workflows" in remedy_text(finding, "salestrekker")


# --- product rules and evidence in the rendered remedy -------------------------------------------


def test_portal_contact_limit_from_the_profile_rule_per_user() -> None:
    rules = {"portal_contacts_per_user": {"Help Desk Starter": 2}}
    users = [{"id": "u1", "name": "Ola"}]
    contacts = [f.contact(f"p{i}") for i in range(3)]
    org = {"plan": "help desk starter"}
    [finding] = problems(
        f.run(PortalContactLimit(), f.tenant(organisation=org, contacts=contacts, users=users), rules=rules)
    )
    assert finding.evidence["limit"] == 2 and finding.evidence["over"] == 1
    text = remedy_text(finding, "vtiger")
    assert "help desk starter allows 2 portal contacts (2 per user, 1 user); 1 more is enabled" in text
    assert "Essentials > Contacts" in text
    two_users = [*users, {"id": "u2", "name": "Pat"}]
    t = f.tenant(organisation=org, contacts=contacts, users=two_users)
    assert f.codes(f.run(PortalContactLimit(), t, rules=rules)) == []
    assert f.codes(f.run(PortalContactLimit(), f.tenant(organisation={"plan": "Enterprise"}, contacts=contacts))) == []


def _duplicates(org: dict[str, Any], rules: dict[str, Any], second: str = "Payables@Vista.example") -> list[Finding]:
    from portaldoctor.checks.duplicate_email import DuplicatePortalEmail

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
    from portaldoctor.checks.duplicate_email import DuplicatePortalEmail

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
    from portaldoctor.checks.duplicate_email import DuplicatePortalEmail

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


def test_https_blocked_by_dns_names_the_unverified_records() -> None:
    from portaldoctor.checks.https_links import HttpsLinksEnabled

    org = {
        "deliverability": {"https_links": False, "dns_verified": False, "domain": "northwind.example"},
        "dns_records": [
            {"type": "CNAME", "host": "links.northwind.example", "value": "x.example.", "status": "pending"},
            {"type": "TXT", "host": "northwind.example", "value": "v=spf1 -all", "status": "verified"},
        ],
    }
    [finding] = problems(f.run(HttpsLinksEnabled(), f.tenant(organisation=org)))
    assert finding.evidence["unverified_records"] == ["CNAME links.northwind.example"]
    text = remedy_text(finding, "upflow")
    assert "Not yet verified: CNAME links.northwind.example." in text
    assert "Settings > Deliverability" in text and "TXT" not in text


def test_customer_portal_disabled_names_the_date_and_each_products_path() -> None:
    from portaldoctor.checks.portal_access import CustomerPortalEnabled

    t = f.tenant(
        customers=[f.customer(name="Bluebird", portal_enabled=False, portal_disabled_at="2026-11-02T10:15:00Z")]
    )
    [finding] = problems(f.run(CustomerPortalEnabled(), t))
    upflow = remedy_text(finding, "upflow")
    assert "Portal access is switched off for Bluebird" in upflow and "since 2026-11-02 10:15 UTC" in upflow
    assert "Payments > Options" in upflow
    assert "Enable Customer Portal" in remedy_text(finding, "ar-automation")


def test_invalid_mobile_names_number_and_region() -> None:
    t = f.tenant(organisation={"region": "AU"}, contacts=[f.contact(mobile="0412 34", name="Aria")])
    [finding] = problems(f.run(ContactMobileValid(), t, rules=SMS))
    text = remedy_text(finding, "salestrekker")
    assert 'Aria\'s mobile "0412 34" is not a valid number' in text and "region AU" in text
    assert "Deal View" in text


def test_several_invitations_remedy_counts_them_and_names_the_newest() -> None:
    links = _invites(("2026-11-09T11:00:00Z", None), ("2026-11-19T11:00:00Z", None))
    t = f.tenant(contacts=[f.contact(portal_status="pending", name="Yara")], links=links)
    [several] = [x for x in problems(f.run(InvitationState(), t)) if x.code == "invitation-several-outstanding"]
    text = remedy_text(several, "ar-automation")
    assert "2 invitations were sent to Yara" in text and "2026-11-19" in text
    assert "Send Invitation" in text


def test_invitation_state_is_blocked_when_the_contact_is_not_a_portal_user() -> None:
    links = _invites(("2026-11-12T10:00:00Z", None))
    t = f.tenant(contacts=[f.contact(portal_user=False, is_primary=True)], links=links)
    findings = f.run([ContactPortalUser(), InvitationState()], t)
    assert f.codes(findings) == ["contact-not-portal-user"]
    [state] = [x for x in findings if x.check_id == "invitation-state"]
    assert state.status is Status.SKIP and state.blocked_by == "contact-portal-user:contact-not-portal-user"


def test_sender_default_noreply_names_the_address_and_the_upflow_path() -> None:
    t = f.tenant(organisation={"deliverability": {"domain": "acme.example", "sender_email": "no-reply@upflow.io"}})
    [finding] = problems(f.run(SenderAlias(), t, rules={"default_senders": ["no-reply@upflow.io"]}))
    text = remedy_text(finding, "upflow")
    assert "no-reply@upflow.io" in text and "Settings > Customer portal" in text


def test_sms_credit_wording_follows_the_count() -> None:
    t = f.tenant(organisation={"sms": {"enabled": True, "credits": 1}})
    [finding] = problems(f.run(SmsCredits(), t, rules=SMS))
    text = remedy_text(finding, "salestrekker")
    assert "Only 1 SMS credit left" in text and "Settings > Billing details" in text
