"""``portaldoctor checks list``: every registered check, built-in or a plugin's."""

from __future__ import annotations

import json
from typing import TextIO


def checks_list(*, stream: TextIO, as_json: bool = False) -> int:
    """Print id, scope and title of every check (``as_json``: everything its spec declares)."""
    from portaldoctor.plugins import Plugins

    specs = Plugins.load().registry.specs
    rows = [
        {
            "id": s.id,
            "title": s.title,
            "scope": s.scope.value,
            "codes": list(s.codes),
            "depends_on": list(s.depends_on),
            "network": s.network,
            "tags": list(s.tags),
        }
        for s in specs
    ]
    if as_json:
        stream.write(json.dumps({"checks": rows}, indent=2) + "\n")
        return 0
    width = max(len(s.id) for s in specs)
    for r in rows:
        net = " [network]" if r["network"] else ""
        stream.write(f"{r['id']:<{width}}  {r['scope']:<8}  {r['title']}{net}\n")
    stream.write(f"{len(rows)} checks\n")
    return 0
