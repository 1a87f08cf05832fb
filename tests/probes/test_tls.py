"""The TLS probe against real loopback servers: description, trust decided by a verified handshake."""

from __future__ import annotations

import asyncio
from contextlib import ExitStack
from pathlib import Path

import pytest
import trustme
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from portaldoctor.probes.tlsprobe import TlsObservation, describe, hostname_matches, observe
from tests.tlsserver import HOST, hand_made, http_server, server_context


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


def look(tmp_path: Path, ca: trustme.CA, chain: bytes, key: bytes, **headers: str) -> TlsObservation:
    cafile = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(cafile))
    with ExitStack() as stack:
        https_port = stack.enter_context(http_server(headers, context=server_context(chain, key, tmp_path)))
        http_port = stack.enter_context(http_server({"Location": f"https://{HOST}/"}, 308))
        return asyncio.run(
            observe(
                HOST, address="127.0.0.1", https_port=https_port, http_port=http_port, cafile=str(cafile), timeout=3
            )
        )


@pytest.mark.parametrize(
    ("host", "names", "matches"),
    [
        ("pay.acme.example", ("pay.acme.example",), True),
        ("PAY.acme.example.", ("pay.acme.example",), True),
        ("pay.acme.example", ("*.acme.example",), True),
        ("a.pay.acme.example", ("*.acme.example",), False),  # a wildcard covers one label
        ("acme.example", ("*.acme.example",), False),
        ("pay.acme.example", ("acme.example", "www.acme.example"), False),
        ("pay.acme.example", (), False),
    ],
)
def test_hostname_matching(host: str, names: tuple[str, ...], matches: bool) -> None:
    assert hostname_matches(host, names) is matches


def test_describe_names_what_people_need(ca: trustme.CA) -> None:
    cert = ca.issue_cert(HOST, "www.portal.test")
    pem = cert.cert_chain_pems[0].bytes()
    info = describe(x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER))
    assert info.sans == (HOST, "www.portal.test")
    assert "trustme" in info.issuer.lower() and not info.self_signed
    assert info.key_type in ("RSA", "EC secp256r1") and info.key_bits >= 256
    assert info.signature_hash == "sha256" and info.not_before < info.not_after


def test_trusted_chain_version_hsts_and_redirect(tmp_path: Path, ca: trustme.CA) -> None:
    cert = ca.issue_cert(HOST)
    chain = b"".join(c.bytes() for c in cert.cert_chain_pems)
    obs = look(tmp_path, ca, chain, cert.private_key_pem.bytes(), **{"Strict-Transport-Security": "max-age=600"})
    assert obs.status == "ok" and obs.verified and obs.verify_code is None
    assert obs.version in ("TLSv1.2", "TLSv1.3")
    assert obs.hsts == "max-age=600"
    assert (obs.http_status, obs.http_redirect) == ("308", f"https://{HOST}/")
    assert TlsObservation.from_dict(obs.to_dict()) == obs


def test_missing_intermediate_is_seen_as_a_one_certificate_chain(tmp_path: Path, ca: trustme.CA) -> None:
    cert = ca.create_child_ca().issue_cert(HOST)
    obs = look(tmp_path, ca, cert.cert_chain_pems[0].bytes(), cert.private_key_pem.bytes())
    assert (obs.verified, obs.verify_code, obs.chain_length) == (False, 20, 1)
    assert obs.hsts is None  # headers are read only over a verified connection
    full = look(tmp_path, ca, b"".join(c.bytes() for c in cert.cert_chain_pems), cert.private_key_pem.bytes())
    assert (full.verified, full.chain_length) == (True, 2)


def test_a_bad_certificate_is_still_described(tmp_path: Path, ca: trustme.CA) -> None:
    obs = look(tmp_path, ca, *hand_made(names=("somebody-else.test",)))
    assert obs.status == "ok" and not obs.verified
    assert obs.leaf is not None and obs.leaf.self_signed and obs.leaf.sans == ("somebody-else.test",)


def test_refused_port() -> None:
    obs = asyncio.run(observe(HOST, address="127.0.0.1", https_port=9, timeout=1))
    assert obs.status == "refused" and "127.0.0.1:9" in (obs.detail or "")
