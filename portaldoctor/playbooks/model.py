"""Playbooks as data: an entry per finding code, a remedy as rendered, a profile's playbook, the set of them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from portaldoctor.check import Severity
from portaldoctor.errors import SourceLocation
from portaldoctor.playbooks.rules import Rules

GENERIC = "generic"


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
    rules: Rules = field(default_factory=Rules)
    """Product facts checks read (link-validity range, plans with the portal, ...)."""

    def entry(self, code: str) -> Entry | None:
        """The entry for a code, or None."""
        return self.entries.get(code)

    @cached_property
    def symptoms(self) -> dict[str, set[str]]:
        """Symptom phrase -> the codes that explain it, in this playbook (generic entries included)."""
        index: dict[str, set[str]] = {}
        for entry in self.entries.values():
            for phrase in entry.symptoms:
                index.setdefault(phrase, set()).add(entry.code)
        return index


@dataclass
class PlaybookSet:
    """The playbooks loaded (generic plus profiles), validated, and the names of every profile shipped."""

    playbooks: dict[str, Playbook] = field(default_factory=dict)
    known_profiles: tuple[str, ...] = ()
    """Every profile there is a playbook for, generic first, loaded or not."""

    @property
    def generic(self) -> Playbook:
        """The generic playbook every profile falls back to."""
        return self.playbooks[GENERIC]

    def profile(self, name: str) -> Playbook:
        """The playbook of a loaded profile; KeyError naming it when there is none."""
        return self.playbooks[name.lower()]

    def unknown(self, name: str) -> str:
        """What to say of a profile name there is no playbook for: the nearest name and every name."""
        import difflib

        close = difflib.get_close_matches(name.lower(), self.known_profiles, n=1)
        hint = f"did you mean {close[0]}? " if close else ""
        return f"no platform profile '{name}'; {hint}known: {', '.join(self.known_profiles)}"

    @property
    def profiles(self) -> list[str]:
        """Profile names, generic first."""
        return [GENERIC, *sorted(p for p in self.playbooks if p != GENERIC)]

    @cached_property
    def symptoms(self) -> dict[str, set[str]]:
        """Symptom phrase -> codes that explain it, across every profile."""
        index: dict[str, set[str]] = {}
        for book in self.playbooks.values():
            for phrase, codes in book.symptoms.items():
                index.setdefault(phrase, set()).update(codes)
        return index
