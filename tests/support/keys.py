"""Councils and keys made through the CLI, exactly as an operator makes them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.abp import address_records, street_records, write_premium
from tests.support.cli import run_cli
from tests.support.loading import load
from tests.support.pg import ThrowawayDatabases


def add_council(url: str, code: str, name: str, *options: str) -> None:
    done = run_cli("councils", "add", code, "--name", name, *options, env={"DATABASE_URL": url})
    assert done.returncode == 0, done.stderr


def issue_key(url: str, council: str, kind: str, *options: str) -> str:
    """A new key; the command prints it alone on its last line."""
    done = run_cli(
        "keys",
        "create",
        "--council",
        council,
        "--kind",
        kind,
        *options,
        env={"DATABASE_URL": url},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def public_prefix(key: str) -> str:
    return key.rsplit("_", 1)[0]


MID_SUFFOLK, IPSWICH = "E07000203", "E07000202"
HOUSES = (1, 2, 3)  # UPRNs of the small supply, all in POSTCODE
POSTCODE = "FX1 1AA"


@contextmanager
def small_keyed_database(databases: ThrowawayDatabases, folder: Path) -> Iterator[str]:
    """A fresh database with three houses and two councils (Mid Suffolk with a home area,
    Ipswich without), each loaded or added through the CLI."""
    rows = street_records(100, "HIGH STREET", "TESTTOWN")
    for uprn in HOUSES:
        rows += address_records(uprn, number=uprn, postcode=POSTCODE)
    folder.mkdir(parents=True, exist_ok=True)
    with databases.fresh() as url:
        code, _, err = load(url, folder, write_premium(folder / "houses.csv", rows))
        assert code == 0, err
        add_council(
            url,
            MID_SUFFOLK,
            "Mid Suffolk",
            "--custodian",
            "3520",
            "--box",
            "600000,230000,630000,260000",
        )
        add_council(url, IPSWICH, "Ipswich")
        yield url
