"""``portaldoctor token TOKEN-OR-URL``: decode a token without any secret; verify it with a key."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from portaldoctor.errors import InputError
from portaldoctor.reporters import Format

if TYPE_CHECKING:
    from portaldoctor.knowledge.tokens import Key
    from portaldoctor.outputs import Outputs
    from portaldoctor.snapshot.sources import TenantSource

FORMATS = (Format.TABLE, Format.JSON)
"""What ``token`` writes: it judges one token, so there is no report of findings to write."""


def token(
    *,
    text: str,
    outputs: Outputs,
    now: dt.datetime,
    key_file: str | None = None,
    key_env: str | None = None,
    algorithms: Sequence[str] = (),
    salt: str | None = None,
    source: TenantSource | None = None,
    tz: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    """Decode (and with a key, verify) one token or link; exit 1 when it would not work.

    With a tenant, the link record it belongs to gives the lifetime a token does not carry.
    """
    from portaldoctor import outputs as emit
    from portaldoctor.clicked import aligned, judge, make_clock, match_dict, timeline_dict, token_dict
    from portaldoctor.knowledge import tokens as tk

    clock = make_clock(now, tz)
    decoded = tk.decode(text)
    key = load_key(key_file=key_file, key_env=key_env, environ=environ)
    result = tk.verify(decoded, key, algorithms=algorithms or None, salt=salt) if key else None
    tenant = source.load() if source is not None else None
    clicked = judge(text, clock=clock, tenant=tenant, verification=result, decoded=decoded)

    def render(fmt: Format, color: bool) -> str | Iterable[str]:
        if fmt is Format.JSON:
            doc = {
                "token": token_dict(decoded),
                "timeline": timeline_dict(clicked.timeline, clock),
                "verification": clicked.to_dict().get("verification"),
            }
            if clicked.match is not None:
                doc["link"] = match_dict(clicked.match)
            return json.dumps(doc, indent=2, ensure_ascii=False)
        return aligned(clicked.rows())

    emit.write(outputs.targets, render, color=outputs.color, secrets=clicked.secrets)
    return 0 if clicked.usable else 1


def load_key(
    *, key_file: str | None = None, key_env: str | None = None, environ: Mapping[str, str] | None = None
) -> Key | None:
    """The key from ``--key-file`` or ``--key-env`` (never from a command-line value)."""
    from portaldoctor.knowledge.tokens.formats import MAX_KEY_BYTES
    from portaldoctor.knowledge.tokens.verify import parse_key

    if key_file and key_env:
        raise InputError("give either --key-file or --key-env, not both", field="--key-file")
    if key_file:
        try:
            with open(key_file, "rb") as fh:
                data = fh.read(MAX_KEY_BYTES + 1)
        except OSError as exc:
            raise InputError(f"cannot read {key_file}: {exc.strerror or exc}", field="--key-file") from None
        return parse_key(data, f"file {key_file}")
    if key_env:
        env = os.environ if environ is None else environ
        if key_env not in env:
            raise InputError(f"environment variable {key_env} is not set", field="--key-env")
        return parse_key(env[key_env].encode("utf-8", "surrogateescape"), f"environment variable {key_env}")
    return None
