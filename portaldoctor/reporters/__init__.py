"""Reporters: one module per output format, each a pure ``render(report) -> str``."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import TYPE_CHECKING, assert_never

from portaldoctor.errors import InputError

if TYPE_CHECKING:
    from portaldoctor.report import Report


class Format(str, Enum):
    """Output formats."""

    TABLE = "table"
    JSON = "json"
    JUNIT = "junit"
    SARIF = "sarif"
    MARKDOWN = "markdown"
    HTML = "html"


def parse_format(name: str, formats: Sequence[Format] = tuple(Format), *, option: str = "--format") -> Format:
    """The Format for a name given on the command line, among those the command writes."""
    try:
        fmt = Format(name.strip().lower())
    except ValueError:
        fmt = None
    if fmt is None or fmt not in formats:
        choices = ", ".join(f.value for f in formats)
        raise InputError(f"unknown format '{name}'; choose one of {choices}", field=option)
    return fmt


def render(
    report: Report,
    fmt: str | Format,
    *,
    color: bool | None = None,
    width: int | None = None,
    root: str | None = None,
) -> str:
    """Render a report in a format."""
    fmt = parse_format(fmt) if isinstance(fmt, str) else fmt
    if fmt is Format.TABLE:
        from portaldoctor.reporters import table

        return table.render(report, color=bool(color), width=width)
    if fmt is Format.JSON:
        from portaldoctor.reporters import json_report

        return json_report.render(report)
    if fmt is Format.JUNIT:
        from portaldoctor.reporters import junit

        return junit.render(report)
    if fmt is Format.SARIF:
        from portaldoctor.reporters import sarif

        return sarif.render(report, root=root)
    if fmt is Format.MARKDOWN:
        from portaldoctor.reporters import markdown

        return markdown.render(report, root=root)
    if fmt is Format.HTML:
        from portaldoctor.reporters import html

        return html.render(report, root=root)
    assert_never(fmt)
