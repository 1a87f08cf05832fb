"""link-validity: the link is within its validity period."""

from __future__ import annotations

from typing import Any

import pytest
from portaldoctor.checks.link_sent_as_http import LinkSentAsHttp
from portaldoctor.checks.link_validity import LinkValidity

from portaldoctor.check import Status
from portaldoctor.knowledge.links import match_link, token_fingerprint
from portaldoctor.playbooks.load import load_builtin
from portaldoctor.report import build
from tests import factories as f
from tests.checks.helpers import PORTAL, TWO_CLOCKS, Case, link
from tests.checks.helpers import jwt_token as _jwt
from tests.checks.helpers import run_links as _run
from tests.checks.helpers import timestamp as _ts

CHECK = "link-validity"
NOW = f.NOW  # 2026-11-22 12:00 UTC

CASES = [
    Case(
        "issued 10 days ago, 25-day validity",
        """
        organisation: {portal: {link_validity_days: 25}}
        links: [{id: L1, customer: c1, issued_at: 2026-11-12T09:00:00Z}]
        """,
        [],
    ),
    Case(
        "issued before the validity was raised from 10 days",
        """
        organisation: {portal: {link_validity_days: 25, previous_link_validity_days: 10,
                                link_validity_changed_at: 2026-11-10T00:00:00Z}}
        links: [{id: L1, customer: c1, issued_at: 2026-11-05T09:00:00Z}]
        """,
        ["link-expired"],
    ),
    Case(
        "issued tomorrow",
        """
        organisation: {portal: {link_validity_days: 25}}
        links: [{id: L1, customer: c1, issued_at: 2026-11-23T09:00:00Z}]
        """,
        ["link-not-yet-valid"],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_table(case: Case) -> None:
    assert case.codes(CHECK) == case.expected


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
