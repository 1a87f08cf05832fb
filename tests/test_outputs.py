"""--output FORMAT:PATH: parsing, several outputs, stdout, atomic writes, nothing written on a failed run."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from portaldoctor import outputs
from portaldoctor.atomic import atomic_write
from portaldoctor.errors import InputError
from portaldoctor.reporters import Format
from tests.reporters.conftest import sample_report
from tests.test_cli import NOW, pd


@pytest.mark.parametrize(
    ("spec", "fmt", "path"),
    [
        ("sarif:results.sarif", Format.SARIF, "results.sarif"),
        ("JUNIT:out/report.xml", Format.JUNIT, "out/report.xml"),
        ("json:-", Format.JSON, "-"),
        ("markdown", Format.MARKDOWN, "-"),
        ("html:C:/reports/r.html", Format.HTML, "C:/reports/r.html"),
    ],
)
def test_parse(spec: str, fmt: Format, path: str) -> None:
    assert outputs.parse_output(spec) == outputs.Target(fmt, path)


@pytest.mark.parametrize(
    ("spec", "message"),
    [("pdf:x.pdf", "unknown format 'pdf'"), ("sarif:", "no path"), (":x", "not FORMAT:PATH")],
)
def test_parse_errors(spec: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        outputs.parse_output(spec)


def test_plan_adds_stdout_unless_taken_or_quiet() -> None:
    assert outputs.plan(["sarif:a"], default_format="table") == (
        outputs.Target(Format.TABLE),
        outputs.Target(Format.SARIF, "a"),
    )
    assert outputs.plan(["json:-", "sarif:a"]) == (outputs.Target(Format.JSON), outputs.Target(Format.SARIF, "a"))
    assert outputs.plan(["sarif:a"], quiet=True) == (outputs.Target(Format.SARIF, "a"),)
    with pytest.raises(InputError, match="two outputs write to"):
        outputs.plan(["sarif:a", "json:./a"])


def test_write_renders_all_then_writes(tmp_path: Path) -> None:
    out = io.StringIO()
    targets = outputs.plan([f"sarif:{tmp_path}/r.sarif", f"junit:{tmp_path}/deep/r.xml", "markdown:-"])
    outputs.write(targets, outputs.report_renderer(sample_report()), stream=out)
    assert json.loads((tmp_path / "r.sarif").read_text())["version"] == "2.1.0"
    assert (tmp_path / "deep" / "r.xml").read_text().startswith("<?xml")
    assert out.getvalue().startswith("# portaldoctor audit")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deep", "r.sarif"], "no temporary file left"


def test_atomic_write_keeps_old_file_when_rename_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "r.json"
    target.write_text("old")

    def boom(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        atomic_write(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_failing_reporter_writes_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from portaldoctor.reporters import junit

    def broken(report: object) -> str:
        raise RuntimeError("reporter bug")

    monkeypatch.setattr(junit, "render", broken)
    with pytest.raises(RuntimeError):
        targets = outputs.plan([f"sarif:{tmp_path}/a.sarif", f"junit:{tmp_path}/b.xml"])
        outputs.write(targets, outputs.report_renderer(sample_report()))
    assert list(tmp_path.iterdir()) == []


def test_cli_several_outputs_and_stdout(tmp_path: Path) -> None:
    out = pd(
        "audit", "--tenant", "demo", "--offline", "--now", NOW,
        "--output", "sarif:results.sarif", "-o", "junit:report.xml", "-o", "json:-", cwd=tmp_path,
    )  # fmt: skip
    assert out.returncode == 1, out.stderr
    assert json.loads(out.stdout)["summary"]["exit_code"] == 1
    sarif = json.loads((tmp_path / "results.sarif").read_text())
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert any(u.endswith("portaldoctor/demo/tenant.yaml") for u in uris)
    assert (tmp_path / "report.xml").exists()
    assert out.stderr == ""


def test_cli_failed_run_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("organisation: {name: X}\nbogus: 1\n")
    out = pd("audit", "--tenant", "bad.yaml", "-o", "sarif:r.sarif", cwd=tmp_path)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert not (tmp_path / "r.sarif").exists()


def test_cli_quiet_prints_nothing(tmp_path: Path) -> None:
    out = pd("audit", "--tenant", "demo", "--offline", "--now", NOW, "--quiet", "-o", "html:r.html", cwd=tmp_path)
    assert out.returncode == 1
    assert out.stdout == "" and out.stderr == ""
    assert "<!DOCTYPE html>" in (tmp_path / "r.html").read_text()


def test_json_streamed_to_a_file_is_never_half_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from portaldoctor.reporters import json_report

    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")

    def broken(report: object, batch: int = 2000) -> Iterator[str]:
        yield '{"report_version": 1,'
        raise RuntimeError("reporter failed half-way")

    monkeypatch.setattr(json_report, "pieces", broken)
    with pytest.raises(RuntimeError):
        outputs.write(
            [outputs.parse_output(f"json:{target}")], outputs.report_renderer(sample_report()), stream=io.StringIO()
        )
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary file left
