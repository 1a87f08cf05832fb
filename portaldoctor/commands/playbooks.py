"""``portaldoctor playbooks lint``: every finding code has a remedy, and every remedy renders."""

from __future__ import annotations

from typing import TextIO

from portaldoctor.errors import ExitCode


def playbooks_lint(*, stream: TextIO) -> int:
    """Every code of every check has a remedy in every profile, and every template renders with
    the check's sample evidence. Loading the playbooks already refused unknown keys and rules."""
    from portaldoctor.playbooks.rendering import render
    from portaldoctor.plugins import Plugins

    plugins = Plugins.load()
    registry, books = plugins.registry, plugins.books
    problems: list[str] = []
    rendered = 0
    for spec in registry.specs:
        for code in spec.codes:
            sample = dict(spec.samples.get(code, {}))
            if code not in spec.samples:
                problems.append(f"{spec.id}: no sample evidence for code '{code}'")
            for profile in books.profiles:
                book = books.profile(profile)
                entry = book.entry(code)
                if entry is None:
                    problems.append(f"[{profile}] {code}: no remedy")
                    continue
                context = {
                    "product": book.product,
                    "subject": {"kind": spec.scope.value, "id": "sample", "label": "sample"},
                    "observed": None,
                    "expected": None,
                    **sample,
                }
                try:
                    render(entry, context)
                    rendered += 1
                except Exception as exc:
                    where = f" ({entry.location})" if entry.location else ""
                    problems.append(f"[{profile}] {code}{where}: {type(exc).__name__}: {exc}")
    for problem in problems:
        stream.write(f"problem: {problem}\n")
    codes = sum(len(s.codes) for s in registry.specs)
    stream.write(
        f"{len(registry.checks)} checks, {codes} codes, {len(books.profiles)} profiles "
        f"({', '.join(books.profiles)}), {rendered} remedies rendered, {len(problems)} problems\n"
    )
    return int(ExitCode.PROBLEMS) if problems else 0
