"""The one clock of a run: now, or the moment given with ``--now``."""

from __future__ import annotations

import datetime as dt

from portaldoctor.errors import InputError


def parse_moment(text: str, *, option: str = "--now") -> dt.datetime:
    """Parse an ISO 8601 moment; without an offset it is read in the local timezone."""
    raw = text.strip()
    if raw.endswith(("Z", "z")):
        raw = raw[:-1] + "+00:00"
    try:
        moment = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise InputError(
            f"'{text}' is not a date and time; use ISO 8601 such as 2026-11-21T09:00 or 2026-11-21T09:00+01:00",
            field=option,
        ) from None
    if moment.tzinfo is None:
        moment = moment.astimezone()  # local time of the agent's machine
    return moment.astimezone(dt.UTC)


def now(override: str | None = None) -> dt.datetime:
    """Current time in UTC, or the replayed moment."""
    if override:
        return parse_moment(override)
    return dt.datetime.now(dt.UTC)


def when(moment: dt.datetime | dt.date | None) -> str | None:
    """A timestamp as agents read it: ``2026-11-02 10:15 UTC`` (dates stay dates)."""
    if moment is None:
        return None
    if isinstance(moment, dt.datetime):
        return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return moment.isoformat()
