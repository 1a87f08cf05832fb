"""Every check's ``run_all`` fast path names exactly the targets, and outcomes, that ``run`` gives."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from benchmarks.generate import generate
from portaldoctor import clock, engine
from portaldoctor.check import CheckContext, Scope
from portaldoctor.plugins import Plugins
from portaldoctor.snapshot.index import TenantIndex
from portaldoctor.snapshot.sources import demo, open_source

TENANTS = ["demo", *(f"demo:{name}" for name in demo.PROFILES)]
RICH = {"demo", "demo:salestrekker", "demo:vtiger", "demo:ar-automation", "generated"}


def batched_checks() -> list[object]:
    return [c for c in Plugins.load().registry.checks.values() if hasattr(c, "run_all")]


def test_the_hot_contact_checks_have_a_fast_path() -> None:
    ids = {c.spec.id for c in batched_checks()}  # type: ignore[attr-defined]
    assert {"contact-mobile-valid", "contact-email-valid", "invitation-state", "duplicate-portal-email"} <= ids


def contexts(tmp_path: Path, spec: str) -> CheckContext:
    tenant = open_source(spec).load()
    return CheckContext(
        tenant=tenant,
        index=TenantIndex(tenant),
        now=clock.now("2026-11-22T12:00:00Z"),
        offline=True,
        rules=Plugins.load(tenant.platform).playbook_for(tenant).rules,
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


def test_duplicate_emails_are_found_by_spelling_as_run_finds_them_by_address(tmp_path: Path) -> None:
    # run_all looks a contact's address up as written; run normalises it first. Spellings that
    # differ only in case, and a contact off the portal, must not make them disagree.
    (tmp_path / "tenant.yaml").write_text(
        """\
version: 1
organisation: {name: Org}
customers:
  - {id: c1, name: One}
  - {id: c2, name: Two}
  - {id: c3, name: Three}
contacts:
  - {id: p1, customer: c1, email: Ap@X.example}
  - {id: p2, customer: c2, email: ap@x.example}
  - {id: p3, customer: c3, email: AP@x.EXAMPLE, portal_user: false}
  - {id: p4, customer: c3, email: solo@x.example}
  - {id: p5, customer: c1, email: "  ap@x.example "}
  - {id: p6, customer: c3, email: Solo@X.example, portal_user: false}
""",
        encoding="utf-8",
    )
    ctx = contexts(tmp_path, str(tmp_path / "tenant.yaml"))
    check = next(c for c in batched_checks() if c.spec.id == "duplicate-portal-email")  # type: ignore[attr-defined]
    targets = engine.targets_for(ctx, Scope.CONTACT, None)
    expected = [(t, out) for t in targets if (out := list(check.run(ctx, t)))]  # type: ignore[attr-defined]
    assert list(check.run_all(ctx, targets)) == expected  # type: ignore[attr-defined]
    assert sorted(t.id for t, _ in expected) == ["p1", "p2", "p5"]
    assert {t.id: out[0].evidence["case_only"] for t, out in expected} == {"p1": True, "p2": False, "p5": False}
