"""run_coroutine: a coroutine's result is handed back without ever being turned into text."""

from __future__ import annotations

from portaldoctor.engine.runner import run_coroutine


class Loud:
    reprs = 0

    def __repr__(self) -> str:
        Loud.reprs += 1
        return "Loud()"


def test_result_is_returned_and_never_repr_ed() -> None:
    async def make() -> Loud:
        return Loud()

    result = run_coroutine(make())
    assert isinstance(result, Loud)
    assert Loud.reprs == 0  # asyncio.run alone reprs it once on Python 3.11, via signal.signal
