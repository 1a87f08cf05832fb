"""Render remedies in a Jinja2 sandbox from a finding's evidence; read remedy texts as prose (``readable``)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from portaldoctor.playbooks.model import Entry, Remedy


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
    made a new context per finding; formatting a shape is an order of magnitude cheaper
    (benchmarks/ANALYSIS.md, "Remedies").
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
