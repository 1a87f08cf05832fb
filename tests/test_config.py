"""Configuration: .portaldoctor.yaml found walking up, then PORTALDOCTOR_* variables, then flags."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portaldoctor import config
from portaldoctor.errors import InputError
from tests.test_cli import NOW, pd


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / ".portaldoctor.yaml").write_text(
        "format: markdown\nfail-on: warn\noffline: true\nsuppressions: [accepted.yaml]\noutput:\n  - sarif:out/r.sarif\n",
        encoding="utf-8",
    )
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    return deep


def test_file_found_walking_up_and_paths_relative_to_it(project: Path) -> None:
    s = config.resolve(env={}, cwd=project)
    root = project.parent.parent
    assert s.file == root / ".portaldoctor.yaml"
    assert s["format"] == "markdown" and s.values["format"].source == f"{root}/.portaldoctor.yaml:1"
    assert s["fail_on"] == "warn" and s["offline"] is True
    assert s["suppressions"] == [str(root / "accepted.yaml")]
    assert s["output"] == [f"sarif:{root}/out/r.sarif"]
    assert s.values["tenant"] == config.Setting("demo", "default")


@pytest.mark.parametrize(
    ("env", "flags", "expected", "source"),
    [
        ({}, {}, "markdown", "file"),
        ({"PORTALDOCTOR_FORMAT": "json"}, {}, "json", "env PORTALDOCTOR_FORMAT"),
        ({"PORTALDOCTOR_FORMAT": "json"}, {"format": "html"}, "html", "flag"),
        ({}, {"format": "junit"}, "junit", "flag"),
    ],
)
def test_precedence(project: Path, env: dict[str, str], flags: dict[str, str], expected: str, source: str) -> None:
    s = config.resolve(env=env, flags=flags, cwd=project)
    assert s["format"] == expected
    assert s.values["format"].source.endswith(":1") if source == "file" else s.values["format"].source == source


@pytest.mark.parametrize(
    ("text", "env", "message"),
    [
        ("colour: true\n", {}, "unknown setting 'colour'"),
        ("format: pdf\n", {}, "'pdf' is not one of"),
        ("timeout: -1\n", {}, "must be greater than 0"),
        ("", {"PORTALDOCTOR_OFFLINE": "maybe"}, "'maybe' is not true or false"),
    ],
)
def test_bad_settings(tmp_path: Path, text: str, env: dict[str, str], message: str) -> None:
    if text:
        (tmp_path / ".portaldoctor.yaml").write_text(text)
    with pytest.raises(InputError, match=message):
        config.resolve(env=env, cwd=tmp_path)


def test_cli_config_show_names_sources(project: Path) -> None:
    out = pd("config", "show", cwd=project, env={"PORTALDOCTOR_TIMEOUT": "3"})
    assert out.returncode == 0, out.stderr
    lines = {line.split()[0]: line for line in out.stdout.splitlines() if line.strip()}
    assert lines["format"].split()[1:] == ["markdown", f"{project.parent.parent}/.portaldoctor.yaml:1"]
    assert lines["timeout"].split()[1:] == ["3.0", "env", "PORTALDOCTOR_TIMEOUT"]
    assert lines["tenant"].split()[1:] == ["demo", "default"]


def test_cli_flags_beat_env_beat_file(project: Path) -> None:
    root = project.parent.parent
    (root / "accepted.yaml").write_text("[]\n")
    by_file = pd("audit", "--now", NOW, cwd=project)
    assert by_file.stdout.startswith("# portaldoctor audit")  # markdown from the file
    assert (root / "out" / "r.sarif").exists()
    by_env = pd("audit", "--now", NOW, cwd=project, env={"PORTALDOCTOR_FORMAT": "json"})
    assert json.loads(by_env.stdout)["command"] == "audit"
    by_flag = pd("audit", "--now", NOW, "--format", "junit", cwd=project, env={"PORTALDOCTOR_FORMAT": "json"})
    assert by_flag.stdout.startswith("<?xml")
