"""The report: findings with their remedies, counts, worst severity and the exit code."""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple

from portaldoctor.check import Finding, Severity, Status
from portaldoctor.errors import ExitCode
from portaldoctor.playbooks.model import Playbook, Remedy
from portaldoctor.playbooks.rendering import render

if TYPE_CHECKING:
    from portaldoctor.clicked import ClickedLink

log = logging.getLogger(__name__)

REPORT_VERSION = 1


class Item(NamedTuple):
    """A finding with its rendered remedy (problems only) and effective severity.

    A named tuple, as findings are: an audit makes one per finding (benchmarks/ANALYSIS.md,
    "Objects per finding"). ``item._replace(...)`` gives a changed copy.
    """

    finding: Finding
    remedy: Remedy | None = None
    root_cause: bool = False
    """True when other findings are skipped because of this one."""
    suppressed: str | None = None
    """Why the finding is suppressed (suppressions file or baseline); it then counts toward nothing."""
    note: str | None = None
    """A remark for the reader, e.g. that the suppression covering this finding has expired."""

    @property
    def severity(self) -> Severity:
        """The playbook's severity; info for passes and skips."""
        return self.remedy.severity if self.remedy else Severity.INFO


class CheckInfo(NamedTuple):
    """What a report says about a check it ran: SARIF's rules read it."""

    title: str
    doc: str
    """The check's docstring, its user documentation."""
    tags: tuple[str, ...] = ()


class SkipGroup(NamedTuple):
    """Skips of one check for one reason, counted instead of listed (large audits)."""

    check_id: str
    reason: str
    blocked_by: str | None
    """``check:code`` of the failure that blocked them, as a skipped finding's ``blocked_by``."""
    skipped: int
    """How many targets were skipped."""


@dataclass(frozen=True)
class Report:
    """What a run found. Owns counts and the exit code so no caller recounts."""

    tenant: str
    platform: str | None
    profile: str
    product: str
    command: str
    generated_at: dt.datetime
    items: tuple[Item, ...]
    fail_on: Status = Status.FAIL
    extra_passes: int = 0
    """Passing findings counted but not kept (large audits)."""
    skip_groups: tuple[SkipGroup, ...] = ()
    """Skipped findings counted but not kept (large audits), by check and reason, largest first."""
    duration_s: float = 0.0
    scope: Mapping[str, Any] = field(default_factory=dict)
    """What was diagnosed: customer, symptom, link..."""
    labels: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)
    """Customer id -> name, for headings (not part of the JSON document)."""
    source: str = ""
    """Where the tenant came from, as its source calls itself (``demo``, ``tenant.yaml``)."""
    catalogue: Mapping[str, CheckInfo] = field(default_factory=dict, compare=False, repr=False)
    """The checks the report was built with, by id (SARIF's rules)."""
    clicked: ClickedLink | None = field(default=None, compare=False, repr=False)
    """The link the customer clicked, matched and decoded (``link``, ``diagnose --link``)."""

    @property
    def counts(self) -> dict[str, int]:
        """Number of findings per status, every status present."""
        return dict(self._counts)

    @cached_property
    def _counts(self) -> dict[str, int]:
        # Counted once: the summary, the exit code and every reporter ask, and a large audit
        # has a few hundred thousand items. (The report is frozen; ``replace`` makes a new one.)
        c = Counter(item.finding.status.value for item in self.items if not item.suppressed)
        c[Status.PASS.value] += self.extra_passes
        c[Status.SKIP.value] += sum(g.skipped for g in self.skip_groups)
        return {s.value: c.get(s.value, 0) for s in Status}

    @cached_property
    def suppressed_count(self) -> int:
        """Findings hidden by a suppression or the baseline (kept in the report, not counted)."""
        return sum(1 for item in self.items if item.suppressed)

    @property
    def problems(self) -> list[Item]:
        """Failing, erroring and warning items, root causes first."""
        return [i for i in self.items if i.finding.status in (Status.FAIL, Status.ERROR, Status.WARN)]

    @cached_property
    def worst_severity(self) -> Severity | None:
        """Highest severity among failures and warnings."""
        sev = [i.severity for i in self.items if i.finding.status in (Status.FAIL, Status.WARN) and not i.suppressed]
        return max(sev) if sev else None

    @property
    def exit_code(self) -> ExitCode:
        """0 nothing at or above --fail-on; 1 problems; 3 could not check and nothing failed."""
        counts = self.counts
        problems = counts["fail"] + (counts["warn"] if self.fail_on is Status.WARN else 0)
        if problems:
            return ExitCode.PROBLEMS
        if counts["error"]:
            return ExitCode.COULD_NOT_CHECK
        return ExitCode.OK

    @property
    def summary(self) -> str:
        """One line: the counts, e.g. ``3 failed, 1 warning, 2 could not check, 14 passed``."""
        c = self.counts
        parts = [f"{c['fail']} failed", f"{c['warn']} warning{'s' if c['warn'] != 1 else ''}"]
        parts.append(f"{c['error']} could not check")
        parts.append(f"{c['skip']} skipped")
        parts.append(f"{c['pass']} passed")
        if self.suppressed_count:
            parts.append(f"{self.suppressed_count} suppressed")
        return ", ".join(parts)


def _context(finding: Finding, playbook: Playbook, base: Mapping[str, Any]) -> dict[str, Any]:
    ctx: dict[str, Any] = dict(base)
    ctx["product"] = playbook.product
    ctx["subject"] = {
        "kind": finding.subject.kind,
        "id": finding.subject.id,
        "label": finding.subject.label,
    }
    ctx["observed"] = finding.observed
    ctx["expected"] = finding.expected
    ctx.update(finding.evidence)
    return ctx


def remedy_for(finding: Finding, playbook: Playbook, base: Mapping[str, Any]) -> Remedy | None:
    """Render the playbook entry for a problem finding; a broken template falls back to raw text."""
    entry = playbook.entry(finding.code)
    if entry is None:
        return None
    try:
        return render(entry, _context(finding, playbook, base))
    except Exception as exc:  # a template error must not hide the finding
        log.warning("playbook entry %s (%s) did not render: %s", entry.code, entry.profile, exc)
        return Remedy(
            code=entry.code,
            profile=entry.profile,
            title=entry.title,
            severity=entry.severity,
            why=entry.why,
            steps=entry.steps,
            customer_message=entry.customer_message,
            it_note=entry.it_note,
            links=entry.links,
        )


def build(
    findings: Sequence[Finding],
    playbook: Playbook,
    *,
    tenant: str,
    platform: str | None,
    command: str,
    now: dt.datetime,
    fail_on: Status = Status.FAIL,
    extra_passes: int = 0,
    skipped: Mapping[tuple[str, str, str | None], int] | None = None,
    duration_s: float = 0.0,
    scope: Mapping[str, Any] | None = None,
    render_context: Mapping[str, Any] | None = None,
    labels: Mapping[str, str] | None = None,
    source: str = "",
    catalogue: Mapping[str, CheckInfo] | None = None,
    clicked: ClickedLink | None = None,
) -> Report:
    """Attach remedies, mark root causes, and order findings: root causes and failures first.

    ``skipped``: skips counted instead of kept, by (check id, reason, ``blocked_by``), as
    ``engine.RunResult.skips``; a failure they name in ``blocked_by`` is a root cause too.
    """
    groups = skip_groups(skipped or {})
    causes = {g.blocked_by for g in groups if g.blocked_by}
    items = ordered_items(findings, playbook, render_context=render_context, causes=causes)
    return Report(
        tenant=tenant,
        platform=platform,
        profile=playbook.profile,
        product=playbook.product,
        command=command,
        generated_at=now,
        items=tuple(items),
        fail_on=fail_on,
        extra_passes=extra_passes,
        skip_groups=groups,
        duration_s=duration_s,
        scope=_redacted_scope(scope),
        labels=labels or {},
        source=source,
        catalogue=catalogue or {},
        clicked=clicked,
    )


def _redacted_scope(scope: Mapping[str, Any] | None) -> dict[str, Any]:
    """What the run was asked about, as the report keeps it: a symptom is the customer's own words
    and may hold the link they clicked, so it is redacted like evidence."""
    from portaldoctor.knowledge.redaction import redact_evidence

    return dict(redact_evidence(dict(scope or {})))


def skip_groups(skipped: Mapping[tuple[str, str, str | None], int]) -> tuple[SkipGroup, ...]:
    """Counted skips as groups, largest first, then by check and reason; reasons redacted."""
    from portaldoctor.knowledge.redaction import redact_evidence, secrets_shown

    hide = not secrets_shown()
    groups = [
        SkipGroup(check_id, str(redact_evidence(reason)) if hide else reason, blocked_by, count)
        for (check_id, reason, blocked_by), count in skipped.items()
        if count
    ]
    return tuple(sorted(groups, key=lambda g: (-g.skipped, g.check_id, g.reason)))


def ordered_items(
    findings: Sequence[Finding],
    playbook: Playbook,
    *,
    render_context: Mapping[str, Any] | None = None,
    causes: set[str] | None = None,
) -> list[Item]:
    """The report's items for ``findings``, in report order.

    A failure is a root cause when one of ``findings`` is blocked by it, or it is in ``causes``
    (``check:code`` of the failures that blocked skips counted rather than kept).
    """
    from portaldoctor.knowledge.redaction import redact_evidence, secrets_shown

    causes = {f.blocked_by for f in findings if f.blocked_by} | (causes or set())
    items: list[Item] = []
    keys: list[tuple[Any, ...]] = []
    hide = not secrets_shown()
    # Redacted skip reasons, once each: a large audit repeats a handful thousands of times.
    reasons: dict[str, str] = {}
    fail, warn, error, info = Status.FAIL, Status.WARN, Status.ERROR, int(Severity.INFO)
    new = tuple.__new__  # ``Item(...)`` without the named tuple's Python-level ``__new__``
    for finding in findings:
        no_evidence = not finding.evidence and finding.observed is None and finding.expected is None
        if hide and no_evidence and finding.reason:
            reason = reasons.get(finding.reason)
            if reason is None:
                reason = reasons[finding.reason] = redact_evidence(finding.reason)
            if reason != finding.reason:
                finding = finding._replace(reason=reason)
        elif hide and (finding.evidence or finding.observed is not None or finding.expected is not None):
            # One place redacts what every reporter prints: tokens, signed URLs, keys.
            finding = finding._replace(
                observed=redact_evidence(finding.observed, key="observed"),
                expected=redact_evidence(finding.expected, key="expected"),
                evidence=redact_evidence(finding.evidence),  # a new dict
                reason=redact_evidence(finding.reason) if finding.reason else finding.reason,
            )
        status = finding.status
        remedy = None
        if status is fail or status is warn or (status is error and finding.code != finding.check_id):
            remedy = remedy_for(finding, playbook, render_context or {})
        root = status is fail and f"{finding.check_id}:{finding.code}" in causes
        items.append(new(Item, (finding, remedy, root, None, None)))
        # Problems first; among them root causes, then a customer's own causes before
        # organisation-wide ones (a diagnosis leads with what is specific to the customer), then
        # severity. The key is made here, from what the loop holds, rather than by a key function.
        subject = finding.subject
        customer = subject.customer_id
        keys.append(
            (
                status.rank,
                not root,
                customer is None,
                -(int(remedy.severity) if remedy else info),
                customer or "",
                subject.contact_id or "",
                finding.check_id,
                subject.id,
            )
        )
    order = sorted(range(len(items)), key=keys.__getitem__)  # stable, as sorting the items by key
    return [items[i] for i in order]
