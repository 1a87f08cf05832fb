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
    pw = _content(words(phrase))
    tw = set(words(text))
    covered = sum(1 for w in pw if _near(w, tw)) / len(pw)
    # A short paraphrase ("invite box is blank") is a partial phrase too: when every word the
    # customer used appears in the phrase, it matches, a little below an exact quote.
    own = _content(words(text))
    reworded = 0.9 * sum(1 for w in own if _near(w, set(words(phrase)))) / len(own) if len(own) >= 2 else 0.0
    return max(covered, reworded)


def _content(ws: list[str]) -> set[str]:
    return {w for w in ws if w not in _STOP} or set(ws)


def _near(word: str, others: set[str]) -> bool:
    # Forgive plural/singular, "invite"/"invitation" and short typos by comparing 4-letter stems.
    return word in others or (len(word) >= 4 and any(x.startswith(word[:4]) and word.startswith(x[:4]) for x in others))


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
