"""Email addresses: the short path for plain addresses must agree with email-validator."""

from __future__ import annotations

import random

import pytest

from portaldoctor.knowledge import email


def test_plain_emails_skip_the_library_only_when_it_would_accept_them() -> None:
    from email_validator import EmailNotValidError, validate_email

    rng = random.Random(3)
    plain = ["a", "Zq", "09", "x_y", "p+q", "a-b"]
    odd = ["-", "_", "+", "", "é", " ", "!", "ab--", "xn--d", "a" * 40]
    tlds = ["com", "example", "io", "Uk", "test", "local", "c0", "123", "ARPA", "x" * 70, ""]

    def part(count: int) -> str:
        return "".join(rng.choice(plain if rng.random() < 0.93 else odd) for _ in range(rng.randint(1, count)))

    shortcut = 0
    for _ in range(20_000):
        local = ".".join(part(3) for _ in range(rng.randint(1, 3)))
        labels = [part(3) for _ in range(rng.randint(0, 3))] + [rng.choice(tlds[:4] * 3 + tlds)]
        address = f"{local}{rng.choice(['@', '@', '@', '@@', ''])}{'.'.join(labels)}"
        if len(address) <= 64 and email._PLAIN_EMAIL.fullmatch(address):
            shortcut += 1
        try:
            validate_email(address, check_deliverability=False)
            expected = None
        except EmailNotValidError as exc:
            expected = str(exc)
        assert email.email_problem(address) == expected, address
    assert shortcut > 1000


@pytest.mark.parametrize(
    ("address", "ok"),
    [
        ("dana.pierce+ar@acme.example", True),
        ("dana@mail.acme.test", False),  # special-use name
        ("dana@localhost", False),
        ("dana@@acme.example", False),
        ("dana@acme.123", False),
        ("dana@ab--cd.example", False),
        ("dana@" + "a" * 64 + ".example", False),  # label too long
        ("dana@bücher.example", True),  # not plain: the library decides
    ],
)
def test_email_problem(address: str, ok: bool) -> None:
    assert (email.email_problem(address) is None) is ok
