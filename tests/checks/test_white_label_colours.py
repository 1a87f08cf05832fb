"""white-label-colours: white-label colours are valid hex values."""

from __future__ import annotations

import pytest
from portaldoctor.checks.white_label_colours import WhiteLabelColours

from tests import factories as f
from tests.checks.helpers import Case

CHECK = "white-label-colours"

CASES = [
    Case("hex colours", 'organisation: {portal: {white_label: {primary_color: "#1F6FEB", banner_color: "#fff"}}}', []),
    Case(
        "a colour name", "organisation: {portal: {white_label: {primary_color: blue}}}", ["white-label-colour-invalid"]
    ),
    Case(
        "five digits, and no #",
        'organisation: {portal: {white_label: {primary_color: "#12345", banner_color: "1F6FEB"}}}',
        ["white-label-colour-invalid"] * 2,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_table(case: Case) -> None:
    assert case.codes(CHECK) == case.expected


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
