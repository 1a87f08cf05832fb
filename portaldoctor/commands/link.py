"""``portaldoctor link URL``: the record a clicked link belongs to, and why it does not open."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from portaldoctor.check import Inputs, Scope, Status
from portaldoctor.engine import Selection
from portaldoctor.session import Network, Run, Session

if TYPE_CHECKING:
    from portaldoctor.outputs import Outputs
    from portaldoctor.snapshot.sources import TenantSource

UNKNOWN_CUSTOMER = "?"
"""The customer a link belongs to when no record of the tenant matches it."""


def link(
    *,
    url: str,
    source: TenantSource,
    outputs: Outputs,
    now: dt.datetime,
    fail_on: Status = Status.FAIL,
    tz: str | None = None,
) -> int:
    """Match the link to its record, run the link checks on it, and publish the report.

    A link no record matches is judged on what it carries (its token, host and scheme) as a link
    of a customer the tenant does not name.
    """
    from portaldoctor.clicked import judge, make_clock, unmatched_record
    from portaldoctor.snapshot.model import Customer

    session = Session(source, now=now, network=Network(offline=True), fail_on=fail_on)
    clicked = judge(url, clock=make_clock(now, tz), tenant=session.tenant)
    record = clicked.record
    extra_customers: tuple[Customer, ...] = ()
    who = session.index.customers.get(record.customer) if record is not None else None
    if record is None:
        named: dict[str, Any] = {"id": UNKNOWN_CUSTOMER, "name": "an unknown customer"}
        stranger = Customer(**named)
        extra_customers = (stranger,)
        record = unmatched_record(clicked, stranger)
    scope: dict[str, object] = {"link": {"id": record.id, "kind": record.kind}}
    if who is not None:
        scope["customer"] = {"id": who.id, "name": who.name}
    run = Run(
        "link",
        selection=Selection(scopes=frozenset({Scope.LINK})),
        customers=[record.customer],
        link=record.id,
        inputs=Inputs(clicked={record.id: clicked.url}),
        keep_passes=True,
        scope=scope,
        extra_links=() if clicked.record is not None else (record,),
        extra_customers=extra_customers,
        clicked=clicked,
    )
    return session.publish(session.run(run), outputs, customer=who)
