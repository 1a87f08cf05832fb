"""Helpers shared by the check tests, and the runner of tenant snippets.

A *snippet* is a small tenant written in YAML, the way each check's docstring shows its examples
(``portaldoctor explain ID`` prints them) and the way each test module's ``CASES`` table states
its cases. The runner turns a snippet into a tenant, runs one built-in check with its
prerequisites through the engine, and reports what the check found.

What a snippet leaves out is filled in, healthy:

- the organisation's ``name``;
- a customer for every customer id that contacts or links name (``name: Customer <id>``,
  ``portal_enabled: true``, ``active: true``), and those three fields of a listed customer
  that leaves them out.

``platform: <profile>`` selects that profile's product rules (``playbooks/<profile>.yaml``);
without it the generic rules apply. What the agent gives besides the tenant is written in CLI
words: ``--browser NAME``, ``--link URL`` (the link the customer clicked: judged in place of the
record it matches, or of the snippet's only link), ``--now MOMENT`` (default
2026-11-22T12:00:00Z), ``--cert-warn-days N`` and ``--cert-fail-days N``.

Network checks are served from loopback, as their full-line YAML comments describe:

- lines of a zone file (``links.acme.example.  CNAME  links.platform.example.``) are the records
  the DNS server publishes; other comment lines are prose;
- a comment that mentions a ``certificate`` describes what the portal host presents, minted for
  the test and served over TLS (see ``Certificate.read`` for the phrases understood). Its
  ages count from the moment the example runs, which is also the run's clock.

In a docstring an example is a heading and the indented snippet under it::

    Passes::
    Passes (with ``--browser chrome``)::
    Fails (``code``)::
    Fails (``code``, with ``--browser safari``)::
    Warns (``code``: any prose, then ``--now 2026-11-15T12:00Z``)::

In the parenthesis, the first double-quoted word that is not an option is the expected code (for
Fails and Warns); double-quoted words starting with ``--`` are options; the rest is prose.
*Passes* means the check ran on the snippet and found nothing: no fail, warn or error, and no
skip. *Fails (code)* means the check reported that code as a failure, *Warns (code)* as a
warning.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import re
import shlex
import ssl
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import jwt
import yaml

from portaldoctor import report
from portaldoctor.check import Check, CheckContext, Finding, Inputs, Status
from portaldoctor.clock import parse_moment
from portaldoctor.errors import InputError
from portaldoctor.playbooks.load import load_builtin
from portaldoctor.playbooks.rules import Rules
from portaldoctor.snapshot.index import TenantIndex
from portaldoctor.snapshot.model import Tenant
from tests import factories as f

BOOKS = load_builtin()
SMS = {"sms_pin_login": True, "sms_credits_minimum": 1}
PROBLEMS = (Status.FAIL, Status.WARN, Status.ERROR)


# --- findings and remedies ------------------------------------------------------------------------


def problems(findings: list[Finding]) -> list[Finding]:
    return [x for x in findings if x.status in (Status.FAIL, Status.WARN)]


def remedy_text(finding: Finding, platform: str | None = None) -> str:
    """Render the finding's remedy for a platform and return all its text."""
    rep = report.build(
        [finding],
        BOOKS.profile(platform) if platform else BOOKS.generic,
        tenant="t",
        platform=platform,
        command="diagnose",
        now=f.NOW,
    )
    r = rep.items[0].remedy
    assert r is not None
    return " ".join([r.title, r.why, *r.steps, r.customer_message, r.it_note or ""])


# --- links -----------------------------------------------------------------------------------------

PORTAL = {"host": "pay.acme.example", "link_validity_days": 25}
TWO_CLOCKS = PORTAL | {"previous_link_validity_days": 10, "link_validity_changed_at": "2026-11-10T00:00:00Z"}


def link(id: str = "L1", **fields: Any) -> dict[str, Any]:
    """A link record of customer c1 and contact p1 on the portal host."""
    return {
        "id": id,
        "customer": "c1",
        "contact": "p1",
        "url": f"https://pay.acme.example/p/{id}Abc123xyz789QRS",
    } | fields


def run_links(check: Any, links: list[dict[str, Any]], portal: dict[str, Any] | None = None, **kw: Any) -> list[Any]:
    """Run a check over these links, the organisation's portal settings ``portal`` (default PORTAL)."""
    customers = kw.pop("customers", None)
    org = {"portal": portal or PORTAL} | kw.pop("organisation", {})
    t = f.tenant(organisation=org, links=links, customers=customers)
    return f.run(check, t, **kw)


def jwt_token(**claims: Any) -> str:
    """A signed JWT carrying these claims."""
    return jwt.encode(claims, "a-secret-of-at-least-thirty-two-bytes", algorithm="HS256")


def timestamp(text: str) -> int:
    """Seconds since the epoch of an ISO moment."""
    return int(dt.datetime.fromisoformat(text).timestamp())


# --- snippets: tenant and agent's input -----------------------------------------------------------


class SnippetError(ValueError):
    """A snippet or an example heading the runner cannot read."""


def tenant_from(snippet: str) -> Tenant:
    """The tenant a snippet describes, with what it leaves out filled in (see the module doc)."""
    try:
        data = yaml.safe_load(textwrap.dedent(snippet)) or {}
    except yaml.YAMLError as exc:
        raise SnippetError(f"not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise SnippetError(f"not a tenant (a YAML mapping with organisation, customers, ...): {data!r}")
    org = data.get("organisation") or {}
    data["organisation"] = {"name": "Acme"} | org
    customers = data.setdefault("customers", [])
    listed = {c.get("id") for c in customers if isinstance(c, dict)}
    for row in (*data.get("contacts", ()), *data.get("links", ())):
        wanted = row.get("customer") if isinstance(row, dict) else None
        if wanted is not None and wanted not in listed:
            customers.append({"id": wanted})
            listed.add(wanted)
    data["customers"] = [
        {"name": f"Customer {c.get('id')}", "portal_enabled": True, "active": True} | c if isinstance(c, dict) else c
        for c in customers
    ]
    try:
        return Tenant.model_validate(data)
    except ValueError as exc:
        raise SnippetError(f"not a valid tenant: {exc}") from None


@dataclasses.dataclass(frozen=True)
class Args:
    """What the agent gives besides the tenant, as ``portaldoctor diagnose`` options."""

    browser: str | None = None
    link: str | None = None
    now: dt.datetime | None = None
    cert_warn_days: int = 30
    cert_fail_days: int = 7

    @classmethod
    def parse(cls, words: str | Sequence[str]) -> Args:
        """``--browser safari --now 2026-11-15T12:00Z``, as text or as words."""
        items = shlex.split(words) if isinstance(words, str) else list(words)
        found: dict[str, Any] = {}
        while items:
            option = items.pop(0)
            if option not in ("--browser", "--link", "--now", "--cert-warn-days", "--cert-fail-days") or not items:
                raise SnippetError(f"unknown option or option without a value: {option}")
            value = items.pop(0)
            name = option[2:].replace("-", "_")
            try:
                if name == "now":
                    found[name] = parse_moment(value)
                elif name.startswith("cert_"):
                    found[name] = int(value)
                else:
                    found[name] = value.strip().lower() if name == "browser" else value
            except (ValueError, InputError) as exc:
                raise SnippetError(f"{option} {value}: {exc}") from None
        return cls(**found)

    def clicked(self, tenant: Tenant) -> dict[str, str]:
        """Link id -> the URL clicked: the record ``--link`` matches, else the snippet's only link."""
        if self.link is None:
            return {}
        from portaldoctor.knowledge.links import match_link

        record = match_link(tenant, self.link).link
        if record is None and len(tenant.links) == 1:
            record = tenant.links[0]
        if record is None:
            raise SnippetError(f"--link {self.link} matches none of the snippet's {len(tenant.links)} links")
        return {record.id: self.link}


def comments(snippet: str) -> list[str]:
    """The snippet's full-line YAML comments, without the ``#``."""
    return [line.strip()[1:].strip() for line in snippet.splitlines() if line.strip().startswith("#")]


_ZONE_LINE = re.compile(
    r"^(?P<name>[A-Za-z0-9_*-][A-Za-z0-9_.*-]*)\s+(?:\d+\s+)?(?:IN\s+)?"
    r"(?P<type>A|AAAA|CNAME|TXT|MX|CAA|NS)\s+(?P<data>\S.*)$"
)


def zone_records(snippet: str) -> dict[tuple[str, str], list[str]]:
    """The zone-file lines among the snippet's comments: (name, TYPE) -> rdata in zone syntax."""
    records: dict[tuple[str, str], list[str]] = {}
    for text in comments(snippet):
        m = _ZONE_LINE.match(text)
        if m:
            records.setdefault((m["name"].rstrip(".").lower(), m["type"]), []).append(m["data"].strip())
    return records


# --- snippets: the certificate a portal host presents ---------------------------------------------


@dataclasses.dataclass(frozen=True)
class Certificate:
    """What the portal host presents and answers, read from a snippet's comments."""

    names: tuple[str, ...] = ()
    """Names the certificate is issued for (default: the portal host)."""
    expired_days_ago: int | None = None
    expires_in_days: int | None = None
    valid_in_days: int | None = None
    self_signed: bool = False
    without_intermediate: bool = False
    untrusted: bool = False
    key_bits: int | None = None
    hsts: bool = True
    redirect: str | None = "same host"
    """Where http:// redirects: ``same host`` (https:// on the portal host), a URL, or None."""
    tls_max: ssl.TLSVersion | None = None

    @classmethod
    def read(cls, text: str) -> Certificate:
        """Phrases understood (anything else is prose): ``a valid certificate``, ``expired N days
        ago``, ``expires in N days``, ``becomes valid in N days``, ``issued for NAME``,
        ``self-signed``, ``without its intermediate certificate``, ``from an authority browsers
        do not trust``, ``an N-bit RSA key``, ``no HSTS header``, ``http:// is not redirected``,
        ``redirects http:// to URL``, ``TLS 1.1 only``."""
        t = " ".join(text.lower().split())
        if "certificate" not in t:
            raise SnippetError("no comment describes the certificate the portal host presents")
        fields: dict[str, Any] = {}
        for name, pattern in (
            ("expired_days_ago", r"expired (\d+) days? ago"),
            ("expires_in_days", r"expires in (\d+) days?"),
            ("valid_in_days", r"becomes valid in (\d+) days?"),
            ("key_bits", r"(\d+)-bit rsa key"),
        ):
            m = re.search(pattern, t)
            if m:
                fields[name] = int(m[1])
        m = re.search(r"issued for ([a-z0-9*][a-z0-9.*-]*[a-z0-9])", t)
        if m:
            fields["names"] = (m[1],)
        fields["self_signed"] = "self-signed" in t
        fields["without_intermediate"] = "without its intermediate" in t
        fields["untrusted"] = "browsers do not trust" in t
        if re.search(r"no hsts|without hsts|no strict-transport-security", t):
            fields["hsts"] = False
        m = re.search(r"redirects http:// to (https://[^\s,;]*)", t)
        if "http:// is not redirected" in t:
            fields["redirect"] = None
        elif m and m[1].rstrip("/.") != "https:":
            fields["redirect"] = m[1].rstrip(".")
        if re.search(r"tls 1\.1 only|only tls 1\.1", t):
            fields["tls_max"] = ssl.TLSVersion.TLSv1_1
        plain = cls()
        state = cls(**fields)
        if state == plain and not re.search(r"(valid|current) certificate", t):
            raise SnippetError(f"no certificate state understood in: {text!r}")
        return state

    def mint(self, ca: Any, host: str, now: dt.datetime) -> tuple[bytes, bytes]:
        """The PEM chain and key the host serves, issued by ``ca`` unless the state says otherwise."""
        import trustme

        from tests.tlsserver import ca_key, ca_name, hand_made

        names = self.names or (host,)
        if self.self_signed:
            return hand_made(names=names)
        if self.key_bits is not None:
            return hand_made(issuer_key=ca_key(ca), issuer_name=ca_name(ca), key_bits=self.key_bits, names=names)
        not_before, not_after = now - dt.timedelta(days=1), now + dt.timedelta(days=90)
        if self.expired_days_ago is not None:
            not_before = now - dt.timedelta(days=90)
            not_after = now - dt.timedelta(days=self.expired_days_ago)
        if self.expires_in_days is not None:
            not_after = now + dt.timedelta(days=self.expires_in_days, hours=1)
        if self.valid_in_days is not None:
            not_before = now + dt.timedelta(days=self.valid_in_days)
        issuer = trustme.CA().create_child_ca() if self.untrusted else ca
        if self.without_intermediate:
            issuer = ca.create_child_ca()
        cert = issuer.issue_cert(*names, not_before=not_before, not_after=not_after)
        chain = cert.cert_chain_pems[:1] if self.without_intermediate else cert.cert_chain_pems
        return b"".join(c.bytes() for c in chain), cert.private_key_pem.bytes()


@contextmanager
def portal_served(host: str, state: Certificate, tmp: Path, now: dt.datetime) -> Iterator[Any]:
    """The portal host served on loopback as ``state`` says; yields probes that reach it there."""
    import trustme

    from portaldoctor.probes.bundle import make_probes
    from tests.tlsserver import http_server, server_context

    ca = trustme.CA()
    cafile = tmp / "ca.pem"
    ca.cert_pem.write_to_path(str(cafile))
    cert_pem, key_pem = state.mint(ca, host, now)
    context = server_context(cert_pem, key_pem, tmp, max_version=state.tls_max)
    redirect = f"https://{host}/" if state.redirect == "same host" else state.redirect
    with ExitStack() as stack:
        headers = {"Strict-Transport-Security": "max-age=31536000"} if state.hsts else {}
        https_port = stack.enter_context(http_server(headers, context=context))
        http_port = stack.enter_context(
            http_server({"Location": redirect} if redirect else {}, 301 if redirect else 200)
        )
        probes = make_probes(allow_private_network=True, ca_file=str(cafile))
        probes.connect_to, probes.https_port, probes.http_port, probes.tls_timeout = (
            {host: "127.0.0.1"},
            https_port,
            http_port,
            3,
        )
        yield probes


# --- running a snippet ----------------------------------------------------------------------------


@dataclasses.dataclass
class Loopback:
    """Where network snippets are served: the session's DNS server and a scratch folder for TLS."""

    dns: Any = None
    tmp: Path | None = None


@cache
def planned(check_id: str) -> tuple[Check, ...]:
    """The built-in check and its prerequisites, in dependency order."""
    return tuple(f.builtin_with_prerequisites(check_id))


def findings_of(
    check_id: str, snippet: str, args: str | Sequence[str] = (), *, loopback: Loopback | None = None
) -> list[Finding]:
    """Every finding of one built-in check, run with its prerequisites on a snippet."""
    tenant = tenant_from(snippet)
    given = Args.parse(args)
    checks = list(planned(check_id))
    spec = checks[-1].spec
    network = spec.network
    certificate = network and "tls" in spec.tags
    now = given.now or (dt.datetime.now(dt.UTC) if certificate else f.NOW)
    rules = BOOKS.profile(tenant.platform).rules if tenant.platform else Rules()
    ctx = CheckContext(
        tenant=tenant,
        index=TenantIndex(tenant),
        now=now,
        rules=rules,
        inputs=Inputs(
            browser=given.browser,
            clicked=given.clicked(tenant),
            cert_warn_days=given.cert_warn_days,
            cert_fail_days=given.cert_fail_days,
        ),
    )
    with ExitStack() as stack:
        if network:
            if loopback is None:
                raise SnippetError(f"{check_id} is a network check: its snippet needs the loopback servers")
            if certificate:
                host = tenant.organisation.portal.host
                if not host or loopback.tmp is None:
                    raise SnippetError("the snippet names no portal host (organisation: {portal: {host: ...}})")
                state = Certificate.read(" ".join(comments(snippet)))
                probes = stack.enter_context(portal_served(host, state, loopback.tmp, now))
            elif "dns" in spec.tags:
                from portaldoctor.probes.bundle import make_probes

                if loopback.dns is None:
                    raise SnippetError("a DNS example needs the loopback DNS server")
                loopback.dns.load(zone_records(snippet))
                probes = make_probes(nameservers=[loopback.dns.address], timeout=1.0)
            else:
                raise SnippetError(f"{check_id}: no loopback server knows how to serve this network check")
            ctx = dataclasses.replace(ctx, probes=probes)
        return [x for x in f.run_in(ctx, checks) if x.check_id == check_id]


def codes_of(
    check_id: str, snippet: str, args: str | Sequence[str] = (), *, loopback: Loopback | None = None
) -> list[str]:
    """Sorted fail, warn and error codes of one built-in check on a snippet."""
    return sorted(x.code for x in findings_of(check_id, snippet, args, loopback=loopback) if x.status in PROBLEMS)


@dataclasses.dataclass(frozen=True)
class Case:
    """One row of a check's table: a snippet, the agent's options, and the codes expected."""

    name: str
    snippet: str
    expected: list[str]
    args: str = ""

    def __str__(self) -> str:
        return self.name

    def codes(self, check_id: str, loopback: Loopback | None = None) -> list[str]:
        """What the check reports on this row's snippet (network checks: served from ``loopback``)."""
        return codes_of(check_id, self.snippet, self.args, loopback=loopback)


# --- docstring examples ---------------------------------------------------------------------------

_HEADING = re.compile(r"^(?P<verdict>Passes|Fails|Warns)(?:\s*\((?P<note>.*)\))?::$")
_LOOKS_LIKE_HEADING = re.compile(r"^(Passes|Fails|Warns)\b.*::\s*$")


@dataclasses.dataclass(frozen=True)
class Example:
    """One example of a check's documentation."""

    check_id: str
    heading: str
    verdict: str
    """``Passes``, ``Fails`` or ``Warns``."""
    code: str | None
    args: tuple[str, ...]
    snippet: str

    def __str__(self) -> str:
        return f"{self.check_id}: {self.heading}"


def examples(check_id: str, doc: str) -> list[Example]:
    """The examples of a check's docstring, in order; SnippetError for a heading it cannot read."""
    lines = inspect.cleandoc(doc).splitlines()
    found: list[Example] = []
    for i, line in enumerate(lines):
        text = line.strip()
        if not _LOOKS_LIKE_HEADING.match(text):
            continue
        m = _HEADING.match(text)
        if m is None:
            raise SnippetError(f"{check_id}: example heading not understood: {text!r}")
        indent = len(line) - len(line.lstrip())
        body: list[str] = []
        for following in lines[i + 1 :]:
            if following.strip() and len(following) - len(following.lstrip()) <= indent:
                break
            body.append(following)
        snippet = textwrap.dedent("\n".join(body)).strip("\n")
        if not snippet.strip():
            raise SnippetError(f"{check_id}: {text!r} has no indented snippet under it")
        spans = re.findall(r"``(.+?)``", m["note"] or "")
        options = [s for s in spans if s.startswith("--")]
        others = [s for s in spans if not s.startswith("--")]
        verdict = m["verdict"]
        code = others[0] if others and verdict != "Passes" else None
        if verdict != "Passes" and code is None:
            raise SnippetError(f"{check_id}: {text!r} names no code; write {verdict} (``code``)::")
        args = tuple(word for option in options for word in shlex.split(option))
        found.append(Example(check_id, text, verdict, code, args, snippet))
    return found


def judge(check: Check, example: Example, loopback: Loopback | None = None) -> str | None:
    """None when the check does what the example says; else what it did instead."""
    spec = check.spec
    if example.code is not None and example.code not in spec.codes:
        return f"{example}: {example.code} is not a code of {spec.id} ({', '.join(spec.codes)})"
    try:
        found = findings_of(spec.id, example.snippet, example.args, loopback=loopback)
    except SnippetError as exc:
        return f"{example}: {exc}"
    seen = ", ".join(f"{x.status.value} {x.code}" + (f" ({x.reason})" if x.reason else "") for x in found)
    if example.verdict == "Passes":
        if not found:
            return f"{example}: the check had nothing to look at in the snippet"
        if any(x.status is not Status.PASS for x in found):
            return f"{example}: expected a pass, got {seen}"
        return None
    wanted = Status.FAIL if example.verdict == "Fails" else Status.WARN
    if not any(x.code == example.code and x.status is wanted for x in found):
        return f"{example}: expected {wanted.value} {example.code}, got {seen or 'nothing'}"
    return None
