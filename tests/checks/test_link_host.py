"""link-host: the link points at the tenant's portal host."""

from __future__ import annotations

import pytest
from portaldoctor.checks.link_host import LinkHost

from portaldoctor.check import Status
from tests import factories as f
from tests.checks.helpers import Case, link
from tests.checks.helpers import run_links as _run

CHECK = "link-host"

PORTAL_HOST = """
organisation:
  portal: {host: pay.acme.example}
  dns_records: [{type: CNAME, host: links.acme.example, value: x.example., purpose: link tracking}]
links: [{id: L1, customer: c1, url: "https://pay.acme.example/p/abc"}]
"""

CASES = [
    Case("the portal host", PORTAL_HOST, []),
    Case("the link-tracking host", PORTAL_HOST, [], args="--link https://links.acme.example/p/abc"),
    Case("an old domain", PORTAL_HOST, ["link-wrong-host"], args="--link https://pay.acme-old.example/p/abc"),
    Case("not a URL", PORTAL_HOST, ["link-wrong-host"], args="--link 'not a url'"),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_table(case: Case) -> None:
    assert case.codes(CHECK) == case.expected


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
