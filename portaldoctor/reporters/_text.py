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
    tokens that reached a free-text field, and leaves already-redacted values as they are.
    """
    from portaldoctor.knowledge.redaction import redact_evidence

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
    uri, relative = relative_uri(loc.file, root)
    shown = uri if relative else loc.file
    return f"{shown}:{loc.line}" if loc.line else shown


def template_env(*, html: bool) -> Any:
    """The Jinja2 environment over the templates shipped with the package."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("portaldoctor.reporters", "templates"),
        autoescape=html,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["safe_text"] = lambda v: plain(v)
    return env


def view(report: Report, root: str | None = None) -> dict[str, Any]:
    """What the Markdown and HTML templates show, computed once and already redacted."""
    visible = [i for i in report.items if not i.suppressed]
    problems = [i for i in visible if i.finding.status in (Status.FAIL, Status.ERROR, Status.WARN)]
    skipped = [i for i in visible if i.finding.status is Status.SKIP]
    suppressed = [i for i in report.items if i.suppressed]
    customer = report.scope.get("customer")
    worst = report.worst_severity

    def row(item: Item) -> dict[str, Any]:
        f = item.finding
        r = item.remedy
        return {
            "status": f.status.value,
            "status_word": STATUS_WORD[f.status],
            "title": title(item),
            "check": f.check_id,
            "code": f.code,
            "severity": str(item.severity),
            "root_cause": item.root_cause,
            "subject": redact_text(f.subject.label),
            "subject_kind": f.subject.kind,
            "location": location_text(item, root),
            "reason": redact_text(f.reason or ""),
            "blocked_by": f.blocked_by or "",
            "why": redact_text(r.why) if r else "",
            "steps": [redact_text(s) for s in r.steps] if r else [],
            "customer_message": redact_text(r.customer_message) if r else "",
            "it_note": redact_text(r.it_note) if r and r.it_note else "",
            "links": [{"title": link.title, "url": link.url} for link in r.links] if r else [],
            "evidence": evidence_pairs(item),
            "suppressed": redact_text(item.suppressed or ""),
            "note": redact_text(item.note or ""),
        }

    return {
        "command": report.command,
        "tenant": report.tenant,
        "source": report.source,
        "link": report.clicked.rows() if report.clicked is not None else [],
        "customer": customer["name"] if customer else "",
        "profile": report.profile,
        "product": report.product,
        "generated_at": report.generated_at.isoformat().replace("+00:00", "Z"),
        "summary": report.summary,
        "counts": report.counts,
        "suppressed_count": report.suppressed_count,
        "worst": str(worst) if worst is not None else "",
        "exit_code": int(report.exit_code),
        "groups": [
            {
                "title": g.title,
                "contacts": [{"title": c.title, "findings": [row(i) for i in c.items]} for c in g.contacts],
            }
            for g in groups(report, problems)
        ],
        "skipped": [row(i) for i in skipped],
        "skip_groups": [
            {"check": g.check_id, "reason": redact_text(g.reason), "blocked_by": g.blocked_by or "", "count": g.skipped}
            for g in report.skip_groups
        ],
        "suppressed": [row(i) for i in suppressed],
    }
