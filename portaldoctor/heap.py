"""How the ``portaldoctor`` command's process ends: without tearing down its heap.

Kept apart from the CLI so that the commands in ``app`` can hand objects over without
importing typer.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import NoReturn

_LEFT_FOR_EXIT: list[object] | None = None
"""What a command hands over to be dropped with the process (``leave_for_exit``); a list only
while ``run_and_exit`` runs, since only then does the process end without freeing its heap."""


def leave_for_exit(value: object) -> None:
    """Keep ``value`` alive until the process ends, when the command ends it with ``os._exit``.

    A large audit's report takes a noticeable time to free, object by object, after it was
    written; ``run_and_exit`` saves it by not tearing the heap down (benchmarks/ANALYSIS.md, "The
    collector and the exit"). Called in the same process without it (tests, other programs),
    this does nothing and the value is freed as usual.
    """
    if _LEFT_FOR_EXIT is not None:
        _LEFT_FOR_EXIT.append(value)


@contextmanager
def collector_paused(*, freeze: bool = True) -> Iterator[None]:
    """Run a block that builds many long-lived objects with the cyclic garbage collector off,
    then turn it back on if it was on.

    Turned back on as it is, its next passes walk every object made meanwhile, young as they
    all are: after loading a large tenant, and again at the end of its audit, just before the
    process ends (benchmarks/ANALYSIS.md, "The collector and the exit"). So with ``freeze``, the
    first time in the command's own process (``run_and_exit``), the objects that exist by then
    are moved out of the collector's sight (``gc.freeze``). They are still freed once nothing
    refers to them; only reference cycles already unreachable at that moment stay, until the
    process ends.

    Only the first time: a process that goes on loading (``diagnose --watch`` re-runs its
    checks) would otherwise also freeze, run after run, the garbage cycles of the runs before.
    In other processes (tests, programs that import portaldoctor), and without ``freeze``, the
    collector simply resumes, and nothing is kept from it.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            if freeze and _LEFT_FOR_EXIT is not None and not gc.get_freeze_count():
                gc.freeze()
            gc.enable()


def run_and_exit(main: Callable[[], int]) -> NoReturn:
    """Run ``main``, then end the process with its exit code without tearing down the heap.

    Once the report is written, freeing the loaded tenant object by object is wasted work, the
    more so the larger the tenant (benchmarks/ANALYSIS.md, "The collector and the exit"). Exit
    handlers still run (logging
    flushes, multiprocessing reaps its workers) and the standard streams are flushed; then the
    process exits, as mypy's command does.
    """
    global _LEFT_FOR_EXIT
    _LEFT_FOR_EXIT = []
    code = main()
    import atexit
    import contextlib

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe or stream: nothing more can reach it
            stream.flush()
    os._exit(code)
