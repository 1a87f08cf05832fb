"""The engine: select checks, order them by dependency, run them over their targets, collect findings."""

from __future__ import annotations

from portaldoctor.engine.runner import Limits, RunResult, run
from portaldoctor.engine.selection import Selection, plan
from portaldoctor.engine.targets import targets_for

__all__ = ["Limits", "RunResult", "Selection", "plan", "run", "targets_for"]
