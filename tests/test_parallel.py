"""``audit --jobs N``: the same report from N forked processes as from one."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from benchmarks.generate import generate
from portaldoctor import engine
from tests.test_cli import NOW, pd

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="workers are forked")


def findings(text: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    doc = json.loads(text)
    for f in doc["findings"]:
        f["duration_ms"] = 0
    return doc["summary"], doc["findings"]


@pytest.fixture(scope="module")
def tenant(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("par"), 1500)


def test_three_processes_give_the_same_report_as_one(tenant: Path) -> None:
    one = pd("audit", "--tenant", str(tenant), "--offline", "--format", "json", "--now", NOW)
    three = pd("audit", "--tenant", str(tenant), "--offline", "--format", "json", "--now", NOW, "--jobs", "3")
    assert one.returncode == three.returncode == 1
    summary, items = findings(one.stdout)
    assert findings(three.stdout) == (summary, items)  # same findings, same order, same counts
    checks = {f["check"] for f in items}
    assert {"customer-portal-enabled", "contact-email-valid", "duplicate-portal-email"} <= checks
    assert any(f["status"] == "skip" and f["blocked_by"] for f in items)  # blocking crosses nothing


def test_organisation_findings_appear_once(tenant: Path) -> None:
    result = pd("audit", "--tenant", str(tenant), "--offline", "--format", "json", "--now", NOW, "--jobs", "2")
    _, items = findings(result.stdout)
    org = [(f["check"], f["code"], f["subject"]["id"]) for f in items if f["subject"]["customer_id"] is None]
    assert org and len(org) == len(set(org))


def test_only_offline_runs_are_split() -> None:
    assert engine.parallel_jobs(4, offline=True) == 4
    assert engine.parallel_jobs(4, offline=False) == 1
    assert engine.parallel_jobs(None, offline=True) == 1


def test_jobs_must_be_positive(tenant: Path) -> None:
    result = pd("audit", "--tenant", str(tenant), "--offline", "--jobs", "0")
    assert result.returncode == 2


def test_findings_travel_back_whole_and_keep_sharing_their_subjects() -> None:
    import pickle
    from types import MappingProxyType

    from portaldoctor.check import Finding, Status, Subject
    from portaldoctor.errors import SourceLocation

    who, where = Subject("contact", "P1", "ana@example.com", "C1", "P1"), SourceLocation("contacts.csv", 7)
    sent = [
        Finding("contact-email-valid", "contact-email-invalid", Status.FAIL, who, "ana@", "an address",
                MappingProxyType({"email": "ana@"}), where, 0.5),
        Finding("invitation-state", "invitation-state", Status.SKIP, who, location=where,
                reason="blocked by contact-email-valid (contact-email-invalid)",
                blocked_by="contact-email-valid:contact-email-invalid"),
        Finding("plan-includes-portal", "plan-no-portal", Status.FAIL, Subject("org", "N", "N")),
    ]  # fmt: skip
    back = list(engine._unpack(pickle.loads(pickle.dumps(engine._pack(sent))), {"plan-includes-portal"}))
    assert back == [sent[0], sent[1]]  # equal field by field; the organisation's finding left out
    assert back[0].subject is back[1].subject and back[0].location is back[1].location
    assert type(back[0].evidence) is dict and back[0].status is Status.FAIL
