"""Load and validate playbook files: every entry complete, every template compiling, generic as the base."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache
from importlib.resources import files
from typing import Any

from portaldoctor import yamlio
from portaldoctor.check import Severity
from portaldoctor.errors import InputError, PluginError, SourceLocation
from portaldoctor.playbooks.model import GENERIC, Entry, Playbook, PlaybookLink, PlaybookSet
from portaldoctor.playbooks.rendering import environment
from portaldoctor.playbooks.rules import Rules

_TEXT_FIELDS = ("title", "why", "customer_message", "it_note")
_ENTRY_KEYS = {
    "title",
    "severity",
    "why",
    "steps",
    "customer_message",
    "it_note",
    "links",
    "symptoms",
}
_REQUIRED = ("title", "severity", "why", "steps", "customer_message")
_FILE_KEYS = {"profile", "product", "extends", "description", "rules", "entries"}


def _problem(message: str, location: SourceLocation | None, fieldname: str | None = None) -> PluginError:
    return PluginError(str(InputError(message, location=location, field=fieldname)))


def _parse_file(text: str, filename: str) -> tuple[dict[str, Any], yamlio.Locations]:
    locations: yamlio.Locations = {}
    try:
        data = yamlio.load(text, filename, locations=locations)
    except InputError as exc:
        raise PluginError(str(exc)) from None
    if not isinstance(data, dict):
        raise _problem("a playbook must be a mapping", SourceLocation(filename, 1))
    unknown = set(data) - _FILE_KEYS
    if unknown:
        key = sorted(unknown)[0]
        raise _problem("unknown key", locations.get((key,)), key)
    for key in ("profile", "entries"):
        if key not in data:
            raise _problem("required key is missing", SourceLocation(filename, 1), key)
    if not isinstance(data["entries"], dict):
        raise _problem("'entries' must map finding codes to entries", locations.get(("entries",)), "entries")
    return data, locations


@lru_cache(maxsize=8192)
def _syntax_error(text: str) -> str | None:
    """Why a template does not compile, or None; cached because every profile repeats the
    generic texts it inherits, and parsing them again was most of ``diagnose``'s start-up."""
    if "{" not in text:
        return None  # plain prose: every Jinja2 delimiter of our environment starts with "{"
    from jinja2 import TemplateSyntaxError

    try:
        environment().parse(text)
    except TemplateSyntaxError as exc:
        return str(exc.message)
    return None


def _check_template(text: Any, where: SourceLocation | None, fieldname: str, *, compile_check: bool = True) -> str:
    if not isinstance(text, str):
        raise _problem("must be text", where, fieldname)
    error = _syntax_error(text) if compile_check else None
    if error is not None:
        raise _problem(f"template does not compile: {error}", where, fieldname)
    return text


def _entry(
    code: str,
    raw: Mapping[str, Any],
    base: Entry | None,
    profile: str,
    locations: yamlio.Locations,
    filename: str,
    compile_check: bool = True,
) -> Entry:
    where = locations.get(("entries", code), SourceLocation(filename))
    if not isinstance(raw, dict):
        raise _problem("an entry must be a mapping", where, code)
    unknown = set(raw) - _ENTRY_KEYS
    if unknown:
        key = sorted(unknown)[0]
        raise _problem("unknown key", locations.get(("entries", code, key), where), f"{code}.{key}")
    merged: dict[str, Any] = {}
    if base is not None:
        merged = {
            "title": base.title,
            "severity": str(base.severity),
            "why": base.why,
            "steps": list(base.steps),
            "customer_message": base.customer_message,
            "it_note": base.it_note,
            "links": [{"title": link.title, "url": link.url} for link in base.links],
            "symptoms": list(base.symptoms),
        }
    merged.update(raw)
    for key in _REQUIRED:
        if merged.get(key) in (None, "", []):
            raise _problem("required field is missing", where, f"{code}.{key}")

    def loc(key: str) -> SourceLocation | None:
        return locations.get(("entries", code, key), where)

    for key in _TEXT_FIELDS:
        if merged.get(key) is not None:
            _check_template(merged[key], loc(key), f"{code}.{key}", compile_check=compile_check)
    steps = merged["steps"]
    if not isinstance(steps, list):
        raise _problem("steps must be a list", loc("steps"), f"{code}.steps")
    for step in steps:
        _check_template(step, loc("steps"), f"{code}.steps", compile_check=compile_check)
    try:
        severity = Severity.parse(str(merged["severity"]))
    except KeyError:
        raise _problem(
            f"severity must be one of {', '.join(s.name.lower() for s in Severity)}",
            loc("severity"),
            f"{code}.severity",
        ) from None
    links = []
    for item in merged.get("links") or []:
        if not (isinstance(item, dict) and set(item) == {"title", "url"}):
            raise _problem("each link is {title, url}", loc("links"), f"{code}.links")
        links.append(PlaybookLink(str(item["title"]), str(item["url"])))
    symptoms = merged.get("symptoms") or []
    if not isinstance(symptoms, list) or not all(isinstance(s, str) for s in symptoms):
        raise _problem("symptoms must be a list of phrases", loc("symptoms"), f"{code}.symptoms")
    return Entry(
        code=code,
        profile=profile,
        title=merged["title"],
        severity=severity,
        why=merged["why"],
        steps=tuple(steps),
        customer_message=merged["customer_message"],
        it_note=merged.get("it_note"),
        links=tuple(links),
        symptoms=tuple(symptoms),
        location=where,
    )


def _rules(
    data: Mapping[str, Any], locations: yamlio.Locations, filename: str, base: Mapping[str, Any] | None = None
) -> tuple[Rules, dict[str, Any]]:
    """A file's ``rules:`` over ``base`` (generic's), typed; and the raw values, for a profile to build on.

    An unknown rule or a value of the wrong type is an error at its file and line, with the
    nearest known name for a misspelt one.
    """
    from pydantic import ValidationError

    raw = data.get("rules") or {}
    if not isinstance(raw, dict):
        raise _problem("rules must be a mapping of names to values", locations.get(("rules",)), "rules")
    merged = {**(base or {}), **raw}
    try:
        return Rules.model_validate(merged), merged
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        path = tuple(first["loc"])
        name = str(path[0]) if path else ""
        where = locations.get(("rules", name)) if name in raw else None
        where = where or locations.get(("rules",)) or SourceLocation(filename, 1)
        if first["type"] == "extra_forbidden":
            import difflib

            close = difflib.get_close_matches(name, list(Rules.model_fields), n=1)
            hint = f"; did you mean {close[0]}?" if close else f"; known rules: {', '.join(Rules.model_fields)}"
            raise _problem(f"unknown rule{hint}", where, f"rules.{name}") from None
        field = ".".join(str(p) for p in ("rules", *path))
        raise _problem(str(first["msg"]), where, field) from None


def load_texts(texts: Mapping[str, str], only: str | None = None, *, compile_check: bool = True) -> PlaybookSet:
    """Build a PlaybookSet from {filename: yaml text}; generic.yaml must be among them.

    ``only`` names the one platform profile to build besides generic (a run needs no other);
    the other files are still read, so a profile defined twice is reported either way.
    ``compile_check=False`` skips compiling every template up front: for the shipped playbooks,
    which the test suite compiles, so a run does not pay for parsing templates it never renders
    (a template that still failed would render as its raw text, see ``report.remedy_for``).
    """
    parsed = {name: _parse_file(text, name) for name, text in texts.items()}
    by_profile: dict[str, tuple[dict[str, Any], yamlio.Locations, str]] = {}
    for name, (data, locs) in parsed.items():
        profile = str(data["profile"]).lower()
        if profile in by_profile:
            raise _problem(f"profile '{profile}' is defined twice", SourceLocation(name, 1), "profile")
        by_profile[profile] = (data, locs, name)
    if GENERIC not in by_profile:
        raise PluginError("playbooks: generic.yaml (profile: generic) is missing")
    books = PlaybookSet(known_profiles=(GENERIC, *sorted(p for p in by_profile if p != GENERIC)))
    gdata, glocs, gname = by_profile[GENERIC]
    generic_entries = {
        code: _entry(code, raw, None, GENERIC, glocs, gname, compile_check) for code, raw in gdata["entries"].items()
    }
    generic_rules, generic_raw = _rules(gdata, glocs, gname)
    books.playbooks[GENERIC] = Playbook(
        GENERIC, str(gdata.get("product", "the portal")), generic_entries, (gname,), generic_rules
    )
    for profile, (data, locs, name) in by_profile.items():
        if profile == GENERIC or (only is not None and profile != only.lower()):
            continue
        entries = dict(generic_entries)
        for code, raw in data["entries"].items():
            base = generic_entries.get(code)
            if base is None:
                raise _problem(
                    "a profile may only override codes that generic.yaml defines",
                    locs.get(("entries", code)),
                    code,
                )
            entries[code] = _entry(code, raw, base, profile, locs, name, compile_check)
        rules, _ = _rules(data, locs, name, generic_raw)
        books.playbooks[profile] = Playbook(profile, str(data.get("product", profile)), entries, (gname, name), rules)
    return books


def load_builtin(only: str | None = None, *, compile_check: bool = True) -> PlaybookSet:
    """Load the playbooks shipped with portaldoctor (generic plus ``only``, or every profile)."""
    from portaldoctor import SOURCE_ROOT

    root: Any = SOURCE_ROOT / "playbooks" if SOURCE_ROOT is not None else files("portaldoctor.builtin_playbooks")
    every = sorted(item.name for item in root.iterdir() if item.name.endswith(".yaml"))
    names = every
    if only is not None:
        # The shipped files are named after their profile (a test holds them to it): a run reads
        # generic and its own.
        names = [name for name in names if name in (f"{GENERIC}.yaml", f"{only.lower()}.yaml")]
    texts = {f"playbooks/{name}": (root / name).read_text(encoding="utf-8") for name in names}
    books = load_texts(texts, only, compile_check=compile_check)
    shipped = sorted(name.removesuffix(".yaml") for name in every if name != f"{GENERIC}.yaml")
    return replace(books, known_profiles=(GENERIC, *shipped)) if only is not None else books
