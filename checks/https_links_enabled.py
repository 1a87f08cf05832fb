"""HTTPS portal links."""

from __future__ import annotations

from collections.abc import Iterator

from portaldoctor.check import CheckContext, CheckSpec, Outcome, Scope, Target, fail, skip


class HttpsLinksEnabled:
    """Portal links must be sent as https:// addresses.

    With HTTPS links off, customers receive http:// links and their browser warns that the
    connection is not private. Products that serve links from the organisation's own domain can
    only switch HTTPS on once the DNS records they generated are published and verified; then
    the fix belongs to the IT team.

    Passes::

        organisation: {deliverability: {https_links: true}}

    Fails (``https-links-blocked-by-dns``)::

        organisation: {deliverability: {https_links: false, dns_verified: false}}
    """

    spec = CheckSpec(
        id="https-links-enabled",
        title="Portal links are sent over HTTPS",
        scope=Scope.ORG,
        codes=("https-links-off", "https-links-blocked-by-dns"),
        tags=("links", "https", "deliverability"),
        samples={
            "https-links-off": {"domain": "billing.acme.example"},
            "https-links-blocked-by-dns": {
                "domain": "billing.acme.example",
                "unverified_records": ["CNAME links.billing.acme.example"],
            },
        },
    )

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        settings = ctx.org.deliverability
        if settings.https_links is None:
            yield skip(self.spec.id, "the tenant does not say whether HTTPS links are on")
            return
        if settings.https_links:
            return
        if settings.dns_verified is False:
            pending = [f"{r.type} {r.host}" for r in ctx.org.dns_records if r.status != "verified"]
            yield fail(
                "https-links-blocked-by-dns",
                observed="HTTPS links off; DNS records not verified",
                expected="DNS records verified, then HTTPS links on",
                domain=settings.domain,
                unverified_records=pending,
            )
        else:
            yield fail(
                "https-links-off",
                observed="off",
                expected="on",
                domain=settings.domain,
            )
