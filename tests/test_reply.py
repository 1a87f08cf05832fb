"""diagnose --reply: a message for the customer from the playbooks, and a separate internal note."""

from __future__ import annotations

from tests.test_cli import NOW, pd


def test_reply_for_bluebird() -> None:
    out = pd("diagnose", "Bluebird Logistics", "--offline", "--now", NOW, "--reply")
    assert out.returncode == 1, out.stderr
    customer, _, internal = out.stdout.partition("INTERNAL NOTE FOR THE AGENT (do not send)")
    assert customer.startswith("MESSAGE TO THE CUSTOMER")
    assert "Hello Ben," in customer
    assert "Your access to our customer portal had been switched off on our side." in customer
    assert customer.rstrip("-\n").endswith("Kind regards,\nNorthwind Supplies")
    # Agent-only details stay out of the customer's part.
    assert "Payments > Options" not in customer and "evidence:" not in customer
    assert "Internal note: Bluebird Logistics (C-1002)" in internal
    assert "[fail] Portal access is switched off for Bluebird Logistics (root cause)" in internal
    assert "Payments > Options" in internal


def test_reply_when_nothing_is_wrong() -> None:
    out = pd("diagnose", "Bluebird Logistics", "--offline", "--now", NOW, "--reply", "--check", "privacy-link")
    assert out.returncode == 0, out.stderr
    assert "found nothing blocking it" in out.stdout
    assert "No problems found on our side." in out.stdout
