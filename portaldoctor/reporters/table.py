"""The terminal report for support agents: grouped by customer and contact, root cause first."""

from __future__ import annotations

import io
from collections import defaultdict

from portaldoctor.check import Status
from portaldoctor.report import Item, Report

_MARK = {
    Status.FAIL: ("✗ FAIL", "bold red"),
    Status.ERROR: ("! ERROR", "bold magenta"),
    Status.WARN: ("▲ WARN", "yellow"),
    Status.SKIP: ("– SKIP", "dim"),
    Status.PASS: ("✓ PASS", "green"),
}


def _group_key(item: Item) -> tuple[str, str]:
    s = item.finding.subject
    return (s.customer_id or "", s.contact_id or "")


def render(report: Report, *, color: bool = False, width: int | None = None) -> str:
    """Render the report as terminal text (ANSI colour only when ``color``)."""
    from rich.console import Console
    from rich.markup import escape
    from rich.text import Text

    buf = io.StringIO()
    console = Console(
        file=buf,
        force_terminal=color,
        no_color=not color,
        width=width or 100,
        highlight=False,
        soft_wrap=False,
    )
    scope = report.scope.get("customer")
    heading = f"portaldoctor {report.command}: {report.tenant}"
    if scope:
        heading += f" / {scope['name']}"
    console.print(Text(heading, style="bold"))
    console.print(Text(f"profile: {report.profile} ({report.product})", style="dim"))
    labels: dict[str, str] = {}
    for item in report.items:
        s = item.finding.subject
        if s.kind == "customer":
            labels[s.id] = s.label
    groups: dict[tuple[str, str], list[Item]] = defaultdict(list)
    for item in report.items:
        if item.finding.status is Status.PASS:
            continue
        groups[_group_key(item)].append(item)
    # Organisation first, then customers and contacts in the order their worst finding sorts.
    for (customer_id, contact_id), items in groups.items():
        if not customer_id:
            title = "Organisation"
        elif not contact_id:
            title = f"Customer {labels.get(customer_id, customer_id)}"
        else:
            title = f"  Contact {items[0].finding.subject.label}"
        console.print()
        console.print(Text(title, style="bold underline"))
        for item in items:
            f = item.finding
            mark, style = _MARK[f.status]
            line = Text("  ")
            line.append(mark, style=style)
            line.append("  ")
            if item.remedy:
                line.append(item.remedy.title)
            else:
                line.append(f.check_id)
            if item.root_cause:
                line.append("  [root cause]", style="bold")
            if f.subject.kind in ("record", "host", "link"):
                line.append(f"  ({f.subject.label})", style="dim")
            console.print(line)
            if f.status in (Status.SKIP, Status.ERROR) and f.reason:
                console.print(Text(f"      {f.reason}", style="dim"))
            if item.remedy and f.status in (Status.FAIL, Status.WARN):
                r = item.remedy
                if f.observed is not None or f.expected is not None:
                    console.print(
                        f"      [dim]observed:[/] {escape(str(f.observed))}   "
                        f"[dim]expected:[/] {escape(str(f.expected))}"
                    )
                console.print(f"      [dim]why:[/] {escape(r.why)}")
                for n, step in enumerate(r.steps, 1):
                    console.print(f"      {n}. {escape(step)}")
                if f.location:
                    console.print(Text(f"      at {f.location}", style="dim"))
    passed = report.counts["pass"]
    console.print()
    if not groups:
        console.print(Text(f"All {passed} checks passed.", style="green"))
    style = "bold red" if report.exit_code == 1 else ("magenta" if report.exit_code == 3 else "green")
    console.print(Text(report.summary, style=style))
    return buf.getvalue()
