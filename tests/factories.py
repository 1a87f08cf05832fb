"""Factories with defaults: tenants, customers, contacts, and a one-call check runner."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from portaldoctor import engine
from portaldoctor.check import Check, CheckContext, Finding, Inputs, Status
from portaldoctor.playbooks.rules import Rules
from portaldoctor.registry import Registry
from portaldoctor.report import Report
from portaldoctor.snapshot.index import TenantIndex
from portaldoctor.snapshot.model import Tenant

NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)


def customer(id: str = "c1", **fields: Any) -> dict[str, Any]:
    """A customer dict with sensible defaults."""
    return {
        "id": id,
        "name": fields.pop("name", f"Customer {id}"),
        "portal_enabled": True,
        "active": True,
    } | fields


def contact(id: str = "p1", customer: str = "c1", **fields: Any) -> dict[str, Any]:
    """A portal contact dict with sensible defaults."""
    return {
        "id": id,
        "customer": customer,
        "name": f"Contact {id}",
        "email": f"{id}@example.com",
        "portal_user": True,
    } | fields


def tenant(
    *,
    organisation: dict[str, Any] | None = None,
    customers: list[dict[str, Any]] | None = None,
    contacts: list[dict[str, Any]] | None = None,
    **rest: Any,
) -> Tenant:
    """A validated Tenant; by default one healthy customer with one contact."""
    org = {"name": "Test Org"} | (organisation or {})
    return Tenant.model_validate(
        {
            "organisation": org,
            "customers": [customer()] if customers is None else customers,
            "contacts": [contact()] if contacts is None else contacts,
            **rest,
        }
    )


def context(
    t: Tenant,
    *,
    now: dt.datetime = NOW,
    offline: bool = False,
    rules: Mapping[str, Any] | None = None,
    browser: str | None = None,
    clicked: Mapping[str, str] | None = None,
) -> CheckContext:
    """A CheckContext over a tenant at a fixed moment; ``rules`` over the generic product rules."""
    return CheckContext(
        tenant=t,
        index=TenantIndex(t),
        now=now,
        offline=offline,
        rules=Rules.model_validate(dict(rules or {})),
        inputs=Inputs(browser=browser, clicked=dict(clicked or {})),
    )


def run(
    checks: list[Check] | Check,
    t: Tenant,
    *,
    now: dt.datetime = NOW,
    customer_ids: list[str] | None = None,
    **context_fields: Any,
) -> list[Finding]:
    """Run checks (in the order given, after dependency ordering) and return every finding;
    ``context_fields`` as ``context`` takes them (rules, browser, clicked)."""
    items = checks if isinstance(checks, list) else [checks]
    registry = Registry({c.spec.id: c for c in items})
    planned = engine.plan(registry, engine.Selection())
    return engine.run(context(t, now=now, **context_fields), planned, customer_ids=customer_ids).findings


def codes(findings: list[Finding], *statuses: Status) -> list[str]:
    """Codes of the findings with one of these statuses (default: fail and warn), sorted."""
    wanted = statuses or (Status.FAIL, Status.WARN)
    return sorted(f.code for f in findings if f.status in wanted)


def with_probes(ctx: CheckContext, probes: object) -> CheckContext:
    """The same context with network probes attached."""
    import dataclasses

    return dataclasses.replace(ctx, probes=probes)


def org_target(t: Tenant) -> object:
    """The organisation target of a tenant (for calling an org-scope check directly)."""
    from portaldoctor.check import Scope

    return engine.targets_for(context(t), Scope.ORG, None)[0]


def offline_audit(tenant: str = "demo", *, list_all: bool = False) -> Report:
    """The report of an offline audit at NOW, as ``portaldoctor audit --offline`` builds it."""
    from portaldoctor.session import Network, Run, Session
    from portaldoctor.snapshot.sources import open_source

    session = Session(open_source(tenant), now=NOW, network=Network(offline=True))
    return session.run(Run("audit", keep_passes=True if list_all else None))


def run_in(ctx: CheckContext, checks: list[Check] | Check) -> list[Finding]:
    """Run checks (after dependency ordering) in a context prepared by the caller (probes, inputs,
    a profile's rules) and return every finding."""
    items = checks if isinstance(checks, list) else [checks]
    registry = Registry({c.spec.id: c for c in items})
    return engine.run(ctx, engine.plan(registry, engine.Selection())).findings


def builtin_with_prerequisites(check_id: str) -> list[Check]:
    """A registered built-in check and every check it depends on, transitively, as a run plans them."""
    from portaldoctor.plugins import Plugins

    registry = Plugins.load().registry
    return engine.plan(registry, engine.Selection(checks=frozenset({check_id})))
