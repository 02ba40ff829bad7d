"""SQL that moves staged rows into typed tables, set-based, refusing each bad row with its
reason. Built from the column map, so every record type (and AddressBase Plus) is checked the
same way: change type, required columns, value formats, duplicates, and for records that
belong to an address, that its BLPU exists."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

from loaders.ingest.addressbase.columns import (
    REQUIRED,
    VALUE_PATTERNS,
    column_type,
    stored_columns,
)
from loaders.ingest.addressbase.layout import PLUS_COLUMNS, PREMIUM_COLUMNS, PREMIUM_KEYS
from service.db.types import Connection

_DESCRIBED_TYPES = {
    "bigint": "a whole number",
    "integer": "a whole number",
    "double precision": "a number",
    "date": "a date (YYYY-MM-DD)",
}
# Records that belong to an address: their UPRN must have a BLPU.
_UPRN_CHILDREN = frozenset({23, 24, 28, 30, 31, 32})
PLUS_RECORD = 0  # how Plus rows are numbered among record types in the rejects table
PLUS_REQUIRED = ("UPRN", "X_COORDINATE", "Y_COORDINATE")


@dataclass(frozen=True)
class TypedInsert:
    """Where one kind of staged row goes, and what makes one unacceptable."""

    record_id: int  # the record type (0 for Plus), as written to the rejects table
    columns: tuple[str, ...]  # every staged column in order: c1, c2, ...
    stored: tuple[str, ...]  # the columns written to the target
    key: tuple[str, ...]
    required: tuple[str, ...]
    stage: str
    target: str
    rejects: str
    full_supply: bool
    blpu_table: str | None = None  # when set, the row's UPRN must be there
    with_change_columns: bool = False  # keep CHANGE_TYPE, PRO_ORDER, file and line (updates)

    def column(self, name: str) -> str:
        """The staging column holding a named column."""
        return f"c{self.columns.index(name) + 1}"


def premium_insert(
    record_id: int, *, stage: str, target: str, rejects: str, full_supply: bool, blpu_table: str
) -> TypedInsert:
    """The checks and target for one Premium record type."""
    key = (PREMIUM_KEYS[record_id], "LANGUAGE") if record_id == 15 else (PREMIUM_KEYS[record_id],)
    return TypedInsert(
        record_id=record_id,
        columns=PREMIUM_COLUMNS[record_id],
        stored=stored_columns(record_id),
        key=key,
        required=REQUIRED.get(record_id, ()),
        stage=stage,
        target=target,
        rejects=rejects,
        full_supply=full_supply,
        blpu_table=blpu_table if record_id in _UPRN_CHILDREN else None,
        with_change_columns=not full_supply,
    )


def plus_insert(*, stage: str, target: str, rejects: str, full_supply: bool) -> TypedInsert:
    """The checks and target for AddressBase Plus rows (one per address)."""
    return TypedInsert(
        record_id=PLUS_RECORD,
        columns=PLUS_COLUMNS,
        stored=tuple(name for name in PLUS_COLUMNS if name != "CHANGE_TYPE"),
        key=("UPRN",),
        required=PLUS_REQUIRED,
        stage=stage,
        target=target,
        rejects=rejects,
        full_supply=full_supply,
        with_change_columns=True,
    )


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _change_type_problem(spec: TypedInsert) -> str:
    column = spec.column("CHANGE_TYPE")
    found = f"coalesce(quote_literal({column}), 'empty')"
    if spec.full_supply:
        return (
            f"WHEN {column} IS DISTINCT FROM 'I' "
            f"THEN 'CHANGE_TYPE in a full supply must be I, not ' || {found}"
        )
    return (
        f"WHEN {column} IS NULL OR {column} NOT IN ('I', 'U', 'D') "
        f"THEN 'CHANGE_TYPE must be I, U or D, not ' || {found}"
    )


def _order_columns(spec: TypedInsert) -> tuple[str, ...]:
    """PRO_ORDER, when an update keeps it (it says in which order changes apply)."""
    keeps_order = spec.with_change_columns and "PRO_ORDER" in spec.columns
    return ("PRO_ORDER",) if keeps_order else ()


def _value_problems(spec: TypedInsert) -> list[str]:
    cases = []
    for name in (*_order_columns(spec), *spec.stored):
        column = spec.column(name)
        if name in spec.required:
            cases.append(f"WHEN {column} IS NULL THEN {_literal(name + ' is missing')}")
        kind = column_type(name)
        if kind in VALUE_PATTERNS:
            message = _literal(f"{name} is not {_DESCRIBED_TYPES[kind]}: ")
            pattern = _literal(VALUE_PATTERNS[kind])
            cases.append(f"WHEN {column} !~ {pattern} THEN {message} || quote_literal({column})")
    return cases


def _duplicate_problem(spec: TypedInsert) -> str:
    name = spec.key[0]
    return (
        f"WHEN occurrence > 1 THEN {_literal('duplicate ' + name + ' ')} || {spec.column(name)}"
        " || ': an earlier line already has it'"
    )


def _orphan_problem(spec: TypedInsert) -> str:
    uprn = spec.column("UPRN")
    return (
        f"WHEN NOT EXISTS (SELECT 1 FROM {spec.blpu_table} b WHERE b.uprn = {uprn}::bigint) "
        f"THEN 'no BLPU (record 21) has UPRN ' || {uprn}"
    )


def problem_cases(spec: TypedInsert) -> list[str]:
    """The checks, in order; the first that fails names the row's problem."""
    cases = [_change_type_problem(spec), *_value_problems(spec)]
    if spec.full_supply:
        cases.append(_duplicate_problem(spec))
    if spec.blpu_table:
        cases.append(_orphan_problem(spec))
    return cases


def _numbered_rows(spec: TypedInsert) -> str:
    """Staged rows, numbered within their key in a full supply (to find duplicates)."""
    if not spec.full_supply:
        return f"SELECT s.*, 1 AS occurrence FROM {spec.stage} s"
    key = ", ".join(spec.column(name) for name in spec.key)
    return (
        f"SELECT s.*, row_number() OVER (PARTITION BY {key} ORDER BY file_no, line_no) "
        f"AS occurrence FROM {spec.stage} s"
    )


def _targets(spec: TypedInsert) -> tuple[list[str], list[str]]:
    columns = [name.lower() for name in spec.stored]
    casts = [f"{spec.column(name)}::{column_type(name)}" for name in spec.stored]
    if spec.with_change_columns:
        order = _order_columns(spec)
        columns = ["change_type", "file_no", "line_no", *(n.lower() for n in order), *columns]
        order_casts = [f"{spec.column(n)}::bigint" for n in order]
        casts = [spec.column("CHANGE_TYPE"), "file_no", "line_no", *order_casts, *casts]
    return columns, casts


def typed_insert_sql(spec: TypedInsert) -> str:
    """One statement: rows with a problem go to the rejects table, the rest into the target."""
    raw = " || ',' || ".join(f"coalesce(c{i}, '')" for i in range(1, len(spec.columns) + 1))
    columns, casts = _targets(spec)
    cases = "\n            ".join(problem_cases(spec))
    return f"""
WITH numbered AS ({_numbered_rows(spec)}
), checked AS (
    SELECT numbered.*,
        CASE
            {cases}
        END AS problem
    FROM numbered
), refused AS (
    INSERT INTO {spec.rejects} (file_no, line_no, record_type, reason, content)
    SELECT file_no, line_no, {spec.record_id}, problem, {raw}
    FROM checked WHERE problem IS NOT NULL
)
INSERT INTO {spec.target} ({", ".join(columns)})
SELECT {", ".join(casts)} FROM checked WHERE problem IS NULL
"""


def fast_insert_sql(spec: TypedInsert) -> str:
    """Every staged row cast and inserted, no questions asked (the quick path)."""
    columns, casts = _targets(spec)
    target = f"{spec.target} ({', '.join(columns)})"
    return f"INSERT INTO {target} SELECT {', '.join(casts)} FROM {spec.stage}"


def problems_exist_sql(spec: TypedInsert) -> str:
    """Whether any row needs a reason the quick path cannot give: a wrong change type, a
    missing required column, a duplicate key, a record whose BLPU does not exist."""
    change = spec.column("CHANGE_TYPE")
    allowed = "('I')" if spec.full_supply else "('I', 'U', 'D')"
    missing = [f"{change} IS NULL OR {change} NOT IN {allowed}"]
    missing += [f"{spec.column(name)} IS NULL" for name in spec.required]
    checks = [f"EXISTS (SELECT 1 FROM {spec.stage} WHERE {' OR '.join(missing)})"]
    if spec.full_supply:
        key = ", ".join(name.lower() for name in spec.key)
        checks.append(f"EXISTS (SELECT 1 FROM {spec.target} GROUP BY {key} HAVING count(*) > 1)")
    if spec.blpu_table:
        orphan = f"NOT EXISTS (SELECT 1 FROM {spec.blpu_table} b WHERE b.uprn = t.uprn)"
        checks.append(f"EXISTS (SELECT 1 FROM {spec.target} t WHERE {orphan})")
    return "SELECT " + " OR ".join(checks)


class _NeedsReasons(Exception):
    """Some row of the quick path would have been refused: check row by row instead."""


async def insert_checked(conn: Connection, spec: TypedInsert) -> int:
    """Typed rows into the target, every bad row refused with its reason; returns how many
    were inserted. A clean supply (the usual case) takes the quick path — one cast-and-insert
    and one confirming query; a supply with any bad row is checked row by row instead."""
    try:
        async with conn.transaction():
            status = await conn.execute(fast_insert_sql(spec))
            # A fresh table: true sizes let the check (and later joins) be planned well.
            await conn.execute(f"ANALYZE {spec.target}")
            if await conn.fetchval(problems_exist_sql(spec)):
                raise _NeedsReasons
            return int(status.split()[-1])
    except (asyncpg.DataError, _NeedsReasons):
        pass
    status = await conn.execute(typed_insert_sql(spec))
    await conn.execute(f"ANALYZE {spec.target}")
    return int(status.split()[-1])
