"""Effective settings: defaults, then ``.portaldoctor.yaml`` (found walking up), PORTALDOCTOR_* vars, flags."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from portaldoctor import yamlio
from portaldoctor.errors import InputError, SourceLocation
from portaldoctor.reporters import Format

FILENAMES = (".portaldoctor.yaml", ".portaldoctor.yml")
ENV_PREFIX = "PORTALDOCTOR_"


def _bool(text: Any) -> bool:
    if isinstance(text, bool):
        return text
    value = str(text).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"'{text}' is not true or false")


def _float(text: Any) -> float:
    value = float(text)
    if value <= 0:
        raise ValueError("must be greater than 0")
    return value


def _str(text: Any) -> str:
    if isinstance(text, list | dict):
        raise ValueError("expected one value")
    return str(text)


def _list(text: Any) -> list[str]:
    if isinstance(text, list):
        return [str(v) for v in text]
    # Environment variables: several values separated by commas.
    return [v.strip() for v in str(text).split(",") if v.strip()]


def _choice(*choices: str) -> Callable[[Any], str]:
    def parse(text: Any) -> str:
        value = str(text).strip().lower()
        if value not in choices:
            raise ValueError(f"'{text}' is not one of {', '.join(choices)}")
        return value

    return parse


@dataclass(frozen=True)
class Option:
    """One configurable setting: its parser, default, and whether it holds paths."""

    parse: Callable[[Any], Any]
    default: Any
    help: str
    paths: bool = False
    """Relative paths in the config file are taken relative to the file, not the current directory."""


OPTIONS: dict[str, Option] = {
    "tenant": Option(_str, "demo", "tenant snapshot file or folder", paths=True),
    "format": Option(_choice(*(f.value for f in Format)), "table", "stdout format"),
    "fail_on": Option(_choice("warn", "fail"), "fail", "lowest status that fails the run"),
    "offline": Option(_bool, False, "skip network checks"),
    "timeout": Option(_float, 10.0, "seconds per network check"),
    "deadline": Option(_float, None, "seconds for all network checks (default per command)"),
    "output": Option(_list, [], "extra outputs FORMAT:PATH", paths=True),
    "suppressions": Option(_list, [], "suppressions files", paths=True),
    "baseline": Option(_str, None, "baseline file", paths=True),
    "sarif_root": Option(_str, None, "directory SARIF paths are relative to", paths=True),
    "quiet": Option(_bool, False, "no progress and no default report on stdout"),
}


@dataclass(frozen=True)
class Setting:
    """A value and where it came from."""

    value: Any
    source: str
    """``default``, ``FILE:LINE``, ``env PORTALDOCTOR_X`` or ``flag``."""


@dataclass(frozen=True)
class Settings:
    """The effective settings of a run."""

    values: Mapping[str, Setting]
    file: Path | None = None

    def __getitem__(self, name: str) -> Any:
        return self.values[name].value


def find_config(start: Path | None = None) -> Path | None:
    """The nearest ``.portaldoctor.yaml`` in the directory or one of its parents."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for name in FILENAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
    return None


def _relative(value: Any, base: Path, name: str) -> Any:
    """Anchor relative paths of the config file at its directory."""

    def anchor(text: str) -> str:
        return text if Path(text).is_absolute() else str(base / text)

    def one(text: str) -> str:
        if name == "output":
            fmt, sep, path = text.partition(":")
            return f"{fmt}:{anchor(path)}" if sep and path != "-" else text
        if name == "tenant" and text == "demo":
            return text
        return anchor(text)

    return [one(v) for v in value] if isinstance(value, list) else one(value)


def read_file(path: Path) -> dict[str, Setting]:
    """Settings from a config file, each with its file:line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", location=SourceLocation(str(path))) from None
    locations: yamlio.Locations = {}
    data = yamlio.load(text, str(path), locations=locations)
    if not isinstance(data, dict):
        raise InputError("expected a mapping of settings", location=SourceLocation(str(path), 1))
    out: dict[str, Setting] = {}
    for key, raw in data.items():
        name = str(key).replace("-", "_")
        where = locations.get((key,), SourceLocation(str(path)))
        if name not in OPTIONS:
            known = ", ".join(n.replace("_", "-") for n in OPTIONS)
            raise InputError(f"unknown setting '{key}'; known: {known}", location=where)
        option = OPTIONS[name]
        try:
            value = option.parse(raw)
        except (TypeError, ValueError) as exc:
            raise InputError(str(exc), location=where, field=str(key)) from None
        if option.paths and value is not None:
            value = _relative(value, path.parent, name)
        out[name] = Setting(value, f"{where.file}:{where.line}")
    return out


def resolve(
    *,
    flags: Mapping[str, Any] | None = None,
    defaults: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Settings:
    """Defaults < config file < environment < flags; ``flags`` holds only options given on the command line."""
    env = os.environ if env is None else env
    chosen = env.get(ENV_PREFIX + "CONFIG")
    file = Path(chosen) if chosen else find_config(cwd)
    if chosen and not file.is_file():  # type: ignore[union-attr]
        raise InputError("config file not found", location=SourceLocation(chosen), field=ENV_PREFIX + "CONFIG")
    values = {name: Setting((defaults or {}).get(name, opt.default), "default") for name, opt in OPTIONS.items()}
    if file is not None:
        values.update(read_file(file))
    for name, option in OPTIONS.items():
        var = ENV_PREFIX + name.upper()
        if var in env:
            try:
                values[name] = Setting(option.parse(env[var]), f"env {var}")
            except (TypeError, ValueError) as exc:
                raise InputError(str(exc), field=var) from None
    for name, value in (flags or {}).items():
        if name in OPTIONS:
            values[name] = Setting(value, "flag")
    return Settings(values, file)


def show(settings: Settings) -> str:
    """``portaldoctor config show``: every setting, its value and where it came from."""

    def fmt(value: Any) -> str:
        if value is None:
            return "-"
        if isinstance(value, list):
            return ", ".join(value) if value else "-"
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    rows = [(name.replace("_", "-"), fmt(s.value), s.source) for name, s in settings.values.items()]
    w1 = max(len(r[0]) for r in rows)
    w2 = max(len(r[1]) for r in rows)
    lines = [f"{'setting':<{w1}}  {'value':<{w2}}  source"]
    lines += [f"{a:<{w1}}  {b:<{w2}}  {c}" for a, b, c in rows]
    lines.append(f"config file: {settings.file if settings.file else 'none found'}")
    return "\n".join(lines) + "\n"
