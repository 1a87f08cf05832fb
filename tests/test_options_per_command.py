"""Every command that finds problems takes the output options alike: --format, --output,
--suppressions, --baseline, --quiet and (for one customer) --reply, through one emit path."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from portaldoctor.cli import app
from portaldoctor.plugins import Plugins
from portaldoctor.snapshot.sources import demo

NOW = "2026-11-22T12:00:00Z"
EXPIRED_LINK = "https://pay.northwind.example/p/vJnYu1mapiNxv0TfWrhSK5CZ-DmPnn3b"
HTTP_LINK = "http://pay.northwind.example/p/VNmP2ylmT23UGMtmuW_DuR-QV4p-srNz"

COMMANDS: dict[str, list[str]] = {
    "diagnose": ["diagnose", "Bluebird Logistics", "--tenant", "demo", "--offline", "--now", NOW],
    "diagnose --link": ["diagnose", "C-1009", "--tenant", "demo", "--offline", "--now", NOW, "--link", HTTP_LINK],
    "audit": ["audit", "--tenant", "demo", "--offline", "--now", NOW],
    "link": ["link", EXPIRED_LINK, "--tenant", "demo", "--now", NOW],
    "dns": ["dns", "northwind.example", "--tenant", "demo", "--replay", str(demo.folder() / "evidence.json")],
}
ONE_CUSTOMER = ("diagnose", "diagnose --link", "link")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={"NO_COLOR": "1", "PORTALDOCTOR_CONFIG": ""})
    return result.exit_code, result.stdout, result.stderr


def looks_like(fmt: str, text: str) -> bool:
    """True when ``text`` is a document of that format."""
    if fmt in ("json", "sarif"):
        doc = json.loads(text)
        return ("runs" in doc) if fmt == "sarif" else ("findings" in doc and "summary" in doc)
    if fmt == "junit":
        return ET.fromstring(text.split("\n", 1)[1]).tag == "testsuites"
    if fmt == "markdown":
        return text.startswith("# portaldoctor ")
    if fmt == "html":
        return text.startswith("<!DOCTYPE html>")
    return text.startswith("portaldoctor ")


FORMATS = ("table", "json", "junit", "sarif", "markdown", "html")


@pytest.mark.parametrize("command", COMMANDS)
def test_format_puts_that_document_on_stdout(command: str) -> None:
    codes = set()
    for fmt in FORMATS:
        code, out, err = run(*COMMANDS[command], "--format", fmt)
        assert looks_like(fmt, out), (command, fmt, out[:200])
        assert err == "", err
        codes.add(code)
    assert codes == {1}, "every format gives the same exit code"


@pytest.mark.parametrize("command", COMMANDS)
def test_output_writes_every_format_besides_stdout(command: str, tmp_path: Path) -> None:
    files = {fmt: tmp_path / f"report.{fmt}" for fmt in FORMATS}
    code, out, err = run(*COMMANDS[command], *(f"--output={fmt}:{path}" for fmt, path in files.items()))
    assert code == 1 and err == ""
    assert looks_like("table", out)
    for fmt, path in files.items():
        assert looks_like(fmt, path.read_text(encoding="utf-8")), (command, fmt)


@pytest.mark.parametrize("command", COMMANDS)
def test_quiet_prints_nothing_and_still_writes(command: str, tmp_path: Path) -> None:
    code, out, err = run(*COMMANDS[command], "--quiet", "--output", f"json:{tmp_path / 'r.json'}")
    assert (code, out, err) == (1, "", "")
    assert looks_like("json", (tmp_path / "r.json").read_text())


@pytest.fixture(scope="module")
def suppress_everything(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("policy") / "suppressions.yaml"
    checks = Plugins.load().registry.checks
    path.write_text(json.dumps([{"check": check, "reason": "accepted for the test"} for check in checks]))
    return path


@pytest.mark.parametrize("command", COMMANDS)
def test_suppressions_apply_and_a_missing_file_stops_before_the_run(command: str, suppress_everything: Path) -> None:
    code, out, _ = run(*COMMANDS[command], "--suppressions", str(suppress_everything), "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["summary"]["suppressed"] > 0 and doc["summary"]["exit_code"] == 0
    code, out, err = run(*COMMANDS[command], "--suppressions", "no-such-file.yaml")
    assert (code, out) == (2, "")
    assert err == "portaldoctor: error: no-such-file.yaml: file not found\n"


@pytest.mark.parametrize("command", COMMANDS)
def test_baseline_is_written_then_read(command: str, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    code, _, err = run(*COMMANDS[command], "--baseline", str(baseline), "--write-baseline", "--quiet")
    assert code == 0 and baseline.is_file() and json.loads(baseline.read_text())["suppressions"]
    code, out, _ = run(*COMMANDS[command], "--baseline", str(baseline), "--format", "json")
    assert code == 0 and json.loads(out)["summary"]["suppressed"] > 0
    code, out, err = run(*COMMANDS[command], "--baseline", str(tmp_path / "missing.json"))
    assert (code, out) == (2, "") and "baseline file not found" in err


@pytest.mark.parametrize("command", COMMANDS)
def test_reply_is_offered_where_there_is_one_customer(command: str, tmp_path: Path) -> None:
    code, out, err = run(*COMMANDS[command], "--reply", "--output", f"json:{tmp_path / 'r.json'}")
    if command not in ONE_CUSTOMER:
        assert code == 2 and "No such option: --reply" in err
        return
    assert code == 1 and err == ""
    assert out.startswith("MESSAGE TO THE CUSTOMER") and "INTERNAL NOTE FOR THE AGENT" in out
    assert looks_like("json", (tmp_path / "r.json").read_text()), "--reply still writes --output"
    code, out, err = run(*COMMANDS[command], "--reply", "--output", "json:-")
    assert (code, out) == (2, "") and "two outputs write to stdout (--reply prints there)" in err


def test_token_writes_table_or_json_and_refuses_the_rest(tmp_path: Path) -> None:
    token = "https://pay.northwind.example/p/vJnYu1mapiNxv0TfWrhSK5CZ-DmPnn3b"
    code, out, err = run("token", token, "--now", NOW, "--quiet", "--output", f"json:{tmp_path / 't.json'}")
    assert (code, out, err) == (0, "", "")
    assert json.loads((tmp_path / "t.json").read_text())["token"]["kind"] == "opaque"
    code, out, _ = run("token", token, "--now", NOW, "--format", "json")
    assert json.loads(out)["timeline"]["state"] == "unknown"
    code, out, err = run("token", token, "--format", "sarif")
    assert (code, out) == (2, "")
    assert err == "portaldoctor: error: field '--format': unknown format 'sarif'; choose one of table, json\n"
