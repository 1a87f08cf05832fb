"""sender-alias: portal notifications come from a confirmed alias on the verified domain."""

from __future__ import annotations

from typing import Any

import pytest
from portaldoctor.checks.sender_alias import SenderAlias

from tests import factories as f
from tests.checks.helpers import Case, problems, remedy_text

CHECK = "sender-alias"

CASES = [
    Case(
        "a confirmed alias on the domain",
        """
        organisation:
          deliverability: {domain: acme.example, aliases: [{email: ar@acme.example, verified: true, selected: true}]}
        """,
        [],
    ),
    Case(
        "the platform's no-reply address",
        """
        platform: upflow
        organisation: {deliverability: {domain: acme.example, sender_email: no-reply@upflow.io}}
        """,
        ["sender-default-noreply"],
    ),
    Case(
        "an alias on another domain",
        """
        organisation:
          deliverability: {domain: acme.example, aliases: [{email: ar@acme-mail.example, verified: true, selected: true}]}
        """,
        ["sender-alias-wrong-domain"],
    ),
    Case(
        "an unconfirmed alias",
        """
        organisation:
          deliverability: {domain: acme.example, aliases: [{email: ar@acme.example, verified: false, selected: true}]}
        """,
        ["sender-alias-unverified"],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_table(case: Case) -> None:
    assert case.codes(CHECK) == case.expected


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


def test_sender_default_noreply_names_the_address_and_the_upflow_path() -> None:
    t = f.tenant(organisation={"deliverability": {"domain": "acme.example", "sender_email": "no-reply@upflow.io"}})
    [finding] = problems(f.run(SenderAlias(), t, rules={"default_senders": ["no-reply@upflow.io"]}))
    text = remedy_text(finding, "upflow")
    assert "no-reply@upflow.io" in text and "Settings > Customer portal" in text
