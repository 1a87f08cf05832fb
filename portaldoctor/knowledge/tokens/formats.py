"""Recognise and read the tokens that portal and invitation links carry, without any secret."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import enum
import json
import logging
import math
import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from portaldoctor.errors import InputError

log = logging.getLogger(__name__)

MAX_INPUT = 16_384
"""Longest token or URL accepted; real links are far shorter, and this bounds the work."""
MAX_KEY_BYTES = 1_048_576
FUTURE_SKEW = dt.timedelta(seconds=60)
"""Clock skew tolerated before a token counts as issued in the future (Fernet's own allowance)."""
DJANGO_EPOCH = dt.datetime(2001, 1, 1, tzinfo=dt.UTC)
DJANGO_DEFAULT_TIMEOUT = dt.timedelta(days=3)
"""Django's PASSWORD_RESET_TIMEOUT default since 3.1."""
_EMPTY: Mapping[str, Any] = MappingProxyType({})


class TokenError(InputError):
    """The one error the decoder raises: input it cannot read as a token (one line, exit 2)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)


class TokenKind(str, enum.Enum):
    """Token formats the decoder recognises."""

    JWT = "jwt"
    JWE = "jwe"
    FERNET = "fernet"
    ITSDANGEROUS = "itsdangerous"
    DJANGO_RESET = "django-reset"
    LARAVEL_SIGNED_URL = "laravel-signed-url"
    RAILS_MESSAGE = "rails-signed-message"
    DEVISE_INVITATION = "devise-invitation"
    OPAQUE = "opaque"

    @property
    def label(self) -> str:
        """Human name of the format."""
        return _LABELS[self]


_LABELS = {
    TokenKind.JWT: "JSON Web Token (signed, JWS)",
    TokenKind.JWE: "JSON Web Token (encrypted, JWE)",
    TokenKind.FERNET: "Fernet token",
    TokenKind.ITSDANGEROUS: "itsdangerous timed token",
    TokenKind.DJANGO_RESET: "Django password-reset token",
    TokenKind.LARAVEL_SIGNED_URL: "Laravel-style signed URL",
    TokenKind.RAILS_MESSAGE: "Rails signed message",
    TokenKind.DEVISE_INVITATION: "devise-style invitation token",
    TokenKind.OPAQUE: "opaque token",
}


@dataclass(frozen=True)
class Flag:
    """Something wrong or risky about a token itself, independent of the clock."""

    code: str
    """Stable id: ``alg-none``, ``weak-algorithm``, ``bad-claim``, ``unreadable-payload``."""
    message: str


@dataclass(frozen=True)
class DecodedToken:
    """What can be read from a token without any secret."""

    kind: TokenKind
    raw: str
    """The token text itself: a secret, print only through ``portaldoctor.knowledge.redaction``."""
    location: str = "argument"
    """Where it was found: the whole argument, a query parameter, a path segment."""
    url: str | None = None
    """The URL the token came from, when one was given."""
    issued_at: dt.datetime | None = None
    not_before: dt.datetime | None = None
    expires_at: dt.datetime | None = None
    """Expiry written in the token itself; None when the token does not carry one."""
    default_lifetime: dt.timedelta | None = None
    """The framework's default lifetime when the token holds only its creation time."""
    algorithm: str | None = None
    header: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    claims: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    purpose: str | None = None
    readable: bool = True
    """False when the payload is encrypted or in a format we do not read."""
    flags: tuple[Flag, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def datable(self) -> bool:
        """True when the token itself says when it was made or when it expires."""
        return any(t is not None for t in (self.issued_at, self.not_before, self.expires_at))

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every string that must not be printed in full."""
        return tuple(s for s in (self.raw, self.url) if s)


# --------------------------------------------------------------------------------------------
# helpers


def b64decode(text: str, *, urlsafe: bool = True, strict_padding: bool = False) -> bytes:
    """Decode base64 (url-safe or standard), tolerating missing padding but nothing else."""
    if strict_padding and len(text) % 4:
        raise TokenError("wrong base64 padding: the length is not a multiple of 4 (truncated?)")
    body = text.rstrip("=")
    if "=" in body:
        raise TokenError("'=' inside base64 text: padding in the wrong place")
    if len(body) % 4 == 1:
        raise TokenError("base64 text of impossible length: the token looks truncated")
    padded = body + "=" * (-len(body) % 4)
    try:
        return base64.b64decode(padded, altchars=b"-_" if urlsafe else None, validate=True)
    except (binascii.Error, ValueError):
        raise TokenError("not valid base64: a character outside the alphabet") from None


def loads_json(data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None


def from_timestamp(value: Any) -> dt.datetime | None:
    """A Unix timestamp (seconds) as aware UTC, or None when it is not a usable number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    try:
        return dt.datetime.fromtimestamp(value, dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _parse_iso(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def check_text(text: str) -> str:
    """The common gate: size, encoding and characters, before any parsing."""
    if len(text) > MAX_INPUT:
        raise TokenError(f"input is {len(text):,} characters long; tokens and links are under {MAX_INPUT:,}")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise TokenError("input is not valid UTF-8 text (undecodable bytes)") from None
    stripped = text.strip()
    if not stripped:
        raise TokenError("empty input: give a token or the link that carries one")
    if any(ch.isspace() or not ch.isprintable() for ch in stripped):
        raise TokenError("input contains spaces or control characters; paste the token or link only")
    return stripped


# --------------------------------------------------------------------------------------------
# formats

_B64URL_PART = re.compile(r"^[A-Za-z0-9_-]*$")
_RAILS = re.compile(r"^(?P<data>[A-Za-z0-9+/_\-]+={0,2})--(?P<digest>[0-9a-f]{40,128})$")
_DJANGO = re.compile(r"^(?P<ts>[0-9a-z]{1,8})-(?P<hash>[0-9a-f]{20,})$")
_DJANGO_PATH = re.compile(r"/reset/(?P<uid>[A-Za-z0-9_\-]+)/(?P<token>[0-9a-z]{1,8}-[0-9a-f]{20,})/?")
_OPAQUE = re.compile(r"^[A-Za-z0-9_\-~.+/%]{16,}={0,2}$")
SUPPORTED_ALGS = frozenset(
    {
        "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
        "ES256", "ES256K", "ES384", "ES512", "EdDSA", "Ed25519",
    }
)  # fmt: skip
_TOKEN_PARAMS = (
    "token",
    "t",
    "invitation_token",
    "reset_token",
    "access_token",
    "jwt",
    "sgid",
    "signed_id",
    "key",
    "code",
    "tok",
)


def _jwt_header(first: str) -> Mapping[str, Any] | None:
    """The header of a JWT-shaped token, or None when the first part is not a JOSE header."""
    # Trailing '=' is tolerated here so that a padded JWT is reported as such, not as unknown.
    body = first.rstrip("=")
    if not body.startswith("eyJ") or not _B64URL_PART.match(body):
        return None
    try:
        header = loads_json(b64decode(body))
    except TokenError:
        return None
    return header if isinstance(header, dict) and "alg" in header else None


def _numeric_claim(claims: Mapping[str, Any], name: str, flags: list[Flag]) -> dt.datetime | None:
    if name not in claims:
        return None
    moment = from_timestamp(claims[name])
    if moment is None:
        flags.append(Flag("bad-claim", f"'{name}' is not a usable date: {str(claims[name])[:40]!r}"))
    return moment


def _decode_jwt(raw: str, header: Mapping[str, Any]) -> DecodedToken:
    import jwt

    parts = raw.split(".")
    if not all(_B64URL_PART.match(p) for p in parts):
        raise TokenError("JWT parts must be unpadded base64url; found '=' or other characters")
    options = {
        "verify_signature": False,
        "verify_exp": False,
        "verify_nbf": False,
        "verify_iat": False,
        "verify_aud": False,
        "verify_iss": False,
    }
    try:
        claims = jwt.decode(raw, options=options)  # type: ignore[arg-type]
    except (jwt.PyJWTError, ValueError, TypeError, RecursionError) as exc:
        raise TokenError(f"looks like a JWT but cannot be decoded: {first_line(exc)}") from None
    alg = header.get("alg")
    alg_text = alg if isinstance(alg, str) else str(alg)
    flags: list[Flag] = []
    notes: list[str] = []
    if alg_text.lower() == "none":
        flags.append(Flag("alg-none", "alg is 'none': the token is not signed at all"))
    elif alg_text not in SUPPORTED_ALGS:
        flags.append(Flag("weak-algorithm", f"alg '{alg_text}' is not a recognised safe algorithm"))
    elif alg_text.startswith("HS"):
        notes.append("signed with a shared secret (HMAC): anyone holding the secret can mint tokens")
    issued = _numeric_claim(claims, "iat", flags)
    not_before = _numeric_claim(claims, "nbf", flags)
    expires = _numeric_claim(claims, "exp", flags)
    if expires is None and "exp" not in claims:
        notes.append("no 'exp' claim: the token never expires by itself")
    purpose = claims.get("purpose") or claims.get("pur") or claims.get("typ") or header.get("typ")
    return DecodedToken(
        kind=TokenKind.JWT,
        raw=raw,
        issued_at=issued,
        not_before=not_before,
        expires_at=expires,
        algorithm=alg_text,
        header=MappingProxyType(dict(header)),
        claims=MappingProxyType(dict(claims)),
        purpose=purpose if isinstance(purpose, str) else None,
        flags=tuple(flags),
        notes=tuple(notes),
    )


def _decode_jwe(raw: str) -> DecodedToken:
    parts = raw.split(".")
    header = _jwt_header(parts[0])
    if header is None or not all(_B64URL_PART.match(p) for p in parts):
        raise TokenError("five dot-separated parts like an encrypted JWT (JWE), but the header is unreadable")
    return DecodedToken(
        kind=TokenKind.JWE,
        raw=raw,
        algorithm=str(header.get("alg")),
        header=MappingProxyType(dict(header)),
        readable=False,
        notes=("encrypted (JWE): its claims and dates cannot be read without the private key",),
    )


def _decode_fernet(raw: str) -> DecodedToken:
    data = b64decode(raw, strict_padding=True)
    # version (1) + timestamp (8) + IV (16) + ciphertext (n*16, n >= 1) + HMAC (32)
    if data[:1] != b"\x80" or len(data) < 73 or (len(data) - 57) % 16:
        raise TokenError(f"starts like a Fernet token but has {len(data)} bytes; a whole one has 73, 89, 105, …")
    issued = from_timestamp(int.from_bytes(data[1:9], "big"))
    flags = [] if issued else [Flag("bad-claim", "the creation time in the token is out of range")]
    return DecodedToken(
        kind=TokenKind.FERNET,
        raw=raw,
        issued_at=issued,
        readable=False,
        algorithm="AES-128-CBC + HMAC-SHA256",
        flags=tuple(flags),
        notes=(
            "the payload is encrypted; only the creation time is readable",
            "expiry is the ttl the application passes when it decrypts: not in the token",
        ),
    )


def _itsdangerous_payload(payload: str, compressed: bool) -> Mapping[str, Any]:
    try:
        data = b64decode(payload)
        if compressed:
            data = zlib.decompressobj().decompress(data, 65_536)
    except (TokenError, zlib.error):
        return MappingProxyType({"value": payload[:60]})
    value = loads_json(data)
    if isinstance(value, dict):
        return MappingProxyType(value)
    if value is not None:
        return MappingProxyType({"value": value})
    return MappingProxyType({})


def _decode_itsdangerous(raw: str) -> DecodedToken | None:
    compressed = raw.startswith(".")
    parts = (raw[1:] if compressed else raw).split(".")
    if len(parts) < 3 or not _B64URL_PART.match(parts[-1]) or not _B64URL_PART.match(parts[-2]):
        return None
    try:
        stamp = b64decode(parts[-2])
        signature = b64decode(parts[-1])
    except TokenError:
        return None
    if not 1 <= len(stamp) <= 8 or len(signature) not in (20, 28, 32, 48, 64):
        return None
    issued = from_timestamp(int.from_bytes(stamp, "big"))
    # Timestamps before itsdangerous existed mean the middle part is not a signing time.
    if issued is None or not dt.datetime(2010, 1, 1, tzinfo=dt.UTC) <= issued <= dt.datetime(2200, 1, 1, tzinfo=dt.UTC):
        return None
    digest = {20: "sha1", 28: "sha224", 32: "sha256", 48: "sha384", 64: "sha512"}[len(signature)]
    return DecodedToken(
        kind=TokenKind.ITSDANGEROUS,
        raw=raw,
        issued_at=issued,
        algorithm=f"HMAC-{digest.upper()}",
        claims=_itsdangerous_payload(".".join(parts[:-2]), compressed),
        notes=("expiry is the max_age the application checks against: not in the token",),
    )


def _decode_rails(raw: str, match: re.Match[str]) -> DecodedToken:
    data = match.group("data")
    if data.startswith("BAh"):
        return DecodedToken(
            kind=TokenKind.RAILS_MESSAGE,
            raw=raw,
            algorithm="HMAC",
            readable=False,
            notes=("Ruby Marshal payload: not readable here; dates need the application",),
        )
    urlsafe = "-" in data or "_" in data
    envelope = loads_json(b64decode(data, urlsafe=urlsafe))
    if not isinstance(envelope, dict):
        raise TokenError("looks like a Rails signed message but the part before '--' is not JSON")
    meta = envelope.get("_rails")
    if not isinstance(meta, dict):
        return DecodedToken(
            kind=TokenKind.RAILS_MESSAGE,
            raw=raw,
            algorithm="HMAC",
            claims=MappingProxyType(envelope),
            notes=("no _rails metadata: the message carries no expiry or purpose",),
        )
    flags: list[Flag] = []
    expires = None
    if meta.get("exp") is not None:
        expires = _parse_iso(meta["exp"])
        if expires is None:
            flags.append(Flag("bad-claim", f"_rails.exp is not a date: {str(meta['exp'])[:40]!r}"))
    body: Any = meta.get("data") if "data" in meta else meta.get("message")
    generation = "Rails 7.1+ envelope" if "data" in meta else "Rails 5.2–7.0 envelope"
    if isinstance(body, str) and "message" in meta:
        try:
            inner = loads_json(b64decode(body, urlsafe=False))
        except TokenError:
            inner = None
        body = inner if inner is not None else body
    notes = [generation]
    if expires is None and not flags:
        notes.append("_rails.exp is empty: the message does not expire")
    purpose = meta.get("pur")
    return DecodedToken(
        kind=TokenKind.RAILS_MESSAGE,
        raw=raw,
        expires_at=expires,
        algorithm="HMAC",
        claims=MappingProxyType({"data": body}),
        purpose=purpose if isinstance(purpose, str) else None,
        flags=tuple(flags),
        notes=tuple(notes),
    )


def _decode_django(raw: str, ts: str, uid: str | None = None) -> DecodedToken:
    seconds = int(ts, 36)
    try:
        issued = DJANGO_EPOCH + dt.timedelta(seconds=seconds)
    except OverflowError:
        raise TokenError("the timestamp in the reset token is out of range") from None
    claims: dict[str, Any] = {}
    if uid:
        try:
            claims["uid"] = b64decode(uid).decode("utf-8", "replace")
        except TokenError:
            claims["uid"] = uid
    return DecodedToken(
        kind=TokenKind.DJANGO_RESET,
        raw=raw,
        issued_at=issued,
        default_lifetime=DJANGO_DEFAULT_TIMEOUT,
        algorithm="HMAC-SHA256",
        claims=MappingProxyType(claims),
        notes=(
            "expiry is the site's PASSWORD_RESET_TIMEOUT (3 days unless changed): not in the token",
            "a password, email or last-login change also voids it",
        ),
    )


def _opaque(raw: str, kind: TokenKind = TokenKind.OPAQUE) -> DecodedToken:
    return DecodedToken(
        kind=kind,
        raw=raw,
        readable=False,
        notes=(
            "random string: it cannot be dated from the token alone; "
            "the issue date and validity come from the tenant's link records",
        ),
    )


def _classify(raw: str, *, allow_opaque: bool) -> DecodedToken | None:
    """Recognise a bare token; None when it is not one (and opaque is not allowed)."""
    parts = raw.split(".")
    if len(parts) == 5 and raw.startswith("eyJ"):
        return _decode_jwe(raw)
    if len(parts) == 3:
        header = _jwt_header(parts[0])
        if header is not None:
            return _decode_jwt(raw, header)
    if len(parts) >= 3 or (raw.startswith(".") and len(parts) >= 4):
        found = _decode_itsdangerous(raw)
        if found is not None:
            return found
        if raw.startswith("eyJ"):
            raise TokenError(
                "three dot-separated parts but neither a JWT (no JSON header with 'alg') nor an "
                "itsdangerous token (no timestamp in the middle part)"
            )
    if raw.startswith("eyJ") and len(parts) == 2:
        raise TokenError("looks like a JWT but has 2 of its 3 parts: the link was cut short")
    if raw.startswith("gAAAAA"):
        return _decode_fernet(raw)
    rails = _RAILS.match(unquote(raw))
    if rails:
        return _decode_rails(unquote(raw), rails)
    django = _DJANGO.match(raw)
    if django:
        return _decode_django(raw, django.group("ts"))
    if allow_opaque and _OPAQUE.match(raw):
        return _opaque(raw)
    return None


def _from_url(url: str) -> DecodedToken:
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as exc:
        raise TokenError(f"not a usable URL: {first_line(exc)}") from None
    if not host:
        raise TokenError("the URL has no host name")
    query = parse_qsl(parts.query, keep_blank_values=True)
    params: dict[str, str] = {}
    for key, value in query:
        params.setdefault(key.lower(), value)

    def located(token: DecodedToken, where: str) -> DecodedToken:
        from dataclasses import replace

        return replace(token, location=where, url=url)

    if params.get("expires") is not None and params.get("signature"):
        stamp = params["expires"]
        expires = from_timestamp(int(stamp)) if stamp.isdigit() and len(stamp) <= 12 else None
        if expires is None:
            raise TokenError(f"signed URL with an 'expires' value that is not a Unix time: {stamp[:20]!r}")
        return DecodedToken(
            kind=TokenKind.LARAVEL_SIGNED_URL,
            raw=params["signature"],
            location="query parameter 'signature'",
            url=url,
            expires_at=expires,
            algorithm="HMAC-SHA256",
            notes=("expiry is the 'expires' query parameter, signed together with the URL",),
        )
    if "invitation_token" in params:
        value = params["invitation_token"]
        if not value:
            raise TokenError("the URL has an empty invitation_token")
        return located(_opaque(value, TokenKind.DEVISE_INVITATION), "query parameter 'invitation_token'")
    django = _DJANGO_PATH.search(parts.path)
    if django:
        token = django.group("token")
        ts = token.split("-", 1)[0]
        return located(_decode_django(token, ts, django.group("uid")), "path (Django reset URL)")

    named = [(f"query parameter '{k}'", v) for k, v in query if k.lower() in _TOKEN_PARAMS and v]
    others = [(f"query parameter '{k}'", v) for k, v in query if k.lower() not in _TOKEN_PARAMS and v]
    segments = [unquote(s) for s in parts.path.split("/") if s]
    in_path = [(f"path segment {i + 1}", s) for i, s in reversed(list(enumerate(segments)))]
    frag = [("fragment", parts.fragment)] if parts.fragment else []
    candidates = named + others + in_path + frag
    for where, value in candidates:
        if len(value) > MAX_INPUT or any(ch.isspace() for ch in value):
            continue
        found = _classify(value, allow_opaque=False)
        if found is not None:
            return located(found, where)
    for where, value in named:
        if len(value) >= 8:
            return located(_opaque(value), where)
    for where, value in in_path + frag:
        if _OPAQUE.match(value) and any(c.isdigit() for c in value) and any(c.isalpha() for c in value):
            return located(_opaque(value), where)
    raise TokenError("the URL carries no token: no query parameter or path segment looks like one")


def decode(text: str) -> DecodedToken:
    """Recognise and decode a token or a link carrying one, without any secret.

    Raises TokenError (and nothing else) for input that is not a token: empty, huge, not UTF-8,
    damaged base64, a truncated JWT or Fernet token, a URL without a token.
    """
    raw = check_text(text)
    if raw.lower().startswith(("http://", "https://")):
        return _from_url(raw)
    found = _classify(raw, allow_opaque=True)
    if found is None:
        raise TokenError("not a recognised token: too short or contains characters tokens do not use")
    return found


def decode_bytes(data: bytes) -> DecodedToken:
    """Decode raw bytes (e.g. read from a file), refusing what is not UTF-8."""
    if len(data) > MAX_INPUT * 4:
        raise TokenError(f"input is {len(data):,} bytes long; tokens and links are under {MAX_INPUT:,}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise TokenError("input is not valid UTF-8 text (undecodable bytes)") from None
    return decode(text)


def first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0][:160] if text else type(exc).__name__) or type(exc).__name__
