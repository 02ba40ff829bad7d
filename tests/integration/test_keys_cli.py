"""The councils, keys and usage commands, run as an operator runs them on a real PostGIS."""

from __future__ import annotations

import asyncio
import csv
import io
import re
from datetime import UTC, datetime

import asyncpg

from tests.support.cli import run_cli
from tests.support.keys import add_council, issue_key, public_prefix


def cli(url: str, *args: str) -> tuple[int, str, str]:
    done = run_cli(*args, env={"DATABASE_URL": url})
    return done.returncode, done.stdout, done.stderr


def fetch(url: str, sql: str, *args: object) -> list[asyncpg.Record]:
    async def run() -> list[asyncpg.Record]:
        conn = await asyncpg.connect(url)
        try:
            return await conn.fetch(sql, *args)
        finally:
            await conn.close()

    return asyncio.run(run())


def test_councils_are_added_listed_and_given_a_home_area(database_url: str) -> None:
    add_council(database_url, "e07000203", "Mid Suffolk", "--custodian", "3520")
    add_council(database_url, "E07000202", "Ipswich", "--box", "600000,230000,630000,260000")
    code, _, err = cli(database_url, "councils", "add", "E07000203", "--name", "Again")
    assert code == 1 and "already exists" in err and "councils update" in err
    code, _, err = cli(database_url, "councils", "add", "Suffolk", "--name", "Suffolk")
    assert code == 1 and "ONS/GSS" in err
    code, _, err = cli(database_url, "councils", "add", "E10000029", "--name", "S", "--box", "1,2")
    assert code == 1 and "four numbers" in err
    assert (
        cli(
            database_url,
            "councils",
            "update",
            "E07000203",
            "--custodian",
            "3521",
            "--custodian",
            "3522",
        )[0]
        == 0
    )
    code, listing, _ = cli(database_url, "councils", "list")
    assert code == 0
    assert re.search(r"E07000202 .*Ipswich .*600000,230000,630000,260000", listing)
    assert re.search(r"E07000203 .*Mid Suffolk .*3521,3522", listing)
    code, _, err = cli(database_url, "councils", "update", "E07000999", "--name", "Nobody")
    assert code == 1 and "councils add E07000999" in err


def test_a_new_key_is_printed_once_alone_on_the_last_line_and_stored_as_a_hash(
    database_url: str,
) -> None:
    add_council(database_url, "E07000203", "Mid Suffolk")
    code, out, _ = cli(
        database_url,
        "keys",
        "create",
        "--council",
        "E07000203",
        "--kind",
        "browser",
        "--origin",
        "https://forms.midsuffolk.gov.uk/",
        "--origin",
        "http://localhost:8080",
        "--per-minute",
        "100",
        "--label",
        "report forms",
    )
    assert code == 0
    key = out.strip().splitlines()[-1]
    assert re.fullmatch(r"alpk_[a-z2-7]{8}_[a-z2-7]{26}", key)
    assert out.count(key) == 1
    stored = fetch(database_url, "SELECT * FROM api_keys")
    assert len(stored) == 1 and key.encode() not in bytes(stored[0]["secret_hash"])
    assert key not in str(dict(stored[0]))
    assert stored[0]["origins"] == ["https://forms.midsuffolk.gov.uk", "http://localhost:8080"]
    code, listing, _ = cli(database_url, "keys", "list")
    assert public_prefix(key) in listing and key not in listing
    assert "report forms" in listing and "https://forms.midsuffolk.gov.uk" in listing


def test_key_options_that_cannot_work_are_refused_with_the_reason(database_url: str) -> None:
    add_council(database_url, "E07000203", "Mid Suffolk")
    create = ("keys", "create", "--council", "E07000203", "--kind")
    assert "needs at least one --origin" in cli(database_url, *create, "browser")[2]
    assert (
        "takes no --origin"
        in cli(database_url, *create, "server", "--origin", "https://a.gov.uk")[2]
    )
    assert "path" in cli(database_url, *create, "browser", "--origin", "https://a.gov.uk/form")[2]
    unknown = cli(database_url, "keys", "create", "--council", "E06000001", "--kind", "server")
    assert unknown[0] == 1 and "councils add E06000001" in unknown[2]
    whole_key = cli(database_url, "keys", "revoke", "alsk_abcdefgh_" + "a" * 26)
    assert whole_key[0] == 1 and "public prefix" in whole_key[2]


def test_revoked_and_rotated_keys(database_url: str) -> None:
    add_council(database_url, "E07000203", "Mid Suffolk")
    first = issue_key(database_url, "E07000203", "server", "--per-day", "5000", "--label", "crm")
    code, out, _ = cli(database_url, "keys", "rotate", public_prefix(first), "--grace-hours", "2")
    assert code == 0
    second = out.strip().splitlines()[-1]
    assert second.startswith("alsk_") and second != first
    rows = {r["public_id"]: r for r in fetch(database_url, "SELECT * FROM api_keys")}
    old, new = rows[public_prefix(first)], rows[public_prefix(second)]
    assert (new["per_day"], new["label"], new["kind"]) == (5000, "crm", "server")
    grace = (old["revoked_at"] - datetime.now(UTC)).total_seconds()
    assert 2 * 3600 - 60 < grace <= 2 * 3600 and old["replaced_by"] == public_prefix(second)
    assert cli(database_url, "keys", "revoke", public_prefix(first))[0] == 0
    old = fetch(
        database_url, "SELECT revoked_at FROM api_keys WHERE public_id = $1", public_prefix(first)
    )[0]
    assert old["revoked_at"] <= datetime.now(UTC)
    code, _, err = cli(database_url, "keys", "rotate", public_prefix(first))
    assert code == 1 and "already revoked" in err
    code, active, _ = cli(database_url, "keys", "list", "--active")
    assert public_prefix(second) in active and public_prefix(first) not in active


def test_usage_is_reported_per_council_key_day_family_and_status(database_url: str) -> None:
    add_council(database_url, "E07000203", "Mid Suffolk")
    add_council(database_url, "E07000202", "Ipswich")
    mine = issue_key(database_url, "E07000203", "server")
    theirs = issue_key(database_url, "E07000202", "server")
    today = datetime.now(UTC).date()
    fetch(
        database_url,
        "INSERT INTO key_usage SELECT k.id, $1, f, s, n FROM api_keys k, "
        "(VALUES ('search', 2, 7), ('uprn', 4, 2)) AS v (f, s, n)",
        today,
    )
    code, out, _ = cli(database_url, "usage", "--council", "E07000203", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {(r["key"], r["family"], r["status"], r["requests"]) for r in rows} == {
        (public_prefix(mine), "search", "2xx", "7"),
        (public_prefix(mine), "uprn", "4xx", "2"),
    }
    code, table, _ = cli(database_url, "usage")
    assert public_prefix(theirs) in table and re.search(r"total .* 18", table)
    code, out, _ = cli(database_url, "usage", "--since", "2999-01-01")
    assert code == 0 and "no requests counted since 2999-01-01" in out
