"""A full supply end to end: plan the area, stream its streets into Premium or Plus files, then
write the boundaries, contacts and manifest."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from loaders.generate.boundaries import write_boundaries
from loaders.generate.contacts import write_contacts
from loaders.generate.manifest import write_manifest
from loaders.generate.outputs import describe_file
from loaders.generate.plan import AreaPlan, build_plan
from loaders.generate.plus import PlusWriter
from loaders.generate.postcodes import FICTIONAL_AREAS
from loaders.generate.premium import FULL, PremiumSupplyWriter
from loaders.generate.settlement import generate_area

ADDRESSES_PER_FILE = 250_000
ADDRESSES_PER_PARISH = 400
MIN_PARISHES = 5


def default_file_count(addresses: int) -> int:
    """About one file per 250,000 addresses, at least one."""
    return max(1, round(addresses / ADDRESSES_PER_FILE))


def default_parish_count(addresses: int) -> int:
    """About one parish per 400 addresses, at least five."""
    return max(MIN_PARISHES, addresses // ADDRESSES_PER_PARISH)


@dataclass(frozen=True, slots=True)
class FullSupplyRequest:
    """What to generate and where (already checked by the command)."""

    addresses: int
    seed: int
    out_dir: Path
    output_format: str
    files: int
    zipped: bool
    parishes: int


@dataclass(slots=True)
class Summary:
    """What a run wrote, for the closing message."""

    files: list[Path]
    counts: dict[str, int]
    seconds: float
    extra: dict[str, Any] = field(default_factory=dict)


def write_full_supply(request: FullSupplyRequest) -> Summary:
    """Generate the full supply, boundaries, contacts and manifest into ``request.out_dir``."""
    started = time.perf_counter()
    plan = build_plan(request.seed, request.addresses, request.parishes)
    if request.output_format == "plus":
        address_files, counts = _write_plus(plan, request)
    else:
        address_files, counts = _write_premium(plan, request)
    other_files = [
        *write_boundaries(plan.areas, plan.bounds, request.out_dir),
        write_contacts(plan.areas, request.seed, request.out_dir),
    ]
    files = address_files + other_files
    write_manifest(request.out_dir, _manifest(plan, request, files, counts))
    return Summary(files, counts, time.perf_counter() - started)


def _write_premium(plan: AreaPlan, request: FullSupplyRequest) -> tuple[list[Path], dict[str, int]]:
    writer = PremiumSupplyWriter(
        request.out_dir,
        file_type=FULL,
        supply_date=plan.supply_date,
        file_count=request.files,
        expected_addresses=request.addresses,
        zipped=request.zipped,
    )
    for batch in generate_area(plan):
        writer.write_street(batch)
    paths = writer.close()
    return paths, {str(record_id): writer.counts[record_id] for record_id in sorted(writer.counts)}


def _write_plus(plan: AreaPlan, request: FullSupplyRequest) -> tuple[list[Path], dict[str, int]]:
    writer = PlusWriter(
        request.out_dir, supply_date=plan.supply_date, areas=plan.areas, zipped=request.zipped
    )
    for batch in generate_area(plan):
        writer.write_street(batch)
    return writer.close(), {"plus rows": writer.rows}


def _manifest(
    plan: AreaPlan, request: FullSupplyRequest, files: list[Path], counts: dict[str, int]
) -> dict[str, Any]:
    return {
        "supply": "full",
        "seed": request.seed,
        "addresses": request.addresses,
        "parishes": request.parishes,
        "format": request.output_format,
        "file_type": FULL,
        "zipped": request.zipped,
        "supply_date": plan.supply_date.isoformat(),
        "postcode_areas": list(FICTIONAL_AREAS),
        "area_counts": {
            "parishes": len(plan.areas.parishes),
            "wards": len(plan.areas.wards),
            "districts": len(plan.areas.districts),
        },
        "custodian_codes": list(plan.areas.custodian_codes),
        "counts": counts,
        "files": [describe_file(path, request.out_dir) for path in files],
    }
