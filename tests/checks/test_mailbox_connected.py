"""mailbox-connected: a mailbox is connected to send invitations and password resets."""

from __future__ import annotations

import pytest
from portaldoctor.checks.mailbox_connected import MailboxConnected

from tests import factories as f
from tests.checks.helpers import Case, problems, remedy_text

CHECK = "mailbox-connected"

CASES = [
    Case("connected", "organisation: {deliverability: {mailbox_connected: true}}", []),
    Case("not said", "organisation: {}", []),
    Case("not connected", "organisation: {deliverability: {mailbox_connected: false}}", ["mailbox-not-connected"]),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_table(case: Case) -> None:
    assert case.codes(CHECK) == case.expected


def test_mailbox_connected() -> None:
    assert (
        f.codes(f.run(MailboxConnected(), f.tenant(organisation={"deliverability": {"mailbox_connected": True}}))) == []
    )
    [finding] = problems(
        f.run(MailboxConnected(), f.tenant(organisation={"deliverability": {"mailbox_connected": False}}))
    )
    assert "Sent folder" in remedy_text(finding, "ar-automation")
