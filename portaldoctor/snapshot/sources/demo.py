"""The bundled demo tenants: ``--tenant demo`` (Upflow) and ``demo:NAME``, one per story."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from portaldoctor.errors import InputError
from portaldoctor.snapshot.sources.files import FileSource

if TYPE_CHECKING:
    from portaldoctor.snapshot.model import Tenant

DEMO = "demo"
PROFILES = (
    "salestrekker",
    "vtiger",
    "ar-automation",
    # One organisation-wide story each: a setting that breaks the portal for every customer.
    "upflow-https-off",
    "salestrekker-no-sms",
    "salestrekker-no-privacy",
    "ar-automation-starter",
)
"""Demo tenants besides the default (Upflow) one, as ``--tenant demo:NAME``."""


def names_demo(spec: str) -> bool:
    """True when ``--tenant`` names the demo rather than a path (a file called ``demo`` wins)."""
    return (spec == DEMO or spec.startswith(DEMO + ":")) and not Path(spec).exists()


def folder() -> Path:
    """Where the demo tenants are installed."""
    from importlib.resources import files

    return Path(str(files("portaldoctor.demo")))


class DemoSource:
    """One of the demo tenants shipped with portaldoctor, with the network evidence recorded for it."""

    def __init__(self, name: str | None = None) -> None:
        if name is not None and name not in PROFILES:
            raise InputError(
                f"no demo tenant '{name}'; choose demo or one of " + ", ".join(f"demo:{p}" for p in PROFILES),
                field="--tenant",
            )
        self.name = name
        self._file = FileSource(folder() / (name or "") / "tenant.yaml")

    @property
    def label(self) -> str:
        """``demo`` or ``demo:NAME``."""
        return DEMO if self.name is None else f"{DEMO}:{self.name}"

    @property
    def splittable(self) -> bool:
        """The demo never changes."""
        return True

    @property
    def evidence(self) -> Path | None:
        """The DNS answers and certificates recorded for the demo, so it runs without internet."""
        recorded = self._file.path.with_name("evidence.json")
        return recorded if recorded.is_file() else None

    def load(self) -> Tenant:
        """The demo tenant, validated like any file."""
        return self._file.load()
