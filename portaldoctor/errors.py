"""User-facing errors and the one place that maps them to exit codes."""

from __future__ import annotations

from enum import IntEnum
from typing import NamedTuple


class ExitCode(IntEnum):
    """Process exit codes, documented in ``--help`` and the README."""

    OK = 0
    PROBLEMS = 1
    BAD_INPUT = 2
    COULD_NOT_CHECK = 3


class SourceLocation(NamedTuple):
    """Where a value came from: a file and a 1-based line (0 when unknown).

    A named tuple: the loader makes one per row of a side file, and a tuple is built faster than
    a frozen dataclass (benchmarks/ANALYSIS.md, "Objects per row").
    """

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


class PortaldoctorError(Exception):
    """Base class of the errors the CLI turns into a one-line message and exit code 2."""

    exit_code = ExitCode.BAD_INPUT


class InputError(PortaldoctorError):
    """Bad input: a tenant file, playbook, token or option the tool cannot use."""

    def __init__(self, message: str, *, location: SourceLocation | None = None, field: str | None = None) -> None:
        self.message = message
        self.location = location
        self.field = field
        super().__init__(str(self))

    def __str__(self) -> str:
        where = str(self.location) if self.location else ""
        if self.field:
            where = f"{where}: field '{self.field}'" if where else f"field '{self.field}'"
        return f"{where}: {self.message}" if where else self.message


class PluginError(PortaldoctorError):
    """A check plugin or playbook breaks the registry's rules (duplicate id, missing remedy)."""
