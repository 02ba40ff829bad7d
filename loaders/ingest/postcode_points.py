"""Reading postcode points: OS Code-Point Open (CSV files without a header, ten columns:
postcode, positional quality, eastings, northings, then country, NHS and administrative codes;
see Code-Point_Open_Column_Headers.csv in the supply) and the ONS Postcode Directory (ONSPD,
CSV with a header naming pcd/pcds, oseast1m, osnrth1m and doterm among many). Pure: each row
becomes a point or the reason it cannot be one."""

from __future__ import annotations

from dataclasses import dataclass

from service.postcodes.parse import parse_postcode

CODEPOINT = "codepoint"
ONSPD = "onspd"
CODEPOINT_COLUMNS = (
    "postcode",
    "quality",
    "eastings",
    "northings",
    "country",
    "nhs_region",
    "nhs_authority",
    "county",
    "district",
    "ward",
)
# Code-Point's positional quality 90: the postcode has no coordinates (they read 0, 0).
NO_POSITION = 90
_GB_MAX_X, _GB_MAX_Y = 700_000, 1_300_000


@dataclass(frozen=True)
class PostcodePoint:
    """Where a postcode is, in British National Grid metres."""

    key: str
    display: str
    x: float
    y: float
    quality: int | None
    source: str


def file_kind(first_row: list[str]) -> str | None:
    """'codepoint' or 'onspd' from a file's first row; None when it is neither (such as the
    Code-Point column headers file, which is skipped and listed)."""
    names = {cell.strip().lower() for cell in first_row}
    if {"oseast1m", "osnrth1m"} <= names and names & {"pcd", "pcds"}:
        return ONSPD
    if len(first_row) == len(CODEPOINT_COLUMNS) and parse_postcode(first_row[0]) is not None:
        return CODEPOINT
    return None


def point_or_problem(
    postcode: str, east: str, north: str, quality: int | None, source: str
) -> PostcodePoint | str:
    """A checked point, or why the row cannot give one."""
    parsed = parse_postcode(postcode)
    if parsed is None:
        return f"{postcode.strip()!r} is not a UK postcode"
    if quality == NO_POSITION:
        return "no position (positional quality 90)"
    try:
        x, y = float(east), float(north)
    except ValueError:
        return f"no British National Grid position ({east!r}, {north!r})"
    if not (0 < x < _GB_MAX_X and 0 < y < _GB_MAX_Y):
        return f"position {east}, {north} is not in Great Britain"
    return PostcodePoint(parsed.key, parsed.display, x, y, quality, source)


def codepoint_point(fields: list[str]) -> PostcodePoint | str:
    """One Code-Point Open row."""
    if len(fields) != len(CODEPOINT_COLUMNS):
        return f"{len(fields)} columns where Code-Point Open has {len(CODEPOINT_COLUMNS)}"
    quality = fields[1].strip()
    if not quality.isdigit():
        return f"positional quality {quality!r} is not a number"
    return point_or_problem(fields[0], fields[2], fields[3], int(quality), CODEPOINT)


@dataclass(frozen=True)
class OnspdColumns:
    """Where the wanted ONSPD columns are in its header."""

    postcode: int
    east: int
    north: int
    terminated: int | None

    @classmethod
    def from_header(cls, header: list[str]) -> OnspdColumns:
        names = [cell.strip().lower() for cell in header]
        postcode = names.index("pcds") if "pcds" in names else names.index("pcd")
        terminated = names.index("doterm") if "doterm" in names else None
        return cls(postcode, names.index("oseast1m"), names.index("osnrth1m"), terminated)

    def point(self, fields: list[str]) -> PostcodePoint | str | None:
        """One ONSPD row; None for a terminated postcode (counted, not loaded)."""
        if len(fields) <= max(self.postcode, self.east, self.north):
            return f"{len(fields)} columns, fewer than the header's"
        if self.terminated is not None and fields[self.terminated].strip():
            return None
        return point_or_problem(
            fields[self.postcode], fields[self.east], fields[self.north], None, ONSPD
        )
