"""``--shard I/N``: split an audit's customers across parallel CI jobs, the same way every time."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from portaldoctor.errors import InputError


def parse(text: str) -> tuple[int, int]:
    """``2/4`` -> (2, 4); 1-based, as CI matrices count."""
    index, sep, count = text.partition("/")
    try:
        i, n = int(index), int(count)
    except ValueError:
        i = n = 0
    if not sep or n < 1 or not 1 <= i <= n:
        raise InputError(f"'{text}' is not I/N with 1 <= I <= N, e.g. 1/4", field="--shard")
    return i, n


def bucket(customer_id: str, count: int) -> int:
    """The 1-based shard of a customer: by a hash of its id, so adding a customer moves no other."""
    digest = hashlib.sha256(customer_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def select(customer_ids: Iterable[str], index: int, count: int) -> list[str]:
    """The customers shard ``index`` of ``count`` checks, in their original order."""
    return [c for c in customer_ids if bucket(c, count) == index]
