"""Phone numbers as a portal's SMS PIN needs them: valid, of which type, and in E.164 form."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any, Literal


def parse_phone(number: str, region: str | None) -> Any:
    """Parse a phone number in a region; None when it cannot be parsed at all."""
    import phonenumbers

    try:
        return phonenumbers.parse(number, (region or "").upper() or None)
    except phonenumbers.NumberParseException:
        return None


def phone_facts(number: str, region: str | None) -> tuple[bool, int | None, str | None]:
    """(valid, phonenumbers type, E.164) of a number read in a region.

    Numbers written in international form take a short path (``_international_facts``) that
    gives the same answer as ``phonenumbers.parse`` + ``is_valid_number`` + ``number_type`` at a
    fraction of the cost (benchmarks/ANALYSIS.md, "Phone and email"), and is not cached: a large
    tenant reads most numbers once, so a cache lookup (and its upkeep) on every such number was
    wasted. Anything else goes through the
    library's parser, cached (``_library_facts``).
    """
    facts = _international_facts(number)
    if facts is not None:
        return facts
    return _library_facts(number, region)


@lru_cache(maxsize=4096)
def _library_facts(number: str, region: str | None) -> tuple[bool, int | None, str | None]:
    """``phone_facts`` by the library's parser, for numbers the short path leaves to it.

    Cached, since a switchboard number recurs on many contacts. The bound is small: a large
    cache held memory that no lookup hit on generated tenants.
    """
    import phonenumbers

    parsed = parse_phone(number, region)
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        return False, None, None
    return (
        True,
        int(phonenumbers.number_type(parsed)),
        str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)),
    )


_PLAIN_INTERNATIONAL = re.compile(r"\+[1-9][0-9 -]*[0-9]")
_UNKNOWN = 99  # phonenumbers.PhoneNumberType.UNKNOWN
_NO_CODE = (False, None, None)


def _international_facts(number: str) -> tuple[bool, int | None, str | None] | None:
    """Facts of a ``+CC NNN NNNN`` number (digits, spaces and hyphens only), or None when the
    number needs the full parser: national or ``00`` forms, other punctuation, extensions,
    non-geographic codes, or a national part that starts with a trunk prefix or a zero.

    The steps are the ones ``phonenumbers`` takes for such input (country code by the shortest
    known prefix, region by the code's region list, then the region's number-type patterns),
    minus the generic parsing around them. ``tests/knowledge/test_phone.py`` checks that both agree
    on tens of thousands of numbers across every country code.
    """
    parts = _international_parts(number)
    if parts is None:
        return None
    if parts is False:
        return _NO_CODE  # no such country code: the parser rejects it too
    digits, national, regions = parts
    kind = _UNKNOWN
    for leading, region in regions:
        if len(regions) == 1:
            kind = _classifier(region)(national)
            break
        if leading is not None:
            if leading.match(national):
                kind = _classifier(region)(national)
                break
        else:
            kind = _classifier(region)(national)
            if kind != _UNKNOWN:
                break
    if kind == _UNKNOWN:
        return _NO_CODE
    return True, kind, f"+{digits}"


def plain_e164(number: str) -> str | None:
    """``+CC…`` digits of a number that the short path reads as written, valid or not; None
    for any other number. Two numbers with the same result are the same number, so comparing
    it with a valid E.164 (a staff member's) needs no validation."""
    parts = _international_parts(number)
    return f"+{parts[0]}" if parts else None


_Parts = tuple[str, str, "list[tuple[re.Pattern[str] | None, str]]"]
"""Every digit after the +; the national number; per region sharing the country code, its
leading-digits pattern and region code. A plain tuple: it is made for every number read."""

_PLANS: dict[str, _Plan | Literal[False] | None] = {}
"""``_country_plan`` by code: a dict read is cheaper than a cached call, three times a number."""


def _international_parts(number: str) -> _Parts | Literal[False] | None:
    """A plain international number split up; False when no country has its code; None when
    it needs the full parser."""
    if not _PLAIN_INTERNATIONAL.fullmatch(number):
        return None
    digits = number.replace(" ", "").replace("-", "")[1:]
    plans = _PLANS
    for size in (1, 2, 3):
        code = digits[:size]
        plan = plans.get(code, False)
        if plan is False:
            plan = plans[code] = _country_plan(code)
        if plan is not None:
            break
    else:
        return False
    if plan is False:
        return None
    national = digits[size:]
    if not 2 <= len(national) <= 17 or national[0] == "0":
        return None  # the parser may strip or rewrite a national prefix; let it decide
    prefix, regions = plan
    if prefix is not None:
        # The same when the national-prefix step could change it: it strips digits, or it
        # rewrites them from a group that took part in the match.
        found = prefix[0].match(national)
        if found is not None:
            groups = found.groups()
            if found.end() > 0 or (prefix[1] and groups and groups[-1] is not None):
                return None
    return digits, national, regions


_Plan = tuple[
    "tuple[re.Pattern[str], bool] | None",  # national-prefix pattern, and whether it rewrites digits
    "list[tuple[re.Pattern[str] | None, str]]",  # per region sharing the code: leading digits, region code
]


def _country_plan(code: str) -> _Plan | Literal[False] | None:
    """How to read numbers of one country calling code: its national-prefix rule (from the main
    region) and, per region sharing the code, its leading-digits pattern and region code.
    None when no country has this code; False when its numbers need the full parser. Made once
    per code: ``_PLANS`` keeps them."""
    try:
        from phonenumbers import PhoneMetadata
        from phonenumbers.phonenumberutil import COUNTRY_CODE_TO_REGION_CODE
    except ImportError:  # the library's layout changed: always use the parser
        return False
    regions = COUNTRY_CODE_TO_REGION_CODE.get(int(code))
    if regions is None:
        return None
    metas = [PhoneMetadata.metadata_for_region(region) for region in regions]
    if "001" in regions or metas[0] is None:
        return False
    main = metas[0]
    prefix = None
    if main.national_prefix_for_parsing:
        prefix = (re.compile(main.national_prefix_for_parsing), bool(main.national_prefix_transform_rule))
    # Each region's classifier is compiled on first use (``_classifier``): +44 is shared by
    # four regions, and most tenants only ever need the first.
    plan = [
        (re.compile(meta.leading_digits) if meta.leading_digits is not None else None, region)
        for region, meta in zip(regions, metas, strict=True)
        if meta is not None
    ]
    return prefix, plan


@lru_cache(maxsize=512)
def _classifier(region: str) -> Callable[[str], int]:
    """The number-type rules of one region's metadata, compiled into two regular expressions.

    Same order and tests as ``phonenumbers``' own type matcher: the general pattern, then premium
    rate, toll free, shared cost, VoIP, personal, pager, UAN, voicemail, fixed line, mobile, each
    only for its possible lengths. One alternation tries them in that order inside the regex
    engine (the first alternative that matches the whole number wins), instead of a dozen
    Python-level matches per number.
    """
    from phonenumbers import PhoneMetadata
    from phonenumbers import PhoneNumberType as T

    meta: Any = PhoneMetadata.metadata_for_region(region)

    def desc(d: Any) -> str | None:
        """A desc as a regex: its pattern, behind a lookahead for its possible lengths."""
        if d is None or not d.national_number_pattern:
            return None
        lengths = [n for n in d.possible_length or () if n > 0]
        if d.possible_length and not lengths:
            return None  # a type this region does not use
        ahead = f"(?=(?:{'|'.join(f'.{{{n}}}' for n in lengths)})\\Z)" if lengths else ""
        return f"{ahead}(?:{d.national_number_pattern})"

    kinds = {
        f"t{int(kind)}": int(kind)
        for kind in (T.PREMIUM_RATE, T.TOLL_FREE, T.SHARED_COST, T.VOIP, T.PERSONAL_NUMBER, T.PAGER, T.UAN, T.VOICEMAIL)
    }
    names = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager", "uan", "voicemail")
    same = bool(meta.same_mobile_and_fixed_line_pattern)
    alternatives = [(name, desc(getattr(meta, attr))) for name, attr in zip(kinds, names, strict=True)]
    alternatives += [("fixed", desc(meta.fixed_line)), ("mobile", None if same else desc(meta.mobile))]
    combined = "|".join(f"(?P<{name}>{pattern})" for name, pattern in alternatives if pattern is not None)
    general_text, mobile_text = desc(meta.general_desc), desc(meta.mobile)
    general = re.compile(general_text) if general_text else None
    typed = re.compile(combined) if combined else None
    mobile = re.compile(mobile_text) if mobile_text else None
    either, fixed_only, mobile_only, unknown = (
        int(T.FIXED_LINE_OR_MOBILE),
        int(T.FIXED_LINE),
        int(T.MOBILE),
        int(T.UNKNOWN),
    )

    def classify(number: str) -> int:
        if general is None or typed is None or not general.fullmatch(number):
            return unknown
        found = typed.fullmatch(number)
        if found is None:
            return unknown
        name = found.lastgroup
        if name == "fixed":
            return either if same or (mobile is not None and mobile.fullmatch(number)) else fixed_only
        if name == "mobile":
            return mobile_only
        return kinds[str(name)]

    return classify


def e164(number: str | None, region: str | None) -> str | None:
    """The E.164 form of a valid number, for comparisons; None when not valid."""
    if not number:
        return None
    return phone_facts(number, region)[2]
