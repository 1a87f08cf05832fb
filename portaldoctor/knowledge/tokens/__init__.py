"""Tokens that portal and invitation links carry: their formats, their timeline, their signature."""

from __future__ import annotations

from portaldoctor.knowledge.tokens.formats import (
    MAX_INPUT,
    DecodedToken,
    Flag,
    TokenError,
    TokenKind,
    check_text,
    decode,
    decode_bytes,
    from_timestamp,
)
from portaldoctor.knowledge.tokens.timeline import (
    ExpirySource,
    Lifetime,
    Timeline,
    TimeState,
    human_delta,
    timeline,
)
from portaldoctor.knowledge.tokens.verify import (
    Key,
    KeyKind,
    Verification,
    VerifyStatus,
    parse_key,
    verify,
)

__all__ = [
    "MAX_INPUT",
    "DecodedToken",
    "ExpirySource",
    "Flag",
    "Key",
    "KeyKind",
    "Lifetime",
    "TimeState",
    "Timeline",
    "TokenError",
    "TokenKind",
    "Verification",
    "VerifyStatus",
    "check_text",
    "decode",
    "decode_bytes",
    "from_timestamp",
    "human_delta",
    "parse_key",
    "timeline",
    "verify",
]
