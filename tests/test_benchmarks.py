"""The benchmark scripts run (tiny sizes, no timing assertions) so they never rot."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_generator_is_deterministic_and_loads(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from benchmarks.generate import generate
    from portaldoctor.snapshot.loader import load_tenant

    a = generate(tmp_path / "a", 600, seed=3)
    b = generate(tmp_path / "b", 600, seed=3)
    assert (tmp_path / "a" / "contacts.csv").read_text() == (tmp_path / "b" / "contacts.csv").read_text()
    tenant = load_tenant(a)
    assert len(tenant.contacts) == 600 and len(tenant.customers) == 200
    rows = list(csv.DictReader((tmp_path / "a" / "contacts.csv").read_text().splitlines()))
    assert any("@@" in r["email"] for r in rows)  # the realistic share of broken emails is there
    jsonl = generate(tmp_path / "c", 90, fmt="jsonl")
    assert len(load_tenant(jsonl).contacts) == 90 and b.exists()


def test_quick_benchmark_run_writes_results(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--out", str(out)],
        capture_output=True, text=True, timeout=240, cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    text = out.read_text()
    for heading in ("## Start-up", "## Offline audit at scale", "## DNS verification at scale", "Machine:"):
        assert heading in text
    assert "portaldoctor --help" in text and "audit 300 contacts (csv)" in text
