"""What a check of each scope runs on: the organisation, customers, contacts or links of a tenant."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from portaldoctor.check import CheckContext, Scope, Subject, Target

if TYPE_CHECKING:
    from portaldoctor.snapshot.model import Customer


def targets_for(ctx: CheckContext, scope: Scope, customer_ids: Sequence[str] | None) -> list[Target]:
    """Everything a check of this scope runs on, for the chosen customers (None = all)."""
    org = ctx.tenant.organisation
    if scope is Scope.ORG:
        return [Target("org", org.name, org.location, subject=Subject("org", org.name, org.name))]
    index = ctx.index
    customers = index.customers
    ids = list(customers) if customer_ids is None else list(customer_ids)
    org_key = f"org:{org.name}"
    out: list[Target] = []
    add = out.append
    # One loop per scope, with the lookups hoisted: an audit builds a target per contact.
    if scope is Scope.CUSTOMER:
        above_customer = (org_key,)
        for cid in ids:
            customer = customers[cid]
            add(Target("customer", cid, customer.location, customer, None, None, above_customer))
    elif scope is Scope.CONTACT and customer_ids is None:
        # Every contact, in file order: no grouping index is built for it (benchmarks/ANALYSIS.md,
        # "Indexes"). The report orders findings by their own key, so the order of targets only
        # decides the order in which checks see them.
        seen: dict[str, tuple[Customer, tuple[str, str]]] = {}
        for contact in ctx.tenant.contacts:
            cid = contact.customer
            around = seen.get(cid)
            if around is None:  # one ancestors tuple per customer, shared by its contacts
                around = seen[cid] = (customers[cid], (org_key, f"customer:{cid}"))
            add(Target("contact", contact.id, contact.location, around[0], contact, None, around[1]))
    elif scope is Scope.CONTACT:
        by_customer = index.contacts_by_customer
        for cid in ids:
            contacts = by_customer.get(cid)
            if not contacts:
                continue
            customer = customers[cid]
            above = (org_key, f"customer:{cid}")  # one tuple shared by the customer's contacts
            for contact in contacts:
                add(Target("contact", contact.id, contact.location, customer, contact, None, above))
    else:
        links_of, owners = index.links_by_customer, index.link_owners
        for cid in ids:
            links = links_of.get(cid)
            if not links:
                continue
            customer = customers[cid]
            above = (org_key, f"customer:{cid}")
            for link in links:
                owner_id = link.contact
                if owner_id:
                    ancestors = (*above, f"contact:{owner_id}")
                    add(Target("link", link.id, link.location, customer, owners.get(owner_id), link, ancestors))
                else:
                    add(Target("link", link.id, link.location, customer, None, link, above))
    return out
