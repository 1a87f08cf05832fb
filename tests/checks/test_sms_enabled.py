"""sms-enabled: sMS is enabled for portal PINs."""

from __future__ import annotations

import pytest

from tests.checks.helpers import Case

CHECK = "sms-enabled"

CASES = [
    Case("on", "platform: salestrekker\norganisation: {sms: {enabled: true}}", []),
    Case("off", "platform: salestrekker\norganisation: {sms: {enabled: false}}", ["sms-disabled"]),
    Case("off, on a platform without SMS PINs", "organisation: {sms: {enabled: false}}", []),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_table(case: Case) -> None:
    assert case.codes(CHECK) == case.expected
