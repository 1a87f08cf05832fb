"""https-links-enabled: portal links are sent over HTTPS."""

from __future__ import annotations

import pytest
from portaldoctor.checks.https_links_enabled import HttpsLinksEnabled

from tests import factories as f
from tests.checks.helpers import Case, problems, remedy_text

CHECK = "https-links-enabled"

CASES = [
    Case("on", "organisation: {deliverability: {https_links: true}}", []),
    Case("off", "organisation: {deliverability: {https_links: false, dns_verified: true}}", ["https-links-off"]),
    Case(
        "off, DNS records not verified",
        """
        organisation:
          deliverability: {https_links: false, dns_verified: false, domain: acme.example}
          dns_records: [{type: CNAME, host: links.acme.example, value: x.example., status: pending}]
        """,
        ["https-links-blocked-by-dns"],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_table(case: Case) -> None:
    assert case.codes(CHECK) == case.expected


@pytest.mark.parametrize(
    ("deliverability", "expected"),
    [
        ({"https_links": True}, []),
        ({"https_links": False, "dns_verified": True}, ["https-links-off"]),
        ({"https_links": False}, ["https-links-off"]),
        ({"https_links": False, "dns_verified": False}, ["https-links-blocked-by-dns"]),
    ],
)
def test_https_links(deliverability: dict[str, object], expected: list[str]) -> None:
    t = f.tenant(organisation={"deliverability": deliverability})
    assert f.codes(f.run(HttpsLinksEnabled(), t)) == expected


def test_https_blocked_by_dns_names_the_unverified_records() -> None:
    from portaldoctor.checks.https_links_enabled import HttpsLinksEnabled

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
