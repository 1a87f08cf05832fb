"""portal-https against a real TLS server on loopback, one certificate per case."""

from __future__ import annotations

import dataclasses
import datetime as dt
import ssl
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
import trustme
from portaldoctor.checks.portal_https import PortalHttps

from portaldoctor.check import Inputs, Outcome, Status
from portaldoctor.probes.bundle import make_probes
from portaldoctor.probes.tlsprobe import TlsObservation, hostname_matches
from tests import factories as f
from tests.checks.helpers import Case, Loopback, codes_of, findings_of
from tests.tlsserver import HOST, ca_key, ca_name, hand_made, http_server, server_context

HSTS = {"Strict-Transport-Security": "max-age=31536000"}


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


def probe(
    tmp_path: Path,
    ca: trustme.CA,
    cert_pem: bytes,
    key_pem: bytes,
    *,
    headers: dict[str, str] | None = None,
    redirect: str | None = f"https://{HOST}/",
    max_version: ssl.TLSVersion | None = None,
    now: dt.datetime | None = None,
    thresholds: tuple[int, int] | None = None,
) -> list[Outcome]:
    cafile = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(cafile))
    context = server_context(cert_pem, key_pem, tmp_path, max_version=max_version)
    with ExitStack() as stack:
        https_port = stack.enter_context(http_server(HSTS if headers is None else headers, context=context))
        http_port = stack.enter_context(
            http_server({"Location": redirect} if redirect else {}, 301 if redirect else 200)
        )
        tenant = f.tenant(organisation={"portal": {"host": HOST}})
        ctx = f.context(tenant, now=now or dt.datetime.now(dt.UTC))
        if thresholds:
            ctx = dataclasses.replace(ctx, inputs=Inputs(cert_warn_days=thresholds[0], cert_fail_days=thresholds[1]))
        probes = make_probes(allow_private_network=True, ca_file=str(cafile))
        probes.connect_to, probes.https_port, probes.http_port, probes.tls_timeout = (
            {HOST: "127.0.0.1"},
            https_port,
            http_port,
            3,
        )
        ctx = f.with_probes(ctx, probes)
        import asyncio

        return asyncio.run(PortalHttps().run(ctx, f.org_target(tenant)))


def codes(outcomes: list[Outcome]) -> list[str]:
    return sorted(o.code for o in outcomes if o.status in (Status.FAIL, Status.WARN, Status.ERROR))


# --- the check on tenant snippets: the certificate described, minted and served on loopback -------

CHECK = "portal-https"
PORTAL_HOST = "organisation: {portal: {host: pay.acme.example}}\n# pay.acme.example presents "

CASES = [
    Case("a valid certificate", PORTAL_HOST + "a valid certificate", []),
    Case("expired", PORTAL_HOST + "a certificate that expired 1 day ago", ["cert-expired"]),
    Case("not yet valid", PORTAL_HOST + "a certificate that becomes valid in 2 days", ["cert-not-yet-valid"]),
    Case("expiring", PORTAL_HOST + "a certificate that expires in 20 days", ["cert-expires-soon"]),
    Case("another host's", PORTAL_HOST + "a certificate issued for other.example", ["cert-hostname-mismatch"]),
    Case("self-signed", PORTAL_HOST + "a self-signed certificate", ["cert-self-signed"]),
    Case(
        "no intermediate",
        PORTAL_HOST + "its certificate without its intermediate certificate",
        ["cert-chain-incomplete"],
    ),
    Case("untrusted", PORTAL_HOST + "a certificate from an authority browsers do not trust", ["cert-untrusted"]),
    Case(
        "no HSTS, no redirect",
        PORTAL_HOST + "a valid certificate, no HSTS header, and http:// is not redirected",
        ["hsts-missing", "http-no-redirect"],
    ),
    Case(
        "a redirect elsewhere",
        PORTAL_HOST + "a valid certificate and redirects http:// to https://elsewhere.example/",
        ["http-no-redirect"],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_table(case: Case, tmp_path: Path) -> None:
    assert case.codes(CHECK, Loopback(tmp=tmp_path)) == case.expected


def test_expiry_thresholds_follow_the_options(tmp_path: Path) -> None:
    soon = PORTAL_HOST + "a certificate that expires in 20 days"
    [finding] = [x for x in findings_of(CHECK, soon, loopback=Loopback(tmp=tmp_path)) if x.code == "cert-expires-soon"]
    assert finding.status is Status.WARN
    args = "--cert-warn-days 30 --cert-fail-days 25"
    [finding] = [
        x for x in findings_of(CHECK, soon, args, loopback=Loopback(tmp=tmp_path)) if x.code == "cert-expires-soon"
    ]
    assert finding.status is Status.FAIL
    assert codes_of(CHECK, soon, "--cert-warn-days 10 --cert-fail-days 5", loopback=Loopback(tmp=tmp_path)) == []


def leaf(ca: trustme.CA, *names: str, **kw: Any) -> tuple[bytes, bytes]:
    if "not_after" in kw:  # trustme honours not_after only together with not_before
        kw.setdefault("not_before", dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
    cert = ca.issue_cert(*(names or (HOST,)), **kw)
    return b"".join(c.bytes() for c in cert.cert_chain_pems), cert.private_key_pem.bytes()


def test_valid_certificate_passes(tmp_path: Path, ca: trustme.CA) -> None:
    assert codes(probe(tmp_path, ca, *leaf(ca))) == []


def test_expired(tmp_path: Path, ca: trustme.CA) -> None:
    now = dt.datetime.now(dt.UTC)
    outcomes = probe(
        tmp_path, ca, *leaf(ca, not_before=now - dt.timedelta(days=60), not_after=now - dt.timedelta(days=1))
    )
    assert "cert-expired" in codes(outcomes)
    expired = next(o for o in outcomes if o.code == "cert-expired")
    assert "subject" in expired.evidence["certificate"] and HOST in expired.evidence["certificate"]


def test_not_yet_valid(tmp_path: Path, ca: trustme.CA) -> None:
    now = dt.datetime.now(dt.UTC)
    outcomes = probe(
        tmp_path, ca, *leaf(ca, not_before=now + dt.timedelta(days=2), not_after=now + dt.timedelta(days=90))
    )
    assert "cert-not-yet-valid" in codes(outcomes)


@pytest.mark.parametrize(("days", "status"), [(20, Status.WARN), (5, Status.FAIL), (60, None)])
def test_days_left_thresholds(tmp_path: Path, ca: trustme.CA, days: int, status: Status | None) -> None:
    now = dt.datetime.now(dt.UTC)
    outcomes = probe(
        tmp_path, ca, *leaf(ca, not_before=now - dt.timedelta(days=1), not_after=now + dt.timedelta(days=days, hours=1))
    )
    soon = [o for o in outcomes if o.code == "cert-expires-soon"]
    assert [o.status for o in soon] == ([status] if status else [])


def test_thresholds_are_configurable(tmp_path: Path, ca: trustme.CA) -> None:
    now = dt.datetime.now(dt.UTC)
    outcomes = probe(tmp_path, ca, *leaf(ca, not_after=now + dt.timedelta(days=40)), thresholds=(45, 41))
    assert [o.status for o in outcomes if o.code == "cert-expires-soon"] == [Status.FAIL]


def test_wrong_host(tmp_path: Path, ca: trustme.CA) -> None:
    outcomes = probe(tmp_path, ca, *leaf(ca, "other.test"))
    assert "cert-hostname-mismatch" in codes(outcomes)
    assert "cert-untrusted" not in codes(outcomes)


def test_wildcards_cover_one_label() -> None:
    assert hostname_matches("pay.acme.example", ("*.acme.example",))
    assert not hostname_matches("a.pay.acme.example", ("*.acme.example",))
    assert not hostname_matches("acme.example", ("*.acme.example",))


def test_self_signed(tmp_path: Path, ca: trustme.CA) -> None:
    assert "cert-self-signed" in codes(probe(tmp_path, ca, *hand_made()))


def test_missing_intermediate(tmp_path: Path, ca: trustme.CA) -> None:
    child = ca.create_child_ca()
    cert = child.issue_cert(HOST)
    only_leaf = cert.cert_chain_pems[0].bytes()
    assert codes(probe(tmp_path, ca, only_leaf, cert.private_key_pem.bytes())) == ["cert-chain-incomplete"]
    full = b"".join(c.bytes() for c in cert.cert_chain_pems)
    assert codes(probe(tmp_path, ca, full, cert.private_key_pem.bytes())) == []


def test_untrusted_chain(tmp_path: Path, ca: trustme.CA) -> None:
    # A complete chain (leaf and intermediate) from an authority the client does not trust.
    cert = trustme.CA().create_child_ca().issue_cert(HOST)
    chain = b"".join(c.bytes() for c in cert.cert_chain_pems)
    outcomes = probe(tmp_path, ca, chain, cert.private_key_pem.bytes())
    assert codes(outcomes) == ["cert-untrusted"]
    presented = outcomes[0].evidence["certificate"]
    assert f"SANs {HOST}" in presented and "issuer" in presented


def test_weak_key_and_sha1(tmp_path: Path, ca: trustme.CA) -> None:
    cert, key = hand_made(issuer_key=ca_key(ca), issuer_name=ca_name(ca), key_bits=1024)
    assert "cert-weak-key" in codes(probe(tmp_path, ca, cert, key))


def test_hsts_and_redirect(tmp_path: Path, ca: trustme.CA) -> None:
    assert codes(probe(tmp_path, ca, *leaf(ca), headers={}, redirect=None)) == ["hsts-missing", "http-no-redirect"]
    assert "http-no-redirect" in codes(probe(tmp_path, ca, *leaf(ca), redirect="https://elsewhere.test/"))


def test_old_tls_version(tmp_path: Path, ca: trustme.CA) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        old = ssl.TLSVersion.TLSv1_1
    try:
        outcomes = probe(tmp_path, ca, *leaf(ca), max_version=old)
    except ssl.SSLError:
        pytest.skip("this OpenSSL build cannot serve TLS 1.1")
    if any(o.code == "https-unreachable" for o in outcomes):
        pytest.skip("this OpenSSL build refuses TLS 1.1 handshakes")
    assert "tls-version-old" in codes(outcomes)


def test_refused_connection_is_could_not_check(tmp_path: Path) -> None:
    tenant = f.tenant(organisation={"portal": {"host": HOST}})
    probes = make_probes(allow_private_network=True)
    probes.connect_to, probes.https_port, probes.tls_timeout = {HOST: "127.0.0.1"}, 9, 1
    ctx = f.with_probes(f.context(tenant), probes)
    import asyncio

    [outcome] = asyncio.run(PortalHttps().run(ctx, f.org_target(tenant)))
    assert outcome.status is Status.ERROR and outcome.code == "https-unreachable"


def test_private_addresses_are_refused_without_the_flag() -> None:
    tenant = f.tenant(organisation={"portal": {"host": "localhost"}})
    ctx = f.with_probes(f.context(tenant), make_probes())
    import asyncio

    [outcome] = asyncio.run(PortalHttps().run(ctx, f.org_target(tenant)))
    assert outcome.status is Status.SKIP and "--allow-private-network" in (outcome.reason or "")


def test_judging_a_replayed_observation_is_deterministic() -> None:
    obs = TlsObservation(
        HOST,
        443,
        "ok",
        version="TLSv1.3",
        chain_length=2,
        verified=True,
        hsts="max-age=1",
        http_redirect=f"https://{HOST}/",
        http_status="301",
    )
    from portaldoctor.check import Subject

    again = TlsObservation.from_dict(obs.to_dict())
    assert (
        PortalHttps().judge(again, dt.datetime.now(dt.UTC), Subject("host", HOST, HOST), 30, 7, hostname_matches) == []
    )


def test_weak_signature_hash_is_reported() -> None:
    # This OpenSSL refuses to sign with SHA-1, so the observation is built as the probe records
    # it (the same path a replayed recording takes).
    from portaldoctor.check import Subject
    from portaldoctor.probes.tlsprobe import CertInfo

    now = dt.datetime.now(dt.UTC)
    leaf = CertInfo(
        subject=f"CN={HOST}", issuer="CN=Old CA", sans=(HOST,), not_before=(now - dt.timedelta(days=5)).isoformat(),
        not_after=(now + dt.timedelta(days=200)).isoformat(), key_type="RSA", key_bits=2048, signature_hash="sha1",
        self_signed=False,
    )  # fmt: skip
    obs = TlsObservation(
        HOST,
        443,
        "ok",
        version="TLSv1.2",
        chain_length=2,
        leaf=leaf,
        verified=True,
        hsts="max-age=1",
        http_redirect=f"https://{HOST}/",
        http_status="301",
    )
    outcomes = PortalHttps().judge(obs, now, Subject("host", HOST, HOST), 30, 7, hostname_matches)
    assert codes(outcomes) == ["cert-weak-signature"]
    assert outcomes[0].evidence["hash"] == "sha1"


@pytest.mark.parametrize(
    ("host", "refused"),
    [
        ("127.0.0.1", "private address 127.0.0.1"),
        ("10.1.2.3", "private address 10.1.2.3"),
        ("169.254.169.254", "metadata address"),
        ("fe80::1", "private address fe80::1"),
        ("192.0.2.10", "private address"),  # documentation range: reserved, never a real portal
        ("93.184.215.14", None),
    ],
)
def test_network_safety_vets_each_address(host: str, refused: str | None) -> None:
    from portaldoctor.probes.netguard import vet

    address, reason = vet(host)
    if refused is None:
        assert (address, reason) == (host, None)
    else:
        assert address is None and reason is not None and refused in reason
