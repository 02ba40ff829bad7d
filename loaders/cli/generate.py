"""The ``address-lookup generate`` command: check the options, run the generator, summarise."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from loaders.errors import CliError
from loaders.generate.changes import ChangeRequest, default_change_count, write_change_supply
from loaders.generate.manifest import full_supply_recipe, read_manifest
from loaders.generate.postcodes import PostcodeAreasFull
from loaders.generate.supply import (
    FullSupplyRequest,
    Summary,
    default_file_count,
    default_parish_count,
    write_full_supply,
)
from loaders.ingest.addressbase.layout import RECORD_NAMES

FORMATS = ("premium", "plus")
MAX_ADDRESSES = 10_000_000  # what the fictional postcode areas hold
MAX_PARISHES = 200_000

out = Console(highlight=False, soft_wrap=True)


OutOption = Annotated[
    Path, typer.Option("--out", help="Folder to write into (created if missing; must be empty).")
]
AddressesOption = Annotated[
    int | None,
    typer.Option(
        help="How many addresses (UPRNs) to make. With --cou-from: how many addresses the "
        "change-only supply inserts, updates or deletes (default 0.5% of the full supply)."
    ),
]
SeedOption = Annotated[int, typer.Option(help="Random seed: the same seed gives the same files.")]
FormatOption = Annotated[
    str, typer.Option("--format", help="premium (AddressBase Premium CSV) or plus (one row each).")
]
FilesOption = Annotated[
    int | None,
    typer.Option(help="How many Premium files to split into (default: one per 250,000 addresses)."),
]
ZipOption = Annotated[bool, typer.Option("--zip", help="Write each CSV inside its own .zip.")]
ParishesOption = Annotated[
    int | None, typer.Option(help="How many parishes (default: addresses / 400, at least 5).")
]
CouFromOption = Annotated[
    Path | None,
    typer.Option(
        "--cou-from",
        help="Write a change-only supply against the full supply this command wrote there.",
    ),
]
ForceOption = Annotated[
    bool,
    typer.Option(
        "--force", help="Write into a folder that is not empty (replacing an earlier output)."
    ),
]


def generate(
    *,
    out_dir: OutOption,
    addresses: AddressesOption = None,
    seed: SeedOption = 1,
    output_format: FormatOption = "premium",
    files: FilesOption = None,
    zipped: ZipOption = False,
    parishes: ParishesOption = None,
    cou_from: CouFromOption = None,
    force: ForceOption = False,
) -> None:
    """Generate a fictional but realistic area in AddressBase formats, for demos, tests and
    benchmarks: towns, villages and hamlets with streets, houses, flats and businesses, their
    postcodes (in the fictional FX area) and coordinates, plus parish, ward and district
    boundaries (GeoJSON, EPSG:27700), routing contacts and a manifest.json. The same options
    always give byte-identical files. With --cou-from, write instead a change-only supply
    (inserts, updates and deletes) against an earlier full supply.
    """
    _check_choices(output_format, cou_from)
    _prepare_out_dir(out_dir, force=force, cou_from=cou_from)
    if cou_from is not None:
        summary = _write_changes(out_dir, cou_from, addresses, seed, files, zipped=zipped)
    else:
        summary = _write_full(
            out_dir,
            addresses,
            seed,
            output_format=output_format,
            files=files,
            parishes=parishes,
            zipped=zipped,
        )
    _print_summary(summary, out_dir)


def _write_full(
    out_dir: Path,
    addresses: int | None,
    seed: int,
    *,
    output_format: str,
    files: int | None,
    parishes: int | None,
    zipped: bool,
) -> Summary:
    if addresses is None:
        raise CliError("--addresses is required: say how many addresses to generate, e.g. 10000")
    _check_range("--addresses", addresses, 1, MAX_ADDRESSES)
    file_count = default_file_count(addresses) if files is None else files
    parish_count = default_parish_count(addresses) if parishes is None else parishes
    _check_range("--files", file_count, 1, max(1, addresses))
    _check_range("--parishes", parish_count, 1, MAX_PARISHES)
    request = FullSupplyRequest(
        addresses, seed, out_dir, output_format, file_count, zipped, parish_count
    )
    try:
        return write_full_supply(request)
    except PostcodeAreasFull as problem:
        raise CliError(f"{problem}; ask for fewer --addresses") from None


def _write_changes(
    out_dir: Path,
    cou_from: Path,
    changes: int | None,
    seed: int,
    files: int | None,
    *,
    zipped: bool,
) -> Summary:
    base = full_supply_recipe(cou_from)
    change_count = default_change_count(base.addresses) if changes is None else changes
    _check_range("--addresses", change_count, 1, base.addresses)
    file_count = 1 if files is None else files
    _check_range("--files", file_count, 1, change_count)
    request = ChangeRequest(base, seed, change_count, out_dir, file_count, zipped)
    return write_change_supply(request)


def _check_range(option: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        raise CliError(f"{option} must be between {low:,} and {high:,} (got {value:,})")


def _check_choices(output_format: str, cou_from: Path | None) -> None:
    if output_format not in FORMATS:
        raise CliError(f"--format must be premium or plus (got {output_format!r})")
    if cou_from is not None and output_format != "premium":
        raise CliError("change-only supplies are written in premium format only; drop --format")


def _prepare_out_dir(out_dir: Path, *, force: bool, cou_from: Path | None) -> None:
    """Create the folder, or check an existing one is empty (or, with --force, ours)."""
    if out_dir.exists() and not out_dir.is_dir():
        raise CliError(f"--out {out_dir} is a file; give a folder to write into")
    if cou_from is not None and out_dir.resolve() == cou_from.resolve():
        raise CliError("--out must differ from --cou-from: the full supply there is still needed")
    if out_dir.is_dir() and any(out_dir.iterdir()):
        if not force:
            raise CliError(
                f"--out {out_dir} is not empty; choose an empty folder or add --force to replace "
                "an earlier output there"
            )
        _remove_earlier_output(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CliError(f"cannot create --out {out_dir}: {error.strerror}") from None


def _remove_earlier_output(out_dir: Path) -> None:
    """Remove the files an earlier run listed in its manifest, and the manifest (nothing else)."""
    manifest = read_manifest(out_dir)
    if manifest is None:
        return
    inside = out_dir.resolve()
    for entry in manifest.get("files", []):
        path = (out_dir / str(entry.get("name", ""))).resolve()
        if path.is_relative_to(inside) and path.is_file():
            path.unlink()
    (out_dir / "manifest.json").unlink(missing_ok=True)


def _print_summary(summary: Summary, out_dir: Path) -> None:
    out.print(f"wrote {len(summary.files)} files to {out_dir} in {summary.seconds:.1f} s")
    for name, count in summary.counts.items():
        out.print(f"  {_label(name)}: {count:,}")


def _label(count_name: str) -> str:
    if count_name.isdigit():
        return f"{count_name} {RECORD_NAMES[int(count_name)]} records"
    return count_name
