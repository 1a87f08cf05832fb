"""Every example in a built-in check's documentation is run, and must do what it says.

A check's docstring is what ``portaldoctor explain ID`` prints. Its ``Passes::``,
``Fails (``code``)::`` and ``Warns (``code``)::`` examples are tenant snippets; the conventions
are in ``tests/checks/helpers.py``. The network checks' examples are served on loopback: the
zone lines by the session's DNS server, the certificate minted here and served over TLS.
"""

from __future__ import annotations

import textwrap
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest

from portaldoctor.check import Check
from tests.checks.helpers import Example, Loopback, SnippetError, examples, judge

BUILTIN = {
    ep.name: ep.load()()
    for ep in entry_points(group="portaldoctor.checks")
    if ep.value.startswith("portaldoctor.checks.")
}


def _examples() -> list[Any]:
    found = []
    for check_id, check in sorted(BUILTIN.items()):
        try:
            items = examples(check_id, type(check).__doc__ or "")
        except SnippetError:
            continue  # reported by test_every_check_documents_examples_the_runner_reads
        found += [
            pytest.param(check, example, id=f"{check_id}-{n}-{example.verdict}") for n, example in enumerate(items)
        ]
    return found


def _loopback(check: Check, request: pytest.FixtureRequest, tmp_path: Path) -> Loopback | None:
    if not check.spec.network:
        return None
    if "dns" in check.spec.tags:
        return Loopback(dns=request.getfixturevalue("dns_server"))
    return Loopback(tmp=tmp_path)


@pytest.mark.parametrize("check_id", sorted(BUILTIN))
def test_every_check_documents_examples_the_runner_reads(check_id: str) -> None:
    found = examples(check_id, type(BUILTIN[check_id]).__doc__ or "")
    verdicts = {example.verdict for example in found}
    assert "Passes" in verdicts, f"{check_id}: the docstring has no Passes:: example"
    assert verdicts & {"Fails", "Warns"}, f"{check_id}: the docstring has no Fails (``code``):: or Warns example"


@pytest.mark.parametrize(("check", "example"), _examples())
def test_example(check: Check, example: Example, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    wrong = judge(check, example, _loopback(check, request, tmp_path))
    assert wrong is None, wrong


# --- the runner can tell a wrong example ----------------------------------------------------------

WRONG = {
    "a pass that fails": (
        "customer-portal-enabled",
        """
        Passes::

            customers: [{id: c1, name: Acme, portal_enabled: false}]
        """,
        "expected a pass, got fail customer-portal-disabled",
    ),
    "a failure that passes": (
        "customer-portal-enabled",
        """
        Fails (``customer-portal-disabled``)::

            customers: [{id: c1, name: Acme, portal_enabled: true}]
        """,
        "expected fail customer-portal-disabled, got pass customer-portal-enabled",
    ),
    "a failure shown as a warning": (
        "sms-enabled",
        """
        Warns (``sms-disabled``)::

            platform: salestrekker
            organisation: {sms: {enabled: false}}
        """,
        "expected warn sms-disabled, got fail sms-disabled",
    ),
    "a pass that is only a skip (no SMS PINs on the generic profile)": (
        "sms-enabled",
        """
        Passes::

            organisation: {sms: {enabled: true}}
        """,
        "expected a pass, got skip sms-enabled",
    ),
    "a pass blocked by a failed prerequisite": (
        "mobile-not-sender",
        """
        Passes::

            organisation: {region: GB}
            contacts: [{id: p1, customer: c1, mobile: "07700 900123"}]
        """,
        "blocked by contact-mobile-valid (contact-mobile-invalid)",
    ),
    "a pass with nothing to check": (
        "link-host",
        """
        Passes::

            organisation: {portal: {host: pay.acme.example}}
        """,
        "the check had nothing to look at",
    ),
    "a code the check does not emit": (
        "customer-active",
        """
        Fails (``customer-portal-disabled``)::

            customers: [{id: c1, name: Acme, active: false}]
        """,
        "customer-portal-disabled is not a code of customer-active",
    ),
    "a command line instead of a snippet": (
        "browser-compatibility",
        """
        Fails (``browser-incompatible``)::

            portaldoctor diagnose C1 --browser safari
        """,
        "not a tenant",
    ),
    "an option the runner does not know": (
        "browser-compatibility",
        """
        Fails (``browser-incompatible``, with ``--user-agent safari``)::

            platform: salestrekker
        """,
        "unknown option",
    ),
    "an invalid tenant": (
        "customer-active",
        """
        Passes::

            customers: [{id: c1, name: Acme, actve: true}]
        """,
        "not a valid tenant",
    ),
    "a certificate the runner cannot mint": (
        "portal-https",
        """
        Fails (``cert-expired``)::

            organisation: {portal: {host: pay.acme.example}}
            # pay.acme.example presents a certificate signed with crayons
        """,
        "no certificate state understood",
    ),
    "a zone that does not publish what the example says": (
        "dns-records",
        """
        Passes::

            organisation:
              deliverability: {domain: acme.example}
              dns_records: [{type: CNAME, host: links.acme.example, value: links.platform.example.}]
            # published in DNS:
            #   links.acme.example.  CNAME  old.platform.example.
        """,
        "expected a pass, got fail dns-record-wrong-value",
    ),
}


@pytest.mark.parametrize(("check_id", "doc", "said"), list(WRONG.values()), ids=list(WRONG))
def test_a_wrong_example_is_reported(
    check_id: str, doc: str, said: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    check = BUILTIN[check_id]
    [example] = examples(check_id, doc)
    wrong = judge(check, example, _loopback(check, request, tmp_path))
    assert wrong is not None and said in wrong, wrong


@pytest.mark.parametrize(
    ("doc", "said"),
    [
        ("Fails (customer-portal-disabled)::\n\n    customers: []\n", "names no code"),
        ("Fails::\n\n    customers: []\n", "names no code"),
        ("Passes (see below) ::\n\n    customers: []\n", "heading not understood"),
        ("Passes::\n\nNothing indented under it.\n", "no indented snippet"),
    ],
)
def test_a_heading_the_runner_cannot_read_is_reported(doc: str, said: str) -> None:
    docstring = "A check.\n\n" + textwrap.indent(doc, "    ")  # as a class docstring reads
    with pytest.raises(SnippetError, match=said):
        examples("customer-portal-enabled", docstring)


def test_headings_carry_the_code_and_the_agents_options() -> None:
    doc = """Some check.

    Passes (with ``--browser chrome``)::

        platform: salestrekker

    Fails (``browser-incompatible``: the profile lists it, with ``--browser safari --now 2026-11-15T12:00Z``)::

        platform: salestrekker    # a comment

    Warns (``some-code``)::

        organisation: {}
    """
    found = examples("browser-compatibility", doc)
    assert [(e.verdict, e.code, e.args) for e in found] == [
        ("Passes", None, ("--browser", "chrome")),
        ("Fails", "browser-incompatible", ("--browser", "safari", "--now", "2026-11-15T12:00Z")),
        ("Warns", "some-code", ()),
    ]
    assert found[1].snippet == "platform: salestrekker    # a comment"
