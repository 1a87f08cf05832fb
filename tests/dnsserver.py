"""A real authoritative DNS server on loopback (dnslib), serving zones built per test."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from dnslib import QTYPE, RCODE, RR
from dnslib.server import BaseResolver, DNSLogger, DNSServer

Records = Mapping[tuple[str, str], Sequence[str]]


class ZoneResolver(BaseResolver):  # type: ignore[misc]
    """Answers from a dict {(name, TYPE): [rdata, ...]}; behaviours per name: servfail, refused, slow."""

    def __init__(self, records: Records, behaviours: Mapping[str, str] | None = None, delay: float = 0.0) -> None:
        self.records = {(n.rstrip(".").lower(), t.upper()): list(v) for (n, t), v in records.items()}
        self.names = {n for n, _ in self.records}
        self.behaviours = {n.rstrip(".").lower(): b for n, b in (behaviours or {}).items()}
        self.delay = delay
        self.slow_answers = False

    def _rrs(self, name: str, qtype: str) -> list[Any]:
        return [RR.fromZone(f"{name}. 60 IN {qtype} {data}")[0] for data in self.records.get((name, qtype), [])]

    def resolve(self, request: Any, handler: Any) -> Any:
        if self.delay:
            time.sleep(self.delay)
        reply = request.reply()
        name = str(request.q.qname).rstrip(".").lower()
        qtype = QTYPE[request.q.qtype]
        behaviour = self.behaviours.get(name)
        if behaviour == "servfail":
            reply.header.rcode = RCODE.SERVFAIL
            return reply
        if behaviour == "refused":
            reply.header.rcode = RCODE.REFUSED
            return reply
        if behaviour == "truncated" and handler.protocol == "udp":
            reply.header.tc = 1  # too big for UDP: the client must ask again over TCP
            return reply
        if behaviour == "slow":
            self.slow_answers = True
            time.sleep(0.7)
        answers = self._rrs(name, qtype)
        if not answers and qtype != "CNAME" and (name, "CNAME") in self.records:
            cname = self._rrs(name, "CNAME")
            answers = cname + self._rrs(self.records[(name, "CNAME")][0].rstrip(".").lower(), qtype)
        for rr in answers:
            reply.add_answer(rr)
        if not answers:
            if name not in self.names:
                reply.header.rcode = RCODE.NXDOMAIN
            zone = ".".join(name.split(".")[-2:])
            reply.add_auth(RR.fromZone(f"{zone}. 300 IN SOA ns.{zone}. hostmaster.{zone}. 1 3600 600 86400 120")[0])
        return reply


class Server:
    """A running loopback server whose zone each test replaces with ``load``."""

    def __init__(self, address: str = "127.0.0.1", port: int = 0) -> None:
        self.resolver = ZoneResolver({})
        logger = DNSLogger(log="-request,-reply,-truncated,-error,-recv,-send,-data", prefix=False)
        self.udp = DNSServer(self.resolver, address=address, port=port, logger=logger)
        self.host = address
        self.port = self.udp.server.server_address[1]
        self.tcp = DNSServer(self.resolver, address=address, port=self.port, tcp=True, logger=logger)
        self.udp.start_thread()
        self.tcp.start_thread()

    @property
    def address(self) -> tuple[str, int]:
        """Host and port to query."""
        return self.host, self.port

    def load(self, records: Records, behaviours: Mapping[str, str] | None = None, delay: float = 0.0) -> None:
        """Serve these records from now on."""
        fresh = ZoneResolver(records, behaviours, delay)
        self.resolver.records, self.resolver.names = fresh.records, fresh.names
        self.resolver.behaviours, self.resolver.delay = fresh.behaviours, fresh.delay

    def close(self) -> None:
        """Stop both listeners (after any deliberately slow answer has been sent)."""
        if self.resolver.slow_answers:
            time.sleep(0.8)
        for server in (self.udp, self.tcp):
            server.server.shutdown()
            server.server.server_close()


@contextmanager
def serve(
    records: Records, behaviours: Mapping[str, str] | None = None, delay: float = 0.0
) -> Iterator[tuple[str, int]]:
    """Run the server on 127.0.0.1 with a free UDP port (TCP on the same port) for the block."""
    resolver = ZoneResolver(records, behaviours, delay)
    logger = DNSLogger(log="-request,-reply,-truncated,-error,-recv,-send,-data", prefix=False)
    udp = DNSServer(resolver, address="127.0.0.1", port=0, logger=logger)
    port = udp.server.server_address[1]
    tcp = DNSServer(resolver, address="127.0.0.1", port=port, tcp=True, logger=logger)
    udp.start_thread()
    tcp.start_thread()
    try:
        yield "127.0.0.1", port
    finally:
        udp.stop()
        tcp.stop()
        udp.server.server_close()
        tcp.server.server_close()
