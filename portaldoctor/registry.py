"""Discover checks through the ``portaldoctor.checks`` entry-point group and validate them."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points

from portaldoctor.check import Check, CheckSpec, Scope
from portaldoctor.errors import PluginError

log = logging.getLogger(__name__)

GROUP = "portaldoctor.checks"
_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Registry:
    """The loaded checks, by id, in a stable order."""

    checks: Mapping[str, Check]

    def get(self, check_id: str) -> Check:
        """The check with this id; KeyError when unknown."""
        return self.checks[check_id]

    @property
    def specs(self) -> list[CheckSpec]:
        """Specs of every check, sorted by id."""
        return [c.spec for c in self.checks.values()]

    def by_code(self) -> dict[str, Check]:
        """Map each finding code to the check that emits it."""
        return {code: check for check in self.checks.values() for code in check.spec.codes}


def _load_entry_point(ep: EntryPoint) -> Check:
    try:
        obj = ep.load()
    except Exception as exc:  # a broken plugin must name itself
        raise PluginError(f"check plugin '{ep.name}' ({ep.value}) failed to import: {exc}") from exc
    check = obj() if isinstance(obj, type) else obj
    spec = getattr(check, "spec", None)
    if not isinstance(spec, CheckSpec):
        raise PluginError(f"check plugin '{ep.name}' ({ep.value}) has no CheckSpec 'spec'")
    if spec.id != ep.name:
        raise PluginError(f"check plugin '{ep.name}' ({ep.value}) declares id '{spec.id}'; they must agree")
    return check  # type: ignore[no-any-return]


def validate(checks: Iterable[Check], generic_codes: set[str]) -> Registry:
    """Apply the registry rules: kebab-case unique ids, known dependencies, every code remedied."""
    loaded: dict[str, Check] = {}
    for check in checks:
        spec = check.spec
        if not _ID.match(spec.id):
            raise PluginError(f"check id '{spec.id}' is not kebab-case")
        if spec.id in loaded:
            raise PluginError(f"check id '{spec.id}' is registered twice")
        if not isinstance(spec.scope, Scope):
            raise PluginError(f"check '{spec.id}' has an unknown scope {spec.scope!r}")
        if not spec.codes:
            raise PluginError(f"check '{spec.id}' declares no finding codes")
        missing = [code for code in spec.codes if code not in generic_codes]
        if missing:
            raise PluginError(
                f"check '{spec.id}' emits code(s) with no entry in playbooks/generic.yaml: " + ", ".join(missing)
            )
        loaded[spec.id] = check
    for spec in (c.spec for c in loaded.values()):
        for dep in spec.depends_on:
            if dep not in loaded:
                raise PluginError(f"check '{spec.id}' depends on unknown check '{dep}'")
    return Registry(dict(sorted(loaded.items())))


def discover(generic_codes: set[str]) -> Registry:
    """Load every check registered in the entry-point group, built-in or third-party."""
    eps = entry_points(group=GROUP)
    names = [ep.name for ep in eps]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise PluginError("check id registered twice: " + ", ".join(dupes))
    if not eps:
        raise PluginError(f"no checks found in entry-point group '{GROUP}'; is portaldoctor installed (pip install .)?")
    return validate((_load_entry_point(ep) for ep in eps), generic_codes)
