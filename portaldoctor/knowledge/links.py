"""Match a clicked link to the tenant's link records, and the validity rule in force when issued."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, unquote, urlsplit

from portaldoctor.knowledge.tokens import (
    DecodedToken,
    ExpirySource,
    Lifetime,
    TokenError,
    decode,
    human_delta,
)

if TYPE_CHECKING:
    import datetime as dt

    from portaldoctor.snapshot.model import Link, Organisation, Tenant

_FINGERPRINT = re.compile(r"^(?:sha256:)?([0-9a-f]{12,64})$")


@dataclass(frozen=True)
class LinkMatch:
    """The tenant record a clicked link belongs to, if any, and its decoded token."""

    url: str
    link: Link | None
    by: str | None
    """``url``, ``token`` or ``fingerprint``; None when nothing matched."""
    token: DecodedToken | None
    token_error: str | None
    """Why no token could be read from the link, when that is the case."""
    searched: int
    """How many link records were compared."""


def token_fingerprint(raw: str) -> str:
    """The fingerprint a tenant may store instead of a token: ``sha256:<hex>``."""
    return "sha256:" + hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()


def _pieces(url: str) -> set[str]:
    """Every query value and path segment of a URL: a record may hold any of them as its token."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return set()
    values = {v for _, v in parse_qsl(parts.query) if len(v) >= 8}
    values |= {unquote(s) for s in parts.path.split("/") if len(s) >= 8}
    return values


def record_token(link: Link) -> DecodedToken | None:
    """The token of a link record (its token field, else the token in its URL), if readable."""
    for text in (link.token, link.url):
        if text:
            try:
                return decode(text)
            except TokenError:
                continue
    return None


def match_link(tenant: Tenant, url: str, token: DecodedToken | None = None) -> LinkMatch:
    """Find the record for a clicked link: by exact URL, then by token, then by fingerprint."""
    error = None
    if token is None:
        try:
            token = decode(url)
        except TokenError as exc:
            error = exc.message
    clicked = url.strip()
    links = tenant.links

    def found(link: Link | None, by: str | None) -> LinkMatch:
        return LinkMatch(clicked, link, by, token, error, len(links))

    for link in links:
        if link.url and link.url.strip() == clicked:
            return found(link, "url")
    raws = {token.raw} if token else set()
    raws |= _pieces(clicked)
    for link in links:
        theirs = {link.token} if link.token else set()
        if link.url:
            theirs |= _pieces(link.url)
            rec = record_token(link)
            if rec is not None:
                theirs.add(rec.raw)
        if raws & theirs:
            return found(link, "token")
    digests = {hashlib.sha256(r.encode("utf-8", "surrogateescape")).hexdigest() for r in raws}
    for link in links:
        m = _FINGERPRINT.match((link.token_fingerprint or "").strip().lower())
        if m and any(d.startswith(m.group(1)) for d in digests):
            return found(link, "fingerprint")
    return found(None, None)


def issued_at(link: Link) -> dt.datetime | None:
    """When the link was generated (falls back to when it was sent)."""
    return link.issued_at or link.sent_at


def lifetime(link: Link, org: Organisation) -> Lifetime:
    """The expiry rule for a link: its own record first, then the validity in force when issued.

    Two clocks: a changed link validity applies only to links generated after the change, so a
    link issued before ``link_validity_changed_at`` keeps ``previous_link_validity_days``.
    """
    import datetime as dt

    issued = issued_at(link)
    if link.expires_at is not None:
        return Lifetime(ExpirySource.RECORD, "expiry stored on the link record", issued, None, link.expires_at)
    if link.expires_in_seconds is not None:
        span = dt.timedelta(seconds=link.expires_in_seconds)
        return Lifetime(
            ExpirySource.API_LIFETIME,
            f"lifetime set when the link was generated through the API: {human_delta(span)}",
            issued,
            span,
        )
    portal = org.portal
    if portal.link_validity_days is None:
        return Lifetime(ExpirySource.UNKNOWN, "the tenant does not give its link validity", issued)
    changed = portal.link_validity_changed_at
    if changed is not None and issued is not None and issued < changed:
        if portal.previous_link_validity_days is None:
            return Lifetime(
                ExpirySource.UNKNOWN,
                f"link validity changed on {changed:%Y-%m-%d} after this link was issued, and the "
                "earlier value is not in the tenant",
                issued,
            )
        days = portal.previous_link_validity_days
        return Lifetime(
            ExpirySource.TENANT_VALIDITY,
            f"tenant link validity of {days} days, the setting in force when the link was issued "
            f"(changed on {changed:%Y-%m-%d})",
            issued,
            dt.timedelta(days=days),
        )
    days = portal.link_validity_days
    return Lifetime(
        ExpirySource.TENANT_VALIDITY, f"tenant link validity of {days} days", issued, dt.timedelta(days=days)
    )


def newer_invitations(link: Link, links: Iterable[Link]) -> list[Link]:
    """Invitations to the same contact sent after this one (each resend replaces the token)."""
    mine = issued_at(link)
    if link.kind != "invitation" or link.contact is None or mine is None:
        return []
    out = []
    for other in links:
        theirs = issued_at(other)
        if (
            other.id != link.id
            and other.kind == "invitation"
            and other.contact == link.contact
            and theirs is not None
            and theirs > mine
        ):
            out.append(other)
    return sorted(out, key=lambda x: issued_at(x) or mine)


def link_url(clicked: Mapping[str, str], link: Link) -> str | None:
    """The URL to judge: the one the customer clicked (``diagnose --link``), else the record's.

    ``clicked``: link record id -> the URL the customer clicked.
    """
    return clicked.get(link.id) or link.url


def link_token(clicked: Mapping[str, str], link: Link) -> DecodedToken | None:
    """The token to date: from the clicked URL when given, else from the record."""
    url = clicked.get(link.id)
    if url:
        try:
            return decode(url)
        except TokenError:
            pass
    return record_token(link)
