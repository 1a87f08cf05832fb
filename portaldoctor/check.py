"""The check contract: what a check declares, what it yields, and the findings the engine makes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum, IntEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, NewType, Protocol

from portaldoctor.errors import SourceLocation
from portaldoctor.playbooks.rules import Rules

if TYPE_CHECKING:
    from portaldoctor.snapshot.index import TenantIndex
    from portaldoctor.snapshot.model import Contact, Customer, Link, Organisation, Tenant

CheckId = NewType("CheckId", str)
Code = NewType("Code", str)

_EMPTY: Mapping[str, Any] = MappingProxyType({})


class Status(str, Enum):
    """Outcome of one check on one subject."""

    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    ERROR = "error"  # could not check
    SKIP = "skip"  # not applicable, offline, or blocked by a failed prerequisite

    @property
    def rank(self) -> int:
        """Order used to sort findings: problems first."""
        return _STATUS_RANK[self]


_STATUS_RANK = {Status.FAIL: 0, Status.ERROR: 1, Status.WARN: 2, Status.SKIP: 3, Status.PASS: 4}


class Severity(IntEnum):
    """How much a problem matters, decided by the playbook, never by the check."""

    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @classmethod
    def parse(cls, text: str) -> Severity:
        """Parse a playbook severity name such as ``high``."""
        return cls[text.strip().upper()]

    def __str__(self) -> str:
        return self.name.lower()


class Scope(str, Enum):
    """What a check runs on: once for the organisation, or per customer, contact or link."""

    ORG = "org"
    CUSTOMER = "customer"
    CONTACT = "contact"
    LINK = "link"


class Subject(NamedTuple):
    """Which thing a finding is about.

    A named tuple rather than a frozen dataclass: a large audit makes one for each of tens of
    thousands of findings, and a tuple is built faster, as immutable (benchmarks/ANALYSIS.md,
    "Objects per finding").
    """

    kind: str
    """``org``, ``customer``, ``contact``, ``link``, ``record`` or ``host``."""
    id: str
    """Stable identifier inside the tenant (customer id, contact id, record name)."""
    label: str
    """Human name, e.g. the customer's name or the contact's email."""
    customer_id: str | None = None
    """The customer this subject belongs to, for grouping; None for org-wide subjects."""
    contact_id: str | None = None
    """The contact this subject belongs to, for grouping."""

    @property
    def key(self) -> str:
        """A unique key across kinds."""
        return f"{self.kind}:{self.id}"


class Target:
    """One thing a check is run on, with the snapshot objects around it.

    Every check of its scope is handed the same target, so none may change it. An audit makes
    one per contact, customer and link, and most only ever pass, so the
    target keeps its kind and id and makes its ``Subject`` when first asked for it (for a
    finding, usually). A plain slotted class: smaller and quicker to make than a target and its
    subject built as two tuples (benchmarks/ANALYSIS.md, "Objects per row").
    """

    __slots__ = ("_subject", "ancestors", "contact", "customer", "id", "kind", "link", "location")

    def __init__(
        self,
        kind: str,
        id: str,
        location: SourceLocation | None = None,
        customer: Customer | None = None,
        contact: Contact | None = None,
        link: Link | None = None,
        ancestors: tuple[str, ...] = (),
        subject: Subject | None = None,
    ) -> None:
        self.kind = kind
        """``org``, ``customer``, ``contact`` or ``link``."""
        self.id = id
        self.location = location
        self.customer = customer
        self.contact = contact
        self.link = link
        self.ancestors = ancestors
        """Subject keys this target sits under (``org:…``, ``customer:…``); used for blocking."""
        self._subject = subject

    @property
    def key(self) -> str:
        """Its subject's key, without making the subject."""
        return f"{self.kind}:{self.id}"

    @property
    def subject(self) -> Subject:
        """Which thing the target is, as findings name it; made once, on first use."""
        made = self._subject
        if made is None:
            made = self._subject = _subject_of(self)
        return made

    def __repr__(self) -> str:
        return f"Target({self.kind}:{self.id})"


def _subject_of(target: Target) -> Subject:
    customer, contact, link, tid = target.customer, target.contact, target.link, target.id
    if target.kind == "contact" and contact is not None and customer is not None:
        return Subject("contact", tid, contact.email or contact.name or tid, customer.id, tid)
    if target.kind == "link" and link is not None and customer is not None:
        return Subject("link", tid, f"{link.kind} link {tid}", customer.id, link.contact)
    if target.kind == "customer" and customer is not None:
        return Subject("customer", tid, customer.name, tid)
    return Subject(target.kind, tid, tid)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a check yields: a code, a status and the evidence. Never wording or severity."""

    code: str
    """Finding code, a key of the playbooks (or the check id for a pass)."""
    status: Status
    observed: Any = None
    """What the check saw."""
    expected: Any = None
    """What it should have been."""
    evidence: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    """Named facts the remedy template may use (dates, counts, names)."""
    subject: Subject | None = None
    """Overrides the target's subject, e.g. one DNS record of the organisation."""
    location: SourceLocation | None = None
    """Overrides the target's source location."""
    reason: str | None = None
    """For error and skip: one line saying why."""


def passed(code: str, **evidence: Any) -> Outcome:
    """A pass outcome; ``code`` is usually the check id."""
    return Outcome(code=code, status=Status.PASS, evidence=MappingProxyType(evidence))


def _problem(
    status: Status,
    code: str,
    observed: Any,
    expected: Any,
    subject: Subject | None,
    location: SourceLocation | None,
    evidence: dict[str, Any],
    reason: str | None = None,
) -> Outcome:
    return Outcome(
        code=code,
        status=status,
        observed=observed,
        expected=expected,
        evidence=MappingProxyType(evidence),
        subject=subject,
        location=location,
        reason=reason,
    )


def fail(
    code: str,
    *,
    observed: Any = None,
    expected: Any = None,
    subject: Subject | None = None,
    location: SourceLocation | None = None,
    **evidence: Any,
) -> Outcome:
    """A failing outcome with its evidence."""
    return _problem(Status.FAIL, code, observed, expected, subject, location, evidence)


def warn(
    code: str,
    *,
    observed: Any = None,
    expected: Any = None,
    subject: Subject | None = None,
    location: SourceLocation | None = None,
    **evidence: Any,
) -> Outcome:
    """A warning outcome with its evidence."""
    return _problem(Status.WARN, code, observed, expected, subject, location, evidence)


def error(
    code: str,
    reason: str,
    *,
    subject: Subject | None = None,
    location: SourceLocation | None = None,
    **evidence: Any,
) -> Outcome:
    """Could not check: the reason names what went wrong (server, timeout, ...)."""
    return _problem(Status.ERROR, code, None, None, subject, location, evidence, reason)


def skip(code: str, reason: str, **evidence: Any) -> Outcome:
    """Not applicable here, with the reason (e.g. the tenant does not export this field)."""
    return _problem(Status.SKIP, code, None, None, None, None, evidence, reason)


@dataclass(frozen=True)
class CheckSpec:
    """What a check declares about itself; the registry validates it."""

    id: str
    """Stable kebab-case id; also the check's key in playbooks."""
    title: str
    """One line, shown in lists and for passing findings."""
    scope: Scope
    codes: tuple[str, ...]
    """Every problem code the check can emit; each needs a generic playbook entry."""
    depends_on: tuple[str, ...] = ()
    """Check ids whose failure makes this check pointless (it is then skipped as blocked)."""
    network: bool = False
    """True when the check talks to the outside world (skipped with ``--offline``)."""
    tags: tuple[str, ...] = ()
    samples: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """Sample evidence per code, used by ``playbooks lint`` to render every template."""


@dataclass(frozen=True)
class Inputs:
    """What the agent gave for this run besides the tenant: the customer's browser, the link they
    clicked, and how the portal's certificate is judged."""

    browser: str | None = None
    """The customer's browser, lower-case (``--browser``, or named in ``--symptom``)."""
    clicked: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    """Link record id -> the URL the customer clicked (``--link``), judged instead of the record's."""
    ca_file: str | None = None
    """A CA bundle to trust for the portal host instead of the system's (``--ca-file``)."""
    cert_warn_days: int = 30
    """Warn when the portal's certificate expires within this many days."""
    cert_fail_days: int = 7
    """Fail when it expires within this many days."""


@dataclass(frozen=True)
class CheckContext:
    """Everything a check may read, immutable and shared by all checks of a run."""

    tenant: Tenant
    index: TenantIndex
    now: dt.datetime
    """The one clock of the run (timezone-aware UTC); ``--now`` replays a past moment."""
    offline: bool = False
    rules: Rules = field(default_factory=Rules)
    """The platform profile's product rules (``playbooks/<profile>.yaml``, over the generic values)."""
    inputs: Inputs = field(default_factory=Inputs)
    probes: Any = None
    """Network probes (DNS, TLS, HTTP) with evidence record / replay; None when offline."""

    @property
    def org(self) -> Organisation:
        """The organisation settings of the tenant."""
        return self.tenant.organisation

    @property
    def today(self) -> dt.date:
        """The run's date in UTC."""
        return self.now.date()


class Check(Protocol):
    """A check: a class with a ``spec`` and a ``run`` method. Its docstring is its documentation.

    ``run`` yields outcomes for one target. Network checks define ``run`` as ``async def``
    returning a list; the engine runs those concurrently under per-check timeouts.

    A plain check over many targets may also define
    ``run_all(ctx, targets) -> Iterable[tuple[Target, list[Outcome]]]``, naming only the targets
    that have outcomes (the others passed). The engine then hands it thousands of targets at a
    time. It is a fast path, not a second definition: ``run_all`` settles the plain passes with
    cheap tests and gives every other target to ``run`` (``tests/checks/test_run_all.py`` checks
    both agree on every demo tenant and a generated one).
    """

    spec: ClassVar[CheckSpec]

    def run(self, ctx: CheckContext, target: Target) -> Iterable[Outcome] | Awaitable[Iterable[Outcome]]:
        """Examine one target and yield outcomes."""
        ...


class Finding(NamedTuple):
    """One result of one check on one subject, as the engine recorded it.

    A named tuple, as Subject: a large audit records one for about every other contact.
    ``finding._replace(reason=...)`` makes a changed copy.
    """

    check_id: str
    code: str
    status: Status
    subject: Subject
    observed: Any = None
    expected: Any = None
    evidence: Mapping[str, Any] = _EMPTY
    location: SourceLocation | None = None
    duration_ms: float = 0.0
    reason: str | None = None
    """For error and skip: why."""
    blocked_by: str | None = None
    """For a blocked skip: ``check-id`` and code of the root cause."""
