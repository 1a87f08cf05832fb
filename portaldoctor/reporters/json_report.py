"""Versioned, stable JSON report: built as plain dicts; one finding per line."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from portaldoctor import __version__
from portaldoctor.check import Subject
from portaldoctor.errors import SourceLocation
from portaldoctor.playbooks.model import Remedy
from portaldoctor.report import REPORT_VERSION, Item, Report, SkipGroup

_AS_IS = frozenset({str, int, float, bool, type(None)})


def _plain(value: Any) -> Any:
    if type(value) in _AS_IS:  # the common case first: most evidence is strings and numbers
        return value
    if isinstance(value, dt.datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict | Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if isinstance(value, str | int | float | bool):
        return value
    return str(value)


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode
"""One encoder for every finding: ``json.dumps`` with a non-default option builds a new one per call."""


def remedy_dict(remedy: Remedy) -> dict[str, Any]:
    """A remedy as plain data."""
    return {
        "title": remedy.title,
        "severity": str(remedy.severity),
        "profile": remedy.profile,
        "why": remedy.why,
        "steps": list(remedy.steps),
        "customer_message": remedy.customer_message,
        "it_note": remedy.it_note,
        "links": [{"title": link.title, "url": link.url} for link in remedy.links],
    }


def skip_group_dict(group: SkipGroup) -> dict[str, Any]:
    """Skips counted by check and reason, as plain data."""
    return {"check": group.check_id, "reason": group.reason, "blocked_by": group.blocked_by, "count": group.skipped}


def _subject_dict(subject: Subject) -> dict[str, Any]:
    return {
        "kind": subject.kind,
        "id": subject.id,
        "label": subject.label,
        "customer_id": subject.customer_id,
        "contact_id": subject.contact_id,
    }


def _location_dict(location: SourceLocation | None) -> dict[str, Any] | None:
    return {"file": location.file, "line": location.line} if location else None


def item_dict(item: Item) -> dict[str, Any]:
    """One finding as plain data."""
    f = item.finding
    return {
        "check": f.check_id,
        "code": f.code,
        "status": f.status.value,
        "severity": str(item.severity),
        "root_cause": item.root_cause,
        "subject": _subject_dict(f.subject),
        "observed": _plain(f.observed),
        "expected": _plain(f.expected),
        "evidence": _plain(f.evidence),
        "location": _location_dict(f.location),
        "reason": f.reason,
        "blocked_by": f.blocked_by,
        "duration_ms": f.duration_ms,
        "remedy": remedy_dict(item.remedy) if item.remedy else None,
        # Only present when set, so reports without suppressions keep their exact shape.
        **({"suppressed": item.suppressed} if item.suppressed else {}),
        **({"note": item.note} if item.note else {}),
    }


def report_dict(report: Report, *, findings: bool = True) -> dict[str, Any]:
    """The whole report as plain data (the JSON document); ``findings=False`` leaves the list empty."""
    worst = report.worst_severity
    return {
        "report_version": REPORT_VERSION,
        "tool": {"name": "portaldoctor", "version": __version__},
        "command": report.command,
        "tenant": report.tenant,
        "source": report.source,
        "platform": report.platform,
        "profile": report.profile,
        "generated_at": _plain(report.generated_at),
        "scope": _plain(report.scope),
        "summary": {
            "counts": report.counts,
            "worst_severity": str(worst) if worst is not None else None,
            "exit_code": int(report.exit_code),
            "fail_on": report.fail_on.value,
            "text": report.summary,
            **({"suppressed": report.suppressed_count} if report.suppressed_count else {}),
            # Only when skips were counted rather than listed (large audits): by check and reason.
            **({"counted_skips": [skip_group_dict(g) for g in report.skip_groups]} if report.skip_groups else {}),
        },
        # Only when the customer's clicked link was given, so other reports keep their exact shape.
        **({"link": report.clicked.to_dict()} if report.clicked is not None else {}),
        "findings": [item_dict(i) for i in report.items] if findings else [],
    }


def render(report: Report) -> str:
    """The JSON document, keys in a stable order: the envelope indented, one finding per line.

    One line per finding keeps large reports greppable and diffable line by line, and lets the
    findings go through the json module's C encoder (an indented dump uses its pure-Python
    encoder; benchmarks/ANALYSIS.md, "Findings and report").
    """
    return "".join(pieces(report))


def pieces(report: Report, batch: int = 2000) -> Iterator[str]:
    """``render``'s text in pieces of up to ``batch`` findings, for writing without holding it all."""
    head = json.dumps(report_dict(report, findings=False), indent=2, ensure_ascii=False)
    tail = "[]\n}"
    assert head.endswith(tail)
    if not report.items:
        yield head + "\n"
        return
    yield head[: -len(tail)] + "["
    items = report.items
    line = _Lines()
    for start in range(0, len(items), batch):
        lines = ",\n    ".join(map(line, items[start : start + batch]))
        yield ("\n    " if start == 0 else ",\n    ") + lines
    yield "\n  ]\n}\n"


_SUBJECT, _LOCATION = "\x00subject", "\x00location"
_SUBJECT_JSON, _LOCATION_JSON = _ENCODE(_SUBJECT), _ENCODE(_LOCATION)


class _Lines:
    """One finding's JSON line, ``_ENCODE(item_dict(item))``, from parts already encoded.

    Most findings of a large audit are bare: skipped because a prerequisite failed, or with
    nothing but a reason, and no evidence or remedy. Such lines differ only in their subject
    and location (and duration, which a batch of targets shares), so the rest is encoded once
    per kind of line, and each subject and location once (the findings of one target share
    those objects; the report keeps them all alive, so their ids stay theirs).
    """

    def __init__(self) -> None:
        self.frames: dict[tuple[Any, ...], tuple[str, str, str]] = {}
        self.encoded: dict[int, str] = {}

    def __call__(self, item: Item) -> str:
        f = item.finding
        if (
            item.remedy is not None
            or f.evidence
            or f.observed is not None
            or f.expected is not None
            or item.suppressed
            or item.note
        ):
            return _ENCODE(item_dict(item))
        key = (
            f.check_id,
            f.code,
            f.status,
            item.severity,
            item.root_cause,
            f.reason,
            f.blocked_by,
            repr(f.duration_ms),
        )
        frame = self.frames.get(key)
        if frame is None:
            if len(self.frames) >= 4096:  # timed one by one, each its own duration: few repeat
                self.frames.clear()
            template = item_dict(item)
            template["subject"], template["location"] = _SUBJECT, _LOCATION
            head, rest = _ENCODE(template).split(_SUBJECT_JSON)
            middle, tail = rest.split(_LOCATION_JSON)
            frame = self.frames[key] = (head, middle, tail)
        subject = self._encoded(f.subject, _subject_json)
        return frame[0] + subject + frame[1] + self._encoded(f.location, _location_json) + frame[2]

    def _encoded(self, value: Any, encode: Callable[[Any], str]) -> str:
        text = self.encoded.get(id(value))
        if text is None:
            text = self.encoded[id(value)] = encode(value)
        return text


_STRING = json.encoder.encode_basestring
"""How ``_ENCODE`` writes a string (the C function, as ``ensure_ascii=False`` picks)."""


def _subject_json(s: Subject) -> str:
    """``_ENCODE(_subject_dict(s))``, put together from its encoded strings: one in three
    lines of a large audit has a subject of its own, and the encoder's dict walk is most of
    the cost of such a line."""
    kind, sid, label, customer_id, contact_id = s
    if not (type(kind) is type(sid) is type(label) is str) or not all(
        v is None or type(v) is str for v in (customer_id, contact_id)
    ):
        return _ENCODE(_subject_dict(s))
    return (
        f'{{"kind": {_STRING(kind)}, "id": {_STRING(sid)}, "label": {_STRING(label)}, '
        f'"customer_id": {"null" if customer_id is None else _STRING(customer_id)}, '
        f'"contact_id": {"null" if contact_id is None else _STRING(contact_id)}}}'
    )


def _location_json(location: SourceLocation | None) -> str:
    """``_ENCODE(_location_dict(location))``, as ``_subject_json``."""
    if location is None:
        return "null"
    if type(location.file) is not str or type(location.line) is not int:
        return _ENCODE(_location_dict(location))
    return f'{{"file": {_STRING(location.file)}, "line": {location.line}}}'
