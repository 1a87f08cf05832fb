"""The probes a run hands to network checks through ``CheckContext.probes``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from portaldoctor.probes.dnslookup import Lookup, Recording


@dataclass
class Probes:
    """DNS lookups and the evidence store (recorded or replayed) for one run."""

    dns: Lookup
    recording: Recording = field(default_factory=Recording)
    replaying: bool = False
    allow_private_network: bool = False
    authoritative: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def make_probes(
    *,
    nameservers: list[tuple[str, int]] | None = None,
    timeout: float = 3.0,
    replay: Recording | None = None,
    allow_private_network: bool = False,
    authoritative: bool = False,
) -> Probes:
    """Probes for a live run (recording what they see) or a replay (no network at all)."""
    recording = Recording()
    lookup = Lookup(nameservers, timeout=timeout, record=None if replay else recording, replay=replay)
    return Probes(
        dns=lookup,
        recording=replay or recording,
        replaying=replay is not None,
        allow_private_network=allow_private_network,
        authoritative=authoritative,
    )
