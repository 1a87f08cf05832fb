"""TLS and HTTP observations of a portal host: the certificate presented, trust, version, HSTS.

Certificate verification is never switched off to make a check pass: the verified handshake
decides trust. An unverified handshake is made only to describe what the server presented.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class CertInfo:
    """What a certificate says, for people."""

    subject: str
    issuer: str
    sans: tuple[str, ...]
    not_before: str
    not_after: str
    key_type: str
    key_bits: int
    signature_hash: str
    self_signed: bool


@dataclass(frozen=True)
class TlsObservation:
    """One host's TLS handshake (and HTTP behaviour) as seen by the probe."""

    host: str
    port: int
    status: str  # ok, refused, timeout, error
    detail: str | None = None
    version: str | None = None
    chain_length: int = 0
    leaf: CertInfo | None = None
    verified: bool = False
    verify_code: int | None = None
    verify_message: str | None = None
    hsts: str | None = None
    http_redirect: str | None = None
    http_status: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for the evidence file."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TlsObservation:
        """Read back an observation saved by ``to_dict``."""
        leaf = data.get("leaf")
        values = {**data, "leaf": CertInfo(**{**leaf, "sans": tuple(leaf["sans"])}) if leaf else None}
        return cls(**values)


def describe(der: bytes) -> CertInfo:
    """Describe a DER certificate with cryptography."""
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa

    cert = x509.load_der_x509_certificate(der)
    try:
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        sans = tuple(str(name.value) for name in names)
    except x509.ExtensionNotFound:
        sans = ()
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        kind, bits = "RSA", key.key_size
    elif isinstance(key, ec.EllipticCurvePublicKey):
        kind, bits = f"EC {key.curve.name}", key.curve.key_size
    elif isinstance(key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
        kind, bits = type(key).__name__.replace("PublicKey", ""), 256
    else:
        kind, bits = type(key).__name__, 0
    algo = cert.signature_hash_algorithm
    return CertInfo(
        subject=cert.subject.rfc4514_string(),
        issuer=cert.issuer.rfc4514_string(),
        sans=sans,
        not_before=cert.not_valid_before_utc.isoformat(),
        not_after=cert.not_valid_after_utc.isoformat(),
        key_type=kind,
        key_bits=bits,
        signature_hash=algo.name if algo else "none",
        self_signed=cert.issuer == cert.subject,
    )


def hostname_matches(host: str, sans: tuple[str, ...]) -> bool:
    """RFC 6125 matching: exact, or a wildcard covering exactly one left-most label."""
    host = host.rstrip(".").lower()
    for name in sans:
        name = name.rstrip(".").lower()
        if name == host:
            return True
        if name.startswith("*.") and "." in host and host.split(".", 1)[1] == name[2:]:
            return True
    return False


def _handshake(
    address: str, port: int, host: str, context: ssl.SSLContext, timeout: float
) -> tuple[str | None, list[bytes]]:
    with (
        socket.create_connection((address, port), timeout=timeout) as raw,
        context.wrap_socket(raw, server_hostname=host) as tls,
    ):
        chain: list[bytes] = []
        getter = getattr(getattr(tls, "_sslobj", None), "get_unverified_chain", None)
        if getter is not None:
            chain = [c.public_bytes(ssl._ssl.ENCODING_DER) for c in getter() or []]  # type: ignore[attr-defined]
        if not chain:
            leaf = tls.getpeercert(binary_form=True)
            chain = [leaf] if leaf else []
        return tls.version(), chain


def _observe(host: str, address: str, port: int, cafile: str | None, timeout: float) -> TlsObservation:
    describe_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    describe_ctx.check_hostname = False
    describe_ctx.verify_mode = ssl.CERT_NONE  # description only; trust is decided below
    describe_ctx.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
    with contextlib.suppress(ssl.SSLError):
        describe_ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    try:
        version, chain = _handshake(address, port, host, describe_ctx, timeout)
    except ConnectionRefusedError:
        return TlsObservation(host, port, "refused", f"connection to {address}:{port} refused")
    except TimeoutError:
        return TlsObservation(host, port, "timeout", f"no TLS handshake within {timeout:g}s")
    except (OSError, ssl.SSLError) as exc:
        return TlsObservation(host, port, "error", f"{type(exc).__name__}: {exc}")
    leaf = describe(chain[0]) if chain else None
    verify_ctx = ssl.create_default_context(cafile=cafile)
    verified, code, message = True, None, None
    try:
        _handshake(address, port, host, verify_ctx, timeout)
    except ssl.SSLCertVerificationError as exc:
        verified, code, message = False, exc.verify_code, exc.verify_message
    except (OSError, ssl.SSLError) as exc:
        verified, code, message = False, None, f"{type(exc).__name__}: {exc}"
    return TlsObservation(
        host,
        port,
        "ok",
        version=version,
        chain_length=len(chain),
        leaf=leaf,
        verified=verified,
        verify_code=code,
        verify_message=message,
    )


def _https_headers(host: str, address: str, port: int, cafile: str | None, timeout: float) -> str | None:
    """HSTS header from a verified HTTPS request, connecting to ``address`` with SNI ``host``."""
    context = ssl.create_default_context(cafile=cafile)
    try:
        with (
            socket.create_connection((address, port), timeout=timeout) as raw,
            context.wrap_socket(raw, server_hostname=host) as tls,
        ):
            tls.sendall(f"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
            data = b""
            while b"\r\n\r\n" not in data and len(data) < 65536:
                chunk = tls.recv(4096)
                if not chunk:
                    break
                data += chunk
    except (OSError, ssl.SSLError):
        return None
    for line in data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "strict-transport-security":
            return value.strip()
    return None


async def observe(
    host: str,
    *,
    address: str | None = None,
    https_port: int = 443,
    http_port: int = 80,
    cafile: str | None = None,
    timeout: float = 5.0,
) -> TlsObservation:
    """Handshake, describe, verify, then look at HSTS and the http:// redirect."""
    target = address or host
    obs = await asyncio.to_thread(_observe, host, target, https_port, cafile, timeout)
    if obs.status != "ok":
        return obs
    hsts = await asyncio.to_thread(_https_headers, host, target, https_port, cafile, timeout) if obs.verified else None
    http = await asyncio.to_thread(_http_redirect, host, target, http_port, timeout)
    return TlsObservation(**{**asdict(obs), "leaf": obs.leaf, "hsts": hsts, **http})


def _http_redirect(host: str, address: str, port: int, timeout: float) -> dict[str, str | None]:
    """Where ``http://host/`` sends the browser."""
    try:
        with socket.create_connection((address, port), timeout=timeout) as sock:
            sock.sendall(f"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
            data = b""
            while b"\r\n\r\n" not in data and len(data) < 65536:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                data += chunk
    except OSError as exc:
        return {"http_status": f"unreachable ({exc.strerror or type(exc).__name__})", "http_redirect": None}
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    status = head[0].split(" ")[1] if head and len(head[0].split(" ")) > 1 else "invalid"
    location = None
    for line in head[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "location":
            location = value.strip()
    return {"http_status": status, "http_redirect": location}
