"""Deterministic synthetic tenants for benchmarks: realistic proportions of each failure.

    python benchmarks/generate.py OUT_DIR --contacts 100000 [--format csv|jsonl] [--seed 7]

Writes OUT_DIR/tenant.yaml plus customers / contacts / links side files. A third as many
customers as contacts; about 3% of customers have the portal off, 2% of contacts a malformed
email, 1% share an email with another customer, 4% have no mobile, 1% a mobile too short to be
valid, 6% a pending invitation. The proportions are the same at every size.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from pathlib import Path

ORG = """version: 1
platform: upflow
organisation:
  name: Benchmark Wholesale {n}
  region: GB
  plan: growth
  plan_includes_portal: true
  portal: {{enabled: true, host: pay.bench.example, link_validity_days: 25, reminder_cadence_days: 7, account_picker: false}}
  deliverability: {{https_links: true, dns_verified: true, domain: bench.example, sender_email: ar@bench.example, mailbox_connected: true}}
  sms: {{enabled: true, credits: 5000}}
  accounting: {{system: netsuite, import_inactive_customers: true}}
users:
  - {{id: U-1, name: Agent One, email: agent@bench.example, mobile: "+44 7911 100001"}}
customers: {{file: customers.{ext}}}
contacts: {{file: contacts.{ext}}}
links: {{file: links.{ext}}}
"""

CUSTOMER_FIELDS = ["id", "name", "external_id", "active", "portal_enabled"]
CONTACT_FIELDS = ["id", "customer", "name", "email", "mobile", "portal_user", "portal_status"]
LINK_FIELDS = ["id", "kind", "customer", "contact", "source", "issued_at", "sent_at"]


def rows(contacts: int, seed: int) -> tuple[list[dict[str, str]], list[dict[str, str]], list[dict[str, str]]]:
    """Customers, contacts and links as string dicts (what an export holds)."""
    rng = random.Random(seed)
    n_customers = max(1, contacts // 3)
    customers = [
        {
            "id": f"C{i}",
            "name": f"Customer {i}",
            "external_id": f"NS-{i}",
            "active": "true",
            "portal_enabled": "false" if rng.random() < 0.03 else "true",
        }
        for i in range(n_customers)
    ]
    people = []
    links = []
    for i in range(contacts):
        customer = f"C{i % n_customers}"
        roll = rng.random()
        email = f"person{i}@customer{i % n_customers}.example"
        if roll < 0.02:
            email = email.replace("@", "@@")
        elif roll < 0.03:
            email = f"shared{i % 97}@group.example"  # the same address on several customers
        # +44 7400 nnnnnn is a valid UK mobile for every n (unlike some 7911 sub-ranges), so only
        # the deliberate 1% is invalid whatever the size.
        phone_roll = rng.random()
        mobile = "" if phone_roll < 0.04 else f"+44 7400 {i % 1_000_000:06d}"
        if 0.04 <= phone_roll < 0.05:
            mobile = mobile[:-3]
        pending = rng.random() < 0.06
        people.append(
            {
                "id": f"P{i}",
                "customer": customer,
                "name": f"Person {i}",
                "email": email,
                "mobile": mobile,
                "portal_user": "true",
                "portal_status": "pending" if pending else "enabled",
            }
        )
        if pending or rng.random() < 0.05:
            day = 1 + rng.randrange(20)
            links.append(
                {
                    "id": f"L{i}",
                    "kind": "invitation" if pending else "portal",
                    "customer": customer,
                    "contact": f"P{i}",
                    "source": "invitation" if pending else "reminder",
                    "issued_at": f"2026-11-{day:02d}T09:00:00Z",
                    "sent_at": f"2026-11-{day:02d}T09:00:00Z",
                }
            )
    return customers, people, links


def _write(path: Path, fields: list[str], data: list[dict[str, str]], fmt: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        if fmt == "csv":
            writer = csv.DictWriter(fh, fieldnames=fields)
            writer.writeheader()
            writer.writerows(data)
        else:
            for row in data:
                fh.write(json.dumps({k: v for k, v in row.items() if v != ""}) + "\n")


def generate(out: Path, contacts: int, *, fmt: str = "csv", seed: int = 7) -> Path:
    """Write a tenant of ``contacts`` contacts into ``out``; returns the tenant file."""
    out.mkdir(parents=True, exist_ok=True)
    ext = "csv" if fmt == "csv" else "jsonl"
    customers, people, links = rows(contacts, seed)
    if fmt == "jsonl":  # JSON Lines carries real booleans, as API exports do
        for c in customers:
            c["active"], c["portal_enabled"] = True, c["portal_enabled"] == "true"  # type: ignore[assignment]
        for p in people:
            p["portal_user"] = True  # type: ignore[assignment]
    _write(out / f"customers.{ext}", CUSTOMER_FIELDS, customers, fmt)
    _write(out / f"contacts.{ext}", CONTACT_FIELDS, people, fmt)
    _write(out / f"links.{ext}", LINK_FIELDS, links, fmt)
    tenant = out / "tenant.yaml"
    tenant.write_text(ORG.format(n=contacts, ext=ext), encoding="utf-8")
    return tenant


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(generate(args.out, args.contacts, fmt=args.format, seed=args.seed))


if __name__ == "__main__":
    main()
