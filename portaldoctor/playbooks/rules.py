"""Product rules: the facts about a platform that checks read, typed and validated when playbooks load.

A profile's playbook states them under ``rules:``; whatever it leaves out keeps the generic value
given here. An unknown name or a value of the wrong type is an error naming the playbook's file
and line, never a silent default.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, model_validator

Days = Annotated[StrictInt, Field(ge=0)]


class Rules(BaseModel):
    """What a platform profile declares about its product; each field has the generic value."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    link_validity_configurable: StrictBool = Field(
        False, description="The organisation sets how long portal links stay valid."
    )
    link_validity_range_days: tuple[Days, Days] = Field(
        (1, 1000), description="Lowest and highest link validity the product accepts, in days."
    )
    link_validity_default_days: Days = Field(25, description="Link validity of a new organisation, in days.")
    sms_pin_login: StrictBool = Field(
        False, description="Customers sign in with a PIN sent by SMS, so contacts need a mobile."
    )
    sms_credits_minimum: StrictInt = Field(1, description="Invitations stop at or below this many SMS credits.")
    privacy_link_required: StrictBool = Field(
        False, description="The portal sign-in shows the organisation's privacy disclosure link."
    )
    plans_with_portal: tuple[StrictStr, ...] = Field((), description="Plans that include the customer portal.")
    late_fee_systems: tuple[StrictStr, ...] = Field(
        (), description="Accounting systems whose late fees the portal can show."
    )
    default_senders: tuple[StrictStr, ...] = Field(
        (), description="The platform's own sender addresses, used when no alias is selected."
    )
    account_picker: StrictBool = Field(
        False, description="A customer whose email is on several accounts can pick one at sign-in."
    )
    support_dates: StrictBool = Field(False, description="Portal users need support start and end dates.")
    portal_contact_details: StrictBool = Field(
        False, description="The portal shows the organisation's contact email and phone."
    )
    incompatible_browsers: dict[StrictStr, StrictStr] = Field(
        default_factory=dict, description="Browser name -> the part of the portal that does not work in it."
    )
    portal_contacts_per_user: dict[StrictStr, StrictInt] = Field(
        default_factory=dict, description="Plan -> portal contacts allowed per staff user."
    )
    email_local_part_allowed: StrictStr | None = Field(
        None, description="Characters the product accepts before the @ of an email (a regex character class)."
    )
    email_local_part_allowed_text: StrictStr | None = Field(
        None, description="The same characters in words, for messages."
    )
    duplicate_email_accounts_listed: StrictInt = Field(
        10, ge=1, description="How many other accounts a duplicate-email finding names before it counts the rest."
    )

    @model_validator(mode="after")
    def _range_in_order(self) -> Rules:
        low, high = self.link_validity_range_days
        if low > high:
            raise ValueError(f"link_validity_range_days: the lowest ({low}) is above the highest ({high})")
        return self

    def differing(self, other: Rules) -> dict[str, object]:
        """The rules whose values differ from ``other``'s, by name (for the catalogue)."""
        return {name: value for name, value in self if getattr(other, name) != value}
