"""DNS records as platforms generate them: expected records, names, and how TXT, DKIM, SPF and CAA values read."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

SPF_LOOKUP_LIMIT = 10
SPF_VOID_LIMIT = 2
"""RFC 7208 §4.6.4: at most 10 terms that cause DNS lookups, and 2 lookups that find nothing."""
SPF_LOOKUP_TERMS = re.compile(r"^[+\-~?]?(include:|a\b|a:|a/|mx\b|mx:|mx/|ptr|exists:|redirect=)", re.I)


@dataclass(frozen=True)
class Expected:
    """One record the platform asks for."""

    type: str
    host: str
    value: str
    purpose: str | None = None


def fqdn(host: str, zone: str) -> str:
    """A host written relative to the zone (``links``, ``@``) as a full name without trailing dot."""
    h = host.strip().rstrip(".").lower()
    z = zone.strip().rstrip(".").lower()
    if h in ("", "@"):
        return z
    if h == z or h.endswith("." + z):
        return h
    return f"{h}.{z}"


def norm(value: str) -> str:
    return value.strip().rstrip(".").lower()


def quoted(record: str) -> bool:
    return len(record) >= 2 and record[0] == record[-1] and record[0] in "\"'"


def canon(value: str) -> str:
    """A TXT value in comparable form: tag lists (``v=DKIM1; k=rsa; p=…``) ignore spacing.

    Whitespace around ``;`` and ``=`` means nothing in DKIM and DMARC tag lists, and a long
    ``p=`` key may carry line breaks; verification tools compare tag by tag.
    """
    value = value.strip()
    if ";" not in value or "=" not in value:
        return value
    tags = []
    for part in value.split(";"):
        if not part.strip():
            continue
        key, _, val = part.partition("=")
        key = key.strip().lower()
        tags.append(key + "=" + (re.sub(r"\s+", "", val) if key == "p" else val.strip()))
    return ";".join(tags)


def unmangled(record: str) -> str:
    """The value without the quotes or backslash escapes a DNS panel stored literally."""
    bare = record[1:-1] if quoted(record) else record
    return re.sub(r'\\(?=[;"\\])', "", bare)


def dkim_key(value: str) -> str:
    """The base64 key of a DKIM record (``p=``), whitespace removed."""
    for part in value.split(";"):
        key, _, val = part.partition("=")
        if key.strip().lower() == "p":
            return re.sub(r"\s+", "", val)
    return ""


def spf_terms(record: str) -> list[str]:
    return record.split()[1:]


def caa_entry(record: str) -> tuple[str, str]:
    """``0 issue "pki.goog; account=…"`` to the tag and the CA's domain (empty: none allowed)."""
    parts = record.split(None, 2)
    if len(parts) < 3:
        return "", ""
    tag, value = parts[1].lower(), parts[2].strip().strip('"')
    return tag, value.split(";", 1)[0].strip().lower()


def expected_from(records: Iterable[Any]) -> list[Expected]:
    """Expected records from tenant DnsRecord objects or plain dicts."""
    out = []
    for r in records:
        get = r.get if isinstance(r, dict) else lambda k, r=r: getattr(r, k, None)
        out.append(Expected(str(get("type")).upper(), str(get("host")), str(get("value")), get("purpose")))
    return out
