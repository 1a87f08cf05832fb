"""Commands ``token``, ``link`` and ``diagnose --link``: decode, verify and explain a clicked link."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from portaldoctor.errors import InputError
from portaldoctor.knowledge import redaction
from portaldoctor.knowledge import tokens as tk

if TYPE_CHECKING:
    from portaldoctor.knowledge.links import LinkMatch
    from portaldoctor.report import Report
    from portaldoctor.snapshot.model import Tenant

_LIVE_STATES = (tk.TimeState.VALID, tk.TimeState.UNKNOWN)


@dataclass(frozen=True)
class Clock:
    """The moment to judge at and the zone to show times in (besides UTC)."""

    now: dt.datetime
    zone: dt.tzinfo
    zone_name: str


def make_clock(now_override: str | None, tz: str | None) -> Clock:
    """The run's clock: ``--now`` or the current time, shown in ``--tz`` or the machine's zone."""
    from portaldoctor import clock

    moment = clock.now(now_override)
    if tz:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            return Clock(moment, ZoneInfo(tz), tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise InputError(f"unknown time zone '{tz}'; use a name such as Europe/London", field="--tz") from None
    local = dt.datetime.now().astimezone().tzinfo or dt.UTC
    return Clock(moment, local, str(local))


def _when(moment: dt.datetime | None, clock: Clock) -> str:
    if moment is None:
        return "—"
    local = moment.astimezone(clock.zone)
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC  ({local:%Y-%m-%d %H:%M %Z}, {clock.zone_name})"


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def _status_line(line: tk.Timeline) -> str:
    remaining = line.remaining
    if line.state is tk.TimeState.EXPIRED and remaining is not None:
        return f"EXPIRED {tk.human_delta(remaining)} ago"
    if line.state is tk.TimeState.NOT_YET_VALID:
        start = max(t for t in (line.not_before, line.issued_at) if t is not None)
        return f"NOT YET VALID: starts in {tk.human_delta(start - line.now)}"
    if line.state is tk.TimeState.VALID and remaining is not None:
        return f"valid, {tk.human_delta(remaining)} left"
    return "cannot tell: no expiry known"


# --------------------------------------------------------------------------------------------
# plain-data views (JSON) and text views (table); both redacted through portaldoctor.knowledge.redaction


def token_dict(token: tk.DecodedToken) -> dict[str, Any]:
    """A decoded token as plain data, secrets redacted."""
    return {
        "kind": token.kind.value,
        "format": token.kind.label,
        "token": redaction.redact_token(token.raw),
        "fingerprint": "sha256:" + redaction.fingerprint(token.raw, 12),
        "found_in": token.location,
        "url": redaction.redact_url(token.url) if token.url else None,
        "algorithm": token.algorithm,
        "header": redaction.redact_evidence(dict(token.header)),
        "claims": redaction.redact_evidence(_jsonable(dict(token.claims))),
        "purpose": token.purpose,
        "readable": token.readable,
        "datable": token.datable,
        "flags": [{"code": f.code, "message": f.message} for f in token.flags],
        "notes": list(token.notes),
    }


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def timeline_dict(line: tk.Timeline, clock: Clock) -> dict[str, Any]:
    """Issued / not-before / expires / time left as plain data."""
    remaining = line.remaining
    return {
        "now": _iso(line.now),
        "timezone": clock.zone_name,
        "issued_at": _iso(line.issued_at),
        "issued_from": line.issued_from,
        "not_before": _iso(line.not_before),
        "expires_at": _iso(line.expires_at),
        "expires_at_local": line.expires_at.astimezone(clock.zone).isoformat() if line.expires_at else None,
        "expiry_source": line.source.value,
        "expiry_detail": line.detail,
        "state": line.state.value,
        "seconds_left": int(remaining.total_seconds()) if remaining is not None else None,
        "summary": _status_line(line),
    }


def verification_dict(result: tk.Verification | None) -> dict[str, Any] | None:
    """A signature check as plain data (the key itself never appears)."""
    if result is None:
        return None
    return {
        "status": result.status.value,
        "ok": result.ok,
        "detail": result.detail,
        "key": {"origin": result.key_origin, "kind": result.key_kind, "fingerprint": result.key_fingerprint},
        "notes": list(result.notes),
    }


def _token_lines(token: tk.DecodedToken, line: tk.Timeline, result: tk.Verification | None, clock: Clock) -> list[str]:
    rows: list[tuple[str, str]] = [
        ("Format", f"{token.kind.label}  (found in {token.location})"),
        ("Token", f"{redaction.redact_token(token.raw)}  (sha256:{redaction.fingerprint(token.raw, 12)})"),
    ]
    if token.url:
        rows.append(("URL", redaction.redact_url(token.url)))
    if token.algorithm:
        rows.append(("Algorithm", token.algorithm))
    if token.purpose:
        rows.append(("Purpose", token.purpose))
    src = f"  [from {line.issued_from}]" if line.issued_from else ""
    rows.append(("Issued", _when(line.issued_at, clock) + src))
    if line.not_before:
        rows.append(("Not before", _when(line.not_before, clock) + "  [from token]"))
    rows.append(("Expires", _when(line.expires_at, clock)))
    rows.append(("  source", f"{line.source.value}: {line.detail}"))
    rows.append(("Status", f"{_status_line(line)}  (as of {line.now:%Y-%m-%d %H:%M:%S} UTC)"))
    if token.claims:
        claims = json.dumps(redaction.redact_evidence(_jsonable(dict(token.claims))), ensure_ascii=False)
        rows.append(("Claims", claims if len(claims) <= 300 else claims[:297] + "..."))
    if result is None:
        rows.append(("Signature", "not checked (give --key-file PATH or --key-env NAME)"))
    else:
        mark = "OK" if result.ok else "PROBLEM"
        rows.append(("Signature", f"{mark} {result.status.value}: {result.detail}"))
        rows.append(("  key", f"{result.key_kind} from {result.key_origin} (#{result.key_fingerprint})"))
        rows += [("  note", n) for n in result.notes]
    rows += [("Warning", f"{f.message} [{f.code}]") for f in token.flags]
    rows += [("Note", n) for n in token.notes]
    width = max(len(k) for k, _ in rows)
    return [f"{k:<{width}}  {v}" for k, v in rows]


def _token_exit(token: tk.DecodedToken, line: tk.Timeline, result: tk.Verification | None) -> int:
    bad = line.state not in _LIVE_STATES or (result is not None and not result.ok)
    bad = bad or any(f.code == "alg-none" for f in token.flags)
    return 1 if bad else 0


def _emit(text: str, stream: TextIO, secrets: Sequence[str]) -> None:
    out = redaction.scrub(text, secrets)
    stream.write(out if out.endswith("\n") else out + "\n")
    stream.flush()


# --------------------------------------------------------------------------------------------
# token


def _check_format(fmt: str) -> str:
    if fmt.lower() not in ("table", "json"):
        raise InputError(f"unknown format '{fmt}'; choose one of table, json", field="--format")
    return fmt.lower()


def _org_lifetime(tenant: Tenant, match: LinkMatch | None) -> tk.Lifetime | None:
    from portaldoctor.knowledge import links

    if match is not None and match.link is not None:
        return links.lifetime(match.link, tenant.organisation)
    days = tenant.organisation.portal.link_validity_days
    if days is None:
        return None
    return tk.Lifetime(
        tk.ExpirySource.TENANT_VALIDITY,
        f"tenant link validity of {days} days (no link record matched; current setting assumed)",
        None,
        dt.timedelta(days=days),
    )


def token(
    *,
    text: str,
    key_file: str | None = None,
    key_env: str | None = None,
    algorithms: Sequence[str] = (),
    salt: str | None = None,
    tenant_path: str | None = None,
    now_override: str | None = None,
    tz: str | None = None,
    fmt: str = "table",
    show_secrets: bool = False,
    stream: TextIO | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    """Decode (and with a key, verify) one token or link; exit 1 when it would not work."""
    fmt = _check_format(fmt)
    clock = make_clock(now_override, tz)
    with redaction.show_secrets(show_secrets):
        decoded = tk.decode(text)
        key = tk.load_key(key_file=key_file, key_env=key_env, environ=environ)
        result = tk.verify(decoded, key, algorithms=algorithms or None, salt=salt) if key else None
        rule = None
        match = None
        if tenant_path:
            from portaldoctor.knowledge.links import match_link
            from portaldoctor.snapshot.loader import load_tenant

            tenant = load_tenant(tenant_path)
            match = match_link(tenant, text.strip(), decoded)
            rule = _org_lifetime(tenant, match)
        line = tk.timeline(decoded, clock.now, rule)
        if fmt == "json":
            doc: dict[str, Any] = {
                "token": token_dict(decoded),
                "timeline": timeline_dict(line, clock),
                "verification": verification_dict(result),
            }
            if match is not None:
                doc["link"] = match_dict(match)
            body = json.dumps(doc, indent=2, ensure_ascii=False)
        else:
            lines = _token_lines(decoded, line, result, clock)
            if match is not None:
                lines = [*_match_lines(match), *lines]
            body = "\n".join(lines)
        _emit(body, stream or sys.stdout, decoded.secrets)
    return _token_exit(decoded, line, result)


# --------------------------------------------------------------------------------------------
# link


def match_dict(match: LinkMatch) -> dict[str, Any]:
    """Which tenant record a clicked link belongs to."""
    link = match.link
    return {
        "url": redaction.redact_url(match.url),
        "matched": link is not None,
        "matched_by": match.by,
        "searched": match.searched,
        "record": None
        if link is None
        else {
            "id": link.id,
            "kind": link.kind,
            "customer": link.customer,
            "contact": link.contact,
            "source": link.source,
            "location": str(link.location) if link.location else None,
        },
        "token_error": match.token_error,
    }


def _match_lines(match: LinkMatch) -> list[str]:
    link = match.link
    if link is None:
        return [
            f"Link       {redaction.redact_url(match.url)}",
            f"Record     no link or invitation in the tenant matches it "
            f"(compared {match.searched} records by URL, token and fingerprint)",
        ]
    where = f" at {link.location}" if link.location else ""
    return [
        f"Link       {redaction.redact_url(match.url)}",
        f"Record     {link.kind} {link.id} for customer {link.customer}"
        f"{f', contact {link.contact}' if link.contact else ''} (matched by {match.by}){where}",
    ]


def _link_report(tenant: Tenant, match: LinkMatch, clock: Clock, fail_on: Any) -> Report:
    from portaldoctor import engine, report
    from portaldoctor.app import load_plugins
    from portaldoctor.check import CheckContext, Scope
    from portaldoctor.snapshot.index import TenantIndex

    link = match.link
    assert link is not None
    registry, books = load_plugins()
    checks = engine.plan(registry, engine.Selection(scopes=frozenset({Scope.LINK})))
    ctx = CheckContext(
        tenant=tenant,
        index=TenantIndex(tenant),
        now=clock.now,
        offline=True,
        options={"clicked_urls": {link.id: match.url}},
    )
    result = engine.run(ctx, checks, customer_ids=[link.customer])
    customer = ctx.index.customers.get(link.customer)
    mine = [f for f in result.findings if f.subject.kind != "link" or f.subject.id == link.id]
    return report.build(
        mine,
        books.for_platform(tenant.platform),
        tenant=tenant.organisation.name,
        platform=tenant.platform,
        command="link",
        now=clock.now,
        fail_on=fail_on,
        duration_s=result.duration_s,
        scope={
            "customer": {"id": link.customer, "name": customer.name if customer else link.customer},
            "link": {"id": link.id, "kind": link.kind},
        },
    )


def _secrets(match: LinkMatch) -> list[str]:
    found = [match.url]
    if match.token:
        found += match.token.secrets
    if match.link is not None:
        from portaldoctor.knowledge.links import record_token

        found += [s for s in (match.link.token, match.link.url) if s]
        rec = record_token(match.link)
        if rec:
            found += rec.secrets
    return found


def link(
    *,
    url: str,
    tenant_path: str,
    now_override: str | None = None,
    tz: str | None = None,
    fmt: str = "table",
    fail_on: str = "fail",
    show_secrets: bool = False,
    stream: TextIO | None = None,
    color: bool = False,
) -> int:
    """Find the record a clicked link belongs to and run the link checks on it."""
    from portaldoctor.check import Status
    from portaldoctor.knowledge import links
    from portaldoctor.snapshot.loader import load_tenant

    fmt = _check_format(fmt)
    if fail_on.lower() not in ("warn", "fail"):
        raise InputError(f"'{fail_on}' is not warn or fail", field="--fail-on")
    clock = make_clock(now_override, tz)
    with redaction.show_secrets(show_secrets):
        text = tk.check_text(url)
        tenant = load_tenant(tenant_path)
        match = links.match_link(tenant, text)
        if match.link is None and match.token is None:
            raise tk.TokenError(f"{match.token_error}; and no link record in the tenant has this URL")
        token = match.token or (links.record_token(match.link) if match.link else None)
        rule = links.lifetime(match.link, tenant.organisation) if match.link else _org_lifetime(tenant, None)
        line = tk.timeline(token, clock.now, rule)
        rep = _link_report(tenant, match, clock, Status(fail_on.lower())) if match.link else None
        if fmt == "json":
            from portaldoctor.reporters.json_report import report_dict

            doc: dict[str, Any] = {
                "link": match_dict(match),
                "token": token_dict(token) if token else None,
                "timeline": timeline_dict(line, clock),
                "report": report_dict(rep) if rep else None,
            }
            body = json.dumps(doc, indent=2, ensure_ascii=False)
        else:
            from portaldoctor.reporters import render

            parts = ["\n".join(_match_lines(match))]
            if token is not None:
                parts.append("\n".join(_token_lines(token, line, None, clock)))
            else:
                parts.append(f"Token      none read from the link ({match.token_error})")
                parts.append(f"Expires    {_when(line.expires_at, clock)}  [{line.source.value}: {line.detail}]")
            if rep is not None:
                parts.append(render(rep, "table", color=color))
            body = "\n\n".join(parts)
        _emit(body, stream or sys.stdout, _secrets(match))
    if rep is not None:
        return int(rep.exit_code)
    return 0 if line.state in _LIVE_STATES else 1


def diagnose(*, customer_query: str, link_url: str, out: Any, **kwargs: Any) -> int:
    """``diagnose CUSTOMER --link URL``: the usual diagnosis, judged against the clicked link."""
    from portaldoctor import app
    from portaldoctor.knowledge import links
    from portaldoctor.reporters import render
    from portaldoctor.snapshot.loader import load_tenant

    text = tk.check_text(link_url)
    tenant = load_tenant(kwargs["tenant_path"])
    customer = app.find_customer(tenant, customer_query)
    match = links.match_link(tenant, text)
    if match.link is None and match.token is None:
        raise tk.TokenError(f"{match.token_error}; and no link record in the tenant has this URL")
    if match.link is not None and match.link.customer != customer.id:
        raise InputError(
            f"the link belongs to customer {match.link.customer}, not {customer.name} ({customer.id})",
            field="--link",
        )
    options = {"clicked_urls": {match.link.id: text}} if match.link else {}
    rep = app.run_checks(command="diagnose", customer_query=customer_query, options=options, **kwargs)
    stream = out.stream or sys.stdout
    if out.format == "json":
        from portaldoctor.reporters.json_report import report_dict

        doc = report_dict(rep)
        doc["link"] = match_dict(match)
        doc["link"]["token"] = token_dict(match.token) if match.token else None
        body = json.dumps(doc, indent=2, ensure_ascii=False)
    else:
        body = "\n".join(_match_lines(match)) + "\n\n" + render(rep, "table", color=out.color, width=out.width)
    _emit(body, stream, _secrets(match))
    return int(rep.exit_code)
