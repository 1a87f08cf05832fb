"""Verdicts for expected DNS records, record by record (used by the dns-records check and `portaldoctor dns`)."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

from portaldoctor.check import Outcome, Status, Subject, error, fail, warn
from portaldoctor.knowledge import dns
from portaldoctor.knowledge.dns import Expected, fqdn
from portaldoctor.probes.dnslookup import NODATA, NXDOMAIN, Answer, Lookup

_PROBLEMS = frozenset({Status.FAIL, Status.WARN, Status.ERROR})


def _subject(exp: Expected) -> Subject:
    return Subject("record", f"{exp.type} {exp.host}", f"{exp.type} {exp.host}")


def _could_not(exp: Expected, answer: Answer) -> Outcome:
    return error(
        "dns-lookup-failed",
        f"{answer.status} from {answer.server or 'the name servers'}: {answer.detail or answer.status}",
        subject=_subject(exp),
        host=exp.host,
        type=exp.type,
        status=answer.status,
        server=answer.server or "no server",
    )


def _wait(answer: Answer) -> dict[str, Any]:
    return {"negative_ttl": answer.negative_ttl}


async def verify(lookup: Lookup, zone: str, expected: Sequence[Expected], *, check_dmarc: bool = True) -> list[Outcome]:
    """Every verdict for the expected records of one zone (plus DMARC for the zone)."""
    import asyncio

    results = await asyncio.gather(*(_verify_and_propagation(lookup, zone, exp) for exp in expected))
    out = [o for group in results for o in group]
    if check_dmarc and not any(fqdn(e.host, zone).startswith("_dmarc.") for e in expected):
        out += await _dmarc(lookup, zone, None)
    return out


async def _verify_and_propagation(lookup: Lookup, zone: str, exp: Expected) -> list[Outcome]:
    """Judge one record; when asking the zone's own servers, also ask the resolver.

    A record the zone's servers publish correctly while the resolver still answers "no such
    record" is published but not propagated yet: the resolver keeps that negative answer for at
    most the SOA's negative-caching TTL, the worst-case wait.
    """
    out = await _verify_one(lookup, zone, exp)
    if lookup.fallback is None or any(o.status in _PROBLEMS for o in out):
        return out
    name = fqdn(exp.host, zone)
    seen = await lookup.fallback.query(name, exp.type.upper())
    if seen.status not in (NXDOMAIN, NODATA):
        return out
    return [
        *out,
        warn(
            "dns-not-propagated",
            observed=f"{seen.status} from {seen.server or 'the resolver'}",
            expected=f"{exp.type.upper()} {name} as the zone's servers publish it",
            subject=_subject(exp),
            host=name,
            type=exp.type.upper(),
            server=seen.server or "the resolver",
            **_wait(seen),
        ),
    ]


async def _verify_one(lookup: Lookup, zone: str, exp: Expected) -> list[Outcome]:
    kind = exp.type.upper()
    name = fqdn(exp.host, zone)
    if kind == "CNAME":
        return await _cname(lookup, zone, name, exp)
    if kind == "TXT":
        value = exp.value.strip()
        if value.lower().startswith("v=spf1"):
            return await _spf(lookup, zone, name, exp)
        if value.lower().startswith("v=dmarc1") or name.startswith("_dmarc."):
            return await _dmarc(lookup, zone, exp)
        return await _txt(lookup, zone, name, exp)
    if kind == "CAA":
        return await _caa(lookup, name, exp)
    return await _plain(lookup, zone, name, exp)


async def _doubled(lookup: Lookup, zone: str, name: str, rdtype: str) -> Answer | None:
    """The same record published with the zone name appended twice (``host.zone.zone``)."""
    twice = await lookup.query(f"{name}.{zone.rstrip('.')}", rdtype)
    return twice if twice.found else None


async def _missing(lookup: Lookup, zone: str, name: str, exp: Expected, answer: Answer) -> list[Outcome]:
    doubled = await _doubled(lookup, zone, name, exp.type.upper())
    if doubled is not None:
        return [
            fail(
                "dns-zone-appended-twice",
                observed=doubled.name,
                expected=name,
                subject=_subject(exp),
                host=name,
                published_at=doubled.name,
                type=exp.type.upper(),
                zone=zone,
            )
        ]
    return [
        fail(
            "dns-record-missing",
            observed=answer.status,
            expected=f"{exp.type.upper()} {name} {exp.value}",
            subject=_subject(exp),
            host=name,
            type=exp.type.upper(),
            value=exp.value,
            purpose=exp.purpose or "platform record",
            **_wait(answer),
        )
    ]


async def _cname(lookup: Lookup, zone: str, name: str, exp: Expected) -> list[Outcome]:
    out: list[Outcome] = []
    if name == dns.norm(zone):
        out.append(
            fail(
                "dns-cname-at-apex",
                observed=name,
                expected="a CNAME below the apex",
                subject=_subject(exp),
                host=name,
                zone=zone,
            )
        )
    answer = await lookup.query(name, "CNAME")
    if answer.could_not_check:
        return [*out, _could_not(exp, answer)]
    if not answer.found:
        flattened = await lookup.query(name, "A")
        if flattened.found:
            out.append(
                warn(
                    "dns-cname-flattened",
                    observed=f"A {', '.join(flattened.records)}",
                    expected=f"CNAME {exp.value}",
                    subject=_subject(exp),
                    host=name,
                    value=exp.value,
                    addresses=list(flattened.records),
                )
            )
            return out
        return [*out, *await _missing(lookup, zone, name, exp, answer)]
    target = answer.records[0]
    if dns.norm(target) != dns.norm(exp.value):
        if dns.norm(target) == f"{dns.norm(exp.value)}.{dns.norm(zone)}":
            out.append(
                fail(
                    "dns-target-missing-dot",
                    observed=target,
                    expected=exp.value,
                    subject=_subject(exp),
                    host=name,
                    target=target,
                    value=exp.value,
                    zone=zone,
                )
            )
        else:
            out.append(
                fail(
                    "dns-record-wrong-value",
                    observed=target,
                    expected=exp.value,
                    subject=_subject(exp),
                    host=name,
                    type="CNAME",
                    found=target,
                    value=exp.value,
                )
            )
        return out
    others = []
    for rdtype in ("TXT", "MX"):
        other = await lookup.query(name, rdtype)
        if other.found:
            others.append(rdtype)
    if others:
        out.append(
            fail(
                "dns-cname-conflict",
                observed=f"CNAME beside {', '.join(others)}",
                expected="CNAME alone",
                subject=_subject(exp),
                host=name,
                others=others,
            )
        )
    resolved = await lookup.query(dns.norm(target), "A")
    if resolved.status == NXDOMAIN:
        out.append(
            fail(
                "dns-cname-dangling",
                observed=f"{target} does not exist",
                expected="a target that resolves",
                subject=_subject(exp),
                host=name,
                target=target,
            )
        )
    return out


async def _txt(lookup: Lookup, zone: str, name: str, exp: Expected) -> list[Outcome]:
    answer = await lookup.query(name, "TXT")
    if answer.could_not_check:
        return [_could_not(exp, answer)]
    if not answer.found:
        return await _missing(lookup, zone, name, exp, answer)
    want = exp.value.strip()
    if any(dns.canon(r) == dns.canon(want) for r in answer.records):
        return []
    for record in answer.records:
        if dns.unmangled(record) != record and dns.canon(dns.unmangled(record)) == dns.canon(want):
            return [
                fail("dns-txt-quoted", observed=record, expected=want, subject=_subject(exp), host=name, found=record)
            ]
    joined = "".join(answer.records)
    if len(answer.records) > 1 and (
        joined == want
        or "".join(sorted(answer.records)) == want
        or any("".join(answer.records[i:] + answer.records[:i]) == want for i in range(len(answer.records)))
    ):
        return [
            fail(
                "dns-txt-split",
                observed=f"{len(answer.records)} separate TXT records",
                expected="one TXT record",
                subject=_subject(exp),
                host=name,
                count=len(answer.records),
            )
        ]
    if "._domainkey." in name:
        return _dkim(name, exp, answer)
    return [
        fail(
            "dns-record-wrong-value",
            observed=" | ".join(answer.records),
            expected=want,
            subject=_subject(exp),
            host=name,
            type="TXT",
            found=" | ".join(answer.records),
            value=want,
        )
    ]


def _dkim(name: str, exp: Expected, answer: Answer) -> list[Outcome]:
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import load_der_public_key

    key_b64 = dns.dkim_key(answer.records[0])
    try:
        der = base64.b64decode(key_b64 + "=" * (-len(key_b64) % 4), validate=True)
        key = load_der_public_key(der)
    except (ValueError, TypeError, base64.binascii.Error) as exc:  # type: ignore[attr-defined]
        return [
            fail(
                "dkim-key-corrupt",
                observed=f"p= of {len(key_b64)} characters does not decode to a public key",
                expected="the full key as generated",
                subject=_subject(exp),
                host=name,
                length=len(key_b64),
                problem=type(exc).__name__,
            )
        ]
    bits = key.key_size if isinstance(key, rsa.RSAPublicKey) else None
    wanted = dns.dkim_key(exp.value)
    if wanted and wanted.rstrip("=") == key_b64.rstrip("="):
        return []  # the same key; only optional tags or their spelling differ
    if bits is not None and bits < 1024:
        return [
            warn(
                "dkim-key-weak",
                observed=f"RSA {bits} bits",
                expected="at least 1024 bits",
                subject=_subject(exp),
                host=name,
                bits=bits,
            )
        ]
    return [
        fail(
            "dns-record-wrong-value",
            observed=f"a different DKIM key ({bits or 'non-RSA'} bits)",
            expected=exp.value[:60] + ("…" if len(exp.value) > 60 else ""),
            subject=_subject(exp),
            host=name,
            type="TXT",
            found=answer.records[0][:60] + "…",
            value=exp.value[:60] + "…",
        )
    ]


async def _spf_count(lookup: Lookup, record: str, depth: int = 0, seen: set[str] | None = None) -> tuple[int, int]:
    """DNS-querying terms and void lookups of an SPF record, following include and redirect."""
    seen = seen if seen is not None else set()
    lookups = voids = 0
    for term in dns.spf_terms(record):
        if not dns.SPF_LOOKUP_TERMS.match(term):
            continue
        lookups += 1
        target = None
        lowered = term.lstrip("+-~?").lower()
        if lowered.startswith("include:"):
            target = term.split(":", 1)[1]
        elif lowered.startswith("redirect="):
            target = term.split("=", 1)[1]
        if target is None or depth >= 10 or target in seen:
            continue
        seen.add(target)
        answer = await lookup.query(target, "TXT")
        if answer.status in (NXDOMAIN, NODATA):
            voids += 1
            continue
        nested = [r for r in answer.records if r.lower().startswith("v=spf1")]
        if nested:
            more, void = await _spf_count(lookup, nested[0], depth + 1, seen)
            lookups += more
            voids += void
    return lookups, voids


async def _spf(lookup: Lookup, zone: str, name: str, exp: Expected) -> list[Outcome]:
    answer = await lookup.query(name, "TXT")
    if answer.could_not_check:
        return [_could_not(exp, answer)]
    spf = [r for r in answer.records if r.lower().startswith("v=spf1")]
    quoted = [r for r in answer.records if dns.quoted(r) and r[1:].lower().startswith("v=spf1")]
    if quoted and not spf:
        return [
            fail(
                "dns-txt-quoted",
                observed=quoted[0],
                expected=exp.value,
                subject=_subject(exp),
                host=name,
                found=quoted[0],
            )
        ]
    if not spf:
        return await _missing(lookup, zone, name, exp, answer)
    if len(spf) > 1:
        return [
            fail(
                "spf-multiple",
                observed=f"{len(spf)} SPF records",
                expected="exactly one",
                subject=_subject(exp),
                host=name,
                records=spf,
            )
        ]
    out: list[Outcome] = []
    record = spf[0]
    have = {t.lower() for t in dns.spf_terms(record)}
    wanted = [t for t in dns.spf_terms(exp.value) if t.lower().lstrip("+").startswith("include:")]
    missing = [t for t in wanted if t.lower() not in have and "+" + t.lower() not in have]
    if missing:
        out.append(
            fail(
                "spf-include-missing",
                observed=record,
                expected=" ".join(missing),
                subject=_subject(exp),
                host=name,
                includes=missing,
                record=record,
            )
        )
    lookups, voids = await _spf_count(lookup, record)
    if lookups > dns.SPF_LOOKUP_LIMIT:
        out.append(
            fail(
                "spf-too-many-lookups",
                observed=lookups,
                expected=f"at most {dns.SPF_LOOKUP_LIMIT}",
                subject=_subject(exp),
                host=name,
                lookups=lookups,
                limit=dns.SPF_LOOKUP_LIMIT,
            )
        )
    if voids > dns.SPF_VOID_LIMIT:
        out.append(
            fail(
                "spf-void-lookups",
                observed=voids,
                expected=f"at most {dns.SPF_VOID_LIMIT}",
                subject=_subject(exp),
                host=name,
                voids=voids,
                limit=dns.SPF_VOID_LIMIT,
            )
        )
    return out


async def _dmarc(lookup: Lookup, zone: str, exp: Expected | None) -> list[Outcome]:
    name = f"_dmarc.{dns.norm(zone)}"
    subject = _subject(exp) if exp else Subject("record", f"TXT {name}", f"TXT {name}")
    answer = await lookup.query(name, "TXT")
    if answer.could_not_check:
        return [_could_not(exp or Expected("TXT", name, "v=DMARC1"), answer)]
    records = [r for r in answer.records if r.lower().startswith("v=dmarc1")]
    if len(records) > 1:
        return [
            fail(
                "dmarc-duplicate",
                observed=f"{len(records)} DMARC records",
                expected="exactly one",
                subject=subject,
                host=name,
                count=len(records),
            )
        ]
    if records:
        return []
    for wrong in (f"dmarc.{dns.norm(zone)}", dns.norm(zone)):
        other = await lookup.query(wrong, "TXT")
        if any(r.lower().startswith("v=dmarc1") for r in other.records):
            return [fail("dmarc-wrong-name", observed=wrong, expected=name, subject=subject, host=name, found_at=wrong)]
    return [
        fail(
            "dmarc-missing",
            observed=answer.status,
            expected=f"TXT {name} v=DMARC1; p=…",
            subject=subject,
            host=name,
            zone=dns.norm(zone),
            **_wait(answer),
        )
    ]


async def _caa(lookup: Lookup, name: str, exp: Expected) -> list[Outcome]:
    """RFC 8659: the CAA set that governs a name is the first found climbing towards the root."""
    labels = name.split(".")
    answer, found_at = None, name
    for i in range(len(labels) - 1):  # stop above the top-level domain
        found_at = ".".join(labels[i:])
        answer = await lookup.query(found_at, "CAA")
        if answer.could_not_check:
            return [_could_not(Expected("CAA", found_at, exp.value, exp.purpose), answer)]
        if answer.found:
            break
    if answer is None or not answer.found:
        return []  # no CAA anywhere: every certificate authority may issue
    want = dns.caa_entry(exp.value)[1] or exp.value.strip().strip('"').lower()
    issuers = [ca for tag, ca in map(dns.caa_entry, answer.records) if tag == "issue"]
    if issuers and want not in issuers:
        return [
            fail(
                "caa-forbids-ca",
                observed=", ".join(ca or "no authority" for ca in issuers),
                expected=want,
                subject=_subject(exp),
                host=name,
                found_at=found_at,
                allowed=[ca for ca in issuers if ca] or ["no authority"],
                ca=want,
            )
        ]
    return []


async def _plain(lookup: Lookup, zone: str, name: str, exp: Expected) -> list[Outcome]:
    answer = await lookup.query(name, exp.type.upper())
    if answer.could_not_check:
        return [_could_not(exp, answer)]
    if not answer.found:
        return await _missing(lookup, zone, name, exp, answer)
    if any(dns.norm(r).split()[-1] == dns.norm(exp.value).split()[-1] for r in answer.records):
        return []
    found = ", ".join(answer.records)
    return [
        fail(
            "dns-record-wrong-value",
            observed=found,
            expected=exp.value,
            subject=_subject(exp),
            host=name,
            type=exp.type.upper(),
            found=found,
            value=exp.value,
        )
    ]
