"""When a token or link was issued, when it expires, and whether it is usable at a moment."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from portaldoctor.knowledge.tokens.formats import FUTURE_SKEW, DecodedToken, TokenKind


class ExpirySource(str, enum.Enum):
    """Where an expiry time comes from."""

    TOKEN = "token"
    RECORD = "link record"
    API_LIFETIME = "API link lifetime"
    TENANT_VALIDITY = "tenant link validity"
    FRAMEWORK_DEFAULT = "framework default"
    UNKNOWN = "unknown"


class TimeState(str, enum.Enum):
    """Whether a token or link is usable at a moment."""

    VALID = "valid"
    EXPIRED = "expired"
    NOT_YET_VALID = "not yet valid"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Lifetime:
    """An expiry rule from outside the token: the tenant's settings or the link record."""

    source: ExpirySource
    detail: str
    """e.g. "organisation link validity, 25 days, in force when the link was issued"."""
    issued_at: dt.datetime | None = None
    duration: dt.timedelta | None = None
    expires_at: dt.datetime | None = None


@dataclass(frozen=True)
class Timeline:
    """Issued / not-before / expires for a token or link at one moment."""

    now: dt.datetime
    issued_at: dt.datetime | None
    issued_from: str | None
    """``token`` or ``link record``."""
    not_before: dt.datetime | None
    expires_at: dt.datetime | None
    source: ExpirySource
    detail: str
    state: TimeState

    @property
    def remaining(self) -> dt.timedelta | None:
        """Time left before expiry (negative once expired)."""
        return self.expires_at - self.now if self.expires_at else None


def timeline(token: DecodedToken | None, now: dt.datetime, lifetime: Lifetime | None = None) -> Timeline:
    """Combine the token's own dates with the tenant's rule; the token's ``exp`` wins when present."""
    issued_from = None
    issued = token.issued_at if token else None
    if issued is not None:
        issued_from = "token"
    elif lifetime and lifetime.issued_at:
        issued, issued_from = lifetime.issued_at, "link record"
    not_before = token.not_before if token else None
    expires: dt.datetime | None = None
    source, detail = ExpirySource.UNKNOWN, "neither the token nor the tenant says when it expires"
    if token and token.expires_at:
        expires, source = token.expires_at, ExpirySource.TOKEN
        detail = "written in the token" + (" (exp claim)" if token.kind is TokenKind.JWT else "")
    elif lifetime and lifetime.expires_at:
        expires, source, detail = lifetime.expires_at, lifetime.source, lifetime.detail
    elif lifetime and lifetime.duration is not None and issued is not None:
        expires, source, detail = issued + lifetime.duration, lifetime.source, lifetime.detail
    elif token and token.default_lifetime and issued is not None:
        expires, source = issued + token.default_lifetime, ExpirySource.FRAMEWORK_DEFAULT
        detail = f"framework default of {human_delta(token.default_lifetime)} after issue"
    elif lifetime:
        detail = lifetime.detail
    starts = max((t for t in (not_before, issued) if t is not None), default=None)
    if starts is not None and (
        (not_before is not None and now < not_before) or (issued is not None and now + FUTURE_SKEW < issued)
    ):
        state = TimeState.NOT_YET_VALID
    elif expires is not None:
        state = TimeState.EXPIRED if now >= expires else TimeState.VALID
    else:
        state = TimeState.UNKNOWN
    return Timeline(now, issued, issued_from, not_before, expires, source, detail, state)


def human_delta(delta: dt.timedelta) -> str:
    """``2 days 3 hours``, ``45 minutes``, ``12 seconds`` (sign ignored)."""
    seconds = int(abs(delta.total_seconds()))
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    units = [(days, "day"), (hours, "hour"), (minutes, "minute"), (secs, "second")]
    shown = [f"{n} {name}{'s' if n != 1 else ''}" for n, name in units if n][:2]
    return " ".join(shown) if shown else "0 seconds"
