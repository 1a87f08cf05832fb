"""SARIF 2.1.0: one rule per check, results on the tenant file's lines, suppressions kept visible."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any

from portaldoctor import __version__
from portaldoctor.check import Severity, Status
from portaldoctor.report import Item, Report
from portaldoctor.reporters._text import evidence_pairs, redact_text, relative_uri, title

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "portaldoctor/v1"


def level(item: Item) -> str:
    """SARIF level: failures by playbook severity (high and above are errors), warnings as warnings."""
    if item.finding.status is Status.FAIL:
        if item.severity >= Severity.HIGH:
            return "error"
        return "warning" if item.severity >= Severity.MEDIUM else "note"
    if item.finding.status is Status.WARN:
        return "warning" if item.severity >= Severity.MEDIUM else "note"
    return "none"


def fingerprint(item: Item) -> str:
    """Stable across runs and line moves: check, code and subject."""
    f = item.finding
    return hashlib.sha256(f"{f.check_id}\0{f.code}\0{f.subject.key}".encode()).hexdigest()[:32]


def _help(check_id: str, items: list[Item], doc: str) -> tuple[str, str]:
    """Plain-text and Markdown help: the playbook remedy of each code seen for the check."""
    text: list[str] = []
    md: list[str] = []
    seen: set[str] = set()
    for item in items:
        r = item.remedy
        if r is None or item.finding.code in seen:
            continue
        seen.add(item.finding.code)
        text.append(f"{item.finding.code}: {redact_text(r.why)}")
        md.append(f"### {item.finding.code}\n\n{redact_text(r.why)}\n")
        for n, step in enumerate(r.steps, 1):
            text.append(f"  {n}. {redact_text(step)}")
            md.append(f"{n}. {redact_text(step)}")
        if r.it_note:
            text.append(f"  For the IT team: {redact_text(r.it_note)}")
            md.append(f"\n**For the IT team:** {redact_text(r.it_note)}")
        md += [f"- [{link.title}]({link.url})" for link in r.links]
        md.append("")
    if not text:
        first = doc.split("\n\n")[0].strip() or check_id
        return first, first
    return "\n".join(text), "\n".join(md).strip()


def _location(item: Item, fallback: str | None, root: str | None) -> dict[str, Any] | None:
    loc = item.finding.location
    file = loc.file if loc else fallback
    if not file:
        return None
    uri, relative = relative_uri(file, root)
    artifact: dict[str, Any] = {"uri": uri}
    if relative:
        artifact["uriBaseId"] = SRCROOT
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if loc and loc.line:
        region: dict[str, Any] = {"startLine": loc.line}
        if loc.column:
            region["startColumn"] = loc.column
        physical["region"] = region
    s = item.finding.subject
    return {
        "physicalLocation": physical,
        "logicalLocations": [{"name": s.label, "fullyQualifiedName": s.key, "kind": "object"}],
    }


def _message(item: Item) -> str:
    f = item.finding
    parts = [title(item) + "."]
    if item.remedy:
        parts.append(redact_text(item.remedy.why))
        if item.remedy.steps:
            parts.append("Fix: " + " ".join(f"{n}. {redact_text(s)}" for n, s in enumerate(item.remedy.steps, 1)))
    if f.observed is not None or f.expected is not None:
        ev = dict(evidence_pairs(item))
        parts.append(f"Observed: {ev.get('observed', '')}; expected: {ev.get('expected', '')}.")
    if item.note:
        parts.append(redact_text(item.note))
    return " ".join(parts)


def sarif_dict(report: Report, *, root: str | None = None) -> dict[str, Any]:
    """The SARIF log as plain data."""
    catalogue = report.catalogue
    by_check: dict[str, list[Item]] = {}
    for item in report.items:
        by_check.setdefault(item.finding.check_id, []).append(item)
    files = Counter(i.finding.location.file for i in report.items if i.finding.location)
    fallback = files.most_common(1)[0][0] if files else None

    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for check_id in sorted(by_check):
        items = by_check[check_id]
        name, doc, tags = catalogue.get(check_id) or (check_id, "", ())
        help_text, help_md = _help(check_id, items, doc)
        worst = max((i for i in items if i.remedy), key=lambda i: i.severity, default=None)
        rule: dict[str, Any] = {
            "id": check_id,
            "name": "".join(w.capitalize() for w in check_id.split("-")),
            "shortDescription": {"text": name},
            "fullDescription": {"text": (doc.split("\n\n")[0].strip() if doc else name)},
            "help": {"text": help_text, "markdown": help_md},
            "defaultConfiguration": {"level": level(worst) if worst else "warning"},
            "properties": {"tags": ["portaldoctor", *tags]},
        }
        if worst and worst.remedy:
            rule["properties"]["problem.severity"] = str(worst.severity)
            if worst.remedy.links:
                rule["helpUri"] = worst.remedy.links[0].url
        index[check_id] = len(rules)
        rules.append(rule)

    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for item in report.items:
        f = item.finding
        if f.status is Status.ERROR:
            # Could not check is not a problem in the tenant file; it belongs to the run, not the code.
            note: dict[str, Any] = {
                "level": "error",
                "message": {"text": f"{f.check_id} could not check {f.subject.label}: {redact_text(f.reason or '')}"},
                "descriptor": {"id": f.check_id},
            }
            where = _location(item, fallback, root)
            if where:
                note["locations"] = [where]
            notifications.append(note)
            continue
        if f.status not in (Status.FAIL, Status.WARN):
            continue
        result: dict[str, Any] = {
            "ruleId": f.check_id,
            "ruleIndex": index[f.check_id],
            "kind": "fail",
            "level": level(item),
            "message": {"text": _message(item)},
            "partialFingerprints": {FINGERPRINT_KEY: fingerprint(item)},
            "properties": {
                "code": f.code,
                "status": f.status.value,
                "severity": str(item.severity),
                "rootCause": item.root_cause,
                "subject": f.subject.key,
                "evidence": dict(evidence_pairs(item)),
            },
        }
        where = _location(item, fallback, root)
        if where:
            result["locations"] = [where]
        if item.suppressed:
            result["suppressions"] = [
                {"kind": "external", "state": "accepted", "justification": redact_text(item.suppressed)}
            ]
        results.append(result)

    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "portaldoctor",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": rules,
            }
        },
        "automationDetails": {"id": f"portaldoctor/{report.command}/"},
        "invocations": [
            {
                "executionSuccessful": True,
                "exitCode": int(report.exit_code),
                "toolExecutionNotifications": notifications,
            }
        ],
        "results": results,
        "properties": {
            "tenant": report.tenant,
            "profile": report.profile,
            "summary": report.summary,
            **({"source": report.source} if report.source else {}),
            **({"link": report.clicked.to_dict()} if report.clicked is not None else {}),
        },
    }
    # No absolute uri here: code scanning resolves %SRCROOT% to the checkout of the repository.
    run["originalUriBaseIds"] = {SRCROOT: {"description": {"text": "The directory tenant paths are relative to."}}}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: Report, *, root: str | None = None) -> str:
    """The SARIF document; file paths relative to ``root`` (default: the current directory)."""
    return json.dumps(sarif_dict(report, root=root), indent=2, ensure_ascii=False) + "\n"
