"""The probes a run hands to network checks through ``CheckContext.probes``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from portaldoctor.probes.dnslookup import Lookup, Recording


@dataclass
class Probes:
    """DNS lookups, how the portal host is reached, and the evidence store (recorded or replayed) for one run."""

    dns: Lookup
    recording: Recording = field(default_factory=Recording)
    replaying: bool = False
    allow_private_network: bool = False
    authoritative: bool = False
    ca_file: str | None = None
    """A CA bundle to trust for the portal host instead of the system's (``--ca-file``)."""
    https_port: int = 443
    http_port: int = 80
    tls_timeout: float = 5.0
    """Seconds for each TLS or HTTP exchange with the portal host."""
    connect_to: Mapping[str, str] = field(default_factory=dict)
    """Host -> address to connect to instead of resolving it (tests on loopback)."""


def make_probes(
    *,
    nameservers: list[tuple[str, int]] | None = None,
    timeout: float = 3.0,
    replay: Recording | None = None,
    allow_private_network: bool = False,
    authoritative: bool = False,
    ca_file: str | None = None,
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
        ca_file=ca_file,
    )
