"""Browsers the portal is known not to work in."""

from __future__ import annotations

from collections.abc import Iterator

from portaldoctor.check import CheckContext, CheckSpec, Outcome, Scope, Target, fail, skip


class BrowserCompatibility:
    """Some portal pages do not work in some browsers.

    When the customer says which browser they use (``--symptom "keeps loading in Safari"`` or
    ``--browser safari``) and the product documents an incompatibility for it, that is the
    likely cause of a page that never finishes loading.

    Passes (with ``--browser chrome``)::

        platform: salestrekker    # its profile lists Safari as not working on the Liabilities page

    Fails (``browser-incompatible``, with ``--browser safari``)::

        platform: salestrekker
    """

    spec = CheckSpec(
        id="browser-compatibility",
        title="The customer's browser is supported by the portal",
        scope=Scope.ORG,
        codes=("browser-incompatible",),
        tags=("browser", "portal"),
        samples={"browser-incompatible": {"browser": "Safari", "pages": "the Liabilities page"}},
    )

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        browser = ctx.inputs.browser
        if not browser:
            yield skip(self.spec.id, "no browser given (use --browser or name it in --symptom)")
            return
        known = {k.lower(): v for k, v in ctx.rules.incompatible_browsers.items()}
        pages = known.get(str(browser).lower())
        if pages is not None:
            yield fail(
                "browser-incompatible",
                observed=str(browser).title(),
                expected="a supported browser such as Chrome",
                browser=str(browser).title(),
                pages=pages,
            )
