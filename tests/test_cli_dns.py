"""``portaldoctor dns`` and the network options of diagnose/audit, against a loopback DNS server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.dnsserver import Server

ZONE = {
    ("links.acme.example", "CNAME"): ["links.platform.example."],
    ("links.platform.example", "A"): ["192.0.2.10"],
    ("acme.example", "TXT"): ['"v=spf1 include:mail.platform.example ~all"'],
    ("_dmarc.acme.example", "TXT"): ['"v=DMARC1; p=none"'],
    # beta.example: the CNAME was typed with the zone appended twice
    ("links.beta.example.beta.example", "CNAME"): ["links.platform.example."],
    ("beta.example", "TXT"): ['"v=spf1 include:mail.platform.example ~all"'],
    ("_dmarc.beta.example", "TXT"): ['"v=DMARC1; p=none"'],
}
EXPECT = """records:
  - {type: CNAME, host: links, value: links.platform.example., purpose: link tracking}
  - {type: TXT, host: "@", value: "v=spf1 include:mail.platform.example ~all", purpose: SPF}
"""


def pd(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "portaldoctor", *args], capture_output=True, text=True, timeout=60, env=env
    )


def test_dns_many_domains_json(dns_server: Server, tmp_path: Path) -> None:
    dns_server.load(ZONE)
    expect = tmp_path / "expect.yaml"
    expect.write_text(EXPECT)
    domains = tmp_path / "domains.txt"
    domains.write_text("# tenants\nacme.example\nbeta.example\n")
    host, port = dns_server.address
    out = pd(
        "dns",
        "--domains-file",
        str(domains),
        "--expect",
        str(expect),
        "--nameserver",
        f"{host}:{port}",
        "--format",
        "json",
    )
    assert out.returncode == 1, out.stderr
    findings = json.loads(out.stdout)["findings"]
    problems = [(f["evidence"].get("domain"), f["code"]) for f in findings if f["status"] == "fail"]
    assert problems == [("beta.example", "dns-zone-appended-twice")]
    assert any(f["status"] == "pass" and f["subject"]["id"] == "acme.example" for f in findings)


def test_dns_records_prints_table_and_zone_snippet(tmp_path: Path) -> None:
    expect = tmp_path / "expect.yaml"
    expect.write_text(EXPECT)
    out = pd("dns", "acme.example", "--expect", str(expect), "--records")
    assert out.returncode == 0
    assert "CNAME  links.acme.example" in out.stdout
    assert "$ORIGIN acme.example." in out.stdout
    assert "links                          3600 IN CNAME links.platform.example.  ; link tracking" in out.stdout


def test_dns_bad_input() -> None:
    assert pd("dns", "acme.example").returncode == 2
    out = pd("dns", "acme.example", "--expect", "/nonexistent.yaml")
    assert out.returncode == 2 and "cannot read" in out.stderr
    out = pd("dns", "acme.example", "--tenant", "demo", "--nameserver", "not-an-ip")
    assert out.returncode == 2 and "'not-an-ip' is not an IP address" in out.stderr


def test_servfail_is_could_not_check_exit_3(dns_server: Server, tmp_path: Path) -> None:
    dns_server.load(
        ZONE, {"links.acme.example": "servfail", "acme.example": "refused", "_dmarc.acme.example": "servfail"}
    )
    expect = tmp_path / "expect.yaml"
    expect.write_text(EXPECT)
    host, port = dns_server.address
    out = pd("dns", "acme.example", "--expect", str(expect), "--nameserver", f"{host}:{port}", "--format", "json")
    assert out.returncode == 3, out.stdout
    statuses = {f["evidence"]["status"] for f in json.loads(out.stdout)["findings"] if f["status"] == "error"}
    assert statuses == {"servfail", "refused"}


def test_record_then_replay_without_network(dns_server: Server, tmp_path: Path) -> None:
    dns_server.load({k: v for k, v in ZONE.items() if not k[0].startswith("links.acme")})
    tenant = tmp_path / "tenant.yaml"
    tenant.write_text(
        "organisation:\n  name: Acme\n  deliverability: {domain: acme.example}\n  dns_records:\n"
        "    - {type: CNAME, host: links.acme.example, value: links.platform.example.}\n"
        "customers: [{id: c1, name: C1}]\n"
    )
    evidence = tmp_path / "evidence.json"
    host, port = dns_server.address
    live = pd(
        "audit",
        "--tenant",
        str(tenant),
        "--nameserver",
        f"{host}:{port}",
        "--record",
        str(evidence),
        "--format",
        "json",
    )
    assert live.returncode == 1, live.stderr
    assert json.loads(evidence.read_text())["dns"]
    dns_server.load({})  # the zone is gone; the replay must not notice
    replayed = pd("audit", "--tenant", str(tenant), "--replay", str(evidence), "--format", "json")
    live_codes = sorted(f["code"] for f in json.loads(live.stdout)["findings"] if f["status"] == "fail")
    replay_codes = sorted(f["code"] for f in json.loads(replayed.stdout)["findings"] if f["status"] == "fail")
    assert live_codes == replay_codes
    assert "dns-record-missing" in replay_codes


def test_demo_shows_dns_results_without_internet() -> None:
    out = pd("diagnose", "Acme Manufacturing", "--tenant", "demo", "--format", "json", "--now", "2026-11-22T12:00:00Z")
    codes = {f["code"] for f in json.loads(out.stdout)["findings"]}
    assert {"dns-zone-appended-twice", "spf-include-missing", "dns-txt-quoted"} <= codes
    assert json.loads(out.stdout)["scope"]["evidence"] == "replayed"


def test_replay_file_errors_are_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "evidence.json"
    bad.write_text("{not json")
    out = pd("audit", "--tenant", "demo", "--replay", str(bad))
    assert out.returncode == 2 and "not an evidence file" in out.stderr


def test_authoritative_asks_the_zones_own_servers(dns_server: Server, tmp_path: Path) -> None:
    # The "resolver" knows the delegation; the zone's name server (same loopback server here)
    # has not published the CNAME: with --authoritative the verdict says missing, with the
    # negative-caching TTL as the worst-case wait after publishing.
    dns_server.load(
        {
            ("acme.example", "NS"): ["ns1.acme.example."],
            ("ns1.acme.example", "A"): ["127.0.0.1"],
            ("acme.example", "TXT"): ['"v=spf1 include:mail.platform.example ~all"'],
            ("_dmarc.acme.example", "TXT"): ['"v=DMARC1; p=none"'],
        }
    )
    expect = tmp_path / "expect.yaml"
    expect.write_text(EXPECT)
    host, port = dns_server.address
    out = pd(
        "dns",
        "acme.example",
        "--expect",
        str(expect),
        "--nameserver",
        f"{host}:{port}",
        "--authoritative",
        "--format",
        "json",
    )
    assert out.returncode == 1, out.stderr
    [missing] = [f for f in json.loads(out.stdout)["findings"] if f["status"] == "fail"]
    assert missing["code"] == "dns-record-missing"
    assert missing["evidence"]["negative_ttl"] == 120
    assert "120 seconds" in missing["remedy"]["it_note"]


def test_certificate_thresholds_from_the_command_line() -> None:
    base = ("diagnose", "Acme Manufacturing", "--tenant", "demo", "--now", "2026-11-22T12:00:00Z", "--format", "json")

    def soon(*extra: str) -> list[str]:
        out = pd(*base, *extra)
        return [f["status"] for f in json.loads(out.stdout)["findings"] if f["code"] == "cert-expires-soon"]

    assert soon() == ["warn"]  # the demo's certificate has 22 days left
    assert soon("--cert-warn-days", "10", "--cert-fail-days", "5") == []
    assert soon("--cert-warn-days", "30", "--cert-fail-days", "25") == ["fail"]
    out = pd(*base, "--cert-warn-days", "5", "--cert-fail-days", "10")
    assert out.returncode == 2 and "--cert-fail-days" in out.stderr


def test_watch_reruns_failing_dns_until_fixed(dns_server: Server, tmp_path: Path) -> None:
    import time

    good = {k: v for k, v in ZONE.items() if k[0].endswith("acme.example") or k[0].startswith("links.platform")}
    broken = {k: v for k, v in good.items() if k[0] != "links.acme.example"}
    dns_server.load(broken)
    tenant = tmp_path / "tenant.yaml"
    tenant.write_text(
        "organisation:\n  name: Acme\n  deliverability: {domain: acme.example}\n  dns_records:\n"
        "    - {type: CNAME, host: links.acme.example, value: links.platform.example.}\n"
        "customers: [{id: c1, name: C1}]\n"
    )
    host, port = dns_server.address
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "portaldoctor", "diagnose", "C1", "--tenant", str(tenant), "--nameserver", f"{host}:{port}",
         "--watch", "0.3", "--watch-limit", "20", "--format", "json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    time.sleep(1.5)
    dns_server.load(good)  # the IT team publishes the record
    stdout, stderr = proc.communicate(timeout=30)
    assert "fixed: dns-record-missing (CNAME links.acme.example)" in stderr
    assert not [f for f in json.loads(stdout)["findings"] if f["check"] == "dns-records" and f["status"] == "fail"]


def test_authoritative_record_then_replay(dns_server: Server, tmp_path: Path) -> None:
    # The zone's own answers and the resolver's are kept apart in the evidence, so a replay of
    # an --authoritative run reaches the same verdicts with no server running at all.
    dns_server.load(
        {
            ("acme.example", "NS"): ["ns1.acme.example."],
            ("ns1.acme.example", "A"): ["127.0.0.1"],
            **{k: v for k, v in ZONE.items() if k[0] != "links.acme.example"},
        }
    )
    expect = tmp_path / "expect.yaml"
    expect.write_text(EXPECT)
    evidence = tmp_path / "evidence.json"
    host, port = dns_server.address
    base = ("dns", "acme.example", "--expect", str(expect), "--authoritative", "--format", "json")
    live = pd(*base, "--nameserver", f"{host}:{port}", "--record", str(evidence))
    assert any(key.startswith("acme.example@") for key in json.loads(evidence.read_text())["dns"])
    dns_server.load({})
    replayed = pd(*base, "--replay", str(evidence))

    def verdicts(out: subprocess.CompletedProcess[str]) -> list[tuple[str, str]]:
        return sorted((f["code"], f["status"]) for f in json.loads(out.stdout)["findings"])

    assert live.returncode == replayed.returncode == 1, live.stderr + replayed.stderr
    assert ("dns-record-missing", "fail") in verdicts(live)
    assert verdicts(live) == verdicts(replayed)
