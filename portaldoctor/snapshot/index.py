"""Lookups over a loaded tenant, built once per run (hash maps, never pairwise scans)."""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from portaldoctor.snapshot.model import Contact, Customer, Link, StaffUser, Tenant


def normalise_email(email: str) -> str:
    """Email key for comparisons: trimmed and case-folded (the string itself when it already
    is, so an index over a million addresses holds no second copy of each)."""
    key = email.strip().casefold()
    return email if key == email else key


class TenantIndex:
    """Read-only indexes of a tenant: by id, by customer, by email."""

    def __init__(self, tenant: Tenant) -> None:
        self.tenant = tenant

    @cached_property
    def customers(self) -> dict[str, Customer]:
        """Customers by id."""
        return {c.id: c for c in self.tenant.customers}

    @cached_property
    def contacts(self) -> dict[str, Contact]:
        """Contacts by id."""
        return {c.id: c for c in self.tenant.contacts}

    @cached_property
    def users(self) -> dict[str, StaffUser]:
        """Staff users by id."""
        return {u.id: u for u in self.tenant.users}

    @cached_property
    def links(self) -> dict[str, Link]:
        """Links and invitations by id."""
        return {link.id: link for link in self.tenant.links}

    @cached_property
    def contacts_by_customer(self) -> dict[str, list[Contact]]:
        """Contacts grouped by customer id, in file order."""
        grouped: defaultdict[str, list[Contact]] = defaultdict(list)
        for contact in self.tenant.contacts:
            grouped[contact.customer].append(contact)
        grouped.default_factory = None  # a plain mapping from here on, without a copy
        return grouped

    @cached_property
    def links_by_customer(self) -> dict[str, list[Link]]:
        """Links grouped by customer id, in file order."""
        grouped: defaultdict[str, list[Link]] = defaultdict(list)
        for link in self.tenant.links:
            grouped[link.customer].append(link)
        grouped.default_factory = None  # a plain mapping from here on, without a copy
        return grouped

    @cached_property
    def links_by_contact(self) -> dict[str, list[Link]]:
        """Links grouped by contact id, in file order."""
        grouped: defaultdict[str, list[Link]] = defaultdict(list)
        for link in self.tenant.links:
            if link.contact is not None:
                grouped[link.contact].append(link)
        grouped.default_factory = None  # a plain mapping from here on, without a copy
        return grouped

    @cached_property
    def contacts_by_email(self) -> dict[str, list[Contact]]:
        """Contacts grouped by normalised email (case-insensitive)."""
        grouped: defaultdict[str, list[Contact]] = defaultdict(list)
        for contact in self.tenant.contacts:
            if contact.email:
                grouped[normalise_email(contact.email)].append(contact)
        grouped.default_factory = None  # a plain mapping from here on, without a copy
        return grouped

    def customer_of(self, contact: Contact) -> Customer:
        """The customer a contact belongs to (references are checked at load)."""
        return self.customers[contact.customer]
