"""Lookups over a loaded tenant, built once per run (hash maps, never pairwise scans)."""

from __future__ import annotations

from collections import Counter, defaultdict
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
    def link_owners(self) -> dict[str, Contact]:
        """The contacts that links name, by id: what link targets need, without a map of every
        contact: one in ten contacts owns a link in a large tenant (benchmarks/ANALYSIS.md,
        "Indexes")."""
        wanted = {link.contact for link in self.tenant.links if link.contact}
        return {c.id: c for c in self.tenant.contacts if c.id in wanted} if wanted else {}

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
    def _by_email(self) -> tuple[dict[str, Contact], dict[str, list[Contact]]]:
        """Contacts by normalised email (case-insensitive): the first with each address, and the
        whole group, in file order, of each address that several contacts have.

        Almost every address belongs to one contact, and a list per address would hold one item
        (benchmarks/ANALYSIS.md, "Indexes").
        """
        first: dict[str, Contact] = {}
        shared: dict[str, list[Contact]] = {}
        for contact in self.tenant.contacts:
            if contact.email:
                key = normalise_email(contact.email)
                seen = first.setdefault(key, contact)
                if seen is not contact:
                    group = shared.get(key)
                    if group is None:
                        shared[key] = [seen, contact]
                    else:
                        group.append(contact)
        return first, shared

    def contacts_with_email(self, email: str) -> list[Contact]:
        """The contacts with this address (compared without regard to case), in file order."""
        first, shared = self._by_email
        key = normalise_email(email)
        group = shared.get(key)
        if group is not None:
            return group
        found = first.get(key)
        return [] if found is None else [found]

    @cached_property
    def shared_portal_emails(self) -> dict[str, SharedAddress]:
        """Addresses (normalised) that portal-enabled contacts of two or more customers share.

        Each is summarised once, so a check over its contacts costs the same per contact however
        many accounts share the address.
        """
        _, groups = self._by_email
        shared: dict[str, SharedAddress] = {}
        for key, same in groups.items():
            address = SharedAddress(self, same)
            if len(address.accounts) > 1:
                shared[key] = address
        return shared

    @cached_property
    def shared_portal_spellings(self) -> dict[str, SharedAddress]:
        """``shared_portal_emails`` by each spelling as written, so that a portal-enabled
        contact's own address finds its summary without being normalised first.

        Exact: a portal-enabled contact whose address is shared is one of the contacts its
        summary was made from, so its spelling is among the summary's spellings.
        """
        return {spelling: address for address in self.shared_portal_emails.values() for spelling in address.spellings}

    def customer_of(self, contact: Contact) -> Customer:
        """The customer a contact belongs to (references are checked at load)."""
        return self.customers[contact.customer]


class SharedAddress:
    """The portal-enabled customer accounts behind one address (compared without regard to case)."""

    __slots__ = ("accounts", "names", "spellings")

    def __init__(self, index: TenantIndex, same: list[Contact]) -> None:
        self.accounts: set[str] = set()
        """Ids of the customers with a portal-enabled contact at this address."""
        self.spellings: dict[str, set[str]] = {}
        """Each spelling of the address, exactly as written, and the accounts that use it."""
        for c in same:
            if c.portal_user is not False:
                self.accounts.add(c.customer)
                self.spellings.setdefault(c.email or "", set()).add(c.customer)
        customers = index.customers
        by_name = Counter(customers[a].name for a in self.accounts)
        self.names = sorted(by_name.items())
        """(customer name, how many of the accounts have it), by name."""
