"""Playbooks: the remedy for each finding code per platform profile, and each profile's product rules.

``model`` holds them as data, ``rules`` the typed product rules, ``load`` reads and validates
the files, ``rendering`` fills remedies in from a finding's evidence.
"""
