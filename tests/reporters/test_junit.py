"""JUnit XML: schema-valid; a case per check and subject; failures carry the remedy, errors the reason."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import xmlschema

from portaldoctor.check import Status
from portaldoctor.report import Report
from portaldoctor.reporters import junit
from tests.reporters.conftest import DATA, check_golden, sample_report

SCHEMA = xmlschema.XMLSchema(str(DATA / "junit.xsd"))


def cases(text: str) -> dict[str, ET.Element]:
    root = ET.fromstring(text)
    return {f"{c.get('classname')}|{c.get('name')}": c for c in root.iter("testcase")}


def test_hand_made_report_is_valid_junit_and_matches_golden(report: Report) -> None:
    text = junit.render(report)
    SCHEMA.validate(text)
    check_golden("sample.junit.xml", text)


def test_demo_audit_is_valid_junit(demo_report: Report) -> None:
    text = junit.render(demo_report)
    SCHEMA.validate(text)
    root = ET.fromstring(text)
    failures = sum(int(s.get("failures", "0")) for s in root.iter("testsuite"))
    assert failures == demo_report.counts["fail"]


def test_failure_carries_the_remedy_and_error_the_reason(report: Report) -> None:
    c = cases(junit.render(report))
    failure = c["portaldoctor.customer-portal-enabled|Bluebird Logistics [customer:C-2]"].find("failure")
    assert failure is not None
    assert failure.get("message") == (
        "Portal access is switched off for Bluebird Logistics — First step for customer-portal-disabled."
    )
    assert failure.get("type") == "customer-portal-disabled (fail, high)"
    assert "2. Second step for customer-portal-disabled." in (failure.text or "")
    assert "disabled_at: 2026-11-02 10:15 UTC" in (failure.text or "")
    error = c["portaldoctor.dns-records|Northwind Supplies [org:org]"].find("error")
    assert error is not None and error.get("message") == "could not check: resolver timed out after 5 s"
    suppressed = c["portaldoctor.sms-credits|Northwind Supplies [org:org]"].find("skipped")
    assert suppressed is not None and suppressed.get("message") == "suppressed: SMS is not used for the portal here"
    assert list(c["portaldoctor.contact-email-valid|ana@acme.example [contact:P-1]"]) == []


def test_warnings_fail_only_with_fail_on_warn() -> None:
    key = "portaldoctor.contact-opt-out|ana@acme.example [contact:P-1]"
    default = cases(junit.render(sample_report()))[key]
    assert default.find("failure") is None and default.find("skipped") is not None
    strict = cases(junit.render(sample_report(fail_on=Status.WARN)))[key]
    assert strict.find("failure") is not None
