"""``portaldoctor catalogue``: every check, code, remedy, symptom and product rule, as Markdown."""

from __future__ import annotations

from typing import TextIO


def catalogue(*, stream: TextIO) -> int:
    """Print the catalogue page (``docs/catalogue.md``)."""
    from portaldoctor import catalogue as page
    from portaldoctor.plugins import Plugins

    plugins = Plugins.load()
    stream.write(page.render(plugins.registry, plugins.books))
    return 0
