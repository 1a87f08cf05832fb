"""HTML report: self-contained, grouped, golden; opened in a real headless Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from portaldoctor.check import Status
from portaldoctor.report import Report
from portaldoctor.reporters import html
from tests.reporters.conftest import ROOT, check_golden

BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def browser() -> str | None:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def test_golden(report: Report) -> None:
    check_golden("sample.html", html.render(report, root=ROOT))


def test_self_contained(demo_report: Report) -> None:
    text = html.render(demo_report)
    assert "<script" not in text and "<link" not in text and "<img" not in text
    assert "@import" not in text and "url(" not in text
    assert "default-src 'none'" in text
    # The only external addresses are plain hyperlinks, which fetch nothing until clicked.
    for attr in re.findall(r'\b(src|href)="(https?:[^"]*)"', text):
        assert attr[0] == "href"
    assert "@media print" in text


def test_escapes_html(report: Report) -> None:
    text = html.render(report, root=ROOT)
    assert "HTTPS links wait for DNS | &lt;verification&gt;" in text


def _chromium(exe: str, url: str, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
            "--enable-logging=stderr", "--v=0", *extra, url,
        ],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip


COLLECTOR = """<script>
window.__errors = [];
window.addEventListener("error", function (e) { window.__errors.push(String(e.message)); });
document.addEventListener("securitypolicyviolation", function (e) { window.__errors.push("csp " + e.blockedURI); });
window.addEventListener("load", function () {
  var out = document.createElement("pre");
  out.id = "__probe";
  out.textContent = JSON.stringify({errors: window.__errors, text: document.body.innerText});
  document.documentElement.appendChild(out);
});
</script>"""


def test_opens_in_headless_chromium(demo_report: Report, tmp_path: Path) -> None:
    import json

    exe = browser()
    if exe is None:
        pytest.skip("no Chromium on this machine (apt-get install chromium); the HTML report was not opened")
    page = html.render(demo_report)
    plain = tmp_path / "report.html"
    plain.write_text(page, encoding="utf-8")
    # 1. The report as shipped: the browser logs no console error and no blocked request.
    first = _chromium(exe, plain.as_uri(), tmp_path / "profile1", "--dump-dom")
    assert first.returncode == 0, first.stderr[-2000:]
    console = [line for line in first.stderr.splitlines() if "CONSOLE" in line or "Refused to" in line]
    assert console == [], console
    assert 'id="summary"' in first.stdout
    # 2. With a probe script (the CSP relaxed for it only): what a reader actually sees.
    probed = page.replace(
        "default-src 'none'; style-src 'unsafe-inline'",
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'",
    ).replace("<head>", "<head>" + COLLECTOR, 1)
    probe_file = tmp_path / "probe.html"
    probe_file.write_text(probed, encoding="utf-8")
    second = _chromium(exe, probe_file.as_uri(), tmp_path / "profile2", "--dump-dom")
    assert second.returncode == 0, second.stderr[-2000:]
    match = re.search(r'<pre id="__probe">(.*?)</pre>', second.stdout, re.S)
    assert match, "the probe did not run"
    import html as html_lib

    probe = json.loads(html_lib.unescape(match.group(1)))
    assert probe["errors"] == []
    visible = probe["text"]
    counts = demo_report.counts
    assert demo_report.summary in visible
    for status, word in (("fail", "failed"), ("warn", "warnings"), ("pass", "passed")):
        assert re.search(rf"{counts[status]}\s*{word}", visible), (status, word)
    for item in demo_report.items:
        if item.finding.status is Status.FAIL:
            assert item.remedy is not None
            assert item.remedy.title in visible, item.remedy.title
