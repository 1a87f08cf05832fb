"""Link-scope checks: expiry under two clocks, not yet valid, superseded, accepted, disabled, http, host."""

from __future__ import annotations

import datetime as dt
from typing import Any

import jwt
import pytest
from portaldoctor.checks.link_accepted import LinkAlreadyAccepted
from portaldoctor.checks.link_host import LinkHost
from portaldoctor.checks.link_http import LinkSentAsHttp
from portaldoctor.checks.link_portal_disabled import LinkIssuedBeforePortalDisabled
from portaldoctor.checks.link_superseded import LinkSuperseded
from portaldoctor.checks.link_validity import LinkValidity

from portaldoctor.check import Status
from portaldoctor.knowledge import redaction
from portaldoctor.knowledge.links import match_link, token_fingerprint
from portaldoctor.playbooks.load import load_builtin
from portaldoctor.report import build
from tests import factories as f

NOW = f.NOW  # 2026-11-22 12:00 UTC
PORTAL = {"host": "pay.acme.example", "link_validity_days": 25}
TWO_CLOCKS = PORTAL | {"previous_link_validity_days": 10, "link_validity_changed_at": "2026-11-10T00:00:00Z"}


def link(id: str = "L1", **fields: Any) -> dict[str, Any]:
    return {
        "id": id,
        "customer": "c1",
        "contact": "p1",
        "url": f"https://pay.acme.example/p/{id}Abc123xyz789QRS",
    } | fields


def _run(check: Any, links: list[dict[str, Any]], portal: dict[str, Any] | None = None, **kw: Any) -> list[Any]:
    customers = kw.pop("customers", None)
    org = {"portal": portal or PORTAL} | kw.pop("organisation", {})
    t = f.tenant(organisation=org, links=links, customers=customers)
    return f.run(check, t, **kw)


def _jwt(**claims: Any) -> str:
    return jwt.encode(claims, "a-secret-of-at-least-thirty-two-bytes", algorithm="HS256")


def _ts(text: str) -> int:
    return int(dt.datetime.fromisoformat(text).timestamp())


@pytest.mark.parametrize(
    ("fields", "portal", "expected"),
    [
        ({"issued_at": "2026-11-12T09:00:00Z"}, PORTAL, []),
        ({"issued_at": "2026-10-20T09:00:00Z"}, PORTAL, ["link-expired"]),
        # two clocks: issued before the change keeps the old 10 days
        ({"issued_at": "2026-11-05T09:00:00Z"}, TWO_CLOCKS, ["link-expired"]),
        # issued after the change gets the new 25 days
        ({"issued_at": "2026-11-11T09:00:00Z"}, TWO_CLOCKS, []),
        # API link: its own lifetime beats the organisation's validity
        ({"issued_at": "2026-11-21T09:00:00Z", "source": "api", "expires_in_seconds": 86400}, PORTAL, ["link-expired"]),
        ({"issued_at": "2026-11-22T09:00:00Z", "source": "api", "expires_in_seconds": 86400}, PORTAL, []),
        ({"issued_at": "2026-11-01T09:00:00Z", "expires_at": "2026-12-01T00:00:00Z"}, PORTAL, []),
        # the token's exp wins over the tenant setting
        (
            {"issued_at": "2026-11-21T09:00:00Z", "token": _jwt(exp=_ts("2026-11-22T00:00:00+00:00"))},
            PORTAL,
            ["link-expired"],
        ),
        (
            {"issued_at": "2026-11-22T11:00:00Z", "token": _jwt(nbf=_ts("2026-11-23T09:00:00+00:00"))},
            PORTAL,
            ["link-not-yet-valid"],
        ),
        ({"issued_at": "2026-11-23T09:00:00Z"}, PORTAL, ["link-not-yet-valid"]),
    ],
)
def test_link_validity(fields: dict[str, Any], portal: dict[str, Any], expected: list[str]) -> None:
    assert f.codes(_run(LinkValidity(), [link(**fields)], portal)) == expected


def test_two_clocks_evidence_and_remedy() -> None:
    [finding] = [
        x for x in _run(LinkValidity(), [link(issued_at="2026-11-05T09:00:00Z")], TWO_CLOCKS) if x.status is Status.FAIL
    ]
    assert finding.evidence["expires_at"] == "2026-11-15 09:00 UTC"
    assert finding.evidence["validity_days"] == 10
    assert finding.evidence["issued_before_validity_change"] is True
    assert finding.evidence["expiry_source"] == "tenant link validity"
    books = load_builtin()
    report = build([finding], books.profile("upflow"), tenant="T", platform="upflow", command="t", now=NOW)
    remedy = report.items[0].remedy
    assert remedy is not None
    assert "kept its 10-day lifetime" in remedy.why
    assert "Preview the customer portal" in " ".join(remedy.steps)


def test_link_validity_unknown_is_skip() -> None:
    [finding] = _run(LinkValidity(), [link()], {"host": "pay.acme.example"})
    assert finding.status is Status.SKIP
    assert "cannot date" in (finding.reason or "")


def test_validity_changed_without_previous_value_is_skip() -> None:
    portal = PORTAL | {"link_validity_changed_at": "2026-11-10T00:00:00Z"}
    [finding] = _run(LinkValidity(), [link(issued_at="2026-11-01T00:00:00Z")], portal)
    assert finding.status is Status.SKIP
    assert "earlier value" in (finding.reason or "")


def test_clicked_url_overrides_record() -> None:
    t = f.tenant(organisation={"portal": PORTAL}, links=[link(issued_at="2026-11-20T00:00:00Z")])
    url = "http://pay.acme.example/p/" + _jwt(exp=_ts("2026-11-21T00:00:00+00:00"))
    findings = f.run([LinkValidity(), LinkSentAsHttp()], t, clicked={"L1": url})
    assert f.codes(findings) == ["link-expired", "link-sent-as-http"]


SUPERSEDED = [
    link("I1", kind="invitation", sent_at="2026-11-10T09:00:00Z", superseded_by="I2"),
    link("I2", kind="invitation", sent_at="2026-11-18T09:00:00Z"),
]


@pytest.mark.parametrize(
    ("links", "now", "expected"),
    [
        (SUPERSEDED, NOW, ["link-superseded"]),
        # replaying a moment before the newer invitation was sent
        (SUPERSEDED, dt.datetime(2026, 11, 15, tzinfo=dt.UTC), []),
        # inferred: a later invitation to the same contact, no superseded_by
        ([{**SUPERSEDED[0], "superseded_by": None}, SUPERSEDED[1]], NOW, ["link-superseded"]),
        # portal links (reminders) are not retired by newer ones
        ([link("L1", sent_at="2026-11-10T09:00:00Z"), link("L2", sent_at="2026-11-18T09:00:00Z")], NOW, []),
        ([SUPERSEDED[1]], NOW, []),
    ],
)
def test_link_superseded(links: list[dict[str, Any]], now: dt.datetime, expected: list[str]) -> None:
    assert f.codes(_run(LinkSuperseded(), links, now=now)) == expected


def test_superseded_names_the_newer_invitation() -> None:
    [finding] = [x for x in _run(LinkSuperseded(), SUPERSEDED) if x.status is Status.FAIL]
    assert finding.subject.id == "I1"
    assert finding.evidence["newer_link_id"] == "I2"
    assert finding.evidence["newer_sent_at"] == "2026-11-18 09:00 UTC"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"kind": "invitation", "accepted_at": "2026-11-13T08:45:00Z"}, ["link-already-accepted"]),
        ({"kind": "invitation", "accepted_at": "2026-11-23T08:45:00Z"}, []),
        ({"kind": "invitation"}, []),
        ({"kind": "portal", "accepted_at": "2026-11-13T08:45:00Z"}, []),
    ],
)
def test_link_already_accepted(fields: dict[str, Any], expected: list[str]) -> None:
    assert f.codes(_run(LinkAlreadyAccepted(), [link(**fields)])) == expected


@pytest.mark.parametrize(
    ("customer", "issued", "expected"),
    [
        (
            {"portal_enabled": False, "portal_disabled_at": "2026-11-02T10:15:00Z"},
            "2026-10-28T09:00:00Z",
            ["link-issued-before-portal-disabled"],
        ),
        ({"portal_enabled": False, "portal_disabled_at": "2026-11-02T10:15:00Z"}, "2026-11-03T09:00:00Z", []),
        ({"portal_enabled": True}, "2026-10-28T09:00:00Z", []),
        ({"portal_enabled": False}, "2026-10-28T09:00:00Z", []),
    ],
)
def test_link_issued_before_portal_disabled(customer: dict[str, Any], issued: str, expected: list[str]) -> None:
    findings = _run(LinkIssuedBeforePortalDisabled(), [link(issued_at=issued)], customers=[f.customer(**customer)])
    assert f.codes(findings) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://pay.acme.example/p/abc", []),
        ("http://pay.acme.example/p/abc", ["link-sent-as-http"]),
        ("HTTP://pay.acme.example/p/abc", ["link-sent-as-http"]),
    ],
)
def test_link_sent_as_http(url: str, expected: list[str]) -> None:
    assert f.codes(_run(LinkSentAsHttp(), [link(url=url)])) == expected


def test_http_evidence_is_redacted_unless_shown() -> None:
    raw = "Zq8mK2pL9xV4nB7cR1tY6wE3"
    [finding] = _run(LinkSentAsHttp(), [link(url=f"http://pay.acme.example/p/{raw}")])
    assert raw not in finding.evidence["url"]
    assert finding.evidence["url"].startswith("http://pay.acme.example/p/Zq8mK2…#")
    with redaction.show_secrets():
        [shown] = _run(LinkSentAsHttp(), [link(url=f"http://pay.acme.example/p/{raw}")])
    assert raw in shown.evidence["url"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://pay.acme.example/p/abc", []),
        ("https://PAY.acme.example./p/abc", []),
        ("https://links.acme.example/p/abc", []),  # the link-tracking host the platform generated
        ("https://pay.acme-old.example/p/abc", ["link-wrong-host"]),
        ("not a url", ["link-wrong-host"]),
    ],
)
def test_link_host(url: str, expected: list[str]) -> None:
    org = {"dns_records": [{"type": "CNAME", "host": "links.acme.example", "value": "x.", "purpose": "link tracking"}]}
    assert f.codes(_run(LinkHost(), [link(url=url)], organisation=org)) == expected


def test_link_host_skips_without_portal_host() -> None:
    [finding] = _run(LinkHost(), [link()], {"link_validity_days": 25})
    assert finding.status is Status.SKIP


# ---------------------------------------------------------------------------------- matching


def _tenant_for_matching() -> Any:
    return f.tenant(
        links=[
            link("A", url="https://pay.acme.example/p/Aaaa1111bbbb2222cccc"),
            link("B", url=None, token="Bbbb1111cccc2222dddd"),
            link("C", url=None, token_fingerprint=token_fingerprint("Cccc1111dddd2222eeee")[:19]),
        ]
    )


@pytest.mark.parametrize(
    ("url", "record", "by"),
    [
        ("https://pay.acme.example/p/Aaaa1111bbbb2222cccc", "A", "url"),
        ("http://pay.acme.example/p/Aaaa1111bbbb2222cccc", "A", "token"),
        ("https://pay.acme.example/p/Bbbb1111cccc2222dddd", "B", "token"),
        ("https://pay.acme.example/p/Cccc1111dddd2222eeee", "C", "fingerprint"),
        ("https://pay.acme.example/p/Dddd1111eeee2222ffff", None, None),
    ],
)
def test_match_link(url: str, record: str | None, by: str | None) -> None:
    match = match_link(_tenant_for_matching(), url)
    assert (match.link.id if match.link else None) == record
    assert match.by == by
    assert match.token is not None  # a link that matches nothing is still decoded
    assert match.searched == 3


def test_match_link_without_token_keeps_the_reason() -> None:
    match = match_link(_tenant_for_matching(), "https://pay.acme.example/about")
    assert match.link is None and match.token is None
    assert "no token" in (match.token_error or "")
