"""Helpers the text reporters share: grouping by customer and contact, evidence as safe strings."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from portaldoctor.check import Status
from portaldoctor.report import Item, Report

STATUS_WORD = {
    Status.FAIL: "failed",
    Status.ERROR: "could not check",
    Status.WARN: "warning",
    Status.SKIP: "skipped",
    Status.PASS: "passed",
}


def redact_text(text: str) -> str:
    """The reporters' redaction hook: token-shaped text left in any string is cut to prefix + fingerprint.

    ``report.build`` already redacted evidence by key and URL; this second pass only catches
    tokens that reached a free-text field, and is idempotent on already-redacted values.
    """
    from portaldoctor.redact import redact_evidence

    if text.startswith(("http://", "https://")):
        # URLs were redacted structurally by report.build; a second pass would re-hash the prefix.
        return text
    return str(redact_evidence(text))


def plain(value: Any) -> str:
    """A value as one readable, redacted line."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        text = value.isoformat().replace("+00:00", "Z")
    elif isinstance(value, dt.date):
        text = value.isoformat()
    elif isinstance(value, Mapping):
        text = ", ".join(f"{k}={plain(v)}" for k, v in value.items())
    elif isinstance(value, list | tuple | set | frozenset):
        text = ", ".join(plain(v) for v in value)
    else:
        text = str(value)
    return redact_text(text)


def evidence_pairs(item: Item) -> list[tuple[str, str]]:
    """Observed, expected and every evidence fact of a finding, as (name, redacted text)."""
    f = item.finding
    pairs: list[tuple[str, str]] = []
    if f.observed is not None:
        pairs.append(("observed", plain(f.observed)))
    if f.expected is not None:
        pairs.append(("expected", plain(f.expected)))
    pairs += [(str(k), plain(v)) for k, v in f.evidence.items()]
    return pairs


def title(item: Item) -> str:
    """What a reader sees as the finding's headline."""
    return redact_text(item.remedy.title) if item.remedy else item.finding.check_id


@dataclass
class ContactGroup:
    """Findings about one contact (or, with an empty id, about the customer itself)."""

    id: str
    title: str
    items: list[Item] = field(default_factory=list)


@dataclass
class CustomerGroup:
    """Findings about one customer (or, with an empty id, the organisation)."""

    id: str
    title: str
    contacts: list[ContactGroup] = field(default_factory=list)

    @property
    def items(self) -> list[Item]:
        """Every item of the group in order."""
        return [i for c in self.contacts for i in c.items]


def groups(report: Report, items: Iterable[Item]) -> list[CustomerGroup]:
    """Organisation first, then customers and their contacts in report order (root causes first)."""
    customers = {
        i.finding.subject.id: i.finding.subject.label for i in report.items if i.finding.subject.kind == "customer"
    }
    contacts = {
        i.finding.subject.contact_id: i.finding.subject.label
        for i in report.items
        if i.finding.subject.kind == "contact" and i.finding.subject.contact_id
    }
    out: dict[str, CustomerGroup] = {"": CustomerGroup("", "Organisation")}
    for item in items:
        s = item.finding.subject
        cid, pid = s.customer_id or "", s.contact_id or ""
        group = out.get(cid)
        if group is None:
            group = out[cid] = CustomerGroup(cid, f"Customer {customers.get(cid, cid)}")
        sub = next((c for c in group.contacts if c.id == pid), None)
        if sub is None:
            sub = ContactGroup(pid, f"Contact {contacts.get(pid, pid)}" if pid else "")
            group.contacts.append(sub)
        sub.items.append(item)
    return [g for g in out.values() if g.contacts]


def relative_uri(file: str, root: str | None = None) -> tuple[str, bool]:
    """A file as a URI relative to ``root`` (default: the current directory) when it lies below it.

    Returns the URI and whether it is relative; files outside the root become ``file://`` URIs.
    """
    path = Path(file)
    if not path.is_absolute():
        return PurePath(file).as_posix(), True
    base = Path(root or os.getcwd()).resolve()
    try:
        return path.resolve().relative_to(base).as_posix(), True
    except ValueError:
        return path.as_uri(), False


def location_text(item: Item, root: str | None = None) -> str:
    """``file:line`` with the file relative to the root where possible."""
    loc = item.finding.location
    if loc is None:
        return ""
    uri, _ = relative_uri(loc.file, root)
    return f"{uri}:{loc.line}" if loc.line else uri
