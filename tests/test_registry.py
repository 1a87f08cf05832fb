"""Registry rules: entry-point discovery, unique kebab-case ids, remedies for every code."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest

from portaldoctor import registry
from portaldoctor.check import CheckSpec, Scope
from portaldoctor.errors import PluginError
from portaldoctor.plugins import Plugins


def check(check_id: str, codes: tuple[str, ...] = ("x-bad",), depends_on: tuple[str, ...] = ()) -> Any:
    class C:
        spec: ClassVar[CheckSpec] = CheckSpec(check_id, "t", Scope.ORG, codes, depends_on)

        def run(self, ctx: Any, target: Any) -> list[Any]:
            return []

    return C()


def test_builtins_are_discovered_through_entry_points() -> None:
    plugins = Plugins.load()
    reg, books = plugins.registry, plugins.books
    for builtin in (
        "customer-portal-enabled",
        "contact-email-valid",
        "duplicate-portal-email",
        "https-links-enabled",
    ):
        assert builtin in reg.checks
        assert type(reg.get(builtin)).__module__.startswith("portaldoctor.checks.")
    for spec in reg.specs:
        assert all(code in books.generic.entries for code in spec.codes)


def test_duplicate_id_is_refused() -> None:
    with pytest.raises(PluginError, match="registered twice"):
        registry.validate([check("a-check"), check("a-check")], {"x-bad"})


def test_code_without_generic_remedy_is_refused() -> None:
    with pytest.raises(PluginError, match="no entry in playbooks/generic.yaml: y-bad"):
        registry.validate([check("a-check", ("x-bad", "y-bad"))], {"x-bad"})


@pytest.mark.parametrize("bad_id", ["Upper", "snake_case", "-lead", "trail-", ""])
def test_ids_must_be_kebab_case(bad_id: str) -> None:
    with pytest.raises(PluginError, match="kebab-case"):
        registry.validate([check(bad_id)], {"x-bad"})


def test_unknown_dependency_is_refused() -> None:
    with pytest.raises(PluginError, match="depends on unknown check 'ghost'"):
        registry.validate([check("a-check", depends_on=("ghost",))], {"x-bad"})


def test_entry_point_name_must_match_id(monkeypatch: pytest.MonkeyPatch) -> None:
    from importlib.metadata import EntryPoint

    ep = EntryPoint("other-name", "portaldoctor.checks.customer_portal_enabled:CustomerPortalEnabled", registry.GROUP)
    with pytest.raises(PluginError, match="they must agree"):
        registry._load_entry_point(ep)


def test_broken_plugin_names_itself() -> None:
    from importlib.metadata import EntryPoint

    ep = EntryPoint("broken", "portaldoctor.checks.does_not_exist:X", registry.GROUP)
    with pytest.raises(PluginError, match="check plugin 'broken'.*failed to import"):
        registry._load_entry_point(ep)


def test_nothing_is_imported_from_the_current_directory(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess
    import sys

    (tmp_path / "checks").mkdir()
    (tmp_path / "checks" / "__init__.py").write_text("raise SystemExit('imported from cwd!')\n")
    (tmp_path / "portaldoctor_evil.py").write_text("raise SystemExit('imported from cwd!')\n")
    out = subprocess.run(
        [sys.executable, "-m", "portaldoctor", "checks", "list"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert "imported from cwd" not in out.stdout + out.stderr
