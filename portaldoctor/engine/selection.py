"""Which checks run: the selection by id, tag, scope and symptom, with prerequisites, in dependency order."""

from __future__ import annotations

from dataclasses import dataclass

from portaldoctor.check import Check, Scope
from portaldoctor.registry import Registry


@dataclass(frozen=True)
class Selection:
    """Which checks run: by id, skipped ids, tags, scopes, and the codes a symptom points at."""

    checks: frozenset[str] = frozenset()
    skip: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    scopes: frozenset[Scope] = frozenset(Scope)
    codes: frozenset[str] | None = None


def plan(registry: Registry, selection: Selection) -> list[Check]:
    """The selected checks plus their prerequisites, in dependency order (stable by id).

    Raises KeyError naming an unknown id given to ``--check`` or ``--skip-check``.
    """
    for name in (*selection.checks, *selection.skip):
        if name not in registry.checks:
            raise KeyError(name)
    chosen: set[str] = set()
    for spec in registry.specs:
        if spec.id in selection.skip or spec.scope not in selection.scopes:
            continue
        if selection.checks and spec.id not in selection.checks:
            continue
        if selection.tags and not selection.tags.intersection(spec.tags):
            continue
        if selection.codes is not None and not selection.codes.intersection(spec.codes):
            continue
        chosen.add(spec.id)
    # Prerequisites come along so that a dependent can be reported as blocked by its root cause.
    pending = list(chosen)
    while pending:
        for dep in registry.get(pending.pop()).spec.depends_on:
            if dep not in chosen and dep not in selection.skip and dep in registry.checks:
                chosen.add(dep)
                pending.append(dep)
    ordered: list[Check] = []
    done: set[str] = set()
    remaining = sorted(chosen)
    while remaining:
        ready = [c for c in remaining if all(d in done or d not in chosen for d in registry.get(c).spec.depends_on)]
        if not ready:
            raise ValueError("dependency cycle among checks: " + ", ".join(remaining))
        for check_id in ready:
            ordered.append(registry.get(check_id))
            done.add(check_id)
            remaining.remove(check_id)
    return ordered
