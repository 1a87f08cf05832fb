"""One command's work over one tenant source: opened once, checked, reported, and published.

A ``Session`` reads the tenant from its source once, loads the checks and the tenant's platform
profile once, and then runs (``run``: selected checks over chosen customers, into a report) and
publishes (``publish``: suppressions and baseline, then every requested output through the one
emit path of ``outputs``). Commands describe what to run; they never load, count or write.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from portaldoctor.check import CheckContext, Finding, Inputs, Scope, Status
from portaldoctor.engine import Limits, Selection
from portaldoctor.errors import InputError

if TYPE_CHECKING:
    from pathlib import Path

    from portaldoctor.clicked import ClickedLink
    from portaldoctor.outputs import Outputs
    from portaldoctor.plugins import Plugins
    from portaldoctor.probes.bundle import Probes
    from portaldoctor.report import Report
    from portaldoctor.snapshot.index import TenantIndex
    from portaldoctor.snapshot.model import Customer, Link, Tenant
    from portaldoctor.snapshot.sources import TenantSource

LIST_ALL_UP_TO = 5_000
"""Audits of tenants with more customers and contacts than this count their passes and skips
instead of listing them (``audit --list-all`` lists them)."""


@dataclass(frozen=True)
class Network:
    """How network checks reach the world: offline or not, name servers, evidence recorded or replayed."""

    offline: bool = False
    """Skip network checks (reported as skipped)."""
    nameservers: tuple[tuple[str, int], ...] = ()
    record: str | None = None
    """Save every DNS answer and TLS/HTTP observation to this evidence file."""
    replay: str | None = None
    """Answer from an evidence file saved with ``record``, without network."""
    allow_private_network: bool = False
    authoritative: bool = False
    ca_file: str | None = None

    def __post_init__(self) -> None:
        if self.record and self.replay:
            raise InputError("use either --record or --replay, not both", field="--record/--replay")


@dataclass(frozen=True)
class Run:
    """What one run checks: which checks, for which customers, with what the agent gave."""

    command: str
    selection: Selection = field(default_factory=Selection)
    customers: Sequence[str] | None = None
    """The customers to check (None: every customer)."""
    link: str | None = None
    """Of the customers' links, report only this one (``link URL``)."""
    organisation: bool = True
    """Keep the organisation-wide findings (a shard other than the first leaves them to it)."""
    inputs: Inputs = field(default_factory=Inputs)
    keep_passes: bool | None = None
    """List passes and skips one by one; None: for tenants up to ``LIST_ALL_UP_TO``."""
    keep_skips: bool | None = None
    """List skips one by one (a diagnosis lists its customer's); None: as passes."""
    scope: Mapping[str, Any] = field(default_factory=dict)
    """What the report says was asked: customer, symptom, shard, link."""
    extra_links: tuple[Link, ...] = ()
    """Link records to judge besides the tenant's (a clicked link it does not list)."""
    extra_customers: tuple[Customer, ...] = ()
    clicked: ClickedLink | None = None


class Session:
    """A tenant source, read once, with its plugins, checked and published as one command asks."""

    def __init__(
        self,
        source: TenantSource,
        *,
        now: dt.datetime,
        network: Network | None = None,
        limits: Limits | None = None,
        fail_on: Status = Status.FAIL,
        plugins: Plugins | None = None,
    ) -> None:
        from portaldoctor.plugins import Plugins
        from portaldoctor.snapshot.index import TenantIndex

        self.source = source
        self.now = now
        self.network = network or Network()
        self.limits = limits or Limits()
        self.fail_on = fail_on
        self.tenant: Tenant = source.load()
        self.plugins = plugins or Plugins.load(self.tenant.platform)
        self.playbook = self.plugins.playbook_for(self.tenant)
        self.index: TenantIndex = TenantIndex(self.tenant)

    # -- finding things --------------------------------------------------------------------------
    def customer(self, query: str) -> Customer:
        """The customer ``query`` names: id, external id, name (any case) or a contact's email."""
        from portaldoctor.snapshot.lookup import find_customer

        return find_customer(self.tenant, query)

    # -- running ----------------------------------------------------------------------------------
    def run(self, run: Run, *, progress: Callable[[int, int], None] | None = None) -> Report:
        """Run the selected checks over the chosen customers and build the report."""
        from portaldoctor import engine, report

        try:
            checks = engine.plan(self.plugins.registry, run.selection)
        except KeyError as exc:
            known = ", ".join(self.plugins.registry.checks)
            raise InputError(f"unknown check id {exc}; known checks: {known}", field="--check") from None
        tenant, index = self.tenant, self.index
        if run.extra_links or run.extra_customers:
            from portaldoctor.snapshot.index import TenantIndex

            tenant = tenant.model_copy(
                update={
                    "customers": [*tenant.customers, *run.extra_customers],
                    "links": [*tenant.links, *run.extra_links],
                }
            )
            index = TenantIndex(tenant)
        probes = None if self.network.offline else self._probes()
        scope = dict(run.scope)
        if probes is not None and probes.replaying:
            scope["evidence"] = "replayed"
        ctx = CheckContext(
            tenant=tenant,
            index=index,
            now=self.now,
            offline=self.network.offline,
            rules=self.playbook.rules,
            inputs=run.inputs,
            probes=probes,
        )
        keep = run.keep_passes
        if keep is None:
            # Passes and skips are kept one by one for small tenants (JUnit lists them); a large
            # audit counts them (skips by check and reason), so its memory and its report follow
            # the problems found, not the tenant's size.
            keep = len(tenant.contacts) + len(tenant.customers) <= LIST_ALL_UP_TO
        total = len(checks)
        result = engine.run(
            ctx,
            checks,
            customer_ids=run.customers,
            limits=self.limits,
            keep_passes=keep,
            keep_skips=keep if run.keep_skips is None else run.keep_skips,
            progress=(lambda n: progress(n, total)) if progress else None,
        )
        if probes is not None and self.network.record:
            from portaldoctor.atomic import atomic_write

            atomic_write(self.network.record, probes.recording.to_json())
        findings, passes, skips = result.findings, result.passes_by_check, result.skips
        if run.customers is not None:
            # Organisation-wide checks may name another customer (e.g. its access request); a run
            # for some customers shows only what concerns them and the organisation.
            wanted = set(run.customers)
            findings = [f for f in findings if f.subject.customer_id is None or f.subject.customer_id in wanted]
        if run.link is not None:
            findings = [f for f in findings if f.subject.kind != "link" or f.subject.id == run.link]
        if not run.organisation:
            findings, passes, skips = _without_organisation(findings, passes, skips, checks)
        customers = index.customers
        return report.build(
            findings,
            self.playbook,
            tenant=tenant.organisation.name,
            platform=tenant.platform,
            command=run.command,
            now=self.now,
            fail_on=self.fail_on,
            extra_passes=sum(passes.values()),
            skipped=skips,
            duration_s=result.duration_s,
            scope=scope,
            labels={cid: customers[cid].name for cid in run.customers or customers},
            source=self.source.label,
            catalogue=self.plugins.catalogue,
            clicked=run.clicked,
        )

    def _probes(self) -> Probes:
        from portaldoctor.probes.bundle import make_probes
        from portaldoctor.probes.dnslookup import Recording

        net = self.network
        replay: Path | str | None = net.replay
        if replay is None and net.record is None:
            replay = self.source.evidence  # the demo ships its evidence, so it works without internet
        return make_probes(
            nameservers=list(net.nameservers) or None,
            timeout=max(min(self.limits.check_timeout / 3, 3.0), 0.2),
            replay=Recording.load(str(replay)) if replay else None,
            allow_private_network=net.allow_private_network,
            authoritative=net.authoritative,
            ca_file=net.ca_file,
        )

    # -- publishing -------------------------------------------------------------------------------
    def publish(self, report: Report, outputs: Outputs, *, customer: Customer | None = None) -> int:
        """Suppressions, baseline and every output of ``outputs``; the exit code.

        ``customer`` is whom ``--reply`` writes to.
        """
        from portaldoctor import outputs as emit

        reply = None
        if customer is not None:
            to = customer

            def reply(rep: Report) -> str:
                from portaldoctor import reply as replies

                return replies.render(rep, self.tenant, to)

        secrets = report.clicked.secrets if report.clicked is not None else ()
        return emit.publish(report, outputs, reply=reply, secrets=secrets)


def _without_organisation(
    findings: list[Finding], passes: Counter[str], skips: Counter[Any], checks: Sequence[Any]
) -> tuple[list[Finding], Counter[str], Counter[Any]]:
    """A run's findings and counts less the organisation-wide ones (they belong to shard 1)."""
    org = {c.spec.id for c in checks if c.spec.scope is Scope.ORG}
    return (
        [f for f in findings if f.subject.customer_id is not None],
        Counter({check: n for check, n in passes.items() if check not in org}),
        Counter({key: n for key, n in skips.items() if key[0] not in org}),
    )
