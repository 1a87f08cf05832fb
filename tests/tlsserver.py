"""Real TLS and plain-HTTP servers on loopback, with certificates made by trustme / cryptography."""

from __future__ import annotations

import datetime as dt
import ssl
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import trustme
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

HOST = "portal.test"


def _handler(headers: dict[str, str], status: int = 200) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def http_server(headers: dict[str, str], status: int = 200, context: ssl.SSLContext | None = None) -> Iterator[int]:
    """An HTTP (or, with ``context``, HTTPS) server on 127.0.0.1; yields its port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(headers, status))
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def server_context(
    cert_pem: bytes, key_pem: bytes, tmp: Path, *, max_version: ssl.TLSVersion | None = None
) -> ssl.SSLContext:
    """A server context presenting exactly the PEM chain given."""
    chain, key = tmp / "chain.pem", tmp / "key.pem"
    chain.write_bytes(cert_pem)
    key.write_bytes(key_pem)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.set_ciphers("DEFAULT:@SECLEVEL=0")  # let the tests serve weak keys and old versions on purpose
    ctx.load_cert_chain(chain, key)
    if max_version is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            ctx.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
            ctx.maximum_version = max_version
    return ctx


def hand_made(
    *,
    issuer_key: Any = None,
    issuer_name: x509.Name | None = None,
    key_bits: int = 2048,
    names: tuple[str, ...] = (HOST,),
    days: tuple[int, int] = (-1, 90),
    hash_algo: Any = None,
) -> tuple[bytes, bytes]:
    """A certificate made with cryptography: self-signed unless an issuer is given."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=key_bits)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name or subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + dt.timedelta(days=days[0]))
        .not_valid_after(now + dt.timedelta(days=days[1]))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
        .sign(issuer_key or key, hash_algo or hashes.SHA256())
    )
    pem = cert.public_bytes(serialization.Encoding.PEM)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return pem, key_pem


def ca_key(ca: trustme.CA) -> Any:
    """The private key of a trustme CA (to sign hand-made certificates)."""
    return serialization.load_pem_private_key(ca.private_key_pem.bytes(), password=None)


def ca_name(ca: trustme.CA) -> x509.Name:
    """The subject of a trustme CA."""
    return x509.load_pem_x509_certificate(ca.cert_pem.bytes()).subject
