"""No token, key or secret appears in full in any format."""

from __future__ import annotations

import pytest

from portaldoctor.check import Finding, Status
from portaldoctor.playbooks import Playbook
from portaldoctor.report import build
from portaldoctor.reporters import Format, render
from tests.factories import NOW
from tests.reporters.conftest import BEN, JWT, JWT_SIGNATURE, LINK, ROOT, sample_report

HEX_KEY = "9f2c4e6a8b0d1f3e5a7c9e1b3d5f7a9c"


def built_report() -> object:
    findings = [
        Finding(
            "link-validity", "link-expired", Status.FAIL, LINK,
            observed=f"https://pay.example/p/{JWT}?sig={HEX_KEY}", expected="a live link",
            evidence={"token": JWT, "key": HEX_KEY, "url": f"https://pay.example/?token={JWT}", "note": f"saw {JWT}"},
        ),
        Finding("contact-email-valid", "bad", Status.ERROR, BEN, reason=f"server rejected {JWT}"),
    ]  # fmt: skip
    return build(findings, Playbook("generic", "the portal", {}), tenant="T", platform=None, command="audit", now=NOW)


@pytest.mark.parametrize("fmt", list(Format))
def test_no_secret_in_full_after_build(fmt: Format) -> None:
    text = render(built_report(), fmt, root=ROOT)  # type: ignore[arg-type]
    assert JWT not in text and JWT_SIGNATURE not in text
    assert HEX_KEY not in text
    assert "eyJhbG" in text, "the short prefix stays so an agent can tell the token kind"


@pytest.mark.parametrize("fmt", [Format.SARIF, Format.JUNIT, Format.MARKDOWN, Format.HTML])
def test_reporters_redact_even_a_report_that_skipped_build(fmt: Format) -> None:
    text = render(sample_report(), fmt, root=ROOT)
    assert JWT_SIGNATURE not in text


def test_show_secrets_prints_them() -> None:
    from portaldoctor.redact import show_secrets

    with show_secrets():
        text = render(built_report(), Format.MARKDOWN)  # type: ignore[arg-type]
    assert JWT in text


def test_evidence_text_is_redacted_wherever_a_token_sits() -> None:
    from portaldoctor.errors import SourceLocation
    from portaldoctor.redact import redact_evidence

    fernet = "gAAAAAB" + "x" * 60
    evidence = {
        "note": f"clicked {JWT} then {fernet}.",
        "names": ["Ana", f"({JWT})"],
        "count": 3,
        "ratio": 0.5,
        "flag": True,
        "none": None,
        "plain": "no secret here: eyJ alone is too short",
        "where": SourceLocation("contacts.csv", 3),
    }
    out = redact_evidence(evidence)
    assert JWT not in str(out) and fernet not in str(out)
    assert out["note"].startswith("clicked eyJhbG…#") and "gAAAAA…#" in out["note"]
    assert out["names"][0] == "Ana" and out["names"][1].startswith("(eyJhbG…#")
    kept = ("count", "ratio", "flag", "none", "plain", "where")
    assert [out[k] for k in kept] == [evidence[k] for k in kept]
