"""``portaldoctor symptoms``: what customers report, and the findings that explain each."""

from __future__ import annotations

from typing import TextIO


def symptoms_list(*, stream: TextIO, platform: str | None = None) -> int:
    """Print every known symptom phrase and the codes that explain it (one profile's, or every profile's)."""
    from portaldoctor.plugins import Plugins

    plugins = Plugins.load()
    index = plugins.profile(platform).symptoms if platform else plugins.books.symptoms
    width = max(len(p) for p in index)
    for phrase in sorted(index, key=str.casefold):
        stream.write(f"{phrase:<{width}}  {', '.join(sorted(index[phrase]))}\n")
    stream.write(f'{len(index)} symptoms. Use: portaldoctor diagnose CUSTOMER --symptom "TEXT"\n')
    return 0
