"""Triage by symptom: match what the customer said to the finding codes that explain it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    {
        "the",
        "a",
        "an",
        "my",
        "i",
        "is",
        "it",
        "to",
        "of",
        "on",
        "in",
        "says",
        "say",
        "get",
        "got",
        "we",
        "they",
        "our",
        "their",
        "me",
        "when",
        "with",
        "and",
        "or",
    }
)
BROWSERS = {"safari": "safari", "chrome": "chrome", "firefox": "firefox", "edge": "edge", "opera": "opera"}
THRESHOLD = 0.6


@dataclass(frozen=True)
class Match:
    """A known symptom phrase that matches the text, with its score and the codes it points at."""

    phrase: str
    score: float
    codes: frozenset[str]


def words(text: str) -> list[str]:
    """Lower-cased words, punctuation dropped (``"Invalid-link!"`` -> ``["invalid", "link"]``)."""
    return _WORD.findall(text.casefold())


def _score(phrase: str, text: str) -> float:
    p, t = " ".join(words(phrase)), " ".join(words(text))
    if not p or not t:
        return 0.0
    if p in t or (len(t) >= 3 and t in p):
        return 1.0
    pw = {w for w in words(phrase) if w not in _STOP} or set(words(phrase))
    tw = set(words(text))
    # Forgive plural/singular and short typos by comparing stems of 4+ letters.
    hits = sum(
        1 for w in pw if w in tw or any(len(w) >= 4 and (x.startswith(w[:4]) and w.startswith(x[:4])) for x in tw)
    )
    return hits / len(pw)


def match(text: str, symptoms: Mapping[str, Iterable[str]]) -> list[Match]:
    """Symptom phrases matching ``text`` at or above the threshold, best first."""
    found = [
        Match(phrase, round(score, 2), frozenset(codes))
        for phrase, codes in symptoms.items()
        if (score := _score(phrase, text)) >= THRESHOLD
    ]
    return sorted(found, key=lambda m: (-m.score, m.phrase.casefold()))


def browser_in(text: str) -> str | None:
    """The browser a customer named in their words, if any."""
    for word in words(text):
        if word in BROWSERS:
            return BROWSERS[word]
    return None
