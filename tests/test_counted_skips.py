"""A large audit counts its passes and skips (skips by check and reason) instead of listing them;
``--list-all`` lists them, and a diagnosis lists its customer's skips."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from portaldoctor.check import CheckContext, CheckSpec, Outcome, Scope, Status, Target, fail
from portaldoctor.report import Report, SkipGroup
from tests.reporters.test_junit import SCHEMA
from tests.test_cli import NOW, pd


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A generated tenant above the size where passes and skips are counted (1,500 customers, 4,500 contacts)."""
    from benchmarks.generate import generate

    return str(generate(tmp_path_factory.mktemp("large"), 4_500))


def audit(tenant: str, *args: str) -> dict[str, Any]:
    out = pd("audit", "--tenant", tenant, "--offline", "--now", NOW, "-f", "json", *args)
    assert out.returncode == 1, out.stderr
    doc: dict[str, Any] = json.loads(out.stdout)
    for f in doc["findings"]:
        f["duration_ms"] = 0
    return doc


def test_a_large_audit_counts_skips_by_check_and_reason(large: str) -> None:
    counted, listed = audit(large), audit(large, "--list-all")
    assert counted["summary"]["counts"] == listed["summary"]["counts"]
    assert "counted_skips" not in listed["summary"]
    statuses = Counter(f["status"] for f in listed["findings"])
    assert statuses["skip"] == listed["summary"]["counts"]["skip"] > 1_000
    assert statuses["pass"] == listed["summary"]["counts"]["pass"]

    # Counted: no skip or pass listed, and the groups are exactly the listed skips, grouped.
    assert {f["status"] for f in counted["findings"]} == {"fail", "warn"}
    groups = {(g["check"], g["reason"], g["blocked_by"]): g["count"] for g in counted["summary"]["counted_skips"]}
    assert groups == Counter(
        (f["check"], f["reason"], f["blocked_by"]) for f in listed["findings"] if f["status"] == "skip"
    )
    sizes = [g["count"] for g in counted["summary"]["counted_skips"]]
    assert sizes == sorted(sizes, reverse=True)

    # The problems, their order and their root causes are the same either way, though the
    # failures that block the skips no longer have a listed skip naming them.
    problems = [f for f in listed["findings"] if f["status"] in ("fail", "warn")]
    assert counted["findings"] == problems
    roots = {f"{f['check']}:{f['code']}" for f in problems if f["root_cause"]}
    assert roots == {cause for _, _, cause in groups if cause} and roots


class _OrgGate:
    """An organisation-wide check that fails."""

    spec = CheckSpec("org-gate", "Organisation gate", Scope.ORG, ("customer-portal-disabled",))

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        yield fail("customer-portal-disabled", customer_name="every customer", disabled_at=None)


class _BehindGate:
    """A contact check that waits on the organisation's gate, so every contact is blocked."""

    spec = CheckSpec("behind-gate", "Behind the gate", Scope.CONTACT, ("contact-opted-out",), ("org-gate",))

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        return iter(())


def test_an_organisation_failure_that_blocks_every_part_is_a_root_cause(
    large: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What an organisation-wide failure blocks, and is only counted, makes it a root cause."""
    from portaldoctor.plugins import Plugins
    from portaldoctor.registry import Registry
    from tests.factories import offline_audit

    found = Plugins.load

    def plugins(profile: str | None = None) -> Any:
        loaded = found(profile)
        checks = {**loaded.registry.checks, "org-gate": _OrgGate(), "behind-gate": _BehindGate()}
        return Plugins(Registry(checks), loaded.books)

    monkeypatch.setattr(Plugins, "load", plugins)
    rep = offline_audit(large)
    gate = next(i for i in rep.items if i.finding.check_id == "org-gate")
    assert gate.root_cause
    behind = [g for g in rep.skip_groups if g.check_id == "behind-gate"]
    assert [(g.blocked_by, g.skipped) for g in behind] == [("org-gate:customer-portal-disabled", 4_500)]


def test_shards_count_the_same_skip_groups_as_the_full_audit(large: str) -> None:
    whole = audit(large)["summary"]
    summed: Counter[tuple[str, str, str | None]] = Counter()
    for i in (1, 2, 3):
        for g in audit(large, "--shard", f"{i}/3")["summary"]["counted_skips"]:
            summed[g["check"], g["reason"], g["blocked_by"]] += g["count"]
    assert summed == {(g["check"], g["reason"], g["blocked_by"]): g["count"] for g in whole["counted_skips"]}


def test_a_diagnosis_lists_its_customers_skips(large: str) -> None:
    blocked = next(f for f in audit(large)["findings"] if f["code"] == "customer-portal-disabled" and f["root_cause"])
    out = pd("diagnose", blocked["subject"]["id"], "--tenant", large, "--offline", "--now", NOW, "-f", "json")
    doc = json.loads(out.stdout)
    skips = [f for f in doc["findings"] if f["status"] == "skip"]
    assert "counted_skips" not in doc["summary"] and len(skips) == doc["summary"]["counts"]["skip"]
    assert any(f["blocked_by"] == "customer-portal-enabled:customer-portal-disabled" for f in skips)


def test_every_report_shows_the_counted_skips(large: str, tmp_path: Path) -> None:
    outputs = {fmt: tmp_path / f"report.{fmt}" for fmt in ("table", "junit", "markdown", "html")}
    args = [f"--output={fmt}:{path}" for fmt, path in outputs.items()]
    doc = json.loads(pd("audit", "--tenant", large, "--offline", "--now", NOW, "-f", "json", *args).stdout)
    table = outputs["table"].read_text()
    groups = doc["summary"]["counted_skips"]
    top = groups[0]

    assert "Skipped, counted (--list-all lists them one by one)" in table
    assert f"{top['check']} × {top['count']:,}" in table and top["reason"] in table
    assert table.count("– SKIP") == len(groups)

    markdown = outputs["markdown"].read_text()
    assert f"| `{top['check']}` | {top['count']} | {top['reason']} |" in markdown

    html = outputs["html"].read_text()
    assert html.count('<td data-count="') == len(groups)
    assert f'<td data-count="{top["check"]}">{top["count"]}</td>' in html

    SCHEMA.validate(str(outputs["junit"]))
    root = ET.parse(outputs["junit"]).getroot()
    skipped = {
        (case.get("classname"), node.get("message"))
        for case in root.iter("testcase")
        for node in case.findall("skipped")
        if not (node.get("message") or "").startswith("warning:")
    }
    assert {(f"portaldoctor.{g['check']}", f"{g['count']} not checked: {g['reason']}") for g in groups} == skipped
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert int(suites[top["check"]].get("skipped", "0")) >= 1
    assert sum(int(s.get("tests", "0")) for s in suites.values()) == len(list(root.iter("testcase")))


def test_help_gives_the_size_above_which_results_are_counted() -> None:
    from portaldoctor.session import LIST_ALL_UP_TO

    assert f"more than {LIST_ALL_UP_TO:,} customers" in " ".join(pd("audit", "--help").stdout.split())


def _skip_only(*groups: SkipGroup) -> Report:
    """The hand-made report's skip and pass, alone, with ``groups`` counted beside them."""
    from tests.reporters.conftest import sample_items, sample_report

    kept = tuple(i for i in sample_items() if i.finding.status in (Status.SKIP, Status.PASS))
    return sample_report(items=kept, skip_groups=groups)


def test_listed_and_counted_skips_read_the_same_way() -> None:
    from portaldoctor.reporters import junit, markdown, table

    group = SkipGroup("link-host", "no link URL", None, 3)
    both, listed = _skip_only(group), _skip_only()
    # No problems, whether the skips are listed or counted.
    assert "No problems found" in table.render(listed) and "No problems found" in table.render(both)
    # The table of counted skips starts a paragraph of its own after the listed ones.
    text = markdown.render(both)
    assert "on ben@bluebird.example: blocked by customer-portal-enabled" in text
    assert "blocked by customer-portal-enabled (customer-portal-disabled)\n\nCounted, not listed" in text
    # A group's JUnit case keeps its name when its count changes, so CI history follows it.
    names = [
        {c.get("name") for c in ET.fromstring(junit.render(_skip_only(group._replace(skipped=n)))).iter("testcase")}
        for n in (3, 40)
    ]
    assert names[0] == names[1] and "no link URL" in names[0]
