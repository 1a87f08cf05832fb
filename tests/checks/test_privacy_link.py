"""privacy-link: privacy disclosure link is set and is an https URL."""

from __future__ import annotations

from typing import Any

import pytest
from portaldoctor.checks.privacy_link import PrivacyLink

from tests import factories as f
from tests.checks.helpers import Case

CHECK = "privacy-link"

CASES = [
    Case(
        "an https link",
        """
        platform: salestrekker
        organisation: {portal: {privacy_disclosure_enabled: true, privacy_link: "https://acme.example/privacy"}}
        """,
        [],
    ),
    Case("missing", "platform: salestrekker", ["privacy-link-missing"]),
    Case(
        "switched off",
        """
        platform: salestrekker
        organisation: {portal: {privacy_disclosure_enabled: false, privacy_link: "https://acme.example/privacy"}}
        """,
        ["privacy-link-missing"],
    ),
    Case(
        "not https",
        """
        platform: salestrekker
        organisation: {portal: {privacy_disclosure_enabled: true, privacy_link: "http://acme.example/privacy"}}
        """,
        ["privacy-link-not-https"],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_table(case: Case) -> None:
    assert case.codes(CHECK) == case.expected


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
