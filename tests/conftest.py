"""Shared fixtures: a real DNS server on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.dnsserver import Server


@pytest.fixture(scope="session")
def dns_server() -> Iterator[Server]:
    """One authoritative DNS server on 127.0.0.1 for the session; each test loads its own zone."""
    server = Server()
    try:
        yield server
    finally:
        server.close()
