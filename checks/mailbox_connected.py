"""A mailbox connected for invitation and password-reset emails."""

from __future__ import annotations

from collections.abc import Iterator

from portaldoctor.check import CheckContext, CheckSpec, Outcome, Scope, Target, fail


class MailboxConnected:
    """Invitation and password-reset emails go out through the connected mailbox.

    Some products send portal emails from the organisation's own mailbox. With none connected,
    invitations and reset links are never delivered and the customer says they never got them.

    Passes::

        organisation: {deliverability: {mailbox_connected: true}}

    Fails (``mailbox-not-connected``)::

        organisation: {deliverability: {mailbox_connected: false}}
    """

    spec = CheckSpec(
        id="mailbox-connected",
        title="A mailbox is connected to send invitations and password resets",
        scope=Scope.ORG,
        codes=("mailbox-not-connected",),
        tags=("email", "invitation"),
        samples={"mailbox-not-connected": {}},
    )

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        if ctx.org.deliverability.mailbox_connected is False:
            yield fail("mailbox-not-connected", observed="none", expected="a connected mailbox")
