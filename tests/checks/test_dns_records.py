"""dns-records against a real DNS server on loopback: every verdict, and could-not-check."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Mapping, Sequence

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from portaldoctor.check import Outcome, Status
from portaldoctor.knowledge.dns import Expected
from portaldoctor.probes.dnslookup import Lookup
from portaldoctor.probes.dnsverify import verify
from tests.checks.helpers import Case, Loopback, findings_of
from tests.dnsserver import Server

ZONE = "acme.example"
CNAME = Expected("CNAME", "links.acme.example", "links.platform.example.", "link tracking")
SPF = Expected("TXT", "acme.example", "v=spf1 include:mail.platform.example ~all", "SPF")
TOKEN = Expected("TXT", "_platform.acme.example", "platform-verification=abc123", "ownership")
DMARC_OK = {("_dmarc.acme.example", "TXT"): ['"v=DMARC1; p=none"']}
TARGET_OK = {("links.platform.example", "A"): ["192.0.2.10"]}


def dkim_value(bits: int) -> str:
    if bits >= 1024:
        public = rsa.generate_private_key(public_exponent=65537, key_size=bits).public_key()
    else:  # cryptography refuses to generate short keys; a short modulus is enough for a public key
        public = rsa.RSAPublicNumbers(65537, (1 << (bits - 1)) | 0xABCDEF1).public_key()
    der = public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return "v=DKIM1; k=rsa; p=" + base64.b64encode(der).decode()


def txt(value: str) -> str:
    """A TXT rdata in zone syntax, split into 255-byte strings like real servers do."""
    chunks = [value[i : i + 200] for i in range(0, len(value), 200)] or [""]
    return " ".join('"' + c.replace('"', '\\"') + '"' for c in chunks)


SERVER: Server | None = None


@pytest.fixture(autouse=True)
def _server(dns_server: Server) -> None:
    global SERVER
    SERVER = dns_server


def run(
    records: Mapping[tuple[str, str], Sequence[str]],
    expected: Sequence[Expected],
    *,
    behaviours: Mapping[str, str] | None = None,
    dmarc: bool = False,
    timeout: float = 1.0,
) -> list[Outcome]:
    assert SERVER is not None
    SERVER.load({**DMARC_OK, **TARGET_OK, **records}, behaviours)
    lookup = Lookup([SERVER.address], timeout=timeout)
    return asyncio.run(verify(lookup, ZONE, expected, check_dmarc=dmarc))


def codes(outcomes: list[Outcome]) -> list[str]:
    return sorted(o.code for o in outcomes if o.status in (Status.FAIL, Status.WARN, Status.ERROR))


# --- the check on tenant snippets: records expected by the tenant, zone lines served on loopback ---

CHECK = "dns-records"
EXPECTS_CNAME = """
organisation:
  deliverability: {domain: acme.example}
  dns_records: [{type: CNAME, host: links.acme.example, value: links.platform.example.}]
"""
DMARC_LINE = '#   _dmarc.acme.example.  TXT  "v=DMARC1; p=none"\n'

CASES = [
    Case(
        "published as expected",
        EXPECTS_CNAME
        + """
        #   links.acme.example.      CNAME  links.platform.example.
        #   links.platform.example.  A      192.0.2.10
        """
        + DMARC_LINE,
        [],
    ),
    Case("nothing published", EXPECTS_CNAME + DMARC_LINE, ["dns-record-missing"]),
    Case(
        "another target",
        EXPECTS_CNAME
        + """
        #   links.acme.example.    CNAME  old.platform.example.
        #   old.platform.example.  A      192.0.2.1
        """
        + DMARC_LINE,
        ["dns-record-wrong-value"],
    ),
    Case(
        "the zone appended twice",
        EXPECTS_CNAME + "#   links.acme.example.acme.example.  CNAME  links.platform.example.\n" + DMARC_LINE,
        ["dns-zone-appended-twice"],
    ),
    Case(
        "the target without its trailing dot",
        EXPECTS_CNAME + "#   links.acme.example.  CNAME  links.platform.example.acme.example.\n" + DMARC_LINE,
        ["dns-target-missing-dot"],
    ),
    Case(
        "no DMARC record",
        EXPECTS_CNAME
        + """
        #   links.acme.example.      CNAME  links.platform.example.
        #   links.platform.example.  A      192.0.2.10
        """,
        ["dmarc-missing"],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_table(case: Case, dns_server: Server) -> None:
    assert case.codes(CHECK, Loopback(dns=dns_server)) == case.expected


def test_the_check_skips_without_records_or_domain(dns_server: Server) -> None:
    [finding] = findings_of(
        CHECK, "organisation: {deliverability: {domain: acme.example}}", loopback=Loopback(dns_server)
    )
    assert finding.status is Status.SKIP and "no DNS records" in (finding.reason or "")


def test_all_present_passes() -> None:
    records = {
        ("links.acme.example", "CNAME"): ["links.platform.example."],
        ("acme.example", "TXT"): [txt(SPF.value)],
        ("_platform.acme.example", "TXT"): [txt(TOKEN.value)],
    }
    assert codes(run(records, [CNAME, SPF, TOKEN], dmarc=True)) == []


@pytest.mark.parametrize(
    ("records", "expected", "code"),
    [
        ({}, CNAME, "dns-record-missing"),
        (
            {("links.acme.example", "CNAME"): ["old.platform.example."], ("old.platform.example", "A"): ["192.0.2.1"]},
            CNAME,
            "dns-record-wrong-value",
        ),
        ({("links.acme.example.acme.example", "CNAME"): ["links.platform.example."]}, CNAME, "dns-zone-appended-twice"),
        ({("links.acme.example", "CNAME"): ["links.platform.example.acme.example."]}, CNAME, "dns-target-missing-dot"),
        ({("links.acme.example", "A"): ["104.16.1.1"]}, CNAME, "dns-cname-flattened"),
        (
            {("links.acme.example", "CNAME"): ["gone.platform.example."]},
            Expected("CNAME", "links.acme.example", "gone.platform.example."),
            "dns-cname-dangling",
        ),
        (
            {("links.acme.example", "CNAME"): ["links.platform.example."], ("links.acme.example", "TXT"): ['"x"']},
            CNAME,
            "dns-cname-conflict",
        ),
        ({("_platform.acme.example", "TXT"): [txt('"platform-verification=abc123"')]}, TOKEN, "dns-txt-quoted"),
        ({("_platform.acme.example", "TXT"): ['"platform-verification="', '"abc123"']}, TOKEN, "dns-txt-split"),
        ({("_platform.acme.example", "TXT"): ['"platform-verification=zzz"']}, TOKEN, "dns-record-wrong-value"),
        ({("acme.example", "TXT"): [txt(SPF.value), txt("v=spf1 include:other.example ~all")]}, SPF, "spf-multiple"),
        (
            {
                ("acme.example", "TXT"): [txt("v=spf1 include:other.example ~all")],
                ("other.example", "TXT"): [txt("v=spf1 ip4:192.0.2.0/24 ~all")],
            },
            SPF,
            "spf-include-missing",
        ),
    ],
)
def test_verdicts(records: Mapping[tuple[str, str], Sequence[str]], expected: Expected, code: str) -> None:
    outcomes = run(records, [expected])
    assert code in codes(outcomes), codes(outcomes)
    failing = [o for o in outcomes if o.code == code]
    assert failing[0].subject is not None and failing[0].subject.kind == "record"


def test_missing_reports_negative_ttl() -> None:
    [outcome] = run({}, [CNAME])
    assert outcome.evidence["negative_ttl"] == 120


def test_cname_at_apex() -> None:
    apex = Expected("CNAME", "@", "links.platform.example.")
    assert "dns-cname-at-apex" in codes(run({("acme.example", "CNAME"): ["links.platform.example."]}, [apex]))


def test_spf_over_ten_lookups_and_void_lookups() -> None:
    includes = " ".join(f"include:s{i}.example" for i in range(6))
    records: dict[tuple[str, str], list[str]] = {
        ("acme.example", "TXT"): [txt(f"v=spf1 include:mail.platform.example {includes} ~all")]
    }
    records[("mail.platform.example", "TXT")] = [txt("v=spf1 a mx include:n1.example include:n2.example ~all")]
    records[("n1.example", "TXT")] = [txt("v=spf1 a ~all")]
    records[("n2.example", "TXT")] = [txt("v=spf1 mx ~all")]
    for i in range(3):
        records[(f"s{i}.example", "TXT")] = [txt("v=spf1 ip4:192.0.2.1 ~all")]
    # s3..s5 do not exist: three void lookups
    outcomes = run(records, [SPF])
    assert {"spf-too-many-lookups", "spf-void-lookups"} <= set(codes(outcomes))
    many = next(o for o in outcomes if o.code == "spf-too-many-lookups")
    assert many.evidence["lookups"] > 10


def test_dkim_corrupt_and_weak_and_good() -> None:
    good = dkim_value(2048)
    exp = Expected("TXT", "pd._domainkey.acme.example", good, "DKIM")
    assert codes(run({("pd._domainkey.acme.example", "TXT"): [txt(good)]}, [exp])) == []
    truncated = good[: len(good) - 40]
    outcomes = run({("pd._domainkey.acme.example", "TXT"): [txt(truncated)]}, [exp])
    assert codes(outcomes) == ["dkim-key-corrupt"]
    weak = dkim_value(512)
    outcomes = run({("pd._domainkey.acme.example", "TXT"): [txt(weak)]}, [exp])
    assert codes(outcomes) == ["dkim-key-weak"]
    assert outcomes[0].evidence["bits"] == 512


@pytest.mark.parametrize(
    ("records", "code"),
    [
        ({("_dmarc.acme.example", "TXT"): []}, "dmarc-missing"),
        ({("_dmarc.acme.example", "TXT"): ['"v=DMARC1; p=none"', '"v=DMARC1; p=reject"']}, "dmarc-duplicate"),
        (
            {("_dmarc.acme.example", "TXT"): [], ("dmarc.acme.example", "TXT"): ['"v=DMARC1; p=none"']},
            "dmarc-wrong-name",
        ),
    ],
)
def test_dmarc(records: Mapping[tuple[str, str], Sequence[str]], code: str) -> None:
    assert codes(run(records, [], dmarc=True)) == [code]


def test_caa_forbidding_the_platform_ca() -> None:
    exp = Expected("CAA", "acme.example", '0 issue "letsencrypt.org"')
    assert codes(run({("acme.example", "CAA"): ['0 issue "letsencrypt.org"']}, [exp])) == []
    assert codes(run({}, [exp])) == []
    assert codes(run({("acme.example", "CAA"): ['0 issue "digicert.com"']}, [exp])) == ["caa-forbids-ca"]


@pytest.mark.parametrize(
    ("behaviour", "status"), [("servfail", "servfail"), ("refused", "refused"), ("slow", "timeout")]
)
def test_could_not_check_is_never_missing(behaviour: str, status: str) -> None:
    outcomes = run({}, [CNAME], behaviours={"links.acme.example": behaviour}, timeout=0.5)
    [outcome] = outcomes
    assert outcome.status is Status.ERROR and outcome.code == "dns-lookup-failed"
    assert outcome.evidence["status"] == status
    assert "127.0.0.1:" in outcome.evidence["server"]


def test_no_reachable_server() -> None:
    lookup = Lookup([("127.0.0.1", 9)], timeout=0.3)
    [outcome] = asyncio.run(verify(lookup, ZONE, [CNAME], check_dmarc=False))
    assert outcome.status is Status.ERROR
    assert outcome.evidence["status"] in ("timeout", "unreachable")


def test_truncated_udp_answer_is_retried_over_tcp() -> None:
    records = {("links.acme.example", "CNAME"): ["links.platform.example."]}
    assert codes(run(records, [CNAME], behaviours={"links.acme.example": "truncated"})) == []


# --- comparison rules, CAA tree-climbing, propagation, remedies ---------------------------------


def test_dkim_spacing_and_line_breaks_are_the_same_key() -> None:
    good = dkim_value(2048)
    exp = Expected("TXT", "pd._domainkey.acme.example", good, "DKIM")
    key = good.split("p=", 1)[1]
    respaced = "v=DKIM1;k=rsa; p=" + key[:100] + " " + key[100:]
    assert codes(run({("pd._domainkey.acme.example", "TXT"): [txt(respaced)]}, [exp])) == []
    without_k = "v=DKIM1; p=" + key  # k=rsa is the default: the same key is still the same key
    assert codes(run({("pd._domainkey.acme.example", "TXT"): [txt(without_k)]}, [exp])) == []


def test_a_different_dkim_key_is_a_wrong_value_naming_its_size() -> None:
    exp = Expected("TXT", "pd._domainkey.acme.example", dkim_value(2048), "DKIM")
    outcomes = run({("pd._domainkey.acme.example", "TXT"): [txt(dkim_value(1024))]}, [exp])
    assert codes(outcomes) == ["dns-record-wrong-value"]
    assert "1024 bits" in str(outcomes[0].observed)


def test_txt_pasted_with_backslash_escapes() -> None:
    exp = Expected("TXT", "_platform.acme.example", "v=verify1; token=abc123", "ownership")
    # Zone syntax: "\\" is one literal backslash stored in the record, as a panel would keep it.
    outcomes = run({("_platform.acme.example", "TXT"): ['"v=verify1\\\\; token=abc123"']}, [exp])
    assert codes(outcomes) == ["dns-txt-quoted"]
    assert outcomes[0].evidence["found"] == "v=verify1\\; token=abc123"


PORTAL_CAA = Expected("CAA", "portal.acme.example", '0 issue "pki.goog"', "certificate")


@pytest.mark.parametrize(
    ("records", "found"),
    [
        ({}, None),  # no CAA anywhere: any authority may issue
        ({("acme.example", "CAA"): ['0 issue "pki.goog"', '0 issue "digicert.com"']}, None),
        ({("acme.example", "CAA"): ['0 issue "pki.goog; account=42"']}, None),  # parameters after the domain
        ({("acme.example", "CAA"): ['0 iodef "mailto:it@acme.example"']}, None),  # no issue tag: no limit
        ({("acme.example", "CAA"): ['0 issue "digicert.com"']}, "acme.example"),  # the apex governs the host
        ({("acme.example", "CAA"): ['0 issue ";"']}, "acme.example"),  # nobody may issue
        (  # the closest set wins over the apex
            {
                ("portal.acme.example", "CAA"): ['0 issue "pki.goog"'],
                ("acme.example", "CAA"): ['0 issue "digicert.com"'],
            },
            None,
        ),
        (
            {
                ("portal.acme.example", "CAA"): ['0 issue "digicert.com"'],
                ("acme.example", "CAA"): ['0 issue "pki.goog"'],
            },
            "portal.acme.example",
        ),
    ],
)
def test_caa_climbs_from_the_host_to_the_apex(
    records: Mapping[tuple[str, str], Sequence[str]], found: str | None
) -> None:
    outcomes = run(records, [PORTAL_CAA])
    if found is None:
        assert codes(outcomes) == []
    else:
        assert codes(outcomes) == ["caa-forbids-ca"]
        assert outcomes[0].evidence["found_at"] == found
        assert outcomes[0].evidence["ca"] == "pki.goog"


def test_caa_lookup_failure_is_could_not_check() -> None:
    outcomes = run({}, [PORTAL_CAA], behaviours={"acme.example": "servfail"})
    assert [(o.code, o.evidence["host"]) for o in outcomes] == [("dns-lookup-failed", "acme.example")]


def test_authoritative_tells_not_propagated_from_not_published(dns_server: Server) -> None:
    """The resolver (127.0.0.1) still says NXDOMAIN; the zone's server (127.0.0.2) has the record."""
    from tests.dnsserver import Server as DnsServer

    try:
        own = DnsServer("127.0.0.2", dns_server.port)
    except OSError:
        pytest.skip("127.0.0.2 is not usable on this machine")
    try:
        delegation = {("acme.example", "NS"): ["ns1.acme.example."], ("ns1.acme.example", "A"): ["127.0.0.2"]}
        dns_server.load({**delegation, **TARGET_OK})
        own.load({**delegation, ("links.acme.example", "CNAME"): ["links.platform.example."]})

        async def judge() -> list[Outcome]:
            resolver = Lookup([dns_server.address], timeout=1.0)
            zone_servers = await resolver.authoritative(ZONE)
            assert zone_servers.nameservers == [("127.0.0.2", dns_server.port)]
            return await verify(zone_servers, ZONE, [CNAME], check_dmarc=False)

        outcomes = asyncio.run(judge())
        # The target links.platform.example is outside the zone: asked of the resolver, so not dangling.
        assert codes(outcomes) == ["dns-not-propagated"]
        assert outcomes[0].status is Status.WARN
        assert outcomes[0].evidence["negative_ttl"] == 120
        assert outcomes[0].evidence["server"] == f"127.0.0.1:{dns_server.port}"
        assert "up to 120 seconds" in _remedy(outcomes[0]) and "no change is needed" in _remedy(outcomes[0])

        own.load(delegation)  # now the zone's own server lacks it too: not published
        outcomes = asyncio.run(judge())
        assert codes(outcomes) == ["dns-record-missing"]
    finally:
        own.close()


def _remedy(outcome: Outcome, platform: str | None = None) -> str:
    from portaldoctor import report
    from portaldoctor.check import Finding
    from portaldoctor.playbooks.load import load_builtin
    from tests import factories as f

    finding = Finding(
        "dns-records", outcome.code, outcome.status, outcome.subject,
        observed=outcome.observed, expected=outcome.expected, evidence=dict(outcome.evidence),
    )  # fmt: skip
    books = load_builtin().profile(platform) if platform else load_builtin().generic
    rep = report.build([finding], books, tenant="t", platform=platform, command="dns", now=f.NOW)
    remedy = rep.items[0].remedy
    assert remedy is not None
    return " ".join([remedy.title, remedy.why, *remedy.steps, remedy.customer_message, remedy.it_note or ""])


def test_remedies_name_the_record_and_the_fix() -> None:
    [twice] = run({("links.acme.example.acme.example", "CNAME"): ["links.platform.example."]}, [CNAME])
    text = _remedy(twice)
    assert "links.acme.example.acme.example" in text and 'the label before "acme.example"' in text
    [caa] = run({("acme.example", "CAA"): ['0 issue "digicert.com"']}, [PORTAL_CAA])
    assert 'Add CAA acme.example 0 issue "pki.goog"' in _remedy(caa)
    [failed] = run({}, [CNAME], behaviours={"links.acme.example": "refused"})
    text = _remedy(failed)
    assert "refused" in text and "says nothing" in text and "not published" not in text
    [missing] = run({}, [CNAME])
    upflow = _remedy(missing, "upflow")
    assert "Settings > Deliverability" in upflow and "up to 120 seconds" in upflow
