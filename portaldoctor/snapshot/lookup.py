"""Find the customer an agent means: by id, external id, name or a contact's email."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from portaldoctor.errors import InputError
from portaldoctor.snapshot.index import normalise_email

if TYPE_CHECKING:
    from portaldoctor.snapshot.model import Customer, Tenant


def find_customer(tenant: Tenant, query: str) -> Customer:
    """Match id, external id, name (case-insensitive) or a contact's email; else list the closest."""
    q = query.strip()
    fold = q.casefold()
    matches = [c for c in tenant.customers if q in (c.id, c.external_id) or c.name.casefold() == fold]
    if not matches:
        ids = {ct.customer for ct in tenant.contacts if ct.email and normalise_email(ct.email) == fold}
        matches = [c for c in tenant.customers if c.id in ids]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        listed = ", ".join(f"{c.name} ({c.id})" for c in matches[:8])
        raise InputError(f"'{query}' matches several customers: {listed}; give the id", field="CUSTOMER")
    names = {c.name.casefold(): c for c in tenant.customers}
    names.update({c.id.casefold(): c for c in tenant.customers})
    close = difflib.get_close_matches(fold, list(names), n=5, cutoff=0.5)
    partial = [c for key, c in names.items() if fold and fold in key]
    suggestions = list(dict.fromkeys([names[k] for k in close] + partial))[:5]
    hint = (
        "; closest: " + ", ".join(f"{c.name} ({c.id})" for c in suggestions)
        if suggestions
        else "; run 'portaldoctor audit' to see every customer"
    )
    raise InputError(f"no customer matches '{query}'{hint}", field="CUSTOMER")
