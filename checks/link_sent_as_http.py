"""Links sent as http://."""

from __future__ import annotations

from collections.abc import Iterator

from portaldoctor.check import CheckContext, CheckSpec, Outcome, Scope, Target, fail, skip
from portaldoctor.knowledge import links as probe
from portaldoctor.knowledge.redaction import redact_url


class LinkSentAsHttp:
    """The link itself must start with https://.

    An http:// link makes the browser warn that the connection is not private, whatever the
    organisation's settings say today: the link was written when it was sent.

    Passes::

        links: [{id: L1, customer: c1, url: "https://pay.example.com/p/abc"}]

    Fails (``link-sent-as-http``, with ``--link http://pay.example.com/p/abc``)::

        links: [{id: L1, customer: c1}]
    """

    spec = CheckSpec(
        id="link-sent-as-http",
        title="The link uses https://",
        scope=Scope.LINK,
        codes=("link-sent-as-http",),
        tags=("links", "https"),
        samples={
            "link-sent-as-http": {
                "customer_name": "Acme Ltd",
                "url": "http://pay.acme.example/p/abc…#3f9a2c",
                "https_links": False,
                "domain": "acme.example",
            }
        },
    )

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        link = target.link
        assert link is not None and target.customer is not None
        url = probe.link_url(ctx.inputs.clicked, link)
        if not url:
            yield skip(self.spec.id, "the link record has no URL")
            return
        if url.strip().lower().startswith("http://"):
            yield fail(
                "link-sent-as-http",
                observed="http://",
                expected="https://",
                customer_name=target.customer.name,
                url=redact_url(url.strip()),
                https_links=ctx.org.deliverability.https_links,
                domain=ctx.org.deliverability.domain,
            )
