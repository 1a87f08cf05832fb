"""Verify a token's signature with a key the agent supplies; the key itself is never printed."""

from __future__ import annotations

import enum
import hashlib
import json
import logging
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from portaldoctor.errors import InputError
from portaldoctor.knowledge.tokens.formats import (
    MAX_KEY_BYTES,
    SUPPORTED_ALGS,
    DecodedToken,
    TokenKind,
    b64decode,
    first_line,
    loads_json,
)

log = logging.getLogger(__name__)


class KeyKind(str, enum.Enum):
    """What a key file or variable holds."""

    SECRET = "secret"
    RSA = "RSA public key"
    EC = "EC public key"
    OKP = "Ed25519/Ed448 public key"
    JWKS = "JWKS"


@dataclass(frozen=True)
class Key:
    """Key material for verification; never printed, only its kind, origin and fingerprint."""

    kind: KeyKind
    origin: str
    """``file PATH`` or ``environment variable NAME``."""
    secret: bytes = b""
    public: Any = None
    """A cryptography public key object for PEM keys."""
    jwks: tuple[Mapping[str, Any], ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def fingerprint(self) -> str:
        """Short SHA-256 of the key material, to tell keys apart in output."""
        if self.kind is KeyKind.SECRET:
            data = self.secret
        elif self.kind is KeyKind.JWKS:
            data = json.dumps(list(self.jwks), sort_keys=True, default=str).encode()
        else:
            from cryptography.hazmat.primitives import serialization

            data = self.public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        return hashlib.sha256(data).hexdigest()[:6]


def _pem_public(data: bytes, origin: str) -> Key:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa

    notes: tuple[str, ...] = ()
    try:
        if b"CERTIFICATE-----" in data:
            public: Any = x509.load_pem_x509_certificate(data).public_key()
        elif b"PRIVATE KEY-----" in data:
            public = serialization.load_pem_private_key(data, password=None).public_key()
            notes = ("a private key was given; only its public half is used, and it should not be shared",)
        else:
            public = serialization.load_pem_public_key(data)
    except (ValueError, TypeError) as exc:
        raise InputError(f"{origin} holds a PEM block that cannot be read: {first_line(exc)}") from None
    if isinstance(public, rsa.RSAPublicKey):
        kind = KeyKind.RSA
    elif isinstance(public, ec.EllipticCurvePublicKey):
        kind = KeyKind.EC
    elif isinstance(public, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
        kind = KeyKind.OKP
    else:
        raise InputError(f"{origin} holds a {type(public).__name__}, which JWTs do not use")
    return Key(kind=kind, origin=origin, public=public, notes=notes)


def parse_key(data: bytes, origin: str) -> Key:
    """Classify key material: PEM (public, private or certificate), JWKS / JWK JSON, else a secret."""
    if len(data) > MAX_KEY_BYTES:
        raise InputError(f"{origin} is larger than any key ({len(data):,} bytes)")
    stripped = data.strip()
    if not stripped:
        raise InputError(f"{origin} is empty")
    if stripped.startswith(b"-----BEGIN"):
        return _pem_public(stripped, origin)
    if stripped.startswith(b"{"):
        doc = loads_json(stripped)
        if isinstance(doc, dict) and isinstance(doc.get("keys"), list):
            keys = tuple(k for k in doc["keys"] if isinstance(k, dict))
            if not keys:
                raise InputError(f"{origin} is a JWKS without usable keys")
            return Key(kind=KeyKind.JWKS, origin=origin, jwks=keys)
        if isinstance(doc, dict) and "kty" in doc:
            return Key(kind=KeyKind.JWKS, origin=origin, jwks=(doc,))
    # A secret file usually ends with a newline that is not part of the secret.
    return Key(kind=KeyKind.SECRET, origin=origin, secret=data.rstrip(b"\r\n"))


class VerifyStatus(str, enum.Enum):
    """Result of checking a token's signature with a key."""

    VALID = "valid"
    BAD_SIGNATURE = "bad-signature"
    WRONG_KEY_TYPE = "wrong-key-type"
    WRONG_ALGORITHM = "wrong-algorithm"
    NO_MATCHING_KEY = "no-matching-key"
    UNSIGNED = "unsigned"
    NOT_SUPPORTED = "not-supported"


@dataclass(frozen=True)
class Verification:
    """What checking the signature found, as a finding rather than an exception."""

    status: VerifyStatus
    detail: str
    key_origin: str
    key_kind: str
    key_fingerprint: str
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True only when the signature was checked and matches."""
        return self.status is VerifyStatus.VALID


_ALG_FAMILY = {"HS": KeyKind.SECRET, "RS": KeyKind.RSA, "PS": KeyKind.RSA, "ES": KeyKind.EC, "Ed": KeyKind.OKP}
_KTY = {"oct": KeyKind.SECRET, "RSA": KeyKind.RSA, "EC": KeyKind.EC, "OKP": KeyKind.OKP}


def _result(key: Key, status: VerifyStatus, detail: str, *notes: str) -> Verification:
    return Verification(status, detail, key.origin, key.kind.value, key.fingerprint, notes + key.notes)


def verify(
    token: DecodedToken, key: Key, *, algorithms: Sequence[str] | None = None, salt: str | None = None
) -> Verification:
    """Check a token's signature. Every failure is a Verification, never an exception."""
    if token.kind is TokenKind.JWT:
        return _verify_jwt(token, key, algorithms)
    if token.kind is TokenKind.FERNET:
        return _verify_fernet(token, key)
    if token.kind is TokenKind.ITSDANGEROUS:
        return _verify_itsdangerous(token, key, salt)
    return _result(
        key,
        VerifyStatus.NOT_SUPPORTED,
        f"{token.kind.label}: signature checks are supported for JWT, Fernet and itsdangerous only",
    )


def _jwk_key(token: DecodedToken, key: Key) -> tuple[Any, KeyKind, str | None] | Verification:
    """Pick the JWKS entry for the token (by kid, or the only one) as a key object."""
    import jwt

    kid = token.header.get("kid")
    candidates = [k for k in key.jwks if kid is not None and k.get("kid") == kid]
    if not candidates and len(key.jwks) == 1 and (kid is None or "kid" not in key.jwks[0]):
        candidates = list(key.jwks)
    if not candidates:
        known = ", ".join(str(k.get("kid")) for k in key.jwks[:8])
        return _result(
            key,
            VerifyStatus.NO_MATCHING_KEY,
            f"no key in the JWKS has kid {kid!r} (it has: {known}); the signing key may have rotated",
        )
    jwk = candidates[0]
    kind = _KTY.get(str(jwk.get("kty")))
    if kind is None:
        return _result(key, VerifyStatus.WRONG_KEY_TYPE, f"JWKS key type {jwk.get('kty')!r} is not usable")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            obj = jwt.PyJWK(dict(jwk), algorithm=str(token.algorithm)).key
    except (jwt.PyJWTError, ValueError, TypeError, KeyError) as exc:
        return _result(key, VerifyStatus.WRONG_KEY_TYPE, f"JWKS key unusable for {token.algorithm}: {first_line(exc)}")
    alg = jwk.get("alg")
    return obj, kind, alg if isinstance(alg, str) else None


def _verify_jwt(token: DecodedToken, key: Key, algorithms: Sequence[str] | None) -> Verification:
    import jwt

    alg = token.algorithm or ""
    if alg.lower() == "none":
        return _result(key, VerifyStatus.UNSIGNED, "alg is 'none': there is no signature to check")
    if algorithms and alg not in algorithms:
        return _result(key, VerifyStatus.WRONG_ALGORITHM, f"the token uses {alg}; expected {', '.join(algorithms)}")
    if alg not in SUPPORTED_ALGS:
        return _result(key, VerifyStatus.WRONG_ALGORITHM, f"alg '{alg}' is not an algorithm we can verify")
    if key.kind is KeyKind.JWKS:
        picked = _jwk_key(token, key)
        if isinstance(picked, Verification):
            return picked
        key_obj, kind, jwk_alg = picked
        if jwk_alg and jwk_alg != alg:
            return _result(key, VerifyStatus.WRONG_ALGORITHM, f"the token uses {alg} but its JWKS key is for {jwk_alg}")
    else:
        key_obj, kind = (key.secret if key.kind is KeyKind.SECRET else key.public), key.kind
    needed = _ALG_FAMILY[alg[:2]]
    if kind is not needed:
        if needed is KeyKind.SECRET:
            return _result(
                key,
                VerifyStatus.WRONG_ALGORITHM,
                f"the token claims {alg}, a shared-secret algorithm, but the key is an {kind.value}: "
                "a token signed by this key's owner would use an asymmetric algorithm "
                "(an HS token checked against a public key is the algorithm-confusion attack)",
            )
        return _result(
            key,
            VerifyStatus.WRONG_KEY_TYPE,
            f"a {alg} signature needs an {needed.value}; the key given is an {kind.value}",
        )
    options = {"verify_exp": False, "verify_nbf": False, "verify_iat": False, "verify_aud": False, "verify_iss": False}
    notes: list[str] = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            jwt.decode(token.raw, key_obj, algorithms=[alg], options=options)  # type: ignore[arg-type]
        notes += [first_line(w.message) for w in caught]  # type: ignore[arg-type]
    except jwt.InvalidSignatureError:
        return _result(key, VerifyStatus.BAD_SIGNATURE, f"the {alg} signature does not match this key")
    except jwt.InvalidAlgorithmError as exc:
        return _result(key, VerifyStatus.WRONG_ALGORITHM, first_line(exc))
    except jwt.InvalidKeyError as exc:
        return _result(key, VerifyStatus.WRONG_KEY_TYPE, first_line(exc))
    except (jwt.PyJWTError, ValueError, TypeError) as exc:
        return _result(key, VerifyStatus.BAD_SIGNATURE, f"verification failed: {first_line(exc)}")
    return _result(key, VerifyStatus.VALID, f"{alg} signature matches the key", *notes)


def _verify_fernet(token: DecodedToken, key: Key) -> Verification:
    from cryptography.fernet import Fernet, InvalidToken

    if key.kind is not KeyKind.SECRET:
        return _result(key, VerifyStatus.WRONG_KEY_TYPE, f"a Fernet token needs a Fernet key, not an {key.kind.value}")
    try:
        fernet = Fernet(key.secret)
    except (ValueError, TypeError):
        return _result(
            key,
            VerifyStatus.WRONG_KEY_TYPE,
            "not a Fernet key: one is 32 bytes in url-safe base64 (44 characters ending in '=')",
        )
    try:
        fernet.extract_timestamp(token.raw)
    except InvalidToken:
        return _result(key, VerifyStatus.BAD_SIGNATURE, "the token's HMAC does not match this Fernet key")
    return _result(key, VerifyStatus.VALID, "HMAC matches the Fernet key")


def _verify_itsdangerous(token: DecodedToken, key: Key, salt: str | None) -> Verification:
    from itsdangerous import Signer

    if key.kind is not KeyKind.SECRET:
        needs = f"an itsdangerous token needs a secret, not an {key.kind.value}"
        return _result(key, VerifyStatus.WRONG_KEY_TYPE, needs)
    value, _, signature = token.raw.rpartition(".")
    digest_size = len(b64decode(signature))
    digests = {20: hashlib.sha1, 28: hashlib.sha224, 32: hashlib.sha256, 48: hashlib.sha384, 64: hashlib.sha512}
    digest = digests[digest_size]
    # The salt is not in the token: try the caller's, else the library and Flask defaults.
    salts = [salt] if salt is not None else ["itsdangerous", "itsdangerous.Signer", "cookie-session"]
    for each in salts:
        for derivation in ("django-concat", "hmac", "concat", "none"):
            signer = Signer(key.secret, salt=each, key_derivation=derivation, digest_method=digest)
            if signer.verify_signature(value.encode(), signature.encode()):
                return _result(
                    key, VerifyStatus.VALID, f"signature matches (salt {each!r}, key derivation {derivation})"
                )
    tried = "the salt given" if salt is not None else "the usual salts; pass --salt if the app sets its own"
    return _result(key, VerifyStatus.BAD_SIGNATURE, f"the signature does not match this secret with {tried}")
