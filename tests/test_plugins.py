"""The checks and playbooks a run loads together, and the profile a tenant names."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from portaldoctor.cli import app
from portaldoctor.plugins import Plugins


def test_a_platform_without_a_profile_is_an_error_at_its_line(tmp_path: Path) -> None:
    tenant = tmp_path / "tenant.yaml"
    tenant.write_text("version: 1\nplatform: upflwo\norganisation: {name: Acme}\ncustomers: [{id: c1, name: A}]\n")
    for args in (["diagnose", "c1", "--offline"], ["audit", "--offline"], ["dns", "acme.example"]):
        result = CliRunner().invoke(app, [*args, "--tenant", str(tenant)])
        assert result.exit_code == 2 and result.stdout == "", args
        assert result.stderr == (
            f"portaldoctor: error: {tenant}:2: field 'platform': no platform profile 'upflwo'; did you mean upflow? "
            "known: generic, ar-automation, salestrekker, upflow, vtiger (or leave platform out for generic)\n"
        )


def test_no_platform_is_the_generic_profile(tmp_path: Path) -> None:
    tenant = tmp_path / "tenant.yaml"
    tenant.write_text("version: 1\norganisation: {name: Acme}\ncustomers: [{id: c1, name: A}]\n")
    result = CliRunner().invoke(app, ["diagnose", "c1", "--tenant", str(tenant), "--offline", "-f", "json"])
    assert result.exit_code in (0, 1) and '"profile": "generic"' in result.stdout


def test_the_catalogue_a_report_carries_names_every_check() -> None:
    plugins = Plugins.load()
    catalogue = plugins.catalogue
    assert set(catalogue) == set(plugins.registry.checks)
    assert all(info.title and info.doc for info in catalogue.values())
