"""Property tests: random and mutated tokens never raise anything but TokenError."""

from __future__ import annotations

import contextlib
import datetime as dt

import itsdangerous
import jwt
from cryptography.fernet import Fernet
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portaldoctor.knowledge import tokens as tk
from portaldoctor.knowledge.redaction import redact_token, redact_url

_SECRET = "fuzz-secret-that-is-long-enough-for-hs256"
SEEDS = [
    jwt.encode({"sub": "c1", "exp": 1_800_000_000, "iat": 1_790_000_000}, _SECRET, algorithm="HS256"),
    Fernet(Fernet.generate_key()).encrypt(b"invoice").decode(),
    itsdangerous.URLSafeTimedSerializer("s").dumps({"a": 1}),
    "eyJfcmFpbHMiOnsiZGF0YSI6MSwiZXhwIjpudWxsLCJwdXIiOiJ4In19--" + "ab" * 20,
    "c2l5h4-0123456789abcdef0123456789abcdef",
    "https://pay.example.com/p/ImjkpX8cYrmRtLyJrCHNXecW0KC13D-Y",
    "https://a.example/invite?expires=1790000000&signature=" + "cd" * 32,
    "https://a.example/users/invitation/accept?invitation_token=q_uSQWpPnz0xeLewiO7V",
    "https://a.example/reset/MTA/c2l5h4-0123456789abcdef0123456789abcdef/",
]
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/%?&#:~ \x00é\udcff"
KEYS = [tk.parse_key(_SECRET.encode(), "fuzz"), tk.parse_key(Fernet.generate_key(), "fuzz")]
NOW = dt.datetime(2026, 11, 22, tzinfo=dt.UTC)


def _exercise(text: str) -> None:
    try:
        token = tk.decode(text)
    except tk.TokenError as exc:
        assert "\n" not in str(exc)
        return
    tk.timeline(token, NOW)
    for key in KEYS:
        tk.verify(token, key)
    assert token.raw not in redact_token(token.raw) or len(token.raw) < 8
    if token.url:
        redact_url(token.url)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["cut", "flip", "insert", "delete", "dup"]))
        i = draw(st.integers(0, max(len(text) - 1, 0)))
        ch = draw(st.sampled_from(ALPHABET))
        if op == "cut":
            text = text[:i]
        elif op == "flip":
            text = text[:i] + ch + text[i + 1 :]
        elif op == "insert":
            text = text[:i] + ch + text[i:]
        elif op == "delete":
            text = text[:i] + text[i + 1 :]
        else:
            text = text + text[i:]
    return text


FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(mutated())
def test_mutated_tokens_only_raise_token_error(text: str) -> None:
    _exercise(text)


@FAST
@given(st.text(alphabet=st.sampled_from(ALPHABET), max_size=200))
def test_random_text_only_raises_token_error(text: str) -> None:
    _exercise(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=100))
def test_any_unicode_only_raises_token_error(text: str) -> None:
    _exercise(text)
    _exercise("https://pay.example.com/p/" + text)
    _exercise("eyJ" + text)
    _exercise("gAAAAA" + text)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_only_raise_token_error(data: bytes) -> None:
    with contextlib.suppress(tk.TokenError):
        tk.decode_bytes(data)
