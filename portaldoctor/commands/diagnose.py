"""``portaldoctor diagnose CUSTOMER``: one customer, from what they said or clicked, root cause first."""

from __future__ import annotations

import datetime as dt
import sys
import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from portaldoctor.check import Inputs, Status
from portaldoctor.engine import Limits, Selection
from portaldoctor.errors import InputError
from portaldoctor.session import Network, Run, Session

if TYPE_CHECKING:
    from portaldoctor.outputs import Outputs
    from portaldoctor.report import Report
    from portaldoctor.snapshot.model import Customer
    from portaldoctor.snapshot.sources import TenantSource


@dataclass(frozen=True)
class Watch:
    """``--watch``: run the failing network checks again every ``interval`` seconds until they pass."""

    interval: float
    limit: float = 600.0
    """Stop after this many seconds, with what is still failing."""

    def __post_init__(self) -> None:
        if self.interval <= 0 or self.limit <= 0:
            raise InputError("must be greater than 0", field="--watch/--watch-limit")


def diagnose(
    *,
    customer: str,
    source: TenantSource,
    outputs: Outputs,
    now: dt.datetime,
    network: Network,
    limits: Limits,
    fail_on: Status = Status.FAIL,
    selection: Selection | None = None,
    inputs: Inputs | None = None,
    symptom: str | None = None,
    link: str | None = None,
    tz: str | None = None,
    watch: Watch | None = None,
) -> int:
    """Run organisation, customer, contact and link checks for one customer and publish the report.

    ``symptom`` (the customer's words) narrows the checks to those that can explain it and may
    name their browser; ``link`` is the link they clicked, judged in place of its record.
    """
    session = Session(source, now=now, network=network, limits=limits, fail_on=fail_on)
    who = session.customer(customer)
    run = Run(
        "diagnose",
        selection=selection or Selection(),
        customers=[who.id],
        keep_skips=True,  # every skip of the customer's, whatever the tenant's size
        inputs=inputs or Inputs(),
        scope={"customer": {"id": who.id, "name": who.name}},
    )
    if symptom is not None:
        run = _triage(run, symptom, session, outputs)
    if link is not None:
        run = _clicked(run, link, who, session, tz)
    report = session.run(run)
    if watch is not None:
        report = _watch(report, run, session, watch)
    return session.publish(report, outputs, customer=who)


def _triage(run: Run, symptom: str, session: Session, outputs: Outputs) -> Run:
    """The checks that can explain what the customer reports, and the browser they named."""
    from portaldoctor import symptoms

    matches = symptoms.match(symptom, session.playbook.symptoms)
    scope = {**run.scope, "symptom": {"text": symptom, "matched": [m.phrase for m in matches]}}
    selection = run.selection
    if matches:
        selection = replace(selection, codes=frozenset().union(*(m.codes for m in matches)))
    else:
        from portaldoctor.knowledge.redaction import redact_evidence

        outputs.note(
            f"no known symptom matches '{redact_evidence(symptom)}'; running the full diagnosis "
            "(see 'portaldoctor symptoms')"
        )
    inputs = run.inputs
    if inputs.browser is None and (named := symptoms.browser_in(symptom)):
        inputs = replace(inputs, browser=named)
    return replace(run, selection=selection, scope=scope, inputs=inputs)


def _clicked(run: Run, link: str, who: Customer, session: Session, tz: str | None) -> Run:
    """The link the customer clicked: its record is judged by the clicked URL; a link the tenant
    does not list is judged as a new record of this customer's."""
    from portaldoctor.clicked import judge, make_clock, unmatched_record

    clicked = judge(link, clock=make_clock(session.now, tz), tenant=session.tenant)
    record = clicked.record
    extra: tuple[Any, ...] = ()
    if record is None:
        record = unmatched_record(clicked, who)
        extra = (record,)
    elif record.customer != who.id:
        raise InputError(f"the link belongs to customer {record.customer}, not {who.name} ({who.id})", field="--link")
    inputs = replace(run.inputs, clicked={record.id: clicked.url})
    return replace(run, inputs=inputs, extra_links=extra, clicked=clicked)


def _watch(report: Report, run: Run, session: Session, watch: Watch) -> Report:
    """Run only the failing network checks (DNS, HTTPS) again every ``watch.interval`` seconds until
    they pass or ``watch.limit`` seconds have gone by, saying on stderr what changed; then the whole
    diagnosis once more, which is returned."""
    registry = session.plugins.registry

    def network_problems(r: Report) -> set[tuple[str, str, str]]:
        return {
            (i.finding.check_id, i.finding.subject.id, i.finding.code)
            for i in r.problems
            if i.finding.check_id in registry.checks and registry.get(i.finding.check_id).spec.network
        }

    stream = sys.stderr
    started = time.monotonic()
    problems = network_problems(report)
    while problems and time.monotonic() - started < watch.limit:
        stream.write(f"portaldoctor: {len(problems)} network problem(s) left; checking again in {watch.interval:g}s\n")
        stream.flush()
        time.sleep(watch.interval)
        checks = frozenset(check for check, _, _ in problems)
        latest = network_problems(session.run(replace(run, selection=replace(run.selection, checks=checks))))
        for _, subject, code in sorted(problems - latest):
            stream.write(f"  fixed: {code} ({subject})\n")
        for _, subject, code in sorted(latest - problems):
            stream.write(f"  new: {code} ({subject})\n")
        problems = latest
    if problems:
        stream.write(f"portaldoctor: stopped watching after {watch.limit:g}s; {len(problems)} problem(s) remain\n")
    return session.run(run)
