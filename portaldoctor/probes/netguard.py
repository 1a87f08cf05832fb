"""Refuse to probe private, loopback, link-local or metadata addresses taken from tenant data."""

from __future__ import annotations

import ipaddress
import socket

METADATA = frozenset({"169.254.169.254", "fd00:ec2::254", "100.100.100.200"})


def vet(host: str) -> tuple[str | None, str | None]:
    """Resolve ``host`` once: (an address safe to connect to, None) or (None, why it is refused).

    Connecting to the vetted address, rather than resolving the name again, keeps a name that
    changes its answer between the two lookups from reaching a private address.
    (None, None) means the name does not resolve; the probe itself reports that.
    """
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return None, None
    first = None
    for info in infos:
        address = str(info[4][0])
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if address in METADATA:
            return None, f"{host} resolves to the cloud metadata address {address}"
        if ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_reserved or ip.is_unspecified:
            return None, f"{host} resolves to the private address {address}"
        first = first or address
    return first, None


def private_reason(host: str) -> str | None:
    """Why ``host`` must not be probed (it resolves to a private address), or None when it may."""
    return vet(host)[1]
