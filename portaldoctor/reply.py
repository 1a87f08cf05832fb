"""``diagnose CUSTOMER --reply``: a message ready to send to the customer, and the agent's internal note."""

from __future__ import annotations

from portaldoctor.check import Status
from portaldoctor.report import Item, Report
from portaldoctor.reporters._text import evidence_pairs, location_text, redact_text, title
from portaldoctor.snapshot.model import Contact, Customer, Tenant

RULE = "-" * 72


def _greeting_name(contacts: list[Contact]) -> str | None:
    primary = [c for c in contacts if c.is_primary] or [c for c in contacts if c.portal_user] or contacts
    for contact in primary:
        if contact.name:
            return contact.name.split()[0]
    return None


def _customer_items(report: Report) -> list[Item]:
    """What the customer hears about: unsuppressed failures, or warnings when nothing failed."""
    live = [i for i in report.items if not i.suppressed and i.remedy is not None]
    fails = [i for i in live if i.finding.status is Status.FAIL]
    return fails or [i for i in live if i.finding.status is Status.WARN]


def customer_message(report: Report, tenant: Tenant, customer: Customer) -> str:
    """The message to the customer: one paragraph per distinct playbook message, root causes first."""
    contacts = [c for c in tenant.contacts if c.customer == customer.id]
    name = _greeting_name(contacts)
    lines = [f"Hello {name}," if name else f"Hello {customer.name} team,", ""]
    paragraphs: list[str] = []
    for item in _customer_items(report):
        assert item.remedy is not None
        text = redact_text(item.remedy.customer_message.strip())
        if text and text not in paragraphs:
            paragraphs.append(text)
    if paragraphs:
        lines.append("Thank you for letting us know about the trouble with our customer portal. We looked into it:")
        lines.append("")
        for text in paragraphs:
            lines += [text, ""]
    else:
        lines += [
            "Thank you for letting us know. We checked your portal access and the settings on our side and "
            "found nothing blocking it. Could you tell us the exact message you see and when it happened, "
            "so we can look further?",
            "",
        ]
    lines += ["Kind regards,", f"{tenant.organisation.name}"]
    return "\n".join(lines) + "\n"


def internal_note(report: Report, customer: Customer) -> str:
    """The note for the agent: summary, then each problem with steps, IT note and evidence."""
    lines = [f"Internal note: {customer.name} ({customer.id}) — {report.summary}", ""]
    problems = [i for i in report.items if i.finding.status in (Status.FAIL, Status.WARN, Status.ERROR)]
    if not problems:
        lines.append("No problems found on our side.")
    for item in problems:
        f = item.finding
        head = f"[{f.status.value}] {title(item)}"
        if item.root_cause:
            head += " (root cause)"
        if item.suppressed:
            head += f" (suppressed: {redact_text(item.suppressed)})"
        lines.append(head)
        if f.status is Status.ERROR:
            lines.append(f"  could not check: {redact_text(f.reason or '')}")
        if item.remedy:
            lines += [f"  {n}. {redact_text(s)}" for n, s in enumerate(item.remedy.steps, 1)]
            if item.remedy.it_note:
                lines.append(f"  for the IT team: {redact_text(item.remedy.it_note)}")
        facts = "; ".join(f"{k}={v}" for k, v in evidence_pairs(item))
        if facts:
            lines.append(f"  evidence: {facts}")
        where = location_text(item)
        if where:
            lines.append(f"  at {where}")
        if item.note:
            lines.append(f"  note: {redact_text(item.note)}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def render(report: Report, tenant: Tenant, customer: Customer) -> str:
    """Both parts, clearly separated so only the first is copied into the reply."""
    return (
        f"MESSAGE TO THE CUSTOMER\n{RULE}\n"
        + customer_message(report, tenant, customer)
        + f"{RULE}\n\nINTERNAL NOTE FOR THE AGENT (do not send)\n{RULE}\n"
        + internal_note(report, customer)
    )
