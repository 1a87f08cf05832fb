"""Markdown for tickets: summary, problems by customer and contact (root causes first), remedies, evidence."""

from __future__ import annotations

import re

from portaldoctor.report import Report
from portaldoctor.reporters._text import template_env, view

# ">" and "#" only matter at the start of a line, where escaped text never stands.
_SPECIAL = re.compile(r"([\\`*_\[\]<|])")


def escape(text: object) -> str:
    """Text that Markdown shows literally (no accidental emphasis, links, tables or HTML)."""
    return _SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


def code(text: object) -> str:
    """A code span that survives backticks inside the value."""
    value = str(text).replace("\n", " ")
    fence = "``" if "`" in value else "`"
    return f"{fence} {value} {fence}" if fence == "``" else f"`{value}`"


def render(report: Report, *, root: str | None = None) -> str:
    """The Markdown document."""
    env = template_env(html=False)
    env.filters["md"] = escape
    env.filters["code"] = code
    text: str = env.get_template("report.md.j2").render(**view(report, root))
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
