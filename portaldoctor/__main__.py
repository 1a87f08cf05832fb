"""Entry point for ``python -m portaldoctor``."""

from portaldoctor.cli import entry

entry()
