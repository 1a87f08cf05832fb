"""Start-up stays light: ``--help`` and ``--version`` import no heavy library."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("dns", "httpx", "cryptography", "pydantic", "pydantic_core", "jinja2", "phonenumbers", "email_validator")

PROBE = """
import json, sys
sys.argv = ["portaldoctor", *json.loads(sys.argv[1])]
from portaldoctor.cli import main
try:
    main()
except SystemExit:
    pass
sys.stdout.flush()
print("\\nMODULES=" + json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""


def _top_level_modules(args: list[str]) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)],
        capture_output=True,
        text=True,
        timeout=60,
        env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    line = next(line for line in proc.stdout.splitlines() if line.startswith("MODULES="))
    return set(json.loads(line.removeprefix("MODULES=")))


@pytest.mark.parametrize("args", [["--help"], ["--version"]])
def test_help_and_version_import_no_heavy_library(args: list[str]) -> None:
    loaded = _top_level_modules(args)
    assert "portaldoctor" in loaded  # the probe really ran the CLI
    assert not loaded.intersection(HEAVY), sorted(loaded.intersection(HEAVY))


@pytest.mark.parametrize("command", ["diagnose", "audit", "dns", "token", "link"])
def test_command_help_imports_no_network_or_template_library(command: str) -> None:
    # typer (0.29) builds its parameter converters with pydantic once a command is chosen, so
    # pydantic is allowed here; the network, crypto and template libraries are not.
    loaded = _top_level_modules([command, "--help"])
    heavy = set(HEAVY) - {"pydantic", "pydantic_core"}
    assert "portaldoctor" in loaded
    assert not loaded.intersection(heavy), sorted(loaded.intersection(heavy))


def test_probe_would_notice_a_heavy_import() -> None:
    # The same probe on a command that validates a tenant does load pydantic: the test above can fail.
    loaded = _top_level_modules(["diagnose", "Bluebird Logistics", "--tenant", "demo", "--offline"])
    assert "pydantic" in loaded
