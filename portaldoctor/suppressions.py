"""Suppressed findings and baselines: accepted problems stay in the report but stop failing the run."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from portaldoctor import yamlio
from portaldoctor.check import Status
from portaldoctor.errors import InputError, SourceLocation

if TYPE_CHECKING:
    from portaldoctor.report import Item, Report

BASELINE_VERSION = 1
_ENTRY_KEYS = {"check", "code", "subject", "reason", "expires"}
_FILE_KEYS = {"suppressions", "baseline_version", "generated_at", "tenant"}
_SUPPRESSIBLE = (Status.FAIL, Status.WARN, Status.ERROR)


@dataclass(frozen=True)
class Suppression:
    """One accepted problem: which check or code, optionally which subject, why, and until when."""

    reason: str
    """Why the problem is accepted; required so a suppression is never silent."""
    check: str | None = None
    code: str | None = None
    subject: str | None = None
    """A subject key (``contact:P-3``), id, label, or a customer id covering its contacts."""
    expires: dt.date | None = None
    """Last day the suppression holds; after it the finding counts again, with a note."""
    location: SourceLocation | None = None

    def matches(self, item: Item) -> bool:
        """True when this suppression names the item's check or code and (if given) its subject."""
        f = item.finding
        if self.check is not None and self.check != f.check_id:
            return False
        if self.code is not None and self.code != f.code:
            return False
        if self.subject is None:
            return True
        s = f.subject
        names = {s.key, s.id}
        if s.customer_id:
            names |= {s.customer_id, f"customer:{s.customer_id}"}
        return self.subject in names or self.subject.casefold() == s.label.casefold()

    def expired(self, today: dt.date) -> bool:
        """True after the expiry date."""
        return self.expires is not None and today > self.expires

    @property
    def what(self) -> str:
        """A short name for messages: ``code on subject``."""
        name = self.code or self.check or "?"
        return f"{name} on {self.subject}" if self.subject else name


def _date(value: Any, where: SourceLocation | None) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"'{value}' is not a date (YYYY-MM-DD)", location=where, field="expires") from None


def parse(data: Any, filename: str, locations: yamlio.Locations | None = None) -> tuple[Suppression, ...]:
    """Suppressions from parsed YAML/JSON: a list, or a mapping with a ``suppressions`` list."""
    locations = locations or {}

    def at(*path: str | int) -> SourceLocation:
        return locations.get(tuple(path), SourceLocation(filename))

    prefix: tuple[str, ...] = ()
    if isinstance(data, dict):
        unknown = sorted(set(map(str, data)) - _FILE_KEYS)
        if unknown:
            raise InputError(f"unknown key '{unknown[0]}'", location=at(unknown[0]))
        data = data.get("suppressions") or []
        prefix = ("suppressions",)
    if not isinstance(data, list):
        raise InputError("expected a list of suppressions", location=at(*prefix))
    out = []
    for n, entry in enumerate(data):
        here = at(*prefix, n)
        if not isinstance(entry, dict):
            raise InputError("a suppression is a mapping with check or code and a reason", location=here)
        for key in entry:
            if key not in _ENTRY_KEYS:
                raise InputError(
                    f"unknown key '{key}' (use {', '.join(sorted(_ENTRY_KEYS))})", location=at(*prefix, n, str(key))
                )
        if not entry.get("check") and not entry.get("code"):
            raise InputError("a suppression needs a check or a code", location=here)
        reason = entry.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise InputError("a suppression needs a reason", location=here, field="reason")
        expires = entry.get("expires")
        out.append(
            Suppression(
                reason=reason.strip(),
                check=str(entry["check"]) if entry.get("check") else None,
                code=str(entry["code"]) if entry.get("code") else None,
                subject=str(entry["subject"]) if entry.get("subject") is not None else None,
                expires=_date(expires, at(*prefix, n, "expires")) if expires is not None else None,
                location=here,
            )
        )
    return tuple(out)


def load(path: str | Path) -> tuple[Suppression, ...]:
    """Read a suppressions (or baseline) file; bad content is an InputError with file and line."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("file not found", location=SourceLocation(str(p))) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", location=SourceLocation(str(p))) from None
    locations: yamlio.Locations = {}
    data = yamlio.load(text, str(p), locations=locations)
    return parse(data, str(p), locations)


def apply(report: Report, suppressions: Sequence[Suppression], *, today: dt.date) -> tuple[Report, list[str]]:
    """Mark matching problems as suppressed; expired suppressions leave a note instead.

    Returns the new report (counts and exit code follow from it) and one message per expired
    suppression that still matched something, for stderr.
    """
    if not suppressions:
        return report, []
    items = []
    notes: dict[Suppression, str] = {}
    for item in report.items:
        if item.finding.status in _SUPPRESSIBLE and not item.suppressed:
            live = [s for s in suppressions if s.matches(item)]
            active = next((s for s in live if not s.expired(today)), None)
            if active is not None:
                item = item._replace(suppressed=active.reason)
            elif live:
                gone = live[0]
                note = f"suppression expired on {gone.expires}: {gone.reason}"
                item = item._replace(note=note)
                where = f"{gone.location}: " if gone.location else ""
                notes[gone] = f"{where}suppression of {gone.what} expired on {gone.expires}; it counts again"
        items.append(item)
    return dataclasses.replace(report, items=tuple(items)), list(notes.values())


def baseline_entries(report: Report) -> list[dict[str, Any]]:
    """Every problem not already suppressed, as suppression entries keyed by check, code and subject."""
    stamp = report.generated_at.date().isoformat()
    entries = {
        (i.finding.check_id, i.finding.code, i.finding.subject.key): {
            "check": i.finding.check_id,
            "code": i.finding.code,
            "subject": i.finding.subject.key,
            "reason": f"in the baseline of {stamp}",
        }
        for i in report.items
        if i.finding.status in _SUPPRESSIBLE and not i.suppressed
    }
    return [entries[k] for k in sorted(entries)]


def write_baseline(report: Report, path: str | Path) -> int:
    """Write the baseline file (JSON, which the YAML loader also reads); returns the number of entries."""
    from portaldoctor.atomic import atomic_write

    entries = baseline_entries(report)
    doc = {
        "baseline_version": BASELINE_VERSION,
        "generated_at": report.generated_at.isoformat().replace("+00:00", "Z"),
        "tenant": report.tenant,
        "suppressions": entries,
    }
    atomic_write(path, json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    return len(entries)


@dataclass(frozen=True)
class Policy:
    """What a run accepts: suppressions, and a baseline read or written (``--write-baseline``).

    Made by ``load`` before the run, so that a missing or broken file stops it at once (exit 2).
    """

    suppressions: tuple[Suppression, ...] = ()
    baseline: str | None = None
    """The baseline file."""
    baselined: tuple[Suppression, ...] = ()
    """The baseline's entries, when it is read rather than written."""
    write_baseline: bool = False

    @classmethod
    def load(cls, files: Iterable[str] = (), baseline: str | None = None, write_baseline: bool = False) -> Policy:
        """Read every suppressions file and the baseline now; bad content is an InputError at its line."""
        if write_baseline and not baseline:
            raise InputError("--write-baseline needs --baseline FILE", field="--write-baseline")
        loaded = tuple(s for path in files for s in load(path))
        baselined: tuple[Suppression, ...] = ()
        if baseline and not write_baseline:
            if not Path(baseline).is_file():
                raise InputError(
                    "baseline file not found; create it with --write-baseline",
                    location=SourceLocation(baseline),
                    field="--baseline",
                )
            baselined = load(baseline)
        return cls(loaded, baseline, baselined, write_baseline)


def review(report: Report, policy: Policy, *, warn: Callable[[str], None]) -> Report:
    """Apply suppressions, then the baseline; ``warn(message)`` receives expiry and baseline notes."""
    today = report.generated_at.date()
    report, notes = apply(report, policy.suppressions, today=today)
    for note in notes:
        warn(note)
    baselined = policy.baselined
    if policy.baseline and policy.write_baseline:
        count = write_baseline(report, policy.baseline)
        warn(f"wrote {count} finding(s) to the baseline {policy.baseline}")
        baselined = load(policy.baseline)  # then used, as a baseline read would be
    report, _ = apply(report, baselined, today=today)
    return report
