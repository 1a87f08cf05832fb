"""The checks and playbooks a run uses, loaded together: every check's codes have a remedy."""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from portaldoctor.errors import InputError, SourceLocation

if TYPE_CHECKING:
    from portaldoctor.playbooks.model import Playbook, PlaybookSet
    from portaldoctor.registry import Registry
    from portaldoctor.report import CheckInfo
    from portaldoctor.snapshot.model import Tenant


@dataclass(frozen=True)
class Plugins:
    """The registered checks and the shipped playbooks."""

    registry: Registry
    books: PlaybookSet

    @classmethod
    def load(cls, profile: str | None = None) -> Plugins:
        """Playbooks first, then the checks, whose codes must all have a generic remedy.

        ``profile``: build only that platform's playbook besides generic (what a run needs).
        Templates are not compiled here: the test suite compiles every shipped one, and a run
        renders only those it needs.
        """
        from portaldoctor import registry
        from portaldoctor.playbooks.load import load_builtin

        books = load_builtin(profile, compile_check=False)
        return cls(registry.discover(set(books.generic.entries)), books)

    def playbook_for(self, tenant: Tenant) -> Playbook:
        """The playbook of the tenant's ``platform:`` (generic when it names none).

        A platform without a profile is an error at the tenant's line, with the nearest profile:
        falling back to generic would give the wrong product's menu paths without a word.
        """
        platform = tenant.platform
        if platform is None:
            return self.books.generic
        book = self.books.playbooks.get(platform.lower())
        if book is not None:
            return book
        raise InputError(
            self.books.unknown(platform) + " (or leave platform out for generic)",
            location=tenant.field_location("platform") or SourceLocation("tenant"),
            field="platform",
        )

    def profile(self, name: str, *, option: str = "--platform") -> Playbook:
        """The playbook of a profile named on the command line; an error with the nearest name otherwise."""
        try:
            return self.books.profile(name.strip())
        except KeyError:
            raise InputError(self.books.unknown(name.strip()), field=option) from None

    @property
    def catalogue(self) -> Mapping[str, CheckInfo]:
        """What a report says about each check: title, documentation, tags."""
        from portaldoctor.report import CheckInfo

        return {
            spec.id: CheckInfo(spec.title, inspect.cleandoc(type(check).__doc__ or ""), spec.tags)
            for spec, check in ((c.spec, c) for c in self.registry.checks.values())
        }
