"""docs/catalogue.md is generated from the checks and playbooks and kept up to date."""

from __future__ import annotations

from pathlib import Path

from portaldoctor import catalogue
from portaldoctor.plugins import Plugins

DOC = Path(__file__).resolve().parent.parent / "docs" / "catalogue.md"


def test_committed_catalogue_matches_generated() -> None:
    plugins = Plugins.load()
    registry, books = plugins.registry, plugins.books
    generated = catalogue.render(registry, books)
    assert DOC.read_text(encoding="utf-8") == generated, "run: portaldoctor catalogue > docs/catalogue.md"
    for spec in registry.specs:
        assert f"## {spec.id}" in generated
        for code in spec.codes:
            assert f"### `{code}`" in generated
