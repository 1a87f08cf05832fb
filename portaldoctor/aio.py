"""Running a coroutine from synchronous code."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run_coroutine(coro: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(coro)``, without ever turning the result into text.

    On Python 3.11, ``asyncio.run`` restores the SIGINT handler at the end, and ``signal.signal``
    then builds an error message (which it discards) holding ``repr()`` of the finished main task,
    result included. For a large audit that result is every finding: the repr took seconds and a
    string as large as the report. Keeping the result outside the task makes that repr small.
    """
    box: list[T] = []

    async def main() -> None:
        box.append(await coro)

    asyncio.run(main())
    return box[0]
