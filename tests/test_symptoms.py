"""Symptom matching: forgiving of case, punctuation and partial phrases."""

from __future__ import annotations

import pytest

from portaldoctor import symptoms

INDEX = {
    "Invalid link": {"link-expired"},
    "Customer portal not found": {"customer-portal-disabled"},
    "Your connection is not private": {"https-links-off"},
    "never received the invitation": {"invitation-pending"},
    "page keeps loading": {"browser-incompatible"},
    "blank invitation box without the client's name": {"contact-mobile-missing"},
    "Invalid invitation token": {"link-superseded"},
    "cannot edit my details": {"stage-read-only"},
}


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("invalid LINK", "Invalid link"),
        ("the link says 'invalid link'...", "Invalid link"),
        ("portal not found", "Customer portal not found"),
        ("Connection is NOT private!", "Your connection is not private"),
        ("I never received the invitations", "never received the invitation"),
        ("the page keeps on loading", "page keeps loading"),
        # Paraphrases: every word the customer used is in the phrase.
        ("invite box is blank", "blank invitation box without the client's name"),
        ("invalid token", "Invalid invitation token"),
        ("I can't edit my details", "cannot edit my details"),
    ],
)
def test_matches(text: str, phrase: str) -> None:
    found = symptoms.match(text, INDEX)
    assert found and found[0].phrase == phrase


def test_unrelated_text_matches_nothing() -> None:
    assert symptoms.match("the invoice total is wrong", INDEX) == []
    assert symptoms.match("", INDEX) == []


def test_browser_is_read_from_the_text() -> None:
    assert symptoms.browser_in("Liabilities page keeps loading on Safari") == "safari"
    assert symptoms.browser_in("it does not work") is None


def test_exact_quotes_rank_above_paraphrases() -> None:
    found = symptoms.match("Invalid invitation token", INDEX)
    assert found[0].phrase == "Invalid invitation token" and found[0].score == 1.0
    [reworded] = symptoms.match("token invalid", INDEX)
    assert reworded.score == 0.9


def test_one_shared_word_is_not_a_paraphrase() -> None:
    assert symptoms.match("wrong username", INDEX) == []
    assert symptoms.match("edit invoice total", INDEX) == []
