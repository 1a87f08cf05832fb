"""The wheel carries the built-in checks, playbooks and demo, and no bare top-level ``checks``."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Built from a copy of the checkout: setuptools reuses a build/ folder left in the tree, and a
    # wheel made from it would carry modules that no longer exist and miss new packages.
    import shutil

    source = tmp_path_factory.mktemp("source") / "portaldoctor"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache"),
    )
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-v",  # the build's own warnings, for test_build_has_no_warnings
            "-w",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=240,
    )
    (out / "build.log").write_text(built.stdout + built.stderr)
    [whl] = out.glob("portaldoctor-*.whl")
    return whl


def test_build_has_no_warnings(wheel: Path) -> None:
    """A data folder with a package-like name (``demo/vtiger``) that is not listed in
    ``packages`` makes setuptools warn that it "would be ignored"; every one is listed."""
    log = (wheel.parent / "build.log").read_text()
    assert "absent from the `packages` configuration" not in log, log
    assert "Package would be ignored" not in log


def test_wheel_carries_every_data_file(wheel: Path) -> None:
    """Each file of the demo tenants, playbooks and report templates is installed, so a new demo
    folder or file kind cannot be left out of the package data unnoticed."""
    names = set(zipfile.ZipFile(wheel).namelist())
    folders = {
        ROOT / "portaldoctor" / "demo": "portaldoctor/demo",
        ROOT / "portaldoctor" / "reporters" / "templates": "portaldoctor/reporters/templates",
        ROOT / "playbooks": "portaldoctor/builtin_playbooks",
    }
    expected = {
        f"{prefix}/{path.relative_to(folder).as_posix()}"
        for folder, prefix in folders.items()
        for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc",)
    }
    assert len(expected) > 10
    assert expected - names == set()


def test_wheel_carries_every_module(wheel: Path) -> None:
    """Every module of the package is installed: a new subpackage must be listed in pyproject.toml."""
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {
        f"portaldoctor/{p.relative_to(ROOT / 'portaldoctor').as_posix()}" for p in (ROOT / "portaldoctor").rglob("*.py")
    }
    modules |= {f"portaldoctor/checks/{p.name}" for p in (ROOT / "checks").glob("*.py")}
    assert modules - names == set()


def test_wheel_layout(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/", 1)[0] for n in names}
    assert not any(t in ("checks", "playbooks", "tests", "benchmarks") for t in tops), tops
    assert "portaldoctor/checks/customer_portal_enabled.py" in names
    assert "portaldoctor/builtin_playbooks/generic.yaml" in names
    assert "portaldoctor/demo/tenant.yaml" in names
    assert "portaldoctor/demo/evidence.json" in names
    assert "portaldoctor/demo/vtiger/tenant.yaml" in names
    assert "portaldoctor/reporters/templates/report.html.j2" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "[portaldoctor.checks]" in text and "portaldoctor = portaldoctor.cli:entry" in text


def test_installed_wheel_runs_away_from_the_checkout(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    env = {**os.environ, "PYTHONPATH": str(target), "NO_COLOR": "1"}
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import portaldoctor, portaldoctor.checks as c; print(portaldoctor.__file__); print(c.__file__)",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert probe.returncode == 0, probe.stderr
    assert all(line.startswith(str(target)) for line in probe.stdout.split()), probe.stdout
    out = subprocess.run(
        [sys.executable, "-m", "portaldoctor", "playbooks", "lint"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "portaldoctor",
            "diagnose",
            "Bluebird Logistics",
            "--tenant",
            "demo",
            "--offline",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 1, out.stderr
    assert "Portal access is switched off for Bluebird Logistics" in out.stdout
