"""Tenants in files: one YAML or JSON file, with side files in CSV, JSON Lines or JSON for large lists.

Nothing here writes: files are opened for reading only.
"""

from __future__ import annotations

import csv
import json
import os
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from portaldoctor import yamlio
from portaldoctor.errors import InputError, SourceLocation
from portaldoctor.yamlio import Locations
from portaldoctor.yamlio import Path as KeyPath

if TYPE_CHECKING:
    from portaldoctor.snapshot.model import Tenant

#: Top-level lists that may live in a side file: ``contacts: {file: contacts.csv}``.
SIDE_FILE_KEYS = ("customers", "contacts", "users", "links", "access_requests")
TENANT_FILES = ("tenant.yaml", "tenant.yml", "tenant.json")


class FileSource:
    """A tenant file (or the folder holding ``tenant.yaml``) and the side files it names."""

    def __init__(self, spec: str | os.PathLike[str]) -> None:
        self.given = os.fspath(spec)
        self.path = _tenant_file(Path(spec))

    @property
    def label(self) -> str:
        """The path as given."""
        return self.given

    @property
    def splittable(self) -> bool:
        """A regular file reads the same every time; a pipe or a device gives its text once."""
        return not self.path.exists() or self.path.is_file()

    @property
    def evidence(self) -> Path | None:
        """Files carry no recorded evidence of their own (``--replay FILE`` gives it)."""
        return None

    def load(self) -> Tenant:
        """Read and validate the tenant and its side files."""
        return _load(self.path)


def _tenant_file(path: Path) -> Path:
    """``--tenant``: a file, or a folder holding one of ``TENANT_FILES``."""
    if path.is_dir():
        for name in TENANT_FILES:
            if (path / name).is_file():
                return path / name
        raise InputError(
            "folder holds no " + ", ".join(TENANT_FILES[:-1]) + " or " + TENANT_FILES[-1],
            location=SourceLocation(str(path)),
        )
    return path


def _read_text(path: Path, *, referenced_from: SourceLocation | None = None) -> str:
    with _unreadable(path, referenced_from):
        raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _not_utf8(str(path), raw) from None


def _not_utf8(filename: str, raw: bytes | None = None) -> InputError:
    """The error for a file that is not UTF-8, at the line and byte of its first bad byte."""
    try:
        data = Path(filename).read_bytes() if raw is None else raw
        data.decode("utf-8")  # a BOM is valid UTF-8, so offsets count from the file's first byte
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return InputError(f"not UTF-8 text (byte {exc.start})", location=SourceLocation(filename, line))
    except OSError:
        pass
    return InputError("not UTF-8 text", location=SourceLocation(filename))


@contextmanager
def _unreadable(path: Path, referenced_from: SourceLocation | None) -> Iterator[None]:
    """A file that cannot be opened or read becomes an InputError naming it."""
    try:
        yield
    except FileNotFoundError:
        raise InputError(f"file not found: {path}", location=referenced_from) from None
    except IsADirectoryError:
        raise InputError(f"is a directory, not a file: {path}", location=referenced_from) from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}", location=referenced_from) from None


def _open_text(path: Path, referenced_from: SourceLocation | None) -> TextIO:
    """A side file opened for reading line by line, as UTF-8 (a leading BOM is skipped).

    CSV and JSON Lines files are read as they are parsed rather than whole, so that the file's
    bytes, its text and its lines are never held at once (benchmarks/ANALYSIS.md, "Reading").
    """
    with _unreadable(path, referenced_from):
        return open(path, encoding="utf-8-sig", newline="")  # the reader closes it


@contextmanager
def _utf8(filename: str) -> Iterator[None]:
    """Bytes that are not UTF-8, met while reading a side file, become an InputError at their line."""
    try:
        yield
    except UnicodeDecodeError:
        raise _not_utf8(filename) from None


def _load(path: Path) -> Tenant:
    """Load and validate a tenant. Raises InputError on any bad input."""
    from pydantic import ValidationError

    from portaldoctor.snapshot.model import Tenant

    text = _read_text(path)
    if not text.strip():
        raise InputError("file is empty", location=SourceLocation(str(path), 1))
    locations = _Locations()
    data = yamlio.load(text, str(path), locations=locations)
    if not isinstance(data, dict):
        raise InputError(
            "a tenant file must be a mapping with 'organisation', 'customers', 'contacts', ...",
            location=SourceLocation(str(path), 1),
        )
    # Loading creates millions of long-lived objects and no garbage cycles; the collector would
    # walk them all again and again, so it waits until the end, and the command's process then
    # keeps them out of its sight (``collector_paused``; benchmarks/ANALYSIS.md, "The collector").
    from portaldoctor.heap import collector_paused

    with collector_paused():
        for key in SIDE_FILE_KEYS:
            ref = data.get(key)
            if isinstance(ref, dict):
                data[key] = _load_side_file(path, key, ref, locations)
        try:
            tenant = Tenant.model_validate(data)
        except ValidationError as exc:
            raise _validation_error(exc, locations, str(path)) from None
    _attach_sources(tenant, locations)
    _check_references(tenant, locations, str(path))
    return tenant


def _load_side_file(tenant_path: Path, key: str, ref: dict[str, Any], locations: _Locations) -> list[Any]:
    where = locations.get((key,), SourceLocation(str(tenant_path)))
    if set(ref) != {"file"} or not isinstance(ref.get("file"), str):
        raise InputError(
            "a side file reference is written {file: NAME.csv|.jsonl|.json}",
            location=where,
            field=key,
        )
    side = (tenant_path.parent / ref["file"]).resolve()
    suffix = side.suffix.lower()
    rows: list[Any] = []  # model objects, or dicts of rows that did not validate
    reader: Iterator[tuple[int, dict[str, Any]]]
    if suffix == ".csv":
        reader = _csv_rows(_open_text(side, where), str(side))
    elif suffix in (".jsonl", ".ndjson"):
        reader = _jsonl_rows(_open_text(side, where), str(side))
    elif suffix == ".json":
        reader = _json_rows(_read_text(side, referenced_from=where), str(side))
    else:
        _open_text(side, where).close()  # a missing file is reported as missing, whatever its name
        raise InputError(
            f"side file must be .csv, .jsonl or .json, not '{suffix or side.name}'",
            location=where,
            field=key,
        )
    from pydantic import ValidationError

    # Each row becomes its object as it is read, so its dict is freed at once rather than held
    # beside it (benchmarks/ANALYSIS.md, "Reading"). The tenant's validation accepts the objects
    # as they are; an invalid row stays a dict and is reported by that validation exactly as
    # before (first problem, file:line, count).
    #
    # Each object gets its file:line as it is made. For error messages, the row's line numbers
    # are also kept in a compact array rather than as a location per row in the key-path map.
    from portaldoctor.snapshot.model import LOCATION_SLOT

    validate = _item_model(key).__pydantic_validator__.validate_python
    filename = str(side)
    lines = locations.side_rows(key, filename)
    add_line, add_row, setattr_, new = lines.append, rows.append, object.__setattr__, tuple.__new__
    for line, row in reader:
        add_line(line)
        try:
            item = validate(row)
        except ValidationError:
            add_row(row)
            continue
        # ``model.locate``, inlined for speed; ``SourceLocation(filename, line)`` without the
        # named tuple's Python-level ``__new__``.
        setattr_(item, LOCATION_SLOT, new(SourceLocation, (filename, line, 0)))
        add_row(item)
    return rows


class _Locations(dict[KeyPath, SourceLocation]):
    """Where each key path of the tenant file is, plus the rows of its side files, by line."""

    def __init__(self) -> None:
        super().__init__()
        self.side: dict[str, tuple[str, array[int]]] = {}

    def side_rows(self, key: str, filename: str) -> array[int]:
        """The line numbers of a side file's rows, in order, to be filled by the reader."""
        lines = array("q")
        self.side[key] = (filename, lines)
        return lines

    def get(self, key: KeyPath, default: SourceLocation | None = None) -> SourceLocation | None:  # type: ignore[override]
        found = super().get(key)
        if found is None and len(key) == 2 and key[0] in self.side and isinstance(key[1], int):
            filename, lines = self.side[str(key[0])]
            if 0 <= key[1] < len(lines):
                return SourceLocation(filename, lines[key[1]])
        return default if found is None else found


def _item_model(key: str) -> Any:
    """The model class of one item of a top-level list, e.g. ``Contact`` for ``contacts``."""
    from typing import get_args

    from portaldoctor.snapshot.model import Tenant

    return get_args(Tenant.model_fields[key].annotation)[0]


def _csv_rows(handle: TextIO, filename: str) -> Iterator[tuple[int, dict[str, Any]]]:
    # csv.reader with the header stripped once, not DictReader, whose per-row dict building and
    # key stripping cost much of the load (benchmarks/ANALYSIS.md, "Reading").
    reader = csv.reader(handle)
    with handle, _utf8(filename):
        header = next(reader, None)
        if not header:
            raise InputError("CSV side file is empty (no header row)", location=SourceLocation(filename, 1))
        keys = [name.strip() for name in header]
        width = len(keys)
        for row in reader:
            if not row:
                continue  # blank lines, as DictReader skips them
            if len(row) > width:
                raise InputError(
                    "row has more cells than the header",
                    location=SourceLocation(filename, reader.line_num),
                )
            if "" in row:  # an empty cell is a missing value
                yield reader.line_num, {k: v for k, v in zip(keys, row, strict=False) if v}
            else:
                yield reader.line_num, dict(zip(keys, row, strict=False))


def _jsonl_rows(handle: TextIO, filename: str) -> Iterator[tuple[int, dict[str, Any]]]:
    with handle, _utf8(filename):
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"not valid JSON: {exc.msg}", location=SourceLocation(filename, number)) from None
            if not isinstance(row, dict):
                raise InputError("each line must be a JSON object", location=SourceLocation(filename, number))
            yield number, row


def _json_rows(text: str, filename: str) -> Iterator[tuple[int, dict[str, Any]]]:
    locations: Locations = {}
    data = yamlio.load(text, filename, locations=locations)
    if not isinstance(data, list):
        raise InputError("a JSON side file must hold a list of objects", location=SourceLocation(filename, 1))
    for i, row in enumerate(data):
        loc = locations.get((i,), SourceLocation(filename))
        if not isinstance(row, dict):
            raise InputError("each item must be an object", location=loc)
        yield loc.line, row


def _locate(locations: Locations, loc: KeyPath, default: str) -> SourceLocation:
    for end in range(len(loc), -1, -1):
        found = locations.get(tuple(loc[:end]))
        if found is not None:
            return found
    return SourceLocation(default)


def _validation_error(exc: Any, locations: Locations, filename: str) -> InputError:
    errors = exc.errors(include_url=False)
    first = errors[0]
    loc: KeyPath = tuple(first["loc"])
    # Drop pydantic's union / tag segments that are not keys of the file.
    path = tuple(p for p in loc if isinstance(p, int) or not str(p).startswith(("function-", "literal[")))
    field = ".".join(str(p) for p in path) or None
    if first["type"] in ("extra_forbidden", "unexpected_keyword_argument"):  # model, row (dataclass)
        message = "unknown key"
    elif first["type"] in ("missing", "missing_keyword_only_argument"):
        message = "required field is missing"
    else:
        message = first["msg"]
        if "input" in first and not isinstance(first["input"], dict | list):
            message += f" (got {first['input']!r})"
    more = len(errors) - 1
    if more:
        message += f" (and {more} more problem{'s' if more > 1 else ''})"
    return InputError(message, location=_locate(locations, path, filename), field=field)


def _attach_sources(tenant: Tenant, locations: Locations) -> None:
    from portaldoctor.snapshot.model import locate

    top = {str(key[0]): where for key, where in locations.items() if len(key) == 1}
    locate(tenant, locations.get((), None), fields=top)
    locate(tenant.organisation, locations.get(("organisation",)))
    for i, record in enumerate(tenant.organisation.dns_records):
        locate(record, locations.get(("organisation", "dns_records", i)))
    for key in SIDE_FILE_KEYS:
        if isinstance(locations, _Locations) and key in locations.side:
            continue  # side-file rows were located as they were read
        for i, item in enumerate(getattr(tenant, key)):
            locate(item, locations.get((key, i)))


def _check_references(tenant: Tenant, locations: Locations, filename: str) -> None:
    def dangling(key: str, i: int, field: str, message: str) -> InputError:
        where = locations.get((key, i, field)) or locations.get((key, i)) or SourceLocation(filename)
        return InputError(message, location=where, field=f"{key}.{i}.{field}")

    # Sets first, in C; rows are walked one by one only to name the first bad one.
    def unique(key: str) -> set[str]:
        items = getattr(tenant, key)
        ids = {item.id for item in items}
        if len(ids) < len(items):
            seen: set[str] = set()
            for i, item in enumerate(items):
                if item.id in seen:
                    raise dangling(key, i, "id", f"duplicate id '{item.id}'")
                seen.add(item.id)
        return ids

    customers, contacts, users, links = (unique(k) for k in ("customers", "contacts", "users", "links"))
    named_customers = {contact.customer for contact in tenant.contacts}
    owners = {contact.deal_owner for contact in tenant.contacts}
    owners.discard(None)
    if not named_customers <= customers or not owners <= users:
        for i, contact in enumerate(tenant.contacts):
            if contact.customer not in customers:
                raise dangling("contacts", i, "customer", f"no customer with id '{contact.customer}'")
            if contact.deal_owner is not None and contact.deal_owner not in users:
                raise dangling("contacts", i, "deal_owner", f"no user with id '{contact.deal_owner}'")
    for i, link in enumerate(tenant.links):
        if link.customer not in customers:
            raise dangling("links", i, "customer", f"no customer with id '{link.customer}'")
        if link.contact is not None and link.contact not in contacts:
            raise dangling("links", i, "contact", f"no contact with id '{link.contact}'")
        if link.superseded_by is not None and link.superseded_by not in links:
            raise dangling("links", i, "superseded_by", f"no link with id '{link.superseded_by}'")
