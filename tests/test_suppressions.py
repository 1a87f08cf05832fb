"""Suppressions (reason required, expiry with a note) and baselines (CI fails only on new problems)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from portaldoctor import suppressions
from portaldoctor.errors import InputError, SourceLocation
from tests.reporters.conftest import sample_report
from tests.test_cli import NOW, pd

TODAY = dt.date(2026, 11, 22)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "suppressions.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("entry", "matched"),
    [
        ({"code": "customer-portal-disabled"}, ["customer-portal-disabled"]),
        ({"check": "customer-portal-enabled"}, ["customer-portal-disabled"]),
        ({"code": "customer-portal-disabled", "subject": "C-2"}, ["customer-portal-disabled"]),
        ({"code": "customer-portal-disabled", "subject": "customer:C-2"}, ["customer-portal-disabled"]),
        ({"code": "customer-portal-disabled", "subject": "bluebird logistics"}, ["customer-portal-disabled"]),
        ({"code": "customer-portal-disabled", "subject": "C-1"}, []),
        ({"check": "link-validity", "subject": "C-2"}, ["link-expired"]),  # a customer covers its links
        ({"check": "contact-opt-out", "code": "other-code"}, []),
    ],
)
def test_matching(entry: dict[str, str], matched: list[str]) -> None:
    rules = suppressions.parse([{**entry, "reason": "accepted"}], "s.yaml")
    report, notes = suppressions.apply(sample_report(), rules, today=TODAY)
    got = [i.finding.code for i in report.items if i.suppressed == "accepted"]
    assert got == matched
    assert notes == []


def test_suppressed_findings_leave_the_exit_code() -> None:
    rules = suppressions.parse(
        [
            {"check": c, "reason": "known"}
            for c in ("customer-portal-enabled", "https-links-enabled", "link-validity", "dns-records")
        ],
        "s.yaml",
    )
    before = sample_report()
    after, _ = suppressions.apply(before, rules, today=TODAY)
    assert int(before.exit_code) == 1 and int(after.exit_code) == 0
    assert after.counts["fail"] == 0 and after.suppressed_count == 5
    assert after.summary.endswith("5 suppressed")
    assert len(after.items) == len(before.items), "suppressed findings stay in the report"


def test_expired_suppression_comes_back_with_a_note(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "suppressions:\n"
        "  - code: customer-portal-disabled\n"
        "    reason: customer in offboarding\n"
        "    expires: 2026-11-01\n"
        "  - code: link-expired\n"
        "    reason: until the resend\n"
        "    expires: 2026-11-22\n",
    )
    report, notes = suppressions.apply(sample_report(), suppressions.load(path), today=TODAY)
    portal = next(i for i in report.items if i.finding.code == "customer-portal-disabled")
    assert portal.suppressed is None
    assert portal.note == "suppression expired on 2026-11-01: customer in offboarding"
    assert notes == [f"{path}:2: suppression of customer-portal-disabled expired on 2026-11-01; it counts again"]
    link = next(i for i in report.items if i.finding.code == "link-expired")
    assert link.suppressed == "until the resend", "the expiry day itself still holds"


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("- code: x\n", "needs a reason", 1),
        ("- code: x\n  reason: ' '\n", "needs a reason", 1),
        ("- reason: r\n", "needs a check or a code", 1),
        ("- code: x\n  reason: r\n  until: 2026-01-01\n", "unknown key 'until'", 3),
        ("- code: x\n  reason: r\n  expires: soon\n", "'soon' is not a date", 3),
        ("suppression: []\n", "unknown key 'suppression'", 1),
    ],
)
def test_bad_file(tmp_path: Path, text: str, message: str, line: int) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InputError, match=message) as info:
        suppressions.load(path)
    assert info.value.location == SourceLocation(str(path), line, info.value.location.column)  # type: ignore[union-attr]


def test_cli_suppressions_and_expiry_note(tmp_path: Path) -> None:
    path = write(tmp_path, "- check: customer-portal-enabled\n  reason: paused on purpose\n  expires: 2026-01-31\n")
    out = pd(
        "diagnose", "Bluebird Logistics", "--offline", "--now", NOW, "--suppressions", str(path), "-f", "json",
        cwd=tmp_path,
    )  # fmt: skip
    assert out.returncode == 1
    assert "suppression of customer-portal-enabled expired on 2026-01-31; it counts again" in out.stderr
    doc = json.loads(out.stdout)
    portal = next(f for f in doc["findings"] if f["check"] == "customer-portal-enabled")
    assert portal["note"] == "suppression expired on 2026-01-31: paused on purpose"


def test_baseline_fails_only_on_new_problems(tmp_path: Path) -> None:
    base = tmp_path / "baseline.json"
    missing = pd("audit", "--offline", "--now", NOW, "--baseline", str(base), cwd=tmp_path)
    assert missing.returncode == 2 and "create it with --write-baseline" in missing.stderr

    made = pd("audit", "--offline", "--now", NOW, "--baseline", str(base), "--write-baseline", "-q", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    entries = json.loads(base.read_text())["suppressions"]
    assert entries and all(e["reason"] == "in the baseline of 2026-11-22" for e in entries)

    again = pd("audit", "--offline", "--now", NOW, "--baseline", str(base), "-f", "sarif", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    results = json.loads(again.stdout)["runs"][0]["results"]
    assert results and all("suppressions" in r for r in results), "baselined problems stay visible in SARIF"

    # One known problem leaves the baseline: it is "new" again and fails the run.
    base.write_text(json.dumps({"suppressions": entries[1:]}))
    new = pd("audit", "--offline", "--now", NOW, "--baseline", str(base), "-f", "json", cwd=tmp_path)
    assert new.returncode == 1
    counted = [
        f for f in json.loads(new.stdout)["findings"] if f["status"] in ("fail", "warn") and "suppressed" not in f
    ]
    assert [(f["check"], f["code"]) for f in counted] == [(entries[0]["check"], entries[0]["code"])]
