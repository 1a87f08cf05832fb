"""Request-access from the portal sign-in page."""

from __future__ import annotations

from collections.abc import Iterator

from portaldoctor.check import CheckContext, CheckSpec, Outcome, Scope, Subject, Target, fail


class AccessRequests:
    """A customer's "Request access" only works for customers the platform imported.

    The sign-in page lets a customer ask for an invitation by email. It succeeds only when the
    email belongs to a customer the platform knows, and platforms import only customers marked
    active in the accounting system unless told to import all customers.

    Passes::

        organisation: {accounting: {import_inactive_customers: true}}

    Fails (``inactive-customer-not-imported``)::

        organisation: {accounting: {import_inactive_customers: false}}
        customers: [{id: c1, name: Acme, active: false}]
        contacts: [{id: p1, customer: c1, email: ap@acme.example}]
        access_requests: [{email: ap@acme.example}]
    """

    spec = CheckSpec(
        id="access-requests",
        title="Customers who request portal access can be found",
        scope=Scope.ORG,
        codes=("inactive-customer-not-imported", "access-request-unknown-email"),
        tags=("invitation", "accounting"),
        samples={
            "inactive-customer-not-imported": {
                "email": "ap@acme.example",
                "customer_name": "Acme",
                "system": "NetSuite",
            },
            "access-request-unknown-email": {"email": "ap@acme.example"},
        },
    )

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        importing_all = ctx.org.accounting.import_inactive_customers
        for request in ctx.tenant.access_requests:
            contacts = ctx.index.contacts_with_email(request.email)
            customers = [ctx.index.customers[c.customer] for c in contacts]
            if not customers:
                yield fail(
                    "access-request-unknown-email",
                    observed=request.email,
                    expected="an email of a known customer contact",
                    email=request.email,
                )
            elif all(c.active is False for c in customers) and not importing_all:
                yield fail(
                    "inactive-customer-not-imported",
                    subject=Subject("customer", customers[0].id, customers[0].name, customers[0].id),
                    location=customers[0].location,
                    observed="customer inactive in the accounting system",
                    expected="active, or all customers imported",
                    email=request.email,
                    customer_name=customers[0].name,
                    system=ctx.org.accounting.system or "the accounting system",
                )
