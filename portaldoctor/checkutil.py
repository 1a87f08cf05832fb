"""Small helpers shared by check modules: time display, phone parsing, email domains."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any


def when(moment: dt.datetime | dt.date | None) -> str | None:
    """A timestamp as agents read it: ``2026-11-02 10:15 UTC`` (dates stay dates)."""
    if moment is None:
        return None
    if isinstance(moment, dt.datetime):
        return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return moment.isoformat()


def parse_phone(number: str, region: str | None) -> Any:
    """Parse a phone number in a region; None when it cannot be parsed at all."""
    import phonenumbers

    try:
        return phonenumbers.parse(number, (region or "").upper() or None)
    except phonenumbers.NumberParseException:
        return None


@lru_cache(maxsize=65536)
def phone_facts(number: str, region: str | None) -> tuple[bool, int | None, str | None]:
    """(valid, phonenumbers type, E.164) of a number read in a region; cached, since staff
    numbers are compared with every contact's and the same numbers recur across checks."""
    import phonenumbers

    parsed = parse_phone(number, region)
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        return False, None, None
    return (
        True,
        int(phonenumbers.number_type(parsed)),
        str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)),
    )


def e164(number: str | None, region: str | None) -> str | None:
    """The E.164 form of a valid number, for comparisons; None when not valid."""
    if not number:
        return None
    return phone_facts(number, region)[2]


def email_domain(address: str) -> str:
    """The domain part of an email, lower-cased."""
    return address.rsplit("@", 1)[-1].strip().lower()
