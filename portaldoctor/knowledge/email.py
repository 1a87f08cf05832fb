"""Email addresses as a portal sign-in needs them: valid (without DNS), and their domain."""

from __future__ import annotations

import re


def email_domain(address: str) -> str:
    """The domain part of an email, lower-cased."""
    return address.rsplit("@", 1)[-1].strip().lower()


_PLAIN_EMAIL = re.compile(r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*@(?:[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\.)+[A-Za-z]+")
_SPECIAL_USE_TLDS = frozenset({"arpa", "invalid", "local", "localhost", "onion", "test"})


def email_problem(address: str) -> str | None:
    """Why an email address is not valid (email-validator's words, no DNS), or None if it is.

    Plain ASCII addresses of at most 64 characters (``name.surname+tag@sub.domain.tld``) are
    accepted without calling the library: every such address passes its checks, and at that
    length no part can exceed a length limit. ``tests/knowledge/test_email.py`` fuzzes this claim.
    Everything else, internationalised addresses included, goes to email-validator.
    """
    if (
        len(address) <= 64
        and _PLAIN_EMAIL.fullmatch(address)
        and address.rsplit(".", 1)[1].lower() not in _SPECIAL_USE_TLDS
    ):
        return None
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as exc:
        return str(exc)
    return None
