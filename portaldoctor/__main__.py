"""Entry point for ``python -m portaldoctor``."""

from portaldoctor.cli import main

raise SystemExit(main())
