"""``address-lookup load csv``: addresses from a plain CSV with a header row (a council's own
gazetteer extract, say), columns mapped by name. Checked set-based like AddressBase, every
refused row written with its line and reason, and swapped in whole."""

from __future__ import annotations

from dataclasses import dataclass

from loaders.core.context import (
    REJECTS_TABLE,
    LoadContext,
    check_reject_rate,
    collect_sql_rejects,
)
from loaders.core.report import LoadProgress
from loaders.core.sources import DecodeStats, SourceSet, read_rows
from loaders.core.staging import stage_sources
from loaders.errors import CliError
from loaders.ingest.model import publish_model
from service.postcodes.parse import KEY_PATTERN
from service.spatial.crs import GB_BNG, GB_LON_LAT

STAGE_TABLE = "csv_stage"
ROWS_TABLE = "csv_rows"
LABEL = "csv address"
CSV_RECORD = -1
_NUMBER = r"'^-?[0-9]{1,9}(\.[0-9]+)?$'"
# The statement's parameters: Great Britain's bounds in the system of the file's coordinates
# (min x, min y, max x, max y), then, when a postcode column is mapped, what a whole
# postcode's key looks like.
_BOUNDS, _KEY_PATTERN = ("$1::float8", "$2::float8", "$3::float8", "$4::float8"), "$5"


@dataclass(frozen=True)
class ColumnMap:
    """Which header names hold which part of an address (names compared case-insensitively)."""

    uprn: str = "uprn"
    address: tuple[str, ...] = ("address",)
    postcode: str | None = "postcode"
    x: str | None = "x"
    y: str | None = "y"
    lat: str | None = None
    lon: str | None = None
    classification: str | None = None

    def wanted(self) -> dict[str, str]:
        """Role -> header name, for every role that is mapped."""
        roles = {
            "uprn": self.uprn,
            "postcode": self.postcode,
            "classification": self.classification,
        }
        roles.update({f"address{i}": name for i, name in enumerate(self.address)})
        roles.update(x=self.x, y=self.y) if self.lat is None else roles.update(
            lat=self.lat, lon=self.lon
        )
        return {role: name for role, name in roles.items() if name}


def read_header(sources: SourceSet) -> list[str]:
    """The header row of the first file (every file must start with the same one)."""
    for _, row in read_rows(sources.sources[0], DecodeStats(), lambda *_: None):
        return [name.strip() for name in row]
    raise CliError(f"{sources.sources[0].name} is empty: a CSV of addresses needs a header row")


def locate(header: list[str], columns: ColumnMap) -> dict[str, str]:
    """Role -> staging column (c1, c2...), or a clear error naming the missing headers."""
    positions = {name.lower(): index for index, name in enumerate(header)}
    missing = [name for name in columns.wanted().values() if name.lower() not in positions]
    if missing:
        raise CliError(
            f"the CSV has no column {', '.join(map(repr, missing))}; its columns are "
            f"{', '.join(header)}. Map yours with --uprn-column, --address-columns, "
            "--postcode-column, --x-column/--y-column or --lat-column/--lon-column."
        )
    return {role: f"c{positions[name.lower()] + 1}" for role, name in columns.wanted().items()}


def _when(condition: str, reason: str, value: str | None = None) -> str:
    """One CASE branch: the reason, with the offending value quoted when given."""
    shown = f" || coalesce(quote_literal({value}), 'empty')" if value else ""
    return f"WHEN {condition} THEN '{reason}'{shown}"


def _bounds_problem(at: dict[str, str]) -> str:
    """Coordinates in Great Britain (the bounds are parameters), in the system the columns
    claim."""
    min_x, min_y, max_x, max_y = _BOUNDS
    if "lat" in at:
        lat, lon = f"{at['lat']}::float8", f"{at['lon']}::float8"
        inside = f"{lon} BETWEEN {min_x} AND {max_x} AND {lat} BETWEEN {min_y} AND {max_y}"
        return _when(f"NOT ({inside})", "lat/lon outside Great Britain: are they WGS84 degrees?")
    x, y = f"{at['x']}::float8", f"{at['y']}::float8"
    inside = f"{x} BETWEEN {min_x} AND {max_x} AND {y} BETWEEN {min_y} AND {max_y}"
    return _when(f"NOT ({inside})", "x/y outside Great Britain: are they BNG metres?")


def typed_rows_args(at: dict[str, str]) -> list[object]:
    """The values of typed_rows_sql's parameters."""
    great_britain = GB_LON_LAT if "lat" in at else GB_BNG
    return [*great_britain.bounds, *([KEY_PATTERN] if "postcode" in at else [])]


def _problems(at: dict[str, str]) -> str:
    uprn = at["uprn"]
    empty = " AND ".join(f"{c} IS NULL" for r, c in at.items() if r.startswith("address"))
    cases = [
        _when(f"{uprn} IS NULL", "UPRN is missing"),
        _when(f"{uprn} !~ '^[0-9]{{1,12}}$'", "UPRN is not a whole number: ", uprn),
        _when(empty, "the address is empty"),
    ]
    for role in ("x", "y", "lat", "lon"):
        if role in at:
            column = at[role]
            cases.append(
                _when(
                    f"{column} IS NULL OR {column} !~ {_NUMBER}",
                    f"{role} is not a number: ",
                    column,
                )
            )
    cases.append(_bounds_problem(at))
    cases.append(_when("occurrence > 1", "duplicate UPRN: an earlier line already has it"))
    if "postcode" in at:
        key = f"postcode_key({at['postcode']})"
        cases.append(_when(f"{key} !~ {_KEY_PATTERN}", "not a UK postcode: ", at["postcode"]))
    return "\n            ".join(cases)


def _point(at: dict[str, str]) -> str:
    if "lat" in at:
        lon_lat = f"ST_MakePoint({at['lon']}::float8, {at['lat']}::float8)"
        return f"ST_Transform(ST_SetSRID({lon_lat}, 4326), 27700)"
    return f"ST_SetSRID(ST_MakePoint({at['x']}::float8, {at['y']}::float8), 27700)"


def typed_rows_sql(at: dict[str, str]) -> str:
    """Checked rows into csv_rows; refused ones, with their reason, into the rejects table."""
    lines = ", ".join(c for r, c in sorted(at.items()) if r.startswith("address"))
    postcode = f"upper(trim({at['postcode']}))" if "postcode" in at else "NULL"
    return f"""
WITH numbered AS (
    SELECT s.*,
           row_number() OVER (PARTITION BY {at["uprn"]} ORDER BY file_no, line_no) AS occurrence
    FROM {STAGE_TABLE} s
), checked AS (
    SELECT numbered.*, CASE
            {_problems(at)}
        END AS problem
    FROM numbered
), refused AS (
    INSERT INTO {REJECTS_TABLE} (file_no, line_no, record_type, reason, content)
    SELECT file_no, line_no, {CSV_RECORD}, problem, concat_ws(',', {lines}) FROM checked
    WHERE problem IS NOT NULL
)
INSERT INTO {ROWS_TABLE} (uprn, address, postcode, classification, geom)
SELECT {at["uprn"]}::bigint, concat_ws(', ', {lines}), {postcode},
       {at.get("classification", "NULL")}, {_point(at)}
FROM checked WHERE problem IS NULL
"""


MODEL = """
INSERT INTO {target} (uprn, source, logical_status, classification_code, x, y, lat, lon, geom,
                      postcode, postcode_key, address, lpi_address, data_version_id)
SELECT uprn, 'csv', 1, classification, ST_X(geom), ST_Y(geom),
       ST_Y(ST_Transform(geom, 4326)), ST_X(ST_Transform(geom, 4326)), geom,
       CASE WHEN postcode_key(postcode) IS NOT NULL
            THEN left(postcode_key(postcode), -3) || ' ' || right(postcode_key(postcode), 3) END,
       postcode_key(postcode),
       concat_ws(', ', address, postcode), concat_ws(', ', address, postcode), $1::bigint
FROM {source}
"""


async def load_plain_csv(ctx: LoadContext, sources: SourceSet, columns: ColumnMap) -> None:
    """Stage, check and publish the CSV's addresses, all or nothing."""
    header = read_header(sources)
    at = locate(header, columns)

    def check(file_no: int, row: list[str]) -> tuple[str, str | None, list[str] | None]:
        if [c.strip() for c in row] == header:
            return "csv header", None, None
        if len(row) != len(header):
            return LABEL, f"the header has {len(header)} columns; this row has {len(row)}", None
        return LABEL, None, row

    with LoadProgress(ctx.console, "reading", sources.total_bytes) as progress:
        await stage_sources(
            ctx.conn,
            table=STAGE_TABLE,
            width=len(header),
            sources=sources.sources,
            check=check,
            report=ctx.report,
            progress=progress,
        )
    await ctx.conn.execute(f"DROP TABLE IF EXISTS {ROWS_TABLE}")
    await ctx.conn.execute(
        f"CREATE TEMP TABLE {ROWS_TABLE} (uprn bigint, address text, postcode text, "
        "classification text, geom geometry(Point, 27700))"
    )
    status = await ctx.conn.execute(typed_rows_sql(at), *typed_rows_args(at))
    ctx.report.counts[LABEL].loaded += int(status.split()[-1])
    await collect_sql_rejects(ctx, {CSV_RECORD: LABEL})
    check_reject_rate(ctx)

    async def build(target: str) -> int:
        sql = MODEL.format(target=target, source=ROWS_TABLE)
        return int((await ctx.conn.execute(sql, ctx.version_id)).split()[-1])

    await publish_model(ctx, build)
