"""The first look at each AddressBase Premium row, in Python: is it a known record type with the
right number of columns? Supply records (header, metadata, trailer) are read here and not staged;
the header says whether the supply is full or change-only, the trailer how many records the file
should hold (so a truncated file is caught)."""

from __future__ import annotations

from dataclasses import dataclass, field

from loaders.ingest.addressbase.layout import PREMIUM_COLUMNS, RECORD_NAMES

_KNOWN = ", ".join(str(rid) for rid in PREMIUM_COLUMNS)
HEADER, METADATA, TRAILER = 10, 29, 99
FILE_TYPE_COLUMN = PREMIUM_COLUMNS[HEADER].index("FILE_TYPE")
RECORD_COUNT_COLUMN = PREMIUM_COLUMNS[TRAILER].index("RECORD_COUNT")


def record_label(record_id: int) -> str:
    """How a record type is named in summaries and rejects, e.g. '21 BLPU'."""
    return f"{record_id} {RECORD_NAMES[record_id]}"


_LABELS = {record_id: record_label(record_id) for record_id in PREMIUM_COLUMNS}


@dataclass
class SupplyRecords:
    """What the supply says about itself, per file number."""

    file_types: dict[int, str] = field(default_factory=dict)
    trailer_counts: dict[int, str] = field(default_factory=dict)


class PremiumRowCheck:
    """Checks a row's record type and column count; keeps the supply records it meets."""

    def __init__(self) -> None:
        self.supply = SupplyRecords()

    def __call__(self, file_no: int, row: list[str]) -> tuple[str, str | None, list[str] | None]:
        record = row[0].strip()
        if not record.isdigit() or int(record) not in PREMIUM_COLUMNS:
            problem = f"unknown record type {record!r}: Premium records start with one of {_KNOWN}"
            return "unknown", problem, None
        record_id = int(record)
        label = _LABELS[record_id]
        expected = len(PREMIUM_COLUMNS[record_id])
        if len(row) != expected:
            return label, f"a {label} record has {expected} columns; this row has {len(row)}", None
        if record_id in (HEADER, TRAILER, METADATA):
            self._keep_supply_record(file_no, record_id, row)
            return label, None, None
        if row[0] != record:  # " 21": staged as "21", so that it finds its partition
            return label, None, [record, *row[1:]]
        return label, None, row

    def _keep_supply_record(self, file_no: int, record_id: int, row: list[str]) -> None:
        if record_id == HEADER:
            self.supply.file_types[file_no] = row[FILE_TYPE_COLUMN].strip().upper()
        elif record_id == TRAILER:
            self.supply.trailer_counts[file_no] = row[RECORD_COUNT_COLUMN].strip()


def truncation_problems(
    names: list[str], rows_by_file: list[int], supply: SupplyRecords
) -> list[str]:
    """Files whose trailer is missing or disagrees with the rows they hold."""
    problems = []
    for file_no, (name, rows) in enumerate(zip(names, rows_by_file, strict=True)):
        expected = supply.trailer_counts.get(file_no)
        if rows == 0:
            problems.append(f"{name} is empty")
        elif expected is None:
            problems.append(f"{name} has no trailer record (99): it may be truncated")
        elif not expected.isdigit() or int(expected) != rows:
            problems.append(
                f"{name}: its trailer says {expected} records but it holds {rows}: "
                "it may be truncated or damaged"
            )
    return problems


def supply_mode(supply: SupplyRecords) -> str | None:
    """'full' or 'change-only' from the header records; None when there are no headers.
    Raises ValueError when the files disagree."""
    kinds = {"F": "full", "C": "change-only"}
    modes = {kinds.get(file_type, file_type) for file_type in supply.file_types.values()}
    if len(modes) > 1:
        raise ValueError(
            "the files mix full and change-only supplies (header FILE_TYPE "
            f"{sorted(supply.file_types.values())}); load each supply on its own"
        )
    mode = modes.pop() if modes else None
    if mode not in (None, "full", "change-only"):
        raise ValueError(f"unknown header FILE_TYPE {mode!r}; expected F (full) or C (change-only)")
    return mode
