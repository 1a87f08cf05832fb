"""link-sent-as-http: the link uses https://."""

from __future__ import annotations

import pytest
from portaldoctor.checks.link_sent_as_http import LinkSentAsHttp

from portaldoctor.knowledge import redaction
from tests import factories as f
from tests.checks.helpers import Case, link
from tests.checks.helpers import run_links as _run

CHECK = "link-sent-as-http"

CASES = [
    Case("https", 'links: [{id: L1, customer: c1, url: "https://pay.acme.example/p/abc"}]', []),
    Case("http", 'links: [{id: L1, customer: c1, url: "http://pay.acme.example/p/abc"}]', ["link-sent-as-http"]),
    Case(
        "the customer clicked an http:// link",
        'links: [{id: L1, customer: c1, url: "https://pay.acme.example/p/abc"}]',
        ["link-sent-as-http"],
        args="--link HTTP://pay.acme.example/p/abc",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_table(case: Case) -> None:
    assert case.codes(CHECK) == case.expected


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
