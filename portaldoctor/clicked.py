"""The link or token a customer clicked: matched to its tenant record, decoded, dated, and shown.

``token``, ``link`` and ``diagnose --link`` describe it the same way, as plain data (JSON) and as
labelled rows (the text formats), redacted through ``knowledge.redaction`` unless secrets are shown.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from portaldoctor.errors import InputError
from portaldoctor.knowledge import redaction
from portaldoctor.knowledge import tokens as tk

if TYPE_CHECKING:
    from portaldoctor.knowledge.links import LinkMatch
    from portaldoctor.snapshot.model import Customer, Link, Tenant

_LIVE_STATES = (tk.TimeState.VALID, tk.TimeState.UNKNOWN)


@dataclass(frozen=True)
class Clock:
    """The moment to judge at and the zone to show times in (besides UTC)."""

    now: dt.datetime
    zone: dt.tzinfo
    zone_name: str


def make_clock(now: dt.datetime, tz: str | None) -> Clock:
    """The run's clock, shown in ``--tz`` or the machine's zone."""
    if tz:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            return Clock(now, ZoneInfo(tz), tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise InputError(f"unknown time zone '{tz}'; use a name such as Europe/London", field="--tz") from None
    local = dt.datetime.now().astimezone().tzinfo or dt.UTC
    return Clock(now, local, str(local))


@dataclass(frozen=True)
class ClickedLink:
    """A token or link, what the tenant knows of it, and its verdict at the run's moment."""

    url: str
    """What the agent pasted: the link (or the bare token)."""
    token: tk.DecodedToken | None
    timeline: tk.Timeline
    clock: Clock
    match: LinkMatch | None = None
    """The tenant's record for it; None when no tenant was read (``token`` without ``--tenant``)."""
    verification: tk.Verification | None = None
    """The signature check, when a key was given (``token --key-file``)."""

    @property
    def record(self) -> Link | None:
        """The link record it matched, if any."""
        return self.match.link if self.match is not None else None

    @property
    def usable(self) -> bool:
        """False when the token is expired, not yet valid, unsigned, or its signature is bad."""
        bad = self.timeline.state not in _LIVE_STATES
        bad = bad or (self.verification is not None and not self.verification.ok)
        return not (bad or (self.token is not None and any(f.code == "alg-none" for f in self.token.flags)))

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every string in it that must not be printed in full."""
        from portaldoctor.knowledge.links import record_token

        found = [self.url, *(self.token.secrets if self.token else ())]
        link = self.record
        if link is not None:
            found += [s for s in (link.token, link.url) if s]
            rec = record_token(link)
            if rec:
                found += rec.secrets
        return tuple(found)

    # -- plain data --------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The match, token and timeline as plain data, redacted (the JSON report's ``link``)."""
        out: dict[str, Any] = (
            match_dict(self.match) if self.match is not None else {"url": redaction.redact_url(self.url)}
        )
        out["token"] = token_dict(self.token) if self.token else None
        out["timeline"] = timeline_dict(self.timeline, self.clock)
        if self.verification is not None:
            out["verification"] = verification_dict(self.verification)
        return out

    # -- text --------------------------------------------------------------------------------------
    def rows(self) -> list[tuple[str, str]]:
        """Labelled rows for the text formats: the match, then the token and its dates."""
        rows = match_rows(self.match) if self.match is not None else []
        if self.token is not None:
            rows += token_rows(self.token, self.timeline, self.verification, self.clock)
        else:
            error = self.match.token_error if self.match is not None else None
            rows.append(("Token", f"none read from the link ({error})"))
            line = self.timeline
            rows.append(("Expires", f"{_when(line.expires_at, self.clock)}  [{line.source.value}: {line.detail}]"))
        return rows


def judge(
    text: str,
    *,
    clock: Clock,
    tenant: Tenant | None = None,
    verification: tk.Verification | None = None,
    decoded: tk.DecodedToken | None = None,
) -> ClickedLink:
    """Match a pasted link or token to the tenant's records (when there is a tenant) and date it.

    The expiry comes from the token itself, else from the matched record and the validity in
    force when it was issued, else from the organisation's current validity.
    """
    from portaldoctor.knowledge import links

    text = tk.check_text(text)
    if tenant is None:
        alone = decoded or tk.decode(text)
        return ClickedLink(text, alone, tk.timeline(alone, clock.now, None), clock, None, verification)
    match = links.match_link(tenant, text, decoded)
    if match.link is None and match.token is None:
        raise tk.TokenError(f"{match.token_error}; and no link record in the tenant has this URL")
    token = match.token or (links.record_token(match.link) if match.link else None)
    rule = links.lifetime(match.link, tenant.organisation) if match.link else _org_lifetime(tenant)
    return ClickedLink(text, token, tk.timeline(token, clock.now, rule), clock, match, verification)


def unmatched_record(clicked: ClickedLink, customer: Customer) -> Link:
    """A link record for a clicked link the tenant does not list, so that the link checks judge it
    as the customer's (``diagnose CUSTOMER --link URL``)."""
    from portaldoctor.snapshot.model import Link

    url = clicked.url if "://" in clicked.url else None
    fields: dict[str, Any] = {"id": "clicked-link", "customer": customer.id, "url": url}
    if url is None:
        fields["token"] = clicked.url
    return Link(**fields)


def _org_lifetime(tenant: Tenant) -> tk.Lifetime | None:
    days = tenant.organisation.portal.link_validity_days
    if days is None:
        return None
    return tk.Lifetime(
        tk.ExpirySource.TENANT_VALIDITY,
        f"tenant link validity of {days} days (no link record matched; current setting assumed)",
        None,
        dt.timedelta(days=days),
    )


# ------------------------------------------------------------------------------------------------
# plain-data views (JSON), redacted


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


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
        "summary": status_line(line),
    }


def verification_dict(result: tk.Verification) -> dict[str, Any]:
    """A signature check as plain data (the key itself never appears)."""
    return {
        "status": result.status.value,
        "ok": result.ok,
        "detail": result.detail,
        "key": {"origin": result.key_origin, "kind": result.key_kind, "fingerprint": result.key_fingerprint},
        "notes": list(result.notes),
    }


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


# ------------------------------------------------------------------------------------------------
# text rows, redacted


def _when(moment: dt.datetime | None, clock: Clock) -> str:
    if moment is None:
        return "—"
    local = moment.astimezone(clock.zone)
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC  ({local:%Y-%m-%d %H:%M %Z}, {clock.zone_name})"


def status_line(line: tk.Timeline) -> str:
    """The verdict in a few words: ``EXPIRED 3 days ago``, ``valid, 2 days left``."""
    remaining = line.remaining
    if line.state is tk.TimeState.EXPIRED and remaining is not None:
        return f"EXPIRED {tk.human_delta(remaining)} ago"
    if line.state is tk.TimeState.NOT_YET_VALID:
        start = max(t for t in (line.not_before, line.issued_at) if t is not None)
        return f"NOT YET VALID: starts in {tk.human_delta(start - line.now)}"
    if line.state is tk.TimeState.VALID and remaining is not None:
        return f"valid, {tk.human_delta(remaining)} left"
    return "cannot tell: no expiry known"


def token_rows(
    token: tk.DecodedToken, line: tk.Timeline, result: tk.Verification | None, clock: Clock
) -> list[tuple[str, str]]:
    """A token, its dates and its signature as labelled rows."""
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
    rows.append(("Status", f"{status_line(line)}  (as of {line.now:%Y-%m-%d %H:%M:%S} UTC)"))
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
    return rows


def match_rows(match: LinkMatch) -> list[tuple[str, str]]:
    """Which record a link matched, as labelled rows."""
    link = match.link
    rows = [("Link", redaction.redact_url(match.url))]
    if link is None:
        rows.append(
            (
                "Record",
                "no link or invitation in the tenant matches it "
                f"(compared {match.searched} records by URL, token and fingerprint)",
            )
        )
        return rows
    where = f" at {link.location}" if link.location else ""
    contact = f", contact {link.contact}" if link.contact else ""
    rows.append(
        ("Record", f"{link.kind} {link.id} for customer {link.customer}{contact} (matched by {match.by}){where}")
    )
    return rows


def aligned(rows: list[tuple[str, str]]) -> str:
    """Rows as aligned text lines."""
    width = max((len(k) for k, _ in rows), default=0)
    return "\n".join(f"{k:<{width}}  {v}" for k, v in rows)
