"""browser-compatibility: the customer's browser is supported by the portal."""

from __future__ import annotations

import pytest
from portaldoctor.checks.browser_compatibility import BrowserCompatibility

from portaldoctor.check import Status
from tests import factories as f
from tests.checks.helpers import Case, problems, remedy_text

CHECK = "browser-compatibility"

CASES = [
    Case("a supported browser", "platform: salestrekker", [], args="--browser chrome"),
    Case("a profile that lists no incompatible browser", "platform: upflow", [], args="--browser safari"),
    Case(
        "Safari on a profile that lists it", "platform: salestrekker", ["browser-incompatible"], args="--browser safari"
    ),
    Case("the name in any case", "platform: salestrekker", ["browser-incompatible"], args="--browser Safari"),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_table(case: Case) -> None:
    assert case.codes(CHECK) == case.expected


def test_browser_compatibility() -> None:
    rules = {"incompatible_browsers": {"safari": "the Liabilities page"}}
    t = f.tenant()
    assert f.run(BrowserCompatibility(), t, rules=rules)[0].status is Status.SKIP
    assert f.codes(f.run(BrowserCompatibility(), t, rules=rules, browser="chrome")) == []
    [finding] = problems(f.run(BrowserCompatibility(), t, rules=rules, browser="safari"))
    assert "Safari is not supported on the Liabilities page" in remedy_text(finding)
