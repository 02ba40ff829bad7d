"""Writing an AddressBase Premium supply: files that each open with a 10 header record and end
with a 29 metadata and a 99 trailer record, streets and addresses in between.

A file changes only between streets, so a street and every record of its addresses share a
file. PRO_ORDER numbers every record of the supply in processing order.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from loaders.generate import classes
from loaders.generate.model import StreetBatch
from loaders.generate.outputs import TextOutput
from loaders.generate.records import (
    Record,
    Values,
    address_records,
    premium_line,
    street_records,
)

CUSTODIAN_NAME = "Address Lookup generator (fictional data)"
SUPPLY_CUSTODIAN_CODE = 9999
TIME_STAMP = "04:30:00"
FULL, CHANGE_ONLY = "F", "C"

Change = tuple[str, Record]  # CHANGE_TYPE (I, U or D) and the record


def premium_file_name(file_type: str, supply_date: date, number: int) -> str:
    """``AddressBasePremium_FULL_2026-11-22_001.csv`` (``COU`` for a change-only supply)."""
    kind = "FULL" if file_type == FULL else "COU"
    return f"AddressBasePremium_{kind}_{supply_date.isoformat()}_{number:03d}.csv"


class PremiumSupplyWriter:
    """Streams records into ``file_count`` files, moving on at street boundaries."""

    def __init__(
        self,
        out_dir: Path,
        *,
        file_type: str,
        supply_date: date,
        file_count: int,
        expected_addresses: int,
        zipped: bool,
    ) -> None:
        self._out_dir, self._file_type, self._date = out_dir, file_type, supply_date
        self._file_count, self._expected = file_count, max(1, expected_addresses)
        self._zipped = zipped
        self.counts: Counter[int] = Counter()
        self.paths: list[Path] = []
        self._order = 0
        self._addresses = 0
        self._lines_in_file = 0
        self._output: TextOutput | None = None
        self.process_date = supply_date.isoformat()

    def write_street(self, batch: StreetBatch) -> None:
        """A street's 11 and 15 records, then all records of each of its addresses."""
        records = street_records(batch.street)
        for address in batch.addresses:
            records += address_records(address, self.process_date)
        self.write_group([("I", record) for record in records], addresses=len(batch.addresses))

    def write_group(self, changes: list[Change], addresses: int) -> None:
        """Records that stay in one file (a street, or one address's changes), each with its
        CHANGE_TYPE and the next PRO_ORDER; ``addresses`` counts towards splitting files."""
        self._roll_over_if_due()
        self._open_if_needed()
        lines = []
        for change_type, (record_id, values) in changes:
            self._order += 1
            values["CHANGE_TYPE"], values["PRO_ORDER"] = change_type, self._order
            lines.append(premium_line(record_id, values))
            self.counts[record_id] += 1
        self._write(lines)
        self._addresses += addresses

    def close(self) -> list[Path]:
        """Finish the last file and write any files still owed; returns every path written."""
        self._open_if_needed()
        while True:
            self._finish_file(last=len(self.paths) == self._file_count)
            if len(self.paths) == self._file_count:
                return self.paths
            self._start_file()

    def _roll_over_if_due(self) -> None:
        files_done = len(self.paths) - (self._output is not None)
        due = self._addresses >= (files_done + 1) * self._expected / self._file_count
        if self._output is not None and due and len(self.paths) < self._file_count:
            self._finish_file(last=False)

    def _open_if_needed(self) -> None:
        if self._output is None:
            self._start_file()

    def _start_file(self) -> None:
        name = premium_file_name(self._file_type, self._date, len(self.paths) + 1)
        self._output = TextOutput(self._out_dir / name, zipped=self._zipped, stamp=self._date)
        self.paths.append(self._output.path)
        self._lines_in_file = 0
        self._write([premium_line(10, self._header(len(self.paths)))])
        self.counts[10] += 1

    def _finish_file(self, *, last: bool) -> None:
        assert self._output is not None
        self._write([premium_line(29, self._metadata())])
        trailer = {
            "NEXT_VOLUME_NUMBER": 0 if last else len(self.paths) + 1,
            "RECORD_COUNT": self._lines_in_file + 1,
            "ENTRY_DATE": self.process_date,
            "TIME_STAMP": TIME_STAMP,
        }
        self._write([premium_line(99, trailer)])
        self.counts[29] += 1
        self.counts[99] += 1
        self._output.close()
        self._output = None

    def _write(self, lines: list[str]) -> None:
        assert self._output is not None
        self._output.write_lines(lines)
        self._lines_in_file += len(lines)

    def _header(self, volume: int) -> Values:
        return {
            "CUSTODIAN_NAME": CUSTODIAN_NAME,
            "LOCAL_CUSTODIAN_NAME": SUPPLY_CUSTODIAN_CODE,
            "PROCESS_DATE": self.process_date,
            "VOLUME_NUMBER": volume,
            "ENTRY_DATE": self.process_date,
            "TIME_STAMP": TIME_STAMP,
            "VERSION": "1.0",
            "FILE_TYPE": self._file_type,
        }

    def _metadata(self) -> Values:
        return {
            "GAZ_NAME": "AddressBase Premium (fictional demonstration data)",
            "GAZ_SCOPE": "Fictional addresses made by address-lookup generate; not real places",
            "TER_OF_USE": "England",
            "LINKED_DATA": "None",
            "GAZ_OWNER": CUSTODIAN_NAME,
            "NGAZ_FREQ": "D",
            "CUSTODIAN_NAME": CUSTODIAN_NAME,
            "LOCAL_CUSTODIAN_CODE": SUPPLY_CUSTODIAN_CODE,
            "CO_ORD_SYSTEM": "British National Grid",
            "CO_ORD_UNIT": "Metres",
            "META_DATE": self.process_date,
            "CLASS_SCHEME": classes.CLASS_SCHEME,
            "GAZ_DATE": self.process_date,
            "LANGUAGE": "ENG",
            "CHARACTER_SET": "UTF-8",
        }
