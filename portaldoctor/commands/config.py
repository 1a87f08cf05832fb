"""``portaldoctor config show``: the effective settings and where each came from."""

from __future__ import annotations

from typing import TextIO


def config_show(*, stream: TextIO) -> int:
    """Print every setting, its value and its source (default, .portaldoctor.yaml, environment)."""
    from portaldoctor import config

    stream.write(config.show(config.resolve()))
    return 0
