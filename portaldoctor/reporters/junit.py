"""JUnit XML: a suite per check, a test case per subject; failures carry the remedy, errors the reason."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter

from portaldoctor.check import Status
from portaldoctor.report import Item, Report, SkipGroup
from portaldoctor.reporters._text import evidence_pairs, location_text, redact_text, title

HOSTNAME = "portaldoctor"
"""The XSD requires a host; the tenant is what was tested, so the real host name would only add noise."""


def _seconds(ms: float) -> str:
    return f"{ms / 1000:.3f}"


def _remedy_text(item: Item) -> str:
    lines = [title(item)]
    r = item.remedy
    if r:
        lines += ["", redact_text(r.why), ""]
        lines += [f"{n}. {redact_text(step)}" for n, step in enumerate(r.steps, 1)]
        if r.it_note:
            lines += ["", f"For the IT team: {redact_text(r.it_note)}"]
    pairs = evidence_pairs(item)
    if pairs:
        lines.append("")
        lines += [f"{k}: {v}" for k, v in pairs]
    where = location_text(item)
    if where:
        lines.append(f"at {where}")
    if item.note:
        lines.append(redact_text(item.note))
    return "\n".join(lines)


def _is_failure(item: Item, fail_on: Status) -> bool:
    """Failures, and warnings when ``--fail-on warn``: the test cases agree with the exit code."""
    s = item.finding.status
    return not item.suppressed and (s is Status.FAIL or (s is Status.WARN and fail_on is Status.WARN))


def _case(suite: ET.Element, item: Item, fail_on: Status) -> None:
    f = item.finding
    case = ET.SubElement(
        suite,
        "testcase",
        name=f"{f.subject.label} [{f.subject.key}]",
        classname=f"portaldoctor.{f.check_id}",
        time=_seconds(f.duration_ms),
    )
    if item.suppressed:
        ET.SubElement(case, "skipped", message=f"suppressed: {redact_text(item.suppressed)}")
    elif _is_failure(item, fail_on):
        first_step = item.remedy.steps[0] if item.remedy and item.remedy.steps else ""
        message = title(item) + (f" — {redact_text(first_step)}" if first_step else "")
        node = ET.SubElement(case, "failure", message=message, type=f"{f.code} ({f.status.value}, {item.severity})")
        node.text = _remedy_text(item)
    elif f.status is Status.ERROR:
        node = ET.SubElement(case, "error", message=f"could not check: {redact_text(f.reason or '')}", type=f.code)
        node.text = _remedy_text(item)
    elif f.status is Status.WARN:
        # JUnit has no warning; a skipped case keeps it visible without failing the build.
        node = ET.SubElement(case, "skipped", message=f"warning: {title(item)}")
        node.text = _remedy_text(item)
    elif f.status is Status.SKIP:
        ET.SubElement(case, "skipped", message=redact_text(f.reason or "not applicable"))


def _counts(items: list[Item], fail_on: Status) -> Counter[str]:
    c: Counter[str] = Counter()
    for i in items:
        s = i.finding.status
        if _is_failure(i, fail_on):
            c["failures"] += 1
        elif s is Status.ERROR and not i.suppressed:
            c["errors"] += 1
        elif s is not Status.PASS:
            c["skipped"] += 1
    return c


def render(report: Report) -> str:
    """The JUnit document (Ant/Windy Road schema: testsuites > testsuite > testcase)."""
    by_check: dict[str, list[Item]] = {}
    for item in report.items:
        by_check.setdefault(item.finding.check_id, []).append(item)
    groups: dict[str, list[SkipGroup]] = {}
    for group in report.skip_groups:
        groups.setdefault(group.check_id, []).append(group)
        by_check.setdefault(group.check_id, [])
    root = ET.Element("testsuites")
    stamp = report.generated_at.strftime("%Y-%m-%dT%H:%M:%S")
    for n, check_id in enumerate(sorted(by_check)):
        items, counted = by_check[check_id], groups.get(check_id, [])
        c = _counts(items, report.fail_on)
        suite = ET.SubElement(
            root,
            "testsuite",
            name=check_id,
            package="portaldoctor",
            id=str(n),
            timestamp=stamp,
            hostname=HOSTNAME,
            tests=str(len(items) + len(counted)),
            failures=str(c["failures"]),
            errors=str(c["errors"]),
            skipped=str(c["skipped"] + len(counted)),
            time=_seconds(sum(i.finding.duration_ms for i in items)),
        )
        props = ET.SubElement(suite, "properties")
        ET.SubElement(props, "property", name="tenant", value=report.tenant)
        ET.SubElement(props, "property", name="profile", value=report.profile)
        for item in items:
            _case(suite, item, report.fail_on)
        for group in counted:
            # Skips counted rather than listed (large audits): one case stands for the group,
            # named by its reason alone, so that it stays the same case from run to run.
            reason = redact_text(group.reason)
            case = ET.SubElement(suite, "testcase", name=reason, classname=f"portaldoctor.{check_id}", time="0.000")
            ET.SubElement(case, "skipped", message=f"{group.skipped} not checked: {reason}")
        ET.SubElement(suite, "system-out").text = ""
        ET.SubElement(suite, "system-err").text = ""
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
