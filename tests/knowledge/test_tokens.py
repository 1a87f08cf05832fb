"""Token decoding, dating and verification: every format, every key kind, every failure."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import itsdangerous
import jwt
import pytest
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from portaldoctor.commands.token import load_key
from portaldoctor.errors import InputError
from portaldoctor.knowledge import tokens as tk
from portaldoctor.knowledge.tokens.formats import DJANGO_EPOCH

NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)
T0 = int(NOW.timestamp())
SECRET = "a-shared-secret-of-at-least-32-bytes!"


def _b64(data: bytes, urlsafe: bool = False) -> str:
    return (base64.urlsafe_b64encode if urlsafe else base64.b64encode)(data).decode()


def _hs(claims: dict[str, Any], secret: str = SECRET, **headers: Any) -> str:
    return jwt.encode(claims, secret, algorithm="HS256", headers=headers or None)


def _pem(private: Any) -> bytes:
    return private.public_key().public_bytes(  # type: ignore[no-any-return]
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


@pytest.fixture(scope="module")
def ed_key() -> ed25519.Ed25519PrivateKey:
    return ed25519.Ed25519PrivateKey.generate()


class _FixedSigner(itsdangerous.TimestampSigner):
    def get_timestamp(self) -> int:
        return T0 - 3600


def _itsdangerous(secret: str = "s3cret", salt: str = "itsdangerous") -> str:
    s = itsdangerous.URLSafeTimedSerializer(secret, salt=salt, signer=_FixedSigner)
    return s.dumps({"customer": "c1"})


def _rails(meta: dict[str, Any]) -> str:
    data = _b64(json.dumps({"_rails": meta}).encode())
    return data + "--" + hmac.new(b"key", data.encode(), hashlib.sha256).hexdigest()


# ---------------------------------------------------------------------------------- decoding


def test_jwt_header_claims_and_dates() -> None:
    token = tk.decode(_hs({"sub": "c1", "iat": T0 - 60, "nbf": T0 - 60, "exp": T0 + 3600}, kid="k1"))
    assert token.kind is tk.TokenKind.JWT
    assert token.algorithm == "HS256"
    assert token.header["kid"] == "k1"
    assert token.claims["sub"] == "c1"
    assert token.issued_at == NOW - dt.timedelta(seconds=60)
    assert token.not_before == NOW - dt.timedelta(seconds=60)
    assert token.expires_at == NOW + dt.timedelta(hours=1)
    assert token.flags == ()


def test_jwt_expired_is_still_decoded() -> None:
    token = tk.decode(_hs({"exp": T0 - 10}))
    line = tk.timeline(token, NOW)
    assert line.state is tk.TimeState.EXPIRED
    assert line.source is tk.ExpirySource.TOKEN


def test_jwt_alg_none_is_flagged() -> None:
    token = tk.decode(jwt.encode({"sub": "x"}, None, algorithm="none"))
    assert [f.code for f in token.flags] == ["alg-none"]


def test_jwt_unknown_algorithm_is_flagged_as_weak() -> None:
    good = _hs({"sub": "x"})
    header = _b64(json.dumps({"alg": "HS1", "typ": "JWT"}).encode(), urlsafe=True).rstrip("=")
    token = tk.decode(header + good[good.index(".") :])
    assert [f.code for f in token.flags] == ["weak-algorithm"]


def test_jwt_bad_claim_is_a_flag_not_a_crash() -> None:
    token = tk.decode(_hs({"exp": "tomorrow"}))
    assert token.expires_at is None
    assert [f.code for f in token.flags] == ["bad-claim"]


def test_jwe_is_recognised_but_not_readable() -> None:
    header = _b64(json.dumps({"alg": "RSA-OAEP", "enc": "A256GCM"}).encode(), urlsafe=True).rstrip("=")
    token = tk.decode(".".join([header, "a" * 20, "b" * 16, "c" * 30, "d" * 22]))
    assert token.kind is tk.TokenKind.JWE
    assert not token.readable
    assert not token.datable


def test_fernet_creation_time_from_bytes() -> None:
    raw = Fernet(Fernet.generate_key()).encrypt_at_time(b"invoice 42", T0 - 300).decode()
    token = tk.decode(raw)
    assert token.kind is tk.TokenKind.FERNET
    assert token.issued_at == NOW - dt.timedelta(minutes=5)
    assert token.expires_at is None
    assert tk.timeline(token, NOW).state is tk.TimeState.UNKNOWN


def test_itsdangerous_signing_time_and_payload() -> None:
    token = tk.decode(_itsdangerous())
    assert token.kind is tk.TokenKind.ITSDANGEROUS
    assert token.issued_at == NOW - dt.timedelta(hours=1)
    assert token.claims["customer"] == "c1"
    assert any("max_age" in n for n in token.notes)


def test_django_reset_url() -> None:
    seconds = int((NOW - DJANGO_EPOCH).total_seconds()) - 7200
    ts = base36(seconds)
    url = f"https://app.example.com/reset/MTA/{ts}-{hashlib.sha256(b'x').hexdigest()[:32]}/"
    token = tk.decode(url)
    assert token.kind is tk.TokenKind.DJANGO_RESET
    assert token.issued_at == NOW - dt.timedelta(hours=2)
    assert token.claims["uid"] == "10"
    line = tk.timeline(token, NOW)
    assert line.source is tk.ExpirySource.FRAMEWORK_DEFAULT
    assert line.expires_at == token.issued_at + dt.timedelta(days=3)


def base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out or "0"


def test_laravel_signed_url() -> None:
    token = tk.decode(f"https://app.example.com/invite/5?expires={T0 - 60}&signature={'ab' * 32}")
    assert token.kind is tk.TokenKind.LARAVEL_SIGNED_URL
    assert token.expires_at == NOW - dt.timedelta(minutes=1)
    assert tk.timeline(token, NOW).state is tk.TimeState.EXPIRED


@pytest.mark.parametrize(
    ("meta", "generation"),
    [
        ({"data": {"id": 7}, "exp": "2026-11-30T00:00:00.000Z", "pur": "invitation"}, "7.1+"),
        ({"message": _b64(b'{"id": 7}'), "exp": "2026-11-30T00:00:00.000Z", "pur": "invitation"}, "5.2"),
    ],
)
def test_rails_signed_message_both_envelopes(meta: dict[str, Any], generation: str) -> None:
    token = tk.decode(_rails(meta))
    assert token.kind is tk.TokenKind.RAILS_MESSAGE
    assert token.expires_at == dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
    assert token.purpose == "invitation"
    assert token.claims["data"] == {"id": 7}
    assert any(generation in n for n in token.notes)


def test_rails_marshal_payload_is_recognised_unreadable() -> None:
    token = tk.decode("BAhJIgZ4BjoGRVQ=--" + "0" * 40)
    assert token.kind is tk.TokenKind.RAILS_MESSAGE
    assert not token.readable


def test_devise_invitation_cannot_be_dated() -> None:
    token = tk.decode("https://app.example.com/users/invitation/accept?invitation_token=q_uSQWpPnz0xeLewiO7V")
    assert token.kind is tk.TokenKind.DEVISE_INVITATION
    assert token.raw == "q_uSQWpPnz0xeLewiO7V"
    assert not token.datable
    assert "cannot be dated" in token.notes[0]


@pytest.mark.parametrize(
    "text",
    ["https://pay.example.com/p/ImjkpX8cYrmRtLyJrCHNXecW0KC13D-Y", "ImjkpX8cYrmRtLyJrCHNXecW0KC13D-Y"],
)
def test_opaque_vendor_token(text: str) -> None:
    token = tk.decode(text)
    assert token.kind is tk.TokenKind.OPAQUE
    assert token.raw == "ImjkpX8cYrmRtLyJrCHNXecW0KC13D-Y"


def test_token_in_query_parameter_is_found() -> None:
    raw = _hs({"exp": T0 + 60})
    token = tk.decode(f"https://pay.example.com/portal?lang=en&token={raw}")
    assert token.kind is tk.TokenKind.JWT
    assert token.location == "query parameter 'token'"
    assert token.url is not None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("x" * 10_000_000, "characters long"),
        ("gAAAAABpbm" + "A" * 31, "padding"),
        ("gAAAAA" + "B" * 58, "bytes"),
        ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0", "2 of its 3 parts"),
        ("eyJhbGciOiJIUzI1NiJ9=.eyJzdWIiOiJ4In0.abc", "unpadded"),
        ("eyJhbGciOiJIUzI1NiJ9.!!!.abc", "unpadded"),
        ("https://pay.example.com/about/us", "carries no token"),
        ("https://", "no host"),
        ("short", "not a recognised token"),
        ("two words", "spaces"),
        ("abc\udcffdefghijklmnopqrstu", "UTF-8"),
    ],
)
def test_garbage_is_one_token_error(text: str, message: str) -> None:
    with pytest.raises(tk.TokenError, match=message) as info:
        tk.decode(text)
    assert "\n" not in str(info.value)
    assert isinstance(info.value, InputError)


def test_decode_bytes_rejects_non_utf8() -> None:
    with pytest.raises(tk.TokenError, match="UTF-8"):
        tk.decode_bytes(b"\xff\xfe" + b"a" * 20)


# ---------------------------------------------------------------------------------- clock


def test_not_yet_valid_from_nbf() -> None:
    token = tk.decode(_hs({"nbf": T0 + 3600, "exp": T0 + 7200}))
    assert tk.timeline(token, NOW).state is tk.TimeState.NOT_YET_VALID
    assert tk.timeline(token, NOW + dt.timedelta(hours=1, seconds=1)).state is tk.TimeState.VALID


def test_token_exp_wins_over_tenant_validity() -> None:
    token = tk.decode(_hs({"iat": T0 - 60, "exp": T0 + 60}))
    rule = tk.Lifetime(tk.ExpirySource.TENANT_VALIDITY, "25 days", NOW, dt.timedelta(days=25))
    assert tk.timeline(token, NOW, rule).source is tk.ExpirySource.TOKEN


def test_tenant_validity_dates_an_opaque_token() -> None:
    token = tk.decode("ImjkpX8cYrmRtLyJrCHNXecW0KC13D-Y")
    issued = NOW - dt.timedelta(days=26)
    rule = tk.Lifetime(tk.ExpirySource.TENANT_VALIDITY, "25 days", issued, dt.timedelta(days=25))
    line = tk.timeline(token, NOW, rule)
    assert line.state is tk.TimeState.EXPIRED
    assert line.issued_from == "link record"
    assert line.remaining == -dt.timedelta(days=1)


def test_human_delta() -> None:
    assert tk.human_delta(dt.timedelta(days=2, hours=3, minutes=5)) == "2 days 3 hours"
    assert tk.human_delta(-dt.timedelta(minutes=1)) == "1 minute"


# ---------------------------------------------------------------------------------- verification


def _key(data: bytes) -> tk.Key:
    return tk.parse_key(data, "test")


def test_hmac_ok_and_bad_signature() -> None:
    token = tk.decode(_hs({"sub": "x"}))
    assert tk.verify(token, _key(SECRET.encode() + b"\n")).status is tk.VerifyStatus.VALID
    bad = tk.verify(token, _key(b"another-secret-of-at-least-32-bytes!"))
    assert bad.status is tk.VerifyStatus.BAD_SIGNATURE
    assert "does not match" in bad.detail


def test_short_hmac_secret_is_a_note_not_a_warning() -> None:
    token = tk.decode(_hs({"sub": "x"}, secret="k" * 32))
    result = tk.verify(token, _key(b"k" * 32))
    assert result.ok


@pytest.mark.parametrize(("fixture", "alg"), [("rsa_key", "RS256"), ("ec_key", "ES256"), ("ed_key", "EdDSA")])
def test_pem_public_keys(request: pytest.FixtureRequest, fixture: str, alg: str) -> None:
    private = request.getfixturevalue(fixture)
    token = tk.decode(jwt.encode({"sub": "x"}, private, algorithm=alg))
    assert tk.verify(token, _key(_pem(private))).status is tk.VerifyStatus.VALID
    # A fresh key of the same type gives a bad signature.
    fresh: Any = ed25519.Ed25519PrivateKey.generate()
    if isinstance(private, rsa.RSAPrivateKey):
        fresh = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    elif isinstance(private, ec.EllipticCurvePrivateKey):
        fresh = ec.generate_private_key(ec.SECP256R1())
    assert tk.verify(token, _key(_pem(fresh))).status is tk.VerifyStatus.BAD_SIGNATURE


def test_wrong_key_type(rsa_key: rsa.RSAPrivateKey, ec_key: ec.EllipticCurvePrivateKey) -> None:
    token = tk.decode(jwt.encode({"sub": "x"}, rsa_key, algorithm="RS256"))
    result = tk.verify(token, _key(_pem(ec_key)))
    assert result.status is tk.VerifyStatus.WRONG_KEY_TYPE
    assert "RSA public key" in result.detail
    assert tk.verify(token, _key(SECRET.encode())).status is tk.VerifyStatus.WRONG_KEY_TYPE


def test_hs_token_against_public_key_is_wrong_algorithm(rsa_key: rsa.RSAPrivateKey) -> None:
    token = tk.decode(_hs({"sub": "x"}))
    result = tk.verify(token, _key(_pem(rsa_key)))
    assert result.status is tk.VerifyStatus.WRONG_ALGORITHM
    assert "algorithm-confusion" in result.detail


def test_expected_algorithm_mismatch() -> None:
    token = tk.decode(_hs({"sub": "x"}))
    result = tk.verify(token, _key(SECRET.encode()), algorithms=["RS256"])
    assert result.status is tk.VerifyStatus.WRONG_ALGORITHM


def test_alg_none_is_unsigned() -> None:
    token = tk.decode(jwt.encode({"sub": "x"}, None, algorithm="none"))
    assert tk.verify(token, _key(SECRET.encode())).status is tk.VerifyStatus.UNSIGNED


def test_jwks_by_kid(rsa_key: rsa.RSAPrivateKey) -> None:
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(rsa_key.public_key()))
    jwks = json.dumps({"keys": [{**jwk, "kid": "k1", "alg": "RS256"}]}).encode()
    good = tk.decode(jwt.encode({"sub": "x"}, rsa_key, algorithm="RS256", headers={"kid": "k1"}))
    assert tk.verify(good, _key(jwks)).status is tk.VerifyStatus.VALID
    rotated = tk.decode(jwt.encode({"sub": "x"}, rsa_key, algorithm="RS256", headers={"kid": "k2"}))
    result = tk.verify(rotated, _key(jwks))
    assert result.status is tk.VerifyStatus.NO_MATCHING_KEY
    assert "k1" in result.detail
    ps = tk.decode(jwt.encode({"sub": "x"}, rsa_key, algorithm="PS256", headers={"kid": "k1"}))
    assert tk.verify(ps, _key(jwks)).status is tk.VerifyStatus.WRONG_ALGORITHM


def test_fernet_verification() -> None:
    key = Fernet.generate_key()
    token = tk.decode(Fernet(key).encrypt(b"x").decode())
    assert tk.verify(token, _key(key)).status is tk.VerifyStatus.VALID
    assert tk.verify(token, _key(Fernet.generate_key())).status is tk.VerifyStatus.BAD_SIGNATURE
    assert tk.verify(token, _key(b"not-a-fernet-key")).status is tk.VerifyStatus.WRONG_KEY_TYPE


def test_itsdangerous_verification_with_default_and_custom_salt() -> None:
    assert tk.verify(tk.decode(_itsdangerous()), _key(b"s3cret")).ok
    assert tk.verify(tk.decode(_itsdangerous()), _key(b"wrong")).status is tk.VerifyStatus.BAD_SIGNATURE
    salted = tk.decode(_itsdangerous(salt="invite"))
    assert tk.verify(salted, _key(b"s3cret")).status is tk.VerifyStatus.BAD_SIGNATURE
    assert tk.verify(salted, _key(b"s3cret"), salt="invite").ok


def test_unsupported_formats_say_so() -> None:
    token = tk.decode("ImjkpX8cYrmRtLyJrCHNXecW0KC13D-Y")
    assert tk.verify(token, _key(b"x")).status is tk.VerifyStatus.NOT_SUPPORTED


def test_keys_from_file_and_env(tmp_path: Path, rsa_key: rsa.RSAPrivateKey) -> None:
    pem = tmp_path / "pub.pem"
    pem.write_bytes(_pem(rsa_key))
    assert load_key(key_file=str(pem)).kind is tk.KeyKind.RSA  # type: ignore[union-attr]
    key = load_key(key_env="PD_SECRET", environ={"PD_SECRET": SECRET})
    assert key is not None and key.kind is tk.KeyKind.SECRET and key.origin == "environment variable PD_SECRET"
    private = tmp_path / "priv.pem"
    private.write_bytes(
        rsa_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    loaded = load_key(key_file=str(private))
    assert loaded is not None and loaded.kind is tk.KeyKind.RSA and "private key" in loaded.notes[0]
    assert load_key() is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"key_file": "/nonexistent/key"}, "cannot read"),
        ({"key_env": "PD_UNSET"}, "not set"),
        ({"key_file": "a", "key_env": "b"}, "not both"),
    ],
)
def test_key_errors_are_input_errors(kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(InputError, match=message):
        load_key(environ={}, **kwargs)


def test_unreadable_pem_is_an_input_error() -> None:
    with pytest.raises(InputError, match="PEM"):
        tk.parse_key(b"-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n", "file k")
