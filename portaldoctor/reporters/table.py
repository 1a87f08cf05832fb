"""The terminal report for support agents: grouped by customer and contact, root cause first."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from portaldoctor.check import Status
from portaldoctor.report import Item, Report

_MARK = {
    Status.FAIL: ("✗ FAIL ", "bold red"),
    Status.ERROR: ("! ERROR", "bold magenta"),
    Status.WARN: ("▲ WARN ", "yellow"),
    Status.SKIP: ("– SKIP ", "dim"),
    Status.PASS: ("✓ PASS ", "green"),
}


def _groups(items: Iterable[Item]) -> dict[str, dict[str, list[Item]]]:
    """customer id ('' = organisation) -> contact id ('' = the customer itself) -> items, in order."""
    out: dict[str, dict[str, list[Item]]] = {"": {}}
    for item in items:
        s = item.finding.subject
        out.setdefault(s.customer_id or "", {}).setdefault(s.contact_id or "", []).append(item)
    return out


def _print_item(console: Any, item: Item, indent: int) -> None:
    from rich.markup import escape
    from rich.padding import Padding
    from rich.text import Text

    f = item.finding
    mark, style = _MARK[f.status]
    line = Text()
    line.append(mark, style=style)
    line.append("  ")
    line.append(item.remedy.title if item.remedy else f.check_id)
    if item.root_cause:
        line.append("  [root cause]", style="bold")
    if f.subject.kind in ("record", "host", "link"):
        line.append(f"  ({f.subject.label})", style="dim")
    console.print(Padding(line, (0, 0, 0, indent), expand=False))
    pad = indent + 4
    if f.status in (Status.SKIP, Status.ERROR) and f.reason:
        console.print(Padding(Text(f.reason, style="dim"), (0, 0, 0, pad), expand=False))
    if item.remedy and f.status in (Status.FAIL, Status.WARN):
        r = item.remedy
        if f.observed is not None or f.expected is not None:
            console.print(
                Padding(
                    f"[dim]observed:[/] {escape(str(f.observed))}   [dim]expected:[/] {escape(str(f.expected))}",
                    (0, 0, 0, pad),
                    expand=False,
                )
            )
        console.print(Padding(f"[dim]why:[/] {escape(r.why)}", (0, 0, 0, pad), expand=False))
        for n, step in enumerate(r.steps, 1):
            console.print(Padding(f"{n}. {escape(step)}", (0, 0, 0, pad), expand=False))
        if f.location:
            console.print(Padding(Text(f"at {f.location}", style="dim"), (0, 0, 0, pad), expand=False))


def render(report: Report, *, color: bool = False, width: int | None = None) -> str:
    """Render the report as terminal text (ANSI colour only when ``color``)."""
    from rich.console import Console
    from rich.padding import Padding
    from rich.text import Text

    buf = io.StringIO()
    console = Console(
        file=buf,
        force_terminal=color,
        no_color=not color,
        width=width or 100,
        highlight=False,
    )
    scope = report.scope.get("customer")
    heading = f"portaldoctor {report.command}: {report.tenant}"
    if scope:
        heading += f" / {scope['name']}"
    console.print(Text(heading, style="bold"))
    source = f" · tenant from {report.source}" if report.source else ""
    console.print(Text(f"profile: {report.profile} ({report.product}){source}", style="dim"))
    if report.clicked is not None:
        from rich.table import Table

        console.print()
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column(overflow="fold")
        for label, value in report.clicked.rows():
            grid.add_row(Text(label), Text(value))
        console.print(grid)
    labels = dict(report.labels)
    contact_labels = {
        i.finding.subject.contact_id: i.finding.subject.label
        for i in report.items
        if i.finding.subject.kind == "contact" and i.finding.subject.contact_id
    }
    shown = [i for i in report.items if i.finding.status is not Status.PASS]
    for customer_id, contacts in _groups(shown).items():
        if not contacts:
            continue
        console.print()
        title = f"Customer {labels.get(customer_id, customer_id)}" if customer_id else "Organisation"
        console.print(Text(title, style="bold underline"))
        for contact_id, items in contacts.items():
            indent = 2
            if contact_id:
                console.print(_subheading(f"Contact {contact_labels.get(contact_id, contact_id)}", 2))
                indent = 4
            for item in items:
                _print_item(console, item, indent)
    if report.skip_groups:
        console.print()
        console.print(Text("Skipped, counted (--list-all lists them one by one)", style="bold underline"))
        mark, style = _MARK[Status.SKIP]
        for group in report.skip_groups:
            line = Text()
            line.append(mark, style=style)
            line.append(f"  {group.check_id} × {group.skipped:,}")
            console.print(Padding(line, (0, 0, 0, 2), expand=False))
            console.print(Padding(Text(group.reason, style="dim"), (0, 0, 0, 6), expand=False))
    console.print()
    if not report.problems:
        console.print(Text(f"No problems found: {report.counts['pass']} checks passed.", style="green"))
    code = int(report.exit_code)
    style = "bold red" if code == 1 else ("magenta" if code == 3 else "green")
    console.print(Text(report.summary, style=style))
    text = buf.getvalue()
    return text if color else "\n".join(line.rstrip() for line in text.split("\n"))


def _subheading(text: str, indent: int) -> Any:
    """A bold sub-heading indented by ``indent`` columns."""
    from rich.padding import Padding
    from rich.text import Text

    return Padding(Text(text, style="bold"), (0, 0, 0, indent), expand=False)
