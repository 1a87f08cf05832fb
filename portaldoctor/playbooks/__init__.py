"""Playbooks: the remedy for each finding code per platform profile, and the profile's product rules."""

from __future__ import annotations

from portaldoctor.playbooks.load import load_builtin, load_texts
from portaldoctor.playbooks.model import GENERIC, Entry, Playbook, PlaybookLink, PlaybookSet, Remedy
from portaldoctor.playbooks.rendering import readable, render

__all__ = [
    "GENERIC",
    "Entry",
    "Playbook",
    "PlaybookLink",
    "PlaybookSet",
    "Remedy",
    "load_builtin",
    "load_texts",
    "readable",
    "render",
]
