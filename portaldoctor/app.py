"""Commands as plain functions: options in, engine call, reporter out, exit code back.

Nothing here knows about typer; the CLI parses options and calls these.
"""

from __future__ import annotations

import difflib
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple, TextIO

from portaldoctor.check import Finding, Scope, Status
from portaldoctor.errors import ExitCode, InputError, PluginError

if TYPE_CHECKING:
    from portaldoctor.engine import Limits, Selection
    from portaldoctor.playbooks import Playbook, PlaybookSet
    from portaldoctor.registry import Registry
    from portaldoctor.report import Report
    from portaldoctor.snapshot.model import Customer, Tenant
    from portaldoctor.suppressions import Policy

LIST_ALL_UP_TO = 5_000
"""Audits of tenants with more customers and contacts than this count their passes and skips
instead of listing them (``audit --list-all`` lists them)."""

FORMATS = ("table", "json", "junit", "sarif", "markdown", "html")


@dataclass(frozen=True)
class Output:
    """Where and how a report is written."""

    format: str = "table"
    stream: TextIO | None = None
    color: bool | None = None
    width: int | None = None
    targets: tuple[Any, ...] = ()
    """``outputs.Target``s; empty means ``format`` on the stream (see ``outputs.plan``)."""
    root: str | None = None
    """Directory SARIF, Markdown and HTML paths are relative to (default: the current directory)."""
    quiet: bool = False


def load_plugins(profile: str | None = None) -> tuple[Registry, PlaybookSet]:
    """Playbooks first, then the checks (whose codes must all have a generic remedy).

    ``profile``: build only that platform's playbook besides generic (what a run needs).
    """
    from portaldoctor import playbooks, registry

    books = playbooks.load_builtin(profile, compile_check=False)  # the suite compiles every shipped template
    return registry.discover(set(books.generic.entries)), books


def find_customer(tenant: Tenant, query: str) -> Customer:
    """Match id, external id, name (case-insensitive) or a contact's email; else list the closest."""
    from portaldoctor.snapshot.index import normalise_email

    q = query.strip()
    fold = q.casefold()
    matches = [c for c in tenant.customers if q in (c.id, c.external_id) or c.name.casefold() == fold]
    if not matches:
        ids = {ct.customer for ct in tenant.contacts if ct.email and normalise_email(ct.email) == fold}
        matches = [c for c in tenant.customers if c.id in ids]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        listed = ", ".join(f"{c.name} ({c.id})" for c in matches[:8])
        raise InputError(f"'{query}' matches several customers: {listed}; give the id", field="CUSTOMER")
    names = {c.name.casefold(): c for c in tenant.customers}
    names.update({c.id.casefold(): c for c in tenant.customers})
    close = difflib.get_close_matches(fold, list(names), n=5, cutoff=0.5)
    partial = [c for key, c in names.items() if fold and fold in key]
    suggestions = list(dict.fromkeys([names[k] for k in close] + partial))[:5]
    hint = (
        "; closest: " + ", ".join(f"{c.name} ({c.id})" for c in suggestions)
        if suggestions
        else "; run 'portaldoctor audit' to see every customer"
    )
    raise InputError(f"no customer matches '{query}'{hint}", field="CUSTOMER")


def _write(report: Report, out: Output) -> None:
    from portaldoctor import outputs

    targets = out.targets or outputs.plan((), default_format=out.format, quiet=out.quiet)
    outputs.write(report, targets, stream=out.stream, color=out.color, width=out.width, root=out.root)


def _review(report: Report, policy: Policy | None, out: Output) -> Report:
    """Suppressions and baseline; their notes go to stderr unless --quiet."""
    from portaldoctor import suppressions

    def warn(message: str) -> None:
        if not out.quiet:
            sys.stderr.write(f"portaldoctor: {message}\n")

    return suppressions.review(report, policy, warn=warn)


def run_checks(
    *,
    command: str,
    tenant_path: str,
    customer_query: str | None,
    selection: Selection,
    limits: Limits,
    now_override: str | None,
    offline: bool,
    fail_on: Status,
    keep_passes: bool | None = None,
    progress: Callable[[int, int], None] | None = None,
    options: dict[str, Any] | None = None,
    symptom: str | None = None,
    browser: str | None = None,
    shard: tuple[int, int] | None = None,
    network: Network | None = None,
    hand_over: Callable[[object], None] | None = None,
    notes: bool = True,
) -> Report:
    """Load the tenant and plugins, run the selected checks, and build the report.

    ``hand_over`` receives what the run worked with (the tenant, its indexes, the raw findings)
    once the report is built, instead of their being freed on return: an audit hands them to
    ``process.leave_for_exit``, which saved 0.07 s at 300 k contacts.
    ``notes``: say on stderr when a symptom matches nothing (off with ``--quiet``).
    """
    from portaldoctor import clock, engine, report
    from portaldoctor.check import CheckContext
    from portaldoctor.snapshot.index import TenantIndex
    from portaldoctor.snapshot.loader import load_tenant

    moment = clock.now(now_override)
    net = network or Network()
    total = 0  # checks planned, once ``prepare`` has run

    def prepare() -> tuple[CheckContext, list[Any], Sequence[str] | None, bool, bool, _Prepared]:
        """Load the tenant and plan the run."""
        nonlocal total
        chosen, browser_name = selection, browser
        tenant = load_tenant(tenant_path)
        registry, books = load_plugins(tenant.platform or "generic")
        customer_ids: Sequence[str] | None = None
        scope: dict[str, Any] = {}
        if customer_query is not None:
            customer = find_customer(tenant, customer_query)
            customer_ids = [customer.id]
            scope["customer"] = {"id": customer.id, "name": customer.name}
        if shard is not None:
            from portaldoctor import shard as shards

            customer_ids = shards.select([c.id for c in tenant.customers], *shard)
            scope["shard"] = f"{shard[0]}/{shard[1]}"
        playbook = books.for_platform(tenant.platform)
        extra: dict[str, Any] = {}
        if symptom is not None:
            from dataclasses import replace

            from portaldoctor import symptoms

            matches = symptoms.match(symptom, symptom_index(books, tenant.platform))
            browser_name = browser_name or symptoms.browser_in(symptom)
            scope["symptom"] = {"text": symptom, "matched": [m.phrase for m in matches]}
            if matches:
                codes = frozenset().union(*(m.codes for m in matches))
                chosen = replace(chosen, codes=codes)
            elif notes:
                from portaldoctor.knowledge.redaction import redact_evidence

                sys.stderr.write(
                    f"portaldoctor: no known symptom matches '{redact_evidence(symptom)}'; running the full "
                    "diagnosis (see 'portaldoctor symptoms')\n"
                )
        if browser_name:
            extra["browser"] = browser_name.strip().lower()
        try:
            checks = engine.plan(registry, chosen)
        except KeyError as exc:
            known = ", ".join(registry.checks)
            raise InputError(f"unknown check id {exc}; known checks: {known}", field="--check") from None
        total = len(checks)
        run_options = {"rules": dict(playbook.rules), **extra, **(options or {})}
        run_options.update(cert_warn_days=net.cert_warn_days, cert_fail_days=net.cert_fail_days)
        if net.ca_file:
            run_options["ca_file"] = net.ca_file
        probes = None if offline else _probes(net, tenant_path, limits)
        if probes is not None and probes.replaying:
            scope["evidence"] = "replayed"
        ctx = CheckContext(
            tenant=tenant, index=TenantIndex(tenant), now=moment, offline=offline, options=run_options, probes=probes
        )
        keep = keep_passes
        if keep is None:
            # Passes and skips are kept one by one for small tenants (JUnit lists them); a large
            # audit counts them (skips by check and reason), so its memory and its report follow
            # the problems found, not the tenant's size. A diagnosis lists its customer's skips.
            keep = len(tenant.contacts) + len(tenant.customers) <= LIST_ALL_UP_TO
        keep_skips = keep or customer_query is not None
        return ctx, checks, customer_ids, keep, keep_skips, _Prepared(playbook, scope, probes)

    def scoped(findings: list[Finding], customer_ids: Sequence[str] | None) -> list[Finding]:
        if customer_ids is not None:
            # Organisation-wide checks may name another customer (e.g. its access request); a
            # diagnosis shows only what concerns the customer asked about and the organisation.
            wanted = set(customer_ids)
            findings = [f for f in findings if f.subject.customer_id is None or f.subject.customer_id in wanted]
        if shard is not None and shard[0] != 1:
            # Organisation-wide findings belong to shard 1 only, so parallel jobs do not repeat them.
            findings = [f for f in findings if f.subject.customer_id is not None]
        return findings

    ctx, checks, customer_ids, keep, keep_skips, prepared = prepare()
    tick = (lambda n: progress(n, total)) if progress else None
    result = engine.run(
        ctx, checks, customer_ids=customer_ids, limits=limits, keep_passes=keep, progress=tick, keep_skips=keep_skips
    )
    playbook, scope, probes = prepared
    tenant = ctx.tenant
    if probes is not None and net.record:
        from portaldoctor.outputs import atomic_write

        atomic_write(net.record, probes.recording.to_json())
    findings = scoped(result.findings, customer_ids)
    passes, skips = result.passes_by_check, result.skips
    if shard is not None and shard[0] != 1:
        # Counted passes and skips too: the organisation's belong to shard 1, as its findings do.
        org = {c.spec.id for c in checks if c.spec.scope is Scope.ORG}
        passes = Counter({check_id: n for check_id, n in passes.items() if check_id not in org})
        skips = Counter({key: n for key, n in skips.items() if key[0] not in org})
    built = report.build(
        findings,
        playbook,
        tenant=tenant.organisation.name,
        platform=tenant.platform,
        command=command,
        now=moment,
        fail_on=fail_on,
        extra_passes=sum(passes.values()),
        skipped=skips,
        duration_s=result.duration_s,
        scope=scope,
        labels={cid: ctx.index.customers[cid].name for cid in customer_ids or ctx.index.customers},
    )
    if hand_over is not None:
        hand_over((ctx, result, findings))
    return built


class _Prepared(NamedTuple):
    """What ``run_checks`` prepares besides the checks (``engine.Work.extra``)."""

    playbook: Playbook
    scope: dict[str, Any]
    probes: Any


@dataclass(frozen=True)
class Network:
    """How network checks reach the world: name servers, and evidence recorded or replayed."""

    nameservers: tuple[tuple[str, int], ...] = ()
    record: str | None = None
    replay: str | None = None
    allow_private_network: bool = False
    authoritative: bool = False
    ca_file: str | None = None
    cert_warn_days: int = 30
    cert_fail_days: int = 7


def _probes(net: Network, tenant_path: str, limits: Limits) -> Any:
    from portaldoctor.probes.bundle import make_probes
    from portaldoctor.probes.dnslookup import Recording
    from portaldoctor.snapshot.loader import resolve_tenant_path

    replay_path = net.replay
    if replay_path is None and net.record is None:
        # The demo tenants ship their recorded evidence so they work without internet.
        beside = resolve_tenant_path(tenant_path).with_name("evidence.json")
        if "portaldoctor/demo" in beside.as_posix() and beside.is_file():
            replay_path = str(beside)
    replay = Recording.load(replay_path) if replay_path else None
    return make_probes(
        nameservers=list(net.nameservers) or None,
        timeout=max(min(limits.check_timeout / 3, 3.0), 0.2),
        replay=replay,
        allow_private_network=net.allow_private_network,
        authoritative=net.authoritative,
    )


def symptom_index(books: PlaybookSet, platform: str | None) -> dict[str, set[str]]:
    """Symptom phrase -> codes, from the platform's playbook (generic entries included)."""
    index: dict[str, set[str]] = {}
    for entry in books.for_platform(platform).entries.values():
        for phrase in entry.symptoms:
            index.setdefault(phrase, set()).add(entry.code)
    return index


def symptoms_list(*, platform: str | None, stream: TextIO) -> int:
    """Print every known symptom phrase and the codes that explain it."""
    _, books = load_plugins()
    index = symptom_index(books, platform) if platform else dict(books.symptoms)
    width = max(len(p) for p in index)
    for phrase in sorted(index, key=str.casefold):
        stream.write(f"{phrase:<{width}}  {', '.join(sorted(index[phrase]))}\n")
    stream.write(f'{len(index)} symptoms. Use: portaldoctor diagnose CUSTOMER --symptom "TEXT"\n')
    return 0


def watch(
    rep: Report, rerun: Callable[[Selection], Report], interval: float, limit: float, stream: TextIO | None = None
) -> Report:
    """Re-run only the failing network checks (DNS, HTTPS) every ``interval`` seconds until they
    pass or ``limit`` seconds have gone by, printing what changed; returns the last full report."""
    import time
    from dataclasses import replace

    from portaldoctor.engine import Selection

    stream = stream or sys.stderr
    registry, _ = load_plugins()

    def network_problems(r: Report) -> set[tuple[str, str, str]]:
        return {
            (i.finding.check_id, i.finding.subject.id, i.finding.code)
            for i in r.problems
            if i.finding.check_id in registry.checks and registry.get(i.finding.check_id).spec.network
        }

    started = time.monotonic()
    problems = network_problems(rep)
    while problems and time.monotonic() - started < limit:
        stream.write(f"portaldoctor: {len(problems)} network problem(s) left; checking again in {interval:g}s\n")
        stream.flush()
        time.sleep(interval)
        checks = frozenset(check for check, _, _ in problems)
        latest = network_problems(rerun(replace(Selection(), checks=checks)))
        for _, subject, code in sorted(problems - latest):
            stream.write(f"  fixed: {code} ({subject})\n")
        for _, subject, code in sorted(latest - problems):
            stream.write(f"  new: {code} ({subject})\n")
        problems = latest
    if problems:
        stream.write(f"portaldoctor: stopped watching after {limit:g}s; {len(problems)} problem(s) remain\n")
    return rerun(Selection())


def diagnose(
    *,
    out: Output,
    policy: Policy | None = None,
    reply: bool = False,
    watching: tuple[float, float] | None = None,
    **kwargs: Any,
) -> int:
    """Run org-, customer-, contact- and link-level checks for one customer."""
    kwargs["notes"] = not out.quiet
    rep = _review(run_checks(command="diagnose", **kwargs), policy, out)
    if watching is not None:
        from dataclasses import replace

        base = kwargs["selection"]

        def rerun(selection: Selection) -> Report:
            chosen = replace(base, checks=selection.checks) if selection.checks else base
            return _review(run_checks(command="diagnose", **{**kwargs, "selection": chosen}), policy, out)

        rep = watch(rep, rerun, *watching)
    if reply:
        from portaldoctor import reply as replies
        from portaldoctor.snapshot.loader import load_tenant

        tenant = load_tenant(kwargs["tenant_path"])
        stream = out.stream or sys.stdout
        stream.write(replies.render(rep, tenant, find_customer(tenant, kwargs["customer_query"])))
        stream.flush()
        return int(rep.exit_code)
    _write(rep, out)
    return int(rep.exit_code)


def audit(*, out: Output, policy: Policy | None = None, **kwargs: Any) -> int:
    """Run every selected check for every customer of the tenant."""
    # An audit builds millions of long-lived objects (the tenant, its findings, the report) and
    # almost no reference cycles; the collector's full passes over them cost a tenth of a
    # 300 k-contact audit. It waits until the audit is written, and then, in the command's
    # process, does not walk them at all (``collector_paused``).
    from portaldoctor.heap import collector_paused, leave_for_exit

    with collector_paused():
        rep = run_checks(command="audit", customer_query=None, hand_over=leave_for_exit, **kwargs)
        rep = _review(rep, policy, out)
        _write(rep, out)
    leave_for_exit(rep)
    return int(rep.exit_code)


def checks_list(*, as_json: bool, stream: TextIO) -> int:
    """List registered checks."""
    import json

    registry, _ = load_plugins()
    rows = [
        {
            "id": s.id,
            "title": s.title,
            "scope": s.scope.value,
            "codes": list(s.codes),
            "depends_on": list(s.depends_on),
            "network": s.network,
            "tags": list(s.tags),
        }
        for s in registry.specs
    ]
    if as_json:
        stream.write(json.dumps({"checks": rows}, indent=2) + "\n")
        return 0
    width = max(len(s.id) for s in registry.specs)
    for r in rows:
        net = " [network]" if r["network"] else ""
        stream.write(f"{r['id']:<{width}}  {r['scope']:<8}  {r['title']}{net}\n")
    stream.write(f"{len(rows)} checks\n")
    return 0


def explain(*, name: str, platform: str | None, stream: TextIO, source: bool = False) -> int:
    """Print a check's documentation and remedies, or one code's remedy per profile.

    Remedy texts read as prose with ‹placeholders› for what each finding fills in, and the
    profile's product named; ``source`` prints them as written in the playbook instead.
    """
    import inspect

    from portaldoctor.playbooks import readable

    registry, books = load_plugins()
    by_code = registry.by_code()
    if name in registry.checks:
        check = registry.get(name)
        codes = list(check.spec.codes)
    elif name in by_code:
        check = by_code[name]
        codes = [name]
    else:
        candidates = list(registry.checks) + list(by_code)
        close = difflib.get_close_matches(name, candidates, n=5, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else "; see 'portaldoctor checks list'"
        raise InputError(f"no check or finding code named '{name}'{hint}", field="ID-or-CODE")
    spec = check.spec
    doc = inspect.cleandoc(type(check).__doc__ or "")
    lines = [f"{spec.id} — {spec.title}", f"scope: {spec.scope.value}   network: {'yes' if spec.network else 'no'}"]
    if spec.depends_on:
        lines.append("depends on: " + ", ".join(spec.depends_on))
    if spec.tags:
        lines.append("tags: " + ", ".join(spec.tags))
    lines += ["", doc, ""]
    profiles = [platform.lower()] if platform else books.profiles
    for code in codes:
        lines.append(f"## {code}")
        shown: set[tuple[Any, ...]] = set()
        for profile in profiles:
            book = books.playbooks.get(profile)
            entry = book.entry(code) if book else None
            if entry is None or book is None:
                continue
            key = (entry.title, entry.why, entry.steps, entry.customer_message)
            if key in shown and profile != "generic":
                continue
            shown.add(key)
            known = {"product": book.product}
            title, why, message, it_note, *steps = (
                text if source else readable(text, known)
                for text in (entry.title, entry.why, entry.customer_message, entry.it_note or "", *entry.steps)
            )
            lines.append(f"[{profile}] {title}  (severity: {entry.severity})")
            lines.append(f"  why: {why}")
            lines += [f"  {n}. {step}" for n, step in enumerate(steps, 1)]
            lines.append(f"  tell the customer: {message}")
            if it_note:
                lines.append(f"  for the IT team: {it_note}")
            if entry.symptoms:
                lines.append("  symptoms: " + "; ".join(entry.symptoms))
        lines.append("")
    stream.write("\n".join(lines).rstrip() + "\n")
    return 0


def schema(*, stream: TextIO) -> int:
    """Print the JSON Schema of the tenant file."""
    import json

    from portaldoctor.snapshot.model import json_schema

    stream.write(json.dumps(json_schema(), indent=2) + "\n")
    return 0


def playbooks_lint(*, stream: TextIO) -> int:
    """Every code of every check has a remedy in every profile, and every template renders."""
    from portaldoctor.playbooks import render

    registry, books = load_plugins()
    problems: list[str] = []
    rendered = 0
    for spec in registry.specs:
        for code in spec.codes:
            sample = dict(spec.samples.get(code, {}))
            if code not in spec.samples:
                problems.append(f"{spec.id}: no sample evidence for code '{code}'")
            for profile in books.profiles:
                book = books.playbooks[profile]
                entry = book.entry(code)
                if entry is None:
                    problems.append(f"[{profile}] {code}: no remedy")
                    continue
                context = {
                    "product": book.product,
                    "subject": {"kind": spec.scope.value, "id": "sample", "label": "sample"},
                    "observed": None,
                    "expected": None,
                    **sample,
                }
                try:
                    render(entry, context)
                    rendered += 1
                except Exception as exc:
                    where = f" ({entry.location})" if entry.location else ""
                    problems.append(f"[{profile}] {code}{where}: {type(exc).__name__}: {exc}")
    for problem in problems:
        stream.write(f"problem: {problem}\n")
    codes = sum(len(s.codes) for s in registry.specs)
    stream.write(
        f"{len(registry.checks)} checks, {codes} codes, {len(books.profiles)} profiles "
        f"({', '.join(books.profiles)}), {rendered} remedies rendered, {len(problems)} problems\n"
    )
    return int(ExitCode.PROBLEMS) if problems else 0


__all__ = ["FORMATS", "Output", "PluginError", "Scope"]
