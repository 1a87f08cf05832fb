"""The DNS lookup probe against a real loopback server: statuses, TXT joining, sharing, evidence."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from portaldoctor.errors import InputError
from portaldoctor.probes.dnslookup import (
    ERROR,
    NODATA,
    NXDOMAIN,
    OK,
    REFUSED,
    SERVFAIL,
    Lookup,
    Recording,
    parse_nameserver,
)
from tests.dnsserver import Server

ZONE = {
    ("links.acme.example", "CNAME"): ["links.platform.example."],
    # A DKIM key split into strings mid-token, the way long TXT values are stored.
    ("pd._domainkey.acme.example", "TXT"): ['"v=DKIM1; k=rsa; p=MIIBIjAN" "BgkqhkiG9w0B"'],
    ("acme.example", "MX"): ["10 mx.acme.example."],
}


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("192.0.2.53", ("192.0.2.53", 53)),
        ("127.0.0.1:5353", ("127.0.0.1", 5353)),
        ("[::1]:5353", ("::1", 5353)),
        ("2001:db8::53", ("2001:db8::53", 53)),
    ],
)
def test_parse_nameserver(text: str, parsed: tuple[str, int]) -> None:
    assert parse_nameserver(text) == parsed


@pytest.mark.parametrize("text", ["ns1.example", "127.0.0.1:0", "127.0.0.1:99999", "127.0.0.1:x", ""])
def test_parse_nameserver_rejects(text: str) -> None:
    with pytest.raises(InputError) as raised:
        parse_nameserver(text)
    assert raised.value.field == "--nameserver"


def ask(server: Server, *queries: tuple[str, str], **kw: object) -> list[object]:
    lookup = Lookup([server.address], timeout=1.0, **kw)  # type: ignore[arg-type]

    async def go() -> list[object]:
        return list(await asyncio.gather(*(lookup.query(n, t) for n, t in queries)))

    return asyncio.run(go())


def test_statuses_and_txt_strings_joined_without_separator(dns_server: Server) -> None:
    dns_server.load(ZONE, behaviours={"broken.acme.example": "servfail", "closed.acme.example": "refused"})
    cname, dkim, mx, nodata, nx, broken, closed = ask(
        dns_server,
        ("links.acme.example", "CNAME"),
        ("pd._domainkey.acme.example", "TXT"),
        ("acme.example", "MX"),
        ("acme.example", "TXT"),
        ("nowhere.acme.example", "A"),
        ("broken.acme.example", "A"),
        ("closed.acme.example", "A"),
    )
    assert (cname.status, cname.records) == (OK, ("links.platform.example.",))  # type: ignore[attr-defined]
    assert dkim.records == ("v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0B",)  # type: ignore[attr-defined]
    assert dkim.txt_parts == (("v=DKIM1; k=rsa; p=MIIBIjAN", "BgkqhkiG9w0B"),)  # type: ignore[attr-defined]
    assert mx.records == ("10 mx.acme.example.",)  # type: ignore[attr-defined]
    assert (nodata.status, nodata.negative_ttl) == (NODATA, 120)  # type: ignore[attr-defined]
    assert (nx.status, nx.found, nx.could_not_check) == (NXDOMAIN, False, False)  # type: ignore[attr-defined]
    for answer, status in ((broken, SERVFAIL), (closed, REFUSED)):
        assert answer.status == status and answer.could_not_check  # type: ignore[attr-defined]
        assert answer.server == f"127.0.0.1:{dns_server.port}"  # type: ignore[attr-defined]


def test_same_question_is_asked_once(dns_server: Server) -> None:
    dns_server.load(ZONE)
    lookup = Lookup([dns_server.address], timeout=1.0)

    async def go() -> None:
        await asyncio.gather(*(lookup.query("Links.Acme.Example.", "CNAME") for _ in range(5)))
        await lookup.query("links.acme.example", "cname")

    asyncio.run(go())
    assert lookup.queries == 1


def test_a_failing_server_falls_through_to_the_next(dns_server: Server) -> None:
    dns_server.load(ZONE)
    lookup = Lookup([("127.0.0.1", 9), dns_server.address], timeout=0.3)
    answer = asyncio.run(lookup.query("links.acme.example", "CNAME"))
    assert answer.status == OK and answer.server == f"127.0.0.1:{dns_server.port}"


def test_no_configured_server_is_could_not_check() -> None:
    answer = asyncio.run(Lookup([], timeout=0.3).query("links.acme.example", "CNAME"))
    assert answer.could_not_check and "no name server" in (answer.detail or "")


def test_record_and_replay_round_trip(dns_server: Server, tmp_path: Path) -> None:
    dns_server.load(ZONE)
    recording = Recording()
    live = ask(dns_server, ("pd._domainkey.acme.example", "TXT"), ("nowhere.acme.example", "A"), record=recording)
    path = tmp_path / "evidence.json"
    path.write_text(recording.to_json())
    assert set(json.loads(path.read_text())["dns"]) == {"pd._domainkey.acme.example/TXT", "nowhere.acme.example/A"}
    dns_server.load({})  # the network has changed; the replay must not notice
    replay = Lookup([("127.0.0.1", 9)], timeout=0.3, replay=Recording.load(str(path)))

    async def go() -> list[object]:
        return [
            await replay.query("pd._domainkey.acme.example", "TXT"),
            await replay.query("nowhere.acme.example", "A"),
            await replay.query("never.asked.example", "A"),
        ]

    again = asyncio.run(go())
    assert again[:2] == live
    assert again[2].status == ERROR and "not in the recorded evidence" in again[2].detail  # type: ignore[attr-defined]
    assert replay.queries == 0


def test_zone_servers_answer_only_names_inside_the_zone(dns_server: Server) -> None:
    dns_server.load({("acme.example", "NS"): ["ns1.acme.example."], ("ns1.acme.example", "A"): ["127.0.0.1"], **ZONE})
    recording = Recording()
    resolver = Lookup([dns_server.address], timeout=1.0, record=recording)

    async def go() -> Lookup:
        own = await resolver.authoritative("links.acme.example")
        await own.query("links.acme.example", "CNAME")
        await own.query("links.platform.example", "A")  # outside the zone: the resolver answers
        return own

    own = asyncio.run(go())
    assert own.zone == "acme.example" and own.fallback is resolver
    assert own.queries == 1
    # The zone's servers and the resolver are kept apart in the evidence.
    assert "acme.example@links.acme.example/CNAME" in recording.answers
    assert "links.platform.example/A" in recording.answers


def test_evidence_file_errors_are_input_errors(tmp_path: Path) -> None:
    bad = tmp_path / "e.json"
    bad.write_text('{"version": 7}')
    with pytest.raises(InputError, match="version 1"):
        Recording.load(str(bad))
    with pytest.raises(InputError, match="cannot read"):
        Recording.load(str(tmp_path / "absent.json"))
