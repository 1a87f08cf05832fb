"""SARIF: schema-valid, one rule per check, levels mapped, locations on the tenant file's lines."""

from __future__ import annotations

import json

import jsonschema  # type: ignore[import-untyped]
import pytest

from portaldoctor.check import Severity, Status
from portaldoctor.report import Report
from portaldoctor.reporters import sarif
from tests.reporters.conftest import DATA, ROOT, check_golden, sample_items

SCHEMA = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def validate(doc: dict[str, object]) -> None:
    jsonschema.Draft7Validator(SCHEMA).validate(doc)


def test_hand_made_report_is_valid_sarif_and_matches_golden(report: Report) -> None:
    text = sarif.render(report, root=ROOT)
    doc = json.loads(text)
    validate(doc)
    check_golden("sample.sarif", text)


def test_demo_audit_is_valid_sarif(demo_report: Report) -> None:
    doc = sarif.sarif_dict(demo_report)
    validate(doc)
    run = doc["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert len(rule_ids) == len(set(rule_ids)), "one rule per check"
    assert {r["ruleId"] for r in run["results"]} <= set(rule_ids)
    assert len(run["results"]) == demo_report.counts["fail"] + demo_report.counts["warn"]


def test_rules_carry_playbook_help_and_results_point_at_file_lines(report: Report) -> None:
    run = sarif.sarif_dict(report, root=ROOT)["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    portal = rules["customer-portal-enabled"]
    assert portal["shortDescription"]["text"] == "Customer portal enabled"
    assert "First step for customer-portal-disabled." in portal["help"]["text"]
    assert "### customer-portal-disabled" in portal["help"]["markdown"]
    assert portal["helpUri"] == "https://help.example/portal"
    result = next(r for r in run["results"] if r["ruleId"] == "customer-portal-enabled")
    physical = result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "tenant.yaml", "uriBaseId": "%SRCROOT%"}
    assert physical["region"] == {"startLine": 39}
    assert rules[result["ruleId"]] is run["tool"]["driver"]["rules"][result["ruleIndex"]]
    assert result["partialFingerprints"][sarif.FINGERPRINT_KEY] == sarif.fingerprint(report.items[0])


def test_file_outside_root_becomes_absolute_file_uri(report: Report) -> None:
    run = sarif.sarif_dict(report, root="/somewhere/else")["runs"][0]
    artifact = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "file:///srv/tenants/northwind/tenant.yaml"}


@pytest.mark.parametrize(
    ("status", "severity", "level"),
    [
        (Status.FAIL, Severity.CRITICAL, "error"),
        (Status.FAIL, Severity.HIGH, "error"),
        (Status.FAIL, Severity.MEDIUM, "warning"),
        (Status.FAIL, Severity.LOW, "note"),
        (Status.WARN, Severity.HIGH, "warning"),
        (Status.WARN, Severity.LOW, "note"),
    ],
)
def test_levels(status: Status, severity: Severity, level: str) -> None:
    import dataclasses

    item = sample_items()[0]
    item = item._replace(
        finding=item.finding._replace(status=status),
        remedy=dataclasses.replace(item.remedy, severity=severity),  # type: ignore[type-var]
    )
    assert sarif.level(item) == level


def test_suppressed_finding_stays_visible_with_a_justification(report: Report) -> None:
    run = sarif.sarif_dict(report, root=ROOT)["runs"][0]
    suppressed = [r for r in run["results"] if "suppressions" in r]
    assert [r["ruleId"] for r in suppressed] == ["sms-credits"]
    assert suppressed[0]["suppressions"] == [
        {"kind": "external", "state": "accepted", "justification": "SMS is not used for the portal here"}
    ]


def test_could_not_check_is_a_notification_not_a_result(report: Report) -> None:
    run = sarif.sarif_dict(report, root=ROOT)["runs"][0]
    assert "dns-records" not in {r["ruleId"] for r in run["results"]}
    (note,) = run["invocations"][0]["toolExecutionNotifications"]
    assert note["level"] == "error" and "resolver timed out" in note["message"]["text"]
    assert note["descriptor"] == {"id": "dns-records"}
    assert run["invocations"][0]["exitCode"] == 1
