"""A self-contained HTML report: no external requests, readable on screen and on paper."""

from __future__ import annotations

from portaldoctor.report import Report
from portaldoctor.reporters._text import template_env, view


def render(report: Report, *, root: str | None = None) -> str:
    """The HTML document (inline CSS, no scripts, a CSP that forbids any fetch)."""
    env = template_env(html=True)
    text: str = env.get_template("report.html.j2").render(**view(report, root))
    return text
