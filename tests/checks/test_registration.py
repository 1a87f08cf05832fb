"""The built-in checks: one module per check, named after its id, registered as an entry point,
and tested by its own module of tests/checks."""

from __future__ import annotations

import importlib
import inspect
import sys
import tomllib
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from portaldoctor.check import CheckSpec

ROOT = Path(__file__).resolve().parents[2]
CHECKS = ROOT / "checks"
TESTS = Path(__file__).resolve().parent
GROUP = "portaldoctor.checks"
PACKAGE = "portaldoctor.checks"
SECTION = f'[project.entry-points."{GROUP}"] in pyproject.toml'
REINSTALL = "then run `pip install -e .` so the installed metadata follows"


def module_name(check_id: str) -> str:
    """The module a check lives in: its id with dashes as underscores."""
    return check_id.replace("-", "_")


def builtin_entry_points() -> dict[str, EntryPoint]:
    """The installed entry points of the portaldoctor distribution, by name (= check id)."""
    found = {}
    for ep in entry_points(group=GROUP):
        dist = getattr(ep, "dist", None)
        if (dist.name if dist is not None else None) == "portaldoctor" or ep.value.startswith(PACKAGE + "."):
            found[ep.name] = ep
    return found


def module_files() -> dict[str, Path]:
    """The modules of the checks folder, by name, without the package's __init__."""
    return {p.stem: p for p in sorted(CHECKS.glob("*.py")) if p.stem != "__init__"}


def check_classes(module: ModuleType) -> list[tuple[str, CheckSpec]]:
    """The classes defined in a module that carry a CheckSpec ``spec``: (class name, spec)."""
    found = []
    for name, obj in vars(module).items():
        spec = getattr(obj, "spec", None)
        if inspect.isclass(obj) and obj.__module__ == module.__name__ and isinstance(spec, CheckSpec):
            found.append((name, spec))
    return found


def entry_line(check_id: str, module: str, cls: str) -> str:
    return f'{check_id} = "{PACKAGE}.{module}:{cls}"'


ENTRY_POINTS = builtin_entry_points()
MODULES = module_files()


def test_there_are_built_in_checks() -> None:
    assert len(ENTRY_POINTS) >= 30 and len(MODULES) >= 30


def test_pyproject_and_installed_metadata_agree() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["entry-points"][GROUP]
    installed = {name: ep.value for name, ep in ENTRY_POINTS.items()}
    assert installed == declared, (
        f"the installed entry points differ from {SECTION}: run `pip install -e .` from the repository root"
    )


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_module_in_the_checks_folder_is_registered(name: str) -> None:
    registered = {ep.module for ep in ENTRY_POINTS.values()}
    if f"{PACKAGE}.{name}" in registered:
        return
    module = importlib.import_module(f"{PACKAGE}.{name}")
    found = check_classes(module)
    assert found, f"checks/{name}.py defines no check (a class with a CheckSpec `spec`); move it out of checks/"
    todo = []
    for cls, spec in found:
        wanted = module_name(spec.id)
        line = entry_line(spec.id, wanted, cls)
        if wanted == name:
            todo.append(f"add `{line}` under {SECTION}")
        else:
            todo.append(
                f"it holds check {spec.id}, so rename it with `git mv checks/{name}.py checks/{wanted}.py` "
                f"and have `{line}` under {SECTION}"
            )
    pytest.fail(f"checks/{name}.py is not registered: {'; '.join(todo)}; {REINSTALL}")


@pytest.mark.parametrize("check_id", sorted(ENTRY_POINTS))
def test_every_entry_point_points_at_a_module_of_the_checks_folder(check_id: str) -> None:
    ep = ENTRY_POINTS[check_id]
    wanted = module_name(check_id)
    package, _, name = ep.module.rpartition(".")
    assert package == PACKAGE, (
        f'entry point `{check_id} = "{ep.value}"` is not in {PACKAGE}: a built-in check lives in checks/{wanted}.py'
    )
    assert name in MODULES, (
        f'entry point `{check_id} = "{ep.value}"` names checks/{name}.py, which does not exist: '
        f"the check {check_id} belongs in checks/{wanted}.py (rename its module there with git mv) with "
        f"`{entry_line(check_id, wanted, ep.attr)}` under {SECTION}; if the check is gone, remove its entry point; "
        f"{REINSTALL}"
    )


@pytest.mark.parametrize("check_id", sorted(ENTRY_POINTS))
def test_each_module_is_named_after_its_check_id(check_id: str) -> None:
    ep = ENTRY_POINTS[check_id]
    wanted = module_name(check_id)
    name = ep.module.rpartition(".")[2]
    assert name == wanted, (
        f"check {check_id} lives in checks/{name}.py: rename it with `git mv checks/{name}.py checks/{wanted}.py`, "
        f"write `{entry_line(check_id, wanted, ep.attr)}` under {SECTION}, and update the imports of "
        f"{PACKAGE}.{name} (and rename tests/checks/test_{name}.py to tests/checks/test_{wanted}.py); {REINSTALL}"
    )


@pytest.mark.parametrize("check_id", sorted(ENTRY_POINTS))
def test_each_entry_point_loads_the_one_check_of_its_module(check_id: str) -> None:
    ep = ENTRY_POINTS[check_id]
    module = importlib.import_module(ep.module)
    found = check_classes(module)
    assert len(found) == 1, (
        f"{ep.module} defines {len(found)} checks ({', '.join(c for c, _ in found) or 'none'}): "
        "keep one check per module, each in checks/<its id with - as _>.py"
    )
    [(cls, spec)] = found
    assert ep.attr == cls, (
        f'entry point `{check_id} = "{ep.value}"` names {ep.attr}, but the check of {ep.module} is {cls}: '
        f"write `{entry_line(check_id, module_name(check_id), cls)}` under {SECTION}; {REINSTALL}"
    )
    assert spec.id == check_id, (
        f"entry point {check_id} loads a check whose spec says id={spec.id!r}: "
        f"the entry point name, the spec's id and the module name must agree; {REINSTALL}"
    )


@pytest.mark.parametrize("check_id", sorted(ENTRY_POINTS))
def test_every_check_has_its_test_module(check_id: str) -> None:
    path = TESTS / f"test_{module_name(check_id)}.py"
    assert path.is_file(), (
        f"check {check_id} has no tests: write tests/checks/test_{module_name(check_id)}.py with a CASES table "
        "(tests.checks.helpers.Case: snippet, expected codes) covering a pass and each code it can emit"
    )


def _cases(check_id: str) -> list[Any]:
    name = f"tests.checks.test_{module_name(check_id)}"
    module = sys.modules.get(name) or importlib.import_module(name)
    cases = getattr(module, "CASES", None)
    assert isinstance(cases, list) and cases, f"tests/checks/test_{module_name(check_id)}.py has no CASES table"
    return cases


@pytest.mark.parametrize("check_id", sorted(ENTRY_POINTS))
def test_each_table_covers_a_pass_and_every_code(check_id: str) -> None:
    """Every code an offline check can emit has a row; network checks' real-server tests cover theirs."""
    spec = ENTRY_POINTS[check_id].load().spec
    cases = _cases(check_id)
    where = f"tests/checks/test_{module_name(check_id)}.py"
    assert any(case.expected == [] for case in cases), f"{where}: CASES has no passing row (expected [])"
    if spec.network:
        return
    covered = {code for case in cases for code in case.expected}
    missing = [code for code in spec.codes if code not in covered]
    assert not missing, f"{where}: CASES has no row expecting {', '.join(missing)}"
    unknown = sorted(covered - set(spec.codes))
    assert not unknown, f"{where}: CASES expects codes {check_id} does not declare: {', '.join(unknown)}"
