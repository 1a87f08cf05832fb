"""Engine: selection, dependency order, blocking, concurrency, timeouts, error capture."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest

from portaldoctor import engine
from portaldoctor.check import CheckContext, CheckSpec, Outcome, Scope, Status, Subject, Target, fail, skip
from portaldoctor.registry import Registry
from tests import factories as f

ORDER: list[str] = []


def make(
    check_id: str,
    *,
    scope: Scope = Scope.ORG,
    depends_on: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
    fails: bool = False,
    raises: bool = False,
    sleep: float | None = None,
) -> Any:
    """Build a tiny check class for the engine tests."""

    if sleep is None:

        class Sync:
            spec: ClassVar[CheckSpec] = CheckSpec(
                check_id, check_id, scope, (f"{check_id}-bad",), depends_on, tags=tags
            )

            def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
                ORDER.append(check_id)
                if raises:
                    raise RuntimeError("boom\nsecond line")
                if fails:
                    yield fail(f"{check_id}-bad")

        return Sync()

    class Async:
        spec: ClassVar[CheckSpec] = CheckSpec(
            check_id, check_id, scope, (f"{check_id}-bad",), depends_on, network=True, tags=tags
        )

        async def run(self, ctx: CheckContext, target: Target) -> list[Outcome]:
            ORDER.append(check_id)
            await asyncio.sleep(sleep)
            return [fail(f"{check_id}-bad")] if fails else []

    return Async()


def registry(*checks: Any) -> Registry:
    return Registry({c.spec.id: c for c in checks})


def run(*checks: Any, selection: engine.Selection | None = None, **kw: Any) -> engine.RunResult:
    ORDER.clear()
    reg = registry(*checks)
    planned = engine.plan(reg, selection or engine.Selection())
    return engine.run(f.context(f.tenant(), offline=kw.pop("offline", False)), planned, **kw)


def by_check(result: engine.RunResult) -> dict[str, Status]:
    return {x.check_id: x.status for x in result.findings}


def test_plan_orders_by_dependency_then_id() -> None:
    reg = registry(
        make("c-last", depends_on=("b-mid",)),
        make("b-mid", depends_on=("z-first",)),
        make("z-first"),
    )
    assert [c.spec.id for c in engine.plan(reg, engine.Selection())] == [
        "z-first",
        "b-mid",
        "c-last",
    ]


def test_plan_detects_cycles() -> None:
    reg = registry(make("a", depends_on=("b",)), make("b", depends_on=("a",)))
    with pytest.raises(ValueError, match="cycle"):
        engine.plan(reg, engine.Selection())


def test_selection_by_id_tag_scope_and_skip() -> None:
    reg = registry(
        make("a", tags=("dns",)),
        make("b", tags=("links",)),
        make("c", scope=Scope.CONTACT, depends_on=("a",)),
    )

    def ids(sel: engine.Selection) -> list[str]:
        return [c.spec.id for c in engine.plan(reg, sel)]

    assert ids(engine.Selection(tags=frozenset({"links"}))) == ["b"]
    assert ids(engine.Selection(checks=frozenset({"c"}))) == ["a", "c"]  # prerequisite comes along
    assert ids(engine.Selection(skip=frozenset({"a"}))) == ["b", "c"]
    assert ids(engine.Selection(scopes=frozenset({Scope.CONTACT}))) == ["a", "c"]
    assert ids(engine.Selection(codes=frozenset({"b-bad"}))) == ["b"]
    with pytest.raises(KeyError):
        ids(engine.Selection(checks=frozenset({"nope"})))


def test_failed_prerequisite_blocks_dependents_naming_the_root_cause() -> None:
    result = run(make("root", fails=True), make("child", scope=Scope.CONTACT, depends_on=("root",)))
    child = next(x for x in result.findings if x.check_id == "child")
    assert child.status is Status.SKIP
    assert child.blocked_by == "root:root-bad"
    assert "blocked by root" in (child.reason or "")
    assert "child" not in ORDER


def test_passing_prerequisite_lets_dependents_run() -> None:
    result = run(make("root"), make("child", depends_on=("root",), fails=True))
    assert by_check(result) == {"root": Status.PASS, "child": Status.FAIL}


def test_check_that_raises_becomes_error_and_run_continues() -> None:
    result = run(make("bad", raises=True), make("good", fails=True))
    bad = next(x for x in result.findings if x.check_id == "bad")
    assert bad.status is Status.ERROR
    assert bad.reason == "RuntimeError: boom"
    assert by_check(result)["good"] is Status.FAIL


def test_network_checks_run_concurrently() -> None:
    started = time.perf_counter()
    result = run(*(make(f"net-{i}", sleep=0.3) for i in range(5)))
    elapsed = time.perf_counter() - started
    assert len(result.findings) == 5
    assert elapsed < 1.0, elapsed  # 5 x 0.3 s in sequence would be 1.5 s


def test_per_check_timeout_is_an_error_finding() -> None:
    result = run(
        make("slow", sleep=5),
        make("quick", sleep=0.01, fails=True),
        limits=engine.Limits(check_timeout=0.2),
    )
    slow = next(x for x in result.findings if x.check_id == "slow")
    assert slow.status is Status.ERROR
    assert "timed out after 0.2s (its timeout)" in (slow.reason or "")
    assert by_check(result)["quick"] is Status.FAIL


def test_overall_deadline_bounds_the_run() -> None:
    started = time.perf_counter()
    result = run(
        make("slow-a", sleep=5),
        make("slow-b", sleep=5),
        limits=engine.Limits(check_timeout=10, deadline=0.3),
    )
    assert time.perf_counter() - started < 2
    assert all(x.status is Status.ERROR and "overall deadline" in (x.reason or "") for x in result.findings)


def test_offline_skips_network_checks_with_a_reason() -> None:
    result = run(make("net", sleep=0.01), make("local", fails=True), offline=True)
    net = next(x for x in result.findings if x.check_id == "net")
    assert net.status is Status.SKIP and "offline" in (net.reason or "")
    assert by_check(result)["local"] is Status.FAIL


def test_passes_can_be_counted_without_keeping_them() -> None:
    ORDER.clear()
    reg = registry(make("a"), make("b", fails=True))
    result = engine.run(f.context(f.tenant()), engine.plan(reg, engine.Selection()), keep_passes=False)
    assert [x.check_id for x in result.findings] == ["b"]
    assert result.passes_by_check == {"a": 1}


class Skipper:
    """A contact check that skips p2 plainly (counted when skips are), and p4 in ways that say
    more (evidence, a code of its own, another subject: always listed)."""

    spec = CheckSpec("skipper", "skipper", Scope.CONTACT, ("skipper-bad",), ("gate",))

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        assert target.contact is not None
        if target.contact.id == "p2":
            yield skip("skipper", "nothing to look at")
        elif target.contact.id == "p4":
            yield skip("skipper", "looked, but", seen="half")
            yield skip("skipper-bad", "a code of its own")
            yield Outcome("skipper", Status.SKIP, reason="about someone else", subject=Subject("org", "o", "o"))


class Gate:
    """A customer check that fails for c1, so the contact checks of c1 are blocked."""

    spec = CheckSpec("gate", "gate", Scope.CUSTOMER, ("gate-closed",))

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        if target.id == "c1":
            yield fail("gate-closed")


def test_skips_can_be_counted_by_check_reason_and_cause() -> None:
    tenant = f.tenant(
        customers=[f.customer("c1"), f.customer("c2")],
        contacts=[f.contact("p1", "c1"), f.contact("p3", "c1"), f.contact("p2", "c2"), f.contact("p4", "c2")],
    )
    checks = [Gate(), Skipper(), make("net", scope=Scope.CONTACT, sleep=0.01, depends_on=("gate",))]
    kept = engine.run(f.context(tenant, offline=True), checks, keep_passes=False)
    counted = engine.run(f.context(tenant, offline=True), checks, keep_passes=False, keep_skips=False)

    def skips(result: engine.RunResult) -> list[tuple[str, str | None, str | None]]:
        return sorted((x.check_id, x.reason, x.blocked_by) for x in result.findings if x.status is Status.SKIP)

    assert len(skips(kept)) == 10 and kept.skips == {}
    blocked = ("blocked by gate (gate-closed)", "gate:gate-closed")
    assert counted.skips == {
        ("skipper", *blocked): 2,  # p1 and p3, one count for the pair
        ("net", *blocked): 2,
        ("skipper", "nothing to look at", None): 1,
        ("net", "offline: network checks are not run", None): 2,
    }
    # A skip that says more than its reason is listed either way; so is every problem.
    assert skips(counted) == [
        ("skipper", "a code of its own", None),
        ("skipper", "about someone else", None),
        ("skipper", "looked, but", None),
    ]
    assert [x._replace(duration_ms=0) for x in counted.findings if x.status is not Status.SKIP] == [
        x._replace(duration_ms=0) for x in kept.findings if x.status is not Status.SKIP
    ]
    assert sum(counted.skips.values()) + 3 == len(skips(kept))


def test_contact_scope_runs_per_contact_of_selected_customers() -> None:
    t = f.tenant(
        customers=[f.customer("c1"), f.customer("c2")],
        contacts=[f.contact("p1", "c1"), f.contact("p2", "c1"), f.contact("p3", "c2")],
    )
    check = make("per-contact", scope=Scope.CONTACT, fails=True)
    result = engine.run(f.context(t), [check], customer_ids=["c1"])
    assert sorted(x.subject.id for x in result.findings) == ["p1", "p2"]
    assert all(x.subject.customer_id == "c1" for x in result.findings)


def test_targets_make_their_subject_once_and_only_when_asked() -> None:
    t = f.tenant(
        customers=[f.customer("c1", name="Acme")],
        contacts=[f.contact("p1", "c1", email="ana@acme.example"), f.contact("p2", "c1", email=None, name="Bo")],
        links=[{"id": "l1", "customer": "c1", "contact": "p1", "kind": "invitation"}],
    )
    ctx = f.context(t)
    contacts = engine.targets_for(ctx, Scope.CONTACT, None)
    [customer] = engine.targets_for(ctx, Scope.CUSTOMER, None)
    [link] = engine.targets_for(ctx, Scope.LINK, None)
    assert all(target._subject is None for target in [*contacts, customer, link])  # none made yet
    assert [(x.key, x.ancestors) for x in contacts] == [
        ("contact:p1", ("org:Test Org", "customer:c1")),
        ("contact:p2", ("org:Test Org", "customer:c1")),
    ]
    assert [x.subject for x in contacts] == [
        Subject("contact", "p1", "ana@acme.example", "c1", "p1"),
        Subject("contact", "p2", "Bo", "c1", "p2"),
    ]
    assert contacts[0].subject is contacts[0].subject  # made once: every finding of a target shares it
    assert customer.subject == Subject("customer", "c1", "Acme", "c1")
    assert link.subject == Subject("link", "l1", "invitation link l1", "c1", "p1")
    assert link.ancestors[-1] == "contact:p1" and link.contact is not None and link.contact.id == "p1"


def test_a_whole_audit_takes_contacts_in_file_order_with_the_same_targets_as_by_customer() -> None:
    # Without a customer list, contacts are taken as the file gives them (no grouping index);
    # with one, customer by customer. Either way each contact gets the same target.
    t = f.tenant(
        customers=[f.customer("c1"), f.customer("c2"), f.customer("c3")],
        contacts=[f.contact("p1", "c2"), f.contact("p2", "c1"), f.contact("p3", "c2"), f.contact("p4", "c3")],
    )
    ctx = f.context(t)
    whole = engine.targets_for(ctx, Scope.CONTACT, None)
    assert [x.id for x in whole] == ["p1", "p2", "p3", "p4"]
    assert "contacts_by_customer" not in vars(ctx.index)  # the index was not built for it
    grouped = engine.targets_for(ctx, Scope.CONTACT, ["c1", "c2", "c3"])
    assert [x.id for x in grouped] == ["p2", "p1", "p3", "p4"]

    def described(x: Target) -> tuple[Any, ...]:
        assert x.customer is not None and x.contact is not None
        return (x.kind, x.id, x.location, x.customer.id, x.contact.id, x.link, x.ancestors)

    assert sorted(map(described, whole)) == sorted(map(described, grouped))
    assert whole[0].ancestors is whole[2].ancestors  # one tuple per customer, shared by its contacts
    assert whole[0].customer is whole[2].customer is ctx.index.customers["c2"]


def test_link_targets_find_their_owner_in_a_map_of_link_owners_only() -> None:
    t = f.tenant(
        customers=[f.customer("c1")],
        contacts=[f.contact("p1", "c1"), f.contact("p2", "c1"), f.contact("p3", "c1")],
        links=[
            {"id": "l1", "customer": "c1", "contact": "p2", "kind": "invitation"},
            {"id": "l2", "customer": "c1", "contact": "p2", "kind": "portal"},
            {"id": "l3", "customer": "c1", "kind": "portal"},
        ],
    )
    ctx = f.context(t)
    links = engine.targets_for(ctx, Scope.LINK, None)
    assert [(x.id, x.contact.id if x.contact else None) for x in links] == [("l1", "p2"), ("l2", "p2"), ("l3", None)]
    assert list(ctx.index.link_owners) == ["p2"] and ctx.index.link_owners["p2"] is t.contacts[1]
    assert "contacts" not in vars(ctx.index)  # no map of every contact was built for it


def test_blocking_makes_no_subject_for_the_targets_it_lets_run() -> None:
    t = f.tenant(
        customers=[f.customer("c1"), f.customer("c2")],
        contacts=[f.contact("p1", "c1"), f.contact("p2", "c2")],
    )
    from portaldoctor.engine.runner import _Runner

    runner = _Runner(f.context(t), [], None, engine.Limits(), False, None)
    targets = engine.targets_for(runner.ctx, Scope.CONTACT, None)
    runnable, blocked = runner._split(Scope.CONTACT, targets, [("portal", {"customer:c2": "portal-off"})])
    assert [x.id for x in runnable] == ["p1"] and runnable[0]._subject is None
    assert [(x.id, dep, code) for x, dep, code in blocked] == [("p2", "portal", "portal-off")]


class Batched:
    """A contact check with a ``run_all`` fast path: contacts whose id ends in 1 fail."""

    spec: ClassVar[CheckSpec] = CheckSpec("batched", "batched", Scope.CONTACT, ("batched-bad",))

    def __init__(self, broken: bool = False) -> None:
        self.broken = broken
        self.batches = 0

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        assert target.contact is not None
        if target.contact.id == "p3":
            raise ValueError("bad row")
        if target.contact.id.endswith("1"):
            yield fail("batched-bad")

    def run_all(self, ctx: CheckContext, targets: list[Target]) -> Iterator[tuple[Target, list[Outcome]]]:
        self.batches += 1
        if self.broken:
            raise ValueError("bad row")
        for target in targets:
            assert target.contact is not None
            if target.contact.id.endswith("1"):
                yield target, list(self.run(ctx, target))


def contacts_tenant() -> Any:
    return f.tenant(
        customers=[f.customer("c1"), f.customer("c2")],
        contacts=[f.contact("p1", "c1"), f.contact("p2", "c1"), f.contact("p11", "c2"), f.contact("p4", "c2")],
    )


def test_run_all_names_problems_and_the_rest_pass() -> None:
    check = Batched()
    kept = engine.run(f.context(contacts_tenant()), [check])
    assert check.batches == 1  # one call for the whole list, not one per contact
    assert sorted((x.subject.id, x.status) for x in kept.findings) == [
        ("p1", Status.FAIL),
        ("p11", Status.FAIL),
        ("p2", Status.PASS),
        ("p4", Status.PASS),
    ]
    counted = engine.run(f.context(contacts_tenant()), [Batched()], keep_passes=False)
    assert sorted(x.subject.id for x in counted.findings) == ["p1", "p11"]
    assert counted.passes_by_check == {"batched": 2}


def test_run_all_that_raises_falls_back_to_run_target_by_target() -> None:
    t = f.tenant(
        customers=[f.customer("c1")],
        contacts=[f.contact("p1", "c1"), f.contact("p2", "c1"), f.contact("p3", "c1")],
    )
    result = engine.run(f.context(t), [Batched(broken=True)])
    statuses = {x.subject.id: x.status for x in result.findings}
    assert statuses == {"p1": Status.FAIL, "p2": Status.PASS, "p3": Status.ERROR}
    assert next(x for x in result.findings if x.subject.id == "p3").reason == "ValueError: bad row"
