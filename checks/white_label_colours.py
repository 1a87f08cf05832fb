"""White-label colours."""

from __future__ import annotations

import re
from collections.abc import Iterator

from portaldoctor.check import CheckContext, CheckSpec, Outcome, Scope, Target, fail

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


class WhiteLabelColours:
    """Portal brand colours must be hexadecimal colour values such as ``#1F6FEB``.

    Products accept the primary and banner colours as hex values; anything else is rejected
    or leaves the portal in the default palette.

    Passes::

        organisation: {portal: {white_label: {primary_color: "#1F6FEB"}}}

    Fails (``white-label-colour-invalid``)::

        organisation: {portal: {white_label: {primary_color: "blue"}}}
    """

    spec = CheckSpec(
        id="white-label-colours",
        title="White-label colours are valid hex values",
        scope=Scope.ORG,
        codes=("white-label-colour-invalid",),
        tags=("portal", "branding"),
        samples={"white-label-colour-invalid": {"element": "primary", "value": "blue"}},
    )

    def run(self, ctx: CheckContext, target: Target) -> Iterator[Outcome]:
        colours = ctx.org.portal.white_label
        if colours is None:
            return
        for element, value in (("primary", colours.primary_color), ("banner", colours.banner_color)):
            if value is not None and not _HEX.match(value):
                yield fail(
                    "white-label-colour-invalid",
                    observed=value,
                    expected="#RRGGBB",
                    element=element,
                    value=value,
                )
