"""Run planned checks over their targets and collect findings.

Synchronous checks run inline; network checks (``async def run``) run concurrently, each call
under a per-check timeout, all of them under one overall deadline. A check that raises becomes an
``error`` finding; a check whose prerequisite failed is ``skip``-ped as blocked by that cause.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections import Counter
from collections.abc import Callable, Coroutine, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from portaldoctor.check import Check, CheckContext, Finding, Outcome, Scope, Status, Target
from portaldoctor.engine.targets import targets_for

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    """Time limits of a run, in seconds."""

    check_timeout: float = 10.0
    deadline: float = 30.0
    concurrency: int = 32


SkipKey = tuple[str, str, "str | None"]
"""What a counted skip is counted by: check id, reason, and ``blocked_by`` (None when not blocked)."""


@dataclass
class RunResult:
    """Findings of a run, plus pass and skip counts when they are not kept one by one."""

    findings: list[Finding] = field(default_factory=list)
    passes_by_check: Counter[str] = field(default_factory=Counter)
    skips: Counter[SkipKey] = field(default_factory=Counter)
    """Skips counted but not kept (``keep_skips`` off), by check, reason and cause."""
    checks_run: list[str] = field(default_factory=list)
    duration_s: float = 0.0


_FINDING = Finding._make
"""A finding from its fields in order, without the named tuple's keyword handling, and still
checked for their number (benchmarks/ANALYSIS.md, "Objects per finding")."""
_NO_EVIDENCE = Finding._field_defaults["evidence"]


def _summarise(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    text = text if len(text) <= 200 else text[:197] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class _Runner:
    def __init__(
        self,
        ctx: CheckContext,
        checks: list[Check],
        customer_ids: Sequence[str] | None,
        limits: Limits,
        keep_passes: bool,
        progress: Callable[[int], None] | None,
        keep_skips: bool = True,
    ) -> None:
        self.ctx = ctx
        self.checks = checks
        self.customer_ids = customer_ids
        self.limits = limits
        self.keep_passes = keep_passes
        self.keep_skips = keep_skips
        self.progress = progress
        self.result = RunResult(checks_run=[c.spec.id for c in checks])
        self.failed_keys: dict[str, dict[str, str]] = {}
        """check id -> {target key: failing code}, for blocking dependents."""
        self.done: dict[str, asyncio.Event] = {}
        self.deadline_at = 0.0
        self.semaphore: asyncio.Semaphore | None = None
        self.targets: dict[Scope, list[Target]] = {}
        """Targets per scope, built once: most checks are contact-scoped and share the same list."""
        self.blocked_texts: dict[tuple[str, str], tuple[str, str]] = {}
        """(prerequisite, code) -> the reason and ``blocked_by`` of the skips it causes."""
        self.splits: dict[
            tuple[Scope, tuple[tuple[str, int], ...]], tuple[list[Target], list[tuple[Target, str, str]]]
        ] = {}

    # -- recording --------------------------------------------------------------------------
    def _finding(self, check: Check, target: Target, outcome: Outcome, duration_ms: float) -> None:
        if outcome.status is Status.FAIL:
            self.failed_keys.setdefault(check.spec.id, {}).setdefault(target.key, outcome.code)
        if outcome.status is Status.PASS and not self.keep_passes:
            self.result.passes_by_check[check.spec.id] += 1
            return
        if (
            outcome.status is Status.SKIP
            and not self.keep_skips
            and outcome.reason
            and outcome.code == check.spec.id
            and not outcome.evidence
            and outcome.observed is None
            and outcome.expected is None
            and outcome.subject is None
            and outcome.location is None
        ):  # a plain "not applicable, because": counted (a skip that says more is listed)
            self.result.skips[check.spec.id, outcome.reason, None] += 1
            return
        self.result.findings.append(
            _FINDING(
                (
                    check.spec.id,
                    outcome.code,
                    outcome.status,
                    outcome.subject or target.subject,
                    outcome.observed,
                    outcome.expected,
                    outcome.evidence,
                    outcome.location or target.location,
                    round(duration_ms, 3),
                    outcome.reason,
                    None,
                )
            )
        )

    def _record(self, check: Check, target: Target, outcomes: Iterable[Outcome], started: float) -> None:
        duration = (time.perf_counter() - started) * 1000
        any_outcome = False
        for outcome in outcomes:
            any_outcome = True
            self._finding(check, target, outcome, duration)
        if not any_outcome:
            self._finding(check, target, Outcome(check.spec.id, Status.PASS), duration)

    def _skip(self, check: Check, target: Target, reason: str, blocked_by: str | None = None) -> None:
        spec_id = check.spec.id
        if not self.keep_skips:
            self.result.skips[spec_id, reason, blocked_by] += 1
            return
        # Positional, as ``_finding``: a small tenant may have thousands of blocked skips.
        self.result.findings.append(
            _FINDING(
                (
                    spec_id,
                    spec_id,
                    Status.SKIP,
                    target.subject,
                    None,
                    None,
                    _NO_EVIDENCE,
                    target.location,
                    0.0,
                    reason,
                    blocked_by,
                )
            )
        )

    def _error(self, check: Check, target: Target, reason: str, started: float) -> None:
        self.result.findings.append(
            Finding(
                check_id=check.spec.id,
                code=check.spec.id,
                status=Status.ERROR,
                subject=target.subject,
                location=target.location,
                duration_ms=round((time.perf_counter() - started) * 1000, 3),
                reason=reason,
            )
        )

    # -- running ----------------------------------------------------------------------------
    async def _run_check(self, check: Check) -> None:
        spec = check.spec
        try:
            for dep in spec.depends_on:
                if dep in self.done:
                    await self.done[dep].wait()
            targets = self.targets.get(spec.scope)
            if targets is None:
                targets = self.targets[spec.scope] = targets_for(self.ctx, spec.scope, self.customer_ids)
            runnable = self._runnable(check, targets)
            if inspect.iscoroutinefunction(check.run):
                await self._run_async(check, runnable)
            else:
                await self._run_sync(check, runnable)
            if self.progress:
                self.progress(1)
        finally:
            self.done[spec.id].set()

    def _runnable(self, check: Check, targets: list[Target]) -> list[Target]:
        """The targets to run on; the others are recorded as skipped (blocked, or offline)."""
        spec = check.spec
        failed = [(dep, self.failed_keys[dep]) for dep in spec.depends_on if self.failed_keys.get(dep)]
        if not failed:  # usually nothing failed upstream: no per-target lookups at all
            runnable = targets
        else:
            runnable, blocked = self._split(spec.scope, targets, failed)
            if self.keep_skips:
                for target, dep, code in blocked:
                    self._skip(check, target, *self._blocked_text(dep, code))
            else:  # counted by cause (large audits), not one by one
                for (dep, code), count in Counter((dep, code) for _, dep, code in blocked).items():
                    self.result.skips[(spec.id, *self._blocked_text(dep, code))] += count
        if spec.network and self.ctx.offline:
            for target in runnable:
                self._skip(check, target, "offline: network checks are not run")
            return []
        return runnable

    def _blocked_text(self, dep: str, code: str) -> tuple[str, str]:
        """The reason and ``blocked_by`` of a skip blocked by ``dep`` failing with ``code``: one
        pair of strings per prerequisite and code, not per skip."""
        said = self.blocked_texts.get((dep, code))
        if said is None:
            said = self.blocked_texts[dep, code] = (f"blocked by {dep} ({code})", f"{dep}:{code}")
        return said

    def _split(
        self, scope: Scope, targets: list[Target], failed: list[tuple[str, dict[str, str]]]
    ) -> tuple[list[Target], list[tuple[Target, str, str]]]:
        """Targets free to run, and the blocked ones with the prerequisite and code that block them.

        Several checks usually wait on the same prerequisite (the customer's portal switch), so
        the split is kept per scope and set of failed prerequisites: a prerequisite has finished,
        and so stopped adding failures, before any check that depends on it starts.
        """
        memo = (scope, tuple((dep, len(codes)) for dep, codes in failed))
        found = self.splits.get(memo)
        if found is None:
            runnable: list[Target] = []
            blocked: list[tuple[Target, str, str]] = []
            anywhere = set().union(*(codes for _, codes in failed))
            # A target's own key ("contact:P1") is only spelled out when its id is among the
            # failed ones: keeping every target's key would cost a string and a tuple per
            # contact (benchmarks/ANALYSIS.md, "Objects per row").
            failed_ids = {key.partition(":")[2] for key in anywhere}
            free, runs = anywhere.isdisjoint, runnable.append  # bound once: one pass per contact
            for target in targets:
                own = target.id in failed_ids and target.key in anywhere
                if not own and free(target.ancestors):
                    runs(target)
                    continue
                # The first prerequisite, in declared order, that failed on this target or above it.
                keys = (target.key, *target.ancestors)
                dep, code = next((dep, codes[key]) for dep, codes in failed for key in keys if key in codes)
                blocked.append((target, dep, code))
            found = self.splits[memo] = (runnable, blocked)
        return found

    async def _run_sync(self, check: Check, targets: list[Target]) -> None:
        """Run a plain check in chunks of targets, yielding to network checks between chunks.

        A check with ``run_all`` gets each chunk at once and names only the targets with
        outcomes; should it raise, that chunk is run again target by target, so the error lands
        on the target that caused it.
        """
        run, ctx, keep, clock = check.run, self.ctx, self.keep_passes, time.perf_counter
        run_all = getattr(check, "run_all", None)
        counted = 0
        size = 4096 if run_all is not None else 512
        for start in range(0, len(targets), size):
            chunk = targets[start : start + size]
            if run_all is not None:
                began = clock()
                try:
                    found = list(run_all(ctx, chunk))
                except Exception:
                    log.debug(
                        "check %s raised in run_all; running its targets one by one", check.spec.id, exc_info=True
                    )
                else:
                    # One timing for the chunk: each finding gets the chunk's average per target.
                    now = clock()
                    began = now - (now - began) / len(chunk)
                    for target, outcomes in found:
                        self._record(check, target, outcomes, began)
                    if keep:
                        named = {id(target) for target, _ in found}
                        for target in chunk:
                            if id(target) not in named:
                                self._record(check, target, (), began)
                    else:
                        counted += len(chunk) - len(found)
                    await asyncio.sleep(0)
                    continue
            for target in chunk:
                started = clock()
                try:
                    outcomes = list(run(ctx, target))  # type: ignore[arg-type]
                except Exception as exc:
                    log.debug("check %s raised", check.spec.id, exc_info=True)
                    self._error(check, target, _summarise(exc), started)
                    continue
                if outcomes or keep:
                    self._record(check, target, outcomes, started)
                else:  # a pass that is only counted (large audits): no objects for it
                    counted += 1
            await asyncio.sleep(0)  # let network checks progress during long scans
        if counted:
            self.result.passes_by_check[check.spec.id] += counted

    async def _run_async(self, check: Check, targets: list[Target]) -> None:
        assert self.semaphore is not None

        async def one(target: Target) -> None:
            async with self.semaphore:  # type: ignore[union-attr]
                started = time.perf_counter()
                remaining = self.deadline_at - time.monotonic()
                timeout = min(self.limits.check_timeout, max(remaining, 0.0))
                try:
                    outcomes = await asyncio.wait_for(check.run(self.ctx, target), timeout)  # type: ignore[arg-type]
                except TimeoutError:
                    limit = "the overall deadline" if timeout < self.limits.check_timeout else "its timeout"
                    self._error(check, target, f"timed out after {timeout:.1f}s ({limit})", started)
                    return
                except Exception as exc:
                    log.debug("check %s raised", check.spec.id, exc_info=True)
                    self._error(check, target, _summarise(exc), started)
                    return
                self._record(check, target, list(outcomes), started)

        await asyncio.gather(*(one(t) for t in targets))

    async def run(self) -> RunResult:
        started = time.perf_counter()
        self.deadline_at = time.monotonic() + self.limits.deadline
        self.semaphore = asyncio.Semaphore(self.limits.concurrency)
        self.done = {c.spec.id: asyncio.Event() for c in self.checks}
        await asyncio.gather(*(self._run_check(c) for c in self.checks))
        self.result.duration_s = time.perf_counter() - started
        return self.result


def run(
    ctx: CheckContext,
    checks: list[Check],
    *,
    customer_ids: Sequence[str] | None = None,
    limits: Limits | None = None,
    keep_passes: bool = True,
    progress: Callable[[int], None] | None = None,
    keep_skips: bool = True,
) -> RunResult:
    """Run planned checks over the chosen customers (None = all) and return their findings.

    Without ``keep_passes`` passes are only counted (``RunResult.passes_by_check``); without
    ``keep_skips``, skips without evidence are counted by check, reason and cause
    (``RunResult.skips``).
    """
    runner = _Runner(ctx, checks, customer_ids, limits or Limits(), keep_passes, progress, keep_skips)
    # A run allocates a finding or two per target and hardly any reference cycles, yet the
    # collector's full passes walked the whole loaded tenant again and again, more the larger it
    # is (benchmarks/ANALYSIS.md, "The collector"). It waits for the end of the run instead. Nothing is frozen
    # after it: ``diagnose --watch`` runs the engine again and again, and each run's reference
    # cycles must stay collectable.
    from portaldoctor.heap import collector_paused

    with collector_paused(freeze=False):
        return run_coroutine(runner.run())


def run_coroutine(coro: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(coro)``, without ever turning the result into text.

    On Python 3.11, ``asyncio.run`` restores the SIGINT handler at the end, and ``signal.signal``
    then builds an error message (which it discards) holding ``repr()`` of the finished main task,
    result included. For a large audit that result is every finding: the repr took seconds and a
    string as large as the report. Keeping the result outside the task makes that repr small.
    """
    box: list[T] = []

    async def main() -> None:
        box.append(await coro)

    asyncio.run(main())
    return box[0]
