"""Every command through the installed entry point: exit code, stdout and stderr together."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

NOW = "2026-11-22T12:00:00Z"


def pd(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the ``portaldoctor`` console script (falls back to ``python -m portaldoctor``)."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    full_env.pop("PORTALDOCTOR_TENANT", None) if env is None else None
    return subprocess.run([*command(), *args], capture_output=True, text=True, timeout=60, env=full_env, cwd=cwd)


def command() -> list[str]:
    """The ``portaldoctor`` console script beside this Python, or ``python -m portaldoctor``."""
    exe = shutil.which("portaldoctor", path=os.path.dirname(sys.executable))
    return [exe] if exe else [sys.executable, "-m", "portaldoctor"]


def test_help_documents_exit_codes() -> None:
    out = pd("--help")
    assert out.returncode == 0
    for word in ("diagnose", "audit", "explain", "schema", "checks", "playbooks", "Exit codes"):
        assert word in out.stdout


def test_version() -> None:
    from portaldoctor import __version__

    out = pd("--version")
    assert out.returncode == 0 and out.stdout.strip() == f"portaldoctor {__version__}"


def test_python_dash_m_works() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "portaldoctor", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0 and "portaldoctor" in out.stdout


def test_diagnose_names_root_cause_and_remedy() -> None:
    out = pd("diagnose", "Bluebird Logistics", "--tenant", "demo", "--offline", "--now", NOW)
    assert out.returncode == 1, out.stderr
    assert "Portal access is switched off for Bluebird Logistics  [root cause]" in out.stdout
    assert "Payments > Options" in out.stdout  # the Upflow profile's menu path
    assert "blocked by customer-portal-enabled" in out.stdout
    assert out.stderr == ""


def test_diagnose_matches_id_external_id_and_contact_email() -> None:
    for query in ("C-1001", "NS-1001", "acme manufacturing", "ANA.LIMA@acme-mfg.example"):
        out = pd("diagnose", query, "--tenant", "demo", "--offline", "--format", "json", "--now", NOW)
        assert out.returncode in (0, 1), out.stderr
        assert json.loads(out.stdout)["scope"]["customer"]["id"] == "C-1001"


def test_unknown_customer_lists_closest_and_exits_2() -> None:
    out = pd("diagnose", "Bluebird Logistic", "--tenant", "demo")
    assert out.returncode == 2
    assert out.stdout == ""
    assert "no customer matches 'Bluebird Logistic'; closest: Bluebird Logistics (C-1002)" in out.stderr
    assert "Traceback" not in out.stderr


def test_ambiguous_customer_exits_2() -> None:
    out = pd("diagnose", "ap@delta-fab.example", "--tenant", "demo")
    assert out.returncode == 2
    assert "matches several customers" in out.stderr and "C-1004" in out.stderr and "C-1005" in out.stderr


def test_json_is_alone_on_stdout_and_versioned() -> None:
    out = pd("audit", "--tenant", "demo", "--offline", "--format", "json", "--now", NOW)
    assert out.returncode == 1
    doc = json.loads(out.stdout)
    assert doc["report_version"] == 1
    assert doc["summary"]["exit_code"] == 1
    assert doc["summary"]["counts"]["fail"] >= 3


def test_tenant_from_environment(tmp_path: Path) -> None:
    out = pd("audit", "--offline", "--format", "json", env={"PORTALDOCTOR_TENANT": "demo"})
    assert json.loads(out.stdout)["tenant"] == "Northwind Supplies"


def test_bad_tenant_is_one_line_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "tenant.yaml"
    bad.write_text("organisation:\n  name: X\n  colour: red\n")
    out = pd("audit", "--tenant", str(bad))
    assert out.returncode == 2
    assert out.stderr.strip() == f"portaldoctor: error: {bad}:3: field 'organisation.colour': unknown key"


def test_fail_on_warn_and_healthy_exit_0(tmp_path: Path) -> None:
    tenant = tmp_path / "tenant.yaml"
    tenant.write_text(
        "organisation: {name: X, portal: {account_picker: true}, deliverability: {https_links: true}}\n"
        "customers: [{id: a, name: A, portal_enabled: true}, {id: b, name: B, portal_enabled: true}]\n"
        "contacts: [{id: p, customer: a, email: x@y.example}, {id: q, customer: b, email: x@y.example}]\n"
    )
    base = ("audit", "--tenant", str(tenant), "--offline", "--check", "duplicate-portal-email")
    assert pd(*base).returncode == 0
    assert pd(*base, "--fail-on", "warn").returncode == 1
    assert pd(*base, "--fail-on", "never").returncode == 2


def test_check_and_skip_selection() -> None:
    out = pd(
        "audit",
        "--tenant",
        "demo",
        "--offline",
        "--format",
        "json",
        "--check",
        "https-links-enabled",
    )
    checks = {f["check"] for f in json.loads(out.stdout)["findings"]}
    assert checks == {"https-links-enabled"}
    out = pd("audit", "--tenant", "demo", "--check", "no-such-check")
    assert out.returncode == 2 and "unknown check id 'no-such-check'" in out.stderr


def test_checks_list_and_json() -> None:
    out = pd("checks", "list")
    assert out.returncode == 0 and "customer-portal-enabled" in out.stdout
    doc = json.loads(pd("checks", "list", "--json").stdout)
    ids = {c["id"] for c in doc["checks"]}
    assert {
        "customer-portal-enabled",
        "contact-email-valid",
        "duplicate-portal-email",
        "https-links-enabled",
    } <= ids


def test_explain_check_and_code() -> None:
    out = pd("explain", "customer-portal-enabled")
    assert out.returncode == 0
    assert "Customer portal not found" in out.stdout and "[upflow]" in out.stdout
    out = pd("explain", "https-links-blocked-by-dns", "--platform", "upflow")
    assert out.returncode == 0 and "Settings > Deliverability" in out.stdout
    out = pd("explain", "customer-portal-enable")
    assert out.returncode == 2 and "did you mean customer-portal-enabled" in out.stderr


def test_explain_reads_remedies_as_prose_and_shows_the_source_on_request() -> None:
    out = pd("explain", "invitation-pending", "--platform", "ar-automation")
    assert out.returncode == 0
    assert "‹contact name›'s invitation is still pending[ after ‹days› day(s)]" in out.stdout
    assert "The invitation was sent[ on ‹sent›] but not accepted." in out.stdout
    assert "{{" not in out.stdout and "{%" not in out.stdout
    out = pd("explain", "customer-portal-disabled", "--platform", "vtiger")
    assert "Open ‹customer name› in Vtiger and switch" in out.stdout, "the profile names its product"
    source = pd("explain", "invitation-pending", "--platform", "ar-automation", "--source")
    assert source.returncode == 0
    assert "{{ contact_name }}'s invitation is still pending{% if days is not none %}" in source.stdout


def test_schema_is_json_schema() -> None:
    out = pd("schema")
    schema = json.loads(out.stdout)
    assert schema["title"] == "portaldoctor tenant snapshot"
    assert "organisation" in schema["properties"]


def test_playbooks_lint_passes() -> None:
    out = pd("playbooks", "lint")
    assert out.returncode == 0, out.stdout
    assert "0 problems" in out.stdout


def test_usage_error_exit_2() -> None:
    out = pd("diagnose")
    assert out.returncode == 2
    assert "Missing argument" in out.stderr


@pytest.mark.parametrize("fmt", ["xml"])
def test_unknown_format_exit_2(fmt: str) -> None:
    out = pd("audit", "--tenant", "demo", "--format", fmt)
    assert out.returncode == 2 and "unknown format" in out.stderr


def test_symptoms_command_and_unknown_symptom() -> None:
    out = pd("symptoms")
    assert out.returncode == 0
    for phrase in (
        "Invalid link",
        "Customer portal not found",
        "Your connection is not private",
        "404",
        "Invalid invitation token",
        "Invalid username or email",
        "never received the invitation",
        "login details not delivered",
        "blank invitation box without the client's name",
        "invitation icon missing",
        "missing privacy link",
        "cannot edit my details",
        "page keeps loading",
    ):
        assert phrase in out.stdout, phrase
    out = pd("diagnose", "Bluebird Logistics", "--tenant", "demo", "--offline", "--symptom", "zebra crossing")
    assert out.returncode == 1
    assert "no known symptom matches 'zebra crossing'; running the full diagnosis" in out.stderr
    assert "Portal access is switched off" in out.stdout
    args = ("diagnose", "Bluebird Logistics", "--tenant", "demo", "--offline", "--symptom", "zebra crossing")
    quiet = pd(*args, "--quiet", "--output", "json:-")
    assert quiet.returncode == 1 and quiet.stderr == "", "--quiet keeps the note to itself"
    assert '"symptom"' in quiet.stdout


def test_explain_works_for_every_code() -> None:
    import io

    from portaldoctor.commands.explain import explain
    from portaldoctor.plugins import Plugins

    for spec in Plugins.load().registry.specs:
        for name in (spec.id, *spec.codes):
            buf = io.StringIO()
            assert explain(name=name, platform=None, stream=buf) == 0
            assert spec.id in buf.getvalue() and "[generic]" in buf.getvalue()


@pytest.fixture
def collector() -> Iterator[None]:
    """The collector on and nothing frozen, before the test and after it, whatever the test did."""
    import gc

    gc.unfreeze()
    gc.enable()
    yield
    gc.unfreeze()
    gc.enable()


def test_only_the_console_script_keeps_what_an_audit_made_from_the_collector(
    monkeypatch: pytest.MonkeyPatch, collector: None
) -> None:
    # Re-enabled as it was, the collector's next pass walks every object the audit made just
    # before the process ends; ``entry``'s process freezes them first (``heap.collector_paused``).
    # Called in the same process without it, the collector resumes with nothing frozen.
    import gc

    from portaldoctor import cli, heap
    from portaldoctor.snapshot.sources import open_source

    def load_tenant(spec: str) -> object:
        return open_source(spec).load()

    argv = ["portaldoctor", "audit", "--tenant", "demo", "--offline", "--now", NOW, "--format", "json"]
    monkeypatch.setattr(sys, "argv", argv)
    assert cli.main() == 1
    assert gc.isenabled() and gc.get_freeze_count() == 0
    load_tenant("demo")
    assert gc.isenabled() and gc.get_freeze_count() == 0
    monkeypatch.setattr(heap, "_LEFT_FOR_EXIT", [])
    first = load_tenant("demo")
    frozen = gc.get_freeze_count()
    assert gc.isenabled() and frozen > 0
    # Only once: loading again (``diagnose --watch``) leaves the new objects to the collector.
    # (The count may fall: a frozen object is still freed once nothing refers to it, such as
    # what another thread was holding when the first load froze everything.)
    second = load_tenant("demo")
    assert gc.isenabled() and gc.get_freeze_count() <= frozen and second is not first
    gc.unfreeze()
    assert cli.main() == 1
    assert gc.isenabled() and gc.get_freeze_count() > 0
    # With the collector off beforehand (a caller's own choice), it stays off.
    gc.unfreeze()
    gc.disable()
    load_tenant("demo")
    assert not gc.isenabled() and gc.get_freeze_count() == 0


def test_only_the_console_script_leaves_the_audit_and_its_report_to_the_process_end(
    monkeypatch: pytest.MonkeyPatch, collector: None
) -> None:
    # ``entry`` (``heap.run_and_exit``) ends the process with os._exit, so freeing the written report is wasted work;
    # called in the same process without it, nothing is kept and the report is freed as usual.
    from portaldoctor import cli, heap
    from portaldoctor.report import Report
    from portaldoctor.session import Session

    argv = ["portaldoctor", "audit", "--tenant", "demo", "--offline", "--now", NOW, "--format", "json"]
    monkeypatch.setattr(sys, "argv", argv)
    assert heap._LEFT_FOR_EXIT is None
    assert cli.main() == 1
    assert heap._LEFT_FOR_EXIT is None
    monkeypatch.setattr(heap, "_LEFT_FOR_EXIT", [])
    assert cli.main() == 1
    kept = heap._LEFT_FOR_EXIT
    assert kept is not None
    # The session (the tenant and its indexes) and the report.
    [(session, report)] = kept
    assert isinstance(session, Session) and session.tenant.customers
    assert isinstance(report, Report) and report.command == "audit" and report.items


@pytest.mark.skipif(sys.platform != "linux", reason="a pseudo-terminal for stderr")
def test_the_progress_bar_leaves_stdout_alone(tmp_path: Path) -> None:
    # An agent at a terminal runs `portaldoctor audit --format json > report.json`: stderr is the
    # terminal, so a progress bar shows there, and the report must still go to the file, not to the
    # screen (rich's bar sends what is printed while it is up to its own console unless told not to).
    import pty

    from benchmarks.generate import generate

    tenant = generate(tmp_path / "t", 300)
    master, slave = pty.openpty()
    args = ["audit", "--tenant", str(tenant), "--offline", "--format", "json", "--now", NOW]
    with open(tmp_path / "report.json", "w") as report:
        proc = subprocess.Popen([*command(), *args], stdout=report, stderr=slave, stdin=subprocess.DEVNULL)
    os.close(slave)
    screen = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal's other end closed
            break
        if not chunk:
            break
        screen += chunk
    os.close(master)
    assert proc.wait(timeout=60) == 1
    doc = json.loads((tmp_path / "report.json").read_text())
    assert doc["command"] == "audit" and doc["findings"]
    assert b'"findings"' not in screen and b"checking" in screen  # the bar was there, the report was not
