"""--shard I/N: a deterministic split of an audit's customers; organisation findings only in shard 1."""

from __future__ import annotations

import json

import pytest

from portaldoctor import shard
from portaldoctor.errors import InputError
from tests.test_cli import NOW, pd

IDS = [f"C-{n}" for n in range(200)]


@pytest.mark.parametrize("count", [1, 2, 3, 7])
def test_shards_partition_every_customer_once(count: int) -> None:
    parts = [shard.select(IDS, i, count) for i in range(1, count + 1)]
    assert sorted(c for p in parts for c in p) == sorted(IDS)
    assert all(parts), "no empty shard for 200 customers"


def test_deterministic_and_stable_when_customers_are_added() -> None:
    before = shard.select(IDS, 2, 4)
    assert before == shard.select(list(IDS), 2, 4)
    after = shard.select([*IDS, "C-new"], 2, 4)
    assert [c for c in after if c != "C-new"] == before


@pytest.mark.parametrize("text", ["0/3", "4/3", "a/b", "3", "1/0", ""])
def test_bad_shard(text: str) -> None:
    with pytest.raises(InputError, match="is not I/N"):
        shard.parse(text)


def test_cli_shards_cover_the_full_audit() -> None:
    full = json.loads(pd("audit", "--offline", "--now", NOW, "-f", "json").stdout)
    seen: list[tuple[str, str, str]] = []
    for i in (1, 2):
        doc = json.loads(pd("audit", "--offline", "--now", NOW, "-f", "json", "--shard", f"{i}/2").stdout)
        assert doc["scope"]["shard"] == f"{i}/2"
        seen += [(f["check"], f["code"], f["subject"]["id"]) for f in doc["findings"] if f["status"] != "pass"]
        if i == 2:
            assert all(f["subject"]["customer_id"] for f in doc["findings"]), "org findings only in shard 1"
    expected = [(f["check"], f["code"], f["subject"]["id"]) for f in full["findings"] if f["status"] != "pass"]
    assert sorted(seen) == sorted(expected)


@pytest.mark.parametrize("contacts", [300, 4_500])  # passes kept one by one; passes only counted
def test_shard_counts_add_up_to_the_full_audit(contacts: int, tmp_path_factory: pytest.TempPathFactory) -> None:
    from benchmarks.generate import generate

    tenant = str(generate(tmp_path_factory.mktemp("counts"), contacts))
    args = ("audit", "--tenant", tenant, "--offline", "--now", NOW, "-f", "json")
    full = json.loads(pd(*args).stdout)["summary"]["counts"]
    parts = [json.loads(pd(*args, "--shard", f"{i}/3").stdout)["summary"]["counts"] for i in (1, 2, 3)]
    assert {status: sum(p[status] for p in parts) for status in full} == full
    assert full["pass"] > 0
