"""Every check's ``run_all`` fast path names exactly the targets, and outcomes, that ``run`` gives."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from benchmarks.generate import generate
from portaldoctor import app, clock, engine
from portaldoctor.check import CheckContext, Scope
from portaldoctor.snapshot.index import TenantIndex
from portaldoctor.snapshot.loader import load_tenant

DEMO = Path(app.__file__).parent / "demo"
TENANTS = ["demo", *(f"demo:{p.parent.name}" for p in sorted(DEMO.glob("*/tenant.yaml")))]
RICH = {"demo", "demo:salestrekker", "demo:vtiger", "demo:ar-automation", "generated"}


def batched_checks() -> list[object]:
    registry, _ = app.load_plugins()
    return [c for c in registry.checks.values() if hasattr(c, "run_all")]


def test_the_hot_contact_checks_have_a_fast_path() -> None:
    ids = {c.spec.id for c in batched_checks()}  # type: ignore[attr-defined]
    assert {"contact-mobile-valid", "contact-email-valid", "invitation-state", "duplicate-portal-email"} <= ids


def contexts(tmp_path: Path, spec: str) -> CheckContext:
    tenant = load_tenant(spec)
    _, books = app.load_plugins(tenant.platform or "generic")
    rules = dict(books.for_platform(tenant.platform).rules)
    return CheckContext(
        tenant=tenant,
        index=TenantIndex(tenant),
        now=clock.now("2026-11-22T12:00:00Z"),
        offline=True,
        options={"rules": rules},
    )


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(generate(tmp_path_factory.mktemp("runall"), 3000))


@pytest.mark.parametrize("spec", [*TENANTS, "generated"])
def test_run_all_agrees_with_run(spec: str, generated: str, tmp_path: Path) -> None:
    ctx = contexts(tmp_path, generated if spec == "generated" else spec)
    compared = 0
    for check in batched_checks():
        assert not inspect.iscoroutinefunction(check.run)  # type: ignore[attr-defined]
        scope: Scope = check.spec.scope  # type: ignore[attr-defined]
        targets = engine.targets_for(ctx, scope, None)
        expected = [(t, out) for t in targets if (out := list(check.run(ctx, t)))]  # type: ignore[attr-defined]
        assert list(check.run_all(ctx, targets)) == expected, check.spec.id  # type: ignore[attr-defined]
        compared += len(expected)
    if spec in RICH:
        assert compared > 0  # some check had something to say, so the comparison had teeth
