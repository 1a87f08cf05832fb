"""Run every benchmark and write benchmarks/RESULTS.md.

    python benchmarks/run.py            # full run (start-up, audits up to 1 M contacts, 500 domains)
    python benchmarks/run.py --quick    # seconds-long smoke run (used by the test suite)
    python benchmarks/run.py --sizes 10000 100000 300000 1000000
    python benchmarks/run.py --baseline /tmp/before   # also time an earlier checkout, for before/after

``--baseline DIR`` takes a plain copy of an earlier commit (``git archive COMMIT | tar -x -C DIR``)
and runs the start-up and CSV audit benchmarks with it too (``PYTHONPATH=DIR python -P -m portaldoctor``),
on the same generated tenants, taking turns with the current code run by run, so RESULTS.md can
show before and after side by side, each the median of as many runs.

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
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@dataclass
class Timing:
    """Repeated runs of one command."""

    name: str
    runs: list[float]
    peak_mb: float
    note: str = ""
    user: list[float] = field(default_factory=list)
    """CPU seconds in the process itself, per run."""
    system: list[float] = field(default_factory=list)
    """CPU seconds in the kernel on the process's behalf (page faults, I/O), per run."""

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def spread(self) -> str:
        return f"{min(self.runs) * 1000:.0f}–{max(self.runs) * 1000:.0f} ms" if len(self.runs) > 1 else "single run"


def run_process(cmd: list[str], *, env: dict[str, str] | None = None, into: Timing | None = None) -> None:
    """Run a command once; ``into`` keeps its wall time, CPU times and peak RSS (in MiB)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait for it again
    if into is not None:
        into.runs.append(elapsed)
        into.peak_mb = max(into.peak_mb, usage.ru_maxrss / 1024)
        into.user.append(usage.ru_utime)
        into.system.append(usage.ru_stime)


def bench(name: str, cmd: list[str], runs: int, *, env: dict[str, str] | None = None, warm_up: bool = True) -> Timing:
    """Run a command ``runs`` times (after one warm-up) and keep the times and peak memory."""
    if warm_up:
        run_process(cmd, env=env)
    timing = Timing(name, [], 0.0)
    for _ in range(runs):
        run_process(cmd, env=env, into=timing)
    return timing


def bench_pair(
    name: str,
    cmd: list[str],
    old_cmd: list[str],
    old_env: dict[str, str],
    runs: int,
    *,
    env: dict[str, str] | None = None,
    warm_up: bool = True,
) -> tuple[Timing, Timing]:
    """``bench`` of a command and of the baseline's, run after run in turn (now, before, now, ...).

    This machine's speed drifts by tens of percent from one minute to the next: a baseline
    timed after the current code had finished was once 1.6x slower than the current code on the
    same work. Taking turns puts both under the same stretch of the machine.
    """
    if warm_up:
        run_process(cmd, env=env)
        run_process(old_cmd, env=old_env)
    now, before = Timing(name, [], 0.0), Timing(name, [], 0.0)
    for _ in range(runs):
        run_process(cmd, env=env, into=now)
        run_process(old_cmd, env=old_env, into=before)
    return now, before


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


LOOP = "import time\nt = time.perf_counter()\ns = 0\nfor i in range(10_000_000):\n    s += i\nprint(time.perf_counter() - t)"


def host_speed(runs: int) -> float:
    """Median seconds of a plain Python loop of ten million additions, each run in a process of its
    own: hosts of the same machine class differ by more than twice in it, and a reader can only
    compare absolute times from different runs beside this figure."""
    times = [
        float(subprocess.run([sys.executable, "-c", LOOP], capture_output=True, text=True, check=True).stdout)
        for _ in range(runs)
    ]
    return statistics.median(times)


def portaldoctor() -> list[str]:
    exe = Path(sys.executable).with_name("portaldoctor")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "portaldoctor"]


def precompile(*trees: Path) -> None:
    """Write the bytecode of each tree's own code before timing it, as ``pip install`` does.

    An installed portaldoctor starts from compiled bytecode. A checkout run with
    PYTHONDONTWRITEBYTECODE set (as on CI machines) would otherwise compile every module of the
    package on every run, a fifth of ``diagnose``'s start-up.
    """
    import compileall

    for tree in trees:
        for package in ("portaldoctor", "checks"):
            if (tree / package).is_dir():
                compileall.compile_dir(tree / package, quiet=1)


def baseline_command(baseline: Path) -> tuple[list[str], dict[str, str]]:
    """How to run an earlier checkout of portaldoctor: its source tree first on the path."""
    # -P: without it, ``-m`` puts the current directory (this checkout) ahead of PYTHONPATH and
    # the "baseline" silently runs the current code.
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(baseline)}
    return [sys.executable, "-P", "-m", "portaldoctor"], env


def startup(runs: int, baseline: Path | None = None) -> tuple[list[Timing], list[Timing]]:
    """Start-up of the current tree, and of the baseline's (for before/after) when given, the
    two taking turns run by run (``bench_pair``)."""
    env = {**os.environ, "NO_COLOR": "1"}
    pd = portaldoctor()
    diagnose = ["diagnose", "Bluebird Logistics", "--tenant", "demo", "--offline", "--now", "2026-11-22T12:00:00Z"]
    commands = {
        "portaldoctor --help": ["--help"],
        "portaldoctor --version": ["--version"],
        "portaldoctor diagnose (demo, --offline)": diagnose,
    }
    now = [bench("python -c pass (floor)", [sys.executable, "-c", "pass"], runs, env=env)]
    before: list[Timing] = []
    old, old_env = baseline_command(baseline) if baseline is not None else ([], {})
    for name, args in commands.items():
        if baseline is None:
            now.append(bench(name, [*pd, *args], runs, env=env))
        else:
            timing, old_timing = bench_pair(name, [*pd, *args], [*old, *args], old_env, runs, env=env)
            now.append(timing)
            before.append(old_timing)
    return now, before


def generated(out: Path, contacts: int, fmt: str) -> Path:
    """A generated tenant, written by a separate process.

    Generating a million contacts here would grow this process by hundreds of MiB, and a child
    started by fork counts its parent's pages in its own peak until it execs: every later
    benchmark would then show this process's size as its peak memory.
    """
    script = ROOT / "benchmarks" / "generate.py"
    done = subprocess.run(
        [sys.executable, str(script), str(out), "--contacts", str(contacts), "--format", fmt],
        check=True,
        capture_output=True,
        text=True,
    )
    return Path(done.stdout.strip())


def audits(
    sizes: list[int],
    work: Path,
    runs: int,
    baseline: Path | None = None,
    interleave_from: int = 300_000,
    warm_mb: int = 0,
) -> tuple[list[Timing], list[Timing]]:
    """Offline audits of generated tenants; the baseline runs the CSV ones too, taking turns
    with the current code run by run (``bench_pair``), in the same rounds for the largest.

    Sizes from 300 k up are the ones the targets compare (time, and 1 M against 300 k), so each
    runs ``runs`` times, interleaved (300 k, 1 M, 300 k, 1 M, ...): a slower stretch of a
    shared machine then hits both sizes rather than skewing their ratio. With ``warm_mb``, each round
    also runs every size once more right after a process has touched and freed that much memory
    (see ``page_faults``): every size then starts on memory the machine has just handed out,
    whatever ran before it.
    """
    pd = portaldoctor()
    out: list[Timing] = []
    before: list[Timing] = []

    def command(tenant: Path) -> list[str]:
        return [*pd, "audit", "--tenant", str(tenant), "--offline", "--format", "json", "--now", "2026-11-22T12:00:00Z"]

    old, old_env = baseline_command(baseline) if baseline is not None else ([], {})

    def old_command(tenant: Path) -> list[str]:
        return [*old, *command(tenant)[len(pd) :]]

    large = [size for size in sizes if size >= interleave_from]
    for size in sizes:
        if size in large:
            continue
        for fmt in ("csv", "jsonl"):
            tenant = generated(work / f"t{size}-{fmt}", size, fmt)
            repeat = runs if size < 100_000 else 1  # 100 k runs once
            name, warm_up = f"audit {size:,} contacts ({fmt})", size < 100_000
            if fmt == "csv" and baseline is not None:
                timing, old_timing = bench_pair(
                    name, command(tenant), old_command(tenant), old_env, repeat, warm_up=warm_up
                )
                before.append(old_timing)
            else:
                timing = bench(name, command(tenant), repeat, warm_up=warm_up)
            out.append(timing)
    tenants = {size: generated(work / f"t{size}-csv", size, "csv") for size in large}
    timings = {size: Timing(f"audit {size:,} contacts (csv)", [], 0.0) for size in large}
    befores = {size: Timing(f"audit {size:,} contacts (csv)", [], 0.0) for size in large if baseline is not None}
    warmed = {size: Timing(f"audit {size:,} contacts (csv, memory warmed)", [], 0.0) for size in large if warm_mb}
    for _ in range(runs):
        for size in large:
            run_process(command(tenants[size]), into=timings[size])
        for size, timing in warmed.items():
            run_process([sys.executable, "-c", TOUCH, str(warm_mb)])
            run_process(command(tenants[size]), into=timing)
        # The baseline in the same round, so that before and after share the machine's moods; after
        # the current code's runs, so that the plain rounds keep their order (each 1 M audit
        # right after a 300 k one) and their 1 M / 300 k ratios stay comparable with earlier runs.
        for size, old_timing in befores.items():
            run_process(old_command(tenants[size]), env=old_env, into=old_timing)
    for size in large:
        out.append(timings[size])
    before.extend(befores.values())
    out.extend(warmed.values())
    return out, before


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
    lines = [
        "| benchmark | median | spread | CPU: user / system | peak memory | note |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for t in rows:
        ratio = f" ({t.median / floor:.1f}x floor)" if floor and "floor" not in t.name else ""
        peak = f"{t.peak_mb:.0f} MiB" if t.peak_mb else "in-process"
        cpu = f"{_ms(statistics.median(t.user))} / {_ms(statistics.median(t.system))}" if t.user else "—"
        lines.append(f"| {t.name} | {t.median * 1000:.0f} ms{ratio} | {t.spread} | {cpu} | {peak} | {t.note} |")
    return "\n".join(lines)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


PAGE = 4096
TOUCH = (
    f"import mmap, sys\nn = int(sys.argv[1]) << 20\nm = mmap.mmap(-1, n)\nfor i in range(0, n, {PAGE}):\n    m[i] = 1\n"
)


def page_faults(sizes_mb: list[float], runs: int) -> list[tuple[float, float]]:
    """Kernel time per 4 KiB page for a new process to touch this much fresh memory once, per size.

    An audit's system time is mostly page faults on the memory it fills. Measuring the
    machine's own cost per page, at the audits' peak sizes and with nothing else running, says
    how much of the audits' growth comes from the machine rather than from portaldoctor.
    """
    out = []
    timings = {mb: Timing(f"touch {mb:.0f} MiB", [], 0.0) for mb in sizes_mb}
    for _ in range(runs):
        for mb in sizes_mb:  # interleaved, like the audits
            run_process([sys.executable, "-c", TOUCH, str(int(mb))], into=timings[mb])
    for mb in sizes_mb:
        pages = int(mb) * (1 << 20) // PAGE
        out.append((mb, statistics.median(timings[mb].system) / pages))
    return out


def before_after(after: list[Timing], before: list[Timing], baseline: Path | None) -> str:
    """Each benchmark of the current tree against the same benchmark of the baseline checkout."""
    if not before:
        return "Not measured in this run (pass `--baseline DIR` with a copy of the earlier commit)."
    old = {t.name: t for t in before}
    lines = [
        f"Baseline: `{baseline}` run with the same interpreter, on the same generated tenants, in this run, "
        "taking turns with the current code run by run: before and after are medians of as many runs each.",
        "",
        "| benchmark | before | after | speed-up | peak before | peak after |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for t in after:
        b = old.get(t.name)
        if b is None:
            continue
        lines.append(
            f"| {t.name} | {b.median * 1000:.0f} ms | {t.median * 1000:.0f} ms | {b.median / t.median:.2f}x | "
            f"{b.peak_mb:.0f} MiB | {t.peak_mb:.0f} MiB |"
        )
    return "\n".join(lines)


def _verdict(measured: float, limit: float, unit: str, higher_is_better: bool = False) -> str:
    ok = measured >= limit if higher_is_better else measured <= limit
    if ok:
        return "met"
    if higher_is_better:
        return f"missed: {limit / measured:.1f}x short"
    if unit == "x":
        return f"missed ({measured:.2f}x against at most {limit}x)"
    over = measured - limit
    # Enough digits to show a near miss: 5.06 s against 5 s is "0.06 s", not "0 s".
    places = 0 if over >= 10 else 1 if over >= 1 else 2
    return f"missed by {over:,.{places}f} {unit} ({measured / limit:.2f}x the limit)"


def targets(start: list[Timing], scale: list[Timing], dns: list[Timing]) -> str:
    """The issue's targets against this run's medians."""
    by_name = {t.name: t for t in [*start, *scale, *dns]}
    rows: list[tuple[str, str, str]] = []
    floor = by_name.get("python -c pass (floor)")
    help_ = by_name.get("portaldoctor --help")
    if help_ and floor:
        ms = help_.median * 1000
        rows.append(("`--help` ≤ 150 ms", f"{ms:.0f} ms (floor {floor.median * 1000:.0f} ms)", _verdict(ms, 150, "ms")))
    diag = by_name.get("portaldoctor diagnose (demo, --offline)")
    if diag:
        ms = diag.median * 1000
        rows.append(("`diagnose` of one demo customer ≤ 500 ms", f"{ms:.0f} ms", _verdict(ms, 500, "ms")))
    k300 = by_name.get("audit 300,000 contacts (csv)")
    if k300:
        rows.append(("300 k contacts ≤ 5 s", f"{k300.median:.2f} s", _verdict(k300.median, 5, "s")))
        rows.append(("300 k contacts ≤ 1 GiB peak", f"{k300.peak_mb:,.0f} MiB", _verdict(k300.peak_mb, 1024, "MiB")))
    m1 = by_name.get("audit 1,000,000 contacts (csv)")
    if k300 and m1:
        ratio = m1.median / k300.median
        rows.append(("1 M within 3.5x of 300 k", f"{ratio:.2f}x ({m1.median:.0f} s)", _verdict(ratio, 3.5, "x")))
    w300 = by_name.get("audit 300,000 contacts (csv, memory warmed)")
    w1 = by_name.get("audit 1,000,000 contacts (csv, memory warmed)")
    if w300 and w1:
        ratio = w1.median / w300.median
        rows.append(
            (
                "1 M within 3.5x of 300 k, memory warmed before each run",
                f"{ratio:.2f}x ({w1.median:.0f} s against {w300.median:.1f} s)",
                _verdict(ratio, 3.5, "x"),
            )
        )
    ours = next((t for t in dns if t.name.startswith("portaldoctor dns")), None)
    theirs = next((t for t in dns if t.name.startswith("checkdmarc")), None)
    if ours:
        rows.append((f"{ours.name.split(', ')[1]} ≤ 3 s wall", f"{ours.median:.2f} s", _verdict(ours.median, 3, "s")))
    if ours and theirs:
        ratio = theirs.median / ours.median
        rows.append(("≥ 20x faster than checkdmarc", f"{ratio:.1f}x", _verdict(ratio, 20, "x", higher_is_better=True)))
    lines = ["| target | measured (median) | verdict |", "| --- | --- | --- |"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines)


def growth(by_size: dict[int, Timing], warmed: dict[int, Timing] | None = None) -> list[str]:
    """How the 1 M audit compares with the 300 k one: wall, user and system time, and the
    machine's own cost per page at both sizes (see ``page_faults``); and the same comparison
    for the runs on warmed memory (``audits``), when there are some."""
    if 300_000 not in by_size or 1_000_000 not in by_size:
        return []
    small, big = by_size[300_000], by_size[1_000_000]
    lines = [
        f"1 M / 300 k audit time: {big.median / small.median:.2f}x (target ≤ 3.5x); {_cpu_growth(small, big)}, "
        f"for 3.33x the contacts"
    ]
    if len(small.runs) == len(big.runs) > 1:  # the audits run in rounds, 300 k then 1 M (``audits``)
        paired = [b / a for a, b in zip(small.runs, big.runs, strict=True)]
        lines.append(
            "Within each round (the 1 M audit against the 300 k audit just before it): "
            + ", ".join(f"{r:.2f}x" for r in paired)
            + f"; median {statistics.median(paired):.2f}x"
        )
    (mb_small, per_small), (mb_big, per_big) = page_faults([small.peak_mb, big.peak_mb], 3)
    lines.append(
        f"This machine's kernel time per 4 KiB page of fresh memory touched once, in a process of "
        f"its own: {per_small * 1e6:.1f} µs at {mb_small:,.0f} MiB (the 300 k audit's peak), "
        f"{per_big * 1e6:.1f} µs at {mb_big:,.0f} MiB (the 1 M audit's peak), {_ratio(per_big, per_small, 1)} per page"
    )
    if warmed and 300_000 in warmed and 1_000_000 in warmed:
        small, big = warmed[300_000], warmed[1_000_000]
        lines.append(
            f"Memory warmed before each run: 1 M / 300 k audit time {big.median / small.median:.2f}x; "
            f"{_cpu_growth(small, big)}"
        )
    return lines


def _by_size(timings: list[Timing], marker: str) -> dict[int, Timing]:
    """The audits whose name holds ``marker``, by contact count (``audit 300,000 contacts (…)``)."""
    return {int(t.name.split()[1].replace(",", "")): t for t in timings if marker in t.name}


def _cpu_growth(small: Timing, big: Timing) -> str:
    """How user and system CPU time grew from one audit to the other (medians)."""
    user = _ratio(statistics.median(big.user), statistics.median(small.user), 2)
    system = _ratio(statistics.median(big.system), statistics.median(small.system), 1)
    return f"user CPU {user}, system CPU {system}"


def _ratio(big: float, small: float, digits: int) -> str:
    """``big / small`` as ``3.3x``; a time the kernel reported as zero (less than one tick of its
    CPU clock, as when a small process touches a few MiB) has no ratio, and says so."""
    if small <= 0:
        return "not measurable (the smaller time is below the CPU clock's resolution)"
    return f"{big / small:.{digits}f}x"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one run each (smoke test)")
    parser.add_argument("--sizes", type=int, nargs="*", help="contacts per audit tenant")
    parser.add_argument("--domains", type=int, default=None)
    parser.add_argument("--delay", type=float, default=0.02, help="seconds the DNS server waits per answer")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    parser.add_argument("--baseline", type=Path, help="a copy of an earlier commit, timed for before/after")
    args = parser.parse_args()
    runs = 1 if args.quick else 9
    sizes = args.sizes or ([300] if args.quick else [10_000, 100_000, 300_000, 1_000_000])
    count = args.domains or (5 if args.quick else 500)
    if not args.quick:
        precompile(ROOT, *([args.baseline] if args.baseline else []))
    speed_before = host_speed(1 if args.quick else 3)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        start, start_before = startup(runs, args.baseline)
        scale, scale_before = audits(
            sizes,
            work,
            1 if args.quick else 5,
            args.baseline,
            interleave_from=0 if args.quick else 300_000,
            warm_mb=16 if args.quick else 2048,
        )
        dns, note = dns_benchmark(count, 0.0 if args.quick else args.delay, work, 1 if args.quick else 5)
    speed_after = host_speed(1 if args.quick else 3)
    floor = start[0].median
    ratios = growth(_by_size(scale, "(csv)"), _by_size(scale, "memory warmed"))
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
            f"Host speed: a plain Python loop of ten million additions took {speed_before:.2f} s before the"
            f" benchmarks and {speed_after:.2f} s after them (medians of {1 if args.quick else 3}). Hosts of"
            " this machine class differ by more than twice in it; compare absolute times from different"
            " runs only beside it.",
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
            "## Targets",
            "",
            targets(start, scale, dns),
            "",
            "## Before and after this round of optimisation",
            "",
            before_after([*start, *scale], [*start_before, *scale_before], args.baseline),
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
