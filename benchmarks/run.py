"""Run every benchmark and write benchmarks/RESULTS.md.

    python benchmarks/run.py            # full run (start-up, audits up to 300 k contacts, 500 domains)
    python benchmarks/run.py --quick    # seconds-long smoke run (used by the test suite)
    python benchmarks/run.py --sizes 10000 100000 300000 1000000

Every benchmark runs the real command as a separate process; times are wall-clock medians over
repeated runs with their spread, peak memory is the child's maximum resident set size.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate  # noqa: E402


@dataclass
class Timing:
    """Repeated runs of one command."""

    name: str
    runs: list[float]
    peak_mb: float
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def spread(self) -> str:
        return f"{min(self.runs) * 1000:.0f}–{max(self.runs) * 1000:.0f} ms" if len(self.runs) > 1 else "single run"


def run_process(cmd: list[str], *, env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MiB, exit code of one run."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    return elapsed, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def bench(name: str, cmd: list[str], runs: int, *, env: dict[str, str] | None = None) -> Timing:
    """Run a command ``runs`` times (after one warm-up) and keep the times and peak memory."""
    run_process(cmd, env=env)
    times, peak = [], 0.0
    for _ in range(runs):
        elapsed, rss, _ = run_process(cmd, env=env)
        times.append(elapsed)
        peak = max(peak, rss)
    return Timing(name, times, peak)


def machine() -> str:
    """A one-paragraph description of this machine."""
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(
            next(
                line.split()[1]
                for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")
            )
        )
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration):
        pass
    return f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores{mem}, Python {platform.python_version()}"


def portaldoctor() -> list[str]:
    exe = Path(sys.executable).with_name("portaldoctor")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "portaldoctor"]


def startup(runs: int) -> list[Timing]:
    pd = portaldoctor()
    env = {**os.environ, "NO_COLOR": "1"}
    return [
        bench("python -c pass (floor)", [sys.executable, "-c", "pass"], runs, env=env),
        bench("portaldoctor --help", [*pd, "--help"], runs, env=env),
        bench("portaldoctor --version", [*pd, "--version"], runs, env=env),
        bench(
            "portaldoctor diagnose (demo, --offline)",
            [*pd, "diagnose", "Bluebird Logistics", "--tenant", "demo", "--offline", "--now", "2026-11-22T12:00:00Z"],
            runs,
            env=env,
        ),
    ]


def audits(sizes: list[int], work: Path, runs: int) -> list[Timing]:
    pd = portaldoctor()
    out = []
    for size in sizes:
        for fmt in ("csv", "jsonl"):
            if fmt == "jsonl" and size > 100_000 and len(sizes) > 1:
                continue  # the large sizes run once, from CSV, to keep the run short
            tenant = generate(work / f"t{size}-{fmt}", size, fmt=fmt)
            cmd = [
                *pd,
                "audit",
                "--tenant",
                str(tenant),
                "--offline",
                "--format",
                "json",
                "--now",
                "2026-11-22T12:00:00Z",
            ]
            timing = bench(f"audit {size:,} contacts ({fmt})", cmd, runs if size < 100_000 else 1)
            out.append(timing)
    return out


def dns_zone(domains: list[str]) -> dict[tuple[str, str], list[str]]:
    """Each domain publishes the platform's records; every tenth has one wrong (a realistic mix)."""
    zone: dict[tuple[str, str], list[str]] = {("mail.platform.example", "TXT"): ['"v=spf1 ip4:192.0.2.0/24 ~all"']}
    zone[("links.platform.example", "A")] = ["192.0.2.10"]
    for i, d in enumerate(domains):
        zone[(f"links.{d}", "CNAME")] = ["links.platform.example." if i % 10 else "old.platform.example."]
        zone[(d, "TXT")] = ['"v=spf1 include:mail.platform.example ~all"']
        zone[(f"_dmarc.{d}", "TXT")] = ['"v=DMARC1; p=none"']
    return zone


EXPECT = """records:
  - {type: CNAME, host: links, value: links.platform.example.}
  - {type: TXT, host: "@", value: "v=spf1 include:mail.platform.example ~all"}
"""


def dns_benchmark(count: int, delay: float, work: Path, runs: int) -> tuple[list[Timing], str]:
    from tests.dnsserver import Server

    domains = [f"tenant{i}.example" for i in range(count)]
    server = Server()
    server.load(dns_zone(domains), delay=delay)
    host, port = server.address
    (work / "domains.txt").write_text("\n".join(domains) + "\n")
    (work / "expect.yaml").write_text(EXPECT)
    pd = portaldoctor()
    cmd = [*pd, "dns", "--domains-file", str(work / "domains.txt"), "--expect", str(work / "expect.yaml"),
           "--nameserver", f"{host}:{port}", "--format", "json", "--deadline", "120"]  # fmt: skip
    ours = bench(f"portaldoctor dns, {count} domains", cmd, runs)
    ours.note = f"{delay * 1000:.0f} ms per answer"
    results = [ours]
    note = ""
    try:
        import checkdmarc
        import dns.nameserver
        import dns.resolver
    except ImportError:
        note = "checkdmarc is not installed (pip install -r benchmarks/requirements.txt); no comparison made."
    else:
        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers = [dns.nameserver.Do53Nameserver(host, port)]
        resolver.timeout = resolver.lifetime = 5.0
        import logging

        logging.getLogger("checkdmarc").setLevel(logging.CRITICAL)  # it logs every DNSSEC miss
        times = []
        for _ in range(max(1, runs // 2)):
            started = time.perf_counter()
            checkdmarc.check_domains(domains, resolver=resolver, timeout=5.0)
            times.append(time.perf_counter() - started)
        theirs = Timing(
            f"checkdmarc {checkdmarc.__version__}, {count} domains", times, 0.0, "same server, same domains"
        )
        results.append(theirs)
    server.close()
    asyncio.set_event_loop_policy(None)
    return results, note


def table(rows: list[Timing], floor: float | None = None) -> str:
    lines = ["| benchmark | median | spread | peak memory | note |", "| --- | --- | --- | --- | --- |"]
    for t in rows:
        ratio = f" ({t.median / floor:.1f}x floor)" if floor and "floor" not in t.name else ""
        peak = f"{t.peak_mb:.0f} MiB" if t.peak_mb else "in-process"
        lines.append(f"| {t.name} | {t.median * 1000:.0f} ms{ratio} | {t.spread} | {peak} | {t.note} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one run each (smoke test)")
    parser.add_argument("--sizes", type=int, nargs="*", help="contacts per audit tenant")
    parser.add_argument("--domains", type=int, default=None)
    parser.add_argument("--delay", type=float, default=0.02, help="seconds the DNS server waits per answer")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    args = parser.parse_args()
    runs = 1 if args.quick else 9
    sizes = args.sizes or ([300] if args.quick else [10_000, 100_000, 300_000])
    count = args.domains or (5 if args.quick else 500)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        start = startup(runs)
        scale = audits(sizes, work, 1 if args.quick else 3)
        dns, note = dns_benchmark(count, 0.0 if args.quick else args.delay, work, 1 if args.quick else 5)
    floor = start[0].median
    by_size = {int(t.name.split()[1].replace(",", "")): t for t in scale if "(csv)" in t.name}
    ratios = []
    if 300_000 in by_size and 1_000_000 in by_size:
        ratios.append(
            f"1 M / 300 k audit time: {by_size[1_000_000].median / by_size[300_000].median:.2f}x (target ≤ 3.5x)"
        )
    if len(dns) == 2:
        ratios.append(
            f"checkdmarc / portaldoctor on {count} domains: {dns[1].median / dns[0].median:.1f}x (target ≥ 20x)"
        )
    text = "\n".join(
        [
            "# Benchmark results",
            "",
            f"Machine: {machine()}. Generated by `python benchmarks/run.py{' --quick' if args.quick else ''}`.",
            "",
            "## Start-up (whole process)",
            "",
            table(start, floor),
            "",
            "## Offline audit at scale",
            "",
            table(scale),
            "",
            "## DNS verification at scale (loopback authoritative server)",
            "",
            table(dns),
            "",
            *(f"- {r}" for r in ratios),
            *([f"- {note}"] if note else []),
            "",
        ]
    )
    analysis = ROOT / "benchmarks" / "ANALYSIS.md"
    if analysis.exists() and not args.quick:
        text += "\n" + analysis.read_text(encoding="utf-8")
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
