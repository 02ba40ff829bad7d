"""Loading contacts: a CSV saying who to send reports about an area to. Every row is checked
(area code present; email, phone and web address well formed); refused rows go to the rejects
file with their line number (the header is line 1). A load replaces the contacts of its data
set (a council's) at once, leaving other sets' contacts as they are.

Contacts are keyed by area code (and optionally type), not tied to loaded areas, so they may be
loaded before their boundaries; those whose area is not loaded yet are counted and reported."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import astuple, dataclass
from pathlib import Path
from urllib.parse import urlsplit

from loaders.core.guards import ReplaceLimits, check_replacement
from loaders.core.report import LoadReport
from loaders.errors import CliError
from service.db.types import Connection
from service.spatial.lookup import TYPE_PATTERN

RECORD_TYPE = "contact"
COLUMNS = ("area_code", "area_type", "name", "role", "email", "phone", "url")
DETAILS = ("name", "email", "phone", "url")

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
# UK numbers: 0 and 9 or 10 digits, or +44 and 9 or 10; spaces, dashes, brackets allowed.
_PHONE = re.compile(r"^(?:\+44|0)\d{9,10}$")
_PHONE_DECORATION = re.compile(r"\(0\)|[\s\-()]")


@dataclass(frozen=True)
class ContactRow:
    """One accepted contact, in table column order."""

    area_code: str
    area_type: str | None
    name: str | None
    role: str | None
    email: str | None
    phone: str | None
    url: str | None
    line: int


def header_columns(header: list[str]) -> list[str]:
    """Header names as keys: 'Area Code' -> 'area_code'. Refuses a header without area_code."""
    names = [re.sub(r"\s+", "_", name.strip().lower()) for name in header]
    if "area_code" not in names:
        raise CliError(
            f"the contacts CSV needs an area_code column; its header is: {', '.join(header)}. "
            f"Columns it can have: {', '.join(COLUMNS)}"
        )
    return names


def contact_problem(fields: dict[str, str]) -> str | None:
    """Why a row (header name -> trimmed value) cannot be a contact, or None when it can."""
    area_type = fields.get("area_type", "")
    checks = (
        (not fields.get("area_code"), "area_code is empty"),
        (bool(area_type) and not TYPE_PATTERN.match(area_type), f"bad area_type {area_type!r}"),
        (not any(fields.get(key) for key in DETAILS), "no name, email, phone or url"),
        (not _valid(fields, "email", _email_ok), f"bad email {fields.get('email')!r}"),
        (not _valid(fields, "phone", _phone_ok), f"bad phone {fields.get('phone')!r}"),
        (not _valid(fields, "url", _url_ok), f"bad url {fields.get('url')!r} (http(s)://...)"),
    )
    return next((problem for failed, problem in checks if failed), None)


def _valid(fields: dict[str, str], key: str, check: Callable[[str], bool]) -> bool:
    value = fields.get(key)
    return not value or check(value)


def _email_ok(value: str) -> bool:
    return bool(_EMAIL.match(value))


def _phone_ok(value: str) -> bool:
    return bool(_PHONE.match(_PHONE_DECORATION.sub("", value)))


def _url_ok(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and "." in parts.netloc


def to_contact(fields: dict[str, str], line: int) -> ContactRow:
    """A checked row as a contact; empty optional values become None."""

    def value(key: str) -> str | None:
        return fields.get(key) or None

    return ContactRow(
        fields["area_code"],
        value("area_type"),
        value("name"),
        value("role"),
        value("email"),
        value("phone"),
        value("url"),
        line,
    )


def read_contacts(path: Path, report: LoadReport) -> list[ContactRow]:
    """Every acceptable contact in the file; the others go to the rejects file."""
    contacts = []
    for line, raw, fields in _rows(path):
        report.counts[RECORD_TYPE].read += 1
        problem = fields.get("") or contact_problem(fields)
        if problem:
            report.reject(
                file=path.name, line=line, record_type=RECORD_TYPE, reason=problem, content=raw
            )
            continue
        contacts.append(to_contact(fields, line))
        report.counts[RECORD_TYPE].loaded += 1
    return contacts


def _rows(path: Path) -> Iterator[tuple[int, str, dict[str, str]]]:
    """(line where the row starts, the row as read, header name -> value) for each data row;
    a row of the wrong width carries its problem under the key ''."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            columns = header_columns(next(reader, []))
            start = reader.line_num + 1
            for row in reader:
                if any(cell.strip() for cell in row):
                    yield start, ",".join(row), _fields(columns, row)
                start = reader.line_num + 1
    except UnicodeDecodeError as error:
        raise CliError(f"{path.name} is not UTF-8 ({error.reason}): save it as UTF-8") from None


def _fields(columns: list[str], row: list[str]) -> dict[str, str]:
    fields = {name: cell.strip() for name, cell in zip(columns, row, strict=False)}
    if len(row) != len(columns):
        fields[""] = f"{len(row)} fields where the header has {len(columns)}"
    return fields


_COUNT_SET = "SELECT count(*) FROM area_contacts WHERE set_name = $1"


async def replace_contacts(
    conn: Connection,
    contacts: list[ContactRow],
    version_id: int,
    set_name: str,
    limits: ReplaceLimits,
) -> None:
    """Replace the contacts of one set in one transaction: readers see the old list or the
    new, other sets are untouched. Refused (nothing changed) if it would empty the set or
    shrink it by more than --max-shrink, unless --force."""
    records = [(*astuple(contact), version_id, set_name) for contact in contacts]
    async with conn.transaction():
        before = int(await conn.fetchval(_COUNT_SET, set_name))
        check_replacement(f"contacts of set {set_name!r}", before, len(records), limits)
        await conn.execute("DELETE FROM area_contacts WHERE set_name = $1", set_name)
        await conn.copy_records_to_table(
            "area_contacts",
            records=records,
            columns=[*COLUMNS, "line", "data_version_id", "set_name"],
        )


_WITHOUT_AREA = """
SELECT c.area_code FROM area_contacts c
WHERE ($1::text IS NULL OR c.set_name = $1)
  AND NOT EXISTS (
    SELECT 1 FROM areas a
    WHERE a.code = c.area_code AND (c.area_type IS NULL OR a.type = c.area_type)
)
ORDER BY c.set_name, c.line
"""


async def codes_without_area(conn: Connection, set_name: str | None = None) -> list[str]:
    """Area codes of loaded contacts (of one set, or all) whose area is not loaded (yet), in
    file order."""
    rows = await conn.fetch(_WITHOUT_AREA, set_name)
    return list(dict.fromkeys(row["area_code"] for row in rows))


async def codes_with_area(conn: Connection) -> set[str]:
    """Area codes of loaded contacts whose area is loaded."""
    every = await conn.fetch("SELECT DISTINCT area_code FROM area_contacts")
    return {row["area_code"] for row in every} - set(await codes_without_area(conn))
