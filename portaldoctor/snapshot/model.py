"""The vendor-neutral tenant model (version 1).

Every field a product does not export may be left out: ``None`` means "unknown", and checks
that need it report ``skip`` rather than guessing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic.dataclasses import dataclass

from portaldoctor.errors import SourceLocation

SCHEMA_VERSION = 1


def _assume_utc(value: dt.datetime) -> dt.datetime:
    """Read a timestamp without an offset as UTC, so every comparison is between aware times."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


Timestamp = Annotated[dt.datetime, AfterValidator(_assume_utc)]


_INPUT = ConfigDict(extra="forbid", str_strip_whitespace=True)
"""What every snapshot object accepts: no unknown keys; text stripped of surrounding space."""


class _Model(BaseModel):
    """Base of every snapshot object: unknown keys are errors; objects remember where they were."""

    model_config = ConfigDict(**_INPUT, frozen=True)

    @property
    def location(self) -> SourceLocation | None:
        """File and line this object was loaded from (set by the loader, see ``locate``)."""
        private = self.__pydantic_private__
        return private.get("location") if private else None

    def field_location(self, name: str) -> SourceLocation | None:
        """File and line of one of this object's keys, where the source knows it; else the object's."""
        private = self.__pydantic_private__ or {}
        return private.get("fields", {}).get(name) or self.location


LOCATION_SLOT = "_location"
"""Where a row keeps its file and line: a slot, not a field, so no file can set it."""


class _Row:
    """Base of the objects a tenant holds by the hundred thousand (customers, contacts, users,
    links, access requests): frozen, slotted dataclasses that pydantic validates.

    A pydantic model keeps its fields in a dict of their own and a set of the names it was given;
    slots hold less, and validate faster (benchmarks/ANALYSIS.md, "Objects per row"). The rules
    are the models' own: unknown keys are errors, text is stripped, objects are frozen.
    ``_location`` is a slot of its own, not a field, so no file can set it.
    """

    __slots__ = (LOCATION_SLOT,)

    @property
    def location(self) -> SourceLocation | None:
        """File and line this object was loaded from (set by the loader, see ``locate``)."""
        return getattr(self, LOCATION_SLOT, None)


def locate(
    item: _Model | _Row, where: SourceLocation | None, *, fields: Mapping[str, SourceLocation] | None = None
) -> None:
    """Remember where a snapshot object was loaded from, and (models only) where its keys are.

    A row keeps it in its own slot. A model keeps it in pydantic's private-state slot of the
    (frozen) object, without a declared ``PrivateAttr``: declaring one makes pydantic initialise
    private state for every object it validates.
    """
    if isinstance(item, _Row):
        object.__setattr__(item, LOCATION_SLOT, where)
    else:
        object.__setattr__(item, "__pydantic_private__", {"location": where, "fields": dict(fields or {})})


class WhiteLabel(_Model):
    """Portal colours."""

    primary_color: str | None = None
    banner_color: str | None = None


class PortalSettings(_Model):
    """Organisation-wide customer portal settings."""

    enabled: bool | None = Field(None, description="Portal feature switched on for the organisation.")
    host: str | None = Field(None, description="Host the portal and its links are served from.")
    link_validity_days: int | None = Field(None, description="Validity of newly issued links.")
    link_validity_changed_at: Timestamp | None = Field(
        None, description="When link validity was last changed; older links keep the old value."
    )
    previous_link_validity_days: int | None = Field(None, description="Validity in force before the last change.")
    reminder_cadence_days: int | None = Field(
        None, description="Days between reminders that carry a fresh portal link."
    )
    contact_email: str | None = Field(None, description="Email shown to customers on the portal.")
    contact_phone: str | None = Field(None, description="Phone shown to customers on the portal.")
    white_label: WhiteLabel | None = None
    account_picker: bool | None = Field(
        None, description="Customers whose email is on several accounts may pick one at sign-in."
    )
    privacy_disclosure_enabled: bool | None = None
    privacy_link: str | None = Field(None, description="URL of the privacy disclosure.")
    features: dict[str, bool] = Field(default_factory=dict)


class Alias(_Model):
    """A sender alias for portal notifications."""

    email: str
    verified: bool | None = None
    selected: bool | None = Field(None, description="Used as the sender of portal notifications.")


class Deliverability(_Model):
    """Email deliverability and link settings."""

    https_links: bool | None = Field(None, description="Portal links are sent as https://.")
    dns_verified: bool | None = Field(None, description="The platform verified the DNS records.")
    domain: str | None = Field(None, description="The organisation's sending / link domain.")
    sender_email: str | None = Field(None, description="From address of portal notifications.")
    aliases: list[Alias] = Field(default_factory=list)
    mailbox_connected: bool | None = Field(
        None, description="A mailbox is connected for invitation and password-reset emails."
    )
    email_optout_override: bool | None = Field(
        None, description="Workflow emails may go to contacts who opted out of email."
    )


class Sms(_Model):
    """SMS settings used for portal PINs."""

    enabled: bool | None = None
    credits: int | None = None


class Accounting(_Model):
    """The accounting system / ERP the platform syncs customers from."""

    system: str | None = Field(None, description="e.g. netsuite, xero, quickbooks.")
    import_inactive_customers: bool | None = None


class DnsRecord(_Model):
    """A DNS record the platform generated for the tenant's domain."""

    type: Literal["A", "AAAA", "CNAME", "TXT", "MX", "CAA"]
    host: str
    value: str
    purpose: str | None = Field(None, description="e.g. link tracking, DKIM, SPF, return path.")
    status: Literal["verified", "pending", "invalid"] | None = Field(
        None, description="Status the platform shows for this record."
    )


class Organisation(_Model):
    """Organisation (tenant) settings."""

    name: str
    region: str | None = Field(None, description="ISO 3166 country used to read phone numbers.")
    timezone: str | None = None
    plan: str | None = None
    plan_includes_portal: bool | None = None
    portal_contact_limit: int | None = None
    portal: PortalSettings = Field(default_factory=PortalSettings)
    deliverability: Deliverability = Field(default_factory=Deliverability)
    sms: Sms = Field(default_factory=Sms)
    accounting: Accounting = Field(default_factory=Accounting)
    dns_records: list[DnsRecord] = Field(default_factory=list)


@dataclass(config=_INPUT, frozen=True, slots=True, kw_only=True)
class Customer(_Row):
    """A customer account (the company that uses the portal)."""

    id: str
    name: str
    external_id: str | None = None
    region: str | None = None
    active: bool | None = Field(None, description="Active in the accounting system.")
    portal_enabled: bool | None = None
    portal_disabled_at: Timestamp | None = None
    late_fees_enabled: bool | None = None


@dataclass(config=_INPUT, frozen=True, slots=True, kw_only=True)
class Contact(_Row):
    """A person at a customer who uses the portal."""

    id: str
    customer: str = Field(description="Id of the customer this contact belongs to.")
    name: str | None = None
    email: str | None = None
    mobile: str | None = None
    phone: str | None = None
    portal_user: bool | None = Field(None, description="Portal enabled for this contact.")
    portal_status: Literal["disabled", "pending", "enabled"] | None = None
    support_start: dt.date | None = None
    support_end: dt.date | None = None
    email_opt_out: bool | None = None
    is_primary: bool | None = None
    deal_owner: str | None = Field(None, description="Id of the staff user who owns the deal.")
    workflow_stage: str | None = None
    stage_read_only: bool | None = None


@dataclass(config=_INPUT, frozen=True, slots=True, kw_only=True)
class StaffUser(_Row):
    """A person at the organisation who sends invitations or owns deals."""

    id: str
    name: str | None = None
    email: str | None = None
    mobile: str | None = None


@dataclass(config=_INPUT, frozen=True, slots=True, kw_only=True)
class Link(_Row):
    """A portal link or invitation that was sent to a customer."""

    id: str
    kind: Literal["portal", "invitation", "reset", "invoice"] = "portal"
    customer: str
    contact: str | None = None
    url: str | None = None
    token: str | None = None
    source: Literal["reminder", "campaign", "preview", "api", "invitation", "manual"] | None = None
    issued_at: Timestamp | None = None
    sent_at: Timestamp | None = None
    accepted_at: Timestamp | None = None
    expires_at: Timestamp | None = None
    expires_in_seconds: int | None = Field(None, description="API-generated links: lifetime.")
    superseded_by: str | None = Field(None, description="Id of the newer link that replaced it.")
    token_fingerprint: str | None = Field(
        None, description="'sha256:<hex>' (12+ digits) of the token, for tenants that keep no token."
    )


@dataclass(config=_INPUT, frozen=True, slots=True, kw_only=True)
class AccessRequest(_Row):
    """A customer's "Request access" from the portal sign-in page."""

    email: str
    at: Timestamp | None = None


class Tenant(_Model):
    """A snapshot of one tenant of a portal platform."""

    version: Literal[1] = 1
    platform: str | None = Field(None, description="Profile whose playbook applies.")
    organisation: Organisation
    customers: list[Customer] = Field(default_factory=list)
    contacts: list[Contact] = Field(default_factory=list)
    users: list[StaffUser] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    access_requests: list[AccessRequest] = Field(default_factory=list)


def json_schema() -> dict[str, Any]:
    """JSON Schema of the tenant file, for editors."""
    schema = Tenant.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "portaldoctor tenant snapshot"
    # Large lists may live in a side file: {file: contacts.csv | .jsonl | .json}.
    side_file = {
        "type": "object",
        "properties": {"file": {"type": "string", "pattern": "\\.(csv|jsonl|ndjson|json)$"}},
        "required": ["file"],
        "additionalProperties": False,
        "description": "A CSV, JSON Lines or JSON file beside the tenant file holding this list.",
    }
    for key in ("customers", "contacts", "users", "links", "access_requests"):
        prop = schema["properties"].get(key)
        if prop is not None:
            schema["properties"][key] = {"anyOf": [prop, side_file], "title": prop.get("title", key)}
    return schema
