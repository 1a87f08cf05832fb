"""``portaldoctor schema``: the JSON Schema of tenant files, for editors."""

from __future__ import annotations

import json
from typing import TextIO


def schema(*, stream: TextIO) -> int:
    """Print the JSON Schema of the tenant file."""
    from portaldoctor.snapshot.model import json_schema

    stream.write(json.dumps(json_schema(), indent=2) + "\n")
    return 0
