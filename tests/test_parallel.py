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


def test_a_shard_split_over_processes_and_its_baseline_are_the_same(tenant: Path, tmp_path: Path) -> None:
    base = tmp_path / "baseline.json"
    args = ("audit", "--tenant", str(tenant), "--offline", "--now", NOW, "--shard", "2/3", "--baseline", str(base))
    made = pd(*args, "--write-baseline", "-q")
    assert made.returncode == 0, made.stderr
    written = base.read_text()
    split = pd(*args, "--write-baseline", "-q", "--jobs", "2")
    assert split.returncode == 0 and base.read_text() == written
    one, two = pd(*args, "--format", "sarif"), pd(*args, "--format", "sarif", "--jobs", "2")
    assert one.returncode == two.returncode == 0  # every problem is in the baseline
    assert one.stdout == two.stdout and '"suppressions"' in two.stdout


def test_more_processes_than_customers_give_the_same_report(tmp_path: Path) -> None:
    small = generate(tmp_path, 9)  # three customers, so two of the five parts are empty
    args = ("audit", "--tenant", str(small), "--offline", "--format", "json", "--now", NOW)
    one, five = pd(*args), pd(*args, "--jobs", "5")
    assert one.returncode == five.returncode
    assert findings(five.stdout) == findings(one.stdout)
    assert len(json.loads(one.stdout)["findings"]) > 0


def test_bad_tenant_is_one_clear_error_with_jobs(tmp_path: Path) -> None:
    bad = tmp_path / "tenant.yaml"
    bad.write_text("organisation: [\n")
    for _ in range(5):  # the workers are ended while the pool's own thread runs: no race may show
        # --quiet: on a machine with fewer than 3 cores, a note about them would come first
        result = pd("audit", "--tenant", str(bad), "--offline", "--jobs", "3", "--quiet")
        assert result.returncode == 2
        assert result.stderr.startswith(f"portaldoctor: error: {bad}:2:") and result.stderr.count("\n") == 1


def _demo_work() -> engine.Work:
    from portaldoctor import clock
    from portaldoctor.app import load_plugins
    from portaldoctor.check import CheckContext
    from portaldoctor.snapshot.index import TenantIndex
    from portaldoctor.snapshot.loader import load_tenant

    tenant = load_tenant("demo")
    registry, _ = load_plugins(tenant.platform or "generic")
    ctx = CheckContext(tenant=tenant, index=TenantIndex(tenant), now=clock.now(NOW), offline=True)
    return engine.Work(ctx, engine.plan(registry, engine.Selection()))


def _comparable(found: list[Any]) -> list[tuple[Any, ...]]:
    """Findings without their durations, evidence as plain dicts, in a fixed order."""
    return sorted(((*f[:6], dict(f.evidence), *f[7:8], *f[9:]) for f in found), key=repr)


def test_each_process_prepares_its_own_run(tmp_path: Path) -> None:
    """Workers are forked before the tenant is loaded and load it themselves, so they never
    share (and copy, page by page) the loaded tenant of the process that forked them."""
    import os
    from dataclasses import replace

    seen = tmp_path / "pids"

    def prepare() -> engine.Work:
        with seen.open("a") as fh:
            fh.write(f"{os.getpid()}\n")
        return replace(_demo_work(), keep_passes=False)  # passes counted, so their counts travel

    work, split, made = engine.run_parallel(prepare, jobs=3)
    pids = seen.read_text().split()
    assert len(pids) == len(set(pids)) == 3 and str(os.getpid()) in pids
    whole = engine.run(_demo_work().ctx, work.checks, keep_passes=False)
    assert _comparable(split.findings) == _comparable(whole.findings)
    assert split.passes_by_check == whole.passes_by_check and made == []
    assert sum(whole.passes_by_check.values()) > 0 and any(c.spec.scope.value == "org" for c in work.checks)


def test_a_worker_that_dies_fails_the_run_instead_of_hanging() -> None:
    import os
    import signal

    parent = os.getpid()

    def prepare() -> engine.Work:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer would
        return _demo_work()

    with pytest.raises(engine.WorkerLost, match="ended before sending its part back") as caught:
        engine.run_parallel(prepare, jobs=2)
    assert caught.value.exit_code == 3


def _generic_playbook() -> Any:
    from portaldoctor.app import load_plugins

    return load_plugins("generic")[1].for_platform("generic")


def test_parts_made_apart_merge_into_the_order_of_one_report() -> None:
    import pickle

    from portaldoctor import parts, report

    work = _demo_work()
    found = engine.run(work.ctx, work.checks).findings
    playbook = _generic_playbook()
    ids = list(work.ctx.index.customers)
    mine = set(ids[: len(ids) // 2])
    first = [f for f in found if f.subject.customer_id is None or f.subject.customer_id in mine]
    second = [f for f in found if f.subject.customer_id is not None and f.subject.customer_id not in mine]
    assert first and second
    sent = parts.unpack(pickle.loads(pickle.dumps(parts.pack(parts.made_here(second, playbook)))))
    whole, _ = report.ordered_items(found, playbook)
    assert parts.join([parts.made_here(first, playbook), sent]) == whole
    assert any(item.remedy for item in sent.items) and any(item.root_cause for item in whole)


def test_a_root_cause_is_marked_when_what_it_blocks_is_in_another_part() -> None:
    from portaldoctor import parts
    from portaldoctor.check import Finding, Status, Subject

    cause = Finding("plan-includes-portal", "plan-no-portal", Status.FAIL, Subject("org", "N", "N"))
    blocked = Finding(
        "invitation-state", "invitation-state", Status.SKIP, Subject("contact", "P1", "ana", "C1", "P1"),
        reason="blocked by plan-includes-portal (plan-no-portal)", blocked_by="plan-includes-portal:plan-no-portal",
    )  # fmt: skip
    other = Finding(
        "contact-email-valid", "contact-email-invalid", Status.FAIL, Subject("contact", "P2", "b", "C2", "P2")
    )
    playbook = _generic_playbook()
    alone = parts.made_here([cause], playbook)
    assert not alone.items[0].root_cause  # its own part blocks nothing
    items = parts.join([alone, parts.made_here([blocked, other], playbook)])
    assert [(i.finding.code, i.root_cause) for i in items] == [
        ("plan-no-portal", True),
        ("contact-email-invalid", False),
        ("invitation-state", False),
    ]
    # The same when the blocked skip is only counted (a large audit): its cause travels with the part.
    counted = parts.join([alone, parts.made_here([other], playbook, {"plan-includes-portal:plan-no-portal"})])
    assert [(i.finding.code, i.root_cause) for i in counted] == [
        ("plan-no-portal", True),
        ("contact-email-invalid", False),
    ]


def test_jobs_on_an_audit_with_network_checks_says_it_runs_in_one_process() -> None:
    # The demo replays its recorded network evidence, so this audit runs its network checks.
    result = pd("audit", "--tenant", "demo", "--now", NOW, "--format", "json", "--jobs", "2")
    assert result.returncode in (0, 1), result.stderr
    assert "--jobs 2 is ignored: it splits offline audits only; running in one process" in result.stderr
    assert json.loads(result.stdout)["findings"]
    quiet = pd("audit", "--tenant", "demo", "--now", NOW, "--format", "json", "--jobs", "2", "--quiet")
    assert "--jobs" not in quiet.stderr


def test_a_failing_first_process_does_not_wait_for_its_workers() -> None:
    import os
    import time

    from portaldoctor.errors import InputError

    parent = os.getpid()

    def prepare() -> engine.Work:
        if os.getpid() != parent:
            time.sleep(30)  # a worker deep in a large tenant
            return _demo_work()
        raise InputError("no such tenant", field="--tenant")

    began = time.monotonic()
    with pytest.raises(InputError, match="no such tenant"):
        engine.run_parallel(prepare, jobs=2)
    assert time.monotonic() - began < 10


def test_processes_that_read_different_customers_fail_the_run() -> None:
    import os
    from dataclasses import replace

    parent = os.getpid()

    def prepare() -> engine.Work:
        work = _demo_work()
        if os.getpid() == parent:
            return work
        return replace(work, customer_ids=list(work.ctx.index.customers)[:-1])  # the file changed meanwhile

    with pytest.raises(engine.TenantChanged, match="the tenant changed while it was read") as caught:
        engine.run_parallel(prepare, jobs=2)
    assert caught.value.exit_code == 3


def test_a_tenant_read_from_a_pipe_is_audited_in_one_process() -> None:
    import subprocess

    from portaldoctor.snapshot.loader import demo_path

    text = demo_path("vtiger").read_text()
    args = ("audit", "--offline", "--format", "json", "--now", NOW)
    piped = subprocess.run(
        [sys.executable, "-m", "portaldoctor", *args, "--tenant", "/dev/stdin", "--jobs", "3"],
        input=text, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert "--jobs 3 is ignored: every process reads the tenant, and it is not a regular file" in piped.stderr
    one = pd(*args, "--tenant", "demo:vtiger")
    assert piped.returncode == one.returncode == 1
    said = [(f["check"], f["code"], f["subject"]["id"]) for f in findings(piped.stdout)[1]]
    assert said and said == [(f["check"], f["code"], f["subject"]["id"]) for f in findings(one.stdout)[1]]


def test_only_offline_runs_are_split() -> None:
    assert engine.parallel_jobs(4, offline=True) == 4
    assert engine.parallel_jobs(4, offline=False) == 1
    assert engine.parallel_jobs(None, offline=True) == 1


def test_jobs_must_be_positive_or_auto(tenant: Path) -> None:
    for bad in ("0", "-2", "many"):
        result = pd("audit", "--tenant", str(tenant), "--offline", "--jobs", bad)
        assert result.returncode == 2
        assert result.stderr == (
            f"portaldoctor: error: field '--jobs': '{bad}' is not a number of processes (1 or more) or auto\n"
        )


def test_jobs_auto_is_one_process_per_usable_core(tenant: Path) -> None:
    import os

    from portaldoctor import app
    from portaldoctor.cli import _jobs

    assert _jobs("auto") == _jobs("AUTO") == "auto" and _jobs("3") == 3 and _jobs(None) is None
    assert app.usable_cores() == len(os.sched_getaffinity(0))
    assert app.processes("auto", offline=True, tenant_path=str(tenant)) == (app.usable_cores(), None)
    args = ("audit", "--tenant", str(tenant), "--offline", "--format", "json", "--now", NOW)
    assert findings(pd(*args, "--jobs", "auto").stdout) == findings(pd(*args).stdout)


def test_jobs_auto_starts_no_more_processes_than_memory_holds(
    tenant: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from portaldoctor import app

    small, big = tmp_path / "small", tmp_path / "big"
    for folder, size in ((small, 1_000), (big, 400_000_000)):
        folder.mkdir()
        with (folder / "contacts.csv").open("wb") as fh:
            fh.truncate(size)  # sparse: its size counts, not its blocks
    fits_small, fits_big = app._processes_that_fit(small / "tenant.yaml"), app._processes_that_fit(big / "t.yaml")
    assert fits_small is not None and fits_big is not None and fits_big < fits_small
    monkeypatch.setattr(app, "usable_cores", lambda: 8)
    monkeypatch.setattr(app, "_processes_that_fit", lambda path: 3)
    assert app.processes("auto", offline=True, tenant_path=str(tenant)) == (
        3,
        "--jobs auto: 3 of 8 cores, as many processes as memory allows",
    )
    # a number is taken as given, with a word when it is more than the memory or the cores hold
    assert app.processes(8, offline=True, tenant_path=str(tenant)) == (
        8,
        "--jobs 8: the available memory holds about 3 processes of this tenant (each holds all of it);"
        " --jobs auto starts as many as fit",
    )
    assert app.processes(3, offline=True, tenant_path=str(tenant)) == (3, None)
    monkeypatch.setattr(app, "_processes_that_fit", lambda path: 100)
    assert app.processes(9, offline=True, tenant_path=str(tenant)) == (
        9,
        "--jobs 9: more processes than the 8 usable cores; --jobs auto starts one per core",
    )
    assert app.processes(8, offline=True, tenant_path=str(tenant)) == (8, None)


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
    back = list(engine.unpack_findings(pickle.loads(pickle.dumps(engine.pack_findings(sent)))))
    assert back == sent  # equal field by field
    assert back[0].subject is back[1].subject and back[0].location is back[1].location
    assert type(back[0].evidence) is dict and back[0].status is Status.FAIL
