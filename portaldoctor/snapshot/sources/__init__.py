"""Where a tenant comes from: the ``TenantSource`` protocol, and the source ``--tenant`` names.

A source says what it is (a label for reports), loads a validated ``Tenant``, and says whether a
run may be split (``--shard``): whether reading it again gives the same tenant. Files and the
bundled demo are sources; so will be a platform's API or export. Nothing but the source knows
where the tenant's data is, and nothing that reads a tenant knows which kind of source it came
from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from portaldoctor.errors import InputError

if TYPE_CHECKING:
    from pathlib import Path

    from portaldoctor.snapshot.model import Tenant


class TenantSource(Protocol):
    """A tenant's data, wherever it lives."""

    @property
    def label(self) -> str:
        """What reports call the source: ``tenant.yaml``, ``demo``, ``demo:vtiger``."""
        ...

    @property
    def splittable(self) -> bool:
        """True when every reading gives the same tenant, so that the jobs of a split run
        (``--shard I/N``) each read it and agree on its customers."""
        ...

    @property
    def evidence(self) -> Path | None:
        """Network evidence recorded with the source (``--replay``), used when the run neither
        records nor replays its own; None for most sources."""
        ...

    def load(self) -> Tenant:
        """Read and validate the tenant; bad input raises ``InputError`` naming file, line and field."""
        ...


NO_TENANT = (
    "say which tenant to read: --tenant PATH (a tenant file or the folder holding tenant.yaml), "
    "PORTALDOCTOR_TENANT, or 'tenant:' in .portaldoctor.yaml; --tenant demo shows the bundled demo"
)


def open_source(spec: str) -> TenantSource:
    """The source ``--tenant`` names: ``demo`` or ``demo:NAME``, else a file or folder.

    Opening reads nothing but the file system's entry for the path; ``load`` reads the data.
    """
    from portaldoctor.snapshot.sources import demo, files

    if not spec.strip():
        raise InputError(NO_TENANT, field="--tenant")
    if demo.names_demo(spec):
        return demo.DemoSource(spec.partition(":")[2] or None)
    return files.FileSource(spec)
