"""Tenant loading: locations, side files, and every bad-input case with its one-line message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portaldoctor.errors import InputError, SourceLocation
from portaldoctor.snapshot.model import Tenant
from portaldoctor.snapshot.sources import open_source

GOOD = """\
version: 1
platform: upflow
organisation:
  name: Org
customers:
  - id: c1
    name: Acme
contacts:
  - id: p1
    customer: c1
    email: a@acme.example
"""


def write(tmp_path: Path, text: str, name: str = "tenant.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path | str) -> str:
    with pytest.raises(InputError) as info:
        load_tenant(path)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_loads_and_remembers_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    tenant = load_tenant(path)
    assert tenant.platform == "upflow"
    assert tenant.customers[0].location is not None
    assert tenant.customers[0].location.line == 6
    assert tenant.contacts[0].location.line == 9  # type: ignore[union-attr]
    assert tenant.contacts[0].location.file == str(path)  # type: ignore[union-attr]


def test_json_tenant_has_lines_too(tmp_path: Path) -> None:
    data = {
        "organisation": {"name": "Org"},
        "customers": [{"id": "c1", "name": "Acme"}],
        "contacts": [{"id": "p1", "customer": "c1"}],
    }
    path = write(tmp_path, json.dumps(data, indent=2), "tenant.json")
    tenant = load_tenant(path)
    assert tenant.contacts[0].location.line > 1  # type: ignore[union-attr]


def test_csv_side_file_rows_keep_their_line(tmp_path: Path) -> None:
    write(
        tmp_path,
        "id,customer,email,portal_user\np1,c1,a@x.example,yes\np2,c1,,no\n",
        "contacts.csv",
    )
    path = write(tmp_path, GOOD.split("contacts:")[0] + "contacts: {file: contacts.csv}\n")
    tenant = load_tenant(path)
    assert [c.id for c in tenant.contacts] == ["p1", "p2"]
    assert tenant.contacts[1].email is None
    assert tenant.contacts[1].portal_user is False
    assert tenant.contacts[0].portal_user is True  # a row with every cell filled
    assert tenant.contacts[1].location.file.endswith("contacts.csv")  # type: ignore[union-attr]
    assert tenant.contacts[1].location.line == 3  # type: ignore[union-attr]
    where = tenant.contacts[0].location
    assert type(where) is SourceLocation and where == SourceLocation(where.file, 2, 0)  # type: ignore[union-attr]
    assert str(where).endswith("contacts.csv:2")


def test_jsonl_side_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        '{"id": "p1", "customer": "c1"}\n\n{"id": "p2", "customer": "c1"}\n',
        "contacts.jsonl",
    )
    path = write(tmp_path, GOOD.split("contacts:")[0] + "contacts: {file: contacts.jsonl}\n")
    tenant = load_tenant(path)
    assert tenant.contacts[1].location.line == 3  # type: ignore[union-attr]


def test_directory_with_tenant_yaml(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    assert load_tenant(tmp_path).organisation.name == "Org"


def test_demo_loads() -> None:
    tenant = load_tenant("demo")
    assert tenant.customers and tenant.contacts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD.replace("name: Acme", "name: [Acme"), ":8: not valid YAML/JSON"),
        (
            GOOD.replace("    name: Acme", "    name: Acme\n    colour: red"),
            ":8: field 'customers.0.colour': unknown key",
        ),
        (
            GOOD.replace("email: a@acme.example", "email: a@acme.example\n    portal_user: maybe"),
            "field 'contacts.0.portal_user'",
        ),
        (
            GOOD.replace("customer: c1", "customer: c9"),
            "field 'contacts.0.customer': no customer with id 'c9'",
        ),
        (
            GOOD.replace("  - id: p1", "  - id: c1x\n    customer: c1\n  - id: c1x"),
            "duplicate id 'c1x'",
        ),
        (
            GOOD.replace("    name: Acme", "    name: Acme\n    name: Other"),
            ":8: field 'customers.0.name': duplicate key 'name'",
        ),
        ("", ":1: file is empty"),
        ("# only a comment\n", ":1: file is empty"),
        ("- a\n- b\n", "must be a mapping"),
        (GOOD.replace("version: 1", "version: 7"), "field 'version'"),
        (
            GOOD.replace("    name: Acme\n", ""),
            ":6: field 'customers.0.name': required field is missing",
        ),
    ],
    ids=[
        "syntax",
        "unknown-key",
        "wrong-type",
        "dangling",
        "duplicate-id",
        "duplicate-key",
        "empty",
        "comment-only",
        "not-mapping",
        "version",
        "missing",
    ],
)
def test_bad_input_names_file_line_and_field(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    message = error_of(path)
    assert str(path) in message
    assert expected in message


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            "  - {id: p2, customer: c1}\n  - {id: p3, customer: c7}\n",
            ":13: field 'contacts.2.customer': no customer with id 'c7'",
        ),
        ("  - {id: p2, customer: c1, deal_owner: u9}\n", ":12: field 'contacts.1.deal_owner': no user with id 'u9'"),
        ("  - {id: p2, customer: c1}\n  - {id: p2, customer: c1}\n", ":13: field 'contacts.2.id': duplicate id 'p2'"),
    ],
    ids=["customer", "deal-owner", "duplicate"],
)
def test_the_first_bad_reference_is_named_at_its_row(tmp_path: Path, rows: str, expected: str) -> None:
    path = write(tmp_path, GOOD + rows + "users:\n  - {id: u1}\n")
    assert expected in error_of(path)


def test_wrong_type_message_mentions_the_value(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        GOOD.replace("email: a@acme.example", "email: a@acme.example\n    portal_user: maybe"),
    )
    message = error_of(path)
    assert f"{path}:12" in message
    assert "'maybe'" in message


def test_missing_side_file_points_at_the_reference(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.split("contacts:")[0] + "contacts: {file: nowhere.csv}\n")
    message = error_of(path)
    assert f"{path}:8" in message
    assert "file not found" in message and "nowhere.csv" in message


def test_bad_side_file_row_points_at_its_line(tmp_path: Path) -> None:
    write(tmp_path, "id,customer,portal_user\np1,c1,true\np2,c1,perhaps\n", "contacts.csv")
    path = write(tmp_path, GOOD.split("contacts:")[0] + "contacts: {file: contacts.csv}\n")
    message = error_of(path)
    assert "contacts.csv:3" in message
    assert "portal_user" in message


def test_unknown_csv_column(tmp_path: Path) -> None:
    write(tmp_path, "id,customer,favourite_colour\np1,c1,red\n", "contacts.csv")
    path = write(tmp_path, GOOD.split("contacts:")[0] + "contacts: {file: contacts.csv}\n")
    assert "contacts.csv:2: field 'contacts.0.favourite_colour': unknown key" in error_of(path)


def test_rows_are_slotted_frozen_and_their_location_is_not_a_field(tmp_path: Path) -> None:
    import dataclasses

    write(tmp_path, "id,customer, name \np1,c1,  Pat  \n", "contacts.csv")
    path = write(tmp_path, GOOD.split("contacts:")[0] + "contacts: {file: contacts.csv}\n")
    contact = load_tenant(path).contacts[0]
    assert not hasattr(contact, "__dict__")  # slots: no per-row dict, no per-row field-name set
    assert contact.name == "Pat" and contact.location.line == 2  # type: ignore[union-attr]
    with pytest.raises(dataclasses.FrozenInstanceError):
        contact.name = "Sam"  # type: ignore[misc]
    assert "_location" not in {f.name for f in dataclasses.fields(contact)}
    write(tmp_path, "id,customer,_location\np1,c1,x\n", "contacts.csv")
    assert "contacts.csv:2: field 'contacts.0._location': unknown key" in error_of(path)
    path.write_text(GOOD.replace("    email: a@acme.example", "    email: a@acme.example\n    _location: x"))
    assert "field 'contacts.0._location': unknown key" in error_of(path)
    path.write_text(GOOD.replace("    customer: c1\n", ""))
    assert "tenant.yaml:9: field 'contacts.0.customer': required field is missing" in error_of(path)


def test_bad_jsonl_line(tmp_path: Path) -> None:
    write(tmp_path, '{"id": "p1", "customer": "c1"}\n{"id": \n', "contacts.jsonl")
    path = write(tmp_path, GOOD.split("contacts:")[0] + "contacts: {file: contacts.jsonl}\n")
    assert "contacts.jsonl:2: not valid JSON" in error_of(path)


def test_unsupported_side_file_type(tmp_path: Path) -> None:
    write(tmp_path, "x", "contacts.xlsx")
    path = write(tmp_path, GOOD.split("contacts:")[0] + "contacts: {file: contacts.xlsx}\n")
    assert "must be .csv, .jsonl or .json" in error_of(path)


def test_missing_tenant_and_non_utf8(tmp_path: Path) -> None:
    assert "file not found" in error_of(tmp_path / "nope.yaml")
    bad = tmp_path / "latin.yaml"
    bad.write_bytes(b"organisation: {name: \xe9}\n")
    assert "not UTF-8" in error_of(bad)


def test_side_files_are_read_as_utf8_lines(tmp_path: Path) -> None:
    tenant = GOOD.split("contacts:")[0] + "contacts: {file: contacts.csv}\n"
    path = write(tmp_path, tenant)
    # A BOM, CRLF line ends, a quoted cell over two lines and a Unicode line separator in a cell.
    (tmp_path / "contacts.csv").write_bytes(
        '\ufeffid,customer,name\r\np1,c1,"Pat\nSmith"\r\np2,c1,Sam\u2028Jones\r\np3,c1,Jo\r\n'.encode()
    )
    contacts = load_tenant(path).contacts
    assert [c.name for c in contacts] == ["Pat\nSmith", "Sam\u2028Jones", "Jo"]
    assert [c.location.line for c in contacts] == [3, 4, 5]  # type: ignore[union-attr]
    (tmp_path / "contacts.csv").write_bytes(b"id,customer,name\np1,c1,Pat\np2,c1,Ren\xe9\n")
    assert "contacts.csv:3: not UTF-8 text (byte 36)" in error_of(path)
    (tmp_path / "contacts.csv").unlink()
    assert "tenant.yaml:8: file not found: " in error_of(path)
    (tmp_path / "contacts.csv").mkdir()
    assert "is a directory, not a file" in error_of(path)
    jsonl = write(tmp_path, GOOD.split("contacts:")[0] + "contacts: {file: contacts.jsonl}\n", "t2.yaml")
    (tmp_path / "contacts.jsonl").write_bytes(
        b'{"id": "p1", "customer": "c1", "name": "A\xe2\x80\xa8B"}\r\n\n{"id": "p2"\xff}\n'
    )
    assert "contacts.jsonl:3: not UTF-8 text" in error_of(jsonl)


def test_loading_never_writes(tmp_path: Path) -> None:
    write(tmp_path, "id,customer\np1,c1\n", "contacts.csv")
    path = write(tmp_path, GOOD.split("contacts:")[0] + "contacts: {file: contacts.csv}\n")
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in tmp_path.iterdir()}
    load_tenant(path)
    after = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in tmp_path.iterdir()}
    assert before == after


def test_json_schema_accepts_the_demo_and_side_file_references() -> None:
    import jsonschema
    import yaml

    from portaldoctor.snapshot.model import json_schema
    from portaldoctor.snapshot.sources import demo

    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    demo = yaml.safe_load((demo.folder() / "tenant.yaml").read_text(encoding="utf-8"))
    # YAML timestamps are datetimes; the schema describes their JSON (string) form.
    demo = json.loads(json.dumps(demo, default=str).replace(" 00:00:00", "T00:00:00"))
    errors = [e.message for e in validator.iter_errors(demo)]
    assert not errors or all("date-time" in e for e in errors), errors
    assert not list(validator.iter_errors({"organisation": {"name": "x"}, "contacts": {"file": "c.csv"}}))
    assert list(validator.iter_errors({"organisation": {"name": "x"}, "contacts": {"file": "c.xlsx"}}))


def load_tenant(spec: object) -> Tenant:
    """The tenant a file source reads."""
    return open_source(str(spec)).load()
