"""``address-lookup usage``: requests answered per council, key, day, endpoint family and
status class, as a table or CSV."""

from __future__ import annotations

import csv
import sys
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table

from loaders.cli.councils import with_database
from loaders.cli.support import out
from service.tenancy.councils import checked_code
from service.tenancy.usage import UsageRow, usage_report

COLUMNS = ("council", "key", "day", "family", "status", "requests")


class Format(StrEnum):
    table = "table"
    csv = "csv"


def usage_table(rows: list[UsageRow]) -> Table:
    table = Table(title="Usage (UTC days)")
    for heading in COLUMNS:
        table.add_column(heading, justify="right" if heading == "requests" else "left")
    for r in rows:
        table.add_row(
            r.council_code, r.key, r.day.isoformat(), r.family, r.status_class, f"{r.requests:,}"
        )
    table.add_section()
    table.add_row("total", "", "", "", "", f"{sum(r.requests for r in rows):,}")
    return table


def write_csv(rows: list[UsageRow]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow([r.council_code, r.key, r.day, r.family, r.status_class, r.requests])


def usage(
    council: Annotated[str | None, typer.Option(help="Only this council (ONS/GSS code).")] = None,
    since: Annotated[
        datetime | None,
        typer.Option(
            formats=["%Y-%m-%d"], help="First UTC day, e.g. 2026-11-01 (default: 30 days ago)."
        ),
    ] = None,
    output: Annotated[Format, typer.Option("--format", help="table or csv.")] = Format.table,
) -> None:
    """Requests answered per council, key, UTC day, endpoint family and status class. Service
    processes write their counts every few seconds, so the last seconds may not show yet."""
    code = checked_code(council) if council else None
    first = since.date() if since else datetime.now(UTC).date() - timedelta(days=30)
    rows = with_database(lambda conn: usage_report(conn, council=code, since=first))
    if output is Format.csv:
        write_csv(rows)
    elif not rows:
        out.print(f"no requests counted since {first}")
    else:
        out.print(usage_table(rows))
