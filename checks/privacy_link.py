"""Privacy disclosure link for client consent."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from portaldoctor.check import CheckContext, CheckSpec, Outcome, Scope, Target, fail, skip


class PrivacyLink:
    """Portals that collect client data need a privacy disclosure link the client consents to.

    Without it the product refuses to send the invitation and says the privacy link is
    missing. The link must be a full https:// address.

    Passes::

        platform: salestrekker    # requires the link
        organisation: {portal: {privacy_disclosure_enabled: true, privacy_link: "https://acme.example/privacy"}}

    Fails (``privacy-link-not-https``)::

        platform: salestrekker
        organisation: {portal: {privacy_disclosure_enabled: true, privacy_link: "acme.example/privacy"}}
    """

    spec = CheckSpec(
        id="privacy-link",
        title="Privacy disclosure link is set and is an https URL",
        scope=Scope.ORG,
        codes=("privacy-link-missing", "privacy-link-not-https"),
        tags=("privacy", "invitation"),
        samples={"privacy-link-missing": {}, "privacy-link-not-https": {"link": "acme.example/privacy"}},
    )

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        portal = ctx.org.portal
        required = ctx.rules.privacy_link_required
        if not required and portal.privacy_link is None:
            yield skip(self.spec.id, "this platform does not require a privacy disclosure link")
            return
        if not portal.privacy_link or portal.privacy_disclosure_enabled is False:
            yield fail("privacy-link-missing", observed=None, expected="an https:// privacy disclosure URL")
            return
        parts = urlsplit(portal.privacy_link)
        if parts.scheme != "https" or not parts.netloc:
            yield fail(
                "privacy-link-not-https",
                observed=portal.privacy_link,
                expected="https://…",
                link=portal.privacy_link,
            )
