"""``portaldoctor audit``: every customer of the tenant (or one shard of them), summarised."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from portaldoctor.check import Inputs, Status
from portaldoctor.engine import Limits, Selection
from portaldoctor.errors import InputError
from portaldoctor.session import Network, Run, Session

if TYPE_CHECKING:
    from portaldoctor.outputs import Outputs
    from portaldoctor.snapshot.sources import TenantSource


def audit(
    *,
    source: TenantSource,
    outputs: Outputs,
    now: dt.datetime,
    network: Network,
    limits: Limits,
    fail_on: Status = Status.FAIL,
    selection: Selection | None = None,
    inputs: Inputs | None = None,
    shard: tuple[int, int] | None = None,
    list_all: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Run every selected check for every customer (or shard ``I/N`` of them) and publish the report.

    ``list_all`` lists every pass and skip one by one, whatever the tenant's size.
    """
    # An audit builds millions of long-lived objects (the tenant, its findings, the report) and
    # almost no reference cycles; the collector waits until the report is written, and then, in
    # the command's own process, does not walk them at all (see ``heap``).
    from portaldoctor.heap import collector_paused, leave_for_exit

    if shard is not None and not source.splittable:
        raise InputError(
            f"--shard needs a tenant that every shard's job reads alike; {source.label} can be read only once",
            field="--shard",
        )
    with collector_paused():
        session = Session(source, now=now, network=network, limits=limits, fail_on=fail_on)
        run = Run("audit", selection=selection or Selection(), inputs=inputs or Inputs(), keep_passes=list_all or None)
        if shard is not None:
            from portaldoctor import shard as shards

            run = replace(
                run,
                customers=shards.select([c.id for c in session.tenant.customers], *shard),
                organisation=shard[0] == 1,  # organisation-wide findings once, in shard 1
                scope={"shard": f"{shard[0]}/{shard[1]}"},
            )
        report = session.run(run, progress=progress)
        code = session.publish(report, outputs)
    leave_for_exit((session, report))
    return code
