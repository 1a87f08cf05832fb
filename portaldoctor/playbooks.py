"""Load and validate playbooks; render remedies in a Jinja2 sandbox; index symptoms."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib.resources import files
from typing import Any

from portaldoctor import yamlio
from portaldoctor.check import Severity
from portaldoctor.errors import InputError, PluginError, SourceLocation

GENERIC = "generic"
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


@dataclass(frozen=True)
class PlaybookLink:
    """A link to documentation."""

    title: str
    url: str


@dataclass(frozen=True)
class Entry:
    """A playbook entry for one finding code, after the profile was merged over generic."""

    code: str
    profile: str
    title: str
    severity: Severity
    why: str
    steps: tuple[str, ...]
    customer_message: str
    it_note: str | None = None
    links: tuple[PlaybookLink, ...] = ()
    symptoms: tuple[str, ...] = ()
    location: SourceLocation | None = None


@dataclass(frozen=True)
class Remedy:
    """A rendered entry: the words an agent, a customer and an IT team read."""

    code: str
    profile: str
    title: str
    severity: Severity
    why: str
    steps: tuple[str, ...]
    customer_message: str
    it_note: str | None
    links: tuple[PlaybookLink, ...]


@dataclass(frozen=True)
class Playbook:
    """One profile's playbook: its product name and entries (generic entries filled in)."""

    profile: str
    product: str
    entries: Mapping[str, Entry]
    files: tuple[str, ...] = ()
    rules: Mapping[str, Any] = field(default_factory=dict)
    """Product facts checks read (link-validity range, plans with the portal, ...)."""

    def entry(self, code: str) -> Entry | None:
        """The entry for a code, or None."""
        return self.entries.get(code)


@dataclass
class PlaybookSet:
    """Every playbook shipped (generic plus profiles), loaded and validated."""

    playbooks: dict[str, Playbook] = field(default_factory=dict)

    @property
    def generic(self) -> Playbook:
        """The generic playbook every profile falls back to."""
        return self.playbooks[GENERIC]

    def for_platform(self, platform: str | None) -> Playbook:
        """The playbook of a platform profile; generic when there is none."""
        if platform is None:
            return self.generic
        return self.playbooks.get(platform.lower(), self.generic)

    @property
    def profiles(self) -> list[str]:
        """Profile names, generic first."""
        return [GENERIC, *sorted(p for p in self.playbooks if p != GENERIC)]

    @cached_property
    def symptoms(self) -> dict[str, set[str]]:
        """Symptom phrase -> codes that explain it, across every profile."""
        index: dict[str, set[str]] = {}
        for book in self.playbooks.values():
            for entry in book.entries.values():
                for symptom in entry.symptoms:
                    index.setdefault(symptom, set()).add(entry.code)
        return index


def _sentence(value: Any) -> str:
    """A value that starts a sentence: its first letter upper-case, the rest as it is."""
    text = str(value)
    return text[:1].upper() + text[1:]


def _sandbox() -> Any:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
    env.filters["plural"] = lambda n, word, many=None: word if n == 1 else (many or word + "s")
    env.filters["sentence"] = _sentence  # "{{ product | sentence }}" starts a sentence: The portal platform …
    return env


_ENV: Any = None


def environment() -> Any:
    """The one sandboxed Jinja2 environment used for every remedy."""
    global _ENV
    if _ENV is None:
        _ENV = _sandbox()
    return _ENV


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


def _rules(data: Mapping[str, Any], locations: yamlio.Locations) -> dict[str, Any]:
    rules = data.get("rules") or {}
    if not isinstance(rules, dict):
        raise _problem("rules must be a mapping of names to values", locations.get(("rules",)), "rules")
    return dict(rules)


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
    books = PlaybookSet()
    gdata, glocs, gname = by_profile[GENERIC]
    generic_entries = {
        code: _entry(code, raw, None, GENERIC, glocs, gname, compile_check) for code, raw in gdata["entries"].items()
    }
    generic_rules = _rules(gdata, glocs)
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
        rules = {**generic_rules, **_rules(data, locs)}
        books.playbooks[profile] = Playbook(profile, str(data.get("product", profile)), entries, (gname, name), rules)
    return books


def load_builtin(only: str | None = None, *, compile_check: bool = True) -> PlaybookSet:
    """Load the playbooks shipped with portaldoctor (generic plus ``only``, or every profile)."""
    from portaldoctor import SOURCE_ROOT

    root: Any = SOURCE_ROOT / "playbooks" if SOURCE_ROOT is not None else files("portaldoctor.builtin_playbooks")
    names = sorted(item.name for item in root.iterdir() if item.name.endswith((".yaml", ".yml")))
    if only is not None:
        # The shipped files are named after their profile: a run reads generic and its own.
        wanted = {f"{GENERIC}.yaml", f"{only.lower()}.yaml"}
        names = [name for name in names if name in wanted] if f"{only.lower()}.yaml" in names else names
    texts = {f"playbooks/{name}": (root / name).read_text(encoding="utf-8") for name in names}
    return load_texts(texts, only, compile_check=compile_check)


_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=4096)
def _template(text: str) -> Any:
    """Compiled templates, compiled once per text (an audit renders the same entries many times)."""
    return environment().from_string(text)


@lru_cache(maxsize=4096)
def _names(text: str) -> tuple[str, ...]:
    """The context names a template reads (what its rendering can depend on)."""
    from jinja2 import meta

    return tuple(sorted(meta.find_undeclared_variables(environment().parse(text))))


def _fold(text: str) -> str:
    """White space folded to single spaces, as every rendered remedy text is."""
    return _SPACE.sub(" ", text).strip()


_prose = lru_cache(maxsize=4096)(_fold)
"""A text without template syntax, folded once: it renders to itself."""


_SCALARS = (str, int, float, bool, type(None))


def _frozen(value: Any) -> Any:
    """A hashable stand-in for a context value, equal only for values that render alike.

    The type is part of it (``1``, ``1.0`` and ``True`` are equal in Python but print
    differently). Raises TypeError for anything but plain data, which is then not cached.
    """
    if isinstance(value, _SCALARS):
        return (value.__class__, value)
    if isinstance(value, dict):
        return (dict, tuple((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return (value.__class__, tuple(_frozen(v) for v in value))
    raise TypeError(value.__class__.__name__)


def _folded(text: str) -> str:
    """``_fold(text)``, without the regular expression when there is nothing to fold: every
    white-space character that ``\\s`` matches, but the ASCII space, is unprintable."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return _fold(text)


_RENDERED: dict[tuple[Any, ...], str] = {}
"""Shapes (``_shape``) of texts whose other names decide them, by the text and those values."""
_RENDERED_MAX = 1 << 16


def _render_text(text: str, context: Mapping[str, Any]) -> str:
    """One template rendered: its shape, with the values of the names it only prints put in.

    A name the text only prints (``{{ contact_name }}``) is output as ``str(value)`` and changes
    nothing else (``_roles``). So a text has one shape per combination of values of its other
    names (a date tested by ``{% if %}``, a count given to a filter): a format string with a
    ``{i!s}`` for each printed name. Most texts have no other names, and their one shape is
    read from Jinja2's parse tree (``_substitution``); the others are rendered once per
    combination, with markers in the printed names' places (``_shape``). Rendering with Jinja2
    made a new context per finding, 15 µs; formatting a shape costs about one.
    """
    kept, printed, fixed = _plan(text)
    try:
        values = [context[name] for name in printed]
        key = () if fixed is not None else (text, *[_frozen(context[name]) for name in kept])
    except (KeyError, TypeError):  # a missing name (rendering says which) or a value that is not plain data
        return _fold(_template(text).render(**context))
    if fixed is None:
        fixed = _RENDERED.get(key)
        if fixed is None:
            fixed = _shape(text, context, printed)
            if fixed is None:  # a value that looks like a marker: render this one in full
                return _fold(_template(text).render(**context))
            if len(_RENDERED) >= _RENDERED_MAX:
                _RENDERED.clear()
            _RENDERED[key] = fixed
    return _folded(fixed.format(*values))


def _format(pieces: list[str | int]) -> str:
    """Literal pieces and printed-name positions as a format string: ``["Ask ", 0]`` -> ``Ask {0!s}``.
    ``!s`` formats a value as ``str()`` does, whatever its ``__format__``."""
    return "".join(
        piece.replace("{", "{{").replace("}", "}}") if isinstance(piece, str) else f"{{{piece}!s}}" for piece in pieces
    )


_MARK = "\x00"
"""Brackets a printed name's place in a shape; a text that holds it is always rendered in full."""
_TOKEN = os.urandom(8).hex()
"""Part of every marker, so that a marker cannot come from a tenant's data by chance."""


def _shape(text: str, context: Mapping[str, Any], printed: tuple[str, ...]) -> str | None:
    """The text rendered with a marker for each printed name, as a format string (``_format``);
    None if the rendered text holds anything marker-like but the markers."""
    marked = dict(context)
    marked.update({name: f"{_MARK}{i}:{_TOKEN}{_MARK}" for i, name in enumerate(printed)})
    parts = _template(text).render(**marked).split(_MARK)
    if len(parts) % 2 == 0:
        return None
    pieces: list[str | int] = []
    for i, part in enumerate(parts):
        if i % 2 == 0:  # literal text and markers alternate: "a", "0:…", "b" for "a{{ x }}b"
            pieces.append(part)
            continue
        number, _, token = part.partition(":")
        if token != _TOKEN or not (number.isascii() and number.isdigit()) or int(number) >= len(printed):
            return None
        pieces.append(int(number))
    return _format(pieces)


def _substitution(text: str, printed: tuple[str, ...]) -> str | None:
    """The shape of a text that only puts names into prose (``Ask {{ contact_name }} to …``),
    read from Jinja2's parse tree rather than rendered: most remedy texts are of this kind, and
    compiling each of them for one render cost more than all their renders. None for anything
    else (tags, filters, attributes)."""
    from jinja2 import nodes

    pieces: list[str | int] = []
    for node in environment().parse(text).body:
        if type(node) is not nodes.Output:
            return None
        for child in node.nodes:
            if type(child) is nodes.TemplateData:
                pieces.append(child.data)
            elif type(child) is nodes.Name and child.ctx == "load" and child.name in printed:
                pieces.append(printed.index(child.name))
            else:
                return None
    return _format(pieces)


@lru_cache(maxsize=4096)
def _plan(text: str) -> tuple[tuple[str, ...], tuple[str, ...], str | None]:
    """How to render a text: the names that decide its shape, the names it only prints, and its
    one shape when it has no names of the first kind and is read from its parse tree."""
    kept, printed = _roles(text)
    return kept, printed, None if kept else _substitution(text, printed)


def _roles(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The names a template reads, split in two: those that decide its shape, and those it only
    prints as they are.

    A name is only printed when every use of it is a ``{{ name }}`` of its own, at the top level
    of the text or inside ``{% if %}`` branches: not in a test, a filter, an attribute, an
    expression, a loop, a macro or a filter block, and never assigned. Jinja2 outputs such a
    name as ``str(value)`` (no autoescape, no finalize), so the rendered text is the same with
    the value put in afterwards. Anything else, and any text holding the marker, keeps every
    name in the first group, and so is rendered once per combination of values.
    """
    from jinja2 import nodes

    names = _names(text)
    env = environment()
    if env.finalize is not None or env.autoescape is not False or _MARK in text:
        return names, ()
    printed: set[str] = set()
    other: set[str] = set()
    plain_parents = (nodes.Output, nodes.If)

    def walk(node: Any, plain: bool) -> None:
        for child in node.iter_child_nodes():
            if type(child) is nodes.Name:
                if plain and type(node) is nodes.Output and child.ctx == "load":
                    printed.add(child.name)
                else:
                    other.add(child.name)
            else:
                tested = type(node) is nodes.If and child is node.test
                walk(child, plain and type(child) in plain_parents and not tested)

    walk(env.parse(text), True)
    only = printed - other
    return tuple(n for n in names if n not in only), tuple(n for n in names if n in only)


_OPTIONAL = {"if": "[", "elif": " | or: ", "else": " | otherwise: ", "endif": "]"}


def readable(text: str, known: Mapping[str, Any] | None = None) -> str:
    """A remedy text as a person reads it before any finding fills it in (``explain``, the catalogue).

    ``{{ customer_name }}`` reads ‹customer name›, ``{{ days | plural('day') }}`` reads day(s), and
    a conditional part is in square brackets: ``{% if sent %} on {{ sent }}{% endif %}`` reads
    ``[ on ‹sent›]``, with `` | otherwise: `` before an else branch, and ``{{ 'gets' if n == 1 else
    'get' }}`` reads gets/get. Names in ``known`` (the profile's product) are filled in. A text with
    any other construct is returned as its source, folded.
    """
    if "{" not in text:
        return _prose(text)
    from jinja2.exceptions import TemplateSyntaxError

    try:
        tokens = [(kind, value) for _, kind, value in environment().lex(text) if kind != "whitespace"]
    except TemplateSyntaxError:
        return _fold(text)
    out: list[str] = []
    i = 0
    while i < len(tokens):
        kind, value = tokens[i]
        if kind == "data":
            out.append(value)
        elif kind in ("variable_begin", "block_begin"):
            end = "variable_end" if kind == "variable_begin" else "block_end"
            j = next((k for k in range(i + 1, len(tokens)) if tokens[k][0] == end), None)
            if j is None:
                return _fold(text)
            inner = tokens[i + 1 : j]
            if kind == "variable_begin":
                piece = _placeholder(inner, known or {})
            else:
                piece = _OPTIONAL.get(inner[0][1]) if inner and inner[0][0] == "name" else None
            if piece is None:
                return _fold(text)
            out.append(piece)
            i = j
        else:
            return _fold(text)
        i += 1
    return _fold("".join(out))


def _placeholder(inner: list[tuple[str, str]], known: Mapping[str, Any]) -> str | None:
    """What ``{{ … }}`` reads as: the profile's value, a pluralised word, or ‹the name›."""
    if len(inner) >= 5 and inner[0][0] == "string" and inner[1][1] == "if":  # 'gets' if n == 1 else 'get'
        if inner[-2][1] != "else" or inner[-1][0] != "string":
            return None
        one, other = inner[0][1][1:-1], inner[-1][1][1:-1]
        return f"({other})" if not one else f"({one})" if not other else f"{one}/{other}"
    if not inner or inner[0][0] != "name":
        return None
    path = [inner[0][1]]
    k = 1
    while k + 1 < len(inner) and inner[k][1] == "." and inner[k + 1][0] == "name":
        path.append(inner[k + 1][1])
        k += 2
    fn = inner[k + 1][1] if k + 1 < len(inner) and inner[k][1] == "|" and inner[k + 1][0] == "name" else None
    if len(path) == 1 and path[0] in known:
        return _sentence(known[path[0]]) if fn == "sentence" else str(known[path[0]])
    label = " ".join(path).replace("_", " ")
    if fn is not None:
        if fn == "plural" and k + 3 < len(inner) and inner[k + 2][1] == "(" and inner[k + 3][0] == "string":
            return inner[k + 3][1][1:-1] + "(s)"
        if fn == "length":
            return f"‹number of {label}›"
    return f"‹{label}›"


def render(entry: Entry, context: Mapping[str, Any]) -> Remedy:
    """Render an entry with a finding's evidence. Raises jinja2 errors on a bad template."""

    def r(text: str) -> str:
        if "{" not in text:  # plain prose renders to itself; skips Jinja2's per-render context
            return _prose(text)
        return _render_text(text, context)

    return Remedy(
        code=entry.code,
        profile=entry.profile,
        title=r(entry.title),
        severity=entry.severity,
        why=r(entry.why),
        steps=tuple(r(step) for step in entry.steps),
        customer_message=r(entry.customer_message),
        it_note=r(entry.it_note) if entry.it_note else None,
        links=entry.links,
    )
