"""DNS lookups for record verification: async, bounded, each failure named, recordable.

Every query is answered by an ``Answer`` whose ``status`` tells "the record is not there"
(``nxdomain``, ``nodata``) apart from "could not check" (``servfail``, ``refused``, ``timeout``,
``unreachable``, ``error``). Queries go straight to the configured name servers with
dnspython's async query functions, so the response code each server gave is kept.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

OK, NXDOMAIN, NODATA = "ok", "nxdomain", "nodata"
SERVFAIL, REFUSED, TIMEOUT, UNREACHABLE, ERROR = "servfail", "refused", "timeout", "unreachable", "error"
DEFINITIVE = frozenset({OK, NXDOMAIN, NODATA})


@dataclass(frozen=True)
class Answer:
    """What the DNS said for one name and type."""

    name: str
    rdtype: str
    status: str
    records: tuple[str, ...] = ()
    """Record data as text (CNAME targets with their trailing dot; TXT as joined strings)."""
    txt_parts: tuple[tuple[str, ...], ...] = ()
    """For TXT: the character-strings of each record, before joining."""
    server: str | None = None
    detail: str | None = None
    negative_ttl: int | None = None
    """For nxdomain / nodata: the SOA negative-caching TTL, the worst-case wait after a fix."""

    @property
    def found(self) -> bool:
        """True when the name answered with records of this type."""
        return self.status == OK and bool(self.records)

    @property
    def could_not_check(self) -> bool:
        """True for servfail, refused, timeout, unreachable and other errors."""
        return self.status not in DEFINITIVE

    def to_dict(self) -> dict[str, Any]:
        """Plain data for the evidence file."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Answer:
        """Read back an answer saved by ``to_dict``."""
        return cls(
            name=data["name"],
            rdtype=data["rdtype"],
            status=data["status"],
            records=tuple(data.get("records", ())),
            txt_parts=tuple(tuple(p) for p in data.get("txt_parts", ())),
            server=data.get("server"),
            detail=data.get("detail"),
            negative_ttl=data.get("negative_ttl"),
        )


def parse_nameserver(text: str) -> tuple[str, int]:
    """``IP[:PORT]`` (IPv6 as ``[::1]:5353``) to an address and port."""
    import ipaddress

    from portaldoctor.errors import InputError

    raw = text.strip()
    host, port = raw, 53
    if raw.startswith("["):
        host, _, rest = raw[1:].partition("]")
        if rest.startswith(":"):
            port = int(rest[1:]) if rest[1:].isdigit() else -1
    elif raw.count(":") == 1:
        host, _, p = raw.partition(":")
        port = int(p) if p.isdigit() else -1
    try:
        ipaddress.ip_address(host)
    except ValueError:
        raise InputError(f"'{text}' is not an IP address (IP or IP:PORT)", field="--nameserver") from None
    if not 0 < port < 65536:
        raise InputError(f"'{text}' has no valid port", field="--nameserver")
    return host, port


def system_nameservers() -> list[tuple[str, int]]:
    """The machine's configured resolvers (``/etc/resolv.conf``)."""
    import dns.resolver

    try:
        return [(str(ns), 53) for ns in dns.resolver.Resolver().nameservers]
    except Exception:  # no resolv.conf: nothing configured
        return []


@dataclass
class Recording:
    """Observations of a run, saved with ``--record`` and served back with ``--replay``."""

    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    observations: dict[str, dict[str, Any]] = field(default_factory=dict)

    @staticmethod
    def key(name: str, rdtype: str) -> str:
        """Key of a DNS answer in the recording."""
        return f"{name.rstrip('.').lower()}/{rdtype.upper()}"

    def to_json(self) -> str:
        """The evidence file's text."""
        import json

        return (
            json.dumps({"version": 1, "dns": self.answers, "observations": self.observations}, indent=1, sort_keys=True)
            + "\n"
        )

    @classmethod
    def load(cls, path: str) -> Recording:
        """Read an evidence file; InputError when it is not one."""
        import json

        from portaldoctor.errors import InputError, SourceLocation

        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
        except OSError as exc:
            raise InputError(f"cannot read evidence file: {exc.strerror}", location=SourceLocation(path)) from None
        except json.JSONDecodeError as exc:
            raise InputError(f"not an evidence file: {exc.msg}", location=SourceLocation(path, exc.lineno)) from None
        if not isinstance(data, dict) or data.get("version") != 1:
            raise InputError("not a portaldoctor evidence file (version 1)", location=SourceLocation(path, 1))
        return cls(dict(data.get("dns", {})), dict(data.get("observations", {})))


class Lookup:
    """Asynchronous DNS lookups against given name servers, with bounded concurrency.

    With ``replay`` it answers only from a recording and never touches the network.
    """

    def __init__(
        self,
        nameservers: Iterable[tuple[str, int]] | None = None,
        *,
        timeout: float = 3.0,
        concurrency: int = 64,
        record: Recording | None = None,
        replay: Recording | None = None,
        zone: str | None = None,
        fallback: Lookup | None = None,
    ) -> None:
        self.nameservers = list(nameservers) if nameservers is not None else system_nameservers()
        self.timeout = timeout
        self.record = record
        self.replay = replay
        self.zone = zone.strip().rstrip(".").lower() if zone else None
        """Set for a zone's own servers: they answer only names inside it."""
        self.fallback = fallback
        """The resolver that found this zone's servers; it answers names outside the zone."""
        self._semaphore = asyncio.Semaphore(concurrency)
        self._cache: dict[str, asyncio.Task[Answer]] = {}
        self.queries = 0

    def _key(self, name: str, rdtype: str) -> str:
        # The zone's own servers and the resolver may disagree (that is the point of asking
        # both), so their answers are kept apart in the evidence file.
        key = Recording.key(name, rdtype)
        return f"{self.zone}@{key}" if self.zone else key

    def _in_zone(self, name: str) -> bool:
        n = name.strip().rstrip(".").lower()
        return self.zone is None or n == self.zone or n.endswith("." + self.zone)

    async def authoritative(self, zone: str) -> Lookup:
        """A Lookup that asks the zone's own name servers (found through this one).

        Asking them tells "not published" from "not propagated yet": a record they do not have
        is not published; resolvers may keep a negative answer for the SOA's negative TTL.
        The port of the server used for discovery is kept (53 in the real world).
        """
        labels = zone.strip().rstrip(".").lower().split(".")
        ns, apex = None, zone
        for i in range(len(labels) - 1):
            apex = ".".join(labels[i:])
            answer = await self.query(apex, "NS")
            if answer.found:
                ns = answer
                break
        if ns is None:
            return self
        port = self.nameservers[0][1] if self.nameservers else 53
        servers: list[tuple[str, int]] = []
        for host in ns.records:
            address = await self.query(host.rstrip("."), "A")
            servers += [(ip, port) for ip in address.records]
        if not servers:
            return self
        return Lookup(servers, timeout=self.timeout, record=self.record, replay=self.replay, zone=apex, fallback=self)

    async def query(self, name: str, rdtype: str) -> Answer:
        """One lookup; concurrent calls for the same name and type share one query.

        A zone's own servers are asked only about names inside the zone; other names (CNAME
        targets, SPF includes) go to the resolver that found them.
        """
        if self.fallback is not None and not self._in_zone(name):
            return await self.fallback.query(name, rdtype)
        key = self._key(name, rdtype)
        task = self._cache.get(key)
        if task is None:
            task = asyncio.ensure_future(self._query(name, rdtype))
            self._cache[key] = task
        return await task

    async def _query(self, name: str, rdtype: str) -> Answer:
        key = self._key(name, rdtype)
        if self.replay is not None:
            saved = self.replay.answers.get(key)
            if saved is None:
                return Answer(name, rdtype, ERROR, detail="not in the recorded evidence")
            return Answer.from_dict(saved)
        async with self._semaphore:
            answer = await self._ask_servers(name, rdtype)
        self.queries += 1
        if self.record is not None:
            self.record.answers[key] = answer.to_dict()
        return answer

    async def _ask_servers(self, name: str, rdtype: str) -> Answer:
        if not self.nameservers:
            return Answer(name, rdtype, UNREACHABLE, detail="no name server is configured")
        last = Answer(name, rdtype, UNREACHABLE, detail="no name server answered")
        for host, port in self.nameservers:
            answer = await self._ask(host, port, name, rdtype)
            if answer.status in DEFINITIVE:
                return answer
            last = answer
        return last

    async def _ask(self, host: str, port: int, name: str, rdtype: str) -> Answer:
        import dns.asyncquery
        import dns.exception
        import dns.flags
        import dns.message
        import dns.rcode
        import dns.rdatatype

        server = f"{host}:{port}" if port != 53 else host
        request = dns.message.make_query(name, rdtype)
        request.flags |= dns.flags.RD
        started = time.monotonic()
        try:
            response, _ = await dns.asyncquery.udp_with_fallback(request, host, timeout=self.timeout, port=port)
        except dns.exception.Timeout:
            return Answer(name, rdtype, TIMEOUT, server=server, detail=f"no answer within {self.timeout:g}s")
        except OSError as exc:
            return Answer(name, rdtype, UNREACHABLE, server=server, detail=exc.strerror or str(exc))
        except dns.exception.DNSException as exc:
            return Answer(name, rdtype, ERROR, server=server, detail=f"{type(exc).__name__}: {exc}")
        del started
        rcode = response.rcode()
        if rcode == dns.rcode.SERVFAIL:
            return Answer(name, rdtype, SERVFAIL, server=server, detail="the server answered SERVFAIL")
        if rcode == dns.rcode.REFUSED:
            return Answer(name, rdtype, REFUSED, server=server, detail="the server refused the query")
        negative = None
        for rrset in response.authority:
            if rrset.rdtype == dns.rdatatype.SOA:
                negative = min(rrset.ttl, next(iter(rrset)).minimum)
        if rcode == dns.rcode.NXDOMAIN:
            return Answer(name, rdtype, NXDOMAIN, server=server, negative_ttl=negative)
        if rcode != dns.rcode.NOERROR:
            return Answer(name, rdtype, ERROR, server=server, detail=f"the server answered {dns.rcode.to_text(rcode)}")
        wanted = dns.rdatatype.from_text(rdtype)
        records: list[str] = []
        parts: list[tuple[str, ...]] = []
        for rrset in response.answer:
            if rrset.rdtype != wanted:
                continue
            for rdata in rrset:
                if wanted == dns.rdatatype.TXT:
                    strings = tuple(s.decode("utf-8", "replace") for s in rdata.strings)
                    parts.append(strings)
                    records.append("".join(strings))
                else:
                    records.append(rdata.to_text())
        if not records:
            return Answer(name, rdtype, NODATA, server=server, negative_ttl=negative)
        return Answer(name, rdtype, OK, tuple(records), tuple(parts), server=server)
