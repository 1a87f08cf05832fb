"""Where reports go: ``--output FORMAT:PATH`` (repeatable, ``-`` is stdout), written atomically after the run."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from portaldoctor.errors import InputError
from portaldoctor.reporters import Format, parse_format

if TYPE_CHECKING:
    from portaldoctor.report import Report

STDOUT = "-"


@dataclass(frozen=True)
class Target:
    """One report to write: a format and a path (``-`` for stdout)."""

    format: Format
    path: str = STDOUT

    @property
    def is_stdout(self) -> bool:
        """True when the report goes to standard output."""
        return self.path == STDOUT


def parse_output(spec: str) -> Target:
    """``sarif:results.sarif`` -> Target; ``json`` alone or ``json:-`` means stdout."""
    name, sep, path = spec.partition(":")
    if not name:
        raise InputError(f"'{spec}' is not FORMAT:PATH, e.g. sarif:results.sarif", field="--output")
    try:
        fmt = parse_format(name)
    except InputError as exc:
        raise InputError(exc.message, field="--output") from None
    if sep and not path:
        raise InputError(f"'{spec}' has no path after the colon (use '-' for stdout)", field="--output")
    return Target(fmt, path or STDOUT)


def plan(outputs: Iterable[str], *, default_format: str = "table", quiet: bool = False) -> tuple[Target, ...]:
    """The targets of a run: every ``--output``, plus ``--format`` on stdout unless one already is or ``--quiet``."""
    targets = [parse_output(spec) for spec in outputs]
    seen: set[str] = set()
    for t in targets:
        key = t.path if t.is_stdout else str(Path(t.path).resolve())
        if key in seen:
            what = "stdout" if t.is_stdout else f"'{t.path}'"
            raise InputError(f"two outputs write to {what}", field="--output")
        seen.add(key)
    if not quiet and not any(t.is_stdout for t in targets):
        targets.insert(0, Target(parse_format(default_format), STDOUT))
    return tuple(targets)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: str | os.PathLike[str], text: str | Iterable[str]) -> None:
    """Write through a temporary file in the same directory and rename it over the target.

    ``text`` is a string or an iterable of string pieces (written as they come). A reader never
    sees half a report, and a crash, or an error while the pieces are produced, leaves the
    previous file (or none) behind.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        # mkstemp creates 0600; a report is an ordinary file, so give it what open() would have.
        os.chmod(tmp, 0o666 & ~_umask())
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            if isinstance(text, str):
                fh.write(text)
            else:
                fh.writelines(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write(
    report: Report,
    targets: Sequence[Target],
    *,
    stream: TextIO | None = None,
    color: bool | None = None,
    width: int | None = None,
    root: str | None = None,
) -> None:
    """Render every target first, then write files atomically, then stdout.

    Rendering everything before writing anything means a reporter that fails leaves no file.
    JSON is the exception that keeps memory flat on large audits: it is written piece by piece
    while it is produced, JSON files first (through a temporary file, so never half-written),
    and JSON on stdout last.
    """
    from portaldoctor.reporters import render
    from portaldoctor.reporters.json_report import pieces

    rendered: list[tuple[Target, str | None]] = []
    for t in targets:
        if t.format is Format.JSON:
            rendered.append((t, None))  # streamed below
            continue
        # Colour is for a person at a terminal; a file never gets escape codes.
        done = render(report, t.format, color=color if t.is_stdout else False, width=width, root=root)
        rendered.append((t, done if done.endswith("\n") else done + "\n"))
    for t, text in sorted(rendered, key=lambda pair: pair[1] is not None):
        if not t.is_stdout:
            try:
                atomic_write(t.path, pieces(report) if text is None else text)
            except OSError as exc:
                raise InputError(f"cannot write {t.path}: {exc.strerror or exc}", field="--output") from None
    out = stream or sys.stdout
    for t, text in rendered:
        if t.is_stdout and text is None:
            out.writelines(pieces(report))
        elif t.is_stdout and text is not None:
            out.write(text)
    out.flush()
