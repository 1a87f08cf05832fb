"""Phone numbers: the short path for international numbers must agree with phonenumbers."""

from __future__ import annotations

import random

import phonenumbers
import pytest
from phonenumbers.phonenumberutil import COUNTRY_CODE_TO_REGION_CODE

from portaldoctor.knowledge import phone


def library(number: str, region: str | None) -> tuple[bool, int | None, str | None]:
    """The answer of the full parser, as phone_facts gave it before the short path."""
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return False, None, None
    if not phonenumbers.is_valid_number(parsed):
        return False, None, None
    return (
        True,
        int(phonenumbers.number_type(parsed)),
        phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164),
    )


def sample_numbers(count: int, seed: int) -> list[str]:
    """International numbers over every country code: near-real ones made from each region's
    example numbers (last digits changed), random digit strings, and unknown country codes."""
    rng = random.Random(seed)
    codes = sorted(COUNTRY_CODE_TO_REGION_CODE)
    kinds = [
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE,
        phonenumbers.PhoneNumberType.TOLL_FREE,
        phonenumbers.PhoneNumberType.VOIP,
        phonenumbers.PhoneNumberType.PAGER,
    ]
    out = []
    for _ in range(count):
        code = rng.choice(codes)
        region = rng.choice(COUNTRY_CODE_TO_REGION_CODE[code])
        national = None
        if rng.random() < 0.6 and region != "001":
            example = phonenumbers.example_number_for_type(region, rng.choice(kinds))
            if example is not None:
                nsn = phonenumbers.national_significant_number(example)
                national = nsn[:-3] + "".join(rng.choice("0123456789") for _ in range(3))
        if national is None:
            national = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 16)))
        sep = rng.choice(["", " ", "-"])
        out.append(f"+{code}{sep}{national}")
        if rng.random() < 0.03:
            out.append("+" + "".join(rng.choice("123456789") for _ in range(rng.randint(1, 4))))
    return out


def test_short_path_agrees_with_the_parser_across_country_codes() -> None:
    numbers = sample_numbers(12_000, seed=11)
    taken = 0
    for number in numbers:
        fast = phone._international_facts(number)
        if fast is None:
            continue
        taken += 1
        assert fast == library(number, "GB"), number
    assert taken > len(numbers) * 0.8  # the short path really is the common path


@pytest.mark.parametrize(
    ("number", "valid", "kind"),
    [
        ("+44 7400 123456", True, phonenumbers.PhoneNumberType.MOBILE),
        ("+44 20 7946 0000", True, phonenumbers.PhoneNumberType.FIXED_LINE),
        ("+1 201 555 0123", True, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE),
        ("+44 1624 612345", True, phonenumbers.PhoneNumberType.FIXED_LINE),  # Isle of Man, shares +44
        ("+44 7400 1234", False, None),
        ("+999 1234 5678", False, None),  # no such country code
    ],
)
def test_known_numbers(number: str, valid: bool, kind: int | None) -> None:
    facts = phone._international_facts(number)
    assert facts is not None
    assert facts[:2] == (valid, kind)
    assert facts == library(number, None)


@pytest.mark.parametrize(
    "number",
    ["07400 123456", "+44 (0)7400 123456", "+44 07400 123456", "0044 7400 123456", "+44 7400 123456 ext 12",
     "+800 1234 5678", "+44.7400.123456"],
)  # fmt: skip
def test_other_forms_go_to_the_parser(number: str) -> None:
    assert phone._international_facts(number) is None
    phone._library_facts.cache_clear()
    assert phone.phone_facts(number, "GB") == library(number, "GB")


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("+44 7400 123456", "+447400123456"),
        ("+44-7400-123456", "+447400123456"),
        ("+44 7400 1234", "+4474001234"),  # not valid, but the same digits are the same number
        ("+44 07400 123456", None),  # the parser may drop the 0
        ("07400 123456", None),
        ("+999 1234", None),  # no such country code
    ],
)
def test_plain_e164(number: str, expected: str | None) -> None:
    assert phone.plain_e164(number) == expected


def test_plain_e164_is_the_e164_of_every_valid_plain_number() -> None:
    for number in sample_numbers(3000, seed=5):
        valid, _, formatted = library(number, None)
        quick = phone.plain_e164(number)
        if valid and quick is not None:
            assert quick == formatted, number
