"""``portaldoctor explain ID-or-CODE``: what a check detects and its remedy on each platform."""

from __future__ import annotations

import difflib
import inspect
from typing import Any, TextIO

from portaldoctor.errors import InputError


def explain(*, name: str, stream: TextIO, platform: str | None = None, source: bool = False) -> int:
    """Print a check's documentation and remedies, or one code's remedy per profile.

    Remedy texts read as prose with ‹placeholders› for what each finding fills in, and the
    profile's product named; ``source`` prints them as written in the playbook instead.
    """
    from portaldoctor.playbooks.rendering import readable
    from portaldoctor.plugins import Plugins

    plugins = Plugins.load()
    registry, books = plugins.registry, plugins.books
    by_code = registry.by_code()
    if name in registry.checks:
        check = registry.get(name)
        codes = list(check.spec.codes)
    elif name in by_code:
        check = by_code[name]
        codes = [name]
    else:
        candidates = list(registry.checks) + list(by_code)
        close = difflib.get_close_matches(name, candidates, n=5, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else "; see 'portaldoctor checks list'"
        raise InputError(f"no check or finding code named '{name}'{hint}", field="ID-or-CODE")
    profiles = books.profiles if platform is None else [plugins.profile(platform).profile]
    spec = check.spec
    doc = inspect.cleandoc(type(check).__doc__ or "")
    lines = [f"{spec.id} — {spec.title}", f"scope: {spec.scope.value}   network: {'yes' if spec.network else 'no'}"]
    if spec.depends_on:
        lines.append("depends on: " + ", ".join(spec.depends_on))
    if spec.tags:
        lines.append("tags: " + ", ".join(spec.tags))
    lines += ["", doc, ""]
    for code in codes:
        lines.append(f"## {code}")
        shown: set[tuple[Any, ...]] = set()
        for profile in profiles:
            book = books.profile(profile)
            entry = book.entry(code)
            if entry is None:
                continue
            key = (entry.title, entry.why, entry.steps, entry.customer_message)
            if key in shown and profile != "generic":
                continue
            shown.add(key)
            known = {"product": book.product}
            title, why, message, it_note, *steps = (
                text if source else readable(text, known)
                for text in (entry.title, entry.why, entry.customer_message, entry.it_note or "", *entry.steps)
            )
            lines.append(f"[{profile}] {title}  (severity: {entry.severity})")
            lines.append(f"  why: {why}")
            lines += [f"  {n}. {step}" for n, step in enumerate(steps, 1)]
            lines.append(f"  tell the customer: {message}")
            if it_note:
                lines.append(f"  for the IT team: {it_note}")
            if entry.symptoms:
                lines.append("  symptoms: " + "; ".join(entry.symptoms))
        lines.append("")
    stream.write("\n".join(lines).rstrip() + "\n")
    return 0
