"""Where a command's report goes: the one emit path.

``--format`` on stdout, ``--output FORMAT:PATH`` files (repeatable, ``-`` is stdout), the
customer ``--reply`` instead of the stdout report, ``--suppressions`` and ``--baseline`` applied
first, ``--quiet`` for no default report and no notes. Every file is written atomically after
the run, and only once everything rendered.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from portaldoctor.atomic import atomic_write
from portaldoctor.errors import InputError
from portaldoctor.reporters import Format, parse_format
from portaldoctor.suppressions import Policy

if TYPE_CHECKING:
    from portaldoctor.report import Report

STDOUT = "-"

Render = Callable[[Format, bool], "str | Iterable[str]"]
"""A document in a format, with colour or not: a string, or pieces written as they come."""


@dataclass(frozen=True)
class Target:
    """One report to write: a format and a path (``-`` for stdout)."""

    format: Format
    path: str = STDOUT

    @property
    def is_stdout(self) -> bool:
        """True when the report goes to standard output."""
        return self.path == STDOUT


def parse_output(spec: str, formats: Sequence[Format] = tuple(Format)) -> Target:
    """``sarif:results.sarif`` -> Target; ``json`` alone or ``json:-`` means stdout."""
    name, sep, path = spec.partition(":")
    if not name:
        raise InputError(f"'{spec}' is not FORMAT:PATH, e.g. sarif:results.sarif", field="--output")
    fmt = parse_format(name, formats, option="--output")
    if sep and not path:
        raise InputError(f"'{spec}' has no path after the colon (use '-' for stdout)", field="--output")
    return Target(fmt, path or STDOUT)


def plan(
    outputs: Iterable[str],
    *,
    default_format: str = "table",
    quiet: bool = False,
    reply: bool = False,
    formats: Sequence[Format] = tuple(Format),
) -> tuple[Target, ...]:
    """The targets of a run: every ``--output``, plus ``--format`` on stdout unless one already is,
    or ``--quiet``, or the reply takes stdout."""
    default = parse_format(default_format, formats)
    targets = [parse_output(spec, formats) for spec in outputs]
    seen: set[str] = {STDOUT} if reply else set()
    for t in targets:
        key = t.path if t.is_stdout else str(Path(t.path).resolve())
        if key in seen:
            what = "stdout" if t.is_stdout else f"'{t.path}'"
            also = " (--reply prints there)" if reply and t.is_stdout else ""
            raise InputError(f"two outputs write to {what}{also}", field="--output")
        seen.add(key)
    if not quiet and not reply and not any(t.is_stdout for t in targets):
        targets.insert(0, Target(default, STDOUT))
    return tuple(targets)


@dataclass(frozen=True)
class Outputs:
    """What a command writes, and what it accepts as known (suppressions, baseline)."""

    targets: tuple[Target, ...] = (Target(Format.TABLE),)
    reply: bool = False
    """Print the message for the customer and the agent's note on stdout instead of the report."""
    policy: Policy = field(default_factory=Policy)
    quiet: bool = False
    """No notes on stderr (and, at planning, no default report on stdout)."""
    root: str | None = None
    """Directory SARIF, Markdown and HTML paths are relative to (default: the current directory)."""
    color: bool = False
    """ANSI colour on stdout (a file never gets escape codes)."""
    width: int | None = None
    """Columns of the terminal report (default: the reporter's)."""

    @classmethod
    def plan(
        cls,
        *,
        format: str = "table",
        outputs: Iterable[str] = (),
        suppressions: Iterable[str] = (),
        baseline: str | None = None,
        write_baseline: bool = False,
        quiet: bool = False,
        reply: bool = False,
        root: str | None = None,
        color: bool = False,
        width: int | None = None,
        formats: Sequence[Format] = tuple(Format),
    ) -> Outputs:
        """Every output option checked, and every suppressions file read, before the run starts."""
        targets = plan(outputs, default_format=format, quiet=quiet, reply=reply, formats=formats)
        policy = Policy.load(tuple(suppressions), baseline, write_baseline)
        return cls(targets, reply, policy, quiet, root, color, width)

    def note(self, message: str) -> None:
        """A note for the person at the terminal, on stderr, unless ``--quiet``."""
        if not self.quiet:
            sys.stderr.write(f"portaldoctor: {message}\n")


def publish(
    report: Report,
    outputs: Outputs,
    *,
    reply: Callable[[Report], str] | None = None,
    secrets: Sequence[str] = (),
    stream: TextIO | None = None,
) -> int:
    """Apply suppressions and the baseline, write every output, and return the exit code.

    ``reply`` writes the customer message for ``--reply``; ``secrets`` are strings to cut from
    every output besides what redaction finds (a pasted link, its token).
    """
    from portaldoctor import suppressions

    report = suppressions.review(report, outputs.policy, warn=outputs.note)
    render = report_renderer(report, root=outputs.root, width=outputs.width)
    extra: list[str] = []
    if outputs.reply:
        if reply is None:
            raise InputError("--reply needs a customer: diagnose CUSTOMER or link URL", field="--reply")
        extra.append(reply(report))
    write(outputs.targets, render, stream=stream, color=outputs.color, secrets=secrets, then=extra)
    return int(report.exit_code)


def report_renderer(report: Report, *, root: str | None = None, width: int | None = None) -> Render:
    """A report in every format; JSON in pieces, so a large report is never held whole as text."""
    from portaldoctor.reporters import render
    from portaldoctor.reporters.json_report import pieces

    def rendered(fmt: Format, color: bool) -> str | Iterable[str]:
        if fmt is Format.JSON:
            return pieces(report)
        return render(report, fmt, color=color, width=width, root=root)

    return rendered


def write(
    targets: Sequence[Target],
    render: Render,
    *,
    stream: TextIO | None = None,
    color: bool = False,
    secrets: Sequence[str] = (),
    then: Sequence[str] = (),
) -> None:
    """Render every text first, then write files atomically, then stdout (``then`` last on it).

    Rendering everything before writing anything means a reporter that fails leaves no file.
    Pieces (JSON) are written as they are produced instead: files through a temporary file, so
    never half-written, and stdout last.
    """
    from portaldoctor.knowledge.redaction import scrub

    def clean(text: str | Iterable[str]) -> str | Iterable[str]:
        if not secrets:
            return text
        if isinstance(text, str):
            return scrub(text, secrets)
        return (scrub(piece, secrets) for piece in text)

    made: list[tuple[Target, str | Iterable[str]]] = []
    for t in targets:
        # Colour is for a person at a terminal; a file never gets escape codes.
        text = render(t.format, color and t.is_stdout)
        if isinstance(text, str) and not text.endswith("\n"):
            text += "\n"
        made.append((t, clean(text)))
    for t, text in made:
        if not t.is_stdout:
            try:
                atomic_write(t.path, text)
            except OSError as exc:
                raise InputError(f"cannot write {t.path}: {exc.strerror or exc}", field="--output") from None
    out = stream or sys.stdout
    for t, text in made:
        if t.is_stdout:
            if isinstance(text, str):
                out.write(text)
            else:
                out.writelines(text)
    for text in then:
        shown = scrub(text, secrets) if secrets else text
        out.write(shown if shown.endswith("\n") else shown + "\n")
    out.flush()
