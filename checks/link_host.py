"""Links that point at a host other than the tenant's portal host."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from portaldoctor.check import CheckContext, CheckSpec, Outcome, Scope, Target, fail, skip
from portaldoctor.knowledge import links as probe
from portaldoctor.knowledge.redaction import redact_url


def _host(name: str) -> str:
    return name.strip().rstrip(".").lower()


class LinkHost:
    """The link must point at the tenant's portal host (or its link-tracking host).

    A link on an old domain, a staging host or a mistyped host never reaches the portal.

    Passes::

        organisation: {portal: {host: pay.acme.example}}
        links: [{id: L1, customer: c1, url: "https://pay.acme.example/p/abc"}]

    Fails (``link-wrong-host``, with ``--link https://pay.acme-old.example/p/abc``)::

        organisation: {portal: {host: pay.acme.example}}
        links: [{id: L1, customer: c1}]
    """

    spec = CheckSpec(
        id="link-host",
        title="The link points at the tenant's portal host",
        scope=Scope.LINK,
        codes=("link-wrong-host",),
        tags=("links", "dns"),
        samples={
            "link-wrong-host": {
                "customer_name": "Acme Ltd",
                "host": "pay.acme-old.example",
                "expected_host": "pay.acme.example",
                "url": "https://pay.acme-old.example/p/abc…#3f9a2c",
            }
        },
    )

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        link = target.link
        assert link is not None and target.customer is not None
        url = probe.link_url(ctx.inputs.clicked, link)
        expected = ctx.org.portal.host
        if not url or not expected:
            yield skip(self.spec.id, "no link URL or no portal host in the tenant")
            return
        try:
            host = urlsplit(url.strip()).hostname
        except ValueError:
            host = None
        allowed = {_host(expected)} | {
            _host(r.host) for r in ctx.org.dns_records if (r.purpose or "").lower() == "link tracking"
        }
        if host is None or _host(host) not in allowed:
            yield fail(
                "link-wrong-host",
                observed=host,
                expected=expected,
                customer_name=target.customer.name,
                host=host,
                expected_host=expected,
                url=redact_url(url.strip()),
            )
