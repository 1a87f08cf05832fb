"""``portaldoctor dns DOMAIN...``: verify the records a platform generated, for one domain or hundreds."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from portaldoctor.check import Finding, Status, Subject
from portaldoctor.engine.runner import run_coroutine
from portaldoctor.errors import InputError, SourceLocation

if TYPE_CHECKING:
    from portaldoctor.knowledge.dns import Expected
    from portaldoctor.outputs import Outputs
    from portaldoctor.plugins import Plugins
    from portaldoctor.report import Report
    from portaldoctor.session import Network
    from portaldoctor.snapshot.sources import TenantSource

CHECK_ID = "dns-records"


def read_domains(domains: Sequence[str], domains_file: str | None) -> list[str]:
    """Domains from arguments and a file (one per line, # comments), de-duplicated in order."""
    found = [d.strip().rstrip(".").lower() for d in domains if d.strip()]
    if domains_file:
        try:
            text = Path(domains_file).read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror}", location=SourceLocation(domains_file)) from None
        for line in text.splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                found.append(line.rstrip(".").lower())
    if not found:
        raise InputError("give at least one DOMAIN or --domains-file", field="DOMAIN")
    return list(dict.fromkeys(found))


def _records(raw: Any, where: SourceLocation) -> list[Expected]:
    from portaldoctor.knowledge.dns import expected_from

    if not isinstance(raw, list) or not all(isinstance(r, dict) and {"type", "host", "value"} <= set(r) for r in raw):
        raise InputError("records must be a list of {type, host, value[, purpose]}", location=where)
    return expected_from(raw)


def read_expect(path: str) -> tuple[list[Expected], dict[str, list[Expected]]]:
    """``--expect FILE``: records for every domain (hosts relative to it) and per-domain records.

    The file is YAML or JSON: either a list of records, or ``{records: [...], domains: {DOMAIN: [...]}}``.
    """
    from portaldoctor import yamlio

    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", location=SourceLocation(path)) from None
    data = yamlio.load(text, path)
    where = SourceLocation(path, 1)
    if isinstance(data, list):
        return _records(data, where), {}
    if not isinstance(data, dict) or not set(data) <= {"records", "domains"}:
        raise InputError("expected a list of records or {records: [...], domains: {...}}", location=where)
    common = _records(data.get("records") or [], where)
    per = {str(d).rstrip(".").lower(): _records(r, where) for d, r in (data.get("domains") or {}).items()}
    return common, per


def expected_for(domain: str, common: list[Expected], per: dict[str, list[Expected]]) -> list[Expected]:
    """The records one domain must publish, hosts made absolute."""
    from portaldoctor.knowledge.dns import Expected, fqdn

    return [Expected(e.type, fqdn(e.host, domain), e.value, e.purpose) for e in [*common, *per.get(domain, [])]]


def zone_snippet(domain: str, records: Sequence[Expected]) -> str:
    """The records as zone-file lines, to paste into a DNS provider or hand to an IT team."""
    lines = [f"; records for {domain}", f"$ORIGIN {domain}."]
    for r in records:
        host = r.host.rstrip(".")
        label = "@" if host == domain else (host[: -len(domain) - 1] if host.endswith("." + domain) else host + ".")
        value = f'"{r.value}"' if r.type == "TXT" else r.value
        comment = f"  ; {r.purpose}" if r.purpose else ""
        lines.append(f"{label:<30} 3600 IN {r.type:<5} {value}{comment}")
    return "\n".join(lines) + "\n"


def print_records(
    domains: Sequence[str], common: list[Expected], per: dict[str, list[Expected]], stream: TextIO
) -> int:
    """``--records``: a table and a zone-file snippet per domain; no lookups."""
    for domain in domains:
        records = expected_for(domain, common, per)
        stream.write(f"{domain}\n")
        width = max((len(r.host) for r in records), default=4)
        stream.write(f"  {'TYPE':<6} {'HOST':<{width}}  VALUE\n")
        for r in records:
            stream.write(
                f"  {r.type:<6} {r.host:<{width}}  {r.value}" + (f"   ({r.purpose})" if r.purpose else "") + "\n"
            )
        stream.write("\n" + zone_snippet(domain, records) + "\n")
    return 0


async def verify_all(
    domains: Sequence[str],
    common: list[Expected],
    per: dict[str, list[Expected]],
    lookup: Any,
    deadline: float,
    authoritative: bool = False,
) -> list[Finding]:
    """Verify every domain concurrently under one deadline; unfinished domains are errors."""
    from portaldoctor.probes.dnsverify import verify

    async def one(domain: str) -> list[Finding]:
        started = time.perf_counter()
        ask = await lookup.authoritative(domain) if authoritative else lookup
        outcomes = await verify(ask, domain, expected_for(domain, common, per))
        ms = (time.perf_counter() - started) * 1000
        out = []
        for o in outcomes:
            subject = o.subject or Subject("domain", domain, domain)
            out.append(
                Finding(
                    CHECK_ID, o.code, o.status, Subject(subject.kind, subject.id, subject.label),
                    observed=o.observed, expected=o.expected, evidence={**o.evidence, "domain": domain},
                    duration_ms=round(ms, 3), reason=o.reason,
                )
            )  # fmt: skip
        if not out:
            out.append(
                Finding(CHECK_ID, CHECK_ID, Status.PASS, Subject("domain", domain, domain), duration_ms=round(ms, 3))
            )
        return out

    tasks = {asyncio.ensure_future(one(d)): d for d in domains}
    done, _pending = await asyncio.wait(tasks, timeout=deadline)
    findings: list[Finding] = []
    for task in tasks:
        if task in done:
            findings.extend(task.result())
        else:
            task.cancel()
            d = tasks[task]
            findings.append(
                Finding(
                    CHECK_ID,
                    CHECK_ID,
                    Status.ERROR,
                    Subject("domain", d, d),
                    reason=f"not finished within the {deadline:g}s deadline",
                )
            )
    return findings


def _report(
    findings: list[Finding],
    plugins: Plugins,
    platform: str | None,
    fail_on: Status,
    source: str,
    domains: Sequence[str],
) -> Report:
    from portaldoctor import clock, report

    playbook = plugins.books.generic if platform is None else plugins.books.profile(platform)
    return report.build(
        findings, playbook, tenant=", ".join(domains[:3]) + (" …" if len(domains) > 3 else ""),
        platform=platform, command="dns", now=clock.now(), fail_on=fail_on, scope={"domains": len(domains)},
        source=source, catalogue=plugins.catalogue,
    )  # fmt: skip


def dns(
    *,
    domains: Sequence[str],
    outputs: Outputs,
    network: Network,
    domains_file: str | None = None,
    expect: str | None = None,
    source: TenantSource | None = None,
    records_only: bool = False,
    fail_on: Status = Status.FAIL,
    deadline: float = 30.0,
    timeout: float = 3.0,
    watch: float | None = None,
    watch_limit: float = 600.0,
    stream: TextIO | None = None,
) -> int:
    """Verify (or with ``records_only`` print) the expected records of each domain, and publish the report.

    The records come from ``expect`` (a file of records) or the tenant of ``source``.
    """
    from portaldoctor import outputs as emit
    from portaldoctor.plugins import Plugins
    from portaldoctor.probes.dnslookup import Lookup, Recording

    if timeout <= 0 or deadline <= 0 or (watch is not None and watch <= 0):
        raise InputError("must be greater than 0", field="--timeout/--deadline/--watch")
    stream = stream or sys.stdout
    names = read_domains(domains, domains_file)
    platform = None
    label = ""
    if expect:
        common, per = read_expect(expect)
        label = expect
        plugins = Plugins.load()
    elif source is not None:
        from portaldoctor.knowledge.dns import expected_from

        tenant = source.load()
        plugins = Plugins.load(tenant.platform)
        platform = plugins.playbook_for(tenant).profile if tenant.platform else None
        label = source.label
        zone = (tenant.organisation.deliverability.domain or "").rstrip(".").lower()
        common, per = [], {zone: expected_from(tenant.organisation.dns_records)}
    else:
        raise InputError("say which records to expect: --expect FILE or --tenant PATH", field="--expect")
    if records_only:
        return print_records(names, common, per, stream)
    replay = Recording.load(network.replay) if network.replay else None
    recording = Recording()

    def lookup() -> Lookup:
        return Lookup(
            list(network.nameservers) or None, timeout=timeout, record=None if replay else recording, replay=replay
        )

    findings = run_coroutine(verify_all(names, common, per, lookup(), deadline, network.authoritative))
    if network.record and not replay:
        from portaldoctor.atomic import atomic_write

        atomic_write(network.record, recording.to_json())
    rep = _report(findings, plugins, platform, fail_on, label, names)
    started = time.monotonic()
    while watch and rep.problems and time.monotonic() - started < watch_limit:
        failing = {i.finding.subject.id for i in rep.problems}
        sys.stderr.write(f"portaldoctor: {len(failing)} record(s) not right yet; checking again in {watch:g}s\n")
        time.sleep(watch)
        # Only the records that were not right are looked up again.
        retry = {d: [e for e in expected_for(d, common, per) if f"{e.type} {e.host}" in failing] for d in names}
        retry_domains = [d for d in names if retry[d]]
        findings = (
            run_coroutine(verify_all(retry_domains, [], retry, lookup(), deadline, network.authoritative))
            if retry_domains
            else []
        )
        rep2 = _report(findings, plugins, platform, fail_on, label, names)
        now_failing = {i.finding.subject.id for i in rep2.problems}
        for fixed in sorted(failing - now_failing):
            sys.stderr.write(f"  fixed: {fixed}\n")
        for new in sorted(now_failing - failing):
            sys.stderr.write(f"  now failing: {new}\n")
        rep = rep2
    return emit.publish(rep, outputs)
