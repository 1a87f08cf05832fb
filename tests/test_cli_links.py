"""`portaldoctor token`, `link` and `diagnose --link` through the CLI: exit code, stdout, stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jwt
import pytest
from typer.testing import CliRunner

from portaldoctor.cli import app

NOW = "2026-11-22T12:00:00Z"
SECRET = "cli-test-secret-that-is-long-enough!!"
RAW = jwt.encode({"sub": "c1", "iat": 1_795_000_000, "exp": 1_796_000_000}, SECRET, algorithm="HS256")
EXPIRED_LINK = "https://pay.northwind.example/p/vJnYu1mapiNxv0TfWrhSK5CZ-DmPnn3b"
HEALTHY_JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJDLTEwMDEiLCJhdWQiOiJwb3J0YWwiLCJpYXQiOjE3OTQ5OTI0MDAsImV4"
    "cCI6MTc5NzE1MjQwMH0.ES07909h0SfPwWUwmF_1JyW-rPFMnpt3hWoviyoFzdY"
)


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={"NO_COLOR": "1", **(env or {})})
    return result.exit_code, result.stdout, result.stderr


def test_token_table_decodes_and_redacts() -> None:
    code, out, err = run("token", RAW, "--now", NOW, "--tz", "Europe/Paris")
    assert (code, err) == (0, "")
    assert "JSON Web Token" in out and "HS256" in out
    assert "UTC" in out and "Europe/Paris" in out and "CET" in out
    assert "token: written in the token (exp claim)" in out
    assert RAW not in out
    assert RAW[:6] + "…#" in out


def test_token_json_and_show_secrets() -> None:
    code, out, _ = run("token", RAW, "--now", NOW, "--format", "json")
    doc = json.loads(out)
    assert code == 0
    assert doc["token"]["kind"] == "jwt"
    assert doc["timeline"]["expiry_source"] == "token"
    assert doc["timeline"]["state"] == "valid"
    assert RAW not in out
    code, out, _ = run("token", RAW, "--now", NOW, "--format", "json", "--show-secrets")
    assert RAW in json.loads(out)["token"]["token"]


def test_token_expired_exit_1_and_clock_replay() -> None:
    code, out, _ = run("token", RAW, "--now", "2026-12-31T00:00:00Z")
    assert code == 1
    assert "EXPIRED" in out


def test_token_verify_with_key_env_and_file(tmp_path: Path) -> None:
    code, out, err = run("token", RAW, "--now", NOW, "--key-env", "PD_KEY", env={"PD_KEY": SECRET})
    assert (code, err) == (0, "")
    assert "OK valid" in out and "environment variable PD_KEY" in out
    assert SECRET not in out
    key = tmp_path / "key"
    key.write_text("wrong-secret-that-is-long-enough-too!!\n")
    code, out, err = run("token", RAW, "--now", NOW, "--key-file", str(key))
    assert code == 1 and err == ""
    assert "PROBLEM bad-signature" in out


def test_token_missing_key_is_exit_2() -> None:
    code, out, err = run("token", RAW, "--key-env", "PD_NOT_SET_ANYWHERE")
    assert code == 2 and out == ""
    assert err.strip() == "portaldoctor: error: field '--key-env': environment variable PD_NOT_SET_ANYWHERE is not set"


@pytest.mark.parametrize(
    ("arg", "message"),
    [
        ("gAAAAABpbmAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "padding"),
        (RAW[:-40] + "=", "JWT"),
        ("x" * 10_000_000, "characters long"),
        ("https://pay.northwind.example/about", "carries no token"),
    ],
)
def test_token_garbage_is_one_line_exit_2(arg: str, message: str) -> None:
    code, out, err = run("token", arg)
    assert code == 2 and out == ""
    assert err.startswith("portaldoctor: error: ") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_non_utf8_argument_through_the_entry_point() -> None:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(
        [sys.executable, "-m", "portaldoctor", "token", os.fsdecode(b"\xff\xfe" + b"a" * 20)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr == "portaldoctor: error: input is not valid UTF-8 text (undecodable bytes)\n"


def test_link_expired_two_clocks_table() -> None:
    code, out, err = run("link", EXPIRED_LINK, "--now", NOW, "--tz", "UTC")
    assert (code, err) == (1, "")
    assert "portal L-4001 for customer C-1008" in out and "matched by url" in out
    assert "[from link record]" in out  # shown as written, not read as markup
    assert "The portal link for Granite Builders has expired" in out
    assert "kept its 10-day lifetime" in out
    assert "vJnYu1mapiNxv0TfWrhSK5CZ-DmPnn3b" not in out


def test_link_json_has_no_full_token() -> None:
    # The report document every command that finds problems writes, with the clicked link in it.
    code, out, _ = run("link", EXPIRED_LINK, "--now", NOW, "--format", "json")
    doc = json.loads(out)
    assert code == 1
    assert doc["command"] == "link" and doc["link"]["matched_by"] == "url"
    assert doc["link"]["timeline"]["state"] == "expired" and doc["link"]["token"]["kind"] == "opaque"
    assert [f["code"] for f in doc["findings"] if f["status"] == "fail"] == ["link-expired"]
    assert "vJnYu1mapiNxv0TfWrhSK5CZ-DmPnn3b" not in out
    code, out, _ = run("link", EXPIRED_LINK, "--now", NOW, "--format", "json", "--show-secrets")
    assert "vJnYu1mapiNxv0TfWrhSK5CZ-DmPnn3b" in out


def test_link_healthy_jwt_passes() -> None:
    code, out, _ = run("link", f"https://pay.northwind.example/p/{HEALTHY_JWT}", "--now", NOW)
    assert code == 0
    assert "0 failed" in out
    assert HEALTHY_JWT not in out


@pytest.mark.parametrize(
    ("url", "code_expected", "text"),
    [
        ("https://pay.northwind.example/p/6c9McGzX_BciIjYt6SBUgdqjy6t_MN-l", 1, "matched by fingerprint"),
        ("https://pay.northwind.example/users/invitation/accept?invitation_token=q_uSQWpPnz0xeLewiO7V", 1, "I-2002"),
        (
            "https://pay.northwind.example/users/invitation/accept?invitation_token=4AI9EynvsgWIIXRxlk_H",
            1,
            "already accepted",
        ),
        ("http://pay.northwind.example/p/VNmP2ylmT23UGMtmuW_DuR-QV4p-srNz", 1, "sent as http://"),
        ("https://portal.northwind-billing.example/p/xDg700c4CfDYZp6t8KeUWDWZdCuAAt9V", 1, "not the portal"),
        ("https://pay.northwind.example/p/ImjkpX8cYrmRtLyJrCHNXecW0KC13D-Y", 1, "before their portal was switched off"),
        ("https://pay.northwind.example/p/Zz9McGzX_BciIjYt6SBUgdqjy6t_MN-l", 0, "no link or invitation in the tenant"),
    ],
)
def test_link_demo_stories(url: str, code_expected: int, text: str) -> None:
    code, out, err = run("link", url, "--now", NOW)
    assert (code, err) == (code_expected, "")
    assert text in " ".join(out.split())


def test_link_without_token_or_record_is_exit_2() -> None:
    code, out, err = run("link", "https://pay.northwind.example/about")
    assert code == 2 and out == ""
    assert "carries no token" in err


def test_diagnose_with_link() -> None:
    url = "http://pay.northwind.example/p/" + "VNmP2ylmT23UGMtmuW_DuR-QV4p-srNz"
    code, out, err = run("diagnose", "C-1009", "--link", url, "--now", NOW, "--format", "json")
    doc = json.loads(out)
    assert (code, err) == (1, "")
    assert doc["link"]["record"]["id"] == "L-5001"
    assert "link-sent-as-http" in {f["code"] for f in doc["findings"]}
    assert "VNmP2ylmT23UGMtmuW_DuR-QV4p-srNz" not in out


def test_diagnose_link_of_another_customer_is_exit_2() -> None:
    code, out, err = run("diagnose", "C-1001", "--link", EXPIRED_LINK, "--now", NOW)
    assert code == 2 and out == ""
    assert "belongs to customer C-1008" in err


def test_help_does_not_import_heavy_libraries() -> None:
    probe = (
        "import sys; from portaldoctor.cli import main; sys.argv=['portaldoctor','--help'];"
        "rc = main(); heavy = [m for m in ('pydantic','cryptography','jwt','httpx','dns') if m in sys.modules];"
        "print(heavy, file=sys.stderr)"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert proc.stderr.strip() == "[]"
    assert "token" in proc.stdout and "link" in proc.stdout
