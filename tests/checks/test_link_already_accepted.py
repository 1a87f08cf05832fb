"""link-already-accepted: the invitation has not been used already."""

from __future__ import annotations

from typing import Any

import pytest
from portaldoctor.checks.link_already_accepted import LinkAlreadyAccepted

from tests import factories as f
from tests.checks.helpers import Case, link
from tests.checks.helpers import run_links as _run

CHECK = "link-already-accepted"

CASES = [
    Case("not accepted", "links: [{id: I1, customer: c1, kind: invitation, sent_at: 2026-11-18T09:00:00Z}]", []),
    Case(
        "accepted",
        "links: [{id: I1, customer: c1, kind: invitation, accepted_at: 2026-11-05T10:00:00Z}]",
        ["link-already-accepted"],
    ),
    Case(
        "accepted after the moment replayed",
        "links: [{id: I1, customer: c1, kind: invitation, accepted_at: 2026-11-05T10:00:00Z}]",
        [],
        args="--now 2026-11-01T00:00Z",
    ),
    Case("a portal link", "links: [{id: L1, customer: c1, kind: portal, accepted_at: 2026-11-05T10:00:00Z}]", []),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_table(case: Case) -> None:
    assert case.codes(CHECK) == case.expected


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
