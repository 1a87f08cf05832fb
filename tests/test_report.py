"""Report: counts, exit codes, root-cause ordering, and the golden JSON of the demo tenant."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from portaldoctor import report
from portaldoctor.check import Finding, Status, Subject
from portaldoctor.playbooks.load import load_builtin
from tests import factories as f

GOLDEN = Path(__file__).parent / "data" / "golden" / "demo_audit.json"


def finding(status: Status, code: str = "customer-portal-disabled", **kw: object) -> Finding:
    return Finding(
        check_id="customer-portal-enabled",
        code=code,
        status=status,
        subject=Subject("customer", "c1", "C1", "c1"),
        **kw,
    )  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("statuses", "fail_on", "exit_code"),
    [
        ([Status.PASS, Status.SKIP], Status.FAIL, 0),
        ([Status.PASS, Status.WARN], Status.FAIL, 0),
        ([Status.PASS, Status.WARN], Status.WARN, 1),
        ([Status.FAIL, Status.ERROR], Status.FAIL, 1),
        ([Status.PASS, Status.ERROR], Status.FAIL, 3),
        ([Status.WARN, Status.ERROR], Status.WARN, 1),
    ],
)
def test_exit_codes(statuses: list[Status], fail_on: Status, exit_code: int) -> None:
    rep = report.build(
        [finding(s) for s in statuses],
        load_builtin().generic,
        tenant="t",
        platform=None,
        command="audit",
        now=f.NOW,
        fail_on=fail_on,
    )
    assert int(rep.exit_code) == exit_code


def test_root_cause_first_and_remedy_rendered() -> None:
    findings = [
        Finding(
            "contact-email-valid",
            "contact-email-valid",
            Status.SKIP,
            Subject("contact", "p1", "p1", "c1", "p1"),
            blocked_by="customer-portal-enabled:customer-portal-disabled",
            reason="blocked",
        ),
        Finding(
            "https-links-enabled",
            "https-links-off",
            Status.FAIL,
            Subject("org", "o", "o"),
            evidence={"domain": "d"},
        ),
        finding(Status.FAIL, evidence={"customer_name": "Acme", "disabled_at": None}),
    ]
    rep = report.build(
        findings,
        load_builtin().profile("upflow"),
        tenant="t",
        platform="upflow",
        command="diagnose",
        now=f.NOW,
    )
    first = rep.items[0]
    assert first.root_cause and first.finding.code == "customer-portal-disabled"
    assert first.remedy is not None and first.remedy.title == "Portal access is switched off for Acme"
    assert any("Payments > Options" in step for step in first.remedy.steps)
    assert rep.counts == {"pass": 0, "warn": 0, "fail": 2, "error": 0, "skip": 1}
    assert rep.summary == "2 failed, 0 warnings, 0 could not check, 1 skipped, 0 passed"


def test_counted_skips_count_group_and_mark_their_causes() -> None:
    from tests.reporters.conftest import JWT, JWT_SIGNATURE

    cause = "customer-portal-enabled:customer-portal-disabled"
    rep = report.build(
        [finding(Status.FAIL, evidence={"customer_name": "Acme", "disabled_at": None}), finding(Status.PASS)],
        load_builtin().generic,
        tenant="t",
        platform=None,
        command="audit",
        now=f.NOW,
        skipped={
            ("link-host", "no link URL", None): 3,
            ("contact-email-valid", "blocked by customer-portal-enabled", cause): 40,
            ("link-validity", f"cannot date token {JWT}", None): 3,
            ("sms-credits", "never", None): 0,
        },
    )
    # Nothing in the findings is blocked by the failure; the counted skips are.
    assert rep.items[0].root_cause
    assert rep.counts == {"pass": 1, "warn": 0, "fail": 1, "error": 0, "skip": 46}
    assert [(g.check_id, g.skipped, g.blocked_by) for g in rep.skip_groups] == [
        ("contact-email-valid", 40, cause),
        ("link-host", 3, None),
        ("link-validity", 3, None),
    ]
    assert JWT_SIGNATURE not in rep.skip_groups[2].reason and rep.skip_groups[2].reason.startswith("cannot date token ")


def _normalise(doc: dict[str, object]) -> dict[str, object]:
    text = json.dumps(doc)
    from portaldoctor.snapshot.sources import demo

    text = text.replace(str(demo.folder()), "<demo>")
    data = json.loads(text)
    for item in data["findings"]:
        item["duration_ms"] = 0
    return data  # type: ignore[no-any-return]


def test_golden_json_for_demo_tenant() -> None:
    from portaldoctor.reporters.json_report import report_dict
    from tests.factories import offline_audit

    rep = offline_audit()
    actual = _normalise(report_dict(rep))
    if os.environ.get("UPDATE_GOLDEN") or not GOLDEN.exists():
        GOLDEN.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert actual == expected, "demo report changed; review and regenerate with UPDATE_GOLDEN=1"
